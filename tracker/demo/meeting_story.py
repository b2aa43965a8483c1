"""The 德富花园 water-pump joint meeting from the seed story, held and signed, with its PDF."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.meetings import issuing, operations
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import AttendanceStatus, MeetingKind
from tracker.places.models import Compound

SHANGHAI = ZoneInfo("Asia/Shanghai")


def load_water_pump_meeting(users: dict[str, User], defu: Compound, password: str) -> None:
    hu = users["hushaoyi"]
    pump = next(c for c in defu_cases(defu) if "停水" in c.title and c.state.value == "raised")
    starts_at = datetime(2026, 11, 20, 19, 30, tzinfo=SHANGHAI)
    meeting = operations.create_meeting(
        hu, defu.community, [defu], kind=MeetingKind.regular,
        title="德富花园供水泵更换及中心花园改造", starts_at=starts_at,
        place="横堤社区党群服务中心二楼会议室", convener=hu, chair=hu, recorder=hu,
        year=starts_at.year)
    operations.add_to_agenda(meeting, pump, hu, expected_version=pump.version)
    present = ["wangli", "chenguoqiang", "yezhu2", "yezhu3", "yezhu5", "lvjuan"]
    statuses = {}
    for party, membership in operations.expected_people(meeting):
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
            "decision": "由物业公司更换小区二次供水泵，居委会担保、业委会监督，完工后回访居民。",
            "responsible": "德富花园物业服务有限公司",
            "deadline": "15个工作日内完成"}},
        "other_business": "中心花园杂草清理及改造方案下次会议讨论。"})
    sha = content_sha256(meeting)
    for username in ("wangli", "chenguoqiang", "lvjuan"):
        operations.sign_minutes(meeting, users[username], password=password,
                                client_address="127.0.0.1", drawing_png=None,
                                expected_sha256=sha)
    operations.lock_minutes(meeting, hu, issuing.issue_minutes_pdf)


def defu_cases(defu: Compound) -> list[Case]:
    from tracker.extensions import db
    return list(db.session.scalars(select(Case).where(Case.compound_id == defu.id)
                                   .order_by(Case.id)))
