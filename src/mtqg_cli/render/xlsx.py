"""The compiled table as a formatted .xlsx a colleague can check.

Sheets: 'Tổng hợp' (a row per unit, totals, targets and % of target), 'Tiến độ' (per indicator: achieved,
target, %), 'Tình hình nộp' (who reported, from which file, who has not) and 'Tệp bị loại' (files left out and
why). Totals and percentages are stored as the figures the toolkit computed, so any reader (and the tests)
sees them without recalculating.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from ..aggregation import Aggregate
from ..numbers import format_percent
from ..periods import report_title
from ..text import clean
from ..validate import Report
from ..words import choose, word
from . import atomic_write, looks_like_formula

FONT = "Times New Roman"
INT_FORMAT = "#,##0"
DEC_FORMAT = "#,##0.0"  # a computed rate (%)
PCT_FORMAT = '0.0"%"'


def write_aggregate_xlsx(
    agg: Aggregate, path: str | Path, report: Report | None = None, lang: str = "vi", extras: Any = None
) -> Path:
    """Write the compiled workbook atomically and return its path; ``extras`` (from the ledger) add the sheet
    comparing with the period before and the cumulative figures."""
    return atomic_write(path, lambda tmp: _build(agg, report, lang, extras).save(tmp))


def _build(agg: Aggregate, report: Report | None, lang: str, extras: Any = None) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if agg.lines is not None:
        ws.title = "Theo dòng"
        _lines_sheet(ws, agg, lang)
        _unit_lines_sheet(wb.create_sheet("Theo đơn vị"), agg, lang)
    else:
        ws.title = "Tổng hợp"
        _summary_sheet(ws, agg, lang)
    _progress_sheet(wb.create_sheet("Tiến độ"), agg, lang)
    if agg.lines is None and any(agg.schema.unit_by_code[u].former for u in agg.reported):
        _former_sheet(wb.create_sheet("Theo huyện cũ"), agg, lang)
    if extras is not None:
        _ledger_sheet(wb.create_sheet("So với kỳ trước"), agg, extras, lang)
    if agg.texts:
        _texts_sheet(wb.create_sheet("Ý kiến đơn vị"), agg, lang)
    _status_sheet(wb.create_sheet("Tình hình nộp"), agg, report, lang)
    _rejected_sheet(wb.create_sheet("Tệp bị loại"), agg, lang)
    return wb


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=FONT, bold=True, size=14)
        self.subtitle = Font(name=FONT, italic=True, size=12)
        self.header = Font(name=FONT, bold=True, size=11)
        self.body = Font(name=FONT, size=11)
        self.bold = Font(name=FONT, bold=True, size=11)
        self.missing = Font(name=FONT, italic=True, size=11, color="C00000")
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.total_fill = PatternFill("solid", fgColor="FFF2CC")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")


def put(
    ws: Any,
    row: int,
    col: int,
    value: Any,
    font: Any = None,
    align: Any = None,
    fmt: str | None = None,
    border: Any = None,
    fill: Any = None,
) -> Any:
    """Write a cell; text is always stored as text (a value from a received file is never run as a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = clean(value)  # a file's name may hold what no cell can store
    cell.value = value
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
    _style(cell, font, align, fmt, border, fill)
    return cell


# A workbook's styles as put() last built them, by the objects given: the same look is copied, not built again
# (openpyxl hashes every font, border and fill it is given: most of the time of a table of thousands of rows).
# Kept with the workbook and gone with it; the objects are held so that their ids stay theirs.
_LOOKS: WeakKeyDictionary[Any, dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]]] = WeakKeyDictionary()


def _style(cell: Any, font: Any, align: Any, fmt: str | None, border: Any, fill: Any) -> None:
    parts = (font, align, fmt, border, fill)
    if not any(parts):
        return
    # a cell styled before keeps what this call does not set: set one by one
    fresh = cell._style is None or not any(cell._style)
    looks = _LOOKS.setdefault(cell.parent.parent, {})
    key = (id(font), id(align), fmt, id(border), id(fill))
    if fresh and key in looks:
        cell._style = copy(looks[key][0])
        return
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    if fmt:
        cell.number_format = fmt
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    if fresh:
        looks[key] = (copy(cell._style), parts)


