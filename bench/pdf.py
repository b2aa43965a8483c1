"""Minutes PDF speed: median of 10 renders of a 2-page and a 20-page minutes, and of signing.

    .venv/bin/python bench/pdf.py

Goal on the reference machine (2 cores): a 2-page minutes renders in ≤ 0.3 s warm and signs in
≤ 0.15 s. Downloading stored minutes touches no renderer (tests/test_minutes_pdf.py checks that).
"""
import io
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.cases.models import CaseCategory, CaseSource  # noqa: E402
from tracker.cases.operations import raise_case  # noqa: E402
from tracker.demo.story import load_story  # noqa: E402
from tracker.documents.pdf import render_pdf  # noqa: E402
from tracker.documents.signing import ensure_demo_identity, sign_pdf  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.meetings import issuing, operations  # noqa: E402
from tracker.meetings.models import Meeting, MeetingKind, MeetingState  # noqa: E402

RUNS = 10
PARAGRAPH = ("居民反映小区供水泵老化、时常停水，物业公司与业委会就费用分担多次协商，"
             "居委会提出由新物业先行垫资、业委会监督使用、完工后回访的方案。") * 3


def timed(fn, runs=RUNS):
    fn()  # warm: fonts loaded, templates compiled
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def meeting_with(items: int, title: str, text: str = PARAGRAPH) -> Meeting:
    signed = db.session.scalar(db.select(Meeting).where(Meeting.state == MeetingState.signed))
    liaison = signed.convener
    compound = signed.compounds[0]
    meeting = operations.create_meeting(
        liaison, signed.community, [compound], kind=MeetingKind.regular, title=title,
        starts_at=datetime(2026, 11, 21, 11, 0, tzinfo=timezone.utc), place="会议室",
        convener=liaison, chair=liaison, recorder=liaison, year=2026)
    content = {"items": {}, "other_business": text}
    for n in range(items):
        case = raise_case(liaison, compound, title=f"议题{n + 1}", category=CaseCategory.other,
                          source=CaseSource.survey, description=text)
        operations.add_to_agenda(meeting, case, liaison, expected_version=case.version)
        content["items"][str(case.id)] = {"background": text, "views": {},
                                          "decision": text, "responsible": "物业公司",
                                          "deadline": "15个工作日"}
    operations.record_attendance(meeting, liaison, {
        a.user_id: (a.party_id, a.status) for a in signed.attendance if a.user_id})
    operations.mark_held(meeting, liaison)
    operations.save_minutes(meeting, liaison, base_revision=0, content=content)
    return meeting


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    identity = ensure_demo_identity(folder / "signing")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "SIGNING_CERT": str(identity.cert_path),
                      "SIGNING_KEY": str(identity.key_path)})
    with app.app_context(), app.test_request_context():
        db.create_all()
        load_story()
        short = meeting_with(1, "两页纪要", text=PARAGRAPH[:60])
        long = meeting_with(24, "二十页纪要")
        identity = issuing.signing_identity()
        for name, meeting in (("short", short), ("long", long)):
            pdf = issuing.render_minutes_pdf(meeting)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            html = app.jinja_env.get_template("meetings/minutes_pdf.html").render(
                **issuing.minutes_context(meeting, for_pdf=True))
            render = timed(lambda: render_pdf(html))  # noqa: B023 - called at once
            sign = timed(lambda: sign_pdf(pdf, identity))  # noqa: B023
            print(f"{name:>5} minutes: {pages:>2} pages, {len(pdf) // 1024:>4} KiB  "
                  f"render median {render:.3f} s  sign median {sign:.3f} s  (n={RUNS})")


if __name__ == "__main__":
    main()
