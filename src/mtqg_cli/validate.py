"""Checking received workbooks against a schema.

``validate_file`` never raises for bad data: every problem becomes an :class:`~mtqg_cli.errors.Issue` in the
file's result. ``validate_paths`` runs a batch (files and folders), carries on past unreadable files and adds the
checks that need the whole batch (the same unit sent twice).
"""

from __future__ import annotations

import ast
import operator
import re
from collections import UserList
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from sys import intern
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import ValidationError

from .errors import Issue, Severity
from .locate import Table, columns_bound, header_words, locate_table
from .numbers import Kind, float_decimal, parse_number
from .reading import SPREADSHEET_SUFFIXES, ReadError, Workbook, a1, hidden_rows, probe_cells, read_workbook
from .schema import Rule, Schema, _names, list_schemas, load_schema, match_phrases
from .text import fold
from .units import UnitMatcher, level_of

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
_ZERO = Decimal(0)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


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


def _tuple_getter(positions: list[int]) -> Callable[[Any], tuple[Any, ...]]:
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
            pick = _tuple_getter(positions)  # type: ignore[arg-type]
        _PICKS[key] = pick
    return pick


def _as_read(values: Mapping[str, Decimal | None]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A row's codes and its figures as read, for sending between processes (any other mapping: Decimals as text)."""
    if isinstance(values, Figures):
        return values._codes, values._figures
    return tuple(values), tuple(None if v is None else str(v) for v in values.values())


def _unit_row(unit: str, label: str, row: int, line: str | None, codes: tuple[str, ...], figures: tuple) -> UnitRow:
    return _unpack_rows(((unit,), (label,), (row,), (line,), codes, (figures,)))[0]


def _file_result(path: str | None, schema_id: str, sheet: str, rows: Any, issues: list[Issue]) -> FileResult:
    file = None if path is None else Path(path)  # None: a worker's result, its path put back by _run
    return FileResult(file, schema_id, sheet, PackedRows(rows) if rows.__class__ is tuple else rows, issues)  # type: ignore[arg-type]


class PackedRows(UserList[UnitRow]):
    """A file's rows as they crossed from a worker process: in columns (units, labels, row numbers, lines, the
    codes and the figures as read), made :class:`UnitRow` objects only when a row is first read. Until then
    :attr:`packed` holds the columns, for work over a whole batch that needs no objects (the units of 10,000 files,
    the aggregate's arrays); once the rows are made it is None and this is an ordinary list of rows."""

    def __init__(self, packed: tuple[Any, ...]) -> None:  # not UserList's: nothing is copied
        self.packed: tuple[Any, ...] | None = packed
        self._rows: list[UnitRow] | None = None

    @property  # type: ignore[override]
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
            _NO_FIGURES if figures is None else Figures(codes, figures[k]),
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

    def __reduce__(self) -> tuple[Any, ...]:
        # Results cross from worker processes by the ten thousand: the rows go as columns (one tuple of units, one of
        # labels ...) rather than an object each, which makes them cheaper to pickle and to unpickle.
        rows = self.rows
        if isinstance(rows, PackedRows) and rows.packed is not None:  # arrived packed, never unpacked: as it came
            return (_file_result, (self._path_text(), self.schema_id, self.sheet, rows.packed, self.issues))
        codes: tuple[str, ...] = ()
        figures: list[tuple[Any, ...]] | None = None  # None: rows without their figures (figures=False)
        if any(r.values is not _NO_FIGURES for r in rows):
            codes, figures = _as_read(rows[0].values)[0], []
            for row in rows:
                have, read = _as_read(row.values)
                if have != codes:  # rows over different codes (not made by the readers here): each row as itself
                    return (_file_result, (self._path_text(), self.schema_id, self.sheet, list(rows), self.issues))
                figures.append(read)
        packed = (
            tuple(r.unit for r in rows),
            tuple(r.label for r in rows),
            tuple(r.row for r in rows),
            tuple(r.line for r in rows),
            codes,
            None if figures is None else tuple(figures),
        )
        return (_file_result, (self._path_text(), self.schema_id, self.sheet, packed, self.issues))

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
            "summary": self.summary(),
        }


# -- the batch


class Collected(list[Path]):
    """The files of a batch as :func:`collect_paths` found them: given again, they are taken as they are."""


