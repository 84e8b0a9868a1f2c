"""A batch of received workbooks: the files under the paths given, the form each holds, one process or several.

``validate_paths`` runs a batch and never stops at a bad file: an unreadable workbook, or a failure while
checking one, becomes an issue on that file. ``validate_file`` checks one workbook against one form.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Issue, Severity
from ..forms import list_schemas, load_schema
from ..locate import Table, columns_bound, header_words, locate_table, required_codes
from ..reading import SPREADSHEET_SUFFIXES, ReadError, Workbook, a1, probe_cells, read_workbook
from ..schema import Schema
from . import checks
from .plan import plan_for
from .results import NO_FIGURES, FileResult, Report
from .rows import LongReader, Reader, issue_order


class Collected(list[Path]):
    """The files of a batch as :func:`collect_paths` found them: given again, they are taken as they are.
    ``skipped``: what was passed over and why ('hidden', 'lock-file'); ``unreadable``: a folder that could not be
    listed or a link that leads nowhere, with the reason (each becomes an error of the batch)."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped: list[tuple[Path, str]] = []
        self.unreadable: list[tuple[Path, str]] = []


def collect_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the spreadsheets inside folders (recursively, sorted). Office lock files and hidden
    files are passed over and listed (``Collected.skipped``); a folder that cannot be read, a link to nothing and
    a loop of links are listed too (``Collected.unreadable``): nothing is left out without a word."""
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
            folder = stack.pop()
            try:
                with os.scandir(folder) as entries:
                    listed = list(entries)
            except OSError as exc:
                unique.unreadable.append((Path(folder), exc.strerror or type(exc).__name__))
                continue
            for e in listed:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    continue
                if os.path.splitext(e.name)[1].lower() not in COLLECTED_SUFFIXES:
                    continue
                if e.name.startswith(("~$", ".~lock")):
                    unique.skipped.append((Path(e.path), "lock-file"))
                elif e.name.startswith("."):
                    unique.skipped.append((Path(e.path), "hidden"))
                else:
                    try:
                        is_file = e.is_file()
                    except OSError as exc:  # a loop of links
                        unique.unreadable.append((Path(e.path), exc.strerror or type(exc).__name__))
                        continue
                    if is_file:
                        found.append(e.path)
                    elif e.is_symlink():  # a link to nothing, or to a folder (links to folders are not followed)
                        gone = not os.path.exists(e.path)
                        unique.unreadable.append((Path(e.path), "broken link" if gone else "link"))
        found.sort()
        # every path found here is the folder's path and a name: the folder is made absolute once, not per file
        base = os.path.abspath(root)
        for f in found:
            add(Path(f), os.path.normcase(os.path.join(base, f[len(root) :].lstrip(os.sep + (os.altsep or "")))))
    return unique


#: what a folder is searched for: the spreadsheets mtqg reads, and .xlsb, read only to be refused by name
COLLECTED_SUFFIXES = SPREADSHEET_SUFFIXES | {".xlsb"}


def best_schema(workbook: Workbook, schemas: list[Schema]) -> Schema | None:
    """The schema whose table the workbook holds best (most indicator columns found; the first listed on a tie), or
    None. Each form's score is bounded first from the words of the sheets' header rows (:func:`columns_bound`): the
    forms are tried best bound first, and once no bound left can beat the best score found, the rest are not
    worked out (the same choice as trying them all, without locating a table for every form in every file)."""
    words = header_words(workbook)
    bounds = []
    for n, s in enumerate(schemas):
        most = columns_bound(s, words)
        # fewer than half the columns, and fewer than it requires: never located (locate.enough_columns)
        if most * 2 >= len(s.indicators) or most >= len(required_codes(s)) > 0:
            bounds.append(((most * 100) // len(s.indicators), -n, s))
    bounds.sort(key=lambda b: (b[0], b[1]), reverse=True)
    best: tuple[int, int, Schema] | None = None
    tied: list[tuple[int, Schema, Table]] = []  # forms whose table the workbook holds equally well (same headings)
    for bound, order, s in bounds:
        if best is not None and bound < best[0]:
            break  # this form and every one after it score at most their bound: none can win or tie
        table = locate_table(workbook, s)
        if table is None:
            continue
        score = (table.score * 100) // len(s.indicators)  # share of the form's columns found
        if best is None or score > best[0]:
            best, tied = (score, order, s), [(order, s, table)]
        elif score == best[0]:
            tied.append((order, s, table))
    if best is None:
        return None
    if len(tied) > 1:  # two forms with the same headings (two provinces' commune forms): the one whose units it names
        title = _title_text(workbook)  # folded once, asked of every tied form
        return max(tied, key=lambda t: (_units_named(workbook, t[1], t[2], title), t[0]))[1]  # then the first listed
    return best[2]


def _title_text(workbook: Workbook) -> str:
    """The folded text of the sheets' first rows (title blocks)."""
    from ..text import fold

    return " ".join(fold(v) for sheet in workbook.sheets for row in sheet.rows[:12] for v in row if isinstance(v, str))


