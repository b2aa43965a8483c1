"""Putting stored signed minutes PDFs together: one merged PDF to print, or a ZIP of the files.

Nothing is rendered here: every page comes from the bytes stored when the minutes were issued
(:class:`tracker.meetings.models.MinutesDocument`), so a bulk print shows exactly what was signed.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from sqlalchemy import select

from tracker.extensions import db
from tracker.meetings.models import Meeting, MinutesDocument
from tracker.printing.models import PrintFormat

# Characters Windows, macOS or unzip tools refuse or read as paths, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


class BundleFailed(Exception):
    """A file could not be put together; ``message`` says which minutes and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Entry:
    """One signed minutes document in a bundle, named before the work starts."""
    meeting_id: int
    title: str      # 横堤社区〔2026〕第1期 — the bookmark in a merged PDF
    filename: str   # 横堤社区-2026-第1期.pdf — the name inside a ZIP


def safe_filename(name: str, limit: int = 120) -> str:
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:limit] or "minutes"


def entries(meetings: Iterable[Meeting]) -> list[Entry]:
    """Names for each meeting's file, unique within the bundle.

    Two communities of different streets may share a name: the street is added to tell them
    apart, and the meeting id if even that is not enough.
    """
    result, taken = [], set()
    for meeting in meetings:
        base = f"{meeting.community.name}-{meeting.year}-第{meeting.seq}期"
        for candidate in (base, f"{meeting.community.street.name}{base}",
                          f"{meeting.community.street.name}{base}-{meeting.id}"):
            filename = safe_filename(candidate) + ".pdf"
            if filename not in taken:
                break
        taken.add(filename)
        result.append(Entry(meeting.id, f"{meeting.community.name}{meeting.number}", filename))
    return result


def stored_pdf(entry: Entry) -> bytes:
    data = db.session.scalar(select(MinutesDocument.pdf).where(
        MinutesDocument.meeting_id == entry.meeting_id))
    if data is None:
        raise BundleFailed(f"{entry.title}: no signed minutes PDF is on record")
    return data


class MergedPdf:
    """One PDF with every document's pages in turn and a bookmark per meeting.

    The PAdES signatures cannot survive: each covers its own file's bytes. Their form fields are
    left out so a viewer does not report broken signatures on a printout.
    """
    extension = "pdf"
    mimetype = "application/pdf"

    def __init__(self):
        self.writer = PdfWriter()

    def add(self, entry: Entry, data: bytes) -> None:
        try:
            self.writer.append(PdfReader(io.BytesIO(data)), outline_item=entry.title,
                               excluded_fields=["/Annots", "/B"])
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a bad file
            raise BundleFailed(f"{entry.title}: the stored PDF could not be read ({exc})") \
                from exc

    def finish(self) -> bytes:
        root = self.writer.root_object
        if "/AcroForm" in root:
            del root[NameObject("/AcroForm")]
        self.writer.add_metadata({"/Title": "会议纪要汇编"})
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()


class ZipOfPdfs:
    """The signed files exactly as issued, each still verifiable on its own."""
    extension = "zip"
    mimetype = "application/zip"

    def __init__(self):
        self.buffer = io.BytesIO()
        # The PDFs are compressed inside already; storing them keeps the ZIP quick to make.
        self.archive = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_STORED)

    def add(self, entry: Entry, data: bytes) -> None:
        self.archive.writestr(entry.filename, data)

    def finish(self) -> bytes:
        self.archive.close()
        return self.buffer.getvalue()


BUILDERS = {PrintFormat.merged_pdf: MergedPdf, PrintFormat.zip: ZipOfPdfs}


def build(fmt: PrintFormat, items: list[Entry],
          after_each: Callable[[Entry], None] | None = None) -> bytes:
    """Read each stored PDF in turn and put them together; ``after_each`` reports progress.

    :raise BundleFailed: a document is missing or unreadable.
    """
    bundle = BUILDERS[fmt]()
    for entry in items:
        bundle.add(entry, stored_pdf(entry))
        if after_each is not None:
            after_each(entry)
    return bundle.finish()
