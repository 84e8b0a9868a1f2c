"""Workbooks shaped as units send them: for the shipped sample data, for tests, for trying the toolkit.

Two layouts:
- ``standard``: the unit's own report: title block (issuing body, quốc hiệu, title), a two-row merged header
  (indicator groups over indicators), a row of column numbers, the unit's row, a 'Tổng cộng' row, notes and a
  signature block.
- ``annex``: the province's annex sent back with the unit's row filled: the annex's three header rows as they
  are, the unit's row, a 'Cộng' row.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import MtqgError
from .schema import Schema, Unit
from .units import unit_title

SAMPLE_PERIOD = "2024"

# Share of the unit's phase target reached in the sample period: one unit over target, two far behind.
_SAMPLE_PACE = {"moc-chau": 1.2, "sop-cop": 0.25, "van-ho": 0.3}


def sample_values(schema: Schema, unit: Unit, seed: int = 2024) -> dict[str, Any]:
    """Plausible results for a unit: a share of its phase target that varies by indicator."""
    rng = random.Random(f"{seed}-{unit.code}")
    pace = _SAMPLE_PACE.get(unit.code, rng.uniform(0.55, 0.95))
    out: dict[str, Any] = {}
    for ind in schema.indicators:
        if ind.formula:
            continue  # worked out below, as the unit's spreadsheet does
        target = schema.target_for(unit.code, ind.code)
        if ind.role == "context":
            out[ind.code] = int(target) if target is not None else 0
            continue
        base = float(target) if target is not None else 5.0
        out[ind.code] = max(0, round(base * pace * rng.uniform(0.85, 1.1)))
    for rule in schema.rules:  # a part never above its whole: 'luot_nu <= luot_tap_huan'
        if rule.kind == "compare" and rule.op in ("<=", "<") and rule.left in out and rule.right in out:
            out[rule.left] = min(out[rule.left], out[rule.right] - (1 if rule.op == "<" else 0))
    for field in schema.texts:
        if field.required:
            out[field.code] = "Không có khó khăn, vướng mắc phát sinh trong kỳ."[: field.max_length]
    return _with_computed(schema, out)


def schema_samples(schema: Schema) -> dict[str, Any]:
    """The schema's ``samples`` block as unit -> (line ->) indicator -> value."""
    if schema.samples is None:
        return {}
    cols = schema.samples.columns
    out: dict[str, Any] = {}
    for unit, rows in schema.samples.units.items():
        if schema.is_long:
            out[unit] = {
                line: _with_computed(schema, dict(zip(cols, vals, strict=False))) for line, vals in rows.items()
            }
        else:
            out[unit] = _with_computed(schema, dict(zip(cols, next(iter(rows.values()), []), strict=False)))
    return out


def _with_computed(schema: Schema, values: dict[str, Any]) -> dict[str, Any]:
    """Fill computed columns (a %) the way a unit's spreadsheet would: by the formula, to one decimal."""
    from .formula import evaluate

    for ind in schema.indicators:
        if ind.formula and values.get(ind.code) is None:
            numbers = {k: Decimal(str(v)) for k, v in values.items() if isinstance(v, int | float | Decimal)}
            result = evaluate(ind.formula, {i.code: numbers.get(i.code) for i in schema.indicators})
            values[ind.code] = None if result is None else result.quantize(Decimal("0.1"))
    return values


def target_values(schema: Schema, unit: Unit) -> dict[str, Any]:
    """The unit's published phase targets (the annex's row for the unit)."""
    return {i.code: schema.target_for(unit.code, i.code) for i in schema.indicators}


def unit_file_name(unit: Unit, period: str = SAMPLE_PERIOD) -> str:
    return f"{unit.code}_{period}.xlsx"