def _text_lines(text: str, chars: float) -> int:
    """Lines a text takes wrapped at word boundaries in a cell ``chars`` characters wide (a word longer than a line
    broken inside, as Excel and LibreOffice do)."""
    import textwrap

    return max(1, len(textwrap.wrap(text, width=max(1, int(chars)), break_long_words=True)))


def fit_header_rows(ws: Any, top: int, bottom: int, minimum: float = 20.0) -> dict[int, float]:
    """Give the rows ``top``..``bottom`` (a table's header band) the height their wrapped text needs, from each
    cell's text, its font size and the width of its columns (merged cells: all their columns, and all their rows).
    A header set to a fixed height cuts a long group heading over a narrow column in print; this does not."""
    from openpyxl.utils import get_column_letter

    def width(col: int) -> float:
        dim = ws.column_dimensions.get(get_column_letter(col))
        return float(dim.width) if dim is not None and dim.width else 8.43

    spans: dict[tuple[int, int], tuple[int, int]] = {}
    inside: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        if rng.min_row > bottom or rng.max_row < top:
            continue
        spans[(rng.min_row, rng.min_col)] = (rng.max_row, rng.max_col)
        inside.update((r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1))
    need = dict.fromkeys(range(top, bottom + 1), minimum)
    tall: list[tuple[int, int, float]] = []  # text merged over several rows: the rows together must hold it
    for row in ws.iter_rows(min_row=top, max_row=bottom):
        for cell in row:
            r, c = cell.row, cell.column
            if cell.value is None or ((r, c) in inside and (r, c) not in spans):
                continue
            last_row, last_col = spans.get((r, c), (r, c))
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            wraps = cell.alignment is not None and bool(cell.alignment.wrap_text)
            if not wraps and (r, c) not in spans:  # text that does not wrap stays on one line (it runs over)
                need[r] = max(need[r], size * 1.35 + 6.0)
                continue
            # a column of width w holds about w characters of 11 pt text, less the cell's margins; kept on the
            # safe side: a line too many leaves a little space, a line too few cuts the text
            chars = (sum(width(x) for x in range(c, last_col + 1)) * 0.9 - 1.5) * 11.0 / size
            height = _text_lines(str(cell.value), chars) * size * 1.35 + 6.0
            if last_row == r:
                need[r] = max(need[r], height)
            else:
                tall.append((r, min(last_row, bottom), height))
    for first, last, height in tall:
        short = height - sum(need[x] for x in range(first, last + 1))
        if short > 0:
            need[last] += short
    for r, height in need.items():
        ws.row_dimensions[r].height = round(height, 1)
    return need


def title_rows(ws: Any, ncols: int, title: str, subtitle: str, st: _Styles) -> None:
    """A sheet's title and subtitle, each centred over ``ncols`` columns (rows 1 and 2)."""
    from openpyxl.utils import get_column_letter

    last = get_column_letter(ncols)
    for row, text, font in ((1, title, st.title), (2, subtitle, st.subtitle)):
        ws.merge_cells(f"A{row}:{last}{row}")
        put(ws, row, 1, text, font, st.center)


