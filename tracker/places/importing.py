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


def read_units(raw: bytes, existing: set[tuple[str, str]],
               existing_owners: frozenset[str] | set[str] = frozenset()) -> list[dict]:
    """The CSV's units as the values of new units, each line checked; ``existing``: the
    (building, number) of the compound's units, which the file may not add again;
    ``existing_owners``: the names of their owners.

    An owner is one person in an owners' ballot whatever number of units they hold (SPC
    interpretation art. 9), told apart by ``owner_ref`` — a reference from the register, such as
    the last digits of the property certificate or ID number. A name stands in for it only when
    nobody else in the compound or the file has that name: two owners called 王伟 must never
    become one owner with both areas and one vote.

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
            area = Decimal((row.get("area") or "").strip())
            if not area.is_finite() or area <= 0 or area >= Decimal("100000000"):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("area %(value)s is not a positive number of m²",
                              value=repr(row.get("area"))))
            area = None
        else:
            # The register gives areas to the hundredth of a m²; a finer one is a typing
            # mistake, and rounding it would count another area than the register's.
            if area != area.quantize(Decimal("0.01")):
                problems.append(_("area %(value)s has more than two decimals",
                                  value=repr(row.get("area"))))
                area = None
            else:
                area = area.quantize(Decimal("0.01"))
        owner_ref = (row.get("owner_ref") or "").strip()
        if len(owner_ref) > 64:
            problems.append(_("%(column)s is longer than %(n)d characters",
                              column="owner_ref", n=64))
        key = (building, number)
        if key in existing or key in seen:
            problems.append(_("unit %(unit)s already exists", unit=f"{building}-{number}"))
        seen.add(key)
        if problems:
            errors.append((line, "；".join(problems)))
            continue
        rows.append(dict(line=line, building=building, number=number, owner_name=owner,
                         owner_ref=owner_ref, area=area,
                         developer_unsold=(row.get("developer_unsold") or "")
                         .strip().lower() in TRUE_WORDS))
    errors += _namesakes(rows, existing_owners)
    if errors:
        raise UnitImportError(sorted(errors))
    for values in rows:
        del values["line"]
        values["owner_ref"] = values["owner_ref"] or values["owner_name"]
    return rows


def _namesakes(rows: list[dict], existing_owners: frozenset[str] | set[str]) -> list:
    """The lines whose owner has no reference while another unit's owner has the same name:
    the same person or a namesake, which only the register's reference can tell."""
    lines_of: dict[str, int] = {}
    for values in rows:
        lines_of[values["owner_name"]] = lines_of.get(values["owner_name"], 0) + 1
    return [(values["line"],
             _("%(name)s is the name of the owner of another unit too: give owner_ref, the "
               "owner's reference in the register (such as the last digits of the property "
               "certificate or ID number) — the same one for the same person, so namesakes "
               "are not counted as one owner", name=values["owner_name"]))
            for values in rows if not values["owner_ref"] and not values["developer_unsold"]
            and (lines_of[values["owner_name"]] > 1 or values["owner_name"] in existing_owners)]
