from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels
from tracker.followup.models import Satisfaction, VisitMethod

register_labels(VisitMethod, {
    VisitMethod.phone: _l("Phone"),
    VisitMethod.home_visit: _l("Home visit"),
    VisitMethod.wechat: _l("WeChat"),
})
register_labels(Satisfaction, {
    Satisfaction.satisfied: _l("Satisfied"),
    Satisfaction.basically_satisfied: _l("Basically satisfied"),
    Satisfaction.unsatisfied: _l("Unsatisfied"),
})
