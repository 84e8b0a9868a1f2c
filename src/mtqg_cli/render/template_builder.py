"""Builds the shipped Word template ``templates/bao-cao-tong-hop.docx`` (docxtpl tags inside a real document).

The template is a file an officer can open and edit in Word; this module is how the shipped one is made, so
its layout (Nghị định 30/2020/NĐ-CP, Phụ lục I) is reviewable as code. Regenerate with
``python -m mtqg_cli.render.template_builder templates/bao-cao-tong-hop.docx``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

FONT = "Times New Roman"


def _font(run: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container: Any,
    text: str = "",
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    indent: float | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if indent is not None:
        fmt.first_line_indent = Cm(indent)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule_after(container: Any, left_cm: float, right_cm: float) -> Any:
    """A short horizontal rule right under the previous line: an empty 2 pt paragraph with a top border
    between indents (the indents set the rule's length)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    _font(paragraph.add_run(""), 2)
    paragraph.paragraph_format.left_indent = Cm(left_cm)
    paragraph.paragraph_format.right_indent = Cm(right_cm)
    ppr = paragraph._element.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    top = borders.makeelement(
        qn("w:top"), {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "000000"}
    )
    borders.append(top)
    ppr.append(borders)
    return paragraph


def _no_borders(table: Any) -> None:
    from docx.oxml.ns import qn

    tbl_pr = table._element.tblPr
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    tbl_pr.append(borders)


def _set_widths(table: Any, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid columns, cells, fixed layout)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    tbl_pr = table._element.tblPr
    layout = tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tbl_pr.append(layout)
    for k, w in enumerate(widths_cm):
        table.columns[k].width = Cm(w)
        for cell in table.columns[k].cells:
            cell.width = Cm(w)


def _cell_text(
    cell: Any, text: str, size: float = 12, bold: bool = False, italic: bool = False, align: str = "center"
) -> Any:
    p = cell.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    _font(p.add_run(text), size, bold, italic)
    return p


def _page_number_header(section: Any) -> None:
    """Page number centred at the top, from page 2 (the first page has its own empty header)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._element.append(el)


def build_report_template(path: str | Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_number_header(section)

    # Heading block: issuing body on the left, quốc hiệu and tiêu ngữ on the right.
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    _set_widths(head, [6.0, 10.5])
    left, right = head.rows[0].cells
    _cell_text(left, "{{ issuer_parent|upper }}", 13)
    p = left.add_paragraph()
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("{{ issuer|upper }}"), 13, bold=True)
    _rule_after(left, 1.8, 1.8)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("Độc lập - Tự do - Hạnh phúc"), 14, bold=True)
    _rule_after(right, 2.55, 2.55)
    left2, right2 = head.rows[1].cells
    _cell_text(left2, "Số: {{ number }}", 13)
    _cell_text(right2, "{{ place }}, {{ date_text }}", 14, italic=True)

    _para(doc, "BÁO CÁO", 14, bold=True, before=18)
    _para(doc, "{{ summary }}", 14, bold=True)
    _rule_after(doc, 6.0, 6.0)
    _para(doc, "", 6)

    body: dict[str, Any] = {"size": 14, "align": "justify", "indent": 1.27, "after": 6}
    todo: dict[str, Any] = {"size": 14, "align": "justify", "indent": 1.27, "after": 6, "italic": True}

    def heading(text: str) -> None:
        _para(doc, text, 14, bold=True, align="justify", after=6, indent=1.27)

    _para(
        doc,
        "Căn cứ {{ source_document }} ngày {{ source_date }} của {{ source_issuer }} ({{ schema_title }}); "
        "trên cơ sở báo cáo của các đơn vị, {{ issuer_short }} báo cáo kết quả thực hiện {{ period_text }} "
        "như sau:",
        **body,
    )

    # The outline (đề cương) of the plans: I direction, II results, III next period, IV proposals.
    # The headings and the sub-items to write come from the outline (outlines.py): the programme's own words.
    heading("{{ o.direction_part }}")
    heading("{{ o.direction.title }}")
    _todo_items(doc, "o.direction", todo)
    heading("{{ o.communication.title }}")
    _todo_items(doc, "o.communication", todo)
    heading("{{ o.monitoring.title }}")
    _todo_items(doc, "o.monitoring", todo)
    _para(
        doc,
        "Đến ngày {{ as_of_text }}, {{ completeness }} ({{ percent_reported }}).{% if missing %} "
        "Đơn vị chưa nộp: {{ missing|join(', ') }}.{% endif %}{% if not missing and not returned %} Tất cả các đơn "
        "vị đã nộp báo cáo.{% endif %}{% if timeliness %} {{ timeliness }}{% endif %}",
        **body,
    )
    _para(
        doc,
        "{% if returned %}Báo cáo của {{ returned|length }} đơn vị có lỗi, đã trả lại để sửa và chưa được tổng hợp: "
        "{{ returned|join(', ') }} (các lỗi cần sửa tại phụ lục).{% elif problems %}Có {{ rejected|length }} tệp có "
        "lỗi, đã trả lại để sửa (các lỗi cần sửa tại phụ lục).{% else %}Các báo cáo đã nộp đều đạt yêu cầu về số "
        "liệu.{% endif %}",
        **body,
    )

    heading("{{ o.results_part }}")
    heading("{{ o.contents.title }}")
    _para(doc, "{%p for c in contents %}", 14)
    _para(doc, "{{ c.title }}", 14, bold=True, italic=True, align="justify", after=6, indent=1.27)
    _para(doc, "{{ c.text }}", **body)
    _todo_items(doc, "o.contents", todo)
    _para(doc, "{%p endfor %}", 14)
    _unit_text_loop(doc, "texts_results")
    # the other forms of the same folder: a section each, their contents and their figures
    _para(doc, "{%p for f in other_forms %}", 14)
    _para(doc, "{{ f.heading }}", 14, bold=True, italic=True, align="justify", after=6, indent=1.27)
    _para(doc, "{{ f.completeness }}.", **body)
    _para(doc, "{%p for c in f.contents %}", 14)
    _para(doc, "{{ c.text }}", **body)
    _para(doc, "{%p endfor %}", 14)
    _para(doc, "{%p endfor %}", 14)
    heading("{{ o.progress.title }}")
    _todo_items(doc, "o.progress", todo)
    _para(doc, "{%p if context_text %}", 14)
    _para(doc, "{{ context_text }}", **body)
    _para(doc, "{%p endif %}", 14)
    _para(
        doc,
        "{% if has_targets %}Kết quả các đơn vị đã thực hiện so với chỉ tiêu giai đoạn giao cho {{ target_part }}"
        "{% if partial %} (mới có {{ reported_count }}/{{ expected_count }} đơn vị báo cáo: tỷ lệ so với chỉ tiêu "
        "của cả {{ expected_count }} đơn vị còn thấp hơn thực tế){% endif %}:{% else %}Kết quả các đơn vị đã thực "
        "hiện (biểu mẫu không có chỉ tiêu giao):{% endif %}",
        **body,
    )
    _against_targets(doc, "r in indicators", "Kết quả", "achieved")
    _para(doc, "", 6)
    _para(doc, "{%p if year_targets %}", 14)
    _para(doc, "{{ year_targets }}", **body)
    _para(doc, "{%p endif %}", 14)
    _chart(doc, "chart_indicators", "1", "Tỷ lệ thực hiện so với chỉ tiêu giai đoạn, theo chỉ tiêu")
    _para(
        doc,
        "{% if behind %}Các chỉ tiêu đạt dưới 50% chỉ tiêu giai đoạn: {{ behind|join('; ') }}."
        "{% elif has_targets %}Không có chỉ tiêu nào đạt dưới 50% chỉ tiêu giai đoạn.{% endif %}",
        **body,
    )
    # From the ledger only: the cumulative figures since the phase began against the phase targets.
    _para(doc, "{%p if cumulative %}", 14)
    _para(
        doc,
        "Lũy kế từ đầu giai đoạn đến kỳ {{ cumulative_period }} (theo sổ theo dõi báo cáo), so với chỉ tiêu giai đoạn:",
        **body,
    )
    _against_targets(doc, "c in cumulative", "Lũy kế", "cumulative")
    _para(doc, "{%p for t in cumulative_notes %}", 14)
    _para(doc, "{{ t }}", 13, italic=True, align="justify", indent=1.27)
    _para(doc, "{%p endfor %}", 14)
    _para(doc, "{%p endif %}", 14)
    heading("{{ o.funds.title }}")
    _para(doc, "{{ funds_text }}", **body)
    _todo_items(doc, "o.funds", todo)
    _para(doc, "{%p if o.funds.note %}", 13)
    _para(doc, "{{ o.funds.note }}", 13, italic=True, align="justify", indent=1.27)
    _para(doc, "{%p endif %}", 13)
    heading("{{ o.assessment.title }}")
    _todo_items(doc, "o.assessment", todo)
    heading("{{ o.highlights.title }}")
    _para(doc, "{% if highlights %}{{ highlights|join('; ') }}.{% endif %}", **body)
    _todo_items(doc, "o.highlights", todo)
    heading("{{ o.weaknesses.title }}")
    _para(
        doc,
        "{% if units_behind %}Các đơn vị chậm tiến độ (bình quân dưới 50% chỉ tiêu): "
        "{{ units_behind|join(', ') }}.{% elif has_unit_targets %}Không có đơn vị nào bình quân dưới 50% chỉ tiêu."
        "{% endif %}",
        **body,
    )
    _unit_text_loop(doc, "texts_weaknesses")
    _todo_items(doc, "o.weaknesses", todo)

    heading("{{ o.next_part }}")
    _unit_text_loop(doc, "texts_next")
    _parts(doc, "o.next", todo, heading)
    heading("{{ o.proposals_part }}")
    _unit_text_loop(doc, "texts_proposals")
    _parts(doc, "o.proposals", todo, heading)
    _para(doc, "", 6)

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _set_widths(sign, [8.0, 8.5])
    l_cell, r_cell = sign.rows[0].cells
    _cell_text(l_cell, "Nơi nhận:", 12, bold=True, italic=True, align="left")
    p = l_cell.add_paragraph("{%p for n in recipients %}")
    p = l_cell.add_paragraph()
    _font(p.add_run("- {{ n }};"), 11)
    l_cell.add_paragraph("{%p endfor %}")
    p = l_cell.add_paragraph()
    _font(p.add_run("- Lưu: {{ archive }}."), 11)
    _cell_text(r_cell, "{{ signer_authority|upper }}", 14, bold=True)
    p = r_cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("{{ signer_title|upper }}"), 14, bold=True)
    for _ in range(4):
        r_cell.add_paragraph()
    p = r_cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("{{ signer_name }}"), 14, bold=True)

    # A landscape section for the wide table by unit.
    from docx.enum.section import WD_SECTION

    wide = doc.add_section(WD_SECTION.NEW_PAGE)
    wide.orientation = WD_ORIENT.LANDSCAPE
    wide.page_width, wide.page_height = Mm(297), Mm(210)
    wide.top_margin, wide.bottom_margin = Mm(20), Mm(20)
    wide.left_margin, wide.right_margin = Mm(25), Mm(20)
    _restart_numbering(wide)
    _para(doc, "PHỤ LỤC: KẾT QUẢ THEO ĐƠN VỊ", 14, bold=True)
    _para(doc, "(Kèm theo Báo cáo số {{ number }} {{ date_blank }} của {{ issuer }})", 13, italic=True, after=6)
    _para(doc, "{%p if has_unit_targets %}", 12)
    _loop_table(
        doc,
        "u in units_table",
        [
            ("TT", 1.2, "n", "center"),
            ("Đơn vị", 6.0, "name", "left"),
            ("Tình trạng báo cáo", 4.0, "state", "left"),
            ("Bình quân % so với chỉ tiêu", 4.5, "mean", "right"),
            ("Số chỉ tiêu đạt từ 100% trở lên", 4.5, "done", "center"),
            ("Số chỉ tiêu đạt dưới 50%", 4.0, "behind", "center"),
        ],
    )
    _para(doc, "{%p else %}", 12)
    # no unit targets (a disbursement form): each unit's main figures, and their total
    _loop_table(
        doc,
        "u in units_table",
        [
            ("TT", 1.2, "n", "center"),
            ("Đơn vị", 6.0, "name", "left"),
            ("Tình trạng báo cáo", 4.5, "state", "left"),
            ("{{ value_heads[0] }}", 4.4, "v0", "right"),
            ("{{ value_heads[1] }}", 4.4, "v1", "right"),
            ("{{ value_heads[2] }}", 4.4, "v2", "right"),
        ],
        total=[
            "",
            "Cộng",
            "{{ completeness }}",
            "{{ value_totals[0] }}",
            "{{ value_totals[1] }}",
            "{{ value_totals[2] }}",
        ],
    )
    _para(doc, "{%p endif %}", 12)
    _para(doc, "", 6)
    _chart(doc, "chart_units", "2", "Tỷ lệ thực hiện bình quân so với chỉ tiêu, theo đơn vị")
    # The errors the units must fix, and the figures questioned: in the annex, never in the body.
    _annex_table(
        doc,
        "e in problems",
        "CÁC LỖI ĐƠN VỊ CẦN SỬA",
        "",
        [
            ("TT", 1.0, "n", "center"),
            ("Đơn vị", 3.5, "unit", "left"),
            ("Tệp, trang, ô", 5.0, "where", "left"),
            ("Lỗi", 7.7, "error", "left"),
            ("Cách sửa", 7.0, "fix", "left"),
        ],
    )
    _annex_table(
        doc,
        "v in to_verify",
        "SỐ LIỆU CẦN XÁC MINH",
        "(Các số liệu khác thường so với chỉ tiêu hoặc các kỳ trước của đơn vị; đề nghị đơn vị kiểm tra lại)",
        [
            ("TT", 1.2, "n", "center"),
            ("Đơn vị", 5.0, "unit", "left"),
            ("Chỉ tiêu", 7.0, "label", "left"),
            ("Số liệu", 3.0, "value", "right"),
            ("Lý do cần xác minh", 8.0, "why", "left"),
        ],
    )
    # Optional (report --by-former): the communes' figures by former district, a table made at rendering time.
    _para(doc, "{%p if former_rows %}", 14)
    _para(doc, "KẾT QUẢ THEO HUYỆN CŨ", 14, bold=True, before=12)
    _para(doc, "(Số liệu của các xã, phường báo cáo, cộng theo huyện trước ngày 01/7/2025)", 13, italic=True, after=6)
    _para(doc, "{{ former_table }}", 12)
    _para(doc, "{%p endif %}", 14)

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _against_targets(doc: Any, loop: str, heading: str, field: str) -> None:
    """Figures by indicator against the phase targets: TT, indicator, unit, the figure (``field``), target, %."""
    _loop_table(
        doc,
        loop,
        [
            ("TT", 1.0, "n", "center"),
            ("Chỉ tiêu", 7.4, "label", "left"),
            ("ĐVT", 1.7, "unit", "center"),
            (heading, 1.9, field, "right"),
            ("Chỉ tiêu giai đoạn", 2.5, "target", "right"),
            ("Tỷ lệ (%)", 2.0, "percent", "right"),
        ],
    )


def _annex_table(doc: Any, loop: str, title: str, note: str, cols: list[tuple[str, float, str, str]]) -> None:
    """A table of the annex shown only when it has rows, its title (and note) kept on the page of its first row."""
    items = loop.split()[-1]
    _para(doc, "{%p if " + items + " %}", 14)
    _para(doc, title, 14, bold=True, before=12).paragraph_format.keep_with_next = True
    if note:
        _para(doc, note, 13, italic=True, after=6).paragraph_format.keep_with_next = True
    _loop_table(doc, loop, cols)
    _para(doc, "{%p endif %}", 14)


def _todo_items(doc: Any, part: str, todo: dict[str, Any]) -> None:
    """The outline's sub-items of a part, each a place for the compiler to write ('[Cán bộ tổng hợp viết: …]')."""
    _para(doc, "{%p for i in " + part + "['items'] %}", 14)
    _para(doc, "[Cán bộ tổng hợp viết: {{ i }}]", **todo)
    _para(doc, "{%p endfor %}", 14)


def _parts(doc: Any, parts: str, todo: dict[str, Any], heading: Any) -> None:
    """A list of the outline's parts (III, IV): each its heading, its sub-items or a place to write."""
    _para(doc, "{%p for q in " + parts + " %}", 14)
    _para(doc, "{%p if q.title %}", 14)  # a part without its own heading: no empty line
    heading("{{ q.title }}")
    _para(doc, "{%p endif %}", 14)
    _para(doc, "{%p for i in q['items'] %}", 14)
    _para(doc, "[Cán bộ tổng hợp viết: {{ i }}]", **todo)
    _para(doc, "{%p endfor %}", 14)
    _para(doc, "{%p if not q['items'] %}", 14)
    _para(doc, "[Cán bộ tổng hợp viết.]", **todo)
    _para(doc, "{%p endif %}", 14)
    _para(doc, "{%p endfor %}", 14)


def _chart(doc: Any, var: str, number: str, caption: str) -> None:
    """A chart with its numbered caption under it, kept on one page with it; nothing when there is no chart."""
    _para(doc, "{%p if " + var + " %}", 12)
    _para(doc, "{{ " + var + " }}", 12).paragraph_format.keep_with_next = True
    _para(doc, f"Biểu đồ {number}. {caption}", 12, italic=True, after=6)
    _para(doc, "{%p endif %}", 12)


def _restart_numbering(section: Any) -> None:
    """A section (the annex) numbered from 1 on its own, its first page without a number, as the report."""
    from docx.oxml.ns import qn

    sect_pr = section._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = sect_pr.makeelement(qn("w:pgNumType"), {})
        sect_pr.append(pg)
    pg.set(qn("w:start"), "1")
    section.different_first_page_header_footer = True


def _unit_text_loop(doc: Any, var: str) -> None:
    """What the units wrote in a text field of the form, field by field, unit by unit (a docxtpl paragraph loop)."""
    _para(doc, "{%p for f in " + var + " %}", 14)
    _para(doc, "{{ f.label }} (ý kiến của các đơn vị):", 14, italic=True, align="justify", indent=1.27, after=3)
    _para(doc, "{%p for i in f.units %}", 14)
    _para(doc, "- {{ i.unit }}: {{ i.text }}", 14, align="justify", indent=1.27, after=3)
    _para(doc, "{%p endfor %}", 14)
    _para(doc, "{%p endfor %}", 14)


def _loop_table(doc: Any, loop: str, cols: list[tuple[str, float, str, str]], total: list[str] | None = None) -> Any:
    """A bordered table whose body row repeats for each item of ``loop`` ('r in indicators'): a header row
    (repeated on every page), a docxtpl row loop, the fields of each item by column; ``total``: a last row's
    cells (template text), bold."""
    table = doc.add_table(rows=5 if total else 4, cols=len(cols))
    table.style = "Table Grid"
    _set_widths(table, [c[1] for c in cols])
    _repeat_header(table.rows[0])
    item = loop.split()[0]
    for k, (heading, _, field, align) in enumerate(cols):
        _cell_text(table.rows[0].cells[k], heading, 12, bold=True)
        _cell_text(table.rows[2].cells[k], "{{ " + item + "." + field + " }}", 12, align=align)
    _cell_text(table.rows[1].cells[0], "{%tr for " + loop + " %}", 12)
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", 12)
    for k, text in enumerate(total or []):
        _cell_text(table.rows[4].cells[k], text, 12, bold=True, align=cols[k][3])
    from docx.oxml.ns import qn

    for row in (
        table.rows[0],
        table.rows[2],
        *(table.rows[4:] if total else []),
    ):  # the header and every repeated row: never split across pages
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
    return table


def _repeat_header(row: Any) -> None:
    """The table's first row repeats at the top of each page."""
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(el)


if __name__ == "__main__":  # pragma: no cover
    print(build_report_template(sys.argv[1] if len(sys.argv) > 1 else "templates/bao-cao-tong-hop.docx"))
