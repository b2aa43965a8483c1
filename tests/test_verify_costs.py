"""What an anonymous upload to /verify may cost: its size, how many an address may send, and
how long one check may run (tracker/meetings/verification.py). A refused file gets the page
again with a message beside the field, never a bare error page. How long each takes is measured
by bench/verify_cost.py, not here."""
import io
import resource

import pytest

from tests.conftest import form_errors, shown
from tests.helpers.hostile_pdfs import with_appended_objects, with_compressed_xref_entries
from tests.meeting_factories import signed_meeting
from tracker.meetings import verification
from tracker.meetings.models import MinutesDocument

TOO_LARGE = ("The file is larger than %(megabytes)d MB; a minutes PDF issued by this system is "
             "much smaller.")
TOO_COMPLEX = ("The file is far more complex than a minutes PDF issued by this system; it was "
               "not checked.")
TOO_MANY = ("Too many files were checked from this address in a short time. "
            "Please try again later.")


@pytest.fixture
def minutes_pdf(world, db) -> bytes:
    signed_meeting(world)
    return db.session.scalar(db.select(MinutesDocument)).pdf


def upload(client, data: bytes, address: str = "203.0.113.7"):
    return client.post("/verify/", data={"pdf": (io.BytesIO(data), "minutes.pdf")},
                       content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": address})


def refused_beside_the_field(response, message: str) -> None:
    page = response.get_data(as_text=True)
    assert form_errors(page) == [message]
    assert 'aria-describedby="pdf-error"' in page  # on the file field, which stays usable
    assert 'class="card narrow verdict' not in page


def test_an_issued_pdf_is_still_valid(client, minutes_pdf):
    page = upload(client, minutes_pdf).get_data(as_text=True)
    assert "verdict ok" in page


def test_a_file_over_the_size_limit_is_refused_with_a_message(client, world):
    over = b"%PDF-1.7\n" + b"0" * verification.MAX_PDF_BYTES
    response = upload(client, over)
    assert response.status_code == 413
    refused_beside_the_field(response, shown(TOO_LARGE, megabytes=10))


def test_a_request_over_the_sites_upload_limit_gets_the_same_page(client, world, app,
                                                                   monkeypatch):
    """Past MAX_CONTENT_LENGTH the request is refused before the form is read."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = upload(client, b"%PDF-1.7\n" + b"0" * 100 * 1024)
    assert response.status_code == 413
    refused_beside_the_field(response, shown(TOO_LARGE, megabytes=10))


def test_one_address_gets_the_configured_number_of_uploads(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_LIMIT_PER_ADDRESS", "3 per hour")
    for _ in range(3):
        assert "verdict bad" in upload(client, b"not a pdf").get_data(as_text=True)
    fourth = upload(client, b"not a pdf")
    assert fourth.status_code == 429
    refused_beside_the_field(fourth, shown(TOO_MANY))
    # Another address is not held back; reading the page is not counted.
    assert upload(client, b"not a pdf", address="198.51.100.9").status_code == 200
    assert client.get("/verify/", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200


def test_a_pdf_with_thousands_of_appended_objects_is_refused_unparsed(client, minutes_pdf,
                                                                      monkeypatch):
    def no_parsing(*_args):
        raise AssertionError("the file was handed to the PDF reader")

    monkeypatch.setattr(verification, "verify_pdf", no_parsing)
    hostile = with_appended_objects(minutes_pdf, 20_000)  # twice MAX_OBJECTS
    response = upload(client, hostile)
    assert response.status_code == 200
    refused_beside_the_field(response, shown(TOO_COMPLEX))


def test_a_pdf_too_slow_to_read_is_cut_off_at_the_time_limit(client, minutes_pdf, app,
                                                             monkeypatch):
    """Two million entries of a compressed cross-reference stream: small, few visible objects,
    seconds of parsing. The check runs in a child process that is killed at VERIFY_SECONDS."""
    hostile = with_compressed_xref_entries(minutes_pdf, 2_000_000)
    monkeypatch.setitem(app.config, "VERIFY_SECONDS", 0.5)
    response = upload(client, hostile)
    assert response.status_code == 200
    refused_beside_the_field(response, shown(TOO_COMPLEX))
    # Refused by the time limit: neither its size nor its counts give it away.
    assert len(hostile) < verification.MAX_PDF_BYTES and not verification.too_complex(hostile)
    # The same limit leaves an issued PDF valid.
    assert "verdict ok" in upload(client, minutes_pdf).get_data(as_text=True)


def test_the_check_cannot_grow_past_its_memory_cap(app, minutes_pdf, monkeypatch):
    """Given all the time it wants, the same file takes gigabytes to read; the child checking it
    may take only CHECK_MEMORY_BYTES more than it started with, runs out, and the file is not
    found valid."""
    monkeypatch.setattr(verification, "CHECK_MEMORY_BYTES", 64 * 1024 * 1024, raising=False)
    monkeypatch.setitem(app.config, "VERIFY_SECONDS", 120)
    worker_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB
    verdict = verification.verify_minutes_pdf(
        with_compressed_xref_entries(minutes_pdf, 2_000_000))
    assert not verdict.valid
    # Neither this process (the worker) nor a child checking for it, which starts with what the
    # worker has, grew far beyond the worker's peak before.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < worker_peak + 256 * 1024
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < worker_peak + 256 * 1024


def test_a_failure_in_the_check_is_raised_not_taken_for_a_verdict(app, minutes_pdf, tmp_path):
    """A missing certificate is the deployment's fault, not the file's: it is not reported as a
    file too complex to check."""
    with pytest.raises(OSError):
        verification._checked_within(minutes_pdf, tmp_path / "missing.pem", 5)


def test_the_api_and_the_page_share_one_allowance_an_address(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_LIMIT_PER_ADDRESS", "3 per hour")
    for _ in range(2):
        assert upload(client, b"not a pdf").status_code == 200
    api = client.post("/api/v1/verify", data={"pdf": (io.BytesIO(b"not a pdf"), "m.pdf")},
                      content_type="multipart/form-data",
                      environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert api.status_code == 200 and api.get_json()["reason"] == "unreadable"
    again = client.post("/api/v1/verify", data={"pdf": (io.BytesIO(b"not a pdf"), "m.pdf")},
                        content_type="multipart/form-data",
                        environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert again.status_code == 429
    assert upload(client, b"not a pdf").status_code == 429
