"""The compiled report: layout facts read back from the .docx, every figure against the aggregate, charts,
the landscape annex, the Excel annex's live formulas, user templates, HTML and PDF."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import convert_with_libreoffice, needs_libreoffice
from mtqg_cli.aggregation import aggregate
from mtqg_cli.cli.app import app
from mtqg_cli.numbers import format_number
from mtqg_cli.render.annex import write_annex_xlsx
from mtqg_cli.render.charts import unit_summary
from mtqg_cli.render.docx import VARIABLES, render_docx, render_html, report_context, template_path
from mtqg_cli.validate import validate_paths

TODAY = dt.date(2025, 2, 5)


@pytest.fixture
def compiled(sample_folder, schema, tmp_path):
    (sample_folder / "yen-chau_2024.xlsx").unlink()
    report = validate_paths([sample_folder], schema)
    agg = aggregate(report)
    path = render_docx(agg, tmp_path / "bao-cao.docx", report, period="2024", today=TODAY)
    return report, agg, Document(str(path))


def _run_facts(paragraph):
    run = next(r for r in paragraph.runs if r.text.strip())
    return run.font.name, run.font.size.pt, bool(run.bold), bool(run.italic)


def test_layout_facts(compiled):
    _, _, doc = compiled
    first, annex = doc.sections[0], doc.sections[1]
    assert [round(x.mm) for x in (first.page_width, first.page_height)] == [210, 297]
    assert [round(x.mm) for x in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] == [
        20,
        20,
        30,
        15,
    ]
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml
    assert annex.orientation == WD_ORIENT.LANDSCAPE and round(annex.page_width.mm) == 297
    head = doc.tables[0]
    cells = {
        "parent": head.cell(0, 0).paragraphs[0],
        "issuer": head.cell(0, 0).paragraphs[1],
        "quoc_hieu": head.cell(0, 1).paragraphs[0],
        "tieu_ngu": head.cell(0, 1).paragraphs[1],
        "number": head.cell(1, 0).paragraphs[0],
        "date": head.cell(1, 1).paragraphs[0],
    }
    facts = {k: _run_facts(p) for k, p in cells.items()}
    tnr = "Times New Roman"
    assert facts == {
        "parent": (tnr, 13, False, False),
        "issuer": (tnr, 13, True, False),
        "quoc_hieu": (tnr, 13, True, False),
        "tieu_ngu": (tnr, 14, True, False),
        "number": (tnr, 13, False, False),
        "date": (tnr, 14, False, True),
    }
    assert cells["date"].text == "Sơn La, ngày 05 tháng 02 năm 2025"
    assert cells["parent"].text.isupper() and cells["issuer"].text.isupper()
    body = [p for p in doc.paragraphs if p.text.startswith("Căn cứ")][0]
    assert body.alignment == 3 and round(body.paragraph_format.first_line_indent.cm, 2) == 1.27  # JUSTIFY
    assert body.paragraph_format.space_after.pt >= 6 and _run_facts(body)[1] == 14
    sign = doc.tables[2]
    assert _run_facts(sign.cell(0, 0).paragraphs[0]) == (tnr, 12, True, True)
    assert sign.cell(0, 1).paragraphs[0].text == "TM. BAN THƯỜNG VỤ"
    recipients = [p for p in sign.cell(0, 0).paragraphs[1:] if p.text]
    assert all(_run_facts(p)[1] == 11 for p in recipients)
    assert recipients[-1].text.startswith("- Lưu: VT")
    assert all(p.text.endswith(";") for p in recipients[:-1])


def test_outline_sections_and_placeholders(compiled):
    _, _, doc = compiled
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in (
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "2. Tiến độ thực hiện các chỉ tiêu",
        "3. Bố trí, huy động, phân bổ và sử dụng nguồn lực",
        "4.2. Tồn tại, hạn chế và nguyên nhân",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "PHỤ LỤC: KẾT QUẢ THEO ĐƠN VỊ",
    ):
        assert heading in text
    assert text.count("[Cán bộ tổng hợp viết") >= 8
    assert "1.1. Tổ/nhóm truyền thông cộng đồng được thành lập và duy trì" in text
    assert "Các đơn vị chậm tiến độ (bình quân dưới 50% chỉ tiêu): Sốp Cộp, Vân Hồ." in text
    assert "Đơn vị đạt từ 100% chỉ tiêu trở lên (bình quân): Mộc Châu" in text
    assert "Biểu đồ 1. Tỷ lệ thực hiện so với chỉ tiêu giai đoạn, theo chỉ tiêu" in text


def test_every_figure_equals_the_aggregate(compiled):
    report, agg, doc = compiled
    rows = [[c.text for c in r.cells] for r in doc.tables[1].rows][1:]
    expected = [
        [str(r["n"]), r["label"], r["unit"], r["achieved"], r["target"], r["percent"]] for r in agg.summary_rows()
    ]
    assert rows == expected
    for row, (_code, prog) in zip(rows, list(agg.progress.iterrows())[1:], strict=True):
        assert row[3] == format_number(int(prog["achieved"]))
        assert row[4] == format_number(int(prog["target"]))
        assert float(row[5].rstrip("%").replace(",", ".")) == prog["percent"]
    units = [[c.text for c in r.cells] for r in doc.tables[3].rows][1:]
    summary = unit_summary(agg)
    assert len(units) == len(summary) == 11
    for row, u in zip(units, summary, strict=True):
        assert row[1] == u["name"] and row[2] == u["state"]
        if u["mean"] is None:
            assert row[3:] == ["", "", ""]
        else:
            assert float(row[3].rstrip("%").replace(",", ".")) == u["mean"]
            assert (int(row[4]), int(row[5])) == (u["done"], u["behind"])
    assert [r[2] for r in units if r[1] == "Yên Châu"] == ["Chưa nộp"]
    # the content paragraphs quote the same figures
    text = "\n".join(p.text for p in doc.paragraphs)
    for r in agg.summary_rows():
        assert f"{r['label']}: {r['achieved']} {r['unit']} ({r['percent']} chỉ tiêu giai đoạn)" in text


def test_charts_are_embedded(compiled):
    _, _, doc = compiled
    assert len(doc.inline_shapes) == 2
    blobs = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(blobs) == 2 and all(b.startswith(b"\x89PNG") for b in blobs)
    import io

    from PIL import Image  # matplotlib depends on Pillow

    sizes = [Image.open(io.BytesIO(b)).size for b in blobs]
    assert all(w >= 1200 for w, _ in sizes)  # print quality: 200 dpi


def test_excel_annex_has_live_formulas(sample_folder, schema, tmp_path):
    report = validate_paths([sample_folder], schema)
    agg = aggregate(report)
    path = write_annex_xlsx(agg, tmp_path / "phu-luc.xlsx", report)
    ws = load_workbook(path)["Phụ lục"]
    assert ws["C17"].value == "=SUM(C6:C16)" and ws["B17"].value == "TỔNG CỘNG"
    assert ws["D19"].value == '=IF(N(D18)>0,ROUND(D17/D18*100,1),"")'
    assert ws.print_title_rows == "$4:$5" and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws["C6"].number_format == "#,##0"
    assert {"A4:A5", "C4:C5", "E4:H4", "I4:K4", "L4:N4"} <= {str(m) for m in ws.merged_cells.ranges}


@needs_libreoffice
def test_excel_annex_recalculated_by_libreoffice_matches(sample_folder, schema, tmp_path):
    report = validate_paths([sample_folder], schema)
    agg = aggregate(report)
    path = write_annex_xlsx(agg, tmp_path / "phu-luc.xlsx", report)
    again = convert_with_libreoffice(path, "xlsx", tmp_path / "lo")
    ws = load_workbook(again, data_only=True)["Phụ lục"]
    totals = [ws.cell(row=17, column=3 + k).value for k in range(len(schema.indicators))]
    assert totals == [int(agg.totals[i.code]) for i in schema.indicators]
    pct = [ws.cell(row=19, column=3 + k).value for k in range(1, len(schema.indicators))]
    assert pct == [float(agg.progress.loc[i.code, "percent"]) for i in schema.indicators[1:]]


def test_shipped_template_uses_only_documented_variables(compiled):
    from docxtpl import DocxTemplate

    report, agg, _ = compiled
    tpl = DocxTemplate(str(template_path()))
    used = tpl.get_undeclared_template_variables()
    assert used <= set(VARIABLES)
    assert set(report_context(agg, report)) >= set(VARIABLES) - {"chart_indicators", "chart_units"}


def test_user_template(sample_folder, tmp_path):
    from docx import Document as New

    mine = New()
    mine.add_paragraph("Kính gửi: {{ recipients[0] }}")
    mine.add_paragraph("{{ completeness }}; chưa nộp: {{ missing|join(', ') or 'không' }}.")
    mine.save(tmp_path / "mau.docx")
    (sample_folder / "bac-yen_2024.xlsx").unlink()
    out = tmp_path / "cua-toi.docx"
    result = CliRunner().invoke(
        app, ["report", str(sample_folder), "-o", str(out), "--template", str(tmp_path / "mau.docx")]
    )
    assert result.exit_code == 0, result.output
    assert [p.text for p in Document(str(out)).paragraphs] == [
        "Kính gửi: Trung ương Hội LHPN Việt Nam (b/c)",
        "10/11 đơn vị đã nộp; chưa nộp: Bắc Yên.",
    ]


def test_list_variables():
    result = CliRunner().invoke(app, ["report", "--list-variables"])
    assert result.exit_code == 0
    names = re.findall(r"\{\{ (\w+) \}\}", result.output)
    assert names == list(VARIABLES)


def test_html_dashboard(sample_folder, schema, tmp_path):
    report = validate_paths([sample_folder], schema)
    agg = aggregate(report)
    page = render_html(agg, tmp_path / "xem.html", report).read_text(encoding="utf-8")
    assert "11/11 đơn vị đã nộp" in page and page.count("data:image/png;base64,") == 2
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org", "")
    for r in agg.summary_rows():
        assert f'<td class="n">{r["achieved"]}</td>' in page


@needs_libreoffice
def test_pdf_through_libreoffice(sample_folder, tmp_path):
    out = tmp_path / "bc.docx"
    result = CliRunner().invoke(app, ["report", str(sample_folder), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bc.pdf").read_bytes().startswith(b"%PDF")


def test_a_typo_far_above_its_target_is_questioned_never_celebrated(schema, tmp_path):
    """Sông Mã's 79 typed 7900 (the total kept consistent): a warning on its cell, in the feedback copy too; the unit
    is not among the highlights nor the units over target; the annex lists it under the figures to verify."""
    from mtqg_cli.samples import write_samples

    runner = CliRunner()
    values = {}
    for unit in schema.units:
        targets = {i.code: schema.target_for(unit.code, i.code) for i in schema.indicators}
        values[unit.code] = {c: (int(t * 2 // 3) if t is not None else 0) for c, t in targets.items()}
    values["song-ma"] = {c: int(schema.target_for("song-ma", c) or 0) * 2 for c in values["song-ma"]}
    values["song-ma"]["to_truyen_thong"] = 7900
    folder = tmp_path / "nhan"
    write_samples(folder, schema, values)
    result = json.loads(runner.invoke(app, ["validate", str(folder), "--format", "json"]).stdout)
    flagged = [
        (Path(f["file"]).stem, i["cell"], i["severity"])
        for f in result["files"]
        for i in f["issues"]
        if i["code"] == "figure-far-from-target"
    ]
    assert flagged == [("song-ma_2024", "D10", "warning")]
    copies = tmp_path / "gui-lai"
    runner.invoke(app, ["validate", str(folder), "--annotate", str(copies)])
    copy = load_workbook(next(copies.glob("song-ma*.xlsx")))
    comments = [c.comment.text for ws in copy for row in ws.iter_rows() for c in row if c.comment]
    assert any("gấp" in text and "chỉ tiêu cả giai đoạn" in text for text in comments)
    out = tmp_path / "bc.docx"
    runner.invoke(app, ["report", str(folder), "-o", str(out), "-p", "2024"])
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    highlights = body[body.index("4.1. Kết quả nổi bật") : body.index("4.2.")]
    assert "Sông Mã" not in highlights and "Thành lập và duy trì tổ truyền thông" not in highlights
    assert "Mộc Châu" not in highlights  # 2/3 of its targets everywhere: nothing to celebrate
    assert "7.900" not in body[: body.index("PHỤ LỤC")]
    # the total that holds it is not stated as a success: it says where it stands that it is to be verified
    assert "Thành lập và duy trì tổ truyền thông cộng đồng: 8.115 tổ (có số liệu cần xác minh, xem phụ lục)" in body
    progress = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Tỷ lệ (%)")
    first = [c.text for c in progress.rows[1].cells]
    assert first[3] == "8.115" and first[-1] == "cần xác minh"
    verify = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Lý do cần xác minh")
    [row] = [r for r in verify.rows[1:]]
    assert [c.text for c in row.cells[1:4]] == ["Sông Mã", "Thành lập và duy trì tổ truyền thông cộng đồng", "7.900"]
    assert "gấp" in row.cells[4].text and "lần chỉ tiêu giai đoạn" in row.cells[4].text


def test_the_period_in_words_in_every_output_and_taken_from_the_returns_or_asked_for(sample_folder, tmp_path):
    runner = CliRunner()
    out, annex = tmp_path / "bc.docx", tmp_path / "pl.xlsx"
    result = runner.invoke(app, ["report", str(sample_folder), "-p", "2024-H1", "-o", str(out), "-o", str(annex)])
    assert result.exit_code in (0, 1), result.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả thực hiện Dự án 8 6 tháng đầu năm 2024" in text and "2024-H1" not in text
    assert "6 THÁNG ĐẦU NĂM 2024" in str(load_workbook(annex).active["A1"].value)
    # without a period: the returns' titles say 'NĂM 2024', and the officer is told
    result = runner.invoke(app, ["report", str(sample_folder), "-o", str(out)])
    assert "Kỳ báo cáo lấy theo tiêu đề các tệp: 2024" in result.output
    assert "Kết quả thực hiện Dự án 8 năm 2024" in "\n".join(p.text for p in Document(str(out)).paragraphs)
    # returns whose titles name no period: asked for (exit 2), nothing written
    bare = tmp_path / "khong-ky"
    bare.mkdir()
    for path in sorted(sample_folder.glob("*.xlsx"))[:3]:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows(max_row=6):
                for c in row:
                    if isinstance(c.value, str) and "2024" in c.value:
                        c.value = c.value.replace("NĂM 2024", "").replace("2024", "")
        wb.save(bare / path.name)
    result = runner.invoke(app, ["report", str(bare), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "--period" in result.output and not (tmp_path / "x.docx").exists()


def test_a_returned_unit_is_called_the_same_in_every_output(schema, tmp_path):
    """'Trả lại — có lỗi, chưa nộp lại' in the Word annex, the tổng hợp, the terminal and the JSON; a unit that sent
    nothing is 'Chưa nộp' everywhere."""
    from helpers import write_unit
    from mtqg_cli.samples import target_values, write_samples

    runner = CliRunner()
    folder = tmp_path / "nhan"
    write_samples(folder, schema, {u.code: target_values(schema, u) for u in schema.units})
    for path in folder.glob("bac-yen*"):
        path.unlink()
    write_unit(folder / "moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    returned, missing = "Trả lại — có lỗi, chưa nộp lại", "Chưa nộp"
    out, book = tmp_path / "bc.docx", tmp_path / "th.xlsx"
    runner.invoke(app, ["report", str(folder), "-p", "2024", "-o", str(out)])
    states = {
        r.cells[1].text: r.cells[2].text
        for t in Document(str(out)).tables
        if len(t.columns) > 2 and t.rows[0].cells[2].text == "Tình trạng báo cáo"
        for r in t.rows[1:]
    }
    assert states["Mộc Châu"] == returned and states["Bắc Yên"] == missing and states["Sông Mã"] == "Đã nộp"
    terminal = runner.invoke(app, ["aggregate", str(folder), "-o", str(book)]).output
    assert f"{returned}: Mộc Châu" in terminal and f"{missing}: Bắc Yên" in terminal
    sheet = load_workbook(book)["Tình hình nộp"]
    by_unit = {r[1]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]}
    assert by_unit["Mộc Châu"] == returned and by_unit["Bắc Yên"] == missing
    units = json.loads(runner.invoke(app, ["aggregate", str(folder), "--format", "json"]).stdout)["units"]
    by_code = {u["unit"]: (u["state"], u["state_text"]) for u in units}
    assert by_code["moc-chau"] == ("rejected", returned) and by_code["bac-yen"] == ("missing", missing)


def test_the_nghi_dinh_30_finish(compiled):
    """A name to sign over (or a visible place for it), the annex numbered on its own with the report's number and
    date, numbered chart captions, table rows that never split."""
    from docx.oxml.ns import qn

    _, _, doc = compiled
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any("[Họ và tên người ký]" in c or "[Chức vụ người ký]" in c for c in cells) or "[Họ và tên" in text
    annex = doc.sections[1]._sectPr.find(qn("w:pgNumType"))
    assert annex is not None and annex.get(qn("w:start")) == "1" and doc.sections[1].different_first_page_header_footer
    assert re.search(r"\(Kèm theo Báo cáo số .* ngày +tháng +năm \d{4} của ", text)
    assert "Biểu đồ 1. " in text and "Biểu đồ 2. " in text
    data_tables = [
        t
        for t in doc.tables
        if t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    ]
    assert len(data_tables) >= 2
    for table in data_tables:  # a header repeated on each page, no row split across two
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_an_outline_gives_every_heading_in_order_and_two_forms_make_one_report(tmp_path):
    """--outline du-an-8: every heading and sub-item of the plan's ĐỀ CƯƠNG, in its order; a folder holding the
    Dự án 8 returns and the disbursement returns: one report, a section for the second form, its money in part 3."""
    import shutil

    from mtqg_cli.outlines import load_outline

    root = Path(__file__).resolve().parents[1] / "sample_data"
    folder = tmp_path / "nhan"
    shutil.copytree(root / "son-la-du-an-8", folder / "du-an-8")
    shutil.copytree(root / "giai-ngan-1719", folder / "giai-ngan")
    out = tmp_path / "bc.docx"
    result = CliRunner().invoke(app, ["report", str(folder), "-p", "2024", "--outline", "du-an-8", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    outline = load_outline("du-an-8")
    at = 0
    for heading in [h for h in outline.headings() if h]:
        found = text.find(heading, at)
        assert found >= 0, heading
        at = found + len(heading)
    assert len([h for h in outline.headings() if h]) >= 25
    assert "Biểu «Biểu nội dung, chỉ tiêu thực hiện Dự án 8 giai đoạn 2022 - 2025»" in text  # the second form
    assert "11/11 đơn vị đã nộp." in text and "Thành lập và duy trì tổ truyền thông cộng đồng: 306 tổ" in text
    funds = text[text.index("3. Bố trí, huy động") : text.index("4. Đánh giá chung")]
    assert "triệu đồng" in funds and "không có số liệu nguồn vốn" not in funds
    assert "[Cán bộ tổng hợp viết: Nguồn ngân sách Trung ương]" in funds


def test_outline_list_and_an_unknown_outline(tmp_path):
    runner = CliRunner()
    listed = runner.invoke(app, ["outline", "list", "--format", "json"])
    assert {o["id"] for o in json.loads(listed.stdout)} >= {"chung", "du-an-8", "giam-ngheo"}
    root = Path(__file__).resolve().parents[1] / "sample_data" / "son-la-du-an-8"
    result = runner.invoke(
        app, ["report", str(root), "-p", "2024", "--outline", "khong-co", "-o", str(tmp_path / "x.docx")]
    )
    assert result.exit_code == 2 and "du-an-8" in result.output and not (tmp_path / "x.docx").exists()


def test_the_word_file_says_who_made_it_and_when(compiled):
    _, _, doc = compiled
    props = doc.core_properties
    assert props.author == "Hội LHPN tỉnh Sơn La" and "python-docx" not in (props.author or "")
    assert props.title.startswith("Báo cáo Kết quả thực hiện") and props.created.year >= 2026


def test_a_form_without_unit_targets_shows_each_units_figures_and_their_total_in_the_annex(tmp_path):
    """giai-ngan-1719 had three empty columns (means of targets it has none of) and no total row."""
    root = Path(__file__).resolve().parents[1] / "sample_data" / "giai-ngan-1719"
    out = tmp_path / "bc.docx"
    CliRunner().invoke(app, ["report", str(root), "-p", "2024", "-o", str(out)])
    table = next(
        t
        for t in Document(str(out)).tables
        if t.rows[0].cells[0].text == "TT" and "Tình trạng" in t.rows[0].cells[2].text
    )
    heads = [c.text for c in table.rows[0].cells]
    assert heads[3:] == ["Kế hoạch vốn được giao (triệu đồng)", "Vốn đã giải ngân (triệu đồng)", "Tỷ lệ giải ngân (%)"]
    last = [c.text for c in table.rows[-1].cells]
    assert last[1:] == ["Cộng", "12/12 đơn vị đã nộp", "189.638,9", "128.791,4", "67,9"]
    assert all(c.text for r in table.rows[1:] for c in r.cells[3:])


def test_no_empty_lines_where_an_outline_part_has_no_heading_or_note(compiled):
    _, _, doc = compiled
    texts = [p.text for p in doc.paragraphs]
    start = next(k for k, t in enumerate(texts) if t.startswith("III. "))
    end = next(k for k, t in enumerate(texts) if t.startswith("IV. "))
    assert all(t.strip() for t in texts[start : end + 2])
    funds = next(k for k, t in enumerate(texts) if t.startswith("3. Bố trí"))
    assessment = next(k for k, t in enumerate(texts) if t.startswith("4. Đánh giá chung"))
    assert all(t.strip() for t in texts[funds:assessment])


def test_a_plan_is_reported_as_an_allocation_not_as_results(tmp_path):
    """The Đại Từ capital plan was presented as 'kết quả 100%'."""
    root = Path(__file__).resolve().parents[1] / "sample_data" / "dai-tu-von-2022"
    out = tmp_path / "bc.docx"
    assert CliRunner().invoke(app, ["report", str(root), "-p", "2022", "-o", str(out)]).exit_code in (0, 1)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Phân bổ: 5.558,0 triệu đồng; khớp với số được giao." in text
    assert "Kết quả: 5.558,0" not in text and "đạt 100" not in text and "Biểu đồ 1." not in text


def test_a_long_table_of_units_made_after_rendering_reads_as_the_template_renders_it(
    sample_folder, schema, tmp_path, monkeypatch
):
    """The units' table of thousands of rows is copied from one rendered row (docxtpl's passes over every
    paragraph cost more than the rest of a ministry's report): the same rows, texts, cells and row properties as
    the template's own loop gives."""
    import mtqg_cli.render.docx as docx_render

    report = validate_paths([sample_folder], schema)
    agg = aggregate(report)

    def tables(path):
        out = []
        for t in Document(str(path)).tables:
            out.append([[c.text for c in r.cells] for r in t.rows])
        return out

    monkeypatch.setattr(docx_render, "HELD_FROM", 10**9)
    whole = tables(render_docx(agg, tmp_path / "a.docx", report, period="2024", today=TODAY, charts=False))
    monkeypatch.setattr(docx_render, "HELD_FROM", 2)
    held = render_docx(agg, tmp_path / "b.docx", report, period="2024", today=TODAY, charts=False)
    assert tables(held) == whole
    units = next(t for t in whole if t[0][:2] == ["TT", "Đơn vị"])
    assert len(units) == 12 and units[1][1] == "Bắc Yên" and units[11][1] == "Yên Châu"
    assert "\u2983" not in "".join(p.text for p in Document(str(held)).paragraphs)
    rows = [r._tr.xml.count("cantSplit") for t in Document(str(held)).tables for r in t.rows if r.cells[0].text == "5"]
    assert rows and all(n == 1 for n in rows)
