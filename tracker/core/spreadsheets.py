"""Tables as files officials open in Excel or WPS: CSV with a BOM, and XLSX.

Every export (cases, meetings, the dashboard's table) goes through here so they agree on
encoding, dates and headers, and so no text in them ever runs as a formula: a case title, a
meeting's place or a person's name is typed by residents, party members and hotline staff, and
the file is opened on an official's PC.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Text starting with one of these is a formula to Excel, WPS or LibreOffice when the cell is
# read from CSV or typed again (OWASP, "CSV Injection"): = + - @, and a tab or carriage return
# that hides one of them.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def defused(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: text that starts like a formula
    gets a leading apostrophe (OWASP's advice); everything after it is kept as typed."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def _cell(value):
    """A table value as a cell: numbers and dates stay what they are, everything else is text
    under the one rule of :func:`defused`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Local wall-clock time without zone: spreadsheets do not store zones.
        return value.replace(tzinfo=None)
    if isinstance(value, (date, int, float, Decimal)):
        return value
    return defused(str(value))


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads GBK and shows
    mojibake."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]  # Excel's limit
    for cell in _put_row(sheet, 1, [_cell(h) for h in headers]):
        cell.font = Font(bold=True)
    widths = [max(6, len(str(h)) * 2) for h in headers]
    for number, row in enumerate(rows, start=2):
        values = [_cell(v) for v in row]
        _put_row(sheet, number, values)
        for i, value in enumerate(values):
            widths[i] = min(60, max(widths[i], _display_width(value)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put_row(sheet, number: int, values: Sequence) -> list:
    """Write ``values`` as row ``number``, every str as a text cell; the row's cells.

    openpyxl guesses a cell's type from its value: a str starting with "=" would be stored as a
    formula and "#N/A" as an error. Text is text, whatever it starts with. Control characters
    XML cannot hold (the API takes any but NUL) become U+FFFD rather than fail the export.
    """
    cells = []
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=number, column=column,
                              value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
            cell.data_type = TYPE_STRING
        else:
            cell = sheet.cell(row=number, column=column, value=value)
        cells.append(cell)
    return cells


def as_file(fmt: str, sheet_title: str, headers: Sequence[str],
            rows: Iterable[Sequence]) -> tuple[bytes, str]:
    """The table in ``fmt`` ("csv" or "xlsx") and its Content-Type, to be sent as it is."""
    if fmt == "csv":
        return to_csv(headers, rows), CSV_MIMETYPE
    return to_xlsx(sheet_title, headers, rows), XLSX_MIMETYPE


def _display_width(value) -> int:
    if isinstance(value, datetime):
        return 16
    text = str(value)
    # CJK characters are two columns wide in Excel.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
