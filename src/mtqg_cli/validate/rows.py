"""Reading a located table's rows: which unit (or line) each row is, its figures, and the row-level issues.

:class:`Reader` reads a wide form (a row per unit), :class:`LongReader` a long one (a workbook per unit, a row per
line). A row's figures are read cell by cell through the number parser and the form's row model (types, bounds);
the checks on the figures (sums, formulas, rules) are :mod:`.checks`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..errors import Issue, Severity
from ..limits import MAX_FIGURE_DIGITS
from ..locate import Table
from ..numbers import Kind, float_decimal, parse_number
from ..reading import a1
from ..schema import Schema, match_phrases
from ..text import fold
from ..units import level_of
from . import fastpath
from .plan import plan_for
from .results import Figures, FileResult, UnitRow

_END_MARKERS = (
    "ghi chu",
    "luu y",
    "chu y",
    "nguoi lap",
    "nguoi ghi",
    "thu truong",
    "tm ",
    "kt ",
    "xac nhan",
    "chu tich",
    "pho chu tich",
    "giam doc",
    "truong phong",
    "noi nhan",
)
_BIG = float(10**MAX_FIGURE_DIGITS)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


class Reader:
    def __init__(self, schema: Schema, table: Table, result: FileResult) -> None:
        self.schema = schema
        self.table = table
        self.sheet = table.sheet
        self.result = result
        plan = plan_for(schema)
        self.matcher = plan.matcher
        self.model = plan.model
        self.other_labels = plan.other_labels
        self.group_total_labels = plan.group_total_labels
        self.plan = plan
        self.codes, self.at, self.column_plan, self.quick_row = plan.columns(table.columns)
        self.saw_group_row = False
        self.bad_cells: set[str] = set()  # indicator codes with an unreadable cell: no total check there
        # cells that read as blank, by A1 address -> (where: 'unit' | 'total', indicator code)
        self.blank_cells: dict[str, tuple[str, str]] = {}
        self.text_cols = text_columns(schema, table) if schema.texts else {}
        for field in schema.texts:
            if field.required and field.code not in self.text_cols:
                self.issue("text-column-missing", table.header_top, None, label=field.label)

    def issue(
        self, code: str, row: int, col: int | None, severity: Severity = Severity.ERROR, /, **params: Any
    ) -> None:
        cell = a1(row, col) if col is not None else ""
        self.result.issues.append(Issue(code, severity, str(self.result.path), self.sheet.name, cell, params))

    def run(self) -> list[int] | None:
        """Read the table's rows into ``result.rows`` with the row-level issues. The rows that call themselves
        totals, for the checks; None when there is nothing to check (no unit row)."""
        totals: list[int] = []
        seen: dict[str, int] = {}  # unit -> its first row
        for r in self._rows():
            row = self.sheet.rows[r]
            label_raw = row[self.table.unit_col] if self.table.unit_col < len(row) else ""
            label = _label_text(label_raw)
            folded = fold(label)
            number = fold(row[self.table.number_col]) if self.table.number_col is not None else ""
            has_numbers = any(_filled(row[c]) for c in self.table.columns.values() if c < len(row))
            if self._is_total(folded) or (not folded and self._is_total(number)):
                totals.append(r)
                continue
            if folded in self.group_total_labels and has_numbers and not totals:
                if self._holds_published_part(r):
                    self.saw_group_row = True  # the province's targets copied as they are: not this file's total
                else:
                    totals.append(r)
                continue
            if folded in self.other_labels:
                continue
            if not folded:
                if has_numbers:
                    self.issue("unit-unknown", r, self.table.unit_col, name="", nearest="—")
                continue
            match = self.matcher.match(label)
            if match.unit is None:
                if _ROMAN.match(number) and not has_numbers:
                    continue  # a group heading such as 'II  Huyện, thành phố'
                if not has_numbers and not match.candidates:
                    continue  # a sub-heading or a note inside the table
                if match.ambiguous:
                    options = ", ".join(u.name for u in match.candidates)
                    self.issue("unit-ambiguous", r, self.table.unit_col, name=label, options=options)
                else:
                    self._unknown(r, label, match.candidates)
                continue
            unit = match.unit
            found_level = level_of(label)
            if found_level and found_level != self.schema.reporting.level:
                self.issue(
                    "unit-wrong-level",
                    r,
                    self.table.unit_col,
                    name=label,
                    found=_LEVEL_VI[found_level],
                    expected=_LEVEL_VI[self.schema.reporting.level],
                )
                continue
            if match.confidence < 100:
                self.issue(
                    "unit-guessed",
                    r,
                    self.table.unit_col,
                    Severity.WARNING,
                    name=label,
                    unit=unit.name,
                    confidence=match.confidence,
                )
            first = seen.setdefault(unit.code, r)
            if first != r:  # the first row it repeats, once: the issues of a file grow with its rows, no faster
                self.issue("unit-repeated", r, self.table.unit_col, unit=unit.name, first=first + 1)
                continue
            self.result.rows.append(self._read_row(unit.code, label, r))
            if self.text_cols:
                self._read_texts(unit.code, r)
        if not self.result.rows:
            self.issue("no-unit-rows", self.table.data_start, self.table.unit_col)
            return None
        return totals

    def _read_texts(self, unit: str, r: int) -> None:
        """The unit's text fields: present when required, within their lengths; kept on the result when fine."""
        row = self.sheet.rows[r]
        for field in self.schema.texts:
            col = self.text_cols.get(field.code)
            if col is None:
                continue
            raw = row[col] if col < len(row) else ""
            if raw.__class__ is float:
                raw = str(int(raw)) if float(raw).is_integer() else str(raw)
            text = " ".join(str(raw or "").split())
            if not text:
                if field.required:
                    self.issue("text-required", r, col, label=field.label)
                continue
            if len(text) < field.min_length:
                self.issue("text-too-short", r, col, label=field.label, length=len(text), min=field.min_length)
            elif len(text) > field.max_length:
                self.issue("text-too-long", r, col, label=field.label, length=len(text), max=field.max_length)
            else:
                self.result.texts.setdefault(unit, {})[field.code] = text

    def _rows(self) -> Iterator[int]:
        rows = self.sheet.rows
        unit_col = self.table.unit_col
        for r in range(self.table.data_start, len(rows)):
            row = rows[r]
            if row.count("") == len(row):
                continue  # a blank row, told at C speed (the reader gives '' for an empty cell)
            label = fold(row[unit_col]) if unit_col < len(row) else ""
            if not label:  # the row's first text may end the table ('Ghi chú: ...'); a row of blanks is skipped
                text = next((v for v in row if isinstance(v, str) and v.strip()), None)
                if text is None:
                    if not any(_filled(v) for v in row):
                        continue
                elif fold(text).startswith(_END_MARKERS):
                    return
            elif label.startswith(_END_MARKERS) and not self.matcher.match(label).unit:
                return
            yield r

    def _is_total(self, folded: str) -> bool:
        return bool(folded) and (folded in self.plan.total_set or folded.startswith(self.plan.total_prefixes))

    def _unknown(self, r: int, label: str, candidates: list[Any]) -> None:
        nearest = ", ".join(u.name for u in candidates) or "—"
        self.issue("unit-unknown", r, self.table.unit_col, name=label, nearest=nearest)

    def _read_row(self, unit: str, label: str, r: int, line: str | None = None) -> UnitRow:
        figures, typed = self._read_cells(r)
        if typed or not fastpath.ENABLED:
            return UnitRow(unit, label, r, Figures(self.codes, figures), line)
        # figures all read as numbers: kept as floats too, for the float layer to settle most checks in floats
        return UnitRow(unit, label, r, Figures(self.codes, figures), line, figures, fastpath.row_error(figures))

    def _read_cells(self, r: int) -> tuple[tuple[Any, ...], bool]:
        """The row's figures in the table's column order, as read (see :class:`Figures`): the cell's float when it was
        a number, the Decimal's text when it was typed as text, None when blank or refused; and whether any was
        typed as text."""
        cells = self.sheet.rows[r]
        width = len(cells)
        picked = fastpath.plain_row(self.quick_row, cells)
        if picked is not None:
            return picked, False
        figures: list[Any] = []
        typed = False  # a figure typed as text: kept as a Decimal until the row model has seen it
        # every figure a plain number within its bounds: the row model has nothing to say (a shortcut of the layer)
        checked = fastpath.ENABLED
        for code, col, (lo, hi, integer) in self.column_plan:
            raw = cells[col] if col < width else ""
            if raw.__class__ is float and -_BIG < raw < _BIG:  # the common case: a number as a number (finite, bounded)
                figures.append(raw)
                if checked:
                    checked = lo <= raw <= hi and (not integer or raw.is_integer())
                continue
            figures.append(self._read_text(r, col, code, raw))
            if figures[-1] is not None:
                typed, checked = True, False
        if not checked:  # types and bounds come from the schema's row model; figures plainly within them skip it
            values = {
                c: float_decimal(f) if f.__class__ is float else f for c, f in zip(self.codes, figures, strict=True)
            }
            self._check_row_model(r, values)
            figures = [
                None if values[c] is None else f for c, f in zip(self.codes, figures, strict=True)
            ]  # refused: blank
        if typed:
            return tuple(str(f) if f.__class__ is Decimal else f for f in figures), True
        return tuple(figures), False

    def _read_text(self, r: int, col: int, code: str, raw: Any) -> Decimal | None:
        """A cell that is not a plain number: its Decimal, or None (blank, '-', or an issue raised here)."""
        ind = self.schema.indicator_by_code[code]
        parsed = parse_number(raw, integer=ind.type == "integer")
        if parsed.kind is Kind.NUMBER and not (parsed.had_words or parsed.ambiguous or parsed.percent):
            return parsed.value  # a plain number typed as text: the row model checks it
        params: dict[str, Any] = {"label": ind.label, "value": str(raw).strip(), "unit": ind.unit}
        if parsed.kind is Kind.BLANK:
            self.blank_cells[a1(r, col)] = ("unit", code)
            if ind.required:
                self.issue("cell-required", r, col, **params)
            return None
        if parsed.kind in (Kind.NIL, Kind.NOT_APPLICABLE):
            return None
        if parsed.kind is Kind.ERROR_VALUE:
            self.bad_cells.add(code)
            self.issue("cell-error-value", r, col, **params)
            return None
        if parsed.kind is Kind.TOO_LARGE:
            self.bad_cells.add(code)
            self.issue("cell-number-too-large", r, col, digits=MAX_FIGURE_DIGITS, **params)
            return None
        if parsed.kind is Kind.INVALID or parsed.percent:
            self.bad_cells.add(code)
            self.issue("cell-not-number", r, col, **params)
            return None
        if parsed.had_words:
            self.issue("cell-unit-text", r, col, Severity.WARNING, number=parsed.value, **params)
        if parsed.ambiguous:
            self.issue("cell-ambiguous-number", r, col, Severity.WARNING, number=parsed.value, **params)
        return parsed.value

    def _check_row_model(self, r: int, values: dict[str, Decimal | None]) -> None:
        try:
            self.model(**values)
        except ValidationError as exc:
            for err in exc.errors():
                code = str(err["loc"][0])
                ind = self.schema.indicator_by_code[code]
                col = self.table.columns[code]
                value = values[code]
                params = {"label": ind.label, "value": value, "unit": ind.unit, "min": ind.min, "max": ind.max}
                kind = err["type"]
                issue_code = {
                    "greater_than_equal": "cell-below-min",
                    "less_than_equal": "cell-above-max",
                }.get(kind, "cell-not-integer")
                self.issue(issue_code, r, col, **params)
                self.bad_cells.add(code)
                values[code] = None

    def explain_blanks(self, probed: dict[str, tuple[str, str]]) -> None:
        """Cells that read as blank but hold an error value or an uncalculated formula get the right message."""
        if not probed:
            return
        kept = []
        for issue in self.result.issues:
            if issue.code == "cell-required" and issue.sheet == self.sheet.name and issue.cell in probed:
                continue  # replaced below
            kept.append(issue)
        self.result.issues[:] = kept
        for ref, (what, text) in probed.items():
            where, code = self.blank_cells[ref]
            ind = self.schema.indicator_by_code[code]
            params = {"label": ind.label, "value": text, "unit": ind.unit}
            if what == "error":
                new = Issue("cell-error-value", Severity.ERROR, str(self.result.path), self.sheet.name, ref, params)
            elif where == "unit":
                new = Issue(
                    "cell-formula-no-value", Severity.ERROR, str(self.result.path), self.sheet.name, ref, params
                )
            else:
                new = Issue(
                    "total-not-calculated", Severity.WARNING, str(self.result.path), self.sheet.name, ref, params
                )
            self.result.issues.append(new)
        self.result.issues.sort(key=issue_order)

    def _holds_published_part(self, r: int) -> bool:
        part = self.schema.units_part
        if part is None:
            return False
        for code, col in self.table.columns.items():
            published = part.values.get(code)
            if published is None:
                continue
            parsed = parse_number(self.sheet.value(r, col))
            if parsed.kind is Kind.NUMBER and parsed.value != published:
                return False
        return True

    def summed_rows(self) -> list[UnitRow]:
        """The rows a total row adds up: every unit row (wide forms)."""
        return self.result.rows


