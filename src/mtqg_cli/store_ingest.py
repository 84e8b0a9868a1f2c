"""Recording returns in the ledger: each original archived under its hash, then its submissions and figures
written, a group of returns in one transaction.

The promises (the ledger's, kept here): an original is archived and synced before its row is committed; a killed
ingest loses nothing and leaves nothing half-written; two ingests at once never duplicate a return; the same file
twice for a unit and period is recorded once; a corrected file is the unit's next version, in the files' order.
A group is written in set operations (one query for the versions its units have, one for the originals known, the
rows written together: straight to SQLite's driver, with ``COPY`` on PostgreSQL); on any conflict each record is
written again in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Issue, MtqgError, Severity
from .periods import Period, resolve_period, units_in_force
from .schema import Schema
from .store_results import IngestResult
from .store_upkeep import sha256_of
from .validate import FileResult, UnitRow

if TYPE_CHECKING:
    from .store import Store


# files recorded in one transaction: one commit, one sync of the archive and a few round trips per group (256
# rather than 64: 0.93 x the time of 1,000 returns on SQLite, 10,000 on PostgreSQL 5.3 s of recording -> 3.5 s)
INGEST_GROUP = 256


# after this many new returns, the database's statistics are brought up to date (PostgreSQL planned the first
# read after ingesting 10,000 returns without them: 43 s instead of 1.5 s)
ANALYZE_AFTER = 500


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    schema: Schema,
    period: str,
    received_at: dt.datetime | None = None,
    jobs: int = 0,
    progress: Callable[[Path], None] | None = None,
) -> list[IngestResult]:
    """Every workbook under ``paths`` checked in the worker processes (as ``validate``), then recorded in the
    files' order (a later file of a unit is its next version)."""
    from itertools import islice

    from .validate import collect_paths, validate_each

    files = collect_paths(paths)
    out: list[IngestResult] = []
    # archived where checked; synced with the group's one os.sync (a file's own fsync where there is none: an fsync
    # per file cost 1.73 s for 1,000 returns here, against 0.9 s with one sync per group)
    keeper = Keeper(store.archive_dir, sync=not hasattr(os, "sync"))
    each = validate_each(list(files), schema, jobs, keep=keeper)

    def checked() -> Iterator[tuple[Path, FileResult]]:
        for result in each:
            if progress is not None:  # as each file is checked: recording a group is the shorter part
                progress(result.path)
            yield result.path, result

    results = checked()
    try:
        with store.holding():  # one connection for every group
            while group := list(islice(results, INGEST_GROUP)):
                out.extend(ingest_group(store, group, schema, period, received_at))
            if sum(1 for r in out if r.status == "new") >= ANALYZE_AFTER:
                store.analyze()
    except MtqgError as exc:
        if exc.code != "store-lost":
            raise
        done = len({r.path for r in out})  # the groups committed before the database went
        raise MtqgError("store-lost", url=exc.params["url"], detail=exc.params["detail"], done=done) from exc
    finally:  # the database failed (or Ctrl-C): the workers end now, the files not begun are left
        each.close()
    return out


def ingest_checked(
    store: Store, path: Path, schema: Schema, period: str, received_at: dt.datetime | None, result: FileResult
) -> list[IngestResult]:
    """A workbook already checked (``result``) archived and synced first, then one transaction per unit it holds."""
    prepared = _prepare(store, path, schema, period, received_at, result, sync=True)
    return [_record(store, x) if isinstance(x, _Pending) else x for x in prepared]


def ingest_group(
    store: Store,
    checked: Iterable[tuple[Path, FileResult]],
    schema: Schema,
    period: str,
    received_at: dt.datetime | None = None,
) -> list[IngestResult]:
    """Record a group of checked workbooks (from :func:`validate_each`'s worker processes): each archived, the
    group's originals synced together (one ``os.sync``; each file's ``fsync`` where there is none), then all
    their submissions in one transaction; on any conflict (another ingest at the same moment, a lock) one
    transaction per record, as ``ingest`` does. In the files' order: a later file of a unit is its next
    version."""
    grouped = hasattr(os, "sync")
    prepared = [
        x for path, result in checked for x in _prepare(store, path, schema, period, received_at, result, not grouped)
    ]
    pending = [x for x in prepared if isinstance(x, _Pending)]
    if grouped and pending:  # every original of the group on disk before any of its rows is committed
        os.sync()
    done: dict[int, IngestResult] = {}
    try:
        with store.transaction() as conn:
            done = _record_group(store, conn, pending)
    except MtqgError:  # the ledger cannot be opened: nothing to try again
        raise
    except Exception as exc:  # noqa: BLE001 - a conflict or a lock: each record again in its own transaction
        _still_there(store, exc)
        done = {id(item): _record(store, item) for item in pending}
    return [done[id(x)] if isinstance(x, _Pending) else x for x in prepared]


