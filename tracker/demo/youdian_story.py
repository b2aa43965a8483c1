"""邮电三公司小区 (management-committee mode): the parking case decided by the 物管会."""
from datetime import time, timedelta

from sqlalchemy import select

from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.core.time import utcnow
from tracker.demo.meeting_story import evening_days_ago
from tracker.extensions import db
from tracker.followup import operations as followup
from tracker.meetings import operations, queries
from tracker.meetings.models import AttendanceStatus, MeetingKind
from tracker.places.models import Compound, PartyKind
from tracker.voting import operations as voting
from tracker.voting.models import DeadlineTier, DecidingBody


def load_parking_meeting(users: dict[str, User], youdian: Compound) -> None:
    zhou = users["zhoumin"]
    parking = db.session.scalar(select(Case).where(Case.compound_id == youdian.id,
                                                   Case.title.contains("乱停")))
    starts_at = evening_days_ago(18, time(19, 0))
    meeting = operations.create_meeting(
        zhou, youdian.community, [youdian], kind=MeetingKind.regular,
        title="邮电三公司小区停车秩序", starts_at=starts_at, place="北湖正街社区居委会",
        convener=zhou, chair=users["zhangjianguo"], recorder=zhou, year=starts_at.year)
    operations.add_to_agenda(meeting, parking, zhou, expected_version=parking.version)
    operations.record_attendance(meeting, zhou, {
        m.user_id: (party.id, AttendanceStatus.present)
        for party, m in queries.expected_people(meeting)})
    operations.mark_held(meeting, zhou)
    # A first draft of the minutes, so the 物管会 and the community can read and sign it.
    operations.save_minutes(meeting, zhou, base_revision=0, content={
        "items": {str(parking.id): {
            "background": "小区车位本就少，外来车辆随意停放，行人走路难，车主间常因刮蹭扯皮。",
            "views": {
                "residents_committee": "居委会支持有序停车，协助公示收费方案。",
                "management_committee": "物管会提出收取停车费、聘请门卫登记外来车辆。"},
            "decision": "停车收费标准另行公示七日后执行。", "responsible": "", "deadline": ""}},
        "other_business": ""})
    resolution = voting.propose_resolution(
        meeting, parking, zhou, text="由物管会向停放车辆收取停车费，聘请门卫登记外来车辆，"
                                     "停车费用于聘请清洁员和门房。",
        responsible_party=youdian.party_of(PartyKind.management_committee),
        responsible_text="", tier=DeadlineTier.general,
        body=DecidingBody.management_committee, matter=None,
        expected_version=parking.version)
    vote = voting.open_vote(resolution, zhou, at_meeting=True, closes_at=None)
    for username, choice in (("zhangjianguo", "for"), ("hongzhaozhen", "for"),
                             ("wuguiying", "for"), ("zhenghai", "abstain")):
        voting.cast_ballot(vote, users[username], choice)
    voting.close_vote(vote, zhou)
    # The gatekeeper was hired late: the task is shown overdue (its deadline set in the past,
    # as if the vote had been a fortnight ago).
    [task] = followup.tasks_of(parking)
    task.due_at = utcnow() - timedelta(days=3)
    followup.report_progress(task, users["zhangjianguo"], note="停车收费方案已公示，门卫尚在招聘。",
                             progress=40)
