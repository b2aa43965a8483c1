"""The 德富花园 water-pump joint meeting from the seed story, held and signed, with its PDF."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.cases.models import CaseCategory as Cat
from tracker.cases.models import CaseSource as Src
from tracker.cases.operations import raise_case
from tracker.core.time import utcnow
from tracker.followup import operations as followup
from tracker.followup.models import Satisfaction, VisitMethod
from tracker.meetings import operations, queries
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import AttendanceStatus, MeetingKind
from tracker.places.models import Compound, PartyKind
from tracker.voting import operations as voting
from tracker.voting.models import DeadlineTier, DecidingBody

SHANGHAI = ZoneInfo("Asia/Shanghai")


def evening_days_ago(days: int, at: time) -> datetime:
    """A Beijing evening ``days`` before the day the demo is loaded: the story's dates move
    with the day it is loaded, so it never expires."""
    today = utcnow().astimezone(SHANGHAI).date()
    return datetime.combine(today - timedelta(days=days), at, SHANGHAI)


def load_water_pump_meeting(users: dict[str, User], defu: Compound, password: str) -> None:
    hu = users["hushaoyi"]
    pump = next(c for c in defu_cases(defu) if "停水" in c.title and c.state.value == "raised")
    starts_at = evening_days_ago(16, time(19, 30))
    meeting = operations.create_meeting(
        hu, defu.community, [defu], kind=MeetingKind.regular,
        title="德富花园供水泵更换及中心花园改造", starts_at=starts_at,
        place="横堤社区党群服务中心二楼会议室", convener=hu, chair=hu, recorder=hu,
        year=starts_at.year)
    operations.add_to_agenda(meeting, pump, hu, expected_version=pump.version)
    fund = raise_case(hu, defu, title="动用专项维修资金更换二次供水泵", category=Cat.maintenance_fund,
                      source=Src.evening_forum,
                      description="更换水泵费用拟从小区专项维修资金列支，须由业主共同决定"
                                  "（民法典第二百七十八条第一款第五项）。")
    operations.add_to_agenda(meeting, fund, hu, expected_version=fund.version)
    present = ["wangli", "chenguoqiang", "yezhu2", "yezhu3", "yezhu5", "lvjuan"]
    statuses = {}
    for party, membership in queries.expected_people(meeting):
        username = membership.user.username
        status = AttendanceStatus.present if username in present else AttendanceStatus.leave
        statuses[membership.user_id] = (party.id, status)
    operations.record_attendance(meeting, hu, statuses)
    operations.add_guest(meeting, hu, "刘小华", "德富花园居民代表", AttendanceStatus.non_voting)
    operations.mark_held(meeting, hu)
    views = {
        "residents_committee": "居委会愿意为新引进的物业公司提供担保，协调各方尽快解决停水问题。",
        "owners_committee": "业委会同意由物业公司先行垫资更换水泵，费用按协商方案分担。",
        "property_company": "物业公司承诺投入资金更换水泵、改造中心花园，并加强保安巡查。",
    }
    operations.save_minutes(meeting, hu, base_revision=0, content={
        "items": {str(pump.id): {
            "background": "小区供水泵老化，间歇性停水已持续数年，居民多次上访。",
            "views": views,
            # The decision itself is the resolution voted on below; the note adds what it
            # leaves out.
            "decision": "完工后由居委会组织回访居民，回访结果报街道。",
            "responsible": "", "deadline": ""}},
        "other_business": "中心花园杂草清理及改造方案下次会议讨论。"})
    # Votes taken at the meeting, before the minutes are signed, so the minutes record them.
    committee_vote(meeting, pump, users, hu)
    owners_assembly_vote(meeting, fund, hu)
    sha = content_sha256(meeting)
    for username in ("wangli", "chenguoqiang", "lvjuan"):
        operations.sign_minutes(meeting, users[username], password=password,
                                client_address="127.0.0.1", drawing_png=None,
                                expected_sha256=sha)
    operations.lock_minutes(meeting, hu)
    pump_follow_up(pump, users, hu)


def committee_vote(meeting, pump: Case, users: dict[str, User], hu: User) -> None:
    """业委会 at the meeting: 3 of its 5 members for — more than half of all members."""
    resolution = voting.propose_resolution(
        meeting, pump, hu, text="由物业公司先行垫资更换小区二次供水泵，居委会担保，业委会监督验收。",
        responsible_party=pump.compound.party_of(PartyKind.property_company),
        responsible_text="", tier=DeadlineTier.complex, body=DecidingBody.owners_committee,
        matter=None, expected_version=pump.version)
    vote = voting.open_vote(resolution, hu, at_meeting=True, closes_at=None)
    for username, choice in (("chenguoqiang", "for"), ("yezhu2", "for"), ("yezhu3", "for"),
                             ("yezhu5", "against")):
        voting.cast_ballot(vote, users[username], choice)
    voting.close_vote(vote, hu)


def owners_assembly_vote(meeting, fund: Case, hu: User) -> None:
    """Using the maintenance fund (art. 278 item 5): the liaison enters the signed paper ballots
    collected door to door; more than half of the participating area and owners agree."""
    resolution = voting.propose_resolution(
        meeting, fund, hu, text="同意从专项维修资金中列支二次供水泵更换费用。",
        responsible_party=fund.compound.party_of(PartyKind.owners_committee),
        responsible_text="", tier=DeadlineTier.complex, body=DecidingBody.owners_assembly,
        matter="use_fund", expected_version=fund.version)
    # The door-to-door round has a fortnight; the liaison closes it once every ballot is in.
    vote = voting.open_vote(resolution, hu, at_meeting=False,
                            closes_at=evening_days_ago(-14, time(18, 0)))
    units = vote.eligible["units"]
    choices = {}
    for n, unit in enumerate(units):
        if n % 10 == 9 or unit["developer_unsold"]:
            continue  # not reached by the door-to-door round
        choices[unit["unit_id"]] = "against" if n % 10 == 8 else "for"
    # The owner of 1栋101 and 1栋102 is one person with one choice (SPC interpretation art. 9).
    voting.enter_owner_ballots(vote, hu, choices)
    voting.close_vote(vote, hu)


def pump_follow_up(pump: Case, users: dict[str, User], hu: User) -> None:
    """The new company replaces the pump; the resident is satisfied; the case closes."""
    [task] = followup.tasks_of(pump)
    followup.report_progress(task, users["lvjuan"], note="新水泵已进场，旧管路同步检修。",
                             progress=60)
    followup.report_progress(task, users["lvjuan"], note="二次供水泵更换完成，试运行一周未再停水；"
                             "中央花园清理改造同步完成，物业费收缴率已升至95%以上。", progress=100)
    followup.record_visit(pump, hu, method=VisitMethod.home_visit,
                          satisfaction=Satisfaction.satisfied,
                          comment="刘小华：再没停过水，花园也能散步了，满意。",
                          expected_version=pump.version)


def defu_cases(defu: Compound) -> list[Case]:
    from tracker.extensions import db
    return list(db.session.scalars(select(Case).where(Case.compound_id == defu.id)
                                   .order_by(Case.id)))
