from tracker.auth.models import MemberRole
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels

register_labels(MemberRole, {
    MemberRole.chair: _l("Chair"),
    MemberRole.vice_chair: _l("Vice chair"),
    MemberRole.member: _l("Member"),
    MemberRole.owner_representative: _l("Owner representative"),
    MemberRole.manager: _l("Project manager"),
    MemberRole.staff: _l("Staff"),
})
