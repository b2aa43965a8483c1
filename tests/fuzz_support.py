"""What the fuzz tests share: hostile values, a reader of the forms a page shows, and a recorder
of the writes a request commits.

Writes are watched on the engine rather than by comparing tables before and after: a statement
counts only once its transaction commits, so a refusal that wrote and rolled back is fine, and an
UPDATE that leaves the row count alone is still seen.
"""
import io
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import event

from tests.factories import image_bytes

# Control characters, zero-width and bidirectional marks, emoji (one of them a ZWJ sequence),
# CJK extension B, characters SQL LIKE and HTML treat specially, and plain Chinese.
HOSTILE_CHARACTERS = (
    "\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u00a0\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"
    "\u202a\u202b\u202d\u202e\u2066\u2069\u3000\ufffd\uffff"
    "\U0001F600\U0001F4A9\U0001F468\u200d\U0001F469\U00020000\U0002A6D6\U0002B740"
    "<>&\"'\\%_\r\n\t 水泵停车"
)
NUMBERS = ["0", "-1", "-0", "101", "2147483648", "-2147483649", "9223372036854775808",
           "99999999999999999999999999", "1e309", "-1e309", "NaN", "Infinity", "0x10", "1.5",
           "١٢٣", "１２", " 7 "]
DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "1900-01-01", "0000-00-00",
         "2026-13-01", "1970-01-01T00:00", "9999-12-31T23:59", "0001-01-01T00:00",
         "2026-11-20T25:61", "-2026-01-01", "2026-11-20T11:30:00+08:00"]
SPECIAL = ["", " ", "   \t\n", "\u200b", "\u202e", "\ufeff", "𠀀", "😀", "null", "None", "[]",
           "{}", "true", "<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\"]
# Big enough to pass any length check the app forgets: 100 kB in one field.
LONG = [("长", 121), ("a", 1001), ("𠀀", 5001), ("😀", 25_000), ("x", 100_000)]


def hostile_text(nul: bool = False) -> st.SearchStrategy[str]:
    """Strings a person would not type but a client can send. NUL only when asked: the app
    refuses every request carrying one before any form sees it (tested in test_bad_input)."""
    alphabet = st.sampled_from(HOSTILE_CHARACTERS) | st.characters(
        exclude_categories=("Cs",), exclude_characters="" if nul else "\x00")
    return st.one_of(
        st.text(alphabet, max_size=40),
        st.sampled_from(SPECIAL + NUMBERS + DATES),
        st.sampled_from(LONG).map(lambda pair: pair[0] * pair[1]),
        st.builds(lambda a, b: a + b, st.sampled_from(["水泵", "Title", "", " "]),
                  st.text(st.sampled_from(HOSTILE_CHARACTERS), min_size=1, max_size=5)),
    )


def _png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def bomb_png() -> bytes:
    """A PNG of a few hundred bytes whose header claims 30000 × 30000 pixels."""
    small = bytearray(_png((1, 1), "1"))
    # The IHDR chunk's width and height sit at bytes 16–23, its CRC at 29–32.
    small[16:24] = struct.pack(">II", 30000, 30000)
    small[29:33] = struct.pack(">I", zlib.crc32(bytes(small[12:29])))
    return bytes(small)


UPLOADS = [
    (image_bytes(), "ok.jpg"), (image_bytes("PNG"), "ok.png"), (b"just text\n" * 30, "notes.jpg"),
    (b"<html><script>alert(1)</script></html>", "page.jpg"), (image_bytes()[:100], "cut.jpg"),
    (image_bytes("GIF"), "anim.gif"), (bomb_png(), "bomb.png"), (b"", "empty.jpg"),
    (image_bytes(), "名字\u202egpj.exe"), (image_bytes(), ""), (image_bytes(), "../../etc/passwd"),
]


# --- the forms a page shows ----------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str            # text, textarea, hidden, password, number, date, datetime-local,
    #                      checkbox, radio, select, file, button
    value: str = ""      # what the page fills in (the first option of a select)
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._selected: str | None = None

    def _add(self, item: Field):
        fields = self._form.fields
        if item.name in fields and item.kind in ("radio", "checkbox") \
                and fields[item.name].kind == item.kind:
            fields[item.name].options.append(item.value)
            fields[item.name].multiple = item.kind == "checkbox"
        elif item.name not in fields:
            if item.kind in ("radio", "checkbox"):
                item.options = [item.value]
            fields[item.name] = item

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action", ""), enctype=a.get("enctype", ""))
                self.forms.append(self._form)
            return
        if self._form is None or "name" not in a or a["name"] == "csrf_token":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "reset", "image"):
                return
            if kind in ("email", "tel", "search", "url"):
                kind = "text"
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._add(Field(a["name"], kind, value))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._add(Field(a["name"], "radio", a.get("value", "")))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._add(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._selected = None
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._selected = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.lstrip("\r\n")
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = self._select.options
            self._select.value = self._selected if self._selected is not None else next(
                (o for o in options if o), options[0] if options else "")
            self._select = None


def form_on(page: str, page_url: str, action: str) -> Form:
    """The POST form of ``page`` (at ``page_url``) whose action is ``action`` (a path)."""
    reader = _FormReader()
    reader.feed(page)
    for form in reader.forms:
        if urlsplit(form.action or page_url).path == urlsplit(action).path:
            return form
    found = [f.action for f in reader.forms]
    raise AssertionError(f"no form posting to {action} on the page (forms: {found})")


def values_shown(page: str) -> dict[str, str]:
    """What each text field and textarea of ``page`` is filled with (entities decoded)."""
    reader = _FormReader()
    reader.feed(page)
    return {name: f.value for form in reader.forms for name, f in form.fields.items()
            if f.kind in ("text", "textarea", "number", "date", "datetime-local")}


# --- writes ---------------------------------------------------------------------------------

_TABLE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.I)