def write_samples(
    folder: str | Path,
    schema: Schema,
    values: Mapping[str, Mapping[str, Any]] | None = None,
    period: str = SAMPLE_PERIOD,
) -> list[Path]:
    """Write one workbook per unit into ``folder``; ``values`` overrides the sample figures (wide forms: unit code
    -> indicator -> value; long forms: unit code -> line -> indicator -> value). A form with a ``samples`` block
    gets the units and figures listed there."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    listed = schema_samples(schema)
    units = [schema.unit_by_code[c] for c in listed] if listed and not values else schema.units
    for unit in units:
        if values and unit.code in values:
            vals = dict(values[unit.code])
        elif unit.code in listed:
            vals = listed[unit.code]
        else:
            vals = sample_values(schema, unit)
        path = out / unit_file_name(unit, period)
        write_unit_workbook(path, schema, unit, vals, period=period)
        paths.append(path)
    return paths


def write_unit_workbook(
    path: str | Path,
    schema: Schema,
    unit: Unit,
    values: Mapping[str, Any],
    period: str = SAMPLE_PERIOD,
    layout: str = "standard",
    total: Mapping[str, Any] | None = None,
    label: str | None = None,
    blank: bool = False,
) -> Path:
    """Write one unit's workbook. ``values`` may hold text ('12 tổ') to imitate what units type.

    ``total`` overrides cells of the total row (by indicator code); by default the total row holds the sum of
    the numeric values, typed as numbers (as units do). ``blank=True`` writes the form to send out instead: empty
    input cells with Excel data validation, the rest of the sheet locked, =SUM formulas in the total row and a
    "Hướng dẫn" sheet.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01" if layout == "standard" else "Phụ lục"
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    italic = Font(name="Times New Roman", italic=True, size=12)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    inds = schema.indicators
    texts = schema.texts if layout == "standard" and not schema.is_long else []
    ncols = 2 + len(inds) + len(texts)
    last = get_column_letter(ncols)
    heading_name, full_name = unit_title(unit, schema.reporting.level)
    name = label or full_name

    def put(row: int, col: int, value: Any, font: Any = normal, border: bool = False) -> None:
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = font
        cell.alignment = center
        if border:
            cell.border = box

    r = 1
    if layout == "standard":
        right = _right_block(ncols)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(2, min(4, right - 1)))
        put(1, 1, heading_name, bold)
        if ncols > right:
            ws.merge_cells(start_row=1, start_column=right, end_row=1, end_column=ncols)
            ws.merge_cells(start_row=2, start_column=right, end_row=2, end_column=ncols)
        put(1, right, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
        put(2, right, "Độc lập - Tự do - Hạnh phúc", bold)
        ws.merge_cells(f"A4:{last}4")
        when = _period_title(period)
        heading = (
            f"{schema.title.upper()} (KỲ BÁO CÁO: {period})"
            if schema.is_long
            else f"BÁO CÁO KẾT QUẢ THỰC HIỆN {schema.project.code.replace('DA', 'DỰ ÁN ')} {when}"
        )
        put(4, 1, heading, bold)
        ws.merge_cells(f"A5:{last}5")
        of = full_name if heading_name == full_name.upper() else f"UBND {full_name}"
        put(5, 1, f"(Kèm theo báo cáo của {of}; thực hiện {schema.source.document})", italic)
        r = 7
        put(r, 1, "TT", bold, True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
        put(r, 2, schema.layout.line_column[0] if schema.is_long else "Đơn vị", bold, True)
        ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=2)
        col = 3
        groups = {g.code: g.label for g in schema.groups}
        i = 0
        while i < len(inds):
            ind = inds[i]
            j = i
            while j + 1 < len(inds) and ind.group and inds[j + 1].group == ind.group:
                j += 1
            if ind.group:
                put(r, col, groups[ind.group], bold, True)
                if j > i:
                    ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + j - i)
                for k in range(i, j + 1):
                    put(r + 1, col + k - i, _heading(inds[k]), bold, True)
            else:
                put(r, col, _heading(ind), bold, True)
                ws.merge_cells(start_row=r, start_column=col, end_row=r + 1, end_column=col)
            col += j - i + 1
            i = j + 1
        for field in texts:  # a sentence or a paragraph the unit writes
            put(r, col, field.label, bold, True)
            ws.column_dimensions[get_column_letter(col)].width = 40
            ws.merge_cells(start_row=r, start_column=col, end_row=r + 1, end_column=col)
            col += 1
        header = (r, r + 1)
        r += 2
        for c in range(1, ncols + 1):
            put(r, c, f"({c})", italic, True)
        r += 1
    else:
        ws.merge_cells(f"A1:{last}1")
        put(
            1,
            1,
            f"BIỂU NỘI DUNG, CHỈ TIÊU THỰC HIỆN {schema.project.code.replace('DA', 'DỰ ÁN ')} GIAI ĐOẠN 2022 - 2025",
            bold,
        )
        ws.merge_cells(f"A2:{last}2")
        put(
            2,
            1,
            f"(Kèm theo {schema.source.document} ngày {schema.source.date:%d/%m/%Y} của {schema.source.issuer})",
            italic,
        )
        r = 4
        put(r, 1, "TT", bold, True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 2, end_column=1)
        put(r, 2, "Huyện, thành phố", bold, True)
        ws.merge_cells(start_row=r, start_column=2, end_row=r + 2, end_column=2)
        context = [i for i in inds if not i.group]
        grouped = [i for i in inds if i.group]
        col = 3
        for ind in context:
            put(r, col, ind.label.replace("Đ", "D"), bold, True)  # the annex itself writes 'DBKK'
            ws.merge_cells(start_row=r, start_column=col, end_row=r + 2, end_column=col)
            col += 1
        put(r, col, "NỘI DUNG", bold, True)
        ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + len(grouped) - 1)
        groups = {g.code: g.label for g in schema.groups}
        start = col
        for k, ind in enumerate(grouped):
            c = start + k
            if k == 0 or grouped[k - 1].group != ind.group:
                span = sum(1 for x in grouped[k:] if x.group == ind.group)
                put(r + 1, c, groups[ind.group], bold, True)
                if span > 1:
                    ws.merge_cells(start_row=r + 1, start_column=c, end_row=r + 1, end_column=c + span - 1)
            put(r + 2, c, f"{ind.label} ({ind.unit})", bold, True)
        header = (r, r + 2)
        r += 3
    if schema.is_long:
        r = _long_rows(ws, schema, values, r, put, bold, normal, blank, total)
        if blank:
            first = r - len(schema.lines)
            _make_fillable(wb, ws, schema, list(range(first, r)), period, unit)
        r += 1
        _signature(ws, r, ncols, put, bold, italic, heading_name == full_name.upper())
        return _save(wb, ws, path, ncols, header)
    # the unit's row
    unit_row = r
    put(r, 1, 1, normal, True)
    put(r, 2, name, normal, True)
    for k, ind in enumerate(inds):
        put(r, 3 + k, None if blank else _cell_value(values.get(ind.code)), normal, True)
    for k, field in enumerate(texts, start=3 + len(inds)):
        put(r, k, None if blank else values.get(field.code), normal, True)
        ws.cell(row=r, column=k).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    r += 1
    put(r, 1, "", bold, True)
    put(r, 2, "Tổng cộng" if layout == "standard" else "Cộng", bold, True)
    for k, ind in enumerate(inds):
        if blank:
            letter = get_column_letter(3 + k)
            v: Any = f"=SUM({letter}{unit_row}:{letter}{unit_row})"
        else:
            v = total[ind.code] if total and ind.code in total else _numeric(values.get(ind.code))
        put(r, 3 + k, _cell_value(v), bold, True)
    for k in range(len(texts)):
        put(r, 3 + len(inds) + k, None, bold, True)
    if blank:
        _make_fillable(wb, ws, schema, [unit_row], period, unit)
    r += 2
    _signature(ws, r, ncols, put, bold, italic, heading_name == full_name.upper())
    return _save(wb, ws, path, ncols, header)


