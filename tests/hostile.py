"""A corpus of hostile and broken received files, built on demand (nothing big is stored in the repository).

Each :class:`Case` writes its file(s) into a folder and says what ``mtqg validate`` must answer for them: the issue
codes one of its files must carry. ``scale`` sets how big the files over a bound are: the tests run with small
bounds (set through ``MTQG_MAX_*``, see :data:`SMALL_BOUNDS`) and small files; ``benchmarks/hostile.py`` builds
them at the real bounds to measure time and memory.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from corpus import Grid, form_grid, unit_values, write_ods, write_xls, write_xlsx
from mtqg_cli.schema import Schema

#: bounds the tests run with (environment variables), so that files over them stay small
SMALL_BOUNDS = {
    "MTQG_MAX_ROWS": "3000",
    "MTQG_MAX_CELLS": "200000",
    "MTQG_MAX_UNZIPPED_BYTES": str(24 * 1024 * 1024),
    "MTQG_MAX_SHEET_XML_BYTES": str(4 * 1024 * 1024),
    "MTQG_MAX_FILE_BYTES": str(8 * 1024 * 1024),
}
REAL_BOUNDS = {"MTQG_MAX_ROWS": "100000", "MTQG_MAX_CELLS": "5000000"}


@dataclass
class Case:
    name: str
    build: Callable[[Path, Schema, dict[str, int]], list[Path]]
    # issue codes of which at least one must be on one of the case's files (empty: the files hold no error but
    # the batch's own, a unit sent by several cases)
    expect: set[str] = field(default_factory=set)
    note: str = ""


def sizes(bounds: dict[str, str]) -> dict[str, int]:
    """What the builders need to know to go past each bound."""
    return {
        "rows": int(bounds.get("MTQG_MAX_ROWS", 100_000)),
        "cells": int(bounds.get("MTQG_MAX_CELLS", 5_000_000)),
        "unzipped": int(bounds.get("MTQG_MAX_UNZIPPED_BYTES", 400 * 2**20)),
        "part": int(bounds.get("MTQG_MAX_SHEET_XML_BYTES", 64 * 2**20)),
        "file": int(bounds.get("MTQG_MAX_FILE_BYTES", 50 * 2**20)),
    }


# -- raw parts


_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main">{dimension}<sheetData>{rows}</sheetData></worksheet>'
)


def raw_xlsx(
    path: Path, rows: str | bytes, extra: dict[str, bytes] | None = None, doctype: str = "", dimension: str = ""
) -> Path:
    """An .xlsx of one sheet whose sheetData is ``rows`` (XML), written part by part."""
    body = rows if isinstance(rows, bytes) else rows.encode("utf-8")
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head, tail = _SHEET.format(doctype=doctype, dimension=dim, rows="\x00").encode("utf-8").split(b"\x00")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB.format(name="Biểu 01"))
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", head + body + tail)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def _cell_row(r: int, ref: str, value: str = "1") -> str:
    return f'<row r="{r}"><c r="{ref}"><v>{value}</v></c></row>'


def _one(build: Callable[[Path], object], name: str) -> Callable[[Path, Schema, dict[str, int]], list[Path]]:
    def run(folder: Path, schema: Schema, size: dict[str, int]) -> list[Path]:
        path = folder / name
        build(path)
        return [path]

    return run


def _std(schema: Schema, label: str = "Mộc Châu", values: dict | None = None) -> Grid:
    return form_grid(schema, label, values or unit_values(schema, "moc-chau"))


# -- the cases


def cases() -> list[Case]:  # noqa: C901 - a catalogue, one entry a case
    out: list[Case] = []

    def add(name: str, expect: set[str], note: str = ""):
        def wrap(fn: Callable[[Path, Schema, dict[str, int]], list[Path]]):
            out.append(Case(name, fn, expect, note))
            return fn

        return wrap

    # the file as a whole
    @add("empty-file", {"file-empty"})
    def _(f, s, z):
        (f / "rong.xlsx").write_bytes(b"")
        return [f / "rong.xlsx"]

    @add("random-bytes", {"file-not-spreadsheet"})
    def _(f, s, z):
        (f / "ngau-nhien.xlsx").write_bytes(os.urandom(5000))
        return [f / "ngau-nhien.xlsx"]

    @add("text-renamed", {"file-not-spreadsheet"})
    def _(f, s, z):
        (f / "van-ban.xlsx").write_text("Mộc Châu;12;3\n", encoding="utf-8")
        return [f / "van-ban.xlsx"]

    @add("html-as-xls", {"file-not-spreadsheet"})
    def _(f, s, z):
        (f / "web.xls").write_text("<html><table><tr><td>Mộc Châu</td></tr></table></html>", encoding="utf-8")
        return [f / "web.xls"]

    @add("pdf-renamed", {"file-not-spreadsheet"})
    def _(f, s, z):
        (f / "bao-cao.xlsx").write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
        return [f / "bao-cao.xlsx"]

    @add("docx-renamed", {"file-not-spreadsheet"})
    def _(f, s, z):
        from docx import Document

        Document().save(f / "cong-van.xlsx")
        return [f / "cong-van.xlsx"]

    @add("pptx-like-zip", {"file-not-spreadsheet"})
    def _(f, s, z):
        _zip(f / "trinh-chieu.xlsx", {"ppt/presentation.xml": b"<p/>"})
        return [f / "trinh-chieu.xlsx"]

    @add("plain-zip", {"file-not-spreadsheet"})
    def _(f, s, z):
        _zip(f / "nen.xlsx", {"a.txt": b"x"})
        return [f / "nen.xlsx"]

    @add("xlsb-inside", {"file-not-spreadsheet"})
    def _(f, s, z):
        _zip(f / "nhi-phan.xlsx", {"xl/workbook.bin": b"\x00" * 64, "[Content_Types].xml": b"<Types/>"})
        return [f / "nhi-phan.xlsx"]

    @add("xlsb-suffix", {"file-not-spreadsheet"})
    def _(f, s, z):
        _zip(f / "nhi-phan.xlsb", {"xl/workbook.bin": b"\x00" * 64, "[Content_Types].xml": b"<Types/>"})
        return [f / "nhi-phan.xlsb"]

    @add("truncated-xlsx", {"file-corrupt", "file-not-spreadsheet"})
    def _(f, s, z):
        full = write_xlsx(f / "full.tmp", [("Biểu 01", _std(s))]).read_bytes()
        (f / "full.tmp").unlink()
        (f / "cat-ngang.xlsx").write_bytes(full[: len(full) // 2])
        return [f / "cat-ngang.xlsx"]

    @add("zip-sizes-lie", {"file-corrupt", "file-too-large"})
    def _(f, s, z):
        path = raw_xlsx(f / "bom-nho.xlsx", "".join(_cell_row(r, f"A{r}") for r in range(1, 4000)))
        data = bytearray(path.read_bytes())
        # the central directory says the sheet is 100 bytes when unpacked: a bomb in disguise
        at = data.find(b"PK\x01\x02")
        while at >= 0:
            name_len = struct.unpack_from("<H", data, at + 28)[0]
            if data[at + 46 : at + 46 + name_len] == b"xl/worksheets/sheet1.xml":
                struct.pack_into("<I", data, at + 24, 100)
            at = data.find(b"PK\x01\x02", at + 4)
        path.write_bytes(bytes(data))
        return [path]

    @add("zip-bomb-total", {"file-too-large"})
    def _(f, s, z):
        per = z["part"] // 2
        parts = {f"xl/media/pad{k}.xml": b"\x00" * per for k in range(z["unzipped"] // per + 2)}
        return [raw_xlsx(f / "bom.xlsx", _cell_row(1, "A1"), parts)]

    @add("sheet-xml-too-big", {"file-too-large"})
    def _(f, s, z):
        pad = b"<row/>" * (z["part"] // 6 + 10)
        return [raw_xlsx(f / "trang-lon.xlsx", pad + _cell_row(1, "A1").encode())]

    @add("shared-strings-bomb", {"file-too-large"})
    def _(f, s, z):
        sst = b"<sst>" + b"<si><t>x</t></si>" * (z["part"] // 16 + 10) + b"</sst>"
        return [raw_xlsx(f / "chuoi.xlsx", _cell_row(1, "A1"), {"xl/sharedStrings.xml": sst})]

    @add("value-at-XFD1048576", {"file-too-large"})
    def _(f, s, z):
        return [raw_xlsx(f / "xfd.xlsx", _cell_row(1, "A1", "2") + _cell_row(1048576, "XFD1048576"))]

    @add("value-at-XFD-row-past-cells", {"file-too-large"})
    def _(f, s, z):
        row = z["cells"] // 16384 + 2
        return [raw_xlsx(f / "xfd-hang.xlsx", _cell_row(1, "A1", "2") + _cell_row(row, f"XFD{row}"))]

    @add("rows-past-bound", {"file-too-large"})
    def _(f, s, z):
        rows = "".join(_cell_row(r, f"A{r}") for r in range(1, z["rows"] + 50))
        return [raw_xlsx(f / "nhieu-hang.xlsx", rows)]

    @add("cells-without-references-far", {"file-too-large"})
    def _(f, s, z):
        wide = "<row>" + "<c><v>1</v></c>" * 400 + "</row>"
        far = z["cells"] // 400 + 5
        return [raw_xlsx(f / "khong-tham-chieu.xlsx", wide + f'<row r="{far}"><c><v>1</v></c></row>')]

    @add("style-only-cell-far", {"table-not-found"}, "a formatted empty cell at XFD1048576 costs nothing")
    def _(f, s, z):
        return [
            raw_xlsx(f / "dinh-dang.xlsx", _cell_row(1, "A1", "2") + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
        ]

    @add("dimension-lies", {"table-not-found"}, "a <dimension> of A1:XFD1048576 is not what the reader uses")
    def _(f, s, z):
        return [raw_xlsx(f / "kich-thuoc.xlsx", _cell_row(1, "A1", "2"), dimension="A1:XFD1048576")]

    @add("xls-row-65535", {"file-too-large"})
    def _(f, s, z):
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("Biểu 01")
        sheet.write(0, 0, "x")
        row = min(65535, z["cells"] // 256 + 5)
        sheet.write(row, 255, 1)
        book.save(str(f / "xls-xa.xls"))
        return [f / "xls-xa.xls"]

    @add("xls-encrypted", {"file-encrypted"})
    def _(f, s, z):
        path = write_xls(f / "mat-khau.xls", [("Biểu 01", _std(s))])
        data = bytearray(path.read_bytes())
        # the first record after the globals' BOF (InterfaceHdr, 2 bytes) made a FILEPASS record of the same size
        at = data.find(b"\xe1\x00\x02\x00")
        data[at : at + 2] = b"\x2f\x00"
        path.write_bytes(bytes(data))
        return [path]

    @add("xlsx-encrypted", {"file-encrypted"})
    def _(f, s, z):
        from msoffcrypto.format.ooxml import OOXMLFile

        plain = write_xlsx(f / "plain.tmp", [("Biểu 01", _std(s))])
        out = io.BytesIO()
        with plain.open("rb") as fh:
            office = OOXMLFile(fh)
            office.encrypt("123", out)
        plain.unlink()
        (f / "mat-khau.xlsx").write_bytes(out.getvalue())
        return [f / "mat-khau.xlsx"]

    @add("ods-encrypted", {"file-encrypted"})
    def _(f, s, z):
        manifest = (
            b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
            b"</manifest:file-entry></manifest:manifest>"
        )
        _zip(
            f / "mat-khau.ods",
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "META-INF/manifest.xml": manifest,
                "content.xml": os.urandom(300),
            },
        )
        return [f / "mat-khau.ods"]

    @add("ods-repeated-rows", {"file-too-large"})
    def _(f, s, z):
        return [
            _ods(
                f / "lap-hang.ods",
                f'<table:table-row table:number-rows-repeated="{z["rows"] + 10}">'
                '<table:table-cell office:value-type="float" office:value="1"/></table:table-row>',
            )
        ]

    @add("ods-repeated-columns", {"file-too-large"})
    def _(f, s, z):
        rows = z["cells"] // 16384 + 5
        return [
            _ods(
                f / "lap-cot.ods",
                f'<table:table-row table:number-rows-repeated="{rows}">'
                '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
                'office:value="1"/></table:table-row>',
            )
        ]

    @add("ods-empty-repeats", {"table-not-found"}, "LibreOffice's trailing empty repeats cost nothing")
    def _(f, s, z):
        return [
            _ods(
                f / "lap-rong.ods",
                '<table:table-row><table:table-cell office:value-type="string">'
                '<text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/>'
                '</table:table-row><table:table-row table:number-rows-repeated="1048575">'
                '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
            )
        ]

    @add("xxe-entity", {"table-not-found", "file-corrupt"}, "an external entity is never fetched")
    def _(f, s, z):
        doctype = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        return [
            raw_xlsx(f / "xxe.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>', None, doctype)
        ]

    @add("billion-laughs", {"table-not-found", "file-corrupt"}, "entities are never expanded")
    def _(f, s, z):
        ents = '<!ENTITY a0 "lol">' + "".join(
            f'<!ENTITY a{k} "{("&a" + str(k - 1) + ";") * 10}">' for k in range(1, 10)
        )
        return [
            raw_xlsx(
                f / "lol.xlsx",
                '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>',
                None,
                f"<!DOCTYPE x [{ents}]>",
            )
        ]

    # numbers
    def figure_case(name: str, value: object, expect: set[str]) -> None:
        @add(name, expect)
        def _(f, s, z):
            values = dict(unit_values(s, "moc-chau"))
            values[next(iter(values))] = value
            return [write_xlsx(f / f"{name}.xlsx", [("Biểu 01", _std(s, values=values))])]

    figure_case("figure-30-digits", "123456789012345678901234567890", {"cell-number-too-large"})
    figure_case("figure-1e308", 1e308, {"cell-number-too-large"})
    figure_case("text-1e309", "1e309", {"cell-number-too-large"})
    figure_case("text-80-digits", "9" * 80, {"cell-number-too-large"})
    figure_case("text-inf", "inf", {"cell-not-number"})
    figure_case("text-nan", "NaN", {"cell-not-number"})
    figure_case("negative-accounting-huge", "(" + "9" * 25 + ")", {"cell-number-too-large"})

    @add("repeated-unit-rows", {"unit-repeated"}, "each repeat names the first row once: issues grow linearly")
    def _(f, s, z):
        g = _std(s)
        first = next(r for r, row in enumerate(g.rows) if "Mộc Châu" in [str(v) for v in row])
        g.rows[first + 1 : first + 1] = [list(g.rows[first]) for _ in range(min(8000, z["rows"] - 100))]
        return [write_xlsx(f / "lap-don-vi.xlsx", [("Biểu 01", g)])]

    # text a spreadsheet cannot store, names that look like markup or formulas
    @add("control-char-in-unit-xls", {"text-control-characters"})
    def _(f, s, z):
        return [write_xls(f / "ky-tu-la.xls", [("Biểu 01", _std(s, "Mộc Châu\x01"))])]

    @add("control-char-in-sheet-name-xls", {"text-control-characters"})
    def _(f, s, z):
        return [write_xls(f / "ten-trang-la.xls", [("Biểu\x01 01", _std(s))])]

    @add("markup-in-unit-label", {"unit-unknown"})
    def _(f, s, z):
        return [write_xlsx(f / "nhan.xlsx", [("Biểu 01", _std(s, "[/red][bold]Mộc Cháu Lạ"))])]

    @add("markup-in-file-name", {"cell-not-number"})
    def _(f, s, z):
        values = dict(unit_values(s, "moc-chau"))
        values[next(iter(values))] = "abc"
        return [write_xlsx(f / "[bold red]moc-chau.xlsx", [("Biểu 01", _std(s, values=values))])]

    @add("formula-in-file-name", {"cell-formula-no-value", "cell-not-number"})
    def _(f, s, z):
        values = dict(unit_values(s, "moc-chau"))
        values[next(iter(values))] = '=HYPERLINK("http://x","y")'
        return [write_xlsx(f / "=HYPERLINK(1).xlsx", [("Biểu 01", _std(s, values=values))])]

    @add("long-file-name", {"cell-not-number"})
    def _(f, s, z):
        values = dict(unit_values(s, "moc-chau"))
        values[next(iter(values))] = "mười hai"
        return [write_xlsx(f / ("Báo cáo kết quả " * 9 + "Mộc Châu.xlsx"), [("Biểu 01", _std(s, values=values))])]

    @add("same-name-two-folders", {"cell-not-number"})
    def _(f, s, z):
        paths = []
        for sub, label, unit in (("a", "Mộc Châu", "moc-chau"), ("b", "Yên Châu", "yen-chau")):
            (f / sub).mkdir()
            values = dict(unit_values(s, unit))
            values[next(iter(values))] = "abc"
            paths.append(write_xlsx(f / sub / "bao-cao.xlsx", [("Biểu 01", form_grid(s, label, values))]))
        return paths

    @add("input-named-like-a-copy", {"cell-not-number"})
    def _(f, s, z):
        values = dict(unit_values(s, "moc-chau"))
        values[next(iter(values))] = "abc"
        write_xlsx(f / "a.xlsx", [("Biểu 01", _std(s, values=values))])
        write_xlsx(f / "a_can-sua.xlsx", [("Biểu 01", _std(s, "Yên Châu", unit_values(s, "yen-chau")))])
        return [f / "a.xlsx", f / "a_can-sua.xlsx"]

    # folders
    @add("hidden-and-lock-files", set(), "listed as skipped")
    def _(f, s, z):
        write_xlsx(f / ".an.xlsx", [("Biểu 01", _std(s))])
        write_xlsx(f / "~$khoa.xlsx", [("Biểu 01", _std(s))])
        return [write_xlsx(f / "that.xlsx", [("Biểu 01", _std(s))])]

    @add("broken-link", {"path-unreadable"})
    def _(f, s, z):
        (f / "mat.xlsx").symlink_to(f / "khong-co.xlsx")
        return [f / "mat.xlsx"]

    @add("link-loop", {"path-unreadable"})
    def _(f, s, z):
        (f / "vong.xlsx").symlink_to(f / "vong.xlsx")
        return [f / "vong.xlsx"]

    @add("folder-link-loop", set(), "links to folders are not followed")
    def _(f, s, z):
        (f / "con").mkdir()
        (f / "con" / "len").symlink_to(f)
        return [write_xlsx(f / "con" / "that.xlsx", [("Biểu 01", _std(s))])]

    # what units really send, still read
    @add("legacy-tcvn3", {"legacy-encoding"})
    def _(f, s, z):
        from corpus import tcvn3

        return [write_xlsx(f / "tcvn3.xlsx", [("Biểu 01", _std(s).map_text(tcvn3))], font=".VnTime")]

    @add("ods-plain", set())
    def _(f, s, z):
        return [write_ods(f / "moc-chau.ods", [("Biểu 01", _std(s))])]

    @add("xls-plain", set())
    def _(f, s, z):
        return [write_xls(f / "moc-chau.xls", [("Biểu 01", _std(s))])]

    @add("unknown-unit", {"unit-unknown"})
    def _(f, s, z):
        return [write_xlsx(f / "la.xlsx", [("Biểu 01", _std(s, "Huyện Không Có"))])]

    @add("wrong-level", {"unit-wrong-level"})
    def _(f, s, z):
        return [write_xlsx(f / "xa.xlsx", [("Biểu 01", _std(s, "Xã Mộc Châu"))])]

    @add("no-table", {"table-not-found"})
    def _(f, s, z):
        return [write_xlsx(f / "khac.xlsx", [("Sheet1", Grid([["Danh sách cán bộ"], ["Nguyễn Văn A", 1]]))])]

    @add("many-sheets", set())
    def _(f, s, z):
        sheets = [(f"Trang {k}", Grid([["ghi chú", k]])) for k in range(150)] + [("Biểu 01", _std(s))]
        return [write_xlsx(f / "nhieu-trang.xlsx", sheets)]

    figure_case("error-value", "#DIV/0!", {"cell-error-value"})
    figure_case("words-only", "mười hai", {"cell-not-number"})

    @add("hidden-unit-row", {"row-hidden"})
    def _(f, s, z):
        from openpyxl import load_workbook

        path = write_xlsx(f / "an-hang.xlsx", [("Biểu 01", _std(s))])
        book = load_workbook(path)
        sheet = book["Biểu 01"]
        row = next(c.row for c in sheet["B"] if c.value == "Mộc Châu")
        sheet.row_dimensions[row].hidden = True
        book.save(path)
        return [path]

    @add("wrong-total", {"total-row-mismatch"})
    def _(f, s, z):
        values = unit_values(s, "moc-chau")
        total = {k: v + 1 for k, v in values.items()}
        return [write_xlsx(f / "tong-sai.xlsx", [("Biểu 01", form_grid(s, "Mộc Châu", values, total=total))])]

    @add("nfd-text", set())
    def _(f, s, z):
        from corpus import nfd

        return [write_xlsx(f / "nfd.xlsx", [("Biểu 01", _std(s).map_text(nfd))])]

    return out


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _ods(path: Path, rows: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="Biểu 01">{rows}</table:table></office:spreadsheet></office:body>'
        "</office:document-content>"
    ).encode()
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        b'spreadsheet"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def build_all(root: Path, schema: Schema, bounds: dict[str, str]) -> dict[str, tuple[Case, list[Path]]]:
    """Every case in a folder of its own under ``root``."""
    size = sizes(bounds)
    built = {}
    for case in cases():
        folder = root / case.name
        folder.mkdir(parents=True)
        built[case.name] = (case, case.build(folder, schema, size))
    return built