def _record_group(store: Store, conn: Any, items: list[_Pending]) -> dict[int, IngestResult]:
    """The submissions of a group (one form, one period) within the transaction ``conn``, in set operations:
    one query for every version these units have of the period (the files recorded, the last numbers), one
    for the originals already known, then the new rows written together. The same rules as :meth:`_record_in`: the
    same file twice for a unit is recorded once; each new file of a unit is its next version, in order."""
    from sqlalchemy import select

    if not items:
        return {}
    s, f = store.submissions, store.files
    first = items[0].args()
    schema, period = first[4], first[5]
    units = sorted({item.args()[3] for item in items})
    shas = sorted({item.args()[1] for item in items})
    if store.is_sqlite is False:  # serialise writers of the same returns on PostgreSQL, always in one order
        keys = sorted(f"{schema.id}|{unit}|{period.code}" for unit in units)
        conn.exec_driver_sql(  # one round trip for the group's locks, taken in the keys' order
            "SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT unnest(%s::text[]) AS k ORDER BY 1) t",
            (keys,),
        )
    of = (s.c.schema_id == schema.id, s.c.period == period.code, s.c.unit.in_(units))
    # every version these units have of the period, in one round trip: the files recorded and the last numbers
    same: dict[tuple[str, str], tuple[int, bool]] = {}
    last: dict[str, int] = {}
    for unit, sha, version, accepted in conn.execute(
        select(s.c.unit, s.c.sha256, s.c.version, s.c.accepted).where(*of)
    ):
        same[(unit, sha)] = (version, bool(accepted))
        last[unit] = max(last.get(unit, 0), version)
    known = {r[0] for r in conn.execute(select(f.c.sha256).where(f.c.sha256.in_(shas)))}
    done: dict[int, IngestResult] = {}
    new_files, subs, figures_of = [], [], []
    for item in items:
        path, sha, size, unit, _, _, received, result = item.args()
        if (unit, sha) in same:
            version, accepted = same[(unit, sha)]
            done[id(item)] = IngestResult(path, unit, "duplicate", version, accepted, result)
            continue
        if sha not in known:
            known.add(sha)
            new_files.append({"sha256": sha, "size": size, "suffix": _suffix(path), "stored_at": _now()})
        rows = [r for r in result.rows if r.unit == unit]
        accepted = result.accepted and bool(rows)
        version = (last.get(unit) or 0) + 1
        last[unit] = version
        same[(unit, sha)] = (version, accepted)
        subs.append(_submission_row(schema.id, unit, period.code, version, path, sha, received, accepted, result))
        figures_of.append(rows)
        done[id(item)] = IngestResult(path, unit, "new", version, accepted, result)
    if new_files:
        _insert_many(store, conn, f, new_files)
    if subs:
        ids = _insert_numbered(store, conn, subs)
        figures = [fig for sub_id, rows in zip(ids, figures_of, strict=True) for fig in _figure_rows(sub_id, rows)]
        if figures:
            _insert_many(store, conn, store.figures, figures)
    return done


def _insert_numbered(store: Store, conn: Any, subs: list[dict[str, Any]]) -> list[int]:
    """Submissions written together, their ids returned in their order. PostgreSQL through psycopg: the ids
    drawn from the table's sequence first, then one ``COPY`` (an INSERT … RETURNING of a group was sent as a
    statement per row); elsewhere an INSERT … RETURNING sorted by the rows' order."""
    s = store.submissions
    if not _copies(store):
        return list(conn.execute(s.insert().returning(s.c.id, sort_by_parameter_order=True), subs).scalars())
    ids = [
        int(r[0])
        for r in conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('mtqg_submissions', 'id')) FROM generate_series(1, %s)",
            (len(subs),),
        )
    ]
    _insert_many(store, conn, s, [{"id": i} | row for i, row in zip(ids, subs, strict=True)])
    return ids


def _copies(store: Store) -> bool:
    """Whether rows are written with COPY (PostgreSQL through psycopg)."""
    return not store.is_sqlite and store.engine.dialect.driver == "psycopg"


