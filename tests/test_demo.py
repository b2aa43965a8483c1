"""The seed-story demo loads, tells the story end to end, and loads only once."""
from sqlalchemy import func, select

from tracker.cases.models import Case, CaseState
from tracker.core.time import to_local, utcnow
from tracker.meetings.models import MinutesDocument
from tracker.meetings.verification import verify_minutes_pdf
from tracker.voting.models import Vote


def test_demo_loads_the_story_once(app, db):
    runner = app.test_cli_runner()
    # The demo raises its cases on the day it is loaded, so they are numbered in this year.
    year = to_local(utcnow(), "Asia/Shanghai").year
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "hushaoyi" in first.output and "demo data loaded" in first.output
    states = dict(db.session.execute(select(Case.number, Case.state)).all())
    assert states[f"DFHY-{year}-001"] == CaseState.closed        # the water pump, end to end
    assert states[f"YDSG-{year}-001"] == CaseState.follow_up     # parking, its task overdue
    assert CaseState.withdrawn in states.values()
    assert [v.result["passed"] for v in db.session.scalars(select(Vote).order_by(Vote.id))] \
        == [True, True, True]
    document = db.session.scalar(select(MinutesDocument))
    assert verify_minutes_pdf(document.pdf).valid
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert db.session.scalar(select(func.count(Case.id))) == len(states)
