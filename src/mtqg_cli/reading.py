"""Reading received workbooks (.xlsx, .xlsm, .xls, .ods) into plain cell grids, safely.

Files are untrusted: the kind of file is told from its bytes, not its name; a password, a damaged zip, a
renamed document or an oversized file becomes a :class:`ReadError` with a stable code, never a crash.
Cell coordinates are kept true to the sheet (row 0 is the sheet's row 1) so every message can name its cell.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from pathlib import Path
from typing import Any

from . import usedarea
from .limits import MAX_CELLS, MAX_FILE_BYTES, MAX_ROWS, MAX_SHEET_XML_BYTES, MAX_UNZIPPED_BYTES

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}

DIMENSION_CHECK_BYTES = 2 * 1024 * 1024  # sheets bigger than this are not inflated by the quick sniff

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BOOK_STREAM = "ook".encode("utf-16-le")  # the tail of 'Book' and 'Workbook', Excel's streams


class ReadError(Exception):
    """A workbook that cannot be read. ``code`` is an issue code of the catalogue."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.params = params


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    visible: bool = True

    @property
    def height(self) -> int:
        return len(self.rows)

    @cached_property
    def width(self) -> int:
        """The widest row (rows are never lengthened after reading)."""
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    kind: str = "xlsx"  # 'xlsx', 'xls' or 'ods', told from the bytes
    legacy_encoding: str | None = None  # 'TCVN3' / 'VNI' when the text was converted to Unicode
    # False when sniffing the file saw that no sheet hides a row (most files): nothing more to read for hidden rows
    may_hide_rows: bool = True
    cleaned: int = 0  # texts that held control characters, removed when read

    def hidden_rows(self, sheet_name: str) -> set[int]:
        """Zero-based rows of a sheet hidden or filtered out (see :func:`hidden_rows`); empty for .xls."""
        if self.kind == "xls" or not self.may_hide_rows:
            return set()
        return hidden_rows(self.path, sheet_name, self.kind)


