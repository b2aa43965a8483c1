"""The people and places of the seed story, and nothing else: the browser tests do the rest.

``python -m tests.e2e.world`` migrates the empty database named by ``DATABASE_URL`` and fills it.
The usernames, names and password are the demo's (``flask --app tracker demo load``), so the
guide's screenshots match what ``make demo`` shows; unlike the demo, no case exists yet.
"""
from decimal import Decimal

from tracker.auth.models import LiaisonAssignment, MemberRole, Membership, OfficialScope, User
from tracker.extensions import db
from tracker.places.models import (
    Community,
    Compound,
    District,
    GovernanceMode,
    Party,
    PartyKind,
    Street,
)

PASSWORD = "demo2026"

PEOPLE = {
    "libaohong": ("李宝红", "13900000001"),      # 江汉区委组织部副部长: district official
    "liujiuli": ("刘久利", "13900000002"),       # 北湖街工委书记: street official
    "hushaoyi": ("胡绍移", "13900000003"),       # 横堤社区党委书记: liaison for 德富花园
    "zhoumin": ("周敏", "13900000004"),          # 北湖正街社区 liaison for 邮电三公司小区
    "lvjuan": ("吕娟", "13900000005"),           # 德富花园 property manager
    "wangli": ("王丽", "13900000006"),           # 横堤社区居委会
    "chenguoqiang": ("陈国强", "13900000007"),   # 德富花园业委会主任
    "yezhu2": ("李桂芳", "13900000008"),
    "yezhu3": ("张卫东", "13900000009"),
    "yezhu4": ("赵秀英", "13900000010"),
    "yezhu5": ("孙建华", "13900000011"),
    "zhangjianguo": ("张建国", "13900000012"),   # 北湖正街社区主任, chairs the 物管会
    "hongzhaozhen": ("洪昭珍", "13900000013"),   # 楼栋党小组长, 物管会 owner representative
    "wuguiying": ("吴桂英", "13900000014"),
    "zhenghai": ("郑海", "13900000015"),
}


def build_world() -> None:
    users = {}
    for username, (name, phone) in PEOPLE.items():
        users[username] = User(username=username, name=name, phone=phone)
    first = next(iter(users.values()))
    first.set_password(PASSWORD)
    for user in users.values():  # one scrypt hash (a quarter second) shared by all
        user.password_hash, user.session_epoch = first.password_hash, first.session_epoch
    db.session.add_all(users.values())

    jianghan = District(name="江汉区")
    beihu = Street(district=jianghan, name="北湖街")
    hengdi = Community(street=beihu, name="横堤社区")
    zhengjie = Community(street=beihu, name="北湖正街社区")
    defu = Compound(community=hengdi, name="德富花园", code="DFHY", households=120,
                    total_area=Decimal("11000.00"), address="北湖街横堤社区",
                    governance_mode=GovernanceMode.owners_committee)
    youdian = Compound(community=zhengjie, name="邮电三公司小区", code="YDSG", households=36,
                       total_area=Decimal("2900.00"), address="北湖正街社区",
                       governance_mode=GovernanceMode.management_committee)
    db.session.add_all([jianghan, defu, youdian])

    def party(compound, kind, name, members):
        p = Party(compound=compound, kind=kind, name=name)
        db.session.add(p)
        for username, role, votes in members:
            db.session.add(Membership(user=users[username], party=p, role=role, votes=votes))

    party(defu, PartyKind.residents_committee, "横堤社区居委会",
          [("wangli", MemberRole.member, False)])
    party(defu, PartyKind.owners_committee, "德富花园业主委员会",
          [("chenguoqiang", MemberRole.chair, True)]
          + [(f"yezhu{n}", MemberRole.member, True) for n in (2, 3, 4, 5)])
    party(defu, PartyKind.property_company, "德富花园物业服务有限公司",
          [("lvjuan", MemberRole.manager, False)])
    party(youdian, PartyKind.residents_committee, "北湖正街社区居委会",
          [("zhangjianguo", MemberRole.chair, False)])
    # The 物管会 is chaired by the residents' committee (北京市物业管理条例 art. 53).
    party(youdian, PartyKind.management_committee, "邮电三公司小区物业管理委员会",
          [("zhangjianguo", MemberRole.chair, True)]
          + [(u, MemberRole.owner_representative, True)
             for u in ("hongzhaozhen", "wuguiying", "zhenghai")])
    db.session.add_all([
        LiaisonAssignment(user=users["hushaoyi"], community=hengdi),
        LiaisonAssignment(user=users["zhoumin"], community=zhengjie),
        OfficialScope(user=users["liujiuli"], street=beihu),
        OfficialScope(user=users["libaohong"], district=jianghan),
    ])
    db.session.commit()


if __name__ == "__main__":
    from flask_migrate import upgrade

    from tracker import create_app

    with create_app().app_context():
        upgrade()  # as ``flask --app tracker db upgrade`` does
        build_world()
