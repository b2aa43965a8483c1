"""Labels for the member roles, which the membership form offers as choices.

They belong beside ``MemberRole`` in ``tracker.auth``; until the auth feature registers its own,
the admin pages register them here (and leave them alone once someone else has).
"""
from flask_babel import lazy_gettext as _l

from tracker.auth.models import MemberRole
from tracker.core.labels import choices, register_labels

try:
    choices(MemberRole)
except KeyError:
    register_labels(MemberRole, {
        MemberRole.chair: _l("Chair"),
        MemberRole.vice_chair: _l("Vice chair"),
        MemberRole.member: _l("Member"),
        MemberRole.owner_representative: _l("Owner representative"),
        MemberRole.manager: _l("Project manager"),
        MemberRole.staff: _l("Staff"),
    })