class LongReader(Reader):
    """A long form: one unit per workbook, a row per line (project, sub-project, indicator)."""

    def run(self) -> list[int] | None:
        unit = self._reporter()
        if unit is None:
            self.issue("reporter-unknown", self.table.header_top, None)
            return None
        totals: list[int] = []
        seen: dict[str, int] = {}
        context: str | None = None  # the last line that has sub-lines
        unit_col, number_col = self.table.unit_col, self.table.number_col
        labels = self.plan.labels  # the same line labels come back in every file of a batch: worked out once
        for r in self._rows():
            row = self.sheet.rows[r]
            raw_label = row[unit_col] if unit_col < len(row) else ""
            raw_number = row[number_col] if number_col is not None and number_col < len(row) else ""
            key = (raw_label.__class__, raw_label, raw_number.__class__, raw_number, context)  # True is not 1
            known = labels.get(key)
            if known is None:
                label = _label_text(raw_label)
                folded = _strip_enumerator(fold(label))
                number = fold(raw_number)
                is_total = self._is_total(folded) or (not folded and self._is_total(number))
                known = (label, folded, is_total, None if is_total or not folded else self._match_line(folded, context))
                if len(labels) > 50_000:
                    labels.clear()
                labels[key] = known
            label, folded, is_total, line = known
            if is_total:
                totals.append(r)
                continue
            if not folded:
                continue
            if line is None:
                if any(_filled(self.sheet.value(r, c)) for c in self.table.columns.values()):
                    self.issue("line-unknown", r, unit_col, name=label)
                continue
            if line.code in seen:
                self.issue("line-repeated", r, self.table.unit_col, name=label, first=seen[line.code] + 1)
                continue
            seen[line.code] = r
            if self.schema.children(line.code):
                context = line.code
            elif not line.parent:
                context = None
            self.result.rows.append(self._read_row(unit.code, label, r, line.code))
        if not self.result.rows:
            self.issue("no-unit-rows", self.table.data_start, self.table.unit_col)
            return None
        for line in self.schema.lines:
            if line.code not in seen and not line.parent:
                self.issue(
                    "line-missing", self.table.data_start, self.table.unit_col, Severity.WARNING, name=line.label
                )
        return totals

    def summed_rows(self) -> list[UnitRow]:
        """A long form's total adds up its top-level lines (a sub-line is already inside its parent)."""
        present = {row.line for row in self.result.rows}
        out = []
        for row in self.result.rows:
            line = self.schema.line_by_code[row.line or ""]
            if not line.parent or line.parent not in present:
                out.append(row)
        return out

    def _match_line(self, folded: str, context: str | None) -> Any:
        # the longest phrase the label starts with, as whole words: its word prefixes looked up, longest first
        words = folded.split(" ")
        by_phrase = self.plan.line_by_phrase
        for n in self.plan.line_phrase_sizes:
            if n <= len(words):
                line = by_phrase.get(" ".join(words[:n]))
                if line is not None:
                    return line
        if context:
            for child in self.schema.children(context):
                for phrase in match_phrases(child.short):
                    if folded == phrase or folded.startswith(phrase + " "):
                        return child
        return None

    def _reporter(self) -> Any:
        """The unit a long-form workbook is from: named in the title block, else in the file name; the only unit
        of a one-unit form."""
        matcher = self.matcher
        for r in range(0, self.table.header_top):
            for v in self.sheet.rows[r]:
                if isinstance(v, str) and v.strip():
                    unit = matcher.find_in_text(v)
                    if unit is not None:
                        return unit
        stem = self.result.path.stem.replace("_", " ").replace("-", " ")
        unit = matcher.find_in_text(stem)
        if unit is not None:
            return unit
        if len(self.schema.units) == 1:
            return self.schema.units[0]
        return None