def _insert_many(store: Store, conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Rows of plain values (numbers, text, None) written together, in the transaction ``conn``. SQLite:
    straight to the driver's ``executemany`` (SQLAlchemy's processing of each row's parameters was a fifth of
    recording a group of returns); PostgreSQL through psycopg: one ``COPY`` (its ``executemany`` sent each row
    as a statement: a third of an ingest); any other driver through SQLAlchemy."""
    cols = list(rows[0])
    names = ", ".join(f'"{c}"' for c in cols)
    values = [tuple(r[c] for c in cols) for r in rows]
    if store.is_sqlite:
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(cols))})", values)
    elif _copies(store):
        with (
            conn.connection.driver_connection.cursor() as cur,
            cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
    else:
        conn.execute(table.insert(), rows)


def _prepare(
    store: Store, p: Path, schema: Schema, period: str, received_at: dt.datetime | None, result: FileResult, sync: bool
) -> list[IngestResult | _Pending]:
    """A checked workbook archived (synced when ``sync``), as the submissions to record (one per unit it holds),
    or refused: not a readable workbook, or a unit that cannot be told (never archived nor recorded)."""
    per = resolve_period(schema, period)[0]
    received = received_at or dt.datetime.now().replace(microsecond=0)
    units = result.units
    if not units:
        from .units import UnitMatcher

        guess = UnitMatcher(schema.units).find_in_text(p.stem.replace("_", " ").replace("-", " "))
        units = [guess.code] if guess else []
    _check_in_force(result, schema, units, per)
    if not units or _not_kept(result):
        return [IngestResult(p, units[0] if units else "?", "refused", 0, False, result)]
    if result.kept is not None:  # archived where it was checked (see Keeper)
        sha, size = result.kept
        return [_Pending(p, sha, size, unit, schema, per, received, result) for unit in units]
    try:
        data = p.read_bytes()
    except OSError as exc:
        result.issues.append(Issue("path-unreadable", Severity.ERROR, str(p), params={"detail": exc.strerror}))
        return [IngestResult(p, units[0], "refused", 0, False, result)]
    sha = hashlib.sha256(data).hexdigest()
    _archive(store, data, sha, _suffix(p), sync)
    return [_Pending(p, sha, len(data), unit, schema, per, received, result) for unit in units]


def _archive(store: Store, data: bytes, sha: str, suffix: str, sync: bool = True) -> Path:
    """The original, stored under its hash (written to a temporary name, then renamed); ``sync=False`` when the
    caller syncs a group of them before committing their rows."""
    if store._made_dirs is None:
        store._made_dirs = set()
    return write_original(store.archive_dir, data, sha, suffix, sync, store._made_dirs)


def _statements(store: Store) -> dict[str, Any]:
    """The statements of recording a return, built once per ledger (building a statement costs more than
    running it on SQLite)."""
    if store._built is None:
        from sqlalchemy import bindparam, func, select

        s, f = store.submissions, store.files
        where = (
            s.c.schema_id == bindparam("schema_id"),
            s.c.unit == bindparam("unit"),
            s.c.period == bindparam("period"),
        )
        store._built = {
            "same": select(s.c.version, s.c.accepted).where(*where, s.c.sha256 == bindparam("sha256")),
            "file": select(f.c.sha256).where(f.c.sha256 == bindparam("sha256")),
            "add_file": f.insert(),
            "last": select(func.max(s.c.version)).where(*where),
            "add_submission": s.insert(),
        }
    return store._built


def _record(store: Store, item: _Pending) -> IngestResult:
    """One submission in its own transaction, retried while another writer holds the ledger."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    for attempt in range(50):
        try:
            with store.engine.begin() as conn:
                return _record_in(store, conn, item)
        except (IntegrityError, OperationalError) as exc:
            if attempt == 49:
                raise
            _still_there(store, exc)
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _still_there(store: Store, exc: Exception) -> None:
    """A database server that no longer answers (stopped, restarted, the network gone) ends the ingest at once,
    said as such (``store-lost``), instead of each record being tried again for a minute. A file database (SQLite)
    is always there: its errors are locks and conflicts, tried again."""
    if store.is_sqlite:
        return
    from sqlalchemy.exc import DBAPIError

    from .store import database_said, shown_url

    try:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except DBAPIError as gone:
        raise MtqgError("store-lost", url=shown_url(store.url), detail=database_said(gone), done=0) from exc


def _record_in(store: Store, conn: Any, item: _Pending) -> IngestResult:
    """One submission (its version, its figures) within the transaction ``conn``; the same file twice for the
    same unit and period is recorded once."""
    path, sha, size, unit, schema, period, received, result = item.args()
    q = _statements(store)
    rows = [r for r in result.rows if r.unit == unit]
    accepted = result.accepted and bool(rows)
    if store.is_sqlite is False:
        # serialise writers of the same return on PostgreSQL
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{schema.id}|{unit}|{period.code}",))
    key = {"schema_id": schema.id, "unit": unit, "period": period.code}
    same = conn.execute(q["same"], key | {"sha256": sha}).first()
    if same:
        return IngestResult(path, unit, "duplicate", same[0], bool(same[1]), result)
    if conn.execute(q["file"], {"sha256": sha}).first() is None:
        conn.execute(q["add_file"], {"sha256": sha, "size": size, "suffix": _suffix(path), "stored_at": _now()})
    version = (conn.execute(q["last"], key).scalar() or 0) + 1
    row = _submission_row(schema.id, unit, period.code, version, path, sha, received, accepted, result)
    inserted = conn.execute(q["add_submission"], row).inserted_primary_key
    assert inserted is not None  # an INSERT of one row always has its key
    figures = _figure_rows(inserted[0], rows)
    if figures:
        conn.execute(store.figures.insert(), figures)
    return IngestResult(path, unit, "new", version, accepted, result)


