"""Reading units from a CSV export of the property register, all or nothing."""
import csv
import io
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.extensions import db
from tracker.places.models import Compound, Unit

REQUIRED_COLUMNS = ("building", "number", "owner_name", "area")
TRUE_WORDS = {"1", "true", "yes", "y", "是"}


class UnitImportError(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{len(errors)} bad line(s)")
        self.errors = errors


def _decode(raw: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GBK; other tools as UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnitImportError([(1, _("The file is neither UTF-8 nor GB18030 text."))])


def import_units(compound: Compound, raw: bytes) -> int:
    """Add the CSV's units to ``compound``; return how many.

    :raise UnitImportError: with (line number, message) for every bad line; nothing is added.
    """
    reader = csv.DictReader(io.StringIO(_decode(raw)))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise UnitImportError([(1, _("Missing column(s): %(columns)s",
                                     columns=", ".join(missing)))])
    existing = set(db.session.execute(
        select(Unit.building, Unit.number).where(Unit.compound_id == compound.id)).all())
    errors: list[tuple[int, str]] = []
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for row in reader:
        line = reader.line_num
        building = (row.get("building") or "").strip()
        number = (row.get("number") or "").strip()
        owner = (row.get("owner_name") or "").strip()
        problems = []
        if not building or not number:
            problems.append(_("building and number are required"))
        if not owner:
            problems.append(_("owner_name is required"))
        for name, value, limit in (("building", building, 32), ("number", number, 32),
                                   ("owner_name", owner, 64)):
            if len(value) > limit:
                problems.append(_("%(column)s is longer than %(n)d characters",
                                  column=name, n=limit))
        try:
            # Rounded first, so the checks apply to what is stored: 0.004 would become 0.00.
            area = Decimal((row.get("area") or "").strip()).quantize(Decimal("0.01"))
            if not area.is_finite() or area <= 0 or area >= Decimal("100000000"):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("area %(value)s is not a positive number of m²",
                              value=repr(row.get("area"))))
            area = None
        key = (building, number)
        if key in existing or key in seen:
            problems.append(_("unit %(unit)s already exists", unit=f"{building}-{number}"))
        seen.add(key)
        if problems:
            errors.append((line, "；".join(problems)))
            continue
        rows.append(dict(building=building, number=number, owner_name=owner,
                         owner_ref=(row.get("owner_ref") or "").strip() or owner,
                         area=area, developer_unsold=(row.get("developer_unsold") or "")
                         .strip().lower() in TRUE_WORDS))
    if errors:
        raise UnitImportError(errors)
    # Made only now: a Unit joins ``compound.units`` as soon as it is created, so making them
    # while reading would leave the good lines of a refused file behind in the session.
    units = [Unit(compound=compound, **values) for values in rows]
    db.session.add_all(units)
    db.session.flush()
    return len(units)
