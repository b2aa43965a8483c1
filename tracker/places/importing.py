"""Reading units from a CSV export of the property register and checking every line; adding
them is :func:`tracker.places.operations.import_units`."""
import csv
import io
from decimal import Decimal, InvalidOperation

from tracker.core.i18n import gettext as _


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


def read_units(raw: bytes, existing: set[tuple[str, str]]) -> list[dict]:
    """The CSV's units as the values of new units, each line checked; ``existing``: the
    (building, number) of the compound's units, which the file may not add again.

    :raise UnitImportError: with (line number, message) for every bad line.
    """
    reader = csv.DictReader(io.StringIO(_decode(raw)))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise UnitImportError([(1, _("Missing column(s): %(columns)s",
                                     columns=", ".join(missing)))])
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
    return rows
