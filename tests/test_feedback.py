"""Feedback copies for units (--annotate) and blank forms to send out (mtqg template), read back for real."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook
from typer.testing import CliRunner

from corpus import form_grid, unit_values, write_xls
from helpers import ANNEX_DISTRICT_ROW, convert_with_libreoffice, needs_libreoffice, write_unit
from mtqg_cli.aggregation import aggregate
from mtqg_cli.cli.app import app
from mtqg_cli.feedback import SHEET, write_feedback
from mtqg_cli.samples import write_unit_workbook
from mtqg_cli.validate import validate_file, validate_paths

RED, YELLOW = "00FFC7CE", "00FFEB9C"


def _bad_moc_chau(folder, schema):
    values = unit_values(schema, "moc-chau")
    values["to_truyen_thong"] = "mười ba"
    values["to_tkvvtb"] = -2
    values["clb_thu_linh"] = "3 CLB"
    return write_unit(
        folder / "moc-chau.xlsx", schema, "moc-chau", values=values, total={"to_tkvvtb_gals": 30, "clb_thu_linh": 3}
    )


def test_annotated_copy(tmp_path, schema):
    src = _bad_moc_chau(tmp_path, schema)
    before = src.read_bytes()
    result = validate_file(src, schema)
    out = write_feedback(result, tmp_path / "gui-lai")
    assert src.read_bytes() == before  # the received file is untouched
    assert out == tmp_path / "gui-lai" / "moc-chau_can-sua.xlsx"
    wb = load_workbook(out)
    assert wb.sheetnames[0] == SHEET and wb.active.title == SHEET
    listed = [(r[2], r[3]) for r in wb[SHEET].iter_rows(min_row=5, values_only=True)]
    assert listed == [("D10", "Lỗi"), ("E10", "Lỗi"), ("J10", "Cảnh báo"), ("F11", "Lỗi")]
    link = wb[SHEET]["C5"].hyperlink
    assert (link.location or link.target) in ("'Biểu 01'!D10", "#'Biểu 01'!D10")
    ws = wb["Biểu 01"]
    assert ws["D10"].fill.fgColor.rgb == RED and ws["E10"].fill.fgColor.rgb == RED
    assert ws["J10"].fill.fgColor.rgb == YELLOW
    assert ws["F11"].fill.fgColor.rgb == RED
    assert "Sửa dòng tổng cộng thành 3" in ws["F11"].comment.text
    assert "không phải là số" in ws["D10"].comment.text
    assert ws["C10"].comment is None and ws["D10"].value == "mười ba"


def test_annotated_copy_of_an_xls(tmp_path, schema):
    values = unit_values(schema, "bac-yen")
    values["to_tkvvtb"] = -1
    src = write_xls(tmp_path / "bac-yen.xls", [("Bieu", form_grid(schema, "Bắc Yên", values))])
    out = write_feedback(validate_file(src, schema), tmp_path, lang="en")
    assert out.name == "bac-yen_can-sua.xlsx"
    wb = load_workbook(out)
    assert [r[2] for r in wb[SHEET].iter_rows(min_row=5, values_only=True)] == ["E9"]
    assert wb["Bieu"]["E9"].fill.fgColor.rgb == RED and wb["Bieu"]["E9"].value == -1
    assert wb[SHEET]["E5"].value.startswith("The cell «Củng cố chất lượng/thành lập mới tổ TKVVTB» holds -1")


def test_no_copy_for_a_clean_file(tmp_path, schema):
    src = write_unit(tmp_path / "ok.xlsx", schema, "mai-son")
    assert write_feedback(validate_file(src, schema), tmp_path / "out") is None
    assert not (tmp_path / "out").exists()


def test_cli_annotate(annex_folder, tmp_path, schema):
    _bad_moc_chau(annex_folder, schema)
    (annex_folder / "moc-chau_2024.xlsx").unlink()
    result = CliRunner().invoke(app, ["validate", str(annex_folder), "--annotate", str(tmp_path / "fb")])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["moc-chau_can-sua.xlsx"]


# -- blank forms


def test_blank_form(tmp_path, schema):
    result = CliRunner().invoke(app, ["template", "son-la-du-an-8", "--all", "-o", str(tmp_path), "-p", "2025"])
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*_bieu-trong.xlsx"))
    assert len(files) == 11
    wb = load_workbook(tmp_path / "moc-chau_2025_bieu-trong.xlsx")
    assert wb.sheetnames == ["Biểu 01", "Hướng dẫn"]
    ws = wb["Biểu 01"]
    assert ws["A1"].value == "UBND HUYỆN MỘC CHÂU" and ws["A4"].value.endswith("NĂM 2025")
    assert ws["B10"].value == "Huyện Mộc Châu"
    assert ws.protection.sheet is True
    assert ws["D10"].protection.locked is False and ws["D8"].protection.locked is True
    assert ws["D11"].value == "=SUM(D10:D10)"
    rules = {str(dv.sqref): (dv.type, dv.operator, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert rules["D10"] == ("whole", "greaterThanOrEqual", "0")
    assert len(rules) == 12
    guide = [r[0] for r in wb["Hướng dẫn"].iter_rows(values_only=True) if r[0]]
    assert any("trước ngày 10/09" in line for line in guide)
    assert any(
        line.startswith("- Thành lập và duy trì tổ truyền thông cộng đồng (tổ); chỉ tiêu giai đoạn của đơn vị: 13")
        for line in guide
    )


def _fill_blank_forms(folder, schema):
    paths = []
    for unit in schema.units:
        path = write_unit_workbook(folder / f"{unit.code}.xlsx", schema, unit, {}, period="2025", blank=True)
        wb = load_workbook(path)
        ws = wb["Biểu 01"]
        for k, ind in enumerate(schema.indicators):
            ws.cell(row=10, column=3 + k, value=int(schema.target_for(unit.code, ind.code)))
        wb.save(path)
        paths.append(path)
    return paths


def test_filled_blank_forms_validate_and_add_up(tmp_path, schema):
    _fill_blank_forms(tmp_path, schema)
    report = validate_paths([tmp_path], schema)
    # totals are formulas that only a spreadsheet program calculates: checked as 'not calculated', never as 0
    assert {i.code for i in report.issues} == {"total-not-calculated"}
    assert report.valid
    agg = aggregate(report)
    assert [int(agg.totals[i.code]) for i in schema.indicators] == ANNEX_DISTRICT_ROW


@needs_libreoffice
def test_round_trip_through_libreoffice_xls_and_ods(tmp_path, schema):
    filled = tmp_path / "filled"
    filled.mkdir()
    _fill_blank_forms(filled, schema)
    for fmt in ("xls", "ods"):
        out = tmp_path / fmt
        for path in sorted(filled.glob("*.xlsx")):
            convert_with_libreoffice(path, fmt, out)
        report = validate_paths([out], schema)
        assert len(report.files) == 11 and all(f.path.suffix == f".{fmt}" for f in report.files)
        assert report.issues == [], [i.message("en") for i in report.issues][:3]
        agg = aggregate(report)
        assert [int(agg.totals[i.code]) for i in schema.indicators] == ANNEX_DISTRICT_ROW
    shutil.rmtree(filled)