def _strings(value) -> list[str]:
    """``value`` if a string, and the strings inside it if it is JSON (minutes, audit data)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "obj"):  # psycopg's Json/Jsonb wrapper (PostgreSQL JSON columns)
        return _strings(value.obj)
    if not isinstance(value, str):
        return []
    if value[:1] in ("{", "["):
        try:
            return [value, *_strings(json.loads(value))]
        except ValueError:
            pass
    return [value]


_EVENTS = ("before_cursor_execute", "commit", "rollback", "savepoint", "rollback_savepoint",
           "release_savepoint")


class WriteRecorder:
    """Every INSERT/UPDATE/DELETE whose transaction committed while ``recording``:
    ``committed`` is a list of (table, parameters)."""

    def __init__(self, engine):
        self.engine = engine
        self.recording = False
        self.committed: list[tuple[str, object]] = []
        self._pending: list[tuple[str, object]] = []
        self._savepoints: list[int] = []

    def __enter__(self):
        for name in _EVENTS:
            event.listen(self.engine, name, getattr(self, "_" + name))
        return self

    def __exit__(self, *exc):
        for name in _EVENTS:
            event.remove(self.engine, name, getattr(self, "_" + name))

    def start(self):
        self.committed, self._pending, self._savepoints = [], [], []
        self.recording = True

    def stop(self):
        self.recording = False

    def tables(self) -> set[str]:
        return {table for table, _ in self.committed}

    def values(self) -> list[str]:
        """Every string parameter written, for checking that typed text was stored as typed."""
        found = []
        for _table, parameters in self.committed:
            rows = parameters if isinstance(parameters, list) else [parameters]
            for row in rows:
                items = row.values() if isinstance(row, dict) else (row or ())
                for value in items:
                    found.extend(_strings(value))
        return found

    def _before_cursor_execute(self, _conn, _cursor, statement, parameters, _context, _many):
        if self.recording:
            match = _TABLE.match(statement)
            if match:
                self._pending.append((match.group(1).lower(), parameters))

    def _commit(self, _conn):
        if self.recording:
            self.committed.extend(self._pending)
        self._pending, self._savepoints = [], []

    def _rollback(self, _conn):
        self._pending, self._savepoints = [], []

    def _savepoint(self, _conn, _name):
        self._savepoints.append(len(self._pending))

    def _rollback_savepoint(self, _conn, _name, _context):
        if self._savepoints:
            del self._pending[self._savepoints.pop():]

    def _release_savepoint(self, _conn, _name, _context):
        if self._savepoints:
            self._savepoints.pop()
