from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels
from tracker.voting.rulebooks import PrevailingBallot

register_labels(PrevailingBallot, {
    PrevailingBallot.PAPER: _l("The paper ballot counts"),
    PrevailingBallot.ONLINE: _l("The online ballot counts"),
})
