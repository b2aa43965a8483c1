from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels
from tracker.workcalendar.models import YearSource
from tracker.workcalendar.rules import DayKind

register_labels(DayKind, {DayKind.off: _l("Day off"), DayKind.work: _l("Make-up working day")})
register_labels(YearSource, {YearSource.library: _l("holidays library"),
                             YearSource.manual: _l("entered by hand")})

# What a year's history says of each change (audit events on "calendar_year").
EVENT_LABELS = {
    "filled_from_library": _l("filled from the holidays library"),
    "imported": _l("imported from a file and confirmed"),
    "day_set": _l("changed a day"),
    "confirmed": _l("confirmed the year"),
}
