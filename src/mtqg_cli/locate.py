"""Finding a schema's table in a sheet by its header text, never by fixed cell addresses.

The header is a band of one to ``layout.max_header_rows`` rows (often merged) that starts at the row naming the
unit column ('Huyện, thành phố'). Each indicator is matched to the column whose header text holds one of its
phrases, the most specific phrase first. Title blocks above are skipped; a row of column numbers
('1 2 3 ...', '(1) (2) ...') under the header is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .reading import Sheet, Workbook
from .schema import Schema, match_phrases
from .text import _fold, contains_phrase

SCAN_ROWS = 60


@dataclass
class Table:
    sheet: Sheet
    header_top: int
    header_bottom: int
    unit_col: int
    number_col: int | None
    columns: dict[str, int]
    missing: list[str] = field(default_factory=list)
    data_start: int = 0

    @property
    def score(self) -> int:
        return len(self.columns)


def _phrases(schema: Schema) -> dict[str, list[str]]:
    return schema.header_phrases


def _per_form(what: str, schema: Schema, build: Callable[[Schema], Any]) -> Any:
    """``build(schema)``, worked out once per form and kept on the form (``Schema.memo``)."""
    return schema.memo("locate." + what, build)


def _wrapped_phrases(schema: Schema) -> list[str]:
    """Every header phrase of the form as ' phrase ', once per form."""
    return _per_form(
        "wrapped", schema, lambda s: list(dict.fromkeys(f" {p} " for ps in _phrases(s).values() for p in ps if p))
    )


def _names_a_phrase(cells: list[str], wrapped: list[str]) -> bool:
    """Whether some cell contains some phrase as whole words (:func:`contains_phrase` for every pair), tested on
    the row's cells joined once: a NUL between cells, which no phrase holds, keeps a match inside one cell. A form
    whose table is not in the sheet is told so in a few string searches a row, not one per cell and phrase."""
    line = " \0 ".join(c for c in cells if c)
    if not line:
        return False
    line = f" {line} "
    return any(p in line for p in wrapped)


def header_words(workbook: Workbook) -> frozenset[str]:
    """Every word of the text cells (folded) in the rows a table's header is looked for in, over all sheets."""
    cells = [_fold(v) for sheet in workbook.sheets for row in sheet.rows[:SCAN_ROWS] for v in row if v.__class__ is str]
    return frozenset(" ".join(cells).split())


def _phrase_words(schema: Schema) -> tuple[list[list[frozenset[str]]], frozenset[str], dict[frozenset[str], int]]:
    """A form's header phrases as sets of words (per indicator), all their words, and the bounds already worked out
    for a set of those words (the files of a batch share their headings: one bound per layout, not per file)."""
    each = [[frozenset(p.split()) for p in phrases if p] for phrases in _phrases(schema).values()]
    return each, frozenset(w for phrases in each for p in phrases for w in p), {}


def columns_bound(schema: Schema, words: frozenset[str]) -> int:
    """At most how many of the form's columns a sheet whose header rows hold ``words`` can have (a column is found
    when its header text holds one of the indicator's phrases as whole words: every word of that phrase is then a
    word of a cell in those rows). Worked out in set operations, before any table is looked for."""
    each, vocabulary, bounds = _per_form("phrase words", schema, _phrase_words)
    seen = words & vocabulary  # only the form's own words can make a phrase
    bound = bounds.get(seen)
    if bound is None:
        if len(bounds) > 4096:
            bounds.clear()
        bound = bounds[seen] = sum(1 for phrases in each if any(p <= seen for p in phrases))
    return bound


def locate_table(workbook: Workbook, schema: Schema) -> Table | None:
    """The best table of ``schema`` among the workbook's sheets (visible sheets preferred on a tie)."""
    best: Table | None = None
    for sheet in workbook.sheets:
        table = locate_in_sheet(sheet, schema)
        if table is None:
            continue
        if best is None or (table.score, table.sheet.visible) > (best.score, best.sheet.visible):
            best = table
    return best


# Layouts already seen, per form: most workbooks of a batch come from the same template, so a header band that is
# cell-for-cell one seen before (at the same place, merged the same way) is located without being worked out again.
@dataclass
class _Template:
    top: int
    bottom: int
    band: list[list[Any]]  # the header rows, cell for cell
    merges: tuple[object, ...]
    between: list[list[Any]]  # the rows between the header and the first data row ('(1) (2) (3)', blank rows)
    table: Table


def _templates(schema: Schema) -> list[_Template]:
    """The layouts seen for this form, newest last (at most 32), kept on the form."""
    return schema.memo("locate.templates", lambda s: [])


def _band_merges(sheet: Sheet, top: int, bottom: int) -> tuple[object, ...]:
    return tuple(sorted(m for m in sheet.merged if top <= m[0][0] <= bottom))