def _signature(ws: Any, r: int, ncols: int, put: Any, bold: Any, italic: Any, agency: bool = False) -> None:
    """Who signs the return: the preparer and the head (an agency's head, or for a commune the People's
    Committee's chair), with room to sign and no name invented."""
    ws.cell(
        row=r, column=1, value="Ghi chú: Số liệu tính đến ngày báo cáo; đơn vị tính ghi tại tiêu đề cột."
    ).font = italic
    r += 2
    right = _right_block(ncols)
    put(r, 2, "NGƯỜI LẬP BIỂU", bold)
    if ncols > right:
        ws.merge_cells(start_row=r, start_column=right, end_row=r, end_column=ncols)
        ws.merge_cells(start_row=r + 1, start_column=right, end_row=r + 1, end_column=ncols)
        ws.merge_cells(start_row=r + 2, start_column=right, end_row=r + 2, end_column=ncols)
    if agency:
        put(r, right, "THỦ TRƯỞNG CƠ QUAN", bold)
        put(r + 1, right, "(Ký, ghi rõ họ tên, đóng dấu)", italic)
    else:
        put(r, right, "TM. ỦY BAN NHÂN DÂN", bold)
        put(r + 1, right, "CHỦ TỊCH", bold)
        put(r + 2, right, "(Ký, ghi rõ họ tên, đóng dấu)", italic)
    put(r + 1, 2, "(Ký, ghi rõ họ tên)", italic)


def _heading(ind: Any) -> str:
    text = ind.column_label or ind.label
    return f"{text} ({ind.unit})" if ind.unit else text