def _form_header(ws: Any, schema: Any, hdr: int, label_head: str, st: _Styles) -> None:
    """The official forms' two-row header: TT and the label column over both rows; a group heading merged over
    its indicators, each indicator (with its ĐVT) under it; an indicator without a group over both rows."""
    hstyle = {"font": st.header, "align": st.center, "border": st.border, "fill": st.header_fill}
    inds = schema.indicators
    merges = [(hdr, 1, hdr + 1, 1), (hdr, 2, hdr + 1, 2)]
    for col, text in ((1, "TT"), (2, label_head)):
        put(ws, hdr, col, text, **hstyle)
        put(ws, hdr + 1, col, None, **hstyle)
    groups = {g.code: g.label for g in schema.groups}
    for k, ind in enumerate(inds):
        col = 3 + k
        leaf = (ind.column_label or ind.label) + (f" ({ind.unit})" if ind.unit else "")
        if not ind.group:
            put(ws, hdr, col, leaf, **hstyle)
            put(ws, hdr + 1, col, None, **hstyle)
            merges.append((hdr, col, hdr + 1, col))
            continue
        first = k == 0 or inds[k - 1].group != ind.group
        put(ws, hdr, col, groups[ind.group] if first else None, **hstyle)
        put(ws, hdr + 1, col, leaf, **hstyle)
        if first:
            span = 1
            while k + span < len(inds) and inds[k + span].group == ind.group:
                span += 1
            if span > 1:
                merges.append((hdr, col, hdr, col + span - 1))
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _summary_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    from openpyxl.utils import get_column_letter

    st = _Styles()
    schema = agg.schema
    inds = schema.indicators
    ncols = 2 + len(inds)
    source = f"{schema.source.document} ngày {schema.source.date:%d/%m/%Y} của {schema.source.issuer}"
    title = agg.titled(f"TỔNG HỢP: {schema.title.upper()}", lang)
    title_rows(ws, ncols, title, f"({source}) — {agg.completeness(lang)}", st)
    hdr = 4
    _form_header(ws, schema, hdr, "Đơn vị", st)
    numbers_row = hdr + 2
    for col in range(1, ncols + 1):
        put(ws, numbers_row, col, f"({col})", st.subtitle, st.center, border=st.border)
    first = numbers_row + 1
    r = first
    table = agg.values.reindex(index=agg.expected, columns=[i.code for i in inds]).to_numpy(dtype="float64")
    for n, (code, row) in enumerate(zip(agg.expected, table, strict=True), start=1):
        _unit_cells(ws, r, n, agg, code, st)
        for k, ind in enumerate(inds):
            v = row[k]
            put(
                ws,
                r,
                3 + k,
                None if v != v else float(v),
                st.body,
                st.right,
                _fmt(ind),
                st.border,
            )
        r += 1
    put(
        ws,
        r,
        2,
        f"Tổng cộng ({len(agg.reported)}/{len(agg.expected)} đơn vị)",
        st.bold,
        st.left,
        border=st.border,
        fill=st.total_fill,
    )
    put(ws, r, 1, None, border=st.border, fill=st.total_fill)
    for k, ind in enumerate(inds):
        put(
            ws,
            r,
            3 + k,
            float(agg.progress.loc[ind.code, "achieved"]),
            st.bold,
            st.right,
            _fmt(ind),
            st.border,
            st.total_fill,
        )
    r += 1
    part = schema.reported_part_label
    put(ws, r, 2, f"Chỉ tiêu giai đoạn ({part or 'các đơn vị'})", st.bold, st.left, border=st.border)
    put(ws, r, 1, None, border=st.border)
    for k, ind in enumerate(inds):
        t = agg.progress.loc[ind.code, "target"]
        put(ws, r, 3 + k, None if t != t else float(t), st.body, st.right, _fmt(ind), st.border)
    r += 1
    put(ws, r, 2, "Tỷ lệ so với chỉ tiêu (%)", st.bold, st.left, border=st.border)
    put(ws, r, 1, None, border=st.border)
    for k, ind in enumerate(inds):
        pct = agg.progress.loc[ind.code, "percent"]
        put(ws, r, 3 + k, None if pct != pct else float(pct), st.bold, st.right, PCT_FORMAT, st.border)
    r += 2
    for state, units in (("state-rejected", agg.returned), ("state-missing", agg.not_sent)):
        if units:
            names = ", ".join(agg.unit_name(c) for c in units)
            put(ws, r, 1, f"{word(state, lang)} ({len(units)}): {names}.", st.missing)
            r += 1
    if agg.rejected:
        put(ws, r, 1, f"Tệp bị loại do có lỗi: {len(agg.rejected)} (xem trang «Tệp bị loại»).", st.missing)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 30
    for k in range(len(inds)):
        ws.column_dimensions[get_column_letter(3 + k)].width = 13
    fit_header_rows(ws, hdr, hdr + 1)
    ws.freeze_panes = ws.cell(row=first, column=3)
    _print_setup(ws, hdr, hdr + 1)


