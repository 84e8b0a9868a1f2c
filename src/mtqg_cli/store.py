"""The submission ledger: every workbook received, by form, unit and period, never lost.

Files are archived under their SHA-256 (written to a temporary name, flushed, then moved into place: never half a
file), then recorded in one database transaction: the submission (unit, period, form, file name, hash, received
time, validation result) and every figure read. Recording is :mod:`store_ingest`, each period's totals
:mod:`store_totals`; this module opens the ledger and answers from it. A database is SQLite in the working folder
by default (``.mtqg/``), or a PostgreSQL server given by URL (``postgresql+psycopg://...``); both go through
SQLAlchemy 2. The same file sent twice is recorded once; a corrected file becomes a new version; the latest
accepted version of a unit's return counts.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from .errors import Issue, MtqgError, Severity
from .periods import Period, deadline, parse_period, resolve_period, units_in_force
from .schema import Schema
from .store_results import IngestResult, Status, UnitStatus
from .store_upkeep import Exported, check, export
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
            raise MtqgError("store-cannot-open", url=shown_url(url), detail=exc) from exc
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
                    raise MtqgError("store-unreachable", url=shown_url(url), detail=database_said(exc)) from exc
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
        unit it holds (see :mod:`store_ingest`)."""
        from .store_ingest import ingest_checked

        return ingest_checked(self, Path(path), schema, period, received_at, result)

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

    def archive_path(self, sha: str, suffix: str) -> Path:
        return self.archive_dir / sha[:2] / f"{sha}{suffix}"

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


def _load(form_id: str) -> Schema:
    from .forms import load_schema

    return load_schema(form_id)


def database_said(exc: Exception) -> str:
    """What the database (or its driver) said, in one line: the driver's own message, without SQLAlchemy's
    wrapping and links."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def shown_url(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: shown up to its password
        return url.split("@")[-1]


def _plain(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)
