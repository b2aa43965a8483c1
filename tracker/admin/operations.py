"""The only code of the administration that changes records: create or edit one, set an
account's password, remove a role, import a unit register. Each change writes its audit event;
functions flush, never commit."""
import enum
from decimal import Decimal

from tracker.admin import queries
from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.extensions import db
from tracker.places.models import Compound
from tracker.places.operations import import_units


def jsonable(value):
    """``value`` as the audit event's JSON keeps it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def apply_changes(record, values: dict) -> dict:
    """Set ``values`` on ``record``; return ``{field: [old, new]}`` for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(record, name)
        if old != new:
            setattr(record, name, new)
            changes[name] = [jsonable(old), jsonable(new)]
    return changes


def save(actor: User, record, values: dict, entity: str, extra: dict | None = None) -> bool:
    """Create ``record`` or change it with ``values`` and write the audit event. Returns whether
    anything changed."""
    created = record.id is None
    changes = apply_changes(record, values)
    if created:
        db.session.add(record)
        data = {name: jsonable(value) for name, value in values.items()}
    else:
        data = changes
    data.update(extra or {})
    if not data:
        return False
    db.session.flush()
    log(actor, entity, record.id, "create" if created else "edit", data=data)
    return True


def save_account(actor: User, record: User, values: dict, password: str = "") -> bool:
    """:func:`save` for an account; a ``password`` (never audited itself) replaces the old one
    and ends the account's other sessions, and so does deactivating it."""
    created = record.id is None
    extra = {}
    if password:
        record.set_password(password)  # bumps session_epoch: other sessions end
        extra["password"] = "set" if created else "reset"  # never the password itself
    if not created and record.active and not values["active"]:
        # The user loader refuses inactive accounts anyway; the new epoch also makes sure a
        # session survives no later reactivation.
        record.session_epoch += 1
    return save(actor, record, values, "user", extra=extra)


def remove(actor: User, record, entity: str, data: dict) -> None:
    """Remove ``record``, auditing ``data`` (what it was)."""
    log(actor, entity, record.id, "remove", data=data)
    db.session.delete(record)
    db.session.flush()


def import_register(actor: User, compound: Compound, upload) -> int:
    """Import the uploaded property register into ``compound``, all or nothing, with one audit
    event per unit added. Returns how many were added.

    :raise tracker.places.importing.UnitImportError: a bad line; nothing is added.
    """
    before = queries.unit_ids_of(compound)
    count = import_units(compound, upload.read())
    for unit in queries.units_added(compound, before):
        log(actor, "unit", unit.id, "create", data={
            "compound_id": compound.id, "building": unit.building, "number": unit.number,
            "owner_name": unit.owner_name, "owner_ref": unit.owner_ref,
            "area": str(unit.area), "developer_unsold": unit.developer_unsold,
            "imported_from": upload.filename or ""})
    return count
