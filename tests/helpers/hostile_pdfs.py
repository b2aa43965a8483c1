"""PDFs built to be expensive to check: a signed minutes PDF with an incremental update appended.

Both stay well-formed enough that a PDF reader parses them to the end: the cost is in the reading,
not in an early error.
"""
import re
import zlib


def _last_xref(pdf: bytes) -> int:
    return int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])


def _next_object_number(pdf: bytes) -> int:
    return max(int(n) for n in re.findall(rb"/Size (\d+)", pdf))


def with_appended_objects(pdf: bytes, count: int) -> bytes:
    """``pdf`` with one more revision defining ``count`` small objects, in a plain
    cross-reference table: every object is visible in the file's bytes."""
    first = _next_object_number(pdf)
    update, offsets = bytearray(), []
    for n in range(count):
        offsets.append(len(pdf) + len(update))
        update += b"%d 0 obj\n<< /N %d >>\nendobj\n" % (first + n, n)
    xref_at = len(pdf) + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n%d %d\n" % (first, count)
    update += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    update += (b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
               % (first + count, _root(pdf), _last_xref(pdf), xref_at))
    return pdf + bytes(update)


def with_compressed_xref_entries(pdf: bytes, entries: int) -> bytes:
    """``pdf`` with one more revision whose cross-reference stream lists ``entries`` objects:
    a few hundred kilobytes compressed, nothing a count of the file's bytes sees, and seconds of
    parsing and gigabytes of memory for a reader that takes it as written."""
    first = _next_object_number(pdf)
    # Each entry: type 1 (in use), offset 0 (8 bytes), generation 0 (2 bytes).
    rows = zlib.compress((b"\x01" + b"\x00" * 10) * entries, 9)
    number = first + entries
    stream = (b"%d 0 obj\n<< /Type /XRef /W [1 8 2] /Size %d /Index [%d %d] /Root %s /Prev %d "
              b"/Filter /FlateDecode /Length %d >>\nstream\n"
              % (number, number + 1, first, entries, _root(pdf), _last_xref(pdf), len(rows)))
    return pdf + stream + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % len(pdf)


def _root(pdf: bytes) -> bytes:
    return re.findall(rb"/Root (\d+ \d+ R)", pdf)[-1]
