"""Labels of stored values follow the language they are shown in, also within one request."""
from pathlib import Path

import pytest

from tracker.cases.models import CaseState
from tracker.core.i18n import gettext, lazy_gettext as _l, speaking
from tracker.core.labels import label


def test_a_label_is_in_the_language_of_the_moment(app):
    with app.test_request_context():
        with speaking("zh"):
            chinese = label(CaseState.closed)
            assert chinese == str(_l("Closed")) != "Closed"
        with speaking("en"):
            assert label(CaseState.closed) == "Closed"  # not the Chinese shown a moment ago
        with speaking("zh"):
            assert label(CaseState.closed) == chinese


def test_outside_a_request_it_is_the_default_language(app):
    with app.app_context():
        assert label(CaseState.closed) == str(_l("Closed"))


def test_after_another_language_the_request_speaks_its_own_again(app, client):
    with app.test_request_context():
        assert gettext("Closed") != "Closed"  # the request's language: Chinese
        with pytest.raises(RuntimeError), speaking("en"):
            assert gettext("Closed") == "Closed"
            raise RuntimeError("the document failed half-way")
        assert gettext("Closed") == str(_l("Closed")) != "Closed"


def test_the_language_is_switched_only_through_speaking():
    # Flask-Babel's force_locale alone would leave this request's catalogue in place.
    tracker = Path(__file__).resolve().parent.parent / "tracker"
    switching = [str(path.relative_to(tracker)) for path in tracker.rglob("*.py")
                 if "force_locale" in path.read_text(encoding="utf-8")]
    assert switching == ["core/i18n.py"]


def test_labels_end_with_the_colon_of_the_pages_language(world, login_as):
    from tests.meeting_factories import held_meeting
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    assert "背景：</strong>" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    client.post("/language/en", data={"next": "/"})
    english = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Background: </strong>" in english and "Background：" not in english


def test_brackets_commas_and_lists_follow_the_pages_language(world, login_as):
    from tests.meeting_factories import held_meeting
    meeting = held_meeting(world)
    case = meeting.agenda[0].case
    client = login_as(world.liaison)
    chinese = client.get(f"/cases/{case.id}").get_data(as_text=True)
    compound = f"{world.compound.name}（{world.community.name}）"
    assert compound in chinese and f"{world.liaison.name}，" in chinese
    client.post("/language/en", data={"next": "/"})
    english = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"{world.compound.name} ({world.community.name})" in english
    assert f"{world.liaison.name}, " in english
    # The timeline's states in ASCII brackets, its events in the past tense.
    assert "(Raised → On meeting agenda)" in english
    assert "put the case on a meeting&#39;s agenda" in english
    assert "（" not in english.split("<main", 1)[1].replace(world.compound.name, "")


def test_the_timeline_gives_a_vote_result_in_the_readers_language(world, login_as):
    from tests.helpers.minutes import close_with
    from tests.vote_factories import committee_vote
    vote = committee_vote(world, extra_members=4)
    close_with(vote, world, voting_for=3)
    case = vote.resolution.case
    client = login_as(world.liaison)
    chinese = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert vote.result["explanation_zh"] in chinese
    client.post("/language/en", data={"next": "/"})
    english = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert vote.result["explanation_zh"] not in english
    assert "closed the vote: passed" in english and "3/5 of all members for" in english