def _units_named(workbook: Workbook, schema: Schema, table: Table, title: str | None = None) -> tuple[int, int, int]:
    """Between forms with the same columns: whether the table's unit column is headed as the form heads it ('Xã,
    phường' or 'Huyện, thành phố'), how many rows name one of the form's units exactly and at its level (a long
    form: whether its title names the unit), and how many of the form's own words (its province, its plan) the
    workbook's first rows mention."""
    from ..text import fold
    from ..units import level_of

    unit_col = table.unit_col
    heading = " ".join(
        fold(row[unit_col])
        for row in table.sheet.rows[table.header_top : table.header_bottom + 1]
        if unit_col < len(row)
    )
    headed = int(any(phrase and phrase in heading for phrase in schema.unit_column_phrases))
    matcher = plan_for(schema).matcher
    level = schema.reporting.level
    named = 0
    if schema.is_long:
        named = int(any(matcher.find_in_text(v) for r in table.sheet.rows[: table.header_top] for v in r if v))
    else:
        for row in table.sheet.rows[table.data_start : table.data_start + 500]:
            label = row[unit_col] if unit_col < len(row) else ""
            if label and level_of(label) in (None, level) and matcher.exact(label) is not None:
                named += 1
    text = _title_text(workbook) if title is None else title
    said = sum(1 for phrase in (schema.province, schema.source.document) if phrase and fold(phrase) in text)
    return headed, named, said


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
        # a file holding no known form stays without one: it is not counted under the form most files hold
    for form in {r.schema_id for r in results if r.schema_id}:
        names = next(({u.code: u.name for u in sc.units} for sc in schemas if sc.id == form), {})
        _check_duplicates([r for r in results if r.schema_id == form], names)
    if isinstance(files, Collected):
        for path, reason in files.unreadable:  # a unit's return may be behind it: an error the officer sees
            issue = Issue("path-unreadable", Severity.ERROR, str(path), params={"detail": reason})
            results.append(FileResult(path, "", issues=[issue]))
        skipped = [{"file": str(p), "reason": reason} for p, reason in files.skipped]
    else:
        skipped = []
    return Report(schema, results, skipped=skipped)


def validate_each(
    files: list[Path],
    schema: Schema,
    jobs: int = 0,
    progress: Callable[[Path], None] | None = None,
    keep: Callable[[Path, FileResult], Any] | None = None,
) -> Generator[FileResult, None, None]:
    """Each file checked against ``schema`` on its own (the worker processes ``validate`` uses), in the files'
    order, without the checks across files (a unit in two files): for ``ingest``, where a second file of a unit
    is its next version. ``keep(path, result)``, a picklable callable, runs where the file was checked, right after
    (the ledger archives the original there, while the file is in the disk's cache); what it returns is the result's
    ``kept``, None if it fails."""
    yield from _run(list(files), [schema], jobs, progress, True, keep)


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
    keep: Callable[[Path, FileResult], Any] | None = None,
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
        yield from _run_batch(files, schemas, jobs, progress, figures, keep)
    finally:
        if freeze:
            gc.unfreeze()