def collect_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the spreadsheets inside folders (recursively, sorted; Office lock files skipped)."""
    import os

    if isinstance(paths, Collected):
        return paths

    unique = Collected()
    seen: set[str] = set()

    def add(path: Path, key: str) -> None:
        if key not in seen:
            seen.add(key)
            unique.append(path)

    for p in map(Path, paths):
        if not p.is_dir():
            add(p, os.path.normcase(os.path.abspath(p)))
            continue
        root = str(p)
        found: list[str] = []
        stack = [root]
        while stack:  # os.scandir: the directory listing says what is a file, no stat per entry
            with os.scandir(stack.pop()) as entries:
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif (
                        e.is_file()
                        and os.path.splitext(e.name)[1].lower() in SPREADSHEET_SUFFIXES
                        and not e.name.startswith(("~$", ".~lock", "."))
                    ):
                        found.append(e.path)
        found.sort()
        # every path found here is the folder's path and a name: the folder is made absolute once, not per file
        base = os.path.abspath(root)
        for f in found:
            add(Path(f), os.path.normcase(os.path.join(base, f[len(root) :].lstrip(os.sep + (os.altsep or "")))))
    return unique


def best_schema(workbook: Workbook, schemas: list[Schema]) -> Schema | None:
    """The schema whose table the workbook holds best (most indicator columns found; the first listed on a tie), or
    None. Each form's score is bounded first from the words of the sheets' header rows (:func:`columns_bound`): the
    forms are tried best bound first, and once no bound left can beat the best score found, the rest are not
    worked out (the same choice as trying them all, without locating a table for every form in every file)."""
    words = header_words(workbook)
    bounds = []
    for n, s in enumerate(schemas):
        most = columns_bound(s, words)
        if most * 2 >= len(s.indicators):  # fewer than half the columns: never located (locate_in_sheet)
            bounds.append(((most * 100) // len(s.indicators), -n, s))
    bounds.sort(key=lambda b: (b[0], b[1]), reverse=True)
    best: tuple[int, int, Schema] | None = None
    for bound, order, s in bounds:
        if best is not None and (bound, order) < (best[0], best[1]):
            break  # this form and every one after it score at most their bound: none can win
        table = locate_table(workbook, s)
        if table is None:
            continue
        score = (table.score * 100) // len(s.indicators)  # share of the form's columns found
        if best is None or (score, order) > (best[0], best[1]):
            best = (score, order, s)
    return best[2] if best else None


def validate_paths(
    paths: Iterable[str | Path],
    schema: Schema | str | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int = 1,
    figures: bool = True,
) -> Report:
    """Validate every workbook under ``paths``; one unreadable file never stops the batch.

    Without a schema, each workbook is checked against the form whose table it holds; the report's schema is the
    form most files hold (the one ``aggregate`` adds up). ``figures=False`` keeps the rows without their figures
    (which unit each row is, and its issues): a check alone needs no more, and 10,000 files then cost little
    memory and little to send between processes."""
    files = collect_paths(paths)
    if isinstance(schema, str):
        schema = load_schema(schema)
    schemas = [schema] if schema is not None else list_schemas()
    results = list(_run(files, schemas, jobs, progress, figures))
    if schema is None:
        counts: dict[str, int] = {}
        for r in results:
            if r.schema_id:
                counts[r.schema_id] = counts.get(r.schema_id, 0) + 1
        chosen = max(counts, key=lambda k: counts[k]) if counts else schemas[0].id
        schema = next(s for s in schemas if s.id == chosen)
        for r in results:
            if not r.schema_id:
                r.schema_id = schema.id
    for form in {r.schema_id for r in results}:
        names = next(({u.code: u.name for u in sc.units} for sc in schemas if sc.id == form), {})
        _check_duplicates([r for r in results if r.schema_id == form], names)
    return Report(schema, results)


POOL_MIN_FILES = 32  # below this, starting worker processes costs more than it saves
_PROBE_FILES = 8  # with --jobs left to mtqg: files read here first, to see what one file costs
_FORK_START = 0.05  # seconds to fork the workers and hear from them (measured: 0.03-0.05 s here)


def _worker_start_cost() -> float:
    """About what starting the worker processes costs, in seconds. Forked workers (Linux) are copies of this
    process; spawned ones (Windows, macOS) are new interpreters that import what this process imported and read the
    forms again: about what this process has spent so far (its CPU time, taken when the batch starts)."""
    import multiprocessing
    import time

    # the method the pool will use, without fixing it here (the first method listed is the platform's default)
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
    if method == "fork":
        return _FORK_START
    return max(0.2, time.process_time())


def _run(
    files: list[Path],
    schemas: list[Schema],
    jobs: int,
    progress: Callable[[Path], None] | None,
    figures: bool = True,
) -> Iterator[FileResult]:
    """Results in the files' order, from this process or from a pool of ``jobs`` worker processes.

    ``jobs`` 0 leaves it to mtqg: the first files are read here, and workers (one per core) are started for the
    rest only when what is left would take this process longer than twice starting them (two workers save half of
    it), so a province's few dozen files are not slowed by starting interpreters (0.6 s and more where workers are
    spawned, as on Windows) and a ministry's thousands still use every core."""
    import gc

    # What exists before the batch (the forms, thousands of units, the imported libraries) lives through it: kept out
    # of the garbage collector's scans while the batch runs (each file allocates enough to start several), as in
    # the workers. 15-25 % less time a file here; undone at the end, and left alone if the caller froze already.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        yield from _run_batch(files, schemas, jobs, progress, figures)
    finally:
        if freeze:
            gc.unfreeze()


