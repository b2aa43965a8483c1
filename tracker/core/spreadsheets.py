"""Tables as files officials open in Excel or WPS: CSV with a BOM, and XLSX.

Every export (cases, meetings) goes through here so they agree on encoding, dates and headers.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Local wall-clock time without zone: spreadsheets do not store zones.
        return value.replace(tzinfo=None)
    return value


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads GBK and shows
    mojibake."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ is a formula to Excel: a resident's text must not run as one.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def to_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]  # Excel's limit
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(6, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = min(60, max(widths[i], _display_width(value)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_file(fmt: str, sheet_title: str, headers: Sequence[str],
            rows: Iterable[Sequence]) -> tuple[bytes, str]:
    """The table in ``fmt`` ("csv" or "xlsx") and its MIME type."""
    if fmt == "csv":
        return to_csv(headers, rows), CSV_MIMETYPE
    return to_xlsx(sheet_title, headers, rows), XLSX_MIMETYPE


def _display_width(value) -> int:
    if isinstance(value, datetime):
        return 16
    text = str(value)
    # CJK characters are two columns wide in Excel.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
