"""The ledger's province totals by period: added up by the database, exact, and remembered.

A period's totals are the sums of every unit's latest accepted return. They are added up by the database in one
query for any number of periods (exact: NUMERIC on PostgreSQL; on SQLite whole millionths in 64-bit integers, and a
period holding a figure with more than six decimals or of a hundred million or more added up in Python instead).

Each period's totals are then remembered in ``mtqg_period_totals`` with the stamp of the returns they were added
from: the number of the period's submissions and the last one's id. The ledger only ever adds submissions, so a
stamp that still matches means the same returns; any new return of the period (another version, another unit)
changes it, and the period is added up again. Nothing has to be cleared at ingest, and a read that races an ingest
can at worst remember totals under an old stamp, which the next read does not use. A form's year of monthly
periods is read as twelve remembered rows, not twelve periods of figures (0.12 s for 1,000 units, growing with
the units), so a cumulative figure costs what the month being collected costs.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import Schema
    from .store import Store

# SQLite adds figures below this as whole millionths: 10,000 of them stay within a 64-bit integer
SQLITE_SUM_BELOW = 100_000_000
_MARK = ""  # the row that says a period was added up (it may have no figure at all)


def shape_of(schema: Schema) -> str:
    """What the totals of a form add: every figure of a wide form; a long form's top lines only. Totals remembered
    for one shape are not used for another (the form's lines were edited)."""
    if not schema.is_long:
        return "wide"
    lines = ",".join(sorted(line.code for line in schema.top_lines))
    return "long:" + hashlib.sha256(lines.encode()).hexdigest()[:16]


def period_totals(store: Store, schema: Schema, periods: list[str]) -> dict[str, dict[str, Decimal]]:
    """period -> province totals (indicator -> sum), for every period asked that has returns: remembered totals
    whose stamp still matches, the others added up in one query and remembered."""
    if not periods:
        return {}
    shape = shape_of(schema)
    stamps = _stamps(store, schema.id, periods)
    out = _remembered(store, schema.id, shape, stamps)
    missing = [p for p in periods if p in stamps and p not in out]
    if missing:
        added = _added_up(store, schema, missing)
        for period in missing:
            out[period] = added.get(period, {})
        _remember(store, schema.id, shape, {p: out[p] for p in missing}, stamps)
    return {p: out[p] for p in periods if p in out and out[p]}


def _stamps(store: Store, schema_id: str, periods: list[str]) -> dict[str, tuple[int, int]]:
    """period -> (number of submissions, the last one's id): what the period's returns are, in one query."""
    from sqlalchemy import func, select

    s = store.submissions
    q = (
        select(s.c.period, func.count(), func.max(s.c.id))
        .where(s.c.schema_id == schema_id, s.c.period.in_(periods))
        .group_by(s.c.period)
    )
    with store.connection() as conn:
        return {period: (int(n), int(last)) for period, n, last in conn.execute(q)}


def _remembered(
    store: Store, schema_id: str, shape: str, stamps: dict[str, tuple[int, int]]
) -> dict[str, dict[str, Decimal]]:
    """The remembered totals of the periods whose stamp still matches."""
    from sqlalchemy import select

    t = store.period_sums
    q = select(t.c.period, t.c.indicator, t.c.value, t.c.submissions, t.c.last_id).where(
        t.c.schema_id == schema_id, t.c.shape == shape, t.c.period.in_(list(stamps))
    )
    out: dict[str, dict[str, Decimal]] = {}
    stale: set[str] = set()
    with store.connection() as conn:
        for period, code, value, n, last in conn.execute(q):
            if (n, last) != stamps.get(period):
                stale.add(period)
                continue
            sums = out.setdefault(period, {})
            if code != _MARK and value is not None:
                sums[code] = Decimal(value)
    return {p: sums for p, sums in out.items() if p not in stale}


def _remember(
    store: Store,
    schema_id: str,
    shape: str,
    totals: dict[str, dict[str, Decimal]],
    stamps: dict[str, tuple[int, int]],
) -> None:
    """The periods' totals written with their stamps, replacing what was remembered. Only a shortcut: when the
    database will not take them now (a read-only copy, another writer holding it), they are added up again next
    time."""
    from sqlalchemy.exc import DBAPIError

    t = store.period_sums
    rows = [
        {
            "schema_id": schema_id,
            "period": period,
            "shape": shape,
            "indicator": code,
            "value": None if value is None else str(value),
            "submissions": stamps[period][0],
            "last_id": stamps[period][1],
        }
        for period, sums in totals.items()
        for code, value in [(_MARK, None), *sums.items()]
    ]
    try:
        with store.transaction() as conn:
            conn.execute(t.delete().where(t.c.schema_id == schema_id, t.c.shape == shape, t.c.period.in_(list(totals))))
            conn.execute(t.insert(), rows)
    except DBAPIError:
        pass


def _added_up(store: Store, schema: Schema, periods: list[str]) -> dict[str, dict[str, Decimal]]:
    """The periods' totals added up by the database in one query (see the module's text for exactness); a period
    it cannot add exactly, or every period if it refuses the sum, added up here."""
    from sqlalchemy import Float, Integer, Numeric, and_, case, cast, func, or_, select
    from sqlalchemy.exc import DBAPIError

    s, f = store.submissions, store.figures
    where = (s.c.schema_id == schema.id, s.c.period.in_(periods))
    latest = (
        select(s.c.unit, s.c.period, func.max(s.c.version).label("version"))
        .where(*where, s.c.accepted.is_(True))
        .group_by(s.c.unit, s.c.period)
        .subquery()
    )
    sqlite = store.engine.dialect.name == "sqlite"
    if sqlite:
        total = func.sum(cast(func.round(cast(f.c.value, Float) * 1_000_000), Integer))
        dot = func.instr(f.c.value, ".")
        fine = or_(
            f.c.value.like("%e%"),
            f.c.value.like("%E%"),
            and_(dot > 0, func.length(f.c.value) - dot > 6),
            func.abs(cast(f.c.value, Float)) >= SQLITE_SUM_BELOW,
        )
        finer = func.sum(case((fine, 1), else_=0))
    else:
        total, finer = func.sum(cast(f.c.value, Numeric)), func.sum(0)
    q = (
        select(s.c.period, f.c.indicator, total, finer)
        .join(f, f.c.submission_id == s.c.id)
        .join(latest, and_(s.c.unit == latest.c.unit, s.c.period == latest.c.period, s.c.version == latest.c.version))
        .where(*where, f.c.value.is_not(None))
        .group_by(s.c.period, f.c.indicator)
    )
    if schema.is_long:
        q = q.where(f.c.line.in_([line.code for line in schema.top_lines]))
    out: dict[str, dict[str, Decimal]] = {}
    exceptions = set()
    try:
        with store.connection() as conn:
            for period, code, value, fine_count in conn.execute(q):
                if fine_count:
                    exceptions.add(period)
                elif value is not None:
                    out.setdefault(period, {})[code] = Decimal(value) / 1_000_000 if sqlite else Decimal(value)
    except DBAPIError:  # an overflow the bounds above did not foresee: every period added here
        out, exceptions = {}, set(periods)
    for period in exceptions:
        out[period] = python_totals(store, schema, period)
    return out


def python_totals(store: Store, schema: Schema, period: str) -> dict[str, Decimal]:
    """A period's totals added up figure by figure in Python (exact whatever the decimals)."""
    top = {line.code for line in schema.top_lines}
    sums: dict[str, Decimal] = {}
    for figures in store.latest_figures(schema.id, period).values():
        for (line, code), value in figures.items():
            if value is None or (schema.is_long and line not in top):
                continue
            sums[code] = sums.get(code, Decimal(0)) + value
    return sums


def totals_table(md: Any) -> Any:
    """``mtqg_period_totals``: a period's totals with the stamp of the returns they were added from."""
    from sqlalchemy import Column, Integer, String, Table

    return Table(
        "mtqg_period_totals",
        md,
        Column("schema_id", String(100), primary_key=True),
        Column("period", String(20), primary_key=True),
        Column("shape", String(40), primary_key=True),
        Column("indicator", String(100), primary_key=True),
        Column("value", String(100)),
        Column("submissions", Integer, nullable=False),
        Column("last_id", Integer, nullable=False),
    )
