"""A corpus of workbooks made the way units really make them: other programs, layouts, conventions, encodings.

Each builder writes one real file and says what reading it must give: the unit and its values, or the issue code
it must be rejected with. Files are written by openpyxl (.xlsx/.xlsm), xlwt (.xls, Excel 97-2003) and odfpy
through pandas (.ods), so no variant needs LibreOffice.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtqg_cli.legacy import encode_tcvn3, encode_vni
from mtqg_cli.schema import Schema

Cell = Any
Merge = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based)


@dataclass
class Grid:
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)

    def put(self, r: int, c: int, value: Cell) -> None:
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        while len(row) <= c:
            row.append(None)
        row[c] = value

    def map_text(self, fn: Callable[[str], str]) -> Grid:
        return Grid(
            [[fn(v) if isinstance(v, str) and not v.startswith("=") else v for v in row] for row in self.rows],
            list(self.merges),
        )


@dataclass
class Expect:
    unit: str | None = None
    values: dict[str, Any] | None = None
    code: str | None = None  # the issue code the file must carry
    warnings: tuple[str, ...] = ()


def unit_values(schema: Schema, unit: str) -> dict[str, int]:
    return {i.code: int(schema.target_for(unit, i.code) or 0) for i in schema.indicators}


def form_grid(
    schema: Schema,
    label: str,
    values: dict[str, Cell],
    *,
    header: str = "two-row",
    origin: tuple[int, int] = (0, 0),
    order: list[str] | None = None,
    leaf: Callable[[Any], str] | None = None,
    numbers_row: str = "(n)",
    total: dict[str, Cell] | None = None,
    total_label: str = "Tổng cộng",
    extra_rows_before: list[list[Cell]] | None = None,
    extra_column: str | None = None,
) -> Grid:
    """A unit's return: title block, a header of 1-3 rows, optional column numbers, rows, total, signature."""
    g = Grid()
    r0, c0 = origin
    inds = [schema.indicator_by_code[c] for c in (order or [i.code for i in schema.indicators])]
    leaf = leaf or (lambda ind: f"{ind.label} ({ind.unit})")
    ncols = 2 + len(inds) + (1 if extra_column else 0)
    g.put(r0, c0, "ỦY BAN NHÂN DÂN")
    g.put(r0 + 1, c0, "HUYỆN " + label.upper())
    g.put(r0, c0 + 5, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    g.put(r0 + 1, c0 + 5, "Độc lập - Tự do - Hạnh phúc")
    g.put(r0 + 3, c0, "BÁO CÁO KẾT QUẢ THỰC HIỆN DỰ ÁN 8")
    g.merges.append((r0 + 3, c0, r0 + 3, c0 + ncols - 1))
    r = r0 + 5
    groups = {gr.code: gr.label for gr in schema.groups}
    if header == "one-row":
        g.put(r, c0, "STT")
        g.put(r, c0 + 1, "Tên đơn vị")
        for k, ind in enumerate(inds):
            g.put(r, c0 + 2 + k, leaf(ind))
        if extra_column:
            g.put(r, c0 + 2 + len(inds), extra_column)
        r += 1
    else:
        top = r
        depth = 3 if header == "annex" else 2  # header rows
        g.put(top, c0, "TT")
        g.put(top, c0 + 1, "Huyện, thành phố" if header == "annex" else "Đơn vị")
        g.merges += [(top, c0, top + depth - 1, c0), (top, c0 + 1, top + depth - 1, c0 + 1)]
        group_row = top + depth - 2
        grouped_cols = [c0 + 2 + k for k, ind in enumerate(inds) if ind.group]
        if header == "annex" and grouped_cols:
            g.put(top, grouped_cols[0], "NỘI DUNG")
            g.merges.append((top, grouped_cols[0], top, grouped_cols[-1]))
        k = 0
        while k < len(inds):
            ind = inds[k]
            col = c0 + 2 + k
            if not ind.group:
                g.put(top, col, leaf(ind))
                g.merges.append((top, col, top + depth - 1, col))
                k += 1
                continue
            span = 1
            while k + span < len(inds) and inds[k + span].group == ind.group:
                span += 1
            g.put(group_row, col, groups[ind.group])
            if span > 1:
                g.merges.append((group_row, col, group_row, col + span - 1))
            for j in range(span):
                g.put(top + depth - 1, col + j, leaf(inds[k + j]))
            k += span
        if extra_column:
            g.put(top, c0 + 2 + len(inds), extra_column)
            g.merges.append((top, c0 + 2 + len(inds), top + depth - 1, c0 + 2 + len(inds)))
        r = top + depth
    if numbers_row == "(n)":
        for c in range(ncols):
            g.put(r, c0 + c, f"({c + 1})")
        r += 1
    elif numbers_row == "n":
        for c in range(ncols):
            g.put(r, c0 + c, c + 1)
        r += 1
    for extra in extra_rows_before or []:
        for c, v in enumerate(extra):
            g.put(r, c0 + c, v)
        r += 1
    g.put(r, c0, 1)
    g.put(r, c0 + 1, label)
    for k, ind in enumerate(inds):
        g.put(r, c0 + 2 + k, values.get(ind.code))
    if extra_column:
        g.put(r, c0 + 2 + len(inds), "đúng tiến độ")
    r += 1
    g.put(r, c0 + 1, total_label)
    for k, ind in enumerate(inds):
        v = total[ind.code] if total and ind.code in total else values.get(ind.code)
        g.put(r, c0 + 2 + k, v if isinstance(v, int | float) else None)
    r += 2
    g.put(r, c0, "Ghi chú: số liệu tính đến 31/12.")
    g.put(r + 2, c0 + 1, "NGƯỜI LẬP BIỂU")
    g.put(r + 2, c0 + 6, "TM. ỦY BAN NHÂN DÂN")
    g.put(r + 3, c0 + 6, "CHỦ TỊCH")
    return g


# -- writers


def write_xlsx(
    path: Path, sheets: list[tuple[str, Grid]], hidden: tuple[str, ...] = (), font: str | None = None
) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, grid in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(grid.rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    cell = ws.cell(row=r, column=c, value=v)
                    if font:
                        cell.font = Font(name=font)
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def write_xls(path: Path, sheets: list[tuple[str, Grid]]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, grid in sheets:
        ws = wb.add_sheet(name)
        merged_tops = {(m[0], m[1]): m for m in grid.merges}
        covered = {
            (r, c)
            for (r1, c1, r2, c2) in grid.merges
            for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1)
        }
        for r, row in enumerate(grid.rows):
            for c, v in enumerate(row):
                if (r, c) in covered:
                    continue
                if (r, c) in merged_tops:
                    r1, c1, r2, c2 = merged_tops[(r, c)]
                    ws.write_merge(r1, r2, c1, c2, v if v is not None else "")
                elif v is not None:
                    ws.write(r, c, v)
    wb.save(str(path))
    return path


def write_ods(path: Path, sheets: list[tuple[str, Grid]]) -> Path:
    import pandas as pd

    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, grid in sheets:
            width = max(len(r) for r in grid.rows)
            frame = pd.DataFrame([r + [None] * (width - len(r)) for r in grid.rows], dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def bare(text: str) -> str:
    from mtqg_cli.text import strip_accents

    return strip_accents(text)


def tcvn3(text: str) -> str:
    return encode_tcvn3(text)


def vni(text: str) -> str:
    return encode_vni(text)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()