def column_letter(col: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """Zero-based (row, col) -> 'B3'."""
    return f"{column_letter(col)}{row + 1}"


FAST_READ_BYTES = 2 * 1024 * 1024  # files up to this size are read once into memory, sniffed there, parsed from there


def _check_area(sheet: str, rows: int, cols: int) -> None:
    """Refuse a sheet whose used area is over the bounds, before the reader lays it out."""
    if rows > MAX_ROWS:
        raise ReadError("file-too-large", f"{sheet}: {rows:,} hàng / rows", limit=f"{MAX_ROWS:,} hàng / rows")
    if rows * cols > MAX_CELLS:
        raise ReadError("file-too-large", f"{sheet}: {rows:,} × {cols:,} ô / cells", limit=f"{MAX_CELLS:,} ô / cells")


def _check_xls(data: bytes) -> None:
    """An .xls's worksheets within the bounds, and not protected by a password."""
    try:
        extents = usedarea.xls_extents(data)
    except usedarea.Encrypted:
        raise ReadError("file-encrypted") from None
    except (ValueError, struct.error, OSError):
        return  # not a container this check understands: the reader decides (and refuses a damaged one)
    for n, (rows, cols) in enumerate(extents, 1):
        _check_area(f"sheet {n}", rows, cols)


def sniff(path: Path) -> str:
    """'xlsx', 'ods', 'xls' or raise ReadError for anything that is not a readable spreadsheet."""
    return _sniff(path)[0]


def _sniff(path: Path) -> tuple[str, bytes | None, bool]:
    """The kind of file, its bytes when it is small enough to be parsed from memory (one open, one stat), and
    whether a sheet may hide rows (False only when every sheet was seen and none does)."""
    import os
    import stat

    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError("file-not-found") from None
    except OSError as exc:  # a loop of links, a name too long
        raise ReadError("path-unreadable", exc.strerror or _short(exc)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("file-not-spreadsheet", "thư mục / a folder")
    size = st.st_size
    if size == 0:
        raise ReadError("file-empty")
    if size > MAX_FILE_BYTES:
        raise ReadError("file-too-large", f"{size / 1e6:.1f} MB", limit=f"{MAX_FILE_BYTES // 2**20} MB")
    try:
        fh = open(path, "rb")
    except OSError as exc:  # no permission, a file locked by another program
        raise ReadError("path-unreadable", exc.strerror or _short(exc)) from exc
    with fh:
        data: bytes | None = None
        if size <= FAST_READ_BYTES:
            data = whole = fh.read()
            head = whole[:8]
        else:
            data = None
            head = fh.read(8)
        if head.startswith(_OLE):
            if data is None:
                fh.seek(0)
            blob = (data if data is not None else fh.read(4 * 1024 * 1024))[: 4 * 1024 * 1024]
            if _ENCRYPTED_STREAM in blob:
                raise ReadError("file-encrypted")
            if _WORD_STREAM in blob and _BOOK_STREAM not in blob:
                raise ReadError("file-not-spreadsheet", "Word .doc")
            if data is None:
                fh.seek(0)
            _check_xls(data if data is not None else fh.read())
            return "xls", data, False
    if head.startswith(b"PK"):
        if data is not None:
            try:
                hides = _fast_xlsx(data)
                if hides is not None:
                    return "xlsx", data, hides
            except (ValueError, struct.error, zlib.error, IndexError):
                pass
        kind, may_hide = _sniff_zip(path)
        return kind, data, may_hide
    if head.startswith(b"%PDF"):
        raise ReadError("file-not-spreadsheet", "PDF")
    low = head.lower()
    if low.startswith((b"<html", b"<!doc", b"<?xml", b"<table", b"\xef\xbb\xbf<")):
        raise ReadError("file-not-spreadsheet", "HTML/XML")
    raise ReadError("file-not-spreadsheet", path.suffix or "?")


_EOCD = struct.Struct("<4sHHHHIIH")
_CENTRAL = struct.Struct("<4xHH8xIIHHH8xI")
_LOCAL_NAMES = struct.Struct("<HH")


def _fast_xlsx(data: bytes) -> bool | None:
    """The common case, read straight from the zip's central directory in memory (no zipfile objects): a small
    .xlsx whose sheets are all small. When it is one, whether a sheet hides rows; None to take the general path,
    which decides everything else."""
    size = len(data)
    at = data.rfind(b"PK\x05\x06", max(0, size - 65536 - 22))
    if at < 0 or size - at < 22:
        return None
    _, _, _, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(data, at)
    if count == 0xFFFF or cd_offset == 0xFFFFFFFF or cd_offset + cd_size > size:
        return None  # zip64 or damaged
    entries = []
    pos = cd_offset
    total = 0
    for _ in range(count):
        if data[pos : pos + 4] != b"PK\x01\x02":
            return None
        flags, method, comp, plain, name_len, extra_len, comment_len, local = _CENTRAL.unpack_from(data, pos + 4)
        name = data[pos + 46 : pos + 46 + name_len]
        entries.append((name, flags, method, comp, plain, local))
        total += plain
        pos += 46 + name_len + extra_len + comment_len
    if total > MAX_UNZIPPED_BYTES or not any(e[0] == b"xl/workbook.xml" for e in entries):
        return None
    if any(e[4] > MAX_SHEET_XML_BYTES and e[0].endswith(b".xml") for e in entries):
        return None  # a part too big to hold: the general path names it
    hides = False
    for name, flags, method, comp, plain, local in entries:
        if not name.startswith(b"xl/worksheets/") or not name.endswith(b".xml"):
            continue
        if plain > DIMENSION_CHECK_BYTES or flags & 0x1 or method not in (0, 8):
            return None  # big, encrypted or unusual: the general path checks it
        if data[local : local + 4] != b"PK\x03\x04":
            return None
        n, e = _LOCAL_NAMES.unpack_from(data, local + 26)
        start = local + 30 + n + e
        raw = data[start : start + comp]
        if method == 0:
            sheet = raw
        else:
            inflater = zlib.decompressobj(-15)
            sheet = inflater.decompress(raw, plain + 1)  # never more than the directory says, plus one byte
            if len(sheet) > plain or inflater.unconsumed_tail:
                # the directory understates the sheet: a bomb in disguise; refused before any reader inflates it
                raise ReadError("file-corrupt", "kích thước trong tệp zip sai / the zip's sizes are false")
        _check_area(name.decode("utf-8", "replace"), *usedarea.xlsx_sheet_extent(sheet, MAX_ROWS, MAX_CELLS))
        if not hides and b'hidden="' in sheet:  # one scan; most sheets hide nothing
            hides = b'hidden="1"' in sheet or b'hidden="true"' in sheet
    return hides


def _sniff_zip(path: Path) -> tuple[str, bool]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            unzipped = sum(i.file_size for i in infos)
            if unzipped > MAX_UNZIPPED_BYTES:
                raise ReadError(
                    "file-too-large",
                    f"{unzipped / 1e6:.0f} MB giải nén / unzipped",
                    limit=f"{MAX_UNZIPPED_BYTES // 2**20} MB",
                )
            # A sheet is loaded whole by the reader: refuse one too big to hold before it is unpacked.
            # (and any other XML part: shared strings, styles are read whole as well)
            biggest = max(
                (i for i in infos if i.filename.endswith((".xml", ".rels"))),
                key=lambda i: i.file_size,
                default=None,
            )
            if biggest is not None and biggest.file_size > MAX_SHEET_XML_BYTES:
                raise ReadError(
                    "file-too-large",
                    f"{biggest.filename}: {biggest.file_size / 1e6:.0f} MB",
                    limit=f"{MAX_SHEET_XML_BYTES // 2**20} MB / sheet",
                )
            if "xl/workbook.bin" in names:
                raise ReadError("file-not-spreadsheet", "Excel .xlsb: lưu lại dạng .xlsx / save it as .xlsx")
            if "xl/workbook.xml" in names:
                # every sheet's used area within the bounds (read from its cells, as the reader will lay it out);
                # and while the zip is open: does any sheet hide rows? (read later only when one does)
                hides = False
                for info in infos:
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        data = zf.read(info)  # its unpacked size was bounded above
                        _check_area(info.filename, *usedarea.xlsx_sheet_extent(data, MAX_ROWS, MAX_CELLS))
                        if b'hidden="1"' in data or b'hidden="true"' in data:
                            hides = True
                return "xlsx", hides
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mime:
                    if "META-INF/manifest.xml" in names and b"encryption-data" in zf.read("META-INF/manifest.xml"):
                        raise ReadError("file-encrypted")
                    if "content.xml" in names:
                        try:
                            extents = usedarea.ods_extents(zf.read("content.xml"))
                        except (ET.ParseError, ValueError) as exc:
                            raise ReadError("file-corrupt", _short(exc)) from exc
                        for sheet, (rows, cols) in extents.items():
                            _check_area(sheet, rows, cols)
                    return "ods", True
                raise ReadError("file-not-spreadsheet", mime.decode("ascii", "replace"))
            if "word/document.xml" in names:
                raise ReadError("file-not-spreadsheet", "Word .docx")
            if "ppt/presentation.xml" in names:
                raise ReadError("file-not-spreadsheet", "PowerPoint")
            raise ReadError("file-not-spreadsheet", "zip")
    except zipfile.BadZipFile as exc:
        raise ReadError("file-corrupt", str(exc)) from exc


def read_workbook(path: str | Path) -> Workbook:
    """Read every sheet of a workbook into cell grids that start at A1. Raises ReadError."""
    import python_calamine as pc

    p = Path(path)
    kind, data, may_hide = _sniff(p)
    try:
        wb = pc.CalamineWorkbook.from_path(str(p)) if data is None else pc.CalamineWorkbook.from_filelike(BytesIO(data))
    except pc.PasswordError as exc:
        raise ReadError("file-encrypted") from exc
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise ReadError("file-corrupt", _short(exc)) from exc
    sheets: list[Sheet] = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets
            ws = wb.get_sheet_by_name(meta.name)
            rows_n, cols_n = ws.total_height + 1, ws.total_width + 1
            if rows_n > MAX_ROWS:
                raise ReadError("file-too-large", f"{rows_n:,} hàng / rows", limit=f"{MAX_ROWS:,} hàng / rows")
            if rows_n * cols_n > MAX_CELLS:
                raise ReadError(
                    "file-too-large",
                    f"{rows_n:,} × {cols_n:,} ô / cells",
                    limit=f"{MAX_CELLS:,} ô / cells",
                )
            rows = ws.to_python(skip_empty_area=False)
            try:
                merged = list(ws.merged_cell_ranges or [])
            except Exception:  # .ods: not reported
                merged = []
            sheets.append(Sheet(meta.name, rows, merged, meta.visible == pc.SheetVisibleEnum.Visible))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("file-corrupt", _short(exc)) from exc
    finally:
        wb.close()
    if not any(any(str(v).strip() for v in row) for s in sheets for row in s.rows):
        raise ReadError("file-empty")
    texts = [v for s in sheets for row in s.rows for v in row if v.__class__ is str and v]  # every text, once
    book = Workbook(p, sheets, kind, _fix_legacy_text(sheets, texts), may_hide)
    book.cleaned = _clean_control_characters(sheets, texts)
    return book


def _clean_control_characters(sheets: list[Sheet], texts: list[str]) -> int:
    """Remove, in place, the control characters no spreadsheet can store (from a cell or a sheet name of an .xls,
    typically): copied into a feedback sheet or the tổng hợp they would stop the writer. How many texts held one."""
    from .text import CONTROL

    names = "\n".join(s.name for s in sheets)
    if not CONTROL.search(names) and not CONTROL.search("\n".join(texts)):  # one pass: most files hold none
        return 0
    count = 0
    for sheet in sheets:
        if CONTROL.search(sheet.name):
            sheet.name, count = CONTROL.sub("", sheet.name), count + 1
        for row in sheet.rows:
            for i, v in enumerate(row):
                if v.__class__ is str and CONTROL.search(v):
                    row[i], count = CONTROL.sub("", v), count + 1
    return count


def _fix_legacy_text(sheets: list[Sheet], texts: list[str]) -> str | None:
    """Convert TCVN3/VNI text to Unicode in place; the encoding found, or None. ``texts``: every text of the
    sheets."""
    from . import legacy

    encoding = legacy.detect(texts)
    if encoding is None:
        return None
    has_unicode = any(legacy.is_modern(t) for t in texts)
    for sheet in sheets:
        for row in sheet.rows:
            for i, v in enumerate(row):
                if isinstance(v, str) and legacy.needs_conversion(v, has_unicode):
                    row[i] = legacy.convert(v, encoding)
    return encoding


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_member(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding a sheet of an .xlsx, from the workbook and its relationships."""
    import posixpath
    import xml.etree.ElementTree as ET

    workbook = ET.fromstring(zf.read("xl/workbook.xml"))
    rid = None
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        if sheet.get("name") == sheet_name:
            rid = sheet.get(f"{_REL_NS}id")
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)


_HIDDEN_ROW = re.compile(
    rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|'
    rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)


def hidden_rows(path: Path, sheet_name: str, kind: str = "xlsx") -> set[int]:
    """Zero-based rows of an .xlsx or .ods sheet that are hidden or filtered out (the reader does not say): their
    figures still count, so the unit is told. Empty when the sheet hides nothing or cannot be read."""
    if kind == "ods":
        return _ods_hidden_rows(path, sheet_name)
    try:
        with zipfile.ZipFile(path) as zf:
            member = _sheet_member(zf, sheet_name)
            if member is None:
                return set()
            data = zf.read(member)
    except (KeyError, zipfile.BadZipFile, OSError):
        return set()
    except Exception:  # a malformed workbook.xml: nothing to say about rows
        return set()
    if b'hidden="1"' not in data and b'hidden="true"' not in data:
        return set()
    return {int(m.group(1) or m.group(2)) - 1 for m in _HIDDEN_ROW.finditer(data)}


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_hidden_rows(path: Path, sheet_name: str) -> set[int]:
    """An .ods sheet's rows marked table:visibility 'collapse' (hidden) or 'filter' (filtered out), counted as the
    reader counts them: every table-row in order (in header rows and row groups too), each as many times as it
    is repeated."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read("content.xml")  # its size was checked when the file was sniffed
    except (KeyError, zipfile.BadZipFile, OSError):
        return set()
    if b'table:visibility="collapse"' not in data and b'table:visibility="filter"' not in data:
        return set()
    hidden: set[int] = set()
    try:
        inside = False  # within the named sheet's table element
        row = 0
        for event, el in ET.iterparse(BytesIO(data), events=("start", "end")):
            if el.tag == _ODS_TABLE + "table":
                if event == "start" and not inside and el.get(_ODS_TABLE + "name") == sheet_name:
                    inside = True
                elif event == "end" and inside:
                    break
                continue
            if not inside or event != "start" or el.tag != _ODS_TABLE + "table-row":
                if event == "end":
                    el.clear()
                continue
            repeated = int(el.get(_ODS_TABLE + "number-rows-repeated") or 1)
            if el.get(_ODS_TABLE + "visibility") in ("collapse", "filter"):
                hidden.update(range(row, row + min(repeated, MAX_ROWS)))
            row += repeated
            if row > MAX_ROWS:
                break
    except (ET.ParseError, ValueError):
        return set()
    return hidden


def probe_cells(path: Path, sheet_name: str, refs: set[str]) -> dict[str, tuple[str, str]]:
    """What cells that read as blank really hold, for .xlsx/.xlsm (the reader gives '' for both):
    ('error', '#DIV/0!') for an Excel error value, ('formula', 'SUM(D10:D20)') for a formula saved without its
    result. Cells that are truly empty are absent from the answer."""
    found: dict[str, tuple[str, str]] = {}
    if not refs:
        return found
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            member = _sheet_member(zf, sheet_name)
            if member is None:
                return found
            with zf.open(member) as fh:
                for _, el in ET.iterparse(fh):
                    if el.tag != f"{_MAIN_NS}c":
                        continue
                    ref = el.get("r")
                    if ref in refs:
                        formula = el.find(f"{_MAIN_NS}f")
                        value = el.find(f"{_MAIN_NS}v")
                        if el.get("t") == "e":
                            found[ref] = ("error", value.text if value is not None and value.text else "#ERROR")
                        elif formula is not None and (value is None or not value.text):
                            found[ref] = ("formula", formula.text or "")
                    el.clear()
    except (KeyError, zipfile.BadZipFile, ET.ParseError):
        return found
    return found


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
