"""The issued minutes PDF: content, fonts, PAdES signature, and verification (page and CLI)."""
import hashlib
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import event

from tests.meeting_factories import signed_meeting
from tracker.documents.checks import RenderingEnvironmentError, require_pdf_environment
from tracker.documents.signing import ensure_demo_identity, sign_pdf
from tracker.meetings.models import MinutesDocument


@pytest.fixture
def issued(world, db):
    meeting = signed_meeting(world)
    return meeting, db.session.scalar(db.select(MinutesDocument))


def _embedded_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor and any(k in descriptor.get_object()
                                  for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    return fonts


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_text_has_the_record(issued, world, tmp_path):
    meeting, document = issued
    path = tmp_path / "minutes.pdf"
    path.write_bytes(document.pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True).stdout
    for expected in ("三方联席会议纪要", "〔2026〕第1期", "出席", "德富花园",
                     "现将议定事项纪要如下", document.content_sha256):
        assert expected in text.replace("\n", ""), expected
    assert re.search(r"—\s*1\s*—", text)  # page numbers in GB/T 9704 style
    for username in ("residents_member", "owners_member", "property_rep"):
        assert world.users[username].name in text


def test_pdf_embeds_a_cjk_font(issued):
    _meeting, document = issued
    assert any("CJK" in name for name in _embedded_fonts(document.pdf))


def test_download_serves_the_stored_bytes(issued, login_as, world, monkeypatch):
    meeting, document = issued
    import tracker.meetings.issuing as issuing

    def no_rendering(*_args, **_kwargs):
        raise AssertionError("downloading must not render")
    monkeypatch.setattr(issuing, "render_minutes_pdf", no_rendering)
    response = login_as(world.district_official).get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200
    assert response.data == document.pdf
    assert login_as(world.official_out).get(
        f"/meetings/{meeting.id}/minutes.pdf").status_code == 404


def test_a_second_download_of_unchanged_minutes_is_not_modified(issued, login_as, world):
    meeting, document = issued
    client = login_as(world.district_official)
    first = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert first.headers["ETag"] == f'"{document.pdf_sha256}"'
    again = client.get(f"/meetings/{meeting.id}/minutes.pdf",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # Someone out of scope learns nothing from a matching ETag either.
    assert login_as(world.official_out).get(
        f"/meetings/{meeting.id}/minutes.pdf",
        headers={"If-None-Match": first.headers["ETag"]}).status_code == 404


def test_the_bytes_are_read_once_and_replaced_ones_never_served(
        issued, login_as, world, db):
    """The bytes are shared by their hash through the shared cache: after one download they
    are not read from the database again; a re-issue (new bytes, new hash) is served at once."""
    meeting, document = issued
    reads = []

    def count(_conn, _cursor, statement, *_args):
        # The download's read of the bytes by their hash (not the test's own reads).
        if re.search(r"minutes_documents\.pdf\b.*pdf_sha256 =", statement, re.S):
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client = login_as(world.district_official)
        for _ in range(3):
            response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
            assert response.status_code == 200 and response.data == document.pdf
        assert len(reads) == 1
        # Someone out of scope still gets nothing, though the bytes are shared.
        assert login_as(world.official_out).get(
            f"/meetings/{meeting.id}/minutes.pdf").status_code == 404
        # The stored document changes (as a re-issue would): the new bytes are served at once.
        replaced = document.pdf + b"\n%replaced\n"
        document.pdf = replaced
        document.pdf_sha256 = hashlib.sha256(replaced).hexdigest()
        db.session.commit()
        response = login_as(world.district_official).get(f"/meetings/{meeting.id}/minutes.pdf")
        assert response.data == replaced
        assert response.headers["ETag"] == f'"{document.pdf_sha256}"'
        assert len(reads) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _verify_page(client, data: bytes) -> str:
    response = client.post("/verify/", data={"pdf": (io.BytesIO(data), "minutes.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _cli(app, tmp_path, data: bytes):
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["minutes", "verify", str(path)])


def test_untouched_pdf_is_valid_on_page_and_cli(issued, client, app, tmp_path):
    _meeting, document = issued
    page = _verify_page(client, document.pdf)
    assert 'verdict ok' in page and "〔2026〕第1期" in page
    result = _cli(app, tmp_path, document.pdf)
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output


def test_one_flipped_byte_is_invalid(issued, client, app, tmp_path):
    _meeting, document = issued
    tampered = bytearray(document.pdf)
    tampered[len(tampered) // 3] ^= 0x01
    page = _verify_page(client, bytes(tampered))
    assert 'verdict bad' in page
    result = _cli(app, tmp_path, bytes(tampered))
    assert result.exit_code == 1


def test_pdf_signed_with_another_certificate_is_invalid(issued, client, app, tmp_path):
    meeting, _document = issued
    from tracker.meetings.issuing import render_minutes_pdf
    other = ensure_demo_identity(tmp_path / "other", common_name="别的证书")
    resigned = sign_pdf(render_minutes_pdf(meeting), other)
    assert 'verdict bad' in _verify_page(client, resigned)
    assert _cli(app, tmp_path, resigned).exit_code == 1


def test_appended_bytes_are_invalid(issued, app, tmp_path):
    _meeting, document = issued
    assert _cli(app, tmp_path, document.pdf + b"\n% appended\n").exit_code == 1


def test_not_a_pdf_is_invalid_without_error(client, world):
    assert 'verdict bad' in _verify_page(client, b"hello, not a pdf")


def test_qr_target_shows_the_record_publicly(issued, client):
    _meeting, document = issued
    response = client.get(f"/verify/{document.content_sha256}")
    assert response.status_code == 200
    assert "〔2026〕第1期" in response.get_data(as_text=True)
    assert client.get("/verify/" + "0" * 64).status_code == 404
    assert client.get("/verify/not-a-hash").status_code == 404


def test_rendering_environment_check_refuses_loudly(monkeypatch):
    require_pdf_environment()  # this machine has what it needs (make install puts it there)
    from weasyprint.text import ffi
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    with pytest.raises(RenderingEnvironmentError, match="harfbuzz"):
        require_pdf_environment()