def _right_block(ncols: int) -> int:
    """First column of the right-hand heading and signature blocks."""
    return 6 if ncols >= 10 else max(3, ncols // 2 + 1)


# (the left heading block spans columns 1 .. right-1, so the two never overlap)


def _save(wb: Any, ws: Any, path: str | Path, ncols: int, header: tuple[int, int]) -> Path:
    from openpyxl.utils import get_column_letter

    from .render.xlsx import fit_header_rows

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40 if ws.title == "Biểu 01" and ncols < 12 else 22
    for c in range(3, ncols + 1):
        letter = get_column_letter(c)
        if ws.column_dimensions[letter].width != 40:  # a text field's column keeps its width
            ws.column_dimensions[letter].width = 14
    fit_header_rows(ws, *header)  # the header band as tall as its wrapped headings: none cut in print
    from .render.xlsx import print_setup

    print_setup(ws, *header)  # one A4 landscape page wide, headers repeated, page numbers
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    wb.save(p)
    return p


def _long_rows(
    ws: Any,
    schema: Schema,
    values: Mapping[str, Any],
    r: int,
    put: Any,
    bold: Any,
    normal: Any,
    blank: bool,
    total: Mapping[str, Any] | None,
) -> int:
    """A long form's rows: the total first (as finance tables put it), then each line; sub-lines under their
    parent, written with their short label ('Tiểu dự án 1: ...')."""
    from openpyxl.utils import get_column_letter

    inds = schema.indicators
    line_rows: dict[str, int] = {}
    first_line_row = r + 1
    put(r, 1, "", bold, True)
    put(r, 2, "TỔNG CỘNG", bold, True)
    total_row = r
    r += 1
    n = 0
    letters = "abcdefghij"
    child_n: dict[str, int] = {}
    for line in schema.lines:
        if line.parent:
            k = child_n.get(line.parent, 0)
            child_n[line.parent] = k + 1
            tt: Any = letters[k]
            text = line.label
            if line.short and ":" in line.label:
                text = f"{line.short[0]}:{line.label.split(':', 1)[1]}"
        else:
            n += 1
            tt, text = n, line.label
        put(r, 1, tt, normal, True)
        cell = ws.cell(row=r, column=2, value=text)
        cell.font = bold if not line.parent else normal
        row_values = values.get(line.code, {}) if isinstance(values, Mapping) else {}
        for k, ind in enumerate(inds):
            put(r, 3 + k, None if blank else _cell_value(row_values.get(ind.code)), normal, True)
        line_rows[line.code] = r
        r += 1
    top = [line_rows[line.code] for line in schema.top_lines if line.code in line_rows]
    sums: dict[str, Any] = {}
    for ind in inds:
        nums = [values.get(line.code, {}).get(ind.code) for line in schema.top_lines]
        nums = [x for x in nums if isinstance(x, int | float | Decimal)]
        sums[ind.code] = sum(Decimal(str(x)) for x in nums) if nums else None
    sums = _with_computed(schema, {k: (None if schema.indicator_by_code[k].formula else v) for k, v in sums.items()})
    for k, ind in enumerate(inds):
        letter = get_column_letter(3 + k)
        if blank and ind.formula:
            v: Any = None
        elif blank:
            v = "=" + "+".join(f"{letter}{x}" for x in top) if top else None
        elif total and ind.code in total:
            v = total[ind.code]
        else:
            v = sums[ind.code]
        put(total_row, 3 + k, _cell_value(v), bold, True)
    del first_line_row
    return r


def _make_fillable(wb: Any, ws: Any, schema: Schema, rows: list[int], period: str, unit: Unit) -> None:
    """Input cells unlocked with data validation and an input message; the rest locked; a guide sheet."""
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    input_fill = PatternFill("solid", fgColor="FFF9E5")
    for k, ind in enumerate(schema.indicators):
        col = 3 + k
        ref = f"{get_column_letter(col)}{rows[0]}:{get_column_letter(col)}{rows[-1]}"  # the input rows are contiguous
        kind = "whole" if ind.type == "integer" else "decimal"
        lo = ind.min if ind.min is not None else None
        hi = ind.max if ind.max is not None else None
        if lo is not None and hi is not None:
            dv = DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi))
            rule = f"từ {lo} đến {hi}"
        elif lo is not None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(lo))
            rule = f"lớn hơn hoặc bằng {lo}"
        elif hi is not None:
            dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=str(hi))
            rule = f"nhỏ hơn hoặc bằng {hi}"
        else:
            dv = DataValidation(type=kind, operator="between", formula1="-1E+15", formula2="1E+15")
            rule = "bất kỳ"
        what = "số nguyên" if ind.type == "integer" else "số"
        dv.allow_blank = True
        dv.promptTitle = ind.unit[:32] or "Số liệu"
        dv.prompt = f"{ind.label[:150]}: nhập {what} {rule} ({ind.unit}); không làm thì ghi 0."[:255]
        dv.errorTitle = "Số liệu không hợp lệ"
        dv.error = f"Chỉ nhập {what} {rule}."
        dv.showInputMessage = True
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)
        for row in rows:
            cell = ws.cell(row=row, column=col)
            cell.protection = Protection(locked=False)
            cell.fill = input_fill
    for k, field in enumerate(schema.texts if not schema.is_long else [], start=3 + len(schema.indicators)):
        letter = get_column_letter(k)
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(field.max_length))
        dv.allow_blank = not field.required
        dv.promptTitle = "Nội dung"
        dv.prompt = f"{field.label[:150]}: viết một câu hoặc một đoạn (tối đa {field.max_length} ký tự)."[:255]
        dv.error = f"Tối đa {field.max_length} ký tự."
        dv.showInputMessage = True
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{letter}{rows[0]}:{letter}{rows[-1]}")
        ws.column_dimensions[letter].width = 40
        for row in rows:
            cell = ws.cell(row=row, column=k)
            cell.protection = Protection(locked=False)
            cell.fill = input_fill
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    guide = wb.create_sheet("Hướng dẫn")
    lines = [
        (f"HƯỚNG DẪN ĐIỀN BIỂU: {schema.title.upper()}", True),
        (f"Căn cứ: {schema.source.document} ngày {schema.source.date:%d/%m/%Y} của {schema.source.issuer}.", False),
        (
            f"Đơn vị báo cáo: {unit_title(unit, schema.reporting.level)[1]}. Kỳ báo cáo: {_period_title(period)}.",
            False,
        ),
        ("1. Chỉ điền vào các ô màu vàng nhạt trên dòng của đơn vị; các ô khác đã được khoá.", False),
        ("2. Ghi con số, không ghi chữ hay đơn vị tính (ghi 12, không ghi «12 tổ»); việc chưa làm ghi 0.", False),
        ("3. Dòng «Tổng cộng» tự tính; không sửa công thức.", False),
        ("4. Không đổi tên cột, không chèn hay xoá cột.", False),
        ("5. Dùng phông chữ Unicode (Times New Roman), không dùng .VnTime hay VNI-Times.", False),
        (_due_line(schema, period), False),
        ("", False),
        ("Các chỉ tiêu:", True),
    ]
    for ind in schema.indicators:
        target = schema.target_for(unit.code, ind.code)
        extra = f"; chỉ tiêu giai đoạn của đơn vị: {target}" if target is not None else ""
        lines.append((f"- {ind.label} ({ind.unit}){extra}.", False))
    from openpyxl.styles import Alignment

    from .render.xlsx import print_setup

    for i, (text, strong) in enumerate(lines, start=1):
        cell = guide.cell(row=i, column=1, value=text)
        cell.font = Font(name="Times New Roman", size=12, bold=strong)
        cell.alignment = Alignment(wrap_text=True, vertical="top")  # the text stays inside the page's margins
    guide.column_dimensions["A"].width = 95
    print_setup(guide, 1, 1, "portrait")


