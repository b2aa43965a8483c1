"""Revisioned minutes: stale saves refused with both texts kept; edits after signing clear them."""
from sqlalchemy import func, select

from tests.meeting_factories import held_meeting, sign
from tracker.meetings.minutes import current_revision
from tracker.meetings.models import MinutesRevision
from tracker.meetings.queries import valid_signatures


def _form(meeting, base: int, decision: str, **extra) -> dict:
    key = str(meeting.agenda[0].case_id)
    return {"base_revision": str(base), f"item-{key}-decision": decision,
            f"item-{key}-background": "背景", "other_business": "", **extra}


def _revisions(db, meeting) -> int:
    return db.session.scalar(select(func.count(MinutesRevision.id)).where(
        MinutesRevision.meeting_id == meeting.id))


def test_each_save_keeps_a_revision_and_history_shows_who(world, login_as, db):
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    response = client.post(f"/meetings/{meeting.id}/minutes", data=_form(meeting, 1, "第二稿"))
    assert response.status_code == 302
    assert _revisions(db, meeting) == 2
    history = client.get(f"/meetings/{meeting.id}/minutes/history").get_data(as_text=True)
    assert "第二稿" in history and "物业公司更换水泵" in history
    assert world.liaison.name in history


def test_stale_save_is_refused_and_both_texts_are_shown(world, login_as, db):
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    assert client.post(f"/meetings/{meeting.id}/minutes",
                       data=_form(meeting, 1, "甲的修改")).status_code == 302
    stale = client.post(f"/meetings/{meeting.id}/minutes", data=_form(meeting, 1, "乙的修改"))
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "乙的修改" in page   # what this person typed is kept in the form
    assert "甲的修改" in page   # and the text saved meanwhile is shown beside it
    assert _revisions(db, meeting) == 2
    assert current_revision(meeting).content["items"][str(meeting.agenda[0].case_id)][
        "decision"] == "甲的修改"


def test_edit_after_a_signature_warns_then_clears_all_signatures(world, login_as, db):
    meeting = held_meeting(world)
    sign(meeting, world.owners_member)
    db.session.commit()
    client = login_as(world.liaison)
    page = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "clears all of them" in page or "签名将全部作废" in page or "清除" in page
    unconfirmed = client.post(f"/meetings/{meeting.id}/minutes", data=_form(meeting, 1, "改动"))
    assert unconfirmed.status_code == 400
    assert len(valid_signatures(meeting)) == 1
    confirmed = client.post(f"/meetings/{meeting.id}/minutes",
                            data=_form(meeting, 1, "改动", confirm_clear="y"))
    assert confirmed.status_code == 302
    assert valid_signatures(meeting) == []


def test_only_liaison_or_recorder_edits_minutes(world, login_as):
    meeting = held_meeting(world)
    assert login_as(world.owners_member).get(
        f"/meetings/{meeting.id}/minutes").status_code == 403
    assert login_as(world.official).get(f"/meetings/{meeting.id}/minutes").status_code == 403
    assert login_as(world.official_out).get(f"/meetings/{meeting.id}/minutes").status_code == 404


def test_a_concurrent_change_of_the_meeting_is_a_conflict_not_an_error(world, login_as, db,
                                                                     monkeypatch):
    """Someone else changes the meeting (here: its version) between this save's read and write:
    the save is refused with 409, the text kept, nothing written."""
    from sqlalchemy import update

    from tracker.meetings import operations
    from tracker.meetings.models import Meeting
    meeting = held_meeting(world)
    real_save = operations.save_minutes

    def save_after_someone_else(meeting, *args, **kwargs):
        with db.engine.begin() as other:
            other.execute(update(Meeting).where(Meeting.id == meeting.id)
                          .values(version=Meeting.version + 1))
        return real_save(meeting, *args, **kwargs)

    monkeypatch.setattr(operations, "save_minutes", save_after_someone_else)
    response = login_as(world.liaison).post(f"/meetings/{meeting.id}/minutes",
                                            data=_form(meeting, 1, "同时修改"))
    assert response.status_code == 409
    assert "同时修改" in response.get_data(as_text=True)
    assert _revisions(db, meeting) == 1
