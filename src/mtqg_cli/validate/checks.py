"""The checks on a table's figures, one function per rule kind, in the exact arithmetic that defines them.

Each check asks the float layer (:mod:`.fastpath`) which rows or cells the floats could not settle and runs its
definition on those; with the layer off (``MTQG_FASTPATH=0``) that is every row. Only these functions build the
issues of a rule. A new rule kind: a function here taking ``(reader, rule, totals)``, listed in :data:`RULE_KINDS`,
its name added to ``Rule.kind`` in the schema, its issue code to the catalogue (``errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import Severity
from ..formula import Formula
from ..limits import MAX_FIGURE_DIGITS
from ..numbers import Kind, float_decimal, parse_number
from ..reading import a1
from . import fastpath

if TYPE_CHECKING:
    from ..schema import Indicator, Rule
    from .rows import Reader

_ZERO = Decimal(0)
_BIG = float(10**MAX_FIGURE_DIGITS)
_ONE_PLACE = Decimal("0.1")


def check_rules(reader: Reader, totals: list[int]) -> None:
    """Every check of the form on the rows ``reader`` read; ``totals``: the rows that call themselves totals."""
    check_computed(reader)
    for rule in reader.schema.rules:
        RULE_KINDS[rule.kind](reader, rule, totals)
    check_plausible(reader)


def _unit_targets(schema: Any) -> dict[str, dict[str, Decimal]]:
    """Per unit, the positive phase targets of its result figures (what a figure is set against)."""
    results = {i.code for i in schema.indicators if i.role == "result" and not i.formula and i.in_total}
    return {
        unit: {code: t for code, t in values.items() if code in results and t > 0}
        for unit, values in schema.unit_targets.items()
    }


def check_plausible(reader: Reader) -> None:
    """A figure far above the unit's own phase target (a typo: 79 typed 7900) is questioned on its cell, a warning:
    the return is still added in, the figure never celebrated (see ``Aggregate.doubtful``)."""
    targets = reader.schema.memo("checks.unit_targets", _unit_targets)
    if not targets:
        return
    factor = reader.schema.plausibility.target_factor
    for row in reader.result.rows:
        mine = targets.get(row.unit)
        if not mine:
            continue
        for code, target in mine.items():
            value = row.values.get(code)
            if value is None or value <= factor * target or code not in reader.table.columns:
                continue
            ind = reader.schema.indicator_by_code[code]
            reader.issue(
                "figure-far-from-target",
                row.row,
                reader.table.columns[code],
                Severity.WARNING,
                label=ind.label,
                value=value,
                target=target,
                times=(value / target).quantize(_ONE_PLACE),
                unit=row.unit,
                indicator=code,
            )


def holds(op: str, left: Decimal, right: Decimal, rule: Rule) -> bool:
    """left op right, within the rule's absolute and relative tolerance."""
    if op == "==":
        if left == right:
            return True
    elif op == "<=":
        if left <= right:
            return True
    elif op == ">=":
        if left >= right:
            return True
    elif op == "<":
        if left < right:
            return True
    elif left > right:
        return True  # holding outright needs no tolerance
    tol = max(rule.tolerance, rule.tolerance_pct / 100 * max(abs(left), abs(right)))
    if op == "==":
        return abs(left - right) <= tol
    if op == "<=":
        return left <= right + tol
    if op == ">=":
        return left >= right - tol
    if op == "<":
        return left < right + tol
    return left > right - tol


def check_computed(reader: Reader) -> None:
    """Computed columns (a %, a total) are recomputed from the row and compared, never trusted."""
    for ind in reader.schema.indicators:
        if not ind.formula or ind.code not in reader.table.columns:
            continue
        col = reader.table.columns[ind.code]
        formula = Formula.of(ind.formula)
        for row in fastpath.computed_undecided(reader, ind):
            found = row.values.get(ind.code)
            expected = formula.evaluate(row.values)
            if found is None or expected is None:
                continue
            if abs(found - expected) > ind.tolerance:
                reader.issue(
                    "computed-mismatch",
                    row.row,
                    col,
                    label=ind.label,
                    found=found,
                    expected=expected.quantize(_ONE_PLACE),
                    formula=ind.formula,
                )


def check_compare(reader: Reader, rule: Rule, totals: list[int]) -> None:
    """``left op right`` on every row (on the rule's lines only, when it names some)."""
    rows = [row for row in reader.result.rows if not rule.lines or row.line in rule.lines]
    left_formula, right_formula = Formula.of(rule.left), Formula.of(rule.right)
    col = reader.table.columns.get(left_formula.names[0]) if left_formula.names else None
    for row in fastpath.compare_undecided(reader, rule, rows):
        values = row.values
        if rule.blanks == "zero":
            values = {k: (v if v is not None else _ZERO) for k, v in values.items()}
        left = left_formula.evaluate(values)
        right = right_formula.evaluate(values)
        if left is None or right is None:
            continue  # a blank side: the rule does not apply
        if not holds(rule.op, left, right, rule):
            reader.issue(
                "rule-failed",
                row.row,
                col,
                Severity(rule.severity),
                message=(rule.message or rule.code).rstrip("."),
                message_en=(rule.message_en or rule.message or rule.code).rstrip("."),
                left=rule.left,
                right=rule.right,
                left_value=left,
                right_value=right,
            )


