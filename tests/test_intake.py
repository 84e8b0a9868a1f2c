"""Every kind of workbook units send: each variant is read to the right values or rejected with the right code."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus import (
    Expect,
    Grid,
    bare,
    form_grid,
    nfd,
    tcvn3,
    unit_values,
    vni,
    write_ods,
    write_xls,
    write_xlsx,
    zip_bytes,
)
from mtqg_cli import reading
from mtqg_cli.validate import validate_file

VARIANTS: dict[str, Callable[[Path, object], tuple[Path, Expect]]] = {}


def variant(fn: Callable[[Path, object], tuple[Path, Expect]]) -> Callable[[Path, object], tuple[Path, Expect]]:
    VARIANTS[fn.__name__] = fn
    return fn


def _ok(schema, unit="moc-chau", **changes) -> Expect:
    values = unit_values(schema, unit)
    values.update(changes)
    return Expect(unit=unit, values=values)


def _std(schema, unit="moc-chau", label="Mộc Châu", **kw) -> Grid:
    return form_grid(schema, label, unit_values(schema, unit), **kw)


# -- formats


@variant
def xlsx_two_row_header(tmp, schema):
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", _std(schema))]), _ok(schema)


@variant
def xlsm_workbook(tmp, schema):
    return write_xlsx(tmp / "a.xlsm", [("Biểu 01", _std(schema))]), _ok(schema)


@variant
def xls_excel_97_2003(tmp, schema):
    return write_xls(tmp / "a.xls", [("Bieu 01", _std(schema))]), _ok(schema)


@variant
def ods_libreoffice(tmp, schema):
    return write_ods(tmp / "a.ods", [("Biểu 01", _std(schema))]), _ok(schema)


@variant
def xls_annex_layout(tmp, schema):
    return write_xls(tmp / "a.xls", [("PL", _std(schema, header="annex", numbers_row=""))]), _ok(schema)


# -- header layouts


@variant
def annex_three_header_rows(tmp, schema):
    g = _std(schema, header="annex", numbers_row="", total_label="Cộng")
    return write_xlsx(tmp / "a.xlsx", [("Phụ lục", g)]), _ok(schema)


@variant
def one_row_header_with_line_breaks(tmp, schema):
    g = _std(schema, header="one-row", leaf=lambda ind: ind.label.replace(" ", "\n", 2) + f"\n({ind.unit})")
    return write_xlsx(tmp / "a.xlsx", [("Sheet1", g)]), _ok(schema)


@variant
def header_decomposed_unicode(tmp, schema):
    g = _std(schema).map_text(nfd)
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema)


@variant
def header_without_diacritics(tmp, schema):
    g = _std(schema).map_text(bare)
    return write_xlsx(tmp / "a.xlsx", [("Bieu 01", g)]), _ok(schema)


@variant
def header_upper_case(tmp, schema):
    g = _std(schema, leaf=lambda ind: f"{ind.label} ({ind.unit})".upper())
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema)


@variant
def table_offset_from_a1(tmp, schema):
    g = _std(schema, origin=(4, 3))
    path = write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)])
    result = validate_file(path, schema)
    assert result.rows[0].row == 4 + 5 + 2 + 1  # true sheet row, not shifted by the empty area
    return path, _ok(schema)


@variant
def guide_sheet_first_and_renamed_sheet(tmp, schema):
    guide = Grid([["HƯỚNG DẪN"], ["Điền số liệu vào Sheet2; đơn vị tính ghi ở tiêu đề cột."]])
    return write_xlsx(tmp / "a.xlsx", [("Hướng dẫn", guide), ("Sheet2", _std(schema))]), _ok(schema)


@variant
def hidden_old_copy_and_visible_table(tmp, schema):
    old = form_grid(schema, "Mộc Châu", {k: 0 for k in unit_values(schema, "moc-chau")})
    path = write_xlsx(tmp / "a.xlsx", [("Cũ", old), ("Biểu 01", _std(schema))], hidden=("Cũ",))
    assert validate_file(path, schema).sheet == "Biểu 01"
    return path, _ok(schema)


@variant
def columns_in_another_order(tmp, schema):
    order = [i.code for i in schema.indicators][::-1]
    g = _std(schema, header="one-row", order=order)
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema)


@variant
def extra_notes_column(tmp, schema):
    g = _std(schema, extra_column="Ghi chú")
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema)


@variant
def plain_column_numbers_row(tmp, schema):
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", _std(schema, numbers_row="n"))]), _ok(schema)


@variant
def annex_rows_province_and_group_kept_out(tmp, schema):
    targets = dict(schema.targets.parts[0].values)
    province = ["I", "Tỉnh"] + [int(targets.get(i.code, 0)) for i in schema.indicators]
    group = ["II", "Huyện, thành phố"] + [None] * len(schema.indicators)
    g = _std(schema, header="annex", numbers_row="", extra_rows_before=[province, group])
    return write_xlsx(tmp / "a.xlsx", [("Phụ lục", g)]), _ok(schema)


# -- numbers as units type them


@variant
def numbers_typed_as_text(tmp, schema):
    values = {k: str(v) for k, v in unit_values(schema, "song-ma").items()}
    values["so_ban_dbkk"] = "310"
    g = form_grid(schema, "Sông Mã", values)
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema, "song-ma")


@variant
def thousands_with_dots(tmp, schema):
    values = unit_values(schema, "song-ma")
    values["so_ban_dbkk"] = "1.310"
    g = form_grid(schema, "Sông Mã", values, total={"so_ban_dbkk": 1310})
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema, "song-ma", so_ban_dbkk=1310)


@variant
def non_breaking_spaces(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_truyen_thong"] = "\u00a013\u00a0"
    g = form_grid(schema, "Mộc Châu", values, total={"to_truyen_thong": 13})
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema)


@variant
def unit_words_after_numbers(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_truyen_thong"] = "13 tổ"
    g = form_grid(schema, "Mộc Châu", values, total={"to_truyen_thong": 13})
    expect = _ok(schema)
    expect.warnings = ("cell-unit-text",)
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), expect


@variant
def dash_for_nothing(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_sinh_ke_40"] = "-"
    g = form_grid(schema, "Mộc Châu", values, total={"to_sinh_ke_40": 0})
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema, to_sinh_ke_40=None)


@variant
def decimal_comma_whole_number(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_truyen_thong"] = "13,0"
    g = form_grid(schema, "Mộc Châu", values, total={"to_truyen_thong": 13})
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), _ok(schema)


@variant
def text_in_number_cell(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_truyen_thong"] = "mười ba"
    g = form_grid(schema, "Mộc Châu", values)
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), Expect(code="cell-not-number")


# -- unit names


def _named(tmp, schema, label, name="a.xlsx"):
    return write_xlsx(tmp / name, [("Biểu 01", form_grid(schema, label, unit_values(schema, "moc-chau")))])


@variant
def unit_h_dot(tmp, schema):
    return _named(tmp, schema, "H. Mộc Châu"), _ok(schema)


@variant
def unit_without_accents(tmp, schema):
    return _named(tmp, schema, "Moc Chau"), _ok(schema)


@variant
def unit_upper_case(tmp, schema):
    return _named(tmp, schema, "MỘC CHÂU"), _ok(schema)


@variant
def unit_with_committee(tmp, schema):
    return _named(tmp, schema, "UBND huyện Mộc Châu"), _ok(schema)


@variant
def unit_gso_code(tmp, schema):
    return _named(tmp, schema, "123"), _ok(schema)


@variant
def unit_typo_is_a_warning(tmp, schema):
    expect = _ok(schema)
    expect.warnings = ("unit-guessed",)
    return _named(tmp, schema, "Mộc Chua"), expect


@variant
def unit_commune_level(tmp, schema):
    return _named(tmp, schema, "Phường Mộc Châu"), Expect(code="unit-wrong-level")


@variant
def unit_unknown(tmp, schema):
    return _named(tmp, schema, "Điện Biên Đông"), Expect(code="unit-unknown")


# -- legacy encodings


@variant
def tcvn3_vntime_workbook(tmp, schema):
    g = _std(schema).map_text(tcvn3)
    assert any("Ch©u" in str(v) for row in g.rows for v in row)
    expect = _ok(schema)
    expect.warnings = ("legacy-encoding",)
    return write_xlsx(tmp / "a.xlsx", [("Bieu 01", g)], font=".VnTime"), expect


@variant
def vni_times_workbook(tmp, schema):
    g = _std(schema).map_text(vni)
    assert any("Chaâu" in str(v) for row in g.rows for v in row)
    expect = _ok(schema)
    expect.warnings = ("legacy-encoding",)
    return write_xls(tmp / "a.xls", [("Bieu 01", g)]), expect


# -- cells that are not what they seem


@variant
def formula_without_cached_value(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_tkvvtb"] = "=1+2"
    g = form_grid(schema, "Mộc Châu", values, total={"to_tkvvtb": 3})
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), Expect(code="cell-formula-no-value")


@variant
def excel_error_value(tmp, schema):
    values = unit_values(schema, "moc-chau")
    values["to_tkvvtb"] = "#DIV/0!"  # openpyxl stores it as an error cell, as Excel does
    g = form_grid(schema, "Mộc Châu", values, total={"to_tkvvtb": 3})
    return write_xlsx(tmp / "a.xlsx", [("Biểu 01", g)]), Expect(code="cell-error-value")


# -- bad files


@variant
def corrupt_zip(tmp, schema):
    p = tmp / "a.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return p, Expect(code="file-corrupt")


@variant
def word_document_renamed(tmp, schema):
    p = tmp / "a.xlsx"
    p.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))
    return p, Expect(code="file-not-spreadsheet")


@variant
def pdf_renamed(tmp, schema):
    p = tmp / "a.xls"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return p, Expect(code="file-not-spreadsheet")


@variant
def html_saved_as_xls(tmp, schema):
    p = tmp / "a.xls"
    p.write_text("<html><body><table><tr><td>TT</td></tr></table></body></html>", encoding="utf-8")
    return p, Expect(code="file-not-spreadsheet")


@variant
def zero_bytes(tmp, schema):
    p = tmp / "a.xlsx"
    p.write_bytes(b"")
    return p, Expect(code="file-empty")


@variant
def workbook_without_cells(tmp, schema):
    return write_xlsx(tmp / "a.xlsx", [("Sheet1", Grid())]), Expect(code="file-empty")


@variant
def password_protected(tmp, schema):
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp / "plain.xlsx", [("Biểu 01", _std(schema))])
    out = tmp / "a.xlsx"
    with plain.open("rb") as fh:
        buf = io.BytesIO()
        OOXMLFile(fh).encrypt("matkhau", buf)
    out.write_bytes(buf.getvalue())
    plain.unlink()
    return out, Expect(code="file-encrypted")


@variant
def path_that_does_not_exist(tmp, schema):
    return tmp / "khong-co.xlsx", Expect(code="file-not-found")


@variant
def workbook_of_another_form(tmp, schema):
    g = Grid([["DANH SÁCH HỘ NGHÈO"], ["STT", "Họ và tên", "Địa chỉ"], [1, "Lò Văn A", "Bản Mòn"]])
    return write_xlsx(tmp / "a.xlsx", [("DS", g)]), Expect(code="table-not-found")


# -- the tests


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant(name, tmp_path, schema):
    path, expect = VARIANTS[name](tmp_path, schema)
    result = validate_file(path, schema)
    codes = [i.code for i in result.issues]
    if expect.code:
        assert expect.code in codes, result.issues
        assert not result.accepted
        return
    assert [c for c in codes] == list(expect.warnings), [i.message("en") for i in result.issues]
    assert result.accepted
    [row] = result.rows
    assert row.unit == expect.unit
    got = {k: (None if v is None else int(v)) for k, v in row.values.items()}
    assert got == expect.values


def test_corpus_is_large_enough():
    assert len(VARIANTS) >= 30


def test_zip_bomb_is_refused_without_unpacking(tmp_path, schema, monkeypatch):
    # 64 MB of zeros packs into about 64 KB; with the limit lowered to 16 MB it must be refused unread
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 16 * 1024 * 1024)
    p = tmp_path / "bomb.xlsx"
    p.write_bytes(zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (64 << 20)}))
    assert p.stat().st_size < 200_000
    result = validate_file(p, schema)
    assert [i.code for i in result.issues] == ["file-too-large"]


def test_sheet_of_too_many_cells_is_refused(tmp_path, schema, monkeypatch):
    monkeypatch.setattr(reading, "MAX_CELLS", 1000)
    g = Grid([[r, r * 2] for r in range(600)])
    p = write_xlsx(tmp_path / "big.xlsx", [("Data", g)])
    result = validate_file(p, schema)
    assert [i.code for i in result.issues] == ["file-too-large"]
    assert "1,000" in result.issues[0].message("en")


def _million_row_xlsx(path: Path, dimension: bool) -> Path:
    """A real .xlsx of 1,000,000 rows, streamed straight into the zip (openpyxl would take minutes)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                fh.write(b'<dimension ref="A1:A1000000"/>')
            fh.write(b"<sheetData>")
            chunk = []
            for r in range(1, 1_000_001):
                chunk.append(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r))
                if len(chunk) == 10_000:
                    fh.write(b"".join(chunk))
                    chunk = []
            fh.write(b"</sheetData></worksheet>")
    return path


