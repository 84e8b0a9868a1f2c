"""The report's Excel annex: laid out like the official form, with live formulas a colleague can audit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..aggregation import Aggregate
from ..formula import Formula
from ..validate import Report
from . import atomic_write
from .xlsx import (
    DEC_FORMAT,
    PCT_FORMAT,
    _fmt,
    _form_header,
    _print_setup,
    _Styles,
    _unit_cells,
    fit_header_rows,
    put,
    title_rows,
)


def write_annex_xlsx(agg: Aggregate, path: str | Path, report: Report | None = None, lang: str = "vi") -> Path:
    """The report's Excel annex, laid out like the official form, with live formulas a colleague can audit:
    =SUM totals, percentages as formulas over the cells, computed columns as their formula. Figures from units
    are values; what the annex computes is a formula."""
    return atomic_write(path, lambda tmp: _annex(agg, lang).save(tmp))


def _annex(agg: Aggregate, lang: str) -> Any:

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _Styles()
    schema = agg.schema
    inds = schema.indicators
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ncols = 2 + len(inds)
    subtitle = f"({agg.completeness(lang)}; số liệu của các đơn vị, tổng và tỷ lệ tính bằng công thức)"
    title_rows(ws, ncols, agg.titled(f"PHỤ LỤC: {schema.title.upper()}", lang), subtitle, st)
    hdr = 4
    _form_header(ws, schema, hdr, schema.layout.line_column[0] if schema.is_long else "Đơn vị", st)
    col_of = {ind.code: get_column_letter(3 + k) for k, ind in enumerate(inds)}

    def cell_formula(expr: str, row: int) -> str:
        body = Formula.of(expr).to_excel(lambda code: f"{col_of[code]}{row}")
        return f'=IFERROR(ROUND({body},1),"")'

    first = hdr + 2
    r = first
    counted: list[int] = []  # the rows the total adds up
    if schema.is_long:
        assert agg.lines is not None
        for n, line in enumerate(schema.lines, start=1):
            put(ws, r, 1, n, st.body, st.center, border=st.border)
            put(ws, r, 2, line.label, st.body if line.parent else st.bold, st.left, border=st.border)
            for k, ind in enumerate(inds):
                if ind.formula:
                    formula_cell(ws, r, 3 + k, cell_formula(ind.formula, r), st, ind)
                    continue
                v = agg.lines.loc[line.code, ind.code]
                put(ws, r, 3 + k, None if v != v else float(v), st.body, st.right, _fmt(ind), st.border)
            if not line.parent:
                counted.append(r)
            r += 1
    else:
        table = agg.values.reindex(index=agg.expected, columns=[i.code for i in inds]).to_numpy(dtype="float64")
        formats = [_fmt(ind) for ind in inds]
        for n, (code, row) in enumerate(zip(agg.expected, table, strict=True), start=1):
            _unit_cells(ws, r, n, agg, code, st)
            for k, ind in enumerate(inds):
                if ind.formula:
                    formula_cell(ws, r, 3 + k, cell_formula(ind.formula, r), st, ind)
                    continue
                v = row[k]
                put(ws, r, 3 + k, None if v != v else float(v), st.body, st.right, formats[k], st.border)
            counted.append(r)
            r += 1
    total_row = r
    put(ws, r, 1, None, border=st.border, fill=st.total_fill)
    put(ws, r, 2, "TỔNG CỘNG", st.bold, st.left, border=st.border, fill=st.total_fill)
    for k, ind in enumerate(inds):
        letter = get_column_letter(3 + k)
        if ind.formula:
            text = cell_formula(ind.formula, r)
        elif counted and counted == list(range(counted[0], counted[-1] + 1)):
            text = f"=SUM({letter}{counted[0]}:{letter}{counted[-1]})"
        else:
            text = "=" + "+".join(f"{letter}{x}" for x in counted) if counted else "=0"
        formula_cell(ws, r, 3 + k, text, st, ind, bold=True)
    r += 1
    put(ws, r, 2, "Chỉ tiêu / kế hoạch", st.bold, st.left, border=st.border)
    put(ws, r, 1, None, border=st.border)
    target_row = r
    for k, ind in enumerate(inds):
        t = agg.progress.loc[ind.code, "target"]
        put(ws, r, 3 + k, None if t != t or ind.formula else float(t), st.body, st.right, _fmt(ind), st.border)
    r += 1
    put(ws, r, 2, "Tỷ lệ so với chỉ tiêu (%)", st.bold, st.left, border=st.border)
    put(ws, r, 1, None, border=st.border)
    for k, ind in enumerate(inds):
        letter = get_column_letter(3 + k)
        if ind.formula or ind.role == "context":
            put(ws, r, 3 + k, None, border=st.border)
            continue
        text = f'=IF(N({letter}{target_row})>0,ROUND({letter}{total_row}/{letter}{target_row}*100,1),"")'
        formula_cell(ws, r, 3 + k, text, st, ind, fmt=PCT_FORMAT, bold=True)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 48 if schema.is_long else 26
    for k in range(len(inds)):
        ws.column_dimensions[get_column_letter(3 + k)].width = 14
    fit_header_rows(ws, hdr, hdr + 1)
    ws.freeze_panes = ws.cell(row=first, column=3)
    _print_setup(ws, hdr, hdr + 1)
    return wb


def formula_cell(
    ws: Any, row: int, col: int, text: str, st: _Styles, ind: Any, fmt: str | None = None, bold: bool = False
) -> Any:
    """A formula the toolkit itself writes (never text from a received file)."""
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.font = st.bold if bold else st.body
    cell.alignment = st.right
    cell.border = st.border
    cell.number_format = fmt or (DEC_FORMAT if ind.formula else _fmt(ind))
    return cell