def _cell_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _numeric(v: Any) -> Any:
    if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
        return v
    return None


def _due_line(schema: Schema, period: str) -> str:
    """'6. Hạn gửi Báo cáo năm năm 2026: trước ngày 10/09/2026.' and the form's other reports with their rules."""
    from .periods import deadline, period_words, resolve_period

    try:
        per, kind = resolve_period(schema, period)
    except MtqgError:
        return "6. Hạn gửi: theo văn bản yêu cầu báo cáo."
    due = deadline(per, kind.deadline)
    text = f"6. {kind.title} {period_words(per)}: " + (
        f"gửi trước ngày {due:%d/%m/%Y}." if due else "gửi theo yêu cầu."
    )
    others = [k for k in schema.reporting.all_kinds if k is not kind and k.deadline]
    if others:
        text += " Các báo cáo khác của biểu: " + "; ".join(f"{k.title}: hạn {k.deadline}" for k in others) + "."
    return text


def _period_title(period: str) -> str:
    """'NĂM 2024', '6 THÁNG ĐẦU NĂM 2024', 'QUÝ III NĂM 2026' (the code itself when it is not a period)."""
    from .periods import parse_period, period_words

    try:
        return period_words(parse_period(period)).upper()
    except MtqgError:
        return f"KỲ {period}"