def check_children(reader: Reader, rule: Rule, totals: list[int]) -> None:
    """Every line that has sub-lines equals their sum (long forms), measure by measure."""
    by_line = {row.line: row for row in reader.result.rows if row.line}
    by_code = reader.schema.indicator_by_code
    measures = [
        (code, col, by_code[code], reader.at[code])
        for code, col in reader.table.columns.items()
        if not by_code[code].formula and code not in reader.bad_cells
    ]
    skip = rule.blanks == "skip"
    for parent, row in by_line.items():
        children = reader.schema.children(parent)
        kids = [by_line[c.code] for c in children if c.code in by_line]
        if not kids:
            continue
        for code, col, ind, _ in fastpath.children_undecided(rule, row, kids, measures):
            found = row.values.get(code)
            parts = [k.values.get(code) for k in kids]
            if skip and (found is None or any(p is None for p in parts)):
                continue
            expected = sum([p for p in parts if p is not None], _ZERO)
            if not holds("==", found or _ZERO, expected, rule):
                reader.issue(
                    "children-sum-mismatch",
                    row.row,
                    col,
                    Severity(rule.severity),
                    label=ind.label,
                    line=row.label,
                    found=found or _ZERO,
                    expected=expected,
                    children=", ".join(k.label for k in kids),
                )


def check_total(reader: Reader, rule: Rule, totals: list[int]) -> None:
    """The table's last total row equals the sum of the rows it adds up; a computed column's total is its formula
    over the totals. A blank total cell is 'not calculated', never 0."""
    severity = Severity(rule.severity)
    rows = reader.result.rows
    if not totals:
        if len(rows) > 1 and not reader.saw_group_row:
            reader.issue("total-row-missing", rows[-1].row + 1, None, Severity.WARNING)
        return
    r = totals[-1]
    summed = reader.summed_rows()
    by_code = reader.schema.indicator_by_code
    columns = [
        (code, col, ind)
        for code, col in reader.table.columns.items()
        if code not in reader.bad_cells  # the unit row is already wrong here; a total check would repeat it
        and ((ind := by_code[code]).in_total or ind.formula)
    ]
    sums: dict[str, Decimal] | None = None  # exact sums, made only for what the floats could not decide
    for code, col, ind in fastpath.total_undecided(reader, rule, r, summed, columns):
        found = _total_cell(reader, r, col, code, ind)
        if found is None:
            continue
        if sums is None:
            sums = {
                c: sum([v for row in summed if (v := row.values.get(c)) is not None], _ZERO)
                for c in reader.table.columns
            }
        if ind.formula:  # a computed column's total is the formula over the totals, not a sum
            value = Formula.of(ind.formula).evaluate(sums)
            if value is None or abs(found - value) <= ind.tolerance:
                continue
            expected = value.quantize(_ONE_PLACE)
        else:
            expected = sums[code]
            if holds("==", found, expected, rule):
                continue
        reader.issue("total-row-mismatch", r, col, severity, label=ind.label, found=found, expected=expected)


def _total_cell(reader: Reader, r: int, col: int, code: str, ind: Indicator) -> Decimal | None:
    """A total row's figure, or None when there is nothing to compare (text and error values are reported)."""
    raw = reader.sheet.value(r, col)
    if raw.__class__ is float and -_BIG < raw < _BIG:  # the common case: the total as a number
        return float_decimal(raw)
    parsed = parse_number(raw, integer=ind.type == "integer")
    if parsed.kind is not Kind.NUMBER or parsed.value is None:
        params = {"label": ind.label, "value": str(raw).strip(), "unit": ind.unit}
        if parsed.kind in (Kind.INVALID, Kind.ERROR_VALUE):
            reader.issue("cell-not-number", r, col, **params)
        if parsed.kind is Kind.TOO_LARGE:
            reader.issue("cell-number-too-large", r, col, digits=MAX_FIGURE_DIGITS, **params)
        if parsed.kind is Kind.BLANK:
            reader.blank_cells[a1(r, col)] = ("total", code)
        return None  # blank: a formula saved without its result is 'not calculated', not 0
    if parsed.percent:
        return None  # a share written in the total row ('52%'), not a sum
    return parsed.value


RULE_KINDS: dict[str, Callable[[Any, Any, list[int]], None]] = {
    "total_row": check_total,
    "compare": check_compare,
    "children_sum": check_children,
}