def _from_template(sheet: Sheet, schema: Schema, unit_phrases: list[str]) -> Table | None:
    rows = sheet.rows
    for t in _templates(schema):
        top, bottom = t.top, t.bottom
        if len(rows) <= bottom or sheet.width != t.table.sheet.width or rows[top : bottom + 1] != t.band:
            continue
        if _band_merges(sheet, top, bottom) != t.merges:
            continue
        longest = max(len(p) for p in unit_phrases) + 14
        above = (v for r in range(top) for v in rows[r] if v.__class__ is str and 0 < len(v) <= longest)
        if any(_is_label(_fold(v), unit_phrases) for v in above):
            continue  # another heading above (only short cells can be one): work it out in full
        data_start = bottom + 1
        if rows[data_start : data_start + len(t.between)] == t.between:
            data_start += len(t.between)  # the same numbering row as the template's
        while data_start < len(rows) and (
            _is_column_numbers(rows[data_start]) or not any(str(v).strip() for v in rows[data_start])
        ):
            data_start += 1
        seen = t.table
        return Table(
            sheet, top, bottom, seen.unit_col, seen.number_col, dict(seen.columns), list(seen.missing), data_start
        )
    return None


def _remember(sheet: Sheet, schema: Schema, table: Table) -> None:
    entries = _templates(schema)
    if len(entries) >= 32:
        entries.pop(0)
    top, bottom = table.header_top, table.header_bottom
    entries.append(
        _Template(
            top,
            bottom,
            [list(r) for r in sheet.rows[top : bottom + 1]],
            _band_merges(sheet, top, bottom),
            [list(r) for r in sheet.rows[bottom + 1 : table.data_start]],
            table,
        )
    )


def locate_in_sheet(sheet: Sheet, schema: Schema) -> Table | None:
    unit_phrases = schema.unit_column_phrases
    known = _from_template(sheet, schema, unit_phrases)
    if known is not None:
        return known
    folded = _FoldedRows(sheet, min(sheet.height, SCAN_ROWS))
    table = _locate_in_sheet(sheet, schema, folded)
    if table is not None:
        _remember(sheet, schema, table)
    return table


def _locate_in_sheet(sheet: Sheet, schema: Schema, folded: Any) -> Table | None:
    limit = len(folded)
    unit_phrases = schema.unit_column_phrases
    exact = set(unit_phrases)
    anchors: list[int] = []
    for r in range(limit):
        if anchors and r > anchors[0] + 10:
            break  # a second heading row of the same table is near the first
        row = folded[r]
        if any(c in exact for c in row) or any(_is_label(c, unit_phrases) for c in row if c):
            anchors.append(r)
            if len(anchors) == 3:
                break
    if not anchors:  # no unit heading: start at the first row naming an indicator
        wrapped = _wrapped_phrases(schema)
        anchors = next(([r] for r in range(limit) if _names_a_phrase(folded[r], wrapped)), [])
    best: Table | None = None
    for top in anchors[:3]:
        table = _table_at(sheet, schema, folded, top)
        if table and (best is None or table.score > best.score):
            best = table
    if best is None or not enough_columns(schema, best.columns):
        return None
    return best


def enough_columns(schema: Schema, found: Iterable[str]) -> bool:
    """A table is the form's when it has at least half of the form's columns, or every column the form requires
    (however many optional ones a unit left out); which form fits a workbook best is still decided by the share
    of columns found."""
    codes = set(found)
    if len(codes) * 2 >= len(schema.indicators):
        return True
    required = required_codes(schema)
    return bool(required) and required <= codes


def required_codes(schema: Schema) -> set[str]:
    return schema.memo("locate.required", lambda s: {i.code for i in s.indicators if i.required})


class _FoldedRows:
    """The sheet's first rows, folded on first use: the header is usually near the top, so most rows never are."""

    def __init__(self, sheet: Sheet, limit: int) -> None:
        self.sheet = sheet
        self.limit = limit
        self.rows: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return self.limit

    def __getitem__(self, r: int) -> list[str]:
        row = self.rows.get(r)
        if row is None:
            row = self.rows[r] = [_fold(v) if v.__class__ is str else "" for v in self.sheet.rows[r]]
        return row