_ENUMERATOR = re.compile(r"^(?:\d+(?: \d+)*|[ivx]+|[a-e])\s+(?=\S)")


def _strip_enumerator(folded: str) -> str:
    """'1 du an 1 giai quyet' -> 'du an 1 giai quyet'; 'a tieu du an 1' -> 'tieu du an 1'."""
    return _ENUMERATOR.sub("", folded, count=1)


_LEVEL_VI = {"province": "tỉnh", "district": "huyện", "commune": "xã", "agency": "cơ quan"}


def issue_order(issue: Issue) -> tuple[int, int, str]:
    """File-level issues first, then by row and column of the cell."""
    m = re.match(r"([A-Z]+)(\d+)$", issue.cell)
    if not m:
        return (0, 0, "")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return (1, int(m.group(2)), f"{col:05d}")


def _label_text(raw: object) -> str:
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else str(raw)
    return str(raw).strip() if raw is not None else ""


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def text_columns(schema: Schema, table: Table) -> dict[str, int]:
    """The columns of the form's text fields: a column no indicator took whose heading (the header band, top to
    bottom) holds one of the field's headers."""
    from ..text import contains_phrase

    taken = set(table.columns.values()) | {table.unit_col} | ({table.number_col} - {None})
    rows = table.sheet.rows[table.header_top : table.header_bottom + 1]
    width = max((len(r) for r in rows), default=0)
    out: dict[str, int] = {}
    for c in range(width):
        if c in taken:
            continue
        heading = fold(" ".join(str(r[c]) for r in rows if c < len(r) and r[c]))
        for field in schema.texts:
            if field.code not in out and any(contains_phrase(heading, fold(h)) for h in field.headers):
                out[field.code] = c
                break
    return out
