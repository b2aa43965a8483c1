"""江汉区北湖街 as told in the press report (shared/seed): places, people and their cases.

Names of real people come from the report; the other committee members are invented and say so
in their role. Cases are taken only as far as the features built so far allow.
"""
from decimal import Decimal

from sqlalchemy import select

from tracker.auth.models import LiaisonAssignment, MemberRole, Membership, OfficialScope, User
from tracker.cases.models import CaseCategory as Cat
from tracker.cases.models import CaseSource as Src
from tracker.cases.operations import raise_case
from tracker.cases.workflow import Action, transition
from tracker.demo.meeting_story import load_water_pump_meeting
from tracker.demo.youdian_story import load_parking_meeting
from tracker.extensions import db
from tracker.places.models import (
    Community,
    Compound,
    District,
    GovernanceMode,
    Party,
    PartyKind,
    Street,
    Unit,
)

DEMO_PASSWORD = "demo2026"

# (username, name, phone, role description)
PEOPLE = [
    ("admin", "系统管理员", None, "管理员 administrator"),
    ("libaohong", "李宝红", "13900000001", "江汉区委组织部副部长 (district official)"),
    ("liujiuli", "刘久利", "13900000002", "北湖街工委书记 (street official)"),
    ("hushaoyi", "胡绍移", "13900000003", "横堤社区党委书记、联络员 (liaison)"),
    ("zhoumin", "周敏", "13900000004", "北湖正街社区联络员 (liaison, invented)"),
    ("lvjuan", "吕娟", "13900000005", "德富花园物业主管 (property company)"),
    ("wangli", "王丽", "13900000006", "横堤社区居委会委员 (residents' committee, invented)"),
    ("chenguoqiang", "陈国强", "13900000007", "德富花园业委会主任 (owners' committee, invented)"),
    ("yezhu2", "李桂芳", "13900000008", "德富花园业委会委员 (invented)"),
    ("yezhu3", "张卫东", "13900000009", "德富花园业委会委员 (invented)"),
    ("yezhu4", "赵秀英", "13900000010", "德富花园业委会委员 (invented)"),
    ("yezhu5", "孙建华", "13900000011", "德富花园业委会委员 (invented)"),
    ("zhangjianguo", "张建国", "13900000012", "北湖正街社区主任、物管会主任 (invented)"),
    ("hongzhaozhen", "洪昭珍", "13900000013", "邮电三公司小区楼栋党小组长、物管会业主代表"),
    ("wuguiying", "吴桂英", "13900000014", "邮电三公司小区物管会业主代表 (invented)"),
    ("zhenghai", "郑海", "13900000015", "邮电三公司小区物管会业主代表 (invented)"),
    ("zhaoqiang", "赵强", "13900000016", "唐家墩街干部 (another street's official, invented)"),
]


def _units(compound: Compound, buildings: int, per_building: int, seed: int) -> None:
    """A plausible property register: areas 60–140 m², one owner with two units, and unsold
    developer units, so owners' ballots have the SPC art. 9 counting cases to show."""
    total = Decimal("0")
    for b in range(1, buildings + 1):
        for n in range(1, per_building + 1):
            area = Decimal(60 + (b * 37 + n * 53 + seed) % 81) + Decimal("0.50")
            number = f"{(n - 1) // 2 + 1}0{(n - 1) % 2 + 1}"
            owner = f"{compound.name}{b}栋{number}业主"
            unsold = b == buildings and n > per_building - 2
            if b == 1 and n == 2:
                owner = f"{compound.name}1栋101业主"  # owns 101 and 102
            unit = Unit(compound=compound, building=f"{b}栋", number=number,
                        owner_name="开发商（未售）" if unsold else owner,
                        owner_ref="developer" if unsold else owner, area=area,
                        developer_unsold=unsold)
            db.session.add(unit)
            total += area
    compound.households = buildings * per_building
    compound.total_area = total