@pytest.mark.parametrize("dimension", [True, False], ids=["with-dimension", "without-dimension"])
def test_million_rows_is_refused(tmp_path, schema, dimension):
    p = _million_row_xlsx(tmp_path / "million.xlsx", dimension)
    result = validate_file(p, schema)
    assert [i.code for i in result.issues] == ["file-too-large"]
    assert "1,000,000" in result.issues[0].message("en")


def test_hidden_unit_row_is_a_warning(tmp_path, schema):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "an.xlsx", [("Biểu 01", _std(schema))])
    wb = load_workbook(path)
    wb["Biểu 01"].row_dimensions[9].hidden = True  # the unit's row (sheet row 9)
    wb.save(path)
    result = validate_file(path, schema)
    assert [(i.code, i.cell, i.severity.value) for i in result.issues] == [("row-hidden", "B9", "warning")]
    assert result.accepted and result.rows[0].unit == "moc-chau"


def test_hidden_unit_row_in_an_ods_is_a_warning(tmp_path, schema):
    """LibreOffice marks a hidden row table:visibility="collapse" (a filtered-out one "filter"): the unit is told, as
    for .xlsx; the same file unhidden has no warning."""
    import re

    path = write_ods(tmp_path / "an.ods", [("Biểu 01", _std(schema))])
    plain = validate_file(path, schema)
    assert plain.issues == [] and plain.rows[0].unit == "moc-chau"
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    content = parts["content.xml"].decode("utf-8")
    at = content.index(">Mộc Châu<")  # the unit's row: the last table-row opened before its name
    start = max(m.start() for m in re.finditer(r"<table:table-row\b", content[:at]))
    content = content[:start] + '<table:table-row table:visibility="collapse"' + content[start + 16 :]
    parts["content.xml"] = content.encode("utf-8")
    path.write_bytes(zip_bytes(parts))
    result = validate_file(path, schema)
    row = result.rows[0].row
    assert row == plain.rows[0].row
    assert [(i.code, i.cell, i.severity.value) for i in result.issues] == [("row-hidden", f"B{row + 1}", "warning")]
    assert result.accepted


