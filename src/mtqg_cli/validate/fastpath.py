"""The float fast path: checks decided in float arithmetic with a bound on its error, behind one seam.

The rules are defined once, in exact Decimal arithmetic, in :mod:`.checks`. This module only answers, for each
rule kind, "which rows (cells, columns) could the floats not settle?": the checks then run their exact definition
on those alone. A row whose figures were all read as plain numbers carries them as floats (``UnitRow.floats``)
and a bound on how far any of them can be from its Decimal (``UnitRow.error``); a float verdict is trusted only
when no pair of exact values within that bound could change it (:func:`surely`), so both ways give the same
issues. ``MTQG_FASTPATH=0`` switches the layer off: every row then goes to the exact checks (the tests compare the
two ways).

A float read from a cell is its Decimal to half a unit in the last place (the Decimal is repr's shortest
round-trip); a whole number up to 2**53 is exact, and so are sums and products of such numbers that stay within
it. Errors below are bounded with a unit of 2**-52, twice what IEEE rounding needs.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..formula import Formula
from .results import UnitRow, tuple_getter

if TYPE_CHECKING:
    from ..schema import Indicator, Rule
    from .rows import Reader

#: the layer is on unless MTQG_FASTPATH=0 (read once, when mtqg starts; worker processes inherit it)
ENABLED = os.environ.get("MTQG_FASTPATH", "1").strip() not in ("0", "false", "no", "off")

_EPS = 2.0**-52
_EXACT = 2.0**53
_FLOATS = {float}
_TINY = 1e-300  # underflow's absolute error
UNSURE = object()  # the float value cannot be trusted (a divisor within its own error of 0): ask the Decimals


def row_error(figures: tuple[float | None, ...]) -> float:
    """How far any of a row's figures read as floats can be from its Decimal: 0 when all are whole numbers up to
    2**53 (exact)."""
    whole = True
    size = 0.0
    for v in figures:
        if v is not None:
            if whole and not v.is_integer():
                whole = False
            if v > size:
                size = v
            elif -v > size:
                size = -v
    return 0.0 if whole and size <= _EXACT else size * _EPS + _TINY


def float_sum(parts: Sequence[float], error: float) -> tuple[float, float]:
    """The sum of figures read as floats, each within ``error`` in all (0: exact whole numbers) of its Decimal, and
    a bound on the sum's distance from the Decimal sum."""
    total = sum(parts)
    size = sum(map(abs, parts))
    if error == 0.0 and size < _EXACT:  # whole numbers, every partial sum below 2**53: exact
        return total, 0.0
    return total, error + (len(parts) + 2) * _EPS * size + _TINY


def summing(pick: Callable[[tuple[Any, ...]], tuple[Any, ...]], count: int) -> FloatFormula:
    """What :func:`float_formula` gives for a formula that adds up ``count`` figures of a row, in fewer steps."""

    def formula(vals: tuple[Any, ...], error: float) -> Any:
        parts = pick(vals)
        if None in parts:
            return None  # a blank name: blank
        return float_sum(parts, count * error)

    return formula


def surely(op: str, left: float, right: float, error: float, tolerance: float, share: float = 0.0) -> bool:
    """True when ``left op right`` within the tolerance (absolute, or ``share`` of the larger side) holds for every
    pair of exact values within ``error`` (the sum of both sides' error bounds) of these floats: then the Decimal
    check (:func:`_holds`) holds too. False means only that the floats cannot tell."""
    if op == "==":
        gap = abs(left - right)
    elif op in ("<=", "<"):
        gap = left - right
    else:
        gap = right - left
    allowed = tolerance if not share else max(tolerance, share * max(abs(left), abs(right)))
    margin = 2.0 * error * (1.0 + share) + (abs(gap) + allowed) * 4 * _EPS
    return gap + margin < allowed if op in ("<", ">") else gap + margin <= allowed


FloatFormula = Callable[[tuple[Any, ...], Any], Any]


