from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels
from tracker.places.models import GovernanceMode, PartyKind

register_labels(GovernanceMode, {
    GovernanceMode.owners_committee: _l("Owners' committee (three parties)"),
    GovernanceMode.management_committee: _l("Property management committee"),
})
register_labels(PartyKind, {
    PartyKind.residents_committee: _l("Residents' committee"),
    PartyKind.owners_committee: _l("Owners' committee"),
    PartyKind.management_committee: _l("Management committee"),
    PartyKind.property_company: _l("Property company"),
})