def _table_at(sheet: Sheet, schema: Schema, folded: Any, top: int) -> Table | None:
    width = sheet.width
    best: tuple[int, int, dict[str, int]] | None = None
    bottom = top
    while bottom < min(len(folded), top + schema.layout.max_header_rows):
        if bottom > top and _looks_like_data(sheet, folded, bottom, schema):
            break
        texts = _header_texts(sheet, folded, top, bottom, width)
        columns = _assign(texts, schema)
        if best is None or len(columns) > len(best[2]):
            best = (bottom, len(columns), columns)
        bottom += 1
    if best is None:
        return None
    bottom, _, columns = best
    texts = _header_texts(sheet, folded, top, bottom, width)
    unit_col = _find_col(
        texts,
        match_phrases(schema.layout.line_column if schema.is_long else schema.layout.unit_column),
        exclude=set(columns.values()),
    )
    number_col = _find_col(texts, match_phrases(schema.layout.number_column), exclude=set(columns.values()), whole=True)
    if unit_col is None:
        first = min(columns.values(), default=0)
        candidates = [c for c in range(first) if c != number_col]
        if not candidates:
            return None
        unit_col = candidates[-1]
    data_start = bottom + 1
    while data_start < sheet.height and (
        _is_column_numbers(sheet.rows[data_start]) or not any(str(v).strip() for v in sheet.rows[data_start])
    ):
        data_start += 1
    missing = [i.code for i in schema.indicators if i.code not in columns]
    # in the form's order, whatever order they were found in: every row's figures then line up with the form's
    columns = {i.code: columns[i.code] for i in schema.indicators if i.code in columns}
    return Table(sheet, top, bottom, unit_col, number_col, columns, missing, data_start)


def _header_texts(sheet: Sheet, folded: Any, top: int, bottom: int, width: int) -> list[str]:
    """Each column's header text, top to bottom. A heading merged across columns ('Ngân sách trung ương' over
    Tổng / ĐTPT / Sự nghiệp) counts for every column under it; for files that do not report merged cells (.ods),
    an empty heading cell over a filled one takes the heading on its left."""
    grid = []
    for r in range(top, bottom + 1):
        row = folded[r][:width]
        grid.append(row + [""] * (width - len(row)))
    if sheet.merged:
        for (r1, c1), (_r2, c2) in sheet.merged:
            if r1 < top or r1 > bottom or c2 == c1:
                continue
            text = grid[r1 - top][c1] if c1 < width else ""
            for c in range(c1 + 1, min(c2, width - 1) + 1):
                if not grid[r1 - top][c]:
                    grid[r1 - top][c] = text
    else:
        for i in range(len(grid) - 1):
            row, below = grid[i], grid[i + 1]
            for c in range(1, width):
                if not row[c] and row[c - 1] and below[c] and below[c - 1]:
                    row[c] = row[c - 1]
    if len(grid) == 1:
        return list(grid[0])
    return [" ".join([cell for cell in column if cell]) for column in zip(*grid, strict=True)]


def _assign(texts: list[str], schema: Schema) -> dict[str, int]:
    """Indicator -> column (memoised on the form: every workbook of a batch has the same headings)."""
    assigned: dict[tuple[str, ...], dict[str, int]] = _per_form("assigned", schema, lambda s: {})
    key = tuple(texts)
    hit = assigned.get(key)
    if hit is None:
        if len(assigned) > 4096:
            assigned.clear()
        hit = assigned[key] = _assign_uncached(texts, schema)
    return dict(hit)


def _assign_uncached(texts: list[str], schema: Schema) -> dict[str, int]:
    """Indicator -> column, greedily by the length of the matching phrase (most specific first)."""
    pairs: list[tuple[int, str, int]] = []
    for code, phrases in _phrases(schema).items():
        for col, text in enumerate(texts):
            if not text:
                continue
            for p in phrases:
                if contains_phrase(text, p):
                    pairs.append((len(p), code, col))
                    break
    pairs.sort(key=lambda t: (-t[0], t[2]))
    taken_cols: set[int] = set()
    out: dict[str, int] = {}
    for _, code, col in pairs:
        if code in out or col in taken_cols:
            continue
        out[code] = col
        taken_cols.add(col)
    return out


def _is_label(cell: str, phrases: list[str]) -> bool:
    return bool(cell) and any(cell == p or (cell.startswith(p) and len(cell) <= len(p) + 12) for p in phrases)


def _find_col(texts: list[str], phrases: list[str], exclude: set[int], whole: bool = False) -> int | None:
    for p in phrases:
        for col, text in enumerate(texts):
            if col in exclude or not text:
                continue
            if (whole and (text == p or text.split()[:1] == [p])) or (not whole and contains_phrase(text, p)):
                return col
    return None


def _looks_like_data(sheet: Sheet, folded: Any, row: int, schema: Schema) -> bool:
    values = sheet.rows[row]
    if _is_column_numbers(values):
        return True
    return any(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


_COLNUM = re.compile(r"^\(?(\d{1,2}|[a-zA-Z])\)?$")


def _is_column_numbers(values: list[object]) -> bool:
    """A row such as '1 2 3 4 ...' or '(1) (2) (3)' or 'A B 1 2 3' under a header."""
    numbers: list[int] = []
    cells = 0
    for v in values:
        if isinstance(v, float) and v.is_integer():
            numbers.append(int(v))
            cells += 1
            continue
        text = str(v).strip()
        if not text:
            continue
        cells += 1
        m = _COLNUM.match(text)
        if not m:
            return False  # a label, a figure with decimals: a data row (most rows stop at their second cell)
        if m.group(1).isdigit():
            numbers.append(int(m.group(1)))
    return cells >= 3 and len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