def _run_batch(
    files: list[Path],
    schemas: list[Schema],
    jobs: int,
    progress: Callable[[Path], None] | None,
    figures: bool,
) -> Iterator[FileResult]:
    import os

    def here(paths: list[Path]) -> Iterator[FileResult]:  # files read in this process
        for path in paths:
            yield _safe_one(path, schemas, figures)
            if progress:
                progress(path)

    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < POOL_MIN_FILES:
        yield from here(files)
        return
    done = 0
    if jobs <= 0:
        import time

        cost = 2 * _worker_start_cost()
        began = time.perf_counter()
        for result in here(files):
            yield result
            done += 1
            spent = time.perf_counter() - began
            if done >= _PROBE_FILES and spent / done * (len(files) - done) > cost:
                break  # what is left is worth the workers
        if done == len(files):
            return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    for s in schemas:  # built once here: forked workers inherit them instead of each building its own
        _plan(s)
    rest = files[done:]
    chunk = max(1, min(64, len(rest) // (workers * 8)))
    try:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(schemas, figures)) as pool:
            # paths cross as text, and each result comes back without its path: the one in ``files`` is put back
            for path, result in zip(rest, pool.map(_worker, map(str, rest), chunksize=chunk), strict=True):
                result.path = path
                done += 1
                yield result
                if progress:
                    progress(result.path)
    except BrokenProcessPool:
        # a worker died (not a Python error: those are caught per file); finish the batch here, file by file
        yield from here(files[done:])


_WORKER_SCHEMAS: list[Schema] = []
_WORKER_FIGURES = [True]


def _init_worker(schemas: list[Schema], figures: bool = True) -> None:
    import gc

    # What the worker inherited or was given (the forms, thousands of units, the imported libraries) lives as long as
    # the worker: kept out of the garbage collector's scans, which would otherwise walk it again and again.
    gc.freeze()
    _WORKER_SCHEMAS[:] = schemas
    _WORKER_FIGURES[0] = figures


def _worker(path: str) -> FileResult:
    result = _safe_one(Path(path), _WORKER_SCHEMAS, _WORKER_FIGURES[0])
    result.path = None  # type: ignore[assignment]  # not sent back: the main process has it (see _run)
    return result


_NO_FIGURES: Mapping[str, Decimal | None] = MappingProxyType({})


def _safe_one(path: Path, schemas: list[Schema], figures: bool = True) -> FileResult:
    """One file, whatever happens: an unexpected failure becomes an issue on that file, never the batch's end."""
    try:
        result = _validate_one(path, schemas)
        if not figures:
            for row in result.rows:
                row.values = _NO_FIGURES
        return result
    except Exception as exc:  # a bug or a reader crash on a strange file
        result = FileResult(path, schemas[0].id if len(schemas) == 1 else "")
        detail = f"{type(exc).__name__}: {exc}"[:200]
        result.issues.append(Issue("internal-error", Severity.ERROR, str(path), params={"detail": detail}))
        return result


def _validate_one(path: Path, schemas: list[Schema]) -> FileResult:
    result = FileResult(path, schemas[0].id if len(schemas) == 1 else "")
    try:
        workbook = read_workbook(path)
    except ReadError as exc:
        result.issues.append(Issue(exc.code, Severity.ERROR, str(path), params={"detail": exc.detail, **exc.params}))
        return result
    schema = schemas[0] if len(schemas) == 1 else best_schema(workbook, schemas)
    if schema is None:
        names = ", ".join(s.id for s in schemas)
        result.issues.append(Issue("table-not-found", Severity.ERROR, str(path), params={"schema": names}))
        return result
    result.schema_id = schema.id
    validate_workbook(workbook, schema, result)
    return result


def _check_duplicates(results: list[FileResult], names: dict[str, str] | None = None) -> None:
    first: dict[str, FileResult] = {}
    for res in results:
        for unit in dict.fromkeys(res.units):
            if unit in first:
                other = first[unit]
                for a, b in ((res, other), (other, res)):
                    row = next(r for r in a.rows if r.unit == unit)
                    # a wide form's row names its unit as the unit wrote it; a long form's row names a line
                    shown = row.label if row.line is None else (names or {}).get(unit, unit)
                    a.issues.append(
                        Issue(
                            "unit-duplicate-file",
                            Severity.ERROR,
                            str(a.path),
                            a.sheet,
                            "",
                            {"unit": shown, "other": str(b.path)},
                        )
                    )
            else:
                first[unit] = res


# -- one file


def validate_file(path: str | Path, schema: Schema) -> FileResult:
    """Read one workbook, find the schema's table, check every cell and every sum."""
    p = Path(path)
    result = FileResult(p, schema.id)
    try:
        workbook = read_workbook(p)
    except ReadError as exc:
        result.issues.append(Issue(exc.code, Severity.ERROR, str(p), params={"detail": exc.detail, **exc.params}))
        return result
    validate_workbook(workbook, schema, result)
    return result


def validate_workbook(workbook: Workbook, schema: Schema, result: FileResult) -> None:
    where = str(result.path)
    table = locate_table(workbook, schema)
    if table is None:
        result.issues.append(Issue("table-not-found", Severity.ERROR, where, params={"schema": schema.title}))
        return
    result.sheet = table.sheet.name
    if workbook.legacy_encoding:
        result.issues.append(
            Issue(
                "legacy-encoding", Severity.WARNING, where, table.sheet.name, "", {"encoding": workbook.legacy_encoding}
            )
        )
    for code in table.missing:
        ind = schema.indicator_by_code[code]
        result.issues.append(Issue("column-missing", Severity.ERROR, where, table.sheet.name, "", {"label": ind.label}))
    reader = (_LongReader if schema.is_long else _Reader)(schema, table, result)
    reader.run()
    if workbook.kind in ("xlsx", "ods"):
        hidden = hidden_rows(workbook.path, table.sheet.name, workbook.kind)
        for row in result.rows:
            if row.row in hidden:
                result.issues.append(
                    Issue(
                        "row-hidden",
                        Severity.WARNING,
                        where,
                        table.sheet.name,
                        a1(row.row, table.unit_col),
                        {"name": row.label, "row": row.row + 1},
                    )
                )
    if workbook.kind == "xlsx" and reader.blank_cells:
        reader.explain_blanks(probe_cells(workbook.path, table.sheet.name, set(reader.blank_cells)))


class _QuickRow(NamedTuple):
    """Reading a row of a table whose columns share their bounds in a few calls."""

    pick: Callable[[list[Any]], tuple[Any, ...]]  # the figure cells of a row
    width: int  # a row at least this long holds them all
    lo: float
    hi: float
    whole: Callable[[tuple[Any, ...]], tuple[Any, ...]]  # of those, the ones that must be whole numbers


class _Reader:
    def __init__(self, schema: Schema, table: Table, result: FileResult) -> None:
        self.schema = schema
        self.table = table
        self.sheet = table.sheet
        self.result = result
        plan = _plan(schema)
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

    def issue(self, code: str, row: int, col: int | None, severity: Severity = Severity.ERROR, **params: Any) -> None:
        cell = a1(row, col) if col is not None else ""
        self.result.issues.append(Issue(code, severity, str(self.result.path), self.sheet.name, cell, params))

    def run(self) -> None:
        totals: list[int] = []
        seen: dict[str, list[int]] = {}
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
            seen.setdefault(unit.code, []).append(r)
            if len(seen[unit.code]) > 1:
                rows = ", ".join(str(x + 1) for x in seen[unit.code])
                self.issue("unit-repeated", r, self.table.unit_col, unit=unit.name, rows=rows)
                continue
            self.result.rows.append(self._read_row(unit.code, label, r))
        if not self.result.rows:
            self.issue("no-unit-rows", self.table.data_start, self.table.unit_col)
            return
        self._check_rules(totals)
        self.result.issues.sort(key=_issue_order)

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
        if typed:
            return UnitRow(unit, label, r, Figures(self.codes, figures), line)
        return UnitRow(unit, label, r, Figures(self.codes, figures), line, figures, _row_error(figures))

    def _read_cells(self, r: int) -> tuple[tuple[Any, ...], bool]:
        """The row's figures in the table's column order, as read (see :class:`Figures`): the cell's float when it was
        a number, the Decimal's text when it was typed as text, None when blank or refused; and whether any was
        typed as text."""
        cells = self.sheet.rows[r]
        width = len(cells)
        quick = self.quick_row
        if quick is not None and width >= quick.width:
            picked = quick.pick(cells)
            if set(map(type, picked)) == _FLOATS:
                total = sum(picked)
                if (
                    total - total == 0  # no NaN, no infinity
                    and quick.lo <= min(picked)
                    and max(picked) <= quick.hi
                    and all(map(float.is_integer, quick.whole(picked)))
                ):
                    return picked, False
        figures: list[Any] = []
        typed = False  # a figure typed as text: kept as a Decimal until the row model has seen it
        checked = True  # every figure a plain number within its bounds: the row model has nothing to say
        for code, col, (lo, hi, integer) in self.column_plan:
            raw = cells[col] if col < width else ""
            if raw.__class__ is float and raw - raw == 0:  # the common case: a number as a number (not NaN, not inf)
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
        params = {"label": ind.label, "value": str(raw).strip(), "unit": ind.unit}
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
        self.result.issues.sort(key=_issue_order)

    def _check_rules(self, totals: list[int]) -> None:
        self._check_computed()
        for rule in self.schema.rules:
            if rule.kind == "total_row":
                self._check_total(rule, totals)
            elif rule.kind == "compare":
                self._check_compare(rule)
            elif rule.kind == "children_sum":
                self._check_children(rule)

    def _check_computed(self) -> None:
        """Computed columns (a %, a total) are recomputed from the row and compared, never trusted."""
        for ind in self.schema.indicators:
            if not ind.formula or ind.code not in self.table.columns:
                continue
            col = self.table.columns[ind.code]
            at = self.at[ind.code]
            quick = _float_formula(ind.formula, self.codes)
            tolerance = float(ind.tolerance)
            for row in self.result.rows:
                floats = row.floats
                if floats is not None:  # decided in floats unless a float's error could change the verdict
                    found = floats[at]
                    got = None if found is None else quick(floats, row.error)
                    if got is None:
                        continue  # a blank: nothing to compare, as below
                    if got is not _UNSURE and _surely("==", found, got[0], got[1] + row.error, tolerance):
                        continue
                self._check_computed_row(ind, col, row)

    def _check_computed_row(self, ind: Any, col: int, row: UnitRow) -> None:
        found = row.values.get(ind.code)
        expected = evaluate(ind.formula, row.values)
        if found is None or expected is None:
            return
        if abs(found - expected) > ind.tolerance:
            self.issue(
                "computed-mismatch",
                row.row,
                col,
                label=ind.label,
                found=found,
                expected=expected.quantize(Decimal("0.1")),
                formula=ind.formula,
            )

    def _check_children(self, rule: Rule) -> None:
        """Every line that has sub-lines equals their sum (long forms), measure by measure."""
        by_line = {row.line: row for row in self.result.rows if row.line}
        by_code = self.schema.indicator_by_code
        measures = [
            (code, col, by_code[code], self.at[code])
            for code, col in self.table.columns.items()
            if not by_code[code].formula and code not in self.bad_cells
        ]
        tolerance, share = float(rule.tolerance), float(rule.tolerance_pct) / 100
        skip = rule.blanks == "skip"
        for parent, row in by_line.items():
            children = self.schema.children(parent)
            if not children:
                continue
            kids = [by_line[c.code] for c in children if c.code in by_line]
            if not kids:
                continue
            quick = row.floats is not None and all(k.floats is not None for k in kids)
            if quick:
                kids_error = sum(k.error for k in kids)
                by_column = list(zip(*(k.floats for k in kids), strict=True))  # type: ignore[misc]
            for code, col, ind, at in measures:
                if quick:
                    found = row.floats[at]  # type: ignore[index]
                    parts = by_column[at]
                    if None in parts:
                        if skip:
                            continue
                        parts = tuple(p for p in parts if p is not None)
                    elif found is None and skip:
                        continue
                    total, error = _float_sum(parts, kids_error)
                    found = 0.0 if found is None else found
                    if found == total and error == 0.0:
                        continue  # whole numbers added exactly
                    if _surely("==", found, total, error + row.error, tolerance, share):
                        continue
                self._check_children_measure(rule, row, kids, code, col, ind)

    def _check_children_measure(
        self, rule: Rule, row: UnitRow, kids: list[UnitRow], code: str, col: int, ind: Any
    ) -> None:
        found = row.values.get(code)
        parts = [k.values.get(code) for k in kids]
        if found is None and rule.blanks == "skip":
            return
        if rule.blanks == "skip" and any(p is None for p in parts):
            return
        expected = sum([p for p in parts if p is not None], _ZERO)
        if not _holds("==", found or Decimal(0), expected, rule):
            names = ", ".join(k.label for k in kids)
            self.issue(
                "children-sum-mismatch",
                row.row,
                col,
                Severity(rule.severity),
                label=ind.label,
                line=row.label,
                found=found or Decimal(0),
                expected=expected,
                children=names,
            )

    def _check_total(self, rule: Rule, totals: list[int]) -> None:
        severity = Severity(rule.severity)
        if not totals:
            if len(self.result.rows) > 1 and not self.saw_group_row:
                self.issue("total-row-missing", self.result.rows[-1].row + 1, None, Severity.WARNING)
            return
        r = totals[-1]
        summed = self._summed_rows()
        by_code = self.schema.indicator_by_code
        columns = [
            (code, col, ind)
            for code, col in self.table.columns.items()
            if code not in self.bad_cells  # the unit row is already wrong here; a total check would repeat it
            and ((ind := by_code[code]).in_total or ind.formula)
        ]
        if all(row.floats is not None for row in summed):
            columns = self._total_in_floats(rule, r, summed, columns)
        sums: dict[str, Decimal] | None = None  # exact sums, made only for what the floats could not decide
        for code, col, ind in columns:
            raw = self.sheet.value(r, col)
            if raw.__class__ is float and raw - raw == 0:  # the common case: the total as a number
                found = float_decimal(raw)
            else:
                parsed = parse_number(raw, integer=ind.type == "integer")
                if parsed.kind is not Kind.NUMBER or parsed.value is None:
                    if parsed.kind in (Kind.INVALID, Kind.ERROR_VALUE):
                        self.issue("cell-not-number", r, col, label=ind.label, value=str(raw).strip(), unit=ind.unit)
                    if parsed.kind is Kind.BLANK:
                        self.blank_cells[a1(r, col)] = ("total", code)
                    continue  # blank: a formula saved without its result is 'not calculated', not 0
                if parsed.percent:
                    continue  # a share written in the total row ('52%'), not a sum
                found = parsed.value
            if sums is None:
                sums = {
                    c: sum([v for row in summed if (v := row.values.get(c)) is not None], _ZERO)
                    for c in self.table.columns
                }
            if ind.formula:  # a computed column's total is the formula over the totals, not a sum
                value = evaluate(ind.formula, sums)
                if value is None or abs(found - value) <= ind.tolerance:
                    continue
                expected = value.quantize(Decimal("0.1"))
            else:
                expected = sums[code]
                if _holds("==", found, expected, rule):
                    continue
            self.issue("total-row-mismatch", r, col, severity, label=ind.label, found=found, expected=expected)

    def _total_in_floats(
        self, rule: Rule, r: int, summed: list[UnitRow], columns: list[tuple[str, int, Any]]
    ) -> list[tuple[str, int, Any]]:
        """The total row's cells that are numbers, checked against the column sums in floats; what is left (text,
        blanks, and sums too close to call in floats) for the exact check."""
        single = len(summed) == 1
        if single:  # a wide form's one unit: its own figures are the sums
            row = summed[0]
            sums: tuple[float, ...] = tuple(0.0 if v is None else v for v in row.floats)  # type: ignore[union-attr]
            errors: tuple[float, ...] = (row.error,) * len(sums)
        else:
            error = sum(row.error for row in summed)
            pairs = [
                _float_sum([v for v in column if v is not None], error)
                for column in zip(*(row.floats for row in summed), strict=True)  # type: ignore[misc]
            ]
            sums, errors = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
        tolerance, share = float(rule.tolerance), float(rule.tolerance_pct) / 100
        cells = self.sheet.rows[r]
        width = len(cells)
        left = []
        todo = columns
        if single:  # the common case: the total row repeats the unit's figures, number for number
            plain = [item for item in columns if not item[2].formula]
            raws = tuple(cells[col] if col < width else "" for _, col, _ in plain)
            if set(map(type, raws)) <= _FLOATS and raws == tuple(sums[self.at[code]] for code, _, _ in plain):
                todo = [item for item in columns if item[2].formula]  # each plain column as below: the same float
        for item in todo:
            code, col, ind = item
            raw = cells[col] if col < width else ""
            if raw.__class__ is float and raw - raw == 0:
                if ind.formula:
                    got = _float_formula(ind.formula, self.codes, True)(sums, errors)
                    if got is None:
                        continue  # blank in exact arithmetic too: nothing to compare
                    error = got[1] + _row_error((raw,)) if got is not _UNSURE else 0.0
                    if got is not _UNSURE and _surely("==", raw, got[0], error, float(ind.tolerance)):
                        continue
                else:
                    at = self.at[code]
                    if raw == sums[at] and (single or errors[at] == 0.0):
                        continue  # the same float as one figure, or as an exact sum: the same Decimal
                    if _surely("==", raw, sums[at], errors[at] + _row_error((raw,)), tolerance, share):
                        continue
            left.append(item)
        return left

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

    def _summed_rows(self) -> list[UnitRow]:
        """The rows a total row adds up: every unit row (wide forms)."""
        return self.result.rows

    def _check_compare(self, rule: Rule) -> None:
        left_quick = _float_formula(rule.left, self.codes)
        right_quick = _float_formula(rule.right, self.codes)
        tolerance, share = float(rule.tolerance), float(rule.tolerance_pct) / 100
        zero = rule.blanks == "zero"
        for row in self.result.rows:
            if rule.lines and row.line not in rule.lines:
                continue
            floats = row.floats
            if floats is not None:  # decided in floats unless a float's error could change the verdict
                if zero and None in floats:
                    floats = tuple(0.0 if v is None else v for v in floats)
                left, right = left_quick(floats, row.error), right_quick(floats, row.error)
                if left is None or right is None:
                    continue  # a blank side: the rule does not apply
                if left is not _UNSURE and right is not _UNSURE:
                    if _surely(rule.op, left[0], right[0], left[1] + right[1], tolerance, share):
                        continue
            self._check_compare_row(rule, row)

    def _check_compare_row(self, rule: Rule, row: UnitRow) -> None:
        values = row.values
        if rule.blanks == "zero":
            values = {k: (v if v is not None else Decimal(0)) for k, v in values.items()}
        left = evaluate(rule.left, values)
        right = evaluate(rule.right, values)
        if left is None or right is None:
            return  # a blank side: the rule does not apply
        if not _holds(rule.op, left, right, rule):
            first_code = _names(rule.left)[0]
            col = self.table.columns.get(first_code)
            self.issue(
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


def _holds(op: str, left: Decimal, right: Decimal, rule: Rule) -> bool:
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


class _LongReader(_Reader):
    """A long form: one unit per workbook, a row per line (project, sub-project, indicator)."""

    def run(self) -> None:
        unit = self._reporter()
        if unit is None:
            self.issue("reporter-unknown", self.table.header_top, None)
            return
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
            return
        for line in self.schema.lines:
            if line.code not in seen and not line.parent:
                self.issue(
                    "line-missing", self.table.data_start, self.table.unit_col, Severity.WARNING, name=line.label
                )
        self._check_rules(totals)
        self.result.issues.sort(key=_issue_order)

    def _summed_rows(self) -> list[UnitRow]:
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


_LEVEL_VI = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": operator.eq,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}


@dataclass
class _Plan:
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

    layouts: dict[tuple[tuple[str, int], ...], _Columns] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.total_set = frozenset(self.total_labels)
        self.total_prefixes = tuple(p + " " for p in self.total_labels)

    def columns(self, columns: dict[str, int]) -> _Columns:
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
                whole = _tuple_getter([n for n, b in enumerate(bounds) if b[2]])
                quick = _QuickRow(_tuple_getter(cols), max(cols) + 1, bounds[0][0], bounds[0][1], whole)
            if len(self.layouts) > 256:
                self.layouts.clear()
            hit = self.layouts[key] = _Columns(codes, {c: n for n, c in enumerate(codes)}, plan, quick)
        return hit


class _Columns(NamedTuple):
    codes: tuple[str, ...]
    at: dict[str, int]
    plan: list[tuple[str, int, tuple[float, float, bool]]]
    quick: _QuickRow | None


_PLANS: dict[int, tuple[Schema, _Plan]] = {}


def _float_bounds(ind: Any) -> tuple[float, float, bool]:
    """An indicator's bounds as floats, for checking cells read as floats; a bound a float cannot hold exactly
    (min 0.1) gives an empty range, so every figure goes to the row model."""
    lo = float("-inf") if ind.min is None else float(ind.min)
    hi = float("inf") if ind.max is None else float(ind.max)
    exact = all(b is None or Decimal(float(b)) == b for b in (ind.min, ind.max))
    return (lo, hi, ind.type == "integer") if exact else (1.0, 0.0, True)


def _plan(schema: Schema) -> _Plan:
    hit = _PLANS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    part = schema.units_part
    by_phrase: dict[str, Any] = {}
    for line in schema.lines:
        for phrase in match_phrases([line.label, *line.labels]):
            by_phrase.setdefault(phrase, line)
    plan = _Plan(
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
    _PLANS[id(schema)] = (schema, plan)
    return plan


def evaluate(expression: str, values: dict[str, Decimal | None]) -> Decimal | None:
    """Value of a rule side: indicator codes, numbers, + - * / and parentheses. None when a code is blank or a
    divisor is 0."""
    return _compiled(expression)(values)


_Evaluator = Callable[[dict[str, Decimal | None]], Decimal | None]


@lru_cache(maxsize=512)
def _compiled(expression: str) -> _Evaluator:
    """The expression checked once (names, numbers, + - * / and parentheses only) and compiled to Python code run
    on Decimals (a formula is evaluated for every row of every file). A blank name makes the whole value blank,
    as does a division by zero."""
    tree = ast.parse(expression, mode="eval")  # a tree of its own: the checks below rewrite it
    names: list[str] = []
    constants: dict[str, Decimal] = {}

    class Check(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id.startswith("_"):
                raise ValueError(f"unsupported expression: {expression}")
            names.append(node.id)
            return node

        def visit_Constant(self, node: ast.Constant) -> ast.AST:
            if not isinstance(node.value, int | float) or isinstance(node.value, bool):
                raise ValueError(f"unsupported expression: {expression}")
            name = f"_c{len(constants)}"
            constants[name] = Decimal(repr(node.value))
            return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

        def generic_visit(self, node: ast.AST) -> ast.AST:
            allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.Load)
            if not isinstance(node, allowed):
                raise ValueError(f"unsupported expression: {expression}")
            return super().generic_visit(node)

    checked = Check().visit(tree)
    unique = list(dict.fromkeys(names))

    class Rename(ast.NodeTransformer):  # codes become local variables n0, n1 ... of the generated function
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in constants:
                return node
            return ast.copy_location(ast.Name(id=f"n{unique.index(node.id)}", ctx=ast.Load()), node)

    body = ast.unparse(ast.fix_missing_locations(Rename().visit(checked)))
    lines = ["def formula(values):"]
    for n, name in enumerate(unique):
        lines += [f"    n{n} = values.get({name!r})", f"    if n{n} is None:", "        return None"]
    lines += ["    try:", f"        return {body}", "    except (ZeroDivisionError, InvalidOperation):"]
    lines += ["        return None"]
    scope: dict[str, Any] = {"__builtins__": {}, "ZeroDivisionError": ZeroDivisionError}
    scope.update(constants, InvalidOperation=InvalidOperation)
    exec(compile("\n".join(lines), "<formula>", "exec"), scope)  # noqa: S102 - built from the checked tree only
    return scope["formula"]  # type: ignore[no-any-return]


# -- checks decided in floats
#
# Figures read as floats are checked in float arithmetic carrying a bound on its error; only when that bound could
# change the verdict is the check done again in Decimals (the definition: exact sums, what officers check against).
# A float read from a cell is its Decimal to half a unit in the last place (the Decimal is repr's shortest
# round-trip); a whole number up to 2**53 is exact, and so are sums and products of such numbers that stay within it.
# Errors below are bounded with a unit of 2**-52, twice what IEEE rounding needs.

_EPS = 2.0**-52
_EXACT = 2.0**53
_FLOATS = {float}
_TINY = 1e-300  # underflow's absolute error
_UNSURE = object()  # the float value cannot be trusted (a divisor within its own error of 0): ask the Decimals


def _row_error(figures: tuple[float | None, ...]) -> float:
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


def _float_sum(parts: Sequence[float], error: float) -> tuple[float, float]:
    """The sum of figures read as floats, each within ``error`` in all (0: exact whole numbers) of its Decimal, and
    a bound on the sum's distance from the Decimal sum."""
    total = sum(parts)
    size = sum(map(abs, parts))
    if error == 0.0 and size < _EXACT:  # whole numbers, every partial sum below 2**53: exact
        return total, 0.0
    return total, error + (len(parts) + 2) * _EPS * size + _TINY


def _sum_terms(expression: str) -> list[str] | None:
    """The names a formula adds up when it is only that ('a + b + c'), else None."""
    node: ast.AST = ast.parse(expression, mode="eval").body
    names: list[str] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Name):
        names.append(node.right.id)
        node = node.left
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(names)]


def _summing(pick: Callable[[tuple[Any, ...]], tuple[Any, ...]], count: int) -> _FloatFormula:
    """What :func:`_float_formula` gives for a formula that adds up ``count`` figures of a row, in fewer steps."""

    def formula(vals: tuple[Any, ...], error: float) -> Any:
        parts = pick(vals)
        if None in parts:
            return None  # a blank name: blank
        return _float_sum(parts, count * error)

    return formula


def _surely(op: str, left: float, right: float, error: float, tolerance: float, share: float = 0.0) -> bool:
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


_FloatFormula = Callable[[tuple[Any, ...], Any], Any]


@lru_cache(maxsize=512)
def _float_formula(expression: str, codes: tuple[str, ...], per_figure: bool = False) -> _FloatFormula:
    """The expression (checked as for :func:`evaluate`) compiled to a function of a row's floats in the order of
    ``codes`` and a bound on their distance from their Decimals: one for all (a row's :attr:`UnitRow.error`) or,
    ``per_figure``, a tuple in the same order. It returns None where :func:`evaluate` gives blank (a blank name, a
    divisor exactly 0), :data:`_UNSURE` where the float value cannot be trusted, else the value and a bound on its
    distance from the Decimal value."""
    _compiled(expression)  # refuses anything but names, numbers, + - * / and parentheses
    at = {c: n for n, c in enumerate(codes)}
    terms = _sum_terms(expression)
    if not per_figure and terms is not None and len(terms) > 1 and all(t in at for t in terms):
        return _summing(_tuple_getter([at[t] for t in terms]), len(terms))  # a plain sum: fewer steps
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

    top = emit(ast.parse(expression, mode="eval"))
    lines.extend([f"    if not v{top} - v{top} == 0.0:", "        return UNSURE"])  # overflow: inf or nan
    lines.append(f"    return v{top}, e{top}")
    scope: dict[str, Any] = {"__builtins__": {}, "abs": abs, "UNSURE": _UNSURE}
    scope.update(EPS=_EPS, EXACT=_EXACT, TINY=_TINY)
    exec(compile("\n".join(lines), "<float formula>", "exec"), scope)  # noqa: S102 - built from the checked tree only
    return scope["formula"]  # type: ignore[no-any-return]


def _issue_order(issue: Issue) -> tuple[int, int, str]:
    """File-level issues first, then by row and column of the cell."""
    m = re.match(r"([A-Z]+)(\d+)$", issue.cell)
    if not m:
        return (0, 0, "")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return (1, int(m.group(2)), f"{col:05d}")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _label_text(raw: object) -> str:
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else str(raw)
    return str(raw).strip() if raw is not None else ""


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""