def _run_batch(
    files: list[Path],
    schemas: list[Schema],
    jobs: int,
    progress: Callable[[Path], None] | None,
    figures: bool,
    keep: Callable[[Path, FileResult], Any] | None = None,
) -> Iterator[FileResult]:
    import os

    def here(paths: list[Path]) -> Iterator[FileResult]:  # files read in this process
        for path in paths:
            yield _kept(_safe_one(path, schemas, figures), path, keep)
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
        plan_for(s)
    while done < len(files):
        rest = files[done:]
        chunk = max(1, min(64, len(rest) // (workers * 8)))
        try:
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(schemas, figures, keep)) as pool:
                # paths cross as text, and each result comes back without its path: the one in ``files`` is put back
                for path, result in zip(rest, pool.map(_worker, map(str, rest), chunksize=chunk), strict=True):
                    result.path = path
                    done += 1
                    yield result
                    if progress:
                        progress(result.path)
        except BrokenProcessPool:
            # A worker died (not a Python error: those are caught per file). The file that killed it is among those
            # handed out and not yet back: each of them is read again in a process of its own, the one that dies
            # there is reported, and the batch goes on in a new pool.
            suspects = files[done : done + workers * chunk * 2 + workers]
            for path in suspects:
                result = _isolated(path, schemas, figures, keep)
                done += 1
                yield result
                if progress:
                    progress(path)


def _isolated(
    path: Path, schemas: list[Schema], figures: bool, keep: Callable[[Path, FileResult], Any] | None = None
) -> FileResult:
    """One file read in a process of its own: its result, or an error saying the reader died on it."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(schemas, figures, keep)) as pool:
            result = pool.submit(_worker, str(path)).result()
            result.path = path
            return result
    except BrokenProcessPool:
        result = FileResult(path, schemas[0].id if len(schemas) == 1 else "")
        result.issues.append(Issue("reader-died", Severity.ERROR, str(path)))
        return result


_WORKER_SCHEMAS: list[Schema] = []
_WORKER_FIGURES = [True]
_WORKER_KEEP: list[Callable[[Path, FileResult], Any] | None] = [None]


def _init_worker(
    schemas: list[Schema], figures: bool = True, keep: Callable[[Path, FileResult], Any] | None = None
) -> None:
    import gc

    # What the worker inherited or was given (the forms, thousands of units, the imported libraries) lives as long as
    # the worker: kept out of the garbage collector's scans, which would otherwise walk it again and again.
    gc.freeze()
    _WORKER_SCHEMAS[:] = schemas
    _WORKER_FIGURES[0] = figures
    _WORKER_KEEP[0] = keep


def _worker(path: str) -> FileResult:
    result = _kept(_safe_one(Path(path), _WORKER_SCHEMAS, _WORKER_FIGURES[0]), Path(path), _WORKER_KEEP[0])
    result.path = None  # type: ignore[assignment]  # not sent back: the main process has it (see _run)
    return result


def _kept(result: FileResult, path: Path, keep: Callable[[Path, FileResult], Any] | None) -> FileResult:
    """``keep``'s answer for the file (see :func:`validate_each`) on the result; None when it fails: the caller
    then does the work itself."""
    if keep is not None:
        try:
            result.kept = keep(path, result)
        except Exception:  # noqa: BLE001 - the caller falls back to doing it itself
            result.kept = None
    return result


def _safe_one(path: Path, schemas: list[Schema], figures: bool = True) -> FileResult:
    """One file, whatever happens: an unexpected failure becomes an issue on that file, never the batch's end."""
    try:
        result = _validate_one(path, schemas)
        if not figures:
            for row in result.rows:
                row.values = NO_FIGURES
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
    """A unit in several files: each later file gets an error naming the first (by file name: the office's own
    folders never go into a copy sent back to a unit); the first file gets one error per unit naming the others
    (the first few, and how many more), not one per copy."""
    first: dict[str, FileResult] = {}
    later: dict[tuple[int, str], list[FileResult]] = {}

    def shown(a: FileResult, unit: str) -> str:
        row = next(r for r in a.rows if r.unit == unit)
        # a wide form's row names its unit as the unit wrote it; a long form's row names a line
        return row.label if row.line is None else (names or {}).get(unit, unit)

    def add(a: FileResult, unit: str, other: str) -> None:
        params = {"unit": shown(a, unit), "other": other}
        a.issues.append(Issue("unit-duplicate-file", Severity.ERROR, str(a.path), a.sheet, "", params))

    for res in results:
        for unit in dict.fromkeys(res.units):
            if unit in first:
                add(res, unit, Path(first[unit].path).name)
                later.setdefault((id(first[unit]), unit), []).append(res)
            else:
                first[unit] = res
    for unit, res in first.items():
        copies = later.get((id(res), unit))
        if copies:
            listed = ", ".join(Path(c.path).name for c in copies[:5])
            add(res, unit, listed + (f" (+{len(copies) - 5})" if len(copies) > 5 else ""))


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
    if workbook.cleaned:
        result.issues.append(
            Issue("text-control-characters", Severity.WARNING, where, table.sheet.name, "", {"count": workbook.cleaned})
        )
    if workbook.legacy_encoding:
        result.issues.append(
            Issue(
                "legacy-encoding", Severity.WARNING, where, table.sheet.name, "", {"encoding": workbook.legacy_encoding}
            )
        )
    for code in table.missing:
        ind = schema.indicator_by_code[code]
        level = Severity.ERROR if ind.required else Severity.WARNING  # an optional column left out: said, not refused
        result.issues.append(Issue("column-missing", level, where, table.sheet.name, "", {"label": ind.label}))
    reader = (LongReader if schema.is_long else Reader)(schema, table, result)
    totals = reader.run()
    if totals is not None:
        checks.check_rules(reader, totals)
        result.issues.sort(key=issue_order)
    hidden = workbook.hidden_rows(table.sheet.name)
    if hidden:
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