def load_story() -> tuple[bool, list[tuple[str, str, str]]]:
    """Create the story unless it is there; return (created, logins)."""
    logins = [(u, n, r) for u, n, _p, r in PEOPLE]
    if db.session.scalar(select(District).where(District.name == "江汉区")):
        return False, logins

    users = {}
    for username, name, phone, _role in PEOPLE:
        user = User(username=username, name=name, phone=phone, is_admin=username == "admin")
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users[username] = user

    jianghan = District(name="江汉区")
    beihu = Street(district=jianghan, name="北湖街")
    tangjiadun = Street(district=jianghan, name="唐家墩街")
    hengdi = Community(street=beihu, name="横堤社区")
    zhengjie = Community(street=beihu, name="北湖正街社区")
    other = Community(street=tangjiadun, name="新华西社区")
    defu = Compound(community=hengdi, name="德富花园", code="DFHY",
                    governance_mode=GovernanceMode.owners_committee, address="北湖街横堤社区")
    youdian = Compound(community=zhengjie, name="邮电三公司小区", code="YDSG",
                       governance_mode=GovernanceMode.management_committee,
                       address="北湖正街社区")
    elsewhere = Compound(community=other, name="新华家园", code="XHJY",
                         governance_mode=GovernanceMode.owners_committee)
    db.session.add_all([jianghan, defu, youdian, elsewhere])
    _units(defu, buildings=6, per_building=20, seed=7)
    _units(youdian, buildings=3, per_building=12, seed=3)
    _units(elsewhere, buildings=2, per_building=10, seed=5)

    def party(compound, kind, name):
        p = Party(compound=compound, kind=kind, name=name)
        db.session.add(p)
        return p

    defu_rc = party(defu, PartyKind.residents_committee, "横堤社区居委会")
    defu_oc = party(defu, PartyKind.owners_committee, "德富花园业主委员会")
    defu_pc = party(defu, PartyKind.property_company, "德富花园物业服务有限公司")
    yd_rc = party(youdian, PartyKind.residents_committee, "北湖正街社区居委会")
    yd_mc = party(youdian, PartyKind.management_committee, "邮电三公司小区物业管理委员会")
    party(elsewhere, PartyKind.residents_committee, "新华西社区居委会")
    party(elsewhere, PartyKind.owners_committee, "新华家园业主委员会")

    def member(username, p, role, votes=False):
        db.session.add(Membership(user=users[username], party=p, role=role, votes=votes))

    member("wangli", defu_rc, MemberRole.member)
    member("chenguoqiang", defu_oc, MemberRole.chair, votes=True)
    for username in ("yezhu2", "yezhu3", "yezhu4", "yezhu5"):
        member(username, defu_oc, MemberRole.member, votes=True)
    member("lvjuan", defu_pc, MemberRole.manager)
    member("zhangjianguo", yd_rc, MemberRole.chair)
    # The 物管会 is chaired by the residents' committee (北京市物业管理条例 art. 53).
    member("zhangjianguo", yd_mc, MemberRole.chair, votes=True)
    for username in ("hongzhaozhen", "wuguiying", "zhenghai"):
        member(username, yd_mc, MemberRole.owner_representative, votes=True)

    db.session.add_all([
        LiaisonAssignment(user=users["hushaoyi"], community=hengdi),
        LiaisonAssignment(user=users["zhoumin"], community=zhengjie),
        OfficialScope(user=users["liujiuli"], street=beihu),
        OfficialScope(user=users["libaohong"], district=jianghan),
        OfficialScope(user=users["zhaoqiang"], street=tangjiadun),
    ])
    db.session.flush()

    hu, zhou, hong = users["hushaoyi"], users["zhoumin"], users["hongzhaozhen"]
    raise_case(hu, defu, title="供水系统故障，小区间歇性停水", category=Cat.water_supply,
               source=Src.evening_forum, resident_name="刘小华", resident_phone="13800001111",
               description="邻里夜话上居民反映：小区供水泵老化，时不时停水，严重影响生活。"
                           "物业公司认为是开发商遗留问题。需三方协商更换水泵。")
    raise_case(hu, defu, title="中心花园杂草一人多深，多年无人管理", category=Cat.greenery,
               source=Src.evening_forum, resident_name="刘小华",
               description="中心花园杂草丛生，像“原始森林”，居民希望改造为健身休闲区。")
    raise_case(users["wangli"], defu, title="小区偷抢财物案件多发", category=Cat.security,
               source=Src.walk_in,
               description="近期多户居民反映财物被盗，希望加强保安巡查密度、修复门禁。")
    raise_case(users["lvjuan"], defu, title="物业管理费收取率仅20%", category=Cat.property_fees,
               source=Src.survey,
               description="业主以服务差为由拒交物业费，收取率只有20%多；"
                           "希望三方协商服务改进方案和收费办法。")
    duplicate = raise_case(hu, defu, title="3栋停水（12345转办）", category=Cat.water_supply,
                           source=Src.hotline_12345, resident_name="刘小华",
                           resident_phone="13800001111",
                           description="12345热线转来：3栋停水。")
    transition(duplicate, Action.withdraw, hu, expected_version=duplicate.version,
               reason="与“供水系统故障，小区间歇性停水”重复，合并办理。")
    raise_case(hong, youdian, title="外来车辆在小区内乱停乱放", category=Cat.parking,
               source=Src.building_party_group,
               description="小区车位本就少，外来车辆随意停放，行人走路难，车主间常因刮蹭扯皮。"
                           "建议由物管会收取停车费、有序停车。")
    raise_case(zhou, youdian, title="楼上乱扔垃圾，垃圾箱无人清理", category=Cat.sanitation,
               source=Src.building_party_group, resident_name="洪昭珍",
               description="出租户多，有人从楼上扔垃圾，楼下垃圾箱常无人清理，夏天臭气很大。"
                           "建议用停车费聘请清洁员和门房。")
    raise_case(zhou, youdian, title="水管老化，楼上浸水、楼下漏水", category=Cat.facilities,
               source=Src.evening_forum,
               description="水管等设施老化，时常楼上浸水、楼下漏水，无人管事，邻里关系紧张。")
    load_water_pump_meeting(users, defu, DEMO_PASSWORD)
    load_parking_meeting(users, youdian)
    db.session.commit()
    return True, logins