@dataclass
class _Pending:
    """A submission archived and waiting for its group's transaction."""

    path: Path
    sha: str
    size: int
    unit: str
    schema: Schema
    period: Period
    received: dt.datetime
    result: FileResult

    def args(self) -> tuple[Any, ...]:
        return (self.path, self.sha, self.size, self.unit, self.schema, self.period, self.received, self.result)


def _check_in_force(result: FileResult, schema: Schema, units: list[str], period: Period) -> None:
    """A return for a period from a unit that did not exist then (a district after 30/06/2025) is an error naming
    what the unit became: the returns of that period come from its successors."""
    from .country import country

    for code in units:
        unit = schema.unit_by_code.get(code)
        if unit is None or units_in_force([unit], period):
            continue
        level = unit.level or schema.reporting.level
        after = country().successors(unit.gso, level) if unit.gso else []
        names = ", ".join(u.name for u in after[:12]) + (f" (+{len(after) - 12})" if len(after) > 12 else "")
        params = {"unit": unit.name, "period": period.code, "successors": names or "—"}
        result.issues.append(Issue("unit-not-in-period", Severity.ERROR, str(result.path), params=params))


def _submission_row(
    schema_id: str,
    unit: str,
    period: str,
    version: int,
    path: Path,
    sha: str,
    received: dt.datetime,
    accepted: bool,
    result: FileResult,
) -> dict[str, Any]:
    """A submission's row: the workbook's name, hash, times, verdict and problems (in Vietnamese, with codes and
    parameters to say them in English)."""
    issues = json.dumps([i.to_dict("vi") | {"severity": str(i.severity)} for i in result.issues], ensure_ascii=False)
    return {
        "schema_id": schema_id,
        "unit": unit,
        "period": period,
        "version": version,
        "file_name": path.name,
        "sha256": sha,
        "received_at": received,
        "ingested_at": _now(),
        "accepted": accepted,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "issues": issues,
    }


def _figure_rows(submission_id: int, rows: list[UnitRow]) -> list[dict[str, Any]]:
    """A submission's figures, one row each (values kept as text: exact decimals)."""
    return [
        {
            "submission_id": submission_id,
            "line": row.line or "",
            "indicator": code,
            "value": None if value is None else str(value),
            "row": row.row,
        }
        for row in rows
        for code, value in row.values.items()
    ]


# files refused before anything is stored: not a readable workbook, or over a bound
_NOT_KEPT = ("file-", "path-unreadable", "reader-died", "internal-error")


def _not_kept(result: FileResult) -> bool:
    """A workbook the ledger does not keep: not read as a workbook at all (its problem is the file's, no cell's)."""
    return any(i.code.startswith(_NOT_KEPT) and not i.cell for i in result.issues)


_KNOWN_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}


def _suffix(path: Path) -> str:
    """The archived copy's suffix: the file's own when it is a spreadsheet's, else '.bin' (a column of 10)."""
    suffix = path.suffix.lower()
    return suffix if suffix in _KNOWN_SUFFIXES else ".bin"


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class Keeper:
    """The archiving of a checked workbook, done where it was checked (a worker process of ``ingest``, while the
    file is in the disk's cache), so that the main process only writes the rows: the original stored under its
    hash (synced here when the main process cannot sync a group at once), and (hash, size) returned. A file the
    ledger will not keep (no unit, unreadable) is left alone: None, and the main process decides."""

    archive_dir: Path
    sync: bool

    def __call__(self, path: Path, result: FileResult) -> tuple[str, int] | None:
        if not result.units or _not_kept(result):
            return None
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        write_original(self.archive_dir, data, sha, _suffix(path), self.sync)
        return sha, len(data)


def write_original(
    archive_dir: Path, data: bytes, sha: str, suffix: str, sync: bool, made: set[Path] | None = None
) -> Path:
    """An original stored under its hash in ``archive_dir`` (written to a temporary name, then renamed; synced when
    ``sync``); kept as it is when a copy with that hash is there already. ``made``: folders known to exist."""
    target = archive_dir / sha[:2] / f"{sha}{suffix}"
    if target.exists() and sha256_of(target) == sha:
        return target
    if made is None or target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        if sync:
            os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
