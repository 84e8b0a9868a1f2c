"""The submission ledger: every workbook received, by form, unit and period, never lost.

Files are archived under their SHA-256 (written to a temporary name, flushed, then moved into place: never half a
file), then recorded in one database transaction: the submission (unit, period, form, file name, hash, received
time, validation result) and every figure read. A database is SQLite in the working folder by default
(``.mtqg/``), or a PostgreSQL server given by URL (``postgresql+psycopg://...``); both go through SQLAlchemy 2.
The same file sent twice is recorded once; a corrected file becomes a new version; the latest accepted version of a
unit's return counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from .errors import Issue, MtqgError, Severity
from .periods import Period, deadline, parse_period, resolve_period, units_in_force
from .schema import Schema
from .store_results import IngestResult, Status, UnitStatus
from .store_upkeep import Exported, check, export, sha256_of
from .validate import FileResult, Report, UnitRow, validate_file

_R = TypeVar("_R")

SCHEMA_VERSION = 3


def default_location() -> str:
    return os.environ.get("MTQG_STORE") or str(Path.cwd() / ".mtqg")


# what exists once the database is open (see Store.__getattr__)
_OPENED_ON_USE = frozenset(
    {"engine", "meta", "files", "submissions", "figures", "by_period", "period_sums", "metadata"}
)


class Store:
    """A ledger at a folder (SQLite + archive) or a database URL (with an archive folder)."""

    _built: dict[str, Any] | None = None  # the statements of recording, built on first use
    _made_dirs: set[Path] | None = None  # archive folders known to exist
    _hold: int | None = None  # within holding(): the thread whose transactions share one connection, _held
    _held: Any = None

    def __init__(self, location: str | Path | None = None, archive: str | Path | None = None) -> None:
        """The ledger's place; its database is opened on first use (:meth:`__getattr__`)."""
        loc = str(location or default_location())
        if "://" in loc:
            url = loc
            default_archive = Path(os.environ.get("MTQG_ARCHIVE") or Path.cwd() / ".mtqg" / "archive")
        else:
            base = Path(loc)
            base.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{base / 'store.sqlite3'}"
            default_archive = base / "archive"
        self.archive_dir = Path(archive) if archive else default_archive
        self._reads: dict[tuple[str, str, str], Any] | None = None  # see reading()
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.is_sqlite = url.startswith("sqlite")

    def __getattr__(self, name: str) -> Any:
        """The database, its tables and engine, opened on the first use of one of them: importing SQLAlchemy and
        reading the ledger's version take 0.2 s, which ``ingest`` spends while its workers check the first files."""
        if name not in _OPENED_ON_USE or self.__dict__.get("_opening"):
            raise AttributeError(name)
        failed = self.__dict__.get("_failed")
        if failed is not None:  # it could not be opened: said again, not tried again on every use
            raise failed
        self._opening = True
        try:
            self._open()
        except MtqgError as exc:
            for opened in _OPENED_ON_USE:
                self.__dict__.pop(opened, None)
            self._failed = exc
            raise
        finally:
            self._opening = False
        return self.__dict__[name]

    def _open(self) -> None:
        from sqlalchemy import create_engine, event
        from sqlalchemy.pool import NullPool

        url = self.url

        # no pool: a command opens a connection, uses it and closes it; nothing is left open behind it (an ingest
        # holds one for its groups: see holding())
        kwargs: dict[str, Any] = {"poolclass": NullPool}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": 120}
        try:
            self.engine = create_engine(url, **kwargs)
        except Exception as exc:
            raise MtqgError("store-cannot-open", url=_shown(url), detail=exc) from exc
        if self.is_sqlite:

            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None  # transactions are begun explicitly below
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn: Any) -> None:
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # one writer at a time: no lost version numbers

        self._tables()
        from sqlalchemy.exc import OperationalError

        for attempt in range(100):
            try:
                self.migrate()
                break
            except OperationalError as exc:
                # SQLite: another process is turning on its journal or creating the tables at this very moment
                if not self.is_sqlite or attempt == 99:
                    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                    raise MtqgError("store-unreachable", url=_shown(url), detail=detail) from exc
                time.sleep(0.02 * (attempt + 1))

    # -- schema and migrations

    def _tables(self) -> None:
        from sqlalchemy import (
            Boolean,
            Column,
            DateTime,
            ForeignKey,
            Integer,
            MetaData,
            String,
            Table,
            Text,
            UniqueConstraint,
        )

        md = MetaData()
        self.meta = Table("mtqg_meta", md, Column("key", String(50), primary_key=True), Column("value", String(200)))
        self.files = Table(
            "mtqg_files",
            md,
            Column("sha256", String(64), primary_key=True),
            Column("size", Integer, nullable=False),
            Column("suffix", String(10), nullable=False),
            Column("stored_at", DateTime, nullable=False),
        )
        self.submissions = Table(
            "mtqg_submissions",
            md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("schema_id", String(100), nullable=False),
            Column("unit", String(100), nullable=False),
            Column("period", String(20), nullable=False),
            Column("version", Integer, nullable=False),
            Column("file_name", String(500), nullable=False),
            Column("sha256", String(64), ForeignKey("mtqg_files.sha256"), nullable=False),
            Column("received_at", DateTime, nullable=False),
            Column("ingested_at", DateTime, nullable=False),
            Column("accepted", Boolean, nullable=False),
            Column("errors", Integer, nullable=False),
            Column("warnings", Integer, nullable=False),
            Column("issues", Text, nullable=False),
            UniqueConstraint("schema_id", "unit", "period", "version", name="uq_version"),
            UniqueConstraint("schema_id", "unit", "period", "sha256", name="uq_same_file"),
        )
        from sqlalchemy import Index

        # a period's returns of a form, read in one query (status, totals, the report from the ledger)
        self.by_period = Index(
            "ix_form_period", self.submissions.c.schema_id, self.submissions.c.period, self.submissions.c.unit
        )
        self.figures = Table(
            "mtqg_figures",
            md,
            Column("submission_id", Integer, ForeignKey("mtqg_submissions.id"), primary_key=True),
            Column("line", String(100), primary_key=True),
            Column("indicator", String(100), primary_key=True),
            Column("value", String(60)),
            Column("row", Integer),
        )
        from .store_totals import totals_table

        self.period_sums = totals_table(md)  # each period's totals, remembered (see store_totals)
        self.metadata = md

    def migrate(self) -> None:
        """Bring the database to SCHEMA_VERSION, one numbered step at a time; a database already there is only
        read (no write transaction, no lock: every command opens the ledger)."""
        from sqlalchemy import select
        from sqlalchemy.exc import DBAPIError

        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(self.meta.c.value).where(self.meta.c.key == "schema_version")).first()
            if row is not None and int(row[0]) >= SCHEMA_VERSION:
                return
        except DBAPIError:
            pass  # no tables yet: made below
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                # two first runs at once must not both create the tables: PostgreSQL's DDL is transactional, so the
                # second waits here and then finds them (SQLite's BEGIN IMMEDIATE already serialises writers)
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('mtqg-migrate'))")
            self.meta.create(conn, checkfirst=True)
            row = conn.execute(select(self.meta.c.value).where(self.meta.c.key == "schema_version")).first()
            current = int(row[0]) if row else 0
            for version in range(current + 1, SCHEMA_VERSION + 1):
                _MIGRATIONS[version](self, conn)
                if current == 0 and version == 1:
                    conn.execute(self.meta.insert().values(key="schema_version", value=str(version)))
                else:
                    conn.execute(
                        self.meta.update().where(self.meta.c.key == "schema_version").values(value=str(version))
                    )

    # -- ingesting

    def ingest(
        self, path: str | Path, schema: Schema, period: str, received_at: dt.datetime | None = None
    ) -> list[IngestResult]:
        """Validate one workbook and record it (one submission per unit it holds). Never raises for bad data."""
        p = Path(path)
        result = validate_file(p, schema)  # the same bounds as validate: nothing is read past them
        return self.ingest_checked(p, schema, period, received_at, result)

    def ingest_checked(
        self,
        path: str | Path,
        schema: Schema,
        period: str,
        received_at: dt.datetime | None,
        result: FileResult,
    ) -> list[IngestResult]:
        """Record a workbook already checked (``result``): archived and synced first, then one transaction per
        unit it holds."""
        prepared = self._prepare(Path(path), schema, period, received_at, result, sync=True)
        return [self._record(x) if isinstance(x, _Pending) else x for x in prepared]

    @contextmanager
    def holding(self) -> Iterator[None]:
        """One connection for a piece of work in this thread (an ingest's groups, each in its own transaction on
        it; a report's reads), opened on first use and closed at the end: a connection to a database server costs
        8 ms to open. Other threads using the same Store (the web application's) keep their own connections."""
        if self._hold is not None:  # already within one: the outer one closes it
            yield
            return
        self._hold = threading.get_ident()
        try:
            yield
        finally:
            self._hold = None
            held, self._held = self._held, None
            if held is not None:
                held.close()

    def _holding_here(self) -> Any:
        """The held connection when this thread holds one (opened now if need be), else None."""
        if self._hold != threading.get_ident():
            return None
        if self._held is None:
            self._held = self.engine.connect()
        return self._held

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection to read with: the held one (see holding(), reading()), its transaction ended after the
        read, else one of its own."""
        held = self._holding_here()
        if held is None:
            with self.engine.connect() as conn:
                yield conn
            return
        try:
            yield held
        finally:
            held.rollback()  # a read's transaction ends here: no lock is kept between reads

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A transaction: on the held connection (see holding()), else on a connection of its own."""
        held = self._holding_here()
        if held is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with held.begin():
            yield held

    def ingest_group(
        self,
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
            x for path, result in checked for x in self._prepare(path, schema, period, received_at, result, not grouped)
        ]
        pending = [x for x in prepared if isinstance(x, _Pending)]
        if grouped and pending:  # every original of the group on disk before any of its rows is committed
            os.sync()
        done: dict[int, IngestResult] = {}
        try:
            with self.transaction() as conn:
                done = self._record_group(conn, pending)
        except MtqgError:  # the ledger cannot be opened: nothing to try again
            raise
        except Exception:  # noqa: BLE001 - a conflict or a lock: each record again in its own transaction
            done = {id(item): self._record(item) for item in pending}
        return [done[id(x)] if isinstance(x, _Pending) else x for x in prepared]

    def _record_group(self, conn: Any, items: list[_Pending]) -> dict[int, IngestResult]:
        """The submissions of a group (one form, one period) within the transaction ``conn``, in set operations:
        one query for every version these units have of the period (the files recorded, the last numbers), one
        for the originals already known, then the new rows written together. The same rules as :meth:`_record_in`: the
        same file twice for a unit is recorded once; each new file of a unit is its next version, in order."""
        from sqlalchemy import select

        if not items:
            return {}
        s, f = self.submissions, self.files
        first = items[0].args()
        schema, period = first[4], first[5]
        units = sorted({item.args()[3] for item in items})
        shas = sorted({item.args()[1] for item in items})
        if self.is_sqlite is False:  # serialise writers of the same returns on PostgreSQL, always in one order
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
            self._insert_many(conn, f, new_files)
        if subs:
            ids = self._insert_numbered(conn, subs)
            figures = [fig for sub_id, rows in zip(ids, figures_of, strict=True) for fig in _figure_rows(sub_id, rows)]
            if figures:
                self._insert_many(conn, self.figures, figures)
        return done

    def _insert_numbered(self, conn: Any, subs: list[dict[str, Any]]) -> list[int]:
        """Submissions written together, their ids returned in their order. PostgreSQL through psycopg: the ids
        drawn from the table's sequence first, then one ``COPY`` (an INSERT … RETURNING of a group was sent as a
        statement per row); elsewhere an INSERT … RETURNING sorted by the rows' order."""
        s = self.submissions
        if not self._copies():
            return list(conn.execute(s.insert().returning(s.c.id, sort_by_parameter_order=True), subs).scalars())
        ids = [
            int(r[0])
            for r in conn.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence('mtqg_submissions', 'id')) FROM generate_series(1, %s)",
                (len(subs),),
            )
        ]
        self._insert_many(conn, s, [{"id": i} | row for i, row in zip(ids, subs, strict=True)])
        return ids

    def _copies(self) -> bool:
        """Whether rows are written with COPY (PostgreSQL through psycopg)."""
        return not self.is_sqlite and self.engine.dialect.driver == "psycopg"

    def _insert_many(self, conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        """Rows of plain values (numbers, text, None) written together, in the transaction ``conn``. SQLite:
        straight to the driver's ``executemany`` (SQLAlchemy's processing of each row's parameters was a fifth of
        recording a group of returns); PostgreSQL through psycopg: one ``COPY`` (its ``executemany`` sent each row
        as a statement: a third of an ingest); any other driver through SQLAlchemy."""
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)
        values = [tuple(r[c] for c in cols) for r in rows]
        if self.is_sqlite:
            conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(cols))})", values)
        elif self._copies():
            with (
                conn.connection.driver_connection.cursor() as cur,
                cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
            ):
                for row in values:
                    copy.write_row(row)
        else:
            conn.execute(table.insert(), rows)

    def _prepare(
        self, p: Path, schema: Schema, period: str, received_at: dt.datetime | None, result: FileResult, sync: bool
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
        self._archive(data, sha, _suffix(p), sync)
        return [_Pending(p, sha, len(data), unit, schema, per, received, result) for unit in units]

    def _archive(self, data: bytes, sha: str, suffix: str, sync: bool = True) -> Path:
        """The original, stored under its hash (written to a temporary name, then renamed); ``sync=False`` when the
        caller syncs a group of them before committing their rows."""
        if self._made_dirs is None:
            self._made_dirs = set()
        return write_original(self.archive_dir, data, sha, suffix, sync, self._made_dirs)

    def archive_path(self, sha: str, suffix: str) -> Path:
        return self.archive_dir / sha[:2] / f"{sha}{suffix}"

    def _statements(self) -> dict[str, Any]:
        """The statements of recording a return, built once per ledger (building a statement costs more than
        running it on SQLite)."""
        if self._built is None:
            from sqlalchemy import bindparam, func, select

            s, f = self.submissions, self.files
            where = (
                s.c.schema_id == bindparam("schema_id"),
                s.c.unit == bindparam("unit"),
                s.c.period == bindparam("period"),
            )
            self._built = {
                "same": select(s.c.version, s.c.accepted).where(*where, s.c.sha256 == bindparam("sha256")),
                "file": select(f.c.sha256).where(f.c.sha256 == bindparam("sha256")),
                "add_file": f.insert(),
                "last": select(func.max(s.c.version)).where(*where),
                "add_submission": s.insert(),
            }
        return self._built

    def _record(self, item: _Pending) -> IngestResult:
        """One submission in its own transaction, retried while another writer holds the ledger."""
        from sqlalchemy.exc import IntegrityError, OperationalError

        for attempt in range(50):
            try:
                with self.engine.begin() as conn:
                    return self._record_in(conn, item)
            except (IntegrityError, OperationalError):
                if attempt == 49:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _record_in(self, conn: Any, item: _Pending) -> IngestResult:
        """One submission (its version, its figures) within the transaction ``conn``; the same file twice for the
        same unit and period is recorded once."""
        path, sha, size, unit, schema, period, received, result = item.args()
        q = self._statements()
        rows = [r for r in result.rows if r.unit == unit]
        accepted = result.accepted and bool(rows)
        if self.is_sqlite is False:
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
            conn.execute(self.figures.insert(), figures)
        return IngestResult(path, unit, "new", version, accepted, result)

    # -- reading

    def submissions_for(self, schema_id: str, period: str | None = None, unit: str | None = None) -> list[Any]:
        from sqlalchemy import select

        s = self.submissions
        q = select(s).where(s.c.schema_id == schema_id)
        if period:
            q = q.where(s.c.period == period)
        if unit:
            q = q.where(s.c.unit == unit)
        with self.connection() as conn:
            return list(conn.execute(q.order_by(s.c.unit, s.c.period, s.c.version)))

    def original_of(self, sub: Any) -> Path | None:
        """The archived original of a submission row (its hash and the suffix recorded with it), None if absent."""
        from sqlalchemy import select

        with self.connection() as conn:
            suffix = conn.execute(select(self.files.c.suffix).where(self.files.c.sha256 == sub.sha256)).scalar()
        path = self.archive_path(sub.sha256, suffix) if suffix is not None else None
        return path if path is not None and path.exists() else None

    def figures_of(self, submission_id: int) -> dict[tuple[str, str], Decimal | None]:
        from sqlalchemy import select

        f = self.figures
        with self.connection() as conn:
            rows = conn.execute(select(f.c.line, f.c.indicator, f.c.value).where(f.c.submission_id == submission_id))
            return {(r[0], r[1]): (None if r[2] is None else Decimal(r[2])) for r in rows}

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One piece of reading work (a report with its extras and status): each period's latest returns and their
        figures read once, however many parts of the work ask for them; forgotten when the work ends, so a
        long-lived ledger (the web application's) never answers from an old read."""
        self._reads = {}
        try:
            with self.holding():  # and one connection for all of it
                yield
        finally:
            self._reads = None

    def _once(self, key: tuple[str, str, str], read: Callable[[], _R]) -> _R:
        if self._reads is None:
            return read()
        if key not in self._reads:
            self._reads[key] = read()
        return self._reads[key]

    def latest_accepted(self, schema_id: str, period: str) -> dict[str, Any]:
        """unit -> the submission row that counts (the latest accepted version): one query, whatever the number
        of units."""
        return self._once(("accepted", schema_id, period), lambda: self._latest_accepted(schema_id, period))

    def _latest_accepted(self, schema_id: str, period: str) -> dict[str, Any]:
        from sqlalchemy import select

        s = self.submissions
        q = select(s).join(*self._counting(schema_id, period)).where(*self._of(schema_id, period)).order_by(s.c.unit)
        with self.connection() as conn:
            return {row.unit: row for row in conn.execute(q)}

    def _of(self, schema_id: str, period: str) -> tuple[Any, ...]:
        s = self.submissions
        return (s.c.schema_id == schema_id, s.c.period == period)

    def _counting(self, schema_id: str, period: str) -> tuple[Any, Any]:
        """The join to the versions that count (each unit's latest accepted one): (subquery, on clause)."""
        from sqlalchemy import and_, func, select

        s = self.submissions
        latest = (
            select(s.c.unit, func.max(s.c.version).label("version"))
            .where(*self._of(schema_id, period), s.c.accepted.is_(True))
            .group_by(s.c.unit)
            .subquery()
        )
        return latest, and_(s.c.unit == latest.c.unit, s.c.version == latest.c.version)

    def latest_figures(self, schema_id: str, period: str) -> dict[int, dict[tuple[str, str], Decimal | None]]:
        """submission id -> its figures, for the latest accepted version of every unit: one query (the figures
        joined to the versions that count), not one per unit."""
        return self._once(("figures", schema_id, period), lambda: self._latest_figures(schema_id, period))

    def _latest_figures(self, schema_id: str, period: str) -> dict[int, dict[tuple[str, str], Decimal | None]]:
        from sqlalchemy import select

        s, f = self.submissions, self.figures
        q = (
            select(f.c.submission_id, f.c.line, f.c.indicator, f.c.value)
            .join(s, s.c.id == f.c.submission_id)
            .join(*self._counting(schema_id, period))
            .where(*self._of(schema_id, period))
        )
        out: dict[int, dict[tuple[str, str], Decimal | None]] = {}
        with self.connection() as conn:
            for sub_id, line, code, value in conn.execute(q):
                out.setdefault(sub_id, {})[(line, code)] = None if value is None else Decimal(value)
        return out

    def periods(self, schema_id: str) -> list[str]:
        """The periods a form has returns for (one query, the distinct periods only)."""
        from sqlalchemy import select

        s = self.submissions
        with self.connection() as conn:
            codes = [r[0] for r in conn.execute(select(s.c.period).where(s.c.schema_id == schema_id).distinct())]
        return sorted(codes, key=lambda c: parse_period(c).start)

    def report(self, schema: Schema, period: str) -> Report:
        """A validation report rebuilt from the ledger: the latest accepted return of each unit for the period."""
        results = []
        code = resolve_period(schema, period)[0].code
        every = self.latest_figures(schema.id, code)
        for unit, sub in sorted(self.latest_accepted(schema.id, code).items()):
            figures = every.get(sub.id, {})
            by_line: dict[str, dict[str, Decimal | None]] = {}
            for (line, code), value in figures.items():
                by_line.setdefault(line, {})[code] = value
            rows = [
                UnitRow(
                    unit,
                    schema.unit_by_code[unit].name if unit in schema.unit_by_code else unit,
                    0,
                    values,
                    line=line or None,
                )
                for line, values in by_line.items()
            ]
            if schema.is_long:
                order = {line.code: i for i, line in enumerate(schema.lines)}
                rows.sort(key=lambda r: order.get(r.line or "", 0))
            results.append(FileResult(Path(f"{sub.file_name} (v{sub.version})"), schema.id, "", rows, []))
        report = Report(schema, results)
        report.period = resolve_period(schema, period)[0]
        return report

    def status(self, schema: Schema, period: str) -> Status:
        per, kind = resolve_period(schema, period)
        due = deadline(per, kind.deadline)
        st = Status(schema, per, due, kind)
        by_unit: dict[str, list[Any]] = {}
        for sub in self.submissions_for(schema.id, per.code):  # one query; grouped once, not scanned per unit
            by_unit.setdefault(sub.unit, []).append(sub)
        for unit in units_in_force(schema.units, per):
            mine = by_unit.get(unit.code, [])
            accepted = [s for s in mine if s.accepted]
            if accepted:
                first_ok = accepted[0]  # the first accepted version says when the unit reported
                latest = accepted[-1]
                late = (first_ok.received_at.date() - due).days if due else 0
                state = "late" if late > 0 else "on-time"
                st.units.append(
                    UnitStatus(
                        unit.code,
                        unit.name,
                        state,
                        max(late, 0),
                        latest.version,
                        first_ok.received_at,
                        latest.file_name,
                    )
                )
            elif mine:
                st.units.append(
                    UnitStatus(
                        unit.code, unit.name, "rejected", 0, mine[-1].version, mine[-1].received_at, mine[-1].file_name
                    )
                )
            else:
                st.units.append(UnitStatus(unit.code, unit.name, "missing"))
        return st

    def history(self, schema: Schema, unit: str, period: str) -> list[dict[str, Any]]:
        """Every version of a unit's return for a period, each with the figures that changed since the one before."""
        out = []
        previous: dict[tuple[str, str], Decimal | None] | None = None
        for sub in self.submissions_for(schema.id, resolve_period(schema, period)[0].code, unit):
            figures = self.figures_of(sub.id)
            changes = []
            if previous is not None:
                for key in sorted(set(previous) | set(figures)):
                    old, new = previous.get(key), figures.get(key)
                    if old != new:
                        changes.append({"line": key[0], "indicator": key[1], "old": _plain(old), "new": _plain(new)})
            out.append(
                {
                    "version": sub.version,
                    "file": sub.file_name,
                    "sha256": sub.sha256,
                    "received_at": sub.received_at.isoformat(),
                    "accepted": bool(sub.accepted),
                    "errors": sub.errors,
                    "warnings": sub.warnings,
                    "changes": changes,
                }
            )
            if figures:
                previous = figures
        return out

    def totals(self, schema: Schema, period: str) -> dict[str, Decimal]:
        """Province totals of a period from the latest accepted returns (a unit's own total: its top lines)."""
        return self.period_totals(schema, [period]).get(period, {})

    def period_totals(self, schema: Schema, periods: list[str]) -> dict[str, dict[str, Decimal]]:
        """period -> province totals, for every period asked that has returns: added up by the database, exact, and
        remembered with the stamp of the returns they come from (see :mod:`store_totals`)."""
        from .store_totals import period_totals

        return period_totals(self, schema, periods)

    def cumulative(self, schema: Schema, period: str) -> dict[str, Decimal]:
        """The figures since the phase began, up to and including ``period`` (lũy kế): a period's figure is added
        over every period of the same kind, and, for a form that continues another (``continues``), that form's
        periods before this one's (see :meth:`continued`); a running total (``cumulative: true``, a return giving
        the figure to date) is already cumulative, so the latest period's figure is taken, never a sum. Computed
        rates and context figures are left out."""
        end = resolve_period(schema, period)[0]
        out: dict[str, Decimal] = {}
        own = [
            c
            for c in self.periods(schema.id)
            if parse_period(c).kind == end.kind and parse_period(c).start <= end.start
        ]
        parts = [(schema.id, c) for c in own] + self.continued(schema, period)
        parts.sort(key=lambda part: parse_period(part[1]).start)
        forms = {form_id: schema if form_id == schema.id else _load(form_id) for form_id, _ in parts}
        sums = {  # one query per form, whatever the number of periods
            form_id: self.period_totals(form, [c for f, c in parts if f == form_id]) for form_id, form in forms.items()
        }
        for form_id, code in parts:
            for k, v in sums[form_id].get(code, {}).items():
                ind = schema.indicator_by_code.get(k)
                if ind is None or ind.formula or ind.role == "context":
                    continue
                out[k] = v if ind.cumulative or end.kind == "to-date" else out.get(k, Decimal(0)) + v
        return out

    def in_period(self, schema: Schema, period: str) -> dict[str, Decimal]:
        """Each figure for ``period`` alone: a period's figure as returned; for a running total, the change since
        the period before (its figure to date less the previous period's), left out when that period has no
        returns."""
        per = resolve_period(schema, period)[0]
        now = self.totals(schema, per.code)
        before = self.totals(schema, per.previous().code) if per.previous().code != per.code else {}
        out: dict[str, Decimal] = {}
        for k, v in now.items():
            ind = schema.indicator_by_code.get(k)
            if ind is None or ind.formula or ind.role == "context":
                continue
            if not ind.cumulative:
                out[k] = v
            elif k in before:
                out[k] = v - before[k]
        return out

    def continued(self, schema: Schema, period: str) -> list[tuple[str, str]]:
        """(form, period) of the form ``schema`` continues, added to its cumulative figures: the periods that end
        before this form's first recorded period up to ``period``, longest first, none overlapping another."""
        if not schema.continues:
            return []
        end = resolve_period(schema, period)[0]
        own = [parse_period(c) for c in self.periods(schema.id)]
        starts = [p.start for p in own if p.start <= end.start] or [end.start]
        first = min(starts)
        taken: list[Period] = []
        for code in sorted(self.periods(schema.continues), key=lambda c: parse_period(c).start - parse_period(c).end):
            p = parse_period(code)
            if p.end < first and not any(p.start <= t.end and t.start <= p.end for t in taken):
                taken.append(p)
        return [(schema.continues, p.code) for p in sorted(taken, key=lambda p: p.start)]

    def unusual(self, schema: Schema, period: str, factor: Decimal | None = None) -> list[Issue]:
        """Warnings for figures far outside a unit's own history: more than ``factor`` times the previous period
        (the form's ``plausibility.history_factor`` by default), or a running total (cumulative) that goes down."""
        factor = schema.plausibility.history_factor if factor is None else factor
        per = resolve_period(schema, period)[0]
        prev = per.previous().code
        now, before = self.latest_accepted(schema.id, per.code), self.latest_accepted(schema.id, prev)
        figures_now, figures_before = self.latest_figures(schema.id, per.code), self.latest_figures(schema.id, prev)
        issues = []
        for unit, sub in sorted(now.items()):
            if unit not in before:
                continue
            cur, old = figures_now.get(sub.id, {}), figures_before.get(before[unit].id, {})
            for key, value in cur.items():
                ind = schema.indicator_by_code.get(key[1])
                past = old.get(key)
                if ind is None or value is None or past is None or ind.formula:
                    continue
                params = {"unit": unit, "label": ind.label, "value": value, "previous": past, "period": prev}
                if ind.cumulative and value < past:
                    issues.append(Issue("cumulative-decrease", Severity.WARNING, sub.file_name, params=params))
                elif not ind.cumulative and past > 0 and value > factor * past:
                    issues.append(
                        Issue("value-jump", Severity.WARNING, sub.file_name, params=params | {"factor": factor})
                    )
        return issues

    def analyze(self) -> None:
        """Bring the database's statistics up to date, so that its planner reads a large ledger the right way."""
        with self.transaction() as conn:
            conn.exec_driver_sql("ANALYZE")

    # -- safety

    def check(self, figures: bool = True) -> list[tuple[str, dict[str, object]]]:
        """Every archived file present and matching its hash; every submission pointing at a known file. Each
        problem as a key of ``words.WORDS`` and its parameters."""
        return check(self, figures)

    def orphans(self) -> list[Path]:
        """Archived files no submission records (a run stopped between archiving and recording): harmless."""
        from sqlalchemy import select

        with self.connection() as conn:
            known = {r[0] for r in conn.execute(select(self.files.c.sha256))}
        return [
            p for p in self.archive_dir.rglob("*") if p.is_file() and not p.name.startswith(".") and p.stem not in known
        ]

    def export(self, folder: str | Path) -> Exported:
        """Everything as plain files: submissions.csv, figures.csv and the original workbooks."""
        return export(self, folder)


def _v1(store: Store, conn: Any) -> None:
    for table in (store.files, store.submissions, store.figures):
        table.create(conn, checkfirst=True)


def _v2(store: Store, conn: Any) -> None:
    store.by_period.create(conn, checkfirst=True)


def _v3(store: Store, conn: Any) -> None:
    store.period_sums.create(conn, checkfirst=True)


_MIGRATIONS = {1: _v1, 2: _v2, 3: _v3}


# files refused before anything is stored: not a readable workbook, or over a bound
_NOT_KEPT = ("file-", "path-unreadable", "reader-died", "internal-error")


def _not_kept(result: FileResult) -> bool:
    """A workbook the ledger does not keep: not read as a workbook at all (its problem is the file's, no cell's)."""
    return any(i.code.startswith(_NOT_KEPT) and not i.cell for i in result.issues)


_KNOWN_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}


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


def _load(form_id: str) -> Schema:
    from .forms import load_schema

    return load_schema(form_id)


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


def _shown(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: shown up to its password
        return url.split("@")[-1]


def _suffix(path: Path) -> str:
    """The archived copy's suffix: the file's own when it is a spreadsheet's, else '.bin' (a column of 10)."""
    suffix = path.suffix.lower()
    return suffix if suffix in _KNOWN_SUFFIXES else ".bin"


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _plain(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


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
                out.extend(store.ingest_group(group, schema, period, received_at))
            if sum(1 for r in out if r.status == "new") >= ANALYZE_AFTER:
                store.analyze()
    finally:  # the database failed (or Ctrl-C): the workers end now, the files not begun are left
        each.close()
    return out


# files recorded in one transaction: one commit, one sync of the archive and a few round trips per group (256
# rather than 64: 0.93 x the time of 1,000 returns on SQLite, 10,000 on PostgreSQL 5.3 s of recording -> 3.5 s)
INGEST_GROUP = 256
# after this many new returns, the database's statistics are brought up to date (PostgreSQL planned the first
# read after ingesting 10,000 returns without them: 43 s instead of 1.5 s)
ANALYZE_AFTER = 500


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
