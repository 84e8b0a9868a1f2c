"""The form's formula language, parsed in one place.

A formula is what a form writes for a computed column (``giai_ngan / ke_hoach * 100``) and for each side of a
``compare`` rule: indicator codes, numbers, ``+ - * /`` and parentheses, nothing else. :meth:`Formula.of` parses a
text once (the form's loader does it, so a bad formula is a form error with its line); the object lists its names,
evaluates itself on a row's Decimals, and writes itself as an Excel formula over the cells of a row.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

_NAME = re.compile(r"(?<![0-9.])[A-Za-z_][A-Za-z0-9_]*")
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.Load)


class FormulaError(ValueError):
    """A text that is not a formula of the form language."""


class Formula:
    """One parsed formula. Build with :meth:`of` (parsed once per text)."""

    __slots__ = ("text", "tree", "names", "sum_terms", "_evaluate")

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"unsupported expression: {text}") from exc
        names: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if node.id.startswith("_"):
                    raise FormulaError(f"unsupported expression: {text}")
                names.append(node.id)
            elif isinstance(node, ast.Constant):
                if not isinstance(node.value, int | float) or isinstance(node.value, bool):
                    raise FormulaError(f"unsupported expression: {text}")
            elif not isinstance(node, _ALLOWED):
                raise FormulaError(f"unsupported expression: {text}")
        self.tree: ast.Expression = tree
        #: the indicator codes it reads, each once, in the order they first appear
        self.names: tuple[str, ...] = tuple(dict.fromkeys(_in_order(tree)))
        #: the codes it adds up when it is only a sum ('a + b + c'), else None
        self.sum_terms: tuple[str, ...] | None = _sum_terms(tree)
        self._evaluate = _decimal_function(tree, self.names)

    @staticmethod
    def of(text: str) -> Formula:
        """The parsed formula of ``text`` (parsed once; raises :class:`FormulaError`)."""
        return _parsed(text)

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The value on a row's figures, in exact Decimal arithmetic; None when a name is blank or absent, or a
        divisor is 0."""
        return self._evaluate(values)

    def to_excel(self, cell_of: Callable[[str], str]) -> str:
        """The formula as Excel writes it, each code replaced by ``cell_of(code)`` ('D12') and the rest of the text
        as the form wrote it; no leading '='."""
        return _NAME.sub(lambda m: cell_of(m.group(0)) if m.group(0) in self.names else m.group(0), self.text)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


def evaluate(expression: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """``Formula.of(expression).evaluate(values)``."""
    return _parsed(expression).evaluate(values)


@lru_cache(maxsize=1024)
def _parsed(text: str) -> Formula:
    return Formula(text)


def _in_order(tree: ast.AST) -> list[str]:
    out: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            out.append(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _sum_terms(tree: ast.Expression) -> tuple[str, ...] | None:
    node: ast.AST = tree.body
    names: list[str] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Name):
        names.append(node.right.id)
        node = node.left
    if not isinstance(node, ast.Name):
        return None
    return (node.id, *reversed(names))


def _decimal_function(tree: ast.Expression, names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """The checked tree as one Python function over Decimals (a formula runs for every row of every file): each
    code read once, blank if any is blank, blank on a division by zero."""

    constants: dict[str, Decimal] = {}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.copy_location(ast.Name(id=f"n{names.index(node.id)}", ctx=ast.Load()), node)

        def visit_Constant(self, node: ast.Constant) -> ast.AST:
            name = f"c{len(constants)}"
            constants[name] = Decimal(repr(node.value))
            return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    renamed = Rename().visit(ast.parse(ast.unparse(tree), mode="eval"))
    body = ast.unparse(ast.fix_missing_locations(renamed))
    lines = ["def formula(values):"]
    for n, name in enumerate(names):
        lines += [f"    n{n} = values.get({name!r})", f"    if n{n} is None:", "        return None"]
    lines += ["    try:", f"        return {body}", "    except (ZeroDivisionError, InvalidOperation):"]
    lines += ["        return None"]
    scope: dict[str, Any] = {"__builtins__": {}, "ZeroDivisionError": ZeroDivisionError}
    scope.update(constants, InvalidOperation=InvalidOperation)
    exec(compile("\n".join(lines), "<formula>", "exec"), scope)  # noqa: S102 - built from the checked tree only
    return scope["formula"]
