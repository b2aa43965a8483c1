"""A small world to test scope with: two streets, three communities, four compounds.

    district 江汉区
      street 北湖街 ── community 横堤社区 ── compounds 德富花园 (业委会), 邮电小区 (物管会)
                   └─ community 北湖正街社区 ── compound 正街花园
      street 唐家墩街 ── community 新华西社区 ── compound 新华家园
"""
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal

from PIL import Image
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from tracker.audit.models import AuditEvent
from tracker.auth.models import LiaisonAssignment, MemberRole, Membership, OfficialScope, User
from tracker.cases.models import Case, CaseCategory, CasePhoto, CaseSource, CaseState
from tracker.cases.operations import raise_case
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

PASSWORD = "correct horse 1"


@functools.cache
def _password_hash() -> str:
    # Hashing is slow on purpose (scrypt, ~0.25 s); the world's ten users share one hash.
    return generate_password_hash(PASSWORD)


def make_user(username: str, name: str | None = None, **kwargs) -> User:
    user = User(username=username, name=name or username, password_hash=_password_hash(),
                session_epoch=1, **kwargs)
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


def set_state(case: Case, state: CaseState) -> Case:
    """Put a case in ``state`` directly, as test set-up (the workflow is tested on its own)."""
    case.state = state
    db.session.commit()
    return case


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A phone photo: EXIF with the camera make, an orientation and the GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"   # Make
    exif[0x0112] = 6              # Orientation: rotate 90° when shown
    gps = exif.get_ifd(0x8825)    # GPSInfo
    gps.update({1: "N", 2: (30.0, 35.0, 12.0), 3: "E", 4: (114.0, 16.0, 3.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (20, 160, 20)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Committed rows per table that a form could write to, read on a connection of its own."""
    tables = {"cases": Case, "photos": CasePhoto, "audit_events": AuditEvent, "units": Unit}
    with db.engine.connect() as connection:
        return {name: connection.scalar(select(func.count()).select_from(model.__table__))
                for name, model in tables.items()}