def _lines_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    """A long form compiled: a row per line (summed over the units), a column per measure, the total first."""
    from openpyxl.utils import get_column_letter

    st = _Styles()
    schema = agg.schema
    inds = schema.indicators
    assert agg.lines is not None
    title_rows(ws, 2 + len(inds), agg.titled(f"TỔNG HỢP: {schema.title.upper()}", lang), agg.completeness(lang), st)
    hstyle = {"font": st.header, "align": st.center, "border": st.border, "fill": st.header_fill}
    put(ws, 4, 1, "TT", **hstyle)
    put(ws, 4, 2, schema.layout.line_column[0], **hstyle)
    for k, ind in enumerate(inds):
        groups = {g.code: g.label for g in schema.groups}
        text = f"{groups[ind.group]}: " if ind.group else ""
        text += (ind.column_label or ind.label) + (f" ({ind.unit})" if ind.unit else "")
        put(ws, 4, 3 + k, text, **hstyle)
    r = 5
    put(ws, r, 2, "TỔNG CỘNG", st.bold, st.left, border=st.border, fill=st.total_fill)
    put(ws, r, 1, None, border=st.border, fill=st.total_fill)
    for k, ind in enumerate(inds):
        v = agg.progress.loc[ind.code, "achieved"]
        put(ws, r, 3 + k, None if v != v else float(v), st.bold, st.right, _fmt(ind), st.border, st.total_fill)
    r += 1
    n = 0
    child = 0
    for line in schema.lines:
        if line.parent:
            child += 1
            tt: Any = "abcdefghij"[(child - 1) % 10]
        else:
            n, child = n + 1, 0
            tt = n
        put(ws, r, 1, tt, st.body, st.center, border=st.border)
        put(ws, r, 2, line.label, st.body if line.parent else st.bold, st.left, border=st.border)
        for k, ind in enumerate(inds):
            v = agg.lines.loc[line.code, ind.code]
            put(ws, r, 3 + k, None if v != v else float(v), st.body, st.right, _fmt(ind), st.border)
        r += 1
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 60
    for k in range(len(inds)):
        ws.column_dimensions[get_column_letter(3 + k)].width = 16
    fit_header_rows(ws, 4, 4)
    ws.freeze_panes = "C5"
    _print_setup(ws, 4, 4)


def _unit_lines_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    """A long form by unit: a row per unit, a column per line, holding the summary measure."""
    from openpyxl.utils import get_column_letter

    st = _Styles()
    schema = agg.schema
    code = schema.summary.value if schema.summary else schema.indicators[0].code
    ind = schema.indicator_by_code[code]
    hstyle = {"font": st.header, "align": st.center, "border": st.border, "fill": st.header_fill}
    put(ws, 1, 1, f"{ind.label} ({ind.unit}) theo đơn vị", st.title)
    put(ws, 3, 1, "TT", **hstyle)
    put(ws, 3, 2, "Đơn vị", **hstyle)
    for k, line in enumerate(schema.lines):
        put(ws, 3, 3 + k, line.label.split(":")[0], **hstyle)
    by_unit = agg.unit_line_values(code)
    for n, unit in enumerate(agg.expected, start=1):
        r = 3 + n
        _unit_cells(ws, r, n, agg, unit, st)
        for k, line in enumerate(schema.lines):
            v = by_unit.get((unit, line.code))
            put(ws, r, 3 + k, v, st.body, st.right, _fmt(ind), st.border)
    ws.column_dimensions["B"].width = 24
    for k in range(len(schema.lines)):
        ws.column_dimensions[get_column_letter(3 + k)].width = 14
    ws.freeze_panes = "C4"
    _print_setup(ws, 3, 3)


def _unit_cells(ws: Any, r: int, n: int, agg: Aggregate, unit: str, st: Any) -> None:
    """A unit's number and name (marked when it has not reported) in columns A and B."""
    reported = agg.has_reported(unit)
    put(ws, r, 1, n, st.body, st.center, border=st.border)
    name = agg.unit_name(unit) + ("" if reported else " (chưa nộp)")
    put(ws, r, 2, name, st.body if reported else st.missing, st.left, border=st.border)