@lru_cache(maxsize=512)
def float_formula(expression: str, codes: tuple[str, ...], per_figure: bool = False) -> FloatFormula:
    """The expression (checked as for :func:`evaluate`) compiled to a function of a row's floats in the order of
    ``codes`` and a bound on their distance from their Decimals: one for all (a row's :attr:`UnitRow.error`) or,
    ``per_figure``, a tuple in the same order. It returns None where :func:`evaluate` gives blank (a blank name, a
    divisor exactly 0), :data:`UNSURE` where the float value cannot be trusted, else the value and a bound on its
    distance from the Decimal value."""
    parsed = Formula.of(expression)  # refuses anything but names, numbers, + - * / and parentheses
    at = {c: n for n, c in enumerate(codes)}
    terms = parsed.sum_terms
    if not per_figure and terms is not None and len(terms) > 1 and all(t in at for t in terms):
        return summing(tuple_getter([at[t] for t in terms]), len(terms))  # a plain sum: fewer steps
    lines = ["def formula(vals, errs):"]
    count = 0

    # an error of 0 means an exact whole number (at most 2**53); whole numbers stay exact through + - * while below it
    def exact_or(k: int, *inputs: int) -> str:  # a result's own rounding
        whole = " and ".join(f"e{i} == 0.0" for i in inputs)
        return f"(0.0 if {whole} and -EXACT < v{k} < EXACT else abs(v{k}) * EPS + TINY)"

    def emit(node: ast.AST) -> int:
        nonlocal count
        if isinstance(node, ast.Expression):
            return emit(node.body)
        if isinstance(node, ast.BinOp):
            a, b = emit(node.left), emit(node.right)
        elif isinstance(node, ast.UnaryOp):
            a = emit(node.operand)
        k, count = count, count + 1
        if isinstance(node, ast.Name):
            n = at.get(node.id)
            if n is None:
                lines.append("    return None")  # a column the table lacks: blank
                lines.extend([f"    v{k} = 0.0", f"    e{k} = 0.0"])
                return k
            lines.extend([f"    v{k} = vals[{n}]", f"    if v{k} is None:", "        return None"])
            lines.append(f"    e{k} = errs[{n}]" if per_figure else f"    e{k} = errs")
        elif isinstance(node, ast.Constant):
            v = float(Decimal(repr(node.value)))
            exact = v.is_integer() and abs(v) < _EXACT
            lines.extend([f"    v{k} = {v!r}", f"    e{k} = {0.0 if exact else abs(v) * _EPS + _TINY!r}"])
        elif isinstance(node, ast.UnaryOp):
            lines.extend([f"    v{k} = -v{a}", f"    e{k} = e{a}"])
        elif isinstance(node.op, ast.Add | ast.Sub):  # type: ignore[attr-defined]
            sign = "+" if isinstance(node.op, ast.Add) else "-"  # type: ignore[attr-defined]
            lines.extend([f"    v{k} = v{a} {sign} v{b}", f"    e{k} = e{a} + e{b} + {exact_or(k, a, b)}"])
        elif isinstance(node.op, ast.Mult):  # type: ignore[attr-defined]
            lines.append(f"    v{k} = v{a} * v{b}")
            lines.append(f"    e{k} = abs(v{a}) * e{b} + abs(v{b}) * e{a} + e{a} * e{b} + {exact_or(k, a, b)}")
        else:  # division: |A/B - a/b| <= (|a| eb + |b| ea) / (|b| (|b| - eb))
            lines.extend([f"    if v{b} == 0.0 and e{b} == 0.0:", "        return None"])  # exactly 0: blank
            lines.extend([f"    d{k} = abs(v{b}) - e{b}", f"    if not d{k} > 0.0:", "        return UNSURE"])
            lines.append(f"    v{k} = v{a} / v{b}")
            lines.append(
                f"    e{k} = (abs(v{a}) * e{b} + abs(v{b}) * e{a}) / (abs(v{b}) * d{k}) + abs(v{k}) * EPS + TINY"
            )
        return k

    top = emit(parsed.tree)
    lines.extend([f"    if not v{top} - v{top} == 0.0:", "        return UNSURE"])  # overflow: inf or nan
    lines.append(f"    return v{top}, e{top}")
    scope: dict[str, Any] = {"__builtins__": {}, "abs": abs, "UNSURE": UNSURE}
    scope.update(EPS=_EPS, EXACT=_EXACT, TINY=_TINY)
    exec(compile("\n".join(lines), "<float formula>", "exec"), scope)  # noqa: S102 - built from the checked tree only
    return scope["formula"]


# -- the seam: for each rule kind, what the floats leave to the exact check


def computed_undecided(reader: Reader, ind: Indicator) -> Iterable[UnitRow]:
    """The rows whose computed column ``ind`` the floats cannot settle (a blank figure settles nothing: skipped)."""
    rows = reader.result.rows
    if not ENABLED:
        return rows
    at = reader.at[ind.code]
    quick = float_formula(ind.formula, reader.codes)
    tolerance = float(ind.tolerance)
    left = []
    for row in rows:
        floats = row.floats
        if floats is not None:
            found = floats[at]
            if found is None:
                continue  # a blank: nothing to compare, as in the exact check
            got = quick(floats, row.error)
            if got is None:
                continue
            if got is not UNSURE and surely("==", found, got[0], got[1] + row.error, tolerance):
                continue
        left.append(row)
    return left


