from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels
from tracker.printing.models import PrintFormat, PrintState

register_labels(PrintFormat, {
    PrintFormat.merged_pdf: _l("One PDF to print"),
    PrintFormat.zip: _l("ZIP of the signed PDFs"),
})
register_labels(PrintState, {
    PrintState.queued: _l("Waiting"),
    PrintState.running: _l("Being prepared"),
    PrintState.finished: _l("Ready"),
    PrintState.failed: _l("Failed"),
})
