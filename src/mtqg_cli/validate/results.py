"""What validation gives back: a row's figures, a file's result, a batch's report.

Results cross from worker processes by the ten thousand, so they are built to travel light: a row's figures stay
as read (floats, texts) until a Decimal is asked for (:class:`Figures`), and a file's rows cross as columns
(:class:`PackedRows`). None of this changes what a result says; it only changes what it costs to carry.
"""

from __future__ import annotations

from collections import UserList
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from sys import intern
from types import MappingProxyType
from typing import Any

from ..errors import Issue, Severity
from ..numbers import float_decimal
from ..schema import Schema


@dataclass(slots=True)
class UnitRow:
    """One unit's figures as read from one row."""

    unit: str
    label: str
    row: int
    values: Mapping[str, Decimal | None]
    line: str | None = None  # long forms: the line (project, sub-project, indicator) the row holds
    # the row's figures as floats in the table's column order (None: blank), for checks that decide in floats and
    # turn to Decimals only when a float could be wrong (see _surely); None when a figure was typed as text
    floats: tuple[float | None, ...] | None = field(default=None, repr=False, compare=False)
    error: float = field(default=0.0, repr=False, compare=False)  # how far any of the floats can be from its Decimal

    def __reduce__(self) -> tuple[Any, ...]:
        # Rows travel from worker processes by the thousand: a Decimal pickles ten times slower than a float, so the
        # figures go as read and arrive as Figures, made Decimals only when read.
        codes, figures = _as_read(self.values)
        return (_unit_row, (self.unit, self.label, self.row, self.line, codes, figures))


