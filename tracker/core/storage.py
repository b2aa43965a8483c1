"""A full disk: told apart from other errors, and said plainly to the person uploading.

It shows in three places: the temporary file an upload is spooled to (``OSError`` ENOSPC), the
database refusing to grow (PostgreSQL ``53100 disk_full``, SQLite "database or disk is full"),
and anywhere else the app writes. Upload forms put :data:`STORAGE_FULL` next to the photos field
and keep what was typed; any other request gets the 507 error page with the same words.
"""
import errno
import sqlite3
from tempfile import SpooledTemporaryFile

from flask import Request, Response, g
from werkzeug.exceptions import HTTPException

from tracker.core.i18n import lazy_gettext as _l

STORAGE_FULL = _l("The server's storage is full, so nothing was saved. What you typed is kept "
                  "below; please try again later, and tell your administrator if it keeps "
                  "happening.")
# The same on an error page, where nothing typed can be shown again.
STORAGE_FULL_PAGE = _l("The server's storage is full, so nothing was saved. Please try again "
                       "later, and tell your administrator if it keeps happening.")

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_SQLITE_FULL = 13      # SQLITE_FULL
_PG_DISK_FULL = "53100"  # SQLSTATE disk_full
# Werkzeug's own threshold: smaller uploads stay in memory, larger ones go to a temporary file.
SPOOL_MAX_MEMORY = 500 * 1024


class InsufficientStorage(HTTPException):
    """507, for responders (the JSON API) that answer errors in their own format."""
    code = 507
    description = "The server's storage is full; nothing was saved."


def is_storage_full(error: BaseException | None) -> bool:
    """Whether ``error`` (or the database error it wraps, or its cause) says the disk is full."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _FULL_ERRNOS:
            return True
        if getattr(error, "sqlstate", None) == _PG_DISK_FULL:
            return True
        if isinstance(error, sqlite3.Error) and (
                getattr(error, "sqlite_errorcode", None) == _SQLITE_FULL
                or "database or disk is full" in str(error)):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
    return False


class _UploadSpool(SpooledTemporaryFile):
    """An upload's temporary file that, when the disk is full, drops the upload and says so
    (``out_of_space``) instead of failing the whole request: the form's other fields are still
    read, so the page can show them again with the message. Reading a dropped upload raises
    ENOSPC, so no reader can take what was kept of it for the whole file."""

    out_of_space = False

    def write(self, data) -> int:
        if not self.out_of_space:
            try:
                return super().write(data)
            except OSError as exc:
                if not is_storage_full(exc):
                    raise
                self.out_of_space = True
        return len(data)

    def _refuse_if_lost(self) -> None:
        if self.out_of_space:
            raise OSError(errno.ENOSPC, "upload lost: no space left on device")

    def read(self, *args):
        self._refuse_if_lost()
        return super().read(*args)

    def read1(self, *args):
        self._refuse_if_lost()
        return super().read1(*args)

    def readinto(self, buffer):
        self._refuse_if_lost()
        return super().readinto(buffer)

    def readinto1(self, buffer):
        self._refuse_if_lost()
        return super().readinto1(buffer)

    def readline(self, *args):
        self._refuse_if_lost()
        return super().readline(*args)

    def readlines(self, *args):
        self._refuse_if_lost()
        return super().readlines(*args)

    def __iter__(self):
        self._refuse_if_lost()
        return super().__iter__()


class UploadRequest(Request):
    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        return _UploadSpool(max_size=SPOOL_MAX_MEMORY, mode="rb+")


def mark_storage_full() -> None:
    """This request ran out of storage: its page is answered 507 (see :func:`status_507`)."""
    g.storage_full = True


def status_507(response: Response) -> Response:
    """A form shown again because the storage is full is not a success: 507 Insufficient
    Storage, so scripts and monitoring see it."""
    if g.get("storage_full") and response.status_code in (200, 400):
        response.status_code = 507
    return response


def refuse_upload(field) -> None:
    """Undo the request's writes and put :data:`STORAGE_FULL` next to ``field``; the view then
    shows its form again (answered 507)."""
    from tracker.extensions import db
    db.session.rollback()
    field.errors = [*field.errors, STORAGE_FULL]
    mark_storage_full()
