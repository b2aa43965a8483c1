"""`flask --app tracker minutes verify FILE` as an administrator runs it, in a process of its own:
a file that is not valid gets one line saying why, on stderr, and exit status 1 — no traceback
from the PDF checker's log."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shown
from tests.meeting_factories import signed_meeting
from tracker.documents.signing import ensure_demo_identity, sign_pdf
from tracker.meetings.issuing import render_minutes_pdf
from tracker.meetings.labels import VERDICT_REASONS
from tracker.meetings.models import MinutesDocument

ROOT = Path(__file__).resolve().parents[1]


def _verify(app, tmp_path: Path, data: bytes) -> subprocess.CompletedProcess:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(data)
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SIGNING_CERT": app.config["SIGNING_CERT"], "SIGNING_KEY": app.config["SIGNING_KEY"],
           "SECRET_KEY": "verify-test-" + "x" * 32, "TRACKER_INSTANCE_PATH": str(tmp_path),
           "RATELIMIT_STORAGE_URI": "memory://", "CHECK_PDF_ENVIRONMENT": "0"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "tracker", "minutes", "verify",
                           str(path)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _one_byte_changed(pdf: bytes, _tmp_path: Path, _meeting) -> bytes:
    tampered = bytearray(pdf)
    tampered[len(tampered) // 3] ^= 0x01
    return bytes(tampered)


def _signed_again_elsewhere(_pdf: bytes, tmp_path: Path, meeting) -> bytes:
    """The minutes signed with a certificate of someone else's: pyHanko logs the failed
    certificate path with its traceback."""
    other = ensure_demo_identity(tmp_path / "other", common_name="别的证书")
    return sign_pdf(render_minutes_pdf(meeting), other)


def _cut_short(pdf: bytes, _tmp_path: Path, _meeting) -> bytes:
    return pdf[: len(pdf) // 2]


@pytest.mark.parametrize(("spoil", "reason"), [
    (_one_byte_changed, "modified"), (_signed_again_elsewhere, "untrusted"),
    (_cut_short, "unreadable")])
def test_a_file_that_is_not_valid_gets_one_line_saying_why(app, world, db, tmp_path, spoil,
                                                           reason):
    """(A valid file's line is checked with the other ways of verifying, in
    tests/test_minutes_pdf.py.)"""
    meeting = signed_meeting(world)
    document = db.session.scalar(db.select(MinutesDocument))

    done = _verify(app, tmp_path, spoil(document.pdf, tmp_path, meeting))

    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"INVALID: {shown(VERDICT_REASONS[reason])}"]
