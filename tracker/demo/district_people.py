"""Names, logins and the parties of each generated compound."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from tracker.auth.models import MemberRole, Membership, User
from tracker.demo import district_texts as texts
from tracker.extensions import db
from tracker.places.models import Community, Compound, GovernanceMode, Party, PartyKind

PHONE_BASE = 13600000000  # generated logins: 136xxxxxxxx (the seed-story demo uses 139…)


class Logins:
    """Hands out phone numbers nobody uses yet, as phone and as username (people log in with
    either); one password hash for everyone, computed once (hashing is slow on purpose)."""

    def __init__(self, password_hash: str, created_at: datetime):
        taken = db.session.execute(select(User.username, User.phone)).all()
        self.taken = {value for row in taken for value in row if value}
        self.next = PHONE_BASE
        self.password_hash = password_hash
        self.created_at = created_at
        self.created = 0

    def user(self, name: str) -> User:
        while True:
            self.next += 1
            phone = str(self.next)
            if phone not in self.taken:
                break
        self.taken.add(phone)
        self.created += 1
        user = User(username=phone, phone=phone, name=name, password_hash=self.password_hash,
                    session_epoch=1, created_at=self.created_at)
        db.session.add(user)
        return user


class Names:
    """Place and person names, unique where the schema or common sense wants them unique."""

    def __init__(self, rng: random.Random, taken_codes: set[str]):
        self.rng = rng
        self.codes = set(taken_codes)
        self.compounds: set[str] = set()

    def person(self) -> str:
        return self.rng.choice(texts.SURNAMES) + self.rng.choice(texts.GIVEN_NAMES)

    def streets(self, n: int) -> list[str]:
        words = self.rng.sample(texts.STREET_WORDS, min(n, len(texts.STREET_WORDS)))
        names = [w + self.rng.choice(["街道", "街道", "街"]) for w in words]
        return names + [f"第{i}街道" for i in range(len(names) + 1, n + 1)]

    def communities(self, n: int) -> list[str]:
        pool = [w + s + "社区" for w in texts.COMMUNITY_WORDS for s in texts.COMMUNITY_SUFFIXES]
        names = list(dict.fromkeys(self.rng.sample(pool, len(pool))))[:n]
        return names + [f"第{i}社区" for i in range(len(names) + 1, n + 1)]

    def compound(self, work_unit: bool) -> tuple[str, str]:
        """(name, code): a name unique in the district, a code unique in the database."""
        for attempt in range(50):
            if work_unit:
                (word, w), (suffix, s) = (self.rng.choice(texts.WORK_UNITS),
                                          self.rng.choice(texts.WORK_UNIT_SUFFIXES))
            else:
                (word, w), (suffix, s) = (self.rng.choice(texts.ESTATE_WORDS),
                                          self.rng.choice(texts.ESTATE_SUFFIXES))
            name = word + suffix
            if attempt > 20:
                name += self.rng.choice(texts.PHASES)
            if name not in self.compounds:
                break
        else:
            name = f"{name}{len(self.compounds)}"
        self.compounds.add(name)
        return name, self._code(w + s)

    def _code(self, stem: str) -> str:
        code, n = stem, 1
        while code in self.codes:
            n += 1
            code = f"{stem}{n}"
        self.codes.add(code)
        return code


@dataclass
class Cast:
    """A compound with its parties and the people sitting for them."""
    compound: Compound
    buildings: int
    parties: dict[PartyKind, Party] = field(default_factory=dict)
    # per party kind: (user, role, votes), in membership order
    members: dict[PartyKind, list[tuple[User, MemberRole, bool]]] = field(default_factory=dict)

    @property
    def committee_kind(self) -> PartyKind:
        return PartyKind.owners_committee \
            if self.compound.governance_mode == GovernanceMode.owners_committee \
            else PartyKind.management_committee

    @property
    def voters(self) -> list[User]:
        return [u for u, _role, votes in self.members[self.committee_kind] if votes]

    @property
    def owner_representatives(self) -> list[User]:
        return [u for u, role, votes in self.members[self.committee_kind]
                if votes and role == MemberRole.owner_representative]

    def people(self) -> list[tuple[Party, User, MemberRole]]:
        return [(self.parties[kind], user, role) for kind, rows in self.members.items()
                for user, role, _votes in rows]


def make_compound(rng: random.Random, names: Names, logins: Logins, community: Community,
                  street_name: str, companies: list[str]) -> Cast:
    """A compound, its three parties and their members.

    Most compounds have an owners' committee (5–9 members, 3 for a small one); about a third are
    old work-unit compounds run by a 物管会 chaired by the residents' committee member, half of
    them with no property company at all (DESIGN §2).
    """
    managed = rng.random() < 0.3
    name, code = names.compound(work_unit=managed)
    households = rng.randint(60, 320) if managed else rng.randint(80, 1500)
    area = Decimal(households * rng.randint(7000, 11000)) / 100
    compound = Compound(
        community=community, name=name, code=code, households=households, total_area=area,
        governance_mode=GovernanceMode.management_committee if managed
        else GovernanceMode.owners_committee,
        address=f"{street_name}{rng.choice(texts.ROADS)}{rng.randint(1, 399)}号")
    cast = Cast(compound, buildings=max(2, min(40, households // 40)))

    def party(kind: PartyKind, party_name: str) -> None:
        cast.parties[kind] = Party(compound=compound, kind=kind, name=party_name)
        cast.members[kind] = []

    def member(kind: PartyKind, role: MemberRole, votes: bool, user: User | None = None):
        user = user or logins.user(names.person())
        cast.members[kind].append((user, role, votes))
        db.session.add(Membership(user=user, party=cast.parties[kind], role=role, votes=votes))
        return user

    party(PartyKind.residents_committee, f"{community.name}居委会")
    # Each compound has its own residents' committee member (包片委员).
    grid = member(PartyKind.residents_committee, MemberRole.member, False)
    if managed:
        party(PartyKind.management_committee, f"{name}物业管理委员会")
        # The 物管会 is chaired by the residents' committee (北京市物业管理条例 art. 53).
        member(PartyKind.management_committee, MemberRole.chair, True, grid)
        for _ in range(rng.choice([3, 4])):
            member(PartyKind.management_committee, MemberRole.owner_representative, True)
    else:
        party(PartyKind.owners_committee, f"{name}业主委员会")
        size = 3 if households <= 100 else rng.choice([5, 5, 5, 7, 7, 9])
        roles = [MemberRole.chair, MemberRole.vice_chair] + [MemberRole.member] * (size - 2)
        for role in roles:
            member(PartyKind.owners_committee, role, True)
    if not managed or rng.random() < 0.5:
        party(PartyKind.property_company, f"{rng.choice(companies)}物业服务有限公司")
        member(PartyKind.property_company, MemberRole.manager, False)
        if rng.random() < 0.5:
            member(PartyKind.property_company, MemberRole.staff, False)
    db.session.add(compound)
    db.session.add_all(cast.parties.values())
    return cast