def _fmt(ind: Any) -> str:
    """The cell format of an indicator's figures: its places (one rounding rule with the Word report)."""
    return "#,##0" + ("." + "0" * ind.places if ind.places else "")


def _progress_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    st = _Styles()
    headers = [
        "TT",
        "Chỉ tiêu",
        "ĐVT",
        "Kết quả đạt được",
        "Chỉ tiêu giai đoạn (các đơn vị)",
        "Tỷ lệ (%)",
        "Chỉ tiêu toàn tỉnh giai đoạn",
        "Thời gian hoàn thành",
    ]
    ws.merge_cells("A1:H1")
    put(ws, 1, 1, agg.titled("TIẾN ĐỘ THỰC HIỆN SO VỚI CHỈ TIÊU", lang), st.title, st.center)
    ws.merge_cells("A2:H2")
    put(ws, 2, 1, agg.completeness(lang), st.subtitle, st.center)
    for c, h in enumerate(headers, start=1):
        put(ws, 4, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
    r = 5
    for n, (code, row) in enumerate(agg.progress.iterrows(), start=1):
        ind = agg.schema.indicator_by_code[str(code)]
        put(ws, r, 1, n, st.body, st.center, border=st.border)
        put(ws, r, 2, ind.label, st.body, st.left, border=st.border)
        put(ws, r, 3, ind.unit, st.body, st.center, border=st.border)
        fmt = _fmt(ind)  # 189.638,9 triệu đồng stays 189.638,9 (an integer format read it as 189,639)
        put(ws, r, 4, float(row["achieved"]), st.body, st.right, fmt, st.border)
        t = row["target"]
        put(ws, r, 5, None if t != t else float(t), st.body, st.right, fmt, st.border)
        pct = row["percent"]
        put(ws, r, 6, None if pct != pct else float(pct), st.body, st.right, PCT_FORMAT, st.border)
        p = row["phase_target"]
        put(ws, r, 7, None if p != p else float(p), st.body, st.right, fmt, st.border)
        put(ws, r, 8, ind.window, st.body, st.center, border=st.border)
        r += 1
    for col, width in zip("ABCDEFGH", (6, 60, 10, 16, 18, 12, 18, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C5"
    _print_setup(ws, 4, 4)


def _status_sheet(ws: Any, agg: Aggregate, report: Report | None, lang: str) -> None:
    st = _Styles()
    headers = ["TT", "Đơn vị", "Tình trạng", "Tệp"]
    for c, h in enumerate(headers, start=1):
        put(ws, 1, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
    rejected_units: dict[str, str] = {}
    for f in agg.rejected:
        for u in f.units:
            rejected_units[u] = str(f.path)
    for n, code in enumerate(agg.expected, start=1):
        r = n + 1
        if agg.has_reported(code):
            state, file = "reported", agg.sources[code]
        elif code in rejected_units:
            state, file = "rejected", rejected_units[code]
        else:
            state, file = "missing", ""
        put(ws, r, 1, n, st.body, st.center, border=st.border)
        put(ws, r, 2, agg.unit_name(code), st.body, st.left, border=st.border)
        style = st.body if state == "reported" else st.missing
        put(ws, r, 3, word(f"state-{state}", lang), style, st.left, border=st.border)
        put(ws, r, 4, file, st.body, st.left, border=st.border)
    r = len(agg.expected) + 3
    put(ws, r, 1, agg.completeness(lang), st.bold)
    for col, width in zip("ABCD", (6, 24, 30, 60), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    _print_setup(ws, 1, 1)


def _former_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    """The communes' figures regrouped by their former districts, by name (a commune made from the communes of
    several districts under all of them together: the split is stated, not guessed)."""
    st = _Styles()
    frame = agg.by_former()
    inds = [i for i in agg.schema.indicators if i.code in frame.columns]
    put(ws, 1, 1, word("by-former", lang).upper(), st.title, st.left)
    put(ws, 2, 1, agg.completeness(lang), st.subtitle, st.left)
    headers = [word("former-district", lang)] + [f"{i.label} ({i.unit})" if i.unit else i.label for i in inds]
    for c, h in enumerate(headers, start=1):
        put(ws, 4, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
    for r, (name, row) in enumerate(frame.iterrows(), start=5):
        put(ws, r, 1, str(name).replace(",", ", "), st.body, st.left, border=st.border)
        for c, ind in enumerate(inds, start=2):
            value = row[ind.code]
            put(ws, r, c, None if value != value else float(value), st.body, st.right, _fmt(ind), st.border)
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = 30
    for c in range(2, len(inds) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 12
    fit_header_rows(ws, 4, 4)
    ws.freeze_panes = "B5"
    _print_setup(ws, 4, 4)


def _ledger_sheet(ws: Any, agg: Aggregate, extras: Any, lang: str) -> None:
    """From the ledger: each indicator this period, the period before, the change, the cumulative figure since
    the phase began and the phase target it is set against (the terminal's table, on paper)."""
    from ..periods import parse_period, period_words

    st = _Styles()
    now, before = (period_words(parse_period(p), lang) for p in (extras.period, extras.previous_period))
    headers = ["TT", word("indicator", lang), "ĐVT", now, before, word("change", lang), word("cumulative", lang)]
    headers += [word("target", lang), "%"]
    title = f"{word('from-ledger', lang, period=now)} — {agg.schema.title}".upper()
    title_rows(ws, len(headers), title, word("ledger-sheet-note", lang), st)
    for c, h in enumerate(headers, start=1):
        put(ws, 4, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
    r = 5
    for n, ind in enumerate(agg.schema.indicators, start=1):
        cum, target = extras.cumulative.get(ind.code), extras.targets.get(ind.code)
        values = [
            extras.totals.get(ind.code),
            extras.previous.get(ind.code),
            extras.change.get(ind.code),
            cum,
            target,
        ]
        put(ws, r, 1, n, st.body, st.center, border=st.border)
        put(ws, r, 2, ind.label, st.body, st.left, border=st.border)
        put(ws, r, 3, ind.unit, st.body, st.center, border=st.border)
        for c, v in enumerate(values, start=4):
            put(ws, r, c, None if v is None else float(v), st.body, st.right, _fmt(ind), st.border)
        share = float(cum / target * 100) if cum is not None and target else None
        put(ws, r, 9, share, st.body, st.right, PCT_FORMAT, st.border)
        r += 1
    for note in [choose(pair, lang) for pair in extras.cut_years]:
        put(ws, r + 1, 1, note, st.subtitle, st.left)
        r += 1
    for col, width in zip("ABCDEFGHI", (6, 50, 10, 14, 14, 12, 14, 14, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C5"
    _print_setup(ws, 4, 4)


def _texts_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    """What the units wrote in the form's text fields: a row per unit, a column per field (text, never a formula)."""
    st = _Styles()
    fields = agg.schema.texts
    headers = ["TT", word("unit-name", lang)] + [f.label for f in fields]
    for c, h in enumerate(headers, start=1):
        put(ws, 1, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
    written = agg.texts or {}
    r = 2
    for unit in agg.expected:
        if unit not in written:
            continue
        put(ws, r, 1, r - 1, st.body, st.center, border=st.border)
        put(ws, r, 2, agg.unit_name(unit), st.body, st.left, border=st.border)
        for c, field in enumerate(fields, start=3):
            put(ws, r, c, written[unit].get(field.code, ""), st.body, st.left, border=st.border)
        r += 1
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 24
    for c in range(3, len(fields) + 3):
        ws.column_dimensions[get_column_letter(c)].width = 60
    ws.freeze_panes = "C2"
    _print_setup(ws, 1, 1)


def _rejected_sheet(ws: Any, agg: Aggregate, lang: str) -> None:
    st = _Styles()
    headers = ["Tệp", "Trang tính", "Ô", "Lỗi", "Cách sửa"]
    for c, h in enumerate(headers, start=1):
        put(ws, 1, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
    r = 2
    for f in agg.rejected:
        for issue in f.errors:
            for c, v in enumerate((issue.file, issue.sheet, issue.cell, issue.message(lang), issue.fix(lang)), 1):
                put(ws, r, c, v, st.body, st.left, border=st.border)
            r += 1
    if r == 2:  # nothing rejected: one line that says so, not pages of bare headers
        put(ws, 2, 1, word("no-rejected", lang), st.body, st.left)
    for col, width in zip("ABCDE", (40, 14, 8, 70, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    _print_setup(ws, 1, 1)


def _print_setup(ws: Any, first_header: int, last_header: int, orientation: str = "landscape") -> None:
    """A4, as wide as one page, the header rows repeated on every page, 'Trang N/M' at the foot of each page."""
    print_setup(ws, first_header, last_header, orientation)


ONE_PAGE_ROWS = 30  # sheets this short are printed on one page
FIT_ROWS_UP_TO = 2000  # sheets this long get every row as tall as its wrapped text; longer ones their titles only


def print_setup(ws: Any, first_header: int, last_header: int, orientation: str = "landscape") -> None:
    """The sheet ready to print; rows as tall as their wrapped text (LibreOffice, and so --pdf, does not grow a
    row written without a height: long project names overlapped the next row), the title rows always."""
    if first_header > 1:
        fit_header_rows(ws, 1, first_header - 1, minimum=15.0)
    if ws.max_row <= FIT_ROWS_UP_TO and ws.max_row > last_header:
        fit_header_rows(ws, last_header + 1, ws.max_row, minimum=15.0)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    # a short sheet (a blank form, a district table) on one page whole: its signature block never alone on a
    # second page; a long one as many pages tall as it needs
    ws.page_setup.fitToHeight = 1 if ws.max_row <= ONE_PAGE_ROWS else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{first_header}:{last_header}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.size = 9


def write_status_xlsx(status: Any, path: str | Path, lang: str = "vi") -> Path:
    """The reporting status of a period (who reported on time, late, was rejected, is missing) as .xlsx."""

    def build(tmp: Path) -> None:
        from openpyxl import Workbook

        st = _Styles()
        wb = Workbook()
        ws = wb.active
        ws.title = "Tình hình nộp"
        due = status.deadline.strftime("%d/%m/%Y") if status.deadline else "—"
        when = report_title(status.kind.title if status.kind else "", status.period, lang).upper()
        title_rows(
            ws,
            7,
            f"TÌNH HÌNH NỘP BÁO CÁO: {status.schema.title.upper()} — {when}",
            f"Hạn nộp: {due}. Tỷ lệ báo cáo: {format_percent(status.rate())} ({status.reported}/{len(status.units)});"
            f" đúng hạn: {format_percent(status.on_time_rate())}.",
            st,
        )
        headers = ["TT", "Đơn vị", "Tình trạng", "Số ngày muộn", "Phiên bản", "Ngày nhận", "Tệp"]
        for c, h in enumerate(headers, start=1):
            put(ws, 4, c, h, st.header, st.center, border=st.border, fill=st.header_fill)
        for n, u in enumerate(status.units, start=1):
            r = 4 + n
            values = [
                n,
                u.name,
                word(f"state-{u.state}", lang),
                u.days_late or None,
                u.version,
                u.received_at.strftime("%d/%m/%Y") if u.received_at else None,
                u.file,
            ]
            for c, v in enumerate(values, start=1):
                font = st.body if u.state in ("on-time", "late") or c != 3 else st.missing
                put(ws, r, c, v, font, st.left if c in (2, 3, 7) else st.center, border=st.border)
        for col, width in zip("ABCDEFG", (5, 24, 30, 12, 10, 12, 40), strict=True):
            ws.column_dimensions[col].width = width
        ws.row_dimensions[1].height = 24  # the accents of the title's capitals are not clipped
        ws.row_dimensions[2].height = 18
        ws.freeze_panes = "A5"
        _print_setup(ws, 4, 4)
        wb.save(tmp)

    return atomic_write(path, build)
