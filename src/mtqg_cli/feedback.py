"""Feedback a unit can act on: a copy of its workbook with every wrong cell marked and explained.

For each workbook with problems: a copy named ``<name>_can-sua.xlsx`` (``.xlsm`` kept) in which every cell with an
error is filled red and every cell with a warning yellow, each with an Excel comment saying what to fix, and a
first sheet "Lỗi cần sửa" listing every problem (cell, problem, how to fix) with a link to the cell. The received
file is never modified. A .xls or .ods original (which openpyxl cannot open) is copied as values into a new .xlsx.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import Issue, Severity
from .render import atomic_write, looks_like_formula
from .text import clean
from .validate import FileResult
from .words import word

SHEET = "Lỗi cần sửa"
_RED, _YELLOW = "FFC7CE", "FFEB9C"


# a file that was never opened (refused by a bound, encrypted, damaged, not a workbook) gets no copy: reopening it
# for the copy would pay the very cost the bound refused
_NOT_OPENED = {"file-", "internal-error"}
_NAME_BYTES = 120  # a copy's name at most (a file name's limit is 255 bytes; temporary names add to it)
# what one copy shows at most: a file with thousands of problems (a pasted block, a unit repeated 8,000 times) is
# sent back with the first of them and a line saying how many more; the unit's fix is the same
MAX_MARKED_CELLS = 500
MAX_LISTED = 500


def feedback_path(result: FileResult, folder: Path) -> Path:
    suffix = ".xlsm" if result.path.suffix.lower() == ".xlsm" else ".xlsx"
    return folder / f"{short_name(result.path.stem)}_can-sua{suffix}"


def short_name(stem: str, limit: int = _NAME_BYTES) -> str:
    """``stem`` if it fits ``limit`` bytes in UTF-8; else its start and a short hash of the whole (two long names
    that begin alike stay apart)."""
    if len(stem.encode("utf-8")) <= limit:
        return stem
    import hashlib

    tag = "~" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    cut = stem.encode("utf-8")[: limit - len(tag)].decode("utf-8", "ignore")
    return cut + tag


def feedback_targets(results: list[FileResult], folder: str | Path) -> list[Path]:
    """Where each file's copy goes, in the order of ``results``: under ``folder``, in the sub-folder the file had
    under the batch's common folder (two units' files with the same name stay apart), never onto a received file
    nor onto another copy."""
    out = Path(folder)
    places = [Path(os.path.realpath(r.path)) for r in results]  # realpath: a loop of links is no failure here
    inputs = {os.path.normcase(str(p)) for p in places}
    common = Path(os.path.commonpath([str(p.parent) for p in places])) if places else Path()
    taken: set[str] = set()
    targets = []
    for result, place in zip(results, places, strict=True):
        base = feedback_path(result, out / place.parent.relative_to(common))
        target, n = base, 2
        while os.path.normcase(os.path.realpath(target)) in inputs or os.path.normcase(str(target)) in taken:
            target, n = base.with_name(f"{base.stem}-{n}{base.suffix}"), n + 1
        taken.add(os.path.normcase(str(target)))
        targets.append(target)
    return targets


def write_feedback_batch(results: list[FileResult], folder: str | Path, lang: str = "vi") -> list[Path]:
    """The annotated copy of every file with problems that could be opened (see :func:`feedback_targets`)."""
    written = []
    for result, target in zip(results, feedback_targets(results, folder), strict=True):
        path = write_feedback(result, target.parent, lang, target=target)
        if path is not None:
            written.append(path)
    return written


def write_feedback(result: FileResult, folder: str | Path, lang: str = "vi", target: Path | None = None) -> Path | None:
    """Write the annotated copy for one file with problems; None when the file has none or was never opened."""
    if not result.issues or any(i.code.startswith(tuple(_NOT_OPENED)) for i in result.issues if not i.cell):
        return None
    out = target or feedback_path(result, Path(folder))
    if os.path.realpath(out) == os.path.realpath(result.path):
        return None
    wb = _open_copy(result)
    if wb is None:
        return None
    _mark_cells(wb, result, lang)
    _problem_sheet(wb, result, lang)
    return atomic_write(out, lambda tmp: wb.save(tmp))


def _open_copy(result: FileResult) -> Any:
    from openpyxl import Workbook, load_workbook

    from .reading import ReadError, read_workbook

    if result.path.suffix.lower() in (".xlsx", ".xlsm"):
        import warnings

        try:
            with warnings.catch_warnings():  # openpyxl's notes on what it drops (data validation, ...): not the unit's
                warnings.simplefilter("ignore")
                return load_workbook(result.path, keep_vba=result.path.suffix.lower() == ".xlsm")
        except Exception:  # damaged for openpyxl but readable by calamine: fall back to values
            pass
    try:
        source = read_workbook(result.path)
    except ReadError:
        return None
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in source.sheets:
        ws = wb.create_sheet(sheet.name[:31])
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value == "" or value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and looks_like_formula(value):
                    cell.data_type = "s"
    return wb


def _mark_cells(wb: Any, result: FileResult, lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in result.issues:
        if issue.cell and issue.sheet in wb.sheetnames:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    for (sheet, ref), issues in list(by_cell.items())[:MAX_MARKED_CELLS]:
        ws = wb[sheet]
        cell = ws[ref]
        if type(cell).__name__ == "MergedCell":
            continue
        worst = Severity.ERROR if any(i.severity is Severity.ERROR for i in issues) else Severity.WARNING
        color = _RED if worst is Severity.ERROR else _YELLOW
        cell.fill = PatternFill("solid", fgColor=color)
        text = "\n".join(f"• {i.message(lang)} → {i.fix(lang)}" for i in issues)
        comment = Comment(text, "mtqg")
        comment.width, comment.height = 320, 40 + 40 * len(issues)
        cell.comment = comment


def _problem_sheet(wb: Any, result: FileResult, lang: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    if SHEET in wb.sheetnames:
        del wb[SHEET]
    ws = wb.create_sheet(SHEET, 0)
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=12)
    body = Font(name="Times New Roman", size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    only_warnings = not result.errors  # accepted: nothing to 'correct and send again'
    title = word("feedback-title-warnings" if only_warnings else "feedback-title", lang)
    ws["A1"] = clean(f"{title}: {result.path.name}")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    counts = {"errors": len(result.errors), "warnings": len(result.warnings)}
    ws["A2"] = word("feedback-counts-warnings" if only_warnings else "feedback-counts", lang, **counts)
    ws["A2"].font = Font(name="Times New Roman", italic=True, size=12)
    headers = [word(key, lang) for key in ("number", "sheet-long", "cell", "level", "problem", "fix")]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=c, value=h)
        cell.font, cell.border, cell.alignment = bold, border, wrap
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    listed = result.issues[:MAX_LISTED]
    for n, issue in enumerate(listed, start=1):
        r = 4 + n
        values: list[Any] = [
            n,
            issue.sheet,
            issue.cell,
            word(str(issue.severity).capitalize(), lang),
            issue.message(lang),
            issue.fix(lang),
        ]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=clean(v) if isinstance(v, str) else v)
            if isinstance(v, str) and looks_like_formula(v):
                cell.data_type = "s"
            cell.font, cell.border, cell.alignment = body, border, wrap
        if issue.cell and issue.sheet in wb.sheetnames:
            link = ws.cell(row=r, column=3)
            link.hyperlink = f"#'{issue.sheet}'!{issue.cell}"
            link.font = Font(name="Times New Roman", size=12, color="0563C1", underline="single")
        fill = _RED if issue.severity is Severity.ERROR else _YELLOW
        ws.cell(row=r, column=4).fill = PatternFill("solid", fgColor=fill)
        lines = max(len(values[4]) // 55 + 1, len(values[5]) // 45 + 1)
        ws.row_dimensions[r].height = 16 * lines
    if len(result.issues) > len(listed):
        more = ws.cell(
            row=5 + len(listed), column=5, value=word("more-problems", lang, count=len(result.issues) - len(listed))
        )
        more.font = Font(name="Times New Roman", italic=True, size=12)
    for col, width in zip("ABCDEF", (5, 14, 8, 10, 60, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