class Figures(Mapping[str, "Decimal | None"]):
    """A row's figures as they were read (floats, texts, None), each made a Decimal when read: a batch of 10,000
    long-form returns holds nearly two million figures, a small part of the memory of Decimals in dicts.
    Read-only; equal to the dict it holds."""

    __slots__ = ("_at", "_codes", "_figures")

    def __init__(self, codes: tuple[str, ...], figures: tuple[Any, ...]) -> None:
        at = _POSITIONS.get(codes)
        if at is None:
            at = _POSITIONS[codes] = {c: n for n, c in enumerate(codes)}
            _CODES[codes] = codes
        self._at = at
        self._codes = _CODES[codes]  # one tuple per order of codes, shared by every row
        self._figures = figures

    def __getitem__(self, code: str) -> Decimal | None:
        return _as_decimal(self._figures[self._at[code]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __repr__(self) -> str:
        return repr(dict(self))

    def items(self) -> Any:
        return [(c, _as_decimal(f)) for c, f in zip(self._codes, self._figures, strict=True)]

    def figures(self, codes: list[str]) -> Any:
        """The figures of ``codes`` as read (float, text, None: blank or absent), in that order: what numpy turns
        into floats in one call."""
        return _picker(self._codes, codes)(self._figures)


def _as_decimal(figure: Any) -> Decimal | None:
    if figure is None:
        return None
    return float_decimal(figure) if figure.__class__ is float else Decimal(figure)  # as the reader made it


def _same_order(figures: tuple[Any, ...]) -> tuple[Any, ...]:
    return figures


_POSITIONS: dict[tuple[str, ...], dict[str, int]] = {}  # the position of each code, one dict per order of codes
_CODES: dict[tuple[str, ...], tuple[str, ...]] = {}
_PICKS: dict[tuple[tuple[str, ...], tuple[str, ...]], Callable[[tuple[Any, ...]], Any]] = {}


def tuple_getter(positions: list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the items at ``positions`` of a sequence, always as a tuple (itemgetter gives a bare item for
    one position)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        n = positions[0]
        return lambda items: (items[n],)
    return lambda items: ()


def _picker(have: tuple[str, ...], codes: list[str]) -> Callable[[tuple[Any, ...]], Any]:
    """A function taking figures in the order of ``have`` to those of ``codes`` (None where absent): worked out once
    per pair of orders (a batch has a handful)."""
    key = (have, tuple(codes))
    pick = _PICKS.get(key)
    if pick is None:
        at = {c: n for n, c in enumerate(have)}
        positions = [at.get(c) for c in codes]
        if positions == list(range(len(have))):
            pick = _same_order
        elif None in positions:
            pick = lambda figures: [None if n is None else figures[n] for n in positions]  # noqa: E731
        else:
            pick = tuple_getter(positions)  # type: ignore[arg-type]
        _PICKS[key] = pick
    return pick


def _as_read(values: Mapping[str, Decimal | None]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A row's codes and its figures as read, for sending between processes (any other mapping: Decimals as text)."""
    if isinstance(values, Figures):
        return values._codes, values._figures
    return tuple(values), tuple(None if v is None else str(v) for v in values.values())


def _unit_row(unit: str, label: str, row: int, line: str | None, codes: tuple[str, ...], figures: tuple) -> UnitRow:
    return _unpack_rows(((unit,), (label,), (row,), (line,), codes, (figures,)))[0]


def _file_result(
    path: str | None,
    schema_id: str,
    sheet: str,
    rows: Any,
    issues: list[Issue],
    texts: Any = None,
    kept: Any = None,
) -> FileResult:
    file = None if path is None else Path(path)  # None: a worker's result, its path put back by _run
    packed = PackedRows(rows) if rows.__class__ is tuple else rows
    return FileResult(file, schema_id, sheet, packed, issues, texts or {}, kept)  # type: ignore[arg-type]


class PackedRows(UserList[UnitRow]):
    """A file's rows as they crossed from a worker process: in columns (units, labels, row numbers, lines, the
    codes and the figures as read), made :class:`UnitRow` objects only when a row is first read. Until then
    :attr:`packed` holds the columns, for work over a whole batch that needs no objects (the units of 10,000 files,
    the aggregate's arrays); once the rows are made it is None and this is an ordinary list of rows."""

    def __init__(self, packed: tuple[Any, ...]) -> None:  # not UserList's: nothing is copied
        self.packed: tuple[Any, ...] | None = packed
        self._rows: list[UnitRow] | None = None

    @property
    def data(self) -> list[UnitRow]:
        if self._rows is None:
            self._rows = _unpack_rows(self.packed)  # type: ignore[arg-type]
            self.packed = None  # the rows may change from here on: the columns would no longer say the same
        return self._rows

    @data.setter
    def data(self, rows: list[UnitRow]) -> None:
        self._rows, self.packed = rows, None

    def __len__(self) -> int:
        return len(self.packed[0]) if self.packed is not None else len(self.data)


def _unpack_rows(packed: tuple[Any, ...]) -> list[UnitRow]:
    units, labels, numbers, lines, codes, figures = packed
    # the same unit codes, line codes and labels arrive in every file of a batch: one string each, not one per row
    return [
        UnitRow(
            intern(u),
            intern(label),
            n,
            NO_FIGURES if figures is None else Figures(codes, figures[k]),
            None if line is None else intern(line),
        )
        for k, (u, label, n, line) in enumerate(zip(units, labels, numbers, lines, strict=True))
    ]


def file_columns(result: FileResult, codes: list[str]) -> tuple[tuple[str, ...], tuple[Any, ...], list[Any]]:
    """A file's rows as columns: their units, their lines (None: a wide form) and their figures of ``codes`` in
    that order, as read (float, text or Decimal; None: blank). Straight from the columns of a result that came
    packed from a worker process; from the row objects otherwise."""
    rows = result.rows
    if isinstance(rows, PackedRows) and rows.packed is not None:
        units, _, _, lines, have, figures = rows.packed
        if figures is None:
            return units, lines, [(None,) * len(codes)] * len(units)
        pick = _picker(have, codes)
        return units, lines, figures if pick is _same_order else [pick(f) for f in figures]
    return (
        tuple(r.unit for r in rows),
        tuple(r.line for r in rows),
        [row_figures(r.values, codes) for r in rows],
    )


def row_figures(values: Mapping[str, Decimal | None], codes: list[str]) -> tuple[Any, ...]:
    """A row's figures of ``codes`` in that order, as numpy turns them into floats (float, text or Decimal; None:
    blank)."""
    if isinstance(values, Figures):
        return values.figures(codes)
    return tuple(values.get(c) for c in codes)


@dataclass
class FileResult:
    path: Path
    schema_id: str
    sheet: str = ""
    rows: list[UnitRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # unit -> text field -> what the unit wrote
    kept: Any = None  # what a caller's step after the check gave (validate_each's keep): the ledger's archive

    def __reduce__(self) -> tuple[Any, ...]:
        # Results cross from worker processes by the ten thousand: the rows go as columns (one tuple of units, one of
        # labels ...) rather than an object each, which makes them cheaper to pickle and to unpickle.
        rows = self.rows
        if isinstance(rows, PackedRows) and rows.packed is not None:  # arrived packed, never unpacked: as it came
            args = (self._path_text(), self.schema_id, self.sheet, rows.packed, self.issues, self.texts, self.kept)
            return (_file_result, args)
        codes: tuple[str, ...] = ()
        figures: list[tuple[Any, ...]] | None = None  # None: rows without their figures (figures=False)
        if any(r.values is not NO_FIGURES for r in rows):
            codes, figures = _as_read(rows[0].values)[0], []
            for row in rows:
                have, read = _as_read(row.values)
                if have != codes:  # rows over different codes (not made by the readers here): each row as itself
                    each = (self._path_text(), self.schema_id, self.sheet, list(rows), self.issues, self.texts)
                    return (_file_result, (*each, self.kept))
                figures.append(read)
        packed = (
            tuple(r.unit for r in rows),
            tuple(r.label for r in rows),
            tuple(r.row for r in rows),
            tuple(r.line for r in rows),
            codes,
            None if figures is None else tuple(figures),
        )
        args = (self._path_text(), self.schema_id, self.sheet, packed, self.issues, self.texts, self.kept)
        return (_file_result, args)

    def _path_text(self) -> str | None:
        return None if self.path is None else str(self.path)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def accepted(self) -> bool:
        return not any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def units(self) -> list[str]:
        rows = self.rows
        if isinstance(rows, PackedRows) and rows.packed is not None:
            return list(dict.fromkeys(rows.packed[0]))
        return list(dict.fromkeys(r.unit for r in rows))

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        errors = sum(1 for i in self.issues if i.severity is Severity.ERROR)
        return {
            "file": str(self.path),
            "schema": self.schema_id,
            "sheet": self.sheet,
            "accepted": errors == 0,
            "units": self.units,
            "errors": errors,
            "warnings": sum(1 for i in self.issues if i.severity is Severity.WARNING),
            "issues": [i.to_dict(lang) for i in self.issues],
        }


@dataclass
class Report:
    schema: Schema
    files: list[FileResult]
    period: Any = None  # the reporting period, when known (reports rebuilt from the ledger)
    skipped: list[dict[str, str]] = field(default_factory=list)  # files passed over (hidden, lock files) and why

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues]

    @property
    def valid(self) -> bool:
        return all(f.accepted for f in self.files)

    @property
    def accepted(self) -> list[FileResult]:
        """Files of the report's form without errors: the ones aggregation adds up."""
        return [f for f in self.files if f.accepted and f.schema_id == self.schema.id]

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if not f.accepted]

    def forms(self) -> dict[str, int]:
        """How many files hold each form."""
        out: dict[str, int] = {}
        for f in self.files:
            if f.schema_id:
                out[f.schema_id] = out.get(f.schema_id, 0) + 1
        return out

    @property
    def other_forms(self) -> list[FileResult]:
        """Files without errors that hold another form than the report's."""
        return [f for f in self.files if f.accepted and f.schema_id != self.schema.id]

    def flatten(self, keys: Iterable[str] = ("file", "cell", "code")) -> list[list[Any]]:
        """Issues as plain lists, for tests and quick looks: [[file, cell, code], ...]."""
        out = []
        for issue in self.issues:
            d = issue.to_dict()
            out.append([d[k] for k in keys])
        return out

    def summary(self) -> dict[str, Any]:
        """Counts only (cheap: no message is built)."""
        return {
            "files": len(self.files),
            "accepted": len([f for f in self.files if f.accepted]),
            "rejected": len(self.rejected),
            "forms": self.forms(),
            "errors": sum(len(f.errors) for f in self.files),
            "warnings": sum(len(f.warnings) for f in self.files),
        }

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "schema": self.schema.id,
            "valid": self.valid,
            "files": [f.to_dict(lang) for f in self.files],
            "skipped": self.skipped,
            "summary": self.summary(),
        }


# -- the batch

#: the figures of a row kept without them (``validate_paths(figures=False)``)
NO_FIGURES: Mapping[str, Decimal | None] = MappingProxyType({})
