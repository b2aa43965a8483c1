"""A small world to test scope with: two streets, three communities, four compounds.

    district 江汉区
      street 北湖街 ── community 横堤社区 ── compounds 德富花园 (业委会), 邮电小区 (物管会)
                   └─ community 北湖正街社区 ── compound 正街花园
      street 唐家墩街 ── community 新华西社区 ── compound 新华家园
"""
import io
from dataclasses import dataclass, field
from decimal import Decimal

from PIL import Image

from tracker.auth.models import LiaisonAssignment, MemberRole, Membership, OfficialScope, User
from tracker.cases.models import Case, CaseCategory, CaseSource
from tracker.cases.operations import raise_case
from tracker.extensions import db
from tracker.places.models import (Community, Compound, District, GovernanceMode, Party,
                                   PartyKind, Street)

PASSWORD = "correct horse 1"


def make_user(username: str, name: str | None = None, **kwargs) -> User:
    user = User(username=username, name=name or username, **kwargs)
    user.set_password(PASSWORD)
    db.session.add(user)
    return user


def make_compound(community, name, code, mode=GovernanceMode.owners_committee) -> Compound:
    compound = Compound(community=community, name=name, code=code, governance_mode=mode,
                        households=100, total_area=Decimal("9000.00"))
    db.session.add(compound)
    kinds = [PartyKind.residents_committee,
             PartyKind.owners_committee if mode == GovernanceMode.owners_committee
             else PartyKind.management_committee, PartyKind.property_company]
    for kind in kinds:
        db.session.add(Party(compound=compound, kind=kind, name=f"{name}{kind.value}"))
    return compound


@dataclass
class World:
    district: District
    street: Street
    other_street: Street
    community: Community
    compound: Compound
    mc_compound: Compound
    neighbour_compound: Compound
    far_compound: Compound
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name):  # world.liaison, world.admin …
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def make_world() -> World:
    district = District(name="江汉区")
    street = Street(district=district, name="北湖街")
    other_street = Street(district=district, name="唐家墩街")
    community = Community(street=street, name="横堤社区")
    neighbour = Community(street=street, name="北湖正街社区")
    far = Community(street=other_street, name="新华西社区")
    db.session.add(district)
    world = World(district=district, street=street, other_street=other_street,
                  community=community,
                  compound=make_compound(community, "德富花园", "DFHY"),
                  mc_compound=make_compound(community, "邮电小区", "YD",
                                            GovernanceMode.management_committee),
                  neighbour_compound=make_compound(neighbour, "正街花园", "ZJ"),
                  far_compound=make_compound(far, "新华家园", "XH"))
    db.session.flush()
    u = world.users
    u["admin"] = make_user("admin", "管理员", is_admin=True)
    u["liaison"] = make_user("liaison", "胡绍移", phone="13900000003")
    u["liaison_out"] = make_user("liaison_out", "周敏")
    u["owners_member"] = make_user("owners_member", "陈国强")
    u["property_rep"] = make_user("property_rep", "吕娟")
    u["residents_member"] = make_user("residents_member", "王丽")
    u["official"] = make_user("official", "刘久利")
    u["official_out"] = make_user("official_out", "赵强")
    u["district_official"] = make_user("district_official", "李宝红")
    u["nobody"] = make_user("nobody", "无权限")
    db.session.flush()
    parties = {p.kind: p for p in world.compound.parties}
    db.session.add_all([
        Membership(user=u["owners_member"], party=parties[PartyKind.owners_committee],
                   role=MemberRole.member, votes=True),
        Membership(user=u["property_rep"], party=parties[PartyKind.property_company],
                   role=MemberRole.manager),
        Membership(user=u["residents_member"], party=parties[PartyKind.residents_committee],
                   role=MemberRole.member),
        LiaisonAssignment(user=u["liaison"], community=community),
        LiaisonAssignment(user=u["liaison_out"], community=neighbour),
        OfficialScope(user=u["official"], street=street),
        OfficialScope(user=u["official_out"], street=other_street),
        OfficialScope(user=u["district_official"], district=district),
    ])
    db.session.commit()
    return world


def make_case(compound: Compound, actor: User, title="水泵老化，间歇性停水", **kwargs) -> Case:
    values = dict(title=title, category=CaseCategory.water_supply,
                  source=CaseSource.evening_forum, description="居民反映时常停水。")
    values.update(kwargs)
    case = raise_case(actor, compound, **values)
    db.session.commit()
    return case


def image_bytes(fmt="JPEG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()
