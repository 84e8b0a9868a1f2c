"""The used area of each sheet, read from the file's own parts before the reader builds a grid of cells.

The reader (python-calamine) lays a sheet out as a dense grid from its first to its last cell holding a value:
one value at XFD1048576 in a 6 KB file asks for seventeen billion cells. What a file declares about itself (an
.xlsx's ``<dimension>``, an .xls's DIMENSIONS record) can lie and the reader ignores it, so the extent here is
worked out as the reader works it out: from the cells that hold a value. Each function returns, per sheet, the
number of rows and columns of that area (0, 0 for an empty sheet).
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from io import BytesIO

# -- .xlsx: one sheet's XML

# a cell tag that is not '<c r="' and a reference within A1..Z9999 (a prefix, no reference, or one farther out)
_NOT_SMALL = re.compile(rb'<(?:\w+:)?c(?:>|/>|\s(?!r="[A-Z][0-9]{1,4}"))')
_SMALL_ROWS = 9999
_QUICK_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_QUICK_COL = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_TOKENS = re.compile(rb"<(?:\w+:)?row\b([^>]*)>|<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_R_ATTR = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,7})"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]|<(?:\w+:)?is\b")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def xlsx_sheet_extent(xml: bytes, max_rows: int, max_cells: int) -> tuple[int, int]:
    """Rows and columns of the area holding values in one worksheet's XML, or more when that is surely within
    the bounds. When every cell carries its reference, the farthest reference bounds the area (a form's return,
    A1..Z9999, is told by one scan at C speed; otherwise the distinct rows and columns are looked at); when some
    cell does not, or the references reach past the bounds, the area is worked out cell by cell, counting only
    cells that hold a value, as the reader does."""
    # a form's return: every cell written <c r="A1".."Z9999" ...>: one scan at C speed says so
    if _SMALL_ROWS * 26 <= max_cells and _SMALL_ROWS <= max_rows and not _NOT_SMALL.search(xml):
        return _SMALL_ROWS, 26
    prefixed = b":c " in xml or b":c>" in xml  # cells written with a namespace prefix ('<x:c'): cell by cell
    if prefixed or xml.count(b'<c r="') != xml.count(b"<c ") + xml.count(b"<c>"):
        return _xlsx_cells(xml)  # some cell without its reference first: cell by cell
    rows = max(map(int, set(_QUICK_ROW.findall(xml))), default=0)
    letters = set(_QUICK_COL.findall(xml))  # the farthest column: the longest letters, then the last of them
    cols = _column_number(max(letters, key=lambda c: (len(c), c))) if letters else 0
    if rows <= max_rows and rows * cols <= max_cells:
        return rows, cols
    return _xlsx_cells(xml)


def _xlsx_cells(xml: bytes) -> tuple[int, int]:
    rows = cols = 0
    row = col = 0
    for m in _TOKENS.finditer(xml):
        if m.group(1) is not None:  # <row ...>
            at = _R_ATTR.search(m.group(1))
            row = int(at.group(2)) if at else row + 1
            col = 0
            continue
        at = _R_ATTR.search(m.group(2))
        if at and at.group(1):
            col = _column_number(at.group(1))
            row = int(at.group(2))
        else:
            col += 1
        content = m.group(3)
        if content and _HAS_VALUE.search(content):
            rows, cols = max(rows, row), max(cols, col)
    return rows, cols


# -- .ods: content.xml

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def ods_extents(content: bytes) -> dict[str, tuple[int, int]]:
    """Rows and columns holding values in each table of an .ods content.xml, repeated rows and cells counted
    without being expanded."""
    out: dict[str, tuple[int, int]] = {}
    name = ""
    row = 0  # rows before the current one
    rows = cols = 0
    row_repeat = 1
    col = 0  # cells before the current one in the row
    row_last = 0  # the farthest cell with a value in the current row
    cell_repeat = 1
    cell_has = False
    for event, el in ET.iterparse(BytesIO(content), events=("start", "end")):
        tag = el.tag
        if tag == _TABLE + "table":
            if event == "start":
                name, row, rows, cols = el.get(_TABLE + "name") or "", 0, 0, 0
            else:
                out[name] = (rows, cols)
                el.clear()
        elif tag == _TABLE + "table-row":
            if event == "start":
                row_repeat = int(el.get(_TABLE + "number-rows-repeated") or 1)
                col = row_last = 0
            else:
                if row_last:
                    rows = row + row_repeat  # the last repeat of a row with values
                    cols = max(cols, row_last)
                row += row_repeat
                el.clear()
        elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            if event == "start":
                cell_repeat = int(el.get(_TABLE + "number-columns-repeated") or 1)
                cell_has = el.get(_OFFICE + "value-type") is not None
            else:
                if cell_has or el.find(_TEXT + "p") is not None:
                    row_last = col + cell_repeat
                col += cell_repeat
                el.clear()
    return out


# -- .xls: the Workbook stream of the OLE container

_BOF, _FILEPASS = 0x0809, 0x002F
_VALUE_CELLS = {0x0203, 0x027E, 0x0204, 0x00FD, 0x0006, 0x0205, 0x00D6}  # NUMBER RK LABEL LABELSST FORMULA BOOLERR
_MULRK = 0x00BD
_WORKSHEET = 0x0010


class Encrypted(Exception):
    """The workbook is protected by a password (FILEPASS)."""


def xls_extents(data: bytes) -> list[tuple[int, int]]:
    """Rows and columns holding values in each worksheet of an .xls (its bytes); raises :class:`Encrypted` for a
    password-protected workbook and ValueError for a container that is not an Excel 97-2003 workbook."""
    import olefile

    try:
        ole = olefile.OleFileIO(BytesIO(data))
    except OSError as exc:
        raise ValueError(str(exc)) from exc
    with ole:
        stream = next((s for s in ("Workbook", "Book", "WORKBOOK", "BOOK") if ole.exists(s)), None)
        if stream is None:
            raise ValueError("no Workbook stream")
        book = ole.openstream(stream).read()
    out: list[tuple[int, int]] = []
    pos, size = 0, len(book)
    sheet: list[int] | None = None  # [rows, cols] of the worksheet being read
    depth = 0
    header = struct.Struct("<HH")
    while pos + 4 <= size:
        kind, length = header.unpack_from(book, pos)
        body = pos + 4
        pos = body + length
        if kind == _BOF:
            depth += 1
            dt = struct.unpack_from("<H", book, body + 2)[0] if length >= 4 else 0
            if depth == 1 and dt == _WORKSHEET:
                sheet = [0, 0]
                out.append((0, 0))
            continue
        if kind == 0x000A:  # EOF of a substream
            if sheet is not None and depth == 1:
                out[-1] = (sheet[0], sheet[1])
                sheet = None
            depth = max(0, depth - 1)
            continue
        if kind == _FILEPASS and sheet is None:
            raise Encrypted()
        if sheet is None or length < 4:
            continue
        if kind in _VALUE_CELLS:
            r, c = struct.unpack_from("<HH", book, body)
        elif kind == _MULRK and length >= 6:
            r = struct.unpack_from("<H", book, body)[0]
            c = struct.unpack_from("<H", book, pos - 2)[0]
        else:
            continue
        sheet[0], sheet[1] = max(sheet[0], r + 1), max(sheet[1], c + 1)
    if sheet is not None:
        out[-1] = (sheet[0], sheet[1])
    return out
