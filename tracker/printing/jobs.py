"""Preparing a print job in the background, with its progress in the database.

Unlike operations, the runner commits: after each PDF, so the job page (served by any app server)
shows how far it has got, and at the end. It runs in a thread of the process that took the
request, with an application context of its own; ``PRINT_JOBS_INLINE`` runs it in the request
instead (tests, or a deployment that would rather wait than run threads).
"""
from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import update

from tracker.core.i18n import lazy_gettext as _l
from tracker.core.time import to_local, utcnow
from tracker.extensions import db
from tracker.printing import bundles
from tracker.printing.models import PrintFormat, PrintJob, PrintState
from tracker.printing.queries import meetings_to_print


def start(job: PrintJob) -> threading.Thread | None:
    """Run ``job`` (committed already, so another connection sees it) in the background.

    Returns the thread, or None when the job ran inline.
    """
    app = current_app._get_current_object()
    if app.config.get("PRINT_JOBS_INLINE"):
        run(job.id)
        return None
    thread = threading.Thread(target=_run_in_context, args=(app, job.id),
                              name=f"print-job-{job.id}", daemon=True)
    thread.start()
    return thread


def _run_in_context(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


# No step of a job (one PDF read and added) takes anywhere near this long; a job that has not
# moved for it ran in a worker that was stopped (a restart, a deploy, a crash).
ABANDONED_AFTER = timedelta(minutes=10)
ABANDONED = _l("The job was interrupted (the server was restarted). Please start it again.")


def settle_if_abandoned(job: PrintJob) -> None:
    """Mark ``job`` failed if it is queued or running but has not moved for ABANDONED_AFTER.

    One conditional UPDATE, so a job whose thread is still alive and just wrote a step is left
    alone; committed here, as the runner's own steps are.
    """
    if job.state not in (PrintState.queued, PrintState.running):
        return
    now = utcnow()
    settled = db.session.execute(
        update(PrintJob).where(PrintJob.id == job.id,
                               PrintJob.state.in_([PrintState.queued, PrintState.running]),
                               PrintJob.updated_at < now - ABANDONED_AFTER)
        .values(state=PrintState.failed, error=str(ABANDONED), finished_at=now,
                updated_at=now)).rowcount
    db.session.commit()
    if settled:
        db.session.refresh(job)


def download_name(job: PrintJob, zone: str) -> str:
    day = to_local(job.created_at, zone).strftime("%Y%m%d")
    kind = "会议纪要汇编" if job.format == PrintFormat.merged_pdf else "会议纪要"
    return f"{kind}-{day}-{job.total}份.{bundles.BUILDERS[job.format].extension}"


def run(job_id: int) -> None:
    job = db.session.get(PrintJob, job_id)
    if job is None or job.state != PrintState.queued:
        return
    job.state = PrintState.running
    db.session.commit()
    try:
        meetings = meetings_to_print(job)
        missing = [i for i in job.meeting_ids if i not in meetings]
        if missing:
            raise bundles.BundleFailed(f"meetings no longer on record: {missing}")
        entries = bundles.entries(meetings[i] for i in job.meeting_ids)

        def one_more(_entry):
            job.done += 1
            db.session.commit()

        result = bundles.build(job.format, entries, after_each=one_more)
        job.result = result
        job.size = len(result)
        job.filename = download_name(job, current_app.config["DISPLAY_TIMEZONE"])
        job.state = PrintState.finished
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - whatever happens, the job page must say so
        db.session.rollback()
        current_app.logger.exception("print job %s failed", job_id)
        job = db.session.get(PrintJob, job_id)
        job.state = PrintState.failed
        job.error = (exc.message if isinstance(exc, bundles.BundleFailed)
                     else f"{type(exc).__name__}: {exc}")[:1000]
        job.finished_at = utcnow()
        db.session.commit()
