"""Creating and editing cases. State changes live in :mod:`tracker.cases.workflow`."""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.cases.models import Case, CaseCategory, CasePhoto, CaseSource, CaseState
from tracker.cases.privacy import mask_phone
from tracker.cases.workflow import CaseChanged, flush_case
from tracker.core.images import CleanImage
from tracker.core.time import to_local, utcnow
from tracker.extensions import db
from tracker.places.models import Compound

EDITABLE_FIELDS = ("title", "category", "source", "description", "resident_name",
                   "resident_phone")


def _next_seq(compound_id: int, year: int) -> int:
    current = db.session.scalar(select(func.max(Case.seq)).where(
        Case.compound_id == compound_id, Case.year == year))
    return (current or 0) + 1


def raise_case(actor: User, compound: Compound, *, title: str, category: CaseCategory,
               source: CaseSource, description: str, resident_name: str = "",
               resident_phone: str = "", photos: list[tuple[str, CleanImage]] = (),
               display_zone: str = "Asia/Shanghai") -> Case:
    """Open a case (state ``raised``) with a number unique per compound and year.

    The caller checked :func:`tracker.cases.policy.can_raise_in`.
    """
    now = utcnow()
    year = to_local(now, display_zone).year
    # Numbers are handed out one compound at a time: the compound's row stays locked until the
    # raise commits (PostgreSQL; SQLite has one writer anyway). Without it, two workers raising
    # in one compound again and again could keep taking each other's next number (seen under
    # load: five lost attempts in a row). The unique constraint and a retry remain the backstop.
    db.session.execute(select(Compound.id).where(Compound.id == compound.id).with_for_update())
    for _attempt in range(5):
        seq = _next_seq(compound.id, year)
        case = Case(compound=compound, year=year, seq=seq,
                    number=f"{compound.code}-{year}-{seq:03d}", title=title,
                    category=category, source=source, description=description,
                    resident_name=resident_name, resident_phone=resident_phone,
                    state=CaseState.raised, raised_by=actor, raised_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(case)
                db.session.flush()
        except IntegrityError:
            continue
        break
    else:  # pragma: no cover - needs five simultaneous raises in one compound
        raise RuntimeError("could not allocate a case number")
    log(actor, "case", case.id, "raise", to_state=CaseState.raised,
        data={"number": case.number})
    for filename, image in photos:
        _attach(case, actor, filename, image)
    db.session.flush()
    return case


def edit_case(case: Case, actor: User, *, expected_version: int, **fields) -> list[str]:
    """Change a raised case's details; returns the names of the fields that changed.

    :raise CaseChanged: the case changed since the actor loaded it.
    """
    if expected_version != case.version:
        raise CaseChanged()
    changed = {}
    for name in EDITABLE_FIELDS:
        if name in fields and getattr(case, name) != fields[name]:
            old = getattr(case, name)
            new = fields[name]
            changed[name] = [getattr(old, "value", old), getattr(new, "value", new)]
            if name == "resident_phone":  # personal information stays out of the log
                changed[name] = [mask_phone(old), mask_phone(new)]
            setattr(case, name, fields[name])
    if changed:
        log(actor, "case", case.id, "edit", data={"changed": changed})
        flush_case()
    return list(changed)


def _attach(case: Case, actor: User, filename: str, image: CleanImage) -> CasePhoto:
    photo = CasePhoto(case=case, content_type=image.content_type, filename=filename[:200],
                      size=len(image.data), sha256=image.sha256, data=image.data,
                      uploaded_by_id=actor.id)
    db.session.add(photo)
    return photo


def add_photos(case: Case, actor: User, photos: list[tuple[str, CleanImage]]) -> None:
    for filename, image in photos:
        _attach(case, actor, filename, image)
    db.session.flush()
    log(actor, "case", case.id, "add_photos", data={"count": len(photos)})