def test_ods_hidden_rows_are_counted_as_the_reader_counts_rows(tmp_path):
    """Rows repeated, in header rows and in row groups, in the named sheet only."""
    t = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" {t}>
<office:body><office:spreadsheet>
<table:table table:name="Khác"><table:table-row table:visibility="collapse"/></table:table>
<table:table table:name="Biểu 01">
  <table:table-header-rows><table:table-row/><table:table-row table:visibility="collapse"/></table:table-header-rows>
  <table:table-row table:number-rows-repeated="3"/>
  <table:table-row-group>
    <table:table-row table:visibility="collapse" table:number-rows-repeated="2"/>
    <table:table-row/>
  </table:table-row-group>
  <table:table-row table:visibility="filter"/>
  <table:table-row table:visibility="visible"/>
</table:table>
</office:spreadsheet></office:body></office:document-content>"""
    path = tmp_path / "rows.ods"
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    path.write_bytes(zip_bytes({"mimetype": mime, "content.xml": content.encode("utf-8")}))
    assert reading.hidden_rows(path, "Biểu 01", "ods") == {1, 5, 6, 8}
    assert reading.hidden_rows(path, "Khác", "ods") == {0}
    assert reading.hidden_rows(path, "Không có", "ods") == set()


@pytest.mark.parametrize("hide", [False, True], ids=["plain", "hidden-row"])
def test_small_xlsx_is_sniffed_from_the_central_directory(tmp_path, schema, hide):
    """The fast sniff (no zipfile objects) is the path taken for an ordinary small .xlsx, and it says what the
    general zipfile path says about hidden rows."""
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "an.xlsx", [("Biểu 01", _std(schema))])
    if hide:
        wb = load_workbook(path)
        wb["Biểu 01"].row_dimensions[9].hidden = True
        wb.save(path)
    fast = reading._fast_xlsx(path.read_bytes())
    assert fast is hide  # not None: the fast path was taken
    assert reading.read_workbook(path).may_hide_rows is hide  # what the workbook says about itself
    real = reading.hidden_rows(path, "Biểu 01")  # reads the sheet through zipfile
    assert real == ({8} if hide else set())


def _published_annex(path: Path, schema, group_row=None) -> Path:
    """The annex as the plan prints it: phase row, I Tỉnh 48 %, II Huyện, thành phố 52 %, 11 districts, windows."""
    from openpyxl import Workbook

    codes = [i.code for i in schema.indicators]
    province, districts = schema.targets.parts
    wb = Workbook()
    ws = wb.active
    ws.append(["BIỂU NỘI DUNG, CHỈ TIÊU THỰC HIỆN DỰ ÁN 8 GIAI ĐOẠN 2022 - 2025"])
    ws.append(["TT", "Huyện, thành phố", "Số bản DBKK", "NỘI DUNG"])
    groups = {g.code: g.label for g in schema.groups}
    ws.append(
        ["", "", ""]
        + [
            groups[i.group] if k == 0 or schema.indicators[k].group != schema.indicators[k - 1].group else ""
            for k, i in enumerate(schema.indicators)
            if i.group
        ]
    )
    ws.append(["", "", ""] + [f"{i.label} ({i.unit})" for i in schema.indicators if i.group])
    ws.append(["", "Chỉ tiêu cần đạt trong giai đoạn I"] + [int(schema.targets.phase[c]) for c in codes])
    ws.append(["I", "Tỉnh", "48%"] + [int(province.values[c]) for c in codes[1:]])
    ws.append(["II", "Huyện, thành phố", "52%"] + (group_row or [int(districts.values[c]) for c in codes[1:]]))
    for k, unit in enumerate(schema.units, start=1):
        ws.append([k, unit.name] + [int(schema.target_for(unit.code, c)) for c in codes])
    ws.append(["", "Thời gian hoàn thành"] + [i.window for i in schema.indicators])
    wb.save(path)
    return path


def test_the_published_annex_itself(tmp_path, schema):
    from mtqg_cli.aggregation import aggregate
    from mtqg_cli.validate import Report

    result = validate_file(_published_annex(tmp_path / "pl.xlsx", schema), schema)
    assert result.issues == [] and len(result.rows) == 11
    agg = aggregate(Report(schema, [result]))
    assert [int(agg.totals[i.code]) for i in schema.indicators] == [1449, 416, 114, 70, 19, 36, 168, 71, 52, 23, 18, 61]


def test_a_group_row_that_is_not_the_sum_of_its_districts(tmp_path, schema):
    districts = schema.targets.parts[1]
    row = [int(districts.values[i.code]) for i in schema.indicators[1:]]
    row[0] = 417  # the province's compiled row says 417 communication teams; its districts add up to 416
    result = validate_file(_published_annex(tmp_path / "pl.xlsx", schema, group_row=row), schema)
    assert [(i.code, i.cell) for i in result.issues] == [("total-row-mismatch", "D7")]


def test_word_97_document_renamed_to_xls(tmp_path, schema):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    p = tmp_path / "bao-cao.xls"
    p.write_bytes(ole)
    result = validate_file(p, schema)
    assert [(i.code, i.params["detail"]) for i in result.issues] == [("file-not-spreadsheet", "Word .doc")]


def test_zip_that_understates_a_sheet_is_refused(tmp_path, schema):
    """A zip whose directory says a sheet is small while it inflates to more (how a bomb hides from a size check)
    is refused before any reader inflates it."""
    import struct

    path = write_xlsx(tmp_path / "lying.xlsx", [("Biểu 01", _std(schema))])
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", data, at + 24, 100)  # uncompressed size in the central directory
            local = struct.unpack_from("<I", data, at + 42)[0]
            struct.pack_into("<I", data, local + 22, 100)  # and in the local header
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    result = validate_file(path, schema)
    assert [i.code for i in result.issues] == ["file-corrupt"]
    assert "false" in result.issues[0].message("en")


@pytest.mark.parametrize(
    "cells, expected",
    [
        ('<row r="1"><c r="A1"><v>1</v></c><c r="C1" t="s"><v>0</v></c></row>', (1, 3)),
        ('<row r="2"><c r="B2" s="1"/></row><row r="5"><c r="AA5"><v>2</v></c></row>', (5, 27)),
        ('<row r="1"><c><v>1</v></c><c><v>2</v></c></row><row r="9"><c><v>3</v></c></row>', (9, 2)),  # no r
        ('<x:row r="3"><x:c r="D3"><x:v>1</x:v></x:c></x:row>', (3, 4)),  # a namespace prefix
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="2"/></row>', (1, 1)),
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="7"><c r="XFD7"><f>1+1</f></c></row>', (1, 1)),
        (
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            (1048576, 16384),
        ),
    ],
)
def test_a_sheets_used_area_is_what_the_reader_lays_out(cells, expected):
    """The area worked out before reading counts cells holding a value (formatting alone, a formula without a
    saved value count nothing), with or without references and namespace prefixes. The quick path (references
    only) may say more, never less, and is only trusted within the bounds: over them, the cells decide."""
    from mtqg_cli.usedarea import _xlsx_cells, xlsx_sheet_extent

    xml = f"<worksheet><sheetData>{cells}</sheetData></worksheet>".encode()
    assert _xlsx_cells(xml) == expected
    rows, cols = xlsx_sheet_extent(xml, 100_000, 5_000_000)
    assert rows >= expected[0] and cols >= expected[1]
    assert (rows <= 100_000 and rows * cols <= 5_000_000) == (expected[0] <= 100_000)
    assert xlsx_sheet_extent(xml, 1, 1) == expected  # over any bound: worked out cell by cell