def compare_undecided(reader: Reader, rule: Rule, rows: list[UnitRow]) -> Iterable[UnitRow]:
    """The rows on which the floats cannot tell whether ``rule`` (a compare) holds."""
    if not ENABLED:
        return rows
    left_quick = float_formula(rule.left, reader.codes)
    right_quick = float_formula(rule.right, reader.codes)
    tolerance, share = float(rule.tolerance), float(rule.tolerance_pct) / 100
    zero = rule.blanks == "zero"
    undecided = []
    for row in rows:
        floats = row.floats
        if floats is not None:
            if zero and None in floats:
                floats = tuple(0.0 if v is None else v for v in floats)
            left, right = left_quick(floats, row.error), right_quick(floats, row.error)
            if left is None or right is None:
                continue  # a blank side: the rule does not apply
            if left is not UNSURE and right is not UNSURE:
                if surely(rule.op, left[0], right[0], left[1] + right[1], tolerance, share):
                    continue
        undecided.append(row)
    return undecided


def children_undecided(
    rule: Rule, row: UnitRow, kids: list[UnitRow], measures: list[tuple[str, int, Any, int]]
) -> Iterable[tuple[str, int, Any, int]]:
    """The measures (code, column, indicator, position) of a line whose sum of sub-lines the floats cannot settle."""
    if not ENABLED or row.floats is None or any(k.floats is None for k in kids):
        return measures
    kids_error = sum(k.error for k in kids)
    by_column = list(zip(*(k.floats for k in kids), strict=True))
    tolerance, share = float(rule.tolerance), float(rule.tolerance_pct) / 100
    skip = rule.blanks == "skip"
    left = []
    for measure in measures:
        at = measure[3]
        found = row.floats[at]
        parts = by_column[at]
        if None in parts:
            if skip:
                continue
            parts = tuple(p for p in parts if p is not None)
        elif found is None and skip:
            continue
        total, error = float_sum(parts, kids_error)
        found = 0.0 if found is None else found
        if found == total and error == 0.0:
            continue  # whole numbers added exactly
        if surely("==", found, total, error + row.error, tolerance, share):
            continue
        left.append(measure)
    return left


def total_undecided(
    reader: Reader, rule: Rule, r: int, summed: list[UnitRow], columns: list[tuple[str, int, Any]]
) -> list[tuple[str, int, Any]]:
    """The total row's cells (code, column, indicator) left to the exact check: text, blanks, and sums too close to
    call in floats; every one when a summed row was typed as text."""
    if not ENABLED or any(row.floats is None for row in summed):
        return columns
    single = len(summed) == 1
    if single:  # a wide form's one unit: its own figures are the sums
        only = summed[0]
        sums: tuple[float, ...] = tuple(0.0 if v is None else v for v in only.floats)  # type: ignore[union-attr]
        errors: tuple[float, ...] = (only.error,) * len(sums)
    else:
        error = sum(row.error for row in summed)
        pairs = [
            float_sum([v for v in column if v is not None], error)
            for column in zip(*(row.floats for row in summed), strict=True)
        ]
        sums, errors = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    tolerance, share = float(rule.tolerance), float(rule.tolerance_pct) / 100
    cells = reader.sheet.rows[r]
    width = len(cells)
    left = []
    todo = columns
    if single:  # the common case: the total row repeats the unit's figures, number for number
        plain = [item for item in columns if not item[2].formula]
        raws = tuple(cells[col] if col < width else "" for _, col, _ in plain)
        if set(map(type, raws)) <= _FLOATS and raws == tuple(sums[reader.at[code]] for code, _, _ in plain):
            todo = [item for item in columns if item[2].formula]  # each plain column as below: the same float
    for item in todo:
        code, col, ind = item
        raw = cells[col] if col < width else ""
        if raw.__class__ is float and raw - raw == 0:
            if ind.formula:
                got = float_formula(ind.formula, reader.codes, True)(sums, errors)
                if got is None:
                    continue  # blank in exact arithmetic too: nothing to compare
                err = got[1] + row_error((raw,)) if got is not UNSURE else 0.0
                if got is not UNSURE and surely("==", raw, got[0], err, float(ind.tolerance)):
                    continue
            else:
                at = reader.at[code]
                if raw == sums[at] and (single or errors[at] == 0.0):
                    continue  # the same float as one figure, or as an exact sum: the same Decimal
                if surely("==", raw, sums[at], errors[at] + row_error((raw,)), tolerance, share):
                    continue
        left.append(item)
    return left


def plain_row(quick: Any, cells: list[Any]) -> tuple[Any, ...] | None:
    """A row's figures read in a few calls when every one is a plain number within the bounds all the columns
    share (see ``plan.QuickRow``); None to read it cell by cell."""
    if not ENABLED or quick is None or len(cells) < quick.width:
        return None
    picked = quick.pick(cells)
    if set(map(type, picked)) == _FLOATS:
        total = sum(picked)
        if (
            total - total == 0  # no NaN, no infinity
            and quick.lo <= min(picked)
            and max(picked) <= quick.hi
            and all(map(float.is_integer, quick.whole(picked)))
        ):
            return picked
    return None
