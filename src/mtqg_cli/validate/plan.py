"""What checking workbooks of one form needs, worked out once per form and kept on the form (``Schema.memo``).

The unit matcher folds every unit name (costly for thousands of communes), the row model is a generated Pydantic
model, and the labels and column layouts a batch meets are the same in every file: all of it lives and dies with
the form object, so a notebook that loads ten forms and drops them keeps none of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from ..limits import MAX_FIGURE_DIGITS
from ..schema import Schema, match_phrases
from ..units import UnitMatcher
from .results import tuple_getter


class QuickRow(NamedTuple):
    """Reading a row of a table whose columns share their bounds in a few calls."""

    pick: Callable[[list[Any]], tuple[Any, ...]]  # the figure cells of a row
    width: int  # a row at least this long holds them all
    lo: float
    hi: float
    whole: Callable[[tuple[Any, ...]], tuple[Any, ...]]  # of those, the ones that must be whole numbers


@dataclass
class FormPlan:
    """What checking a workbook of one form needs, worked out once per form (not once per file): the unit
    matcher (it folds every unit name: costly for thousands of communes), the row model and the folded labels."""

    matcher: UnitMatcher
    model: Any
    total_labels: list[str]
    other_labels: list[str]
    group_total_labels: list[str]  # the annex's own row for all the units ('II  Huyện, thành phố'): their total
    line_by_phrase: dict[str, Any]  # long forms: folded phrase -> line (the first line listing it)
    line_phrase_sizes: list[int]  # how many words the phrases have, most first
    float_bounds: dict[str, tuple[float, float, bool]]  # code -> min, max, whole numbers only, as floats
    labels: dict[tuple[Any, ...], tuple[str, str, bool, Any]] = field(default_factory=dict)
    total_set: frozenset[str] = frozenset()  # the total labels, and each followed by a space: one test of a label
    total_prefixes: tuple[str, ...] = ()

    layouts: dict[tuple[tuple[str, int], ...], Columns] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.total_set = frozenset(self.total_labels)
        self.total_prefixes = tuple(p + " " for p in self.total_labels)

    def columns(self, columns: dict[str, int]) -> Columns:
        """How a table with these columns is read, worked out once per layout (a batch has a handful): its codes in
        order (the order figures travel in), their positions, each one's column and bounds, and the quick reading
        of a row of plain numbers when all columns share their bounds."""
        key = tuple(columns.items())
        hit = self.layouts.get(key)
        if hit is None:
            codes = tuple(columns)
            plan = [(code, col, self.float_bounds[code]) for code, col in key]
            cols = list(columns.values())
            bounds = [b for _, _, b in plan]
            quick = None
            if len(cols) > 1 and len({b[:2] for b in bounds}) == 1:
                whole = tuple_getter([n for n, b in enumerate(bounds) if b[2]])
                quick = QuickRow(tuple_getter(cols), max(cols) + 1, bounds[0][0], bounds[0][1], whole)
            if len(self.layouts) > 256:
                self.layouts.clear()
            hit = self.layouts[key] = Columns(codes, {c: n for n, c in enumerate(codes)}, plan, quick)
        return hit


class Columns(NamedTuple):
    codes: tuple[str, ...]
    at: dict[str, int]
    plan: list[tuple[str, int, tuple[float, float, bool]]]
    quick: QuickRow | None


def _float_bounds(ind: Any) -> tuple[float, float, bool]:
    """An indicator's bounds as floats, for checking cells read as floats; a bound a float cannot hold exactly
    (min 0.1) gives an empty range, so every figure goes to the row model."""
    # a figure of that size or more is refused (numbers.parse_number): never within the bounds here
    big = math.nextafter(float(10**MAX_FIGURE_DIGITS), 0.0)
    lo = -big if ind.min is None else max(-big, float(ind.min))
    hi = big if ind.max is None else min(big, float(ind.max))
    exact = all(b is None or Decimal(float(b)) == b for b in (ind.min, ind.max))
    return (lo, hi, ind.type == "integer") if exact else (1.0, 0.0, True)


def plan_for(schema: Schema) -> FormPlan:
    """The form's plan, made the first time it is asked for and kept on the form."""
    return schema.memo("validate.plan", _build)


def _build(schema: Schema) -> FormPlan:
    part = schema.units_part
    by_phrase: dict[str, Any] = {}
    for line in schema.lines:
        for phrase in match_phrases([line.label, *line.labels]):
            by_phrase.setdefault(phrase, line)
    plan = FormPlan(
        matcher=UnitMatcher(schema.units, keys=schema.unit_keys),
        model=schema.row_model(),
        total_labels=match_phrases(schema.layout.total_labels),
        other_labels=[p for o in schema.other_rows for p in match_phrases(o.labels)],
        group_total_labels=[
            p for o in schema.other_rows if part is not None and o.code == part.code for p in match_phrases(o.labels)
        ],
        line_by_phrase=by_phrase,
        line_phrase_sizes=sorted({len(p.split(" ")) for p in by_phrase}, reverse=True),
        float_bounds={i.code: _float_bounds(i) for i in schema.indicators},
    )
    return plan
