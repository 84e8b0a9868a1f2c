"""The written .xlsx and .docx, read back with openpyxl / python-docx, and opened by LibreOffice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from helpers import ANNEX_DISTRICT_ROW, convert_with_libreoffice, needs_libreoffice
from mtqg_cli.aggregation import aggregate
from mtqg_cli.errors import MtqgError
from mtqg_cli.render.docx import render_docx, report_context, vn_date
from mtqg_cli.render.xlsx import put, write_aggregate_xlsx
from mtqg_cli.validate import validate_paths

TODAY = dt.date(2024, 9, 15)


@pytest.fixture
def nine_of_eleven(annex_folder, schema):
    (annex_folder / "bac-yen_2024.xlsx").unlink()
    (annex_folder / "yen-chau_2024.xlsx").unlink()
    report = validate_paths([annex_folder], schema)
    return report, aggregate(report)


def test_vn_date():
    assert vn_date(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert vn_date(dt.date(2024, 9, 15)) == "ngày 15 tháng 9 năm 2024"
    assert vn_date(dt.date(2024, 1, 31)) == "ngày 31 tháng 01 năm 2024"
    assert vn_date(dt.date(2024, 12, 1)) == "ngày 01 tháng 12 năm 2024"


def test_xlsx_holds_the_figures(nine_of_eleven, tmp_path, schema):
    report, agg = nine_of_eleven
    out = write_aggregate_xlsx(agg, tmp_path / "tong-hop.xlsx", report)
    wb = load_workbook(out)
    ws = wb["Tổng hợp"]
    rows = list(ws.iter_rows(values_only=True))
    total = next(r for r in rows if isinstance(r[1], str) and r[1].startswith("Tổng cộng"))
    assert total[1] == "Tổng cộng (9/11 đơn vị)"
    assert list(total[2:]) == [int(agg.totals[i.code]) for i in schema.indicators]
    assert total[3] == 416 - 22 - 33
    names = [r[1] for r in rows if isinstance(r[0], int)]
    assert names[0] == "Bắc Yên (chưa nộp)" and names[-1] == "Yên Châu (chưa nộp)"
    assert any(isinstance(r[0], str) and r[0] == "Chưa nộp (2): Bắc Yên, Yên Châu." for r in rows)
    assert ws.freeze_panes == "C7"  # title (1-2), blank, header (4-5), column numbers (6) stay on screen
    assert ws["C8"].number_format == "#,##0"
    assert ws["A4"].font.bold and ws["A4"].fill.fgColor.rgb.endswith("DDEBF7")
    status = {r[1]: r[2] for r in wb["Tình hình nộp"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert status["Bắc Yên"] == "Chưa nộp" and status["Mai Sơn"] == "Đã nộp"
    progress = list(wb["Tiến độ"].iter_rows(min_row=5, values_only=True))
    assert progress[1][1:6] == (
        "Thành lập và duy trì tổ truyền thông cộng đồng",
        "tổ",
        361,
        416,
        round(361 / 416 * 100, 1),
    )


def test_header_rows_are_as_tall_as_their_wrapped_headings(nine_of_eleven, tmp_path, schema):
    """A group heading over one narrow column wraps to many lines: its row must hold them all (a fixed 48 pt cut the
    first Dự án 8 heading in print). Checked in the summary and in the annex, read back from the files."""
    from mtqg_cli.render.annex import write_annex_xlsx

    report, agg = nine_of_eleven
    heading = "Tổ/nhóm truyền thông cộng đồng được thành lập và duy trì"
    for out, sheet in (
        (write_aggregate_xlsx(agg, tmp_path / "th.xlsx", report), "Tổng hợp"),
        (write_annex_xlsx(agg, tmp_path / "pl.xlsx", report), "Phụ lục"),
    ):
        ws = load_workbook(out)[sheet]
        cell = next(c for row in ws.iter_rows(min_row=4, max_row=4) for c in row if c.value == heading)
        width = ws.column_dimensions[cell.column_letter].width
        assert width <= 14 and not any(cell.coordinate in rng and rng.size["columns"] > 1 for rng in ws.merged_cells)
        # 56 characters in a column 13-14 characters wide: at least 5 lines of 11 pt text (13.5 pt and more each)
        assert ws.row_dimensions[4].height >= 5 * 13.5
        # the headings under a group (row 5) fit too: 'Số tổ truyền thông ... (tổ)' and the like
        longest = max(len(str(c.value)) for c in ws[5] if c.value)
        assert ws.row_dimensions[5].height >= (longest / width) * 13.5
        assert ws.row_dimensions[4].height < 200 and ws.row_dimensions[5].height < 300  # not absurdly tall


def test_xlsx_never_writes_received_text_as_a_formula(tmp_path):
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    wb = Workbook()
    put(wb.active, 1, 1, '=HYPERLINK("http://x","bấm")')
    put(wb.active, 2, 1, "+1+2")
    wb.save(tmp_path / "t.xlsx")
    cells = CalamineWorkbook.from_path(str(tmp_path / "t.xlsx")).get_sheet_by_index(0).to_python()
    assert cells == [['=HYPERLINK("http://x","bấm")'], ["+1+2"]]


def test_docx_report(nine_of_eleven, tmp_path, schema):
    report, agg = nine_of_eleven
    out = render_docx(agg, tmp_path / "bao-cao.docx", report, period="2024", today=TODAY)
    doc = Document(str(out))
    section = doc.sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(m.mm) for m in measured] == [210, 297, 20, 20, 30, 15]
    head = doc.tables[0]
    assert head.cell(0, 0).paragraphs[0].text == "HỘI LHPN VIỆT NAM"
    issuer = head.cell(0, 0).paragraphs[1]
    assert issuer.text == "HỘI LHPN TỈNH SƠN\u00a0LA" and issuer.runs[0].bold  # a place name never broken
    assert head.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert head.cell(0, 1).paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    date_run = head.cell(1, 1).paragraphs[0].runs[0]
    assert head.cell(1, 1).paragraphs[0].text == "Sơn La, ngày 15 tháng 9 năm 2024"
    assert date_run.italic and date_run.font.name == "Times New Roman" and date_run.font.size.pt == 14
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Đến ngày 15/09/2024, 9/11 đơn vị đã nộp (81,8%). Đơn vị chưa nộp: Bắc Yên, Yên Châu." in text
    states = {r.cells[1].text: r.cells[2].text for r in doc.tables[3].rows[1:]}
    assert [n for n, st in states.items() if st == "Chưa nộp"] == ["Bắc Yên", "Yên Châu"]
    table = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["TT", "Chỉ tiêu", "ĐVT", "Kết quả", "Chỉ tiêu giai đoạn", "Tỷ lệ (%)"]
    assert len(rows) == 12  # header + 11 indicators (the tag rows are gone)
    expected = [
        [str(k), r["label"], r["unit"], r["achieved"], r["target"], r["percent"]]
        for k, r in enumerate(agg.progress_rows()[1:], start=1)
    ]
    assert rows[1:] == expected
    assert rows[1][3:] == ["361", "416", "86,8%"]
    sign = doc.tables[2]
    assert sign.cell(0, 1).paragraphs[0].text == "TM. BAN THƯỜNG VỤ"
    assert sign.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert sign.cell(0, 0).paragraphs[-1].text == "- Lưu: VT, Ban CSLP."


def test_docx_lists_problems_of_rejected_files_in_the_annex_only(annex_folder, tmp_path, schema):
    """The official text names the unit; the file, the cell and the fix go to the annex of errors."""
    from helpers import write_unit

    write_unit(annex_folder / "moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    report = validate_paths([annex_folder], schema)
    agg = aggregate(report)
    ctx = report_context(agg, report, today=TODAY)
    assert ctx["problems"] == [
        {
            "n": 1,
            "unit": "Mộc Châu",
            "where": "moc-chau_2024.xlsx, Biểu 01, E11",
            "error": "Dòng tổng cộng, cột «Củng cố chất lượng/thành lập mới tổ TKVVTB»: ghi 99, tổng các dòng là 3.",
            "fix": "Sửa dòng tổng cộng thành 3 (hoặc dùng công thức =SUM).",
        }
    ]
    doc = Document(str(render_docx(agg, tmp_path / "r.docx", report, today=TODAY)))
    text = "\n".join(p.text for p in doc.paragraphs)
    body = text[: text.index("PHỤ LỤC")]
    assert "Báo cáo của 1 đơn vị có lỗi, đã trả lại để sửa và chưa được tổng hợp: Mộc Châu" in body
    assert "E11" not in body and "moc-chau_2024.xlsx" not in body and "=SUM" not in body
    errors = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Cách sửa")
    assert [c.text for c in errors.rows[1].cells] == [
        "1",
        "Mộc Châu",
        "moc-chau_2024.xlsx, Biểu 01, E11",
        ctx["problems"][0]["error"],
        ctx["problems"][0]["fix"],
    ]


def test_template_with_unknown_variable_is_refused(nine_of_eleven, tmp_path):
    from docx import Document as NewDocument

    report, agg = nine_of_eleven
    tpl = NewDocument()
    tpl.add_paragraph("{{ issuer }} — {{ ten_lanh_dao }}")
    tpl.save(tmp_path / "mau.docx")
    with pytest.raises(MtqgError) as exc:
        render_docx(agg, tmp_path / "out.docx", report, template=tmp_path / "mau.docx")
    assert "ten_lanh_dao" in exc.value.message("en")
    assert not (tmp_path / "out.docx").exists()


@needs_libreoffice
def test_outputs_open_in_libreoffice(nine_of_eleven, tmp_path):
    report, agg = nine_of_eleven
    docx = render_docx(agg, tmp_path / "bao-cao.docx", report, today=TODAY)
    xlsx = write_aggregate_xlsx(agg, tmp_path / "tong-hop.xlsx", report)
    for src in (docx, xlsx):
        pdf = convert_with_libreoffice(src, "pdf", tmp_path / "pdf")
        assert pdf.read_bytes().startswith(b"%PDF")
        assert pdf.stat().st_size > 5000
    # LibreOffice re-saves the workbook it opened; the figures survive the round trip
    back = convert_with_libreoffice(xlsx, "xlsx", tmp_path / "resaved")
    rows = list(load_workbook(back)["Tổng hợp"].iter_rows(values_only=True))
    total = next(r for r in rows if r[1] == "Tổng cộng (9/11 đơn vị)")
    assert total[2] == ANNEX_DISTRICT_ROW[0] - 78 - 112
    assert total[3] == 416 - 22 - 33


def test_outputs_get_the_usual_permissions(nine_of_eleven, tmp_path):
    import os
    import stat

    report, agg = nine_of_eleven
    out = write_aggregate_xlsx(agg, tmp_path / "th.xlsx", report)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".th-")]  # no temporary file left behind


def test_an_output_cleans_up_what_a_killed_run_left(tmp_path):
    """A temporary file a killed writer left beside its output is removed by the next write there; one of a
    writer still running is left alone."""
    import os
    import subprocess

    from mtqg_cli.render import atomic_write

    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that has finished: its id is free
    left = tmp_path / f".tong-hop.mtqg-tmp-{gone.pid}-abc123.xlsx"
    left.write_bytes(b"half a file")
    running = tmp_path / f".tong-hop.mtqg-tmp-{os.getppid()}-def456.xlsx"
    running.write_bytes(b"being written")
    atomic_write(tmp_path / "tong-hop.xlsx", lambda tmp: tmp.write_bytes(b"whole"))
    assert (tmp_path / "tong-hop.xlsx").read_bytes() == b"whole"
    assert not left.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["tong-hop.xlsx", running.name])


def test_long_names_get_tall_rows_and_money_keeps_its_decimal(tmp_path):
    """giai-ngan-1719: the wrapped project names overlapped in LibreOffice (no row height), 'Tiến độ' printed
    189.638,9 as 189,639, the terminal 67,91402."""
    from typer.testing import CliRunner

    from mtqg_cli.cli.app import app

    root = Path(__file__).resolve().parents[1] / "sample_data" / "giai-ngan-1719"
    out = tmp_path / "th.xlsx"
    result = CliRunner().invoke(app, ["aggregate", str(root), "-o", str(out), "-p", "2024"])
    assert "67,9" in result.output and "67,91402" not in result.output
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    long_rows = [c.row for c in ws["B"] if isinstance(c.value, str) and len(c.value) > 90]
    assert long_rows and all((ws.row_dimensions[r].height or 0) >= 30 for r in long_rows)
    progress = wb["Tiến độ"]
    cell = next(row[3] for row in progress.iter_rows(min_row=5) if row[1].value == "Kế hoạch vốn được giao")
    assert cell.value == pytest.approx(189638.9) and cell.number_format.endswith("0.0")
    assert progress.oddFooter.center.text == "Trang &P/&N" and progress.page_setup.fitToWidth == 1


def test_a_title_that_does_not_wrap_keeps_one_lines_height_and_a_short_sheet_prints_on_one_page(tmp_path, schema):
    """The status sheet's title stood unmerged in column A: its row was given the height of the text wrapped in a
    5-character column (875 pt) and page 1 printed blank. A blank form's signature block went to a page of its own."""
    import datetime as dt

    from mtqg_cli.periods import parse_period
    from mtqg_cli.render.xlsx import write_status_xlsx
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.store_results import Status, UnitStatus

    units = [UnitStatus(u.code, u.name, "missing") for u in schema.units]
    status = Status(schema, parse_period("2024"), dt.date(2024, 9, 10), None, units)
    ws = load_workbook(write_status_xlsx(status, tmp_path / "tinh-hinh.xlsx")).active
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert all(ws.row_dimensions[r].height < 60 for r in (1, 2))
    assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1
    blank = write_unit_workbook(tmp_path / "bieu.xlsx", schema, schema.units[0], {}, period="2025", blank=True)
    form = load_workbook(blank).worksheets[0]
    assert form.page_setup.fitToHeight == 1 and form.sheet_properties.pageSetUpPr.fitToPage
    long = write_status_xlsx(Status(schema, parse_period("2024"), None, None, units * 5), tmp_path / "dai.xlsx")
    assert load_workbook(long).active.page_setup.fitToHeight == 0  # 55 rows: as many pages as it needs


def test_no_chart_of_thousands_of_units(schema, sample_folder):
    """A ministry's form with a target for each of 3,321 communes: a bar each took 24 s and made a 20 MB image 32 m
    tall in the report; the chart is left out (the annex's table holds every unit), and drawn for a province's 11."""
    from dataclasses import replace

    from mtqg_cli.aggregation import aggregate
    from mtqg_cli.render import charts
    from mtqg_cli.validate import validate_paths

    agg = aggregate(validate_paths([sample_folder], schema))
    assert charts.unit_chart(agg) is not None
    many = replace(agg, expected=agg.expected * 7)  # 77 units with their means
    assert len([r for r in charts.unit_summary(many) if r["mean"] is not None]) > charts.CHART_UNITS_AT_MOST
    assert charts.unit_chart(many) is None
