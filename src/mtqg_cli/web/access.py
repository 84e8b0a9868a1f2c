"""Who may use the web application: the units' access codes (one per unit, form and period, issued by the
officer, revocable), the officer's code, and the log of every action.

A code is shown once, when it is issued, and stored only as a salted SHA-256 hash beside a short public key (the
code's first group), by which it is found: 'K7QM-3XWD-HN4P-T9BC' is found by 'K7QM' and checked by the rest. The
secret part is 12 characters drawn at random from 31 (59 bits), not a password a person chose: guessing one from a
stolen table takes years even at a graphics card's rate, so a slow hash (scrypt: 29 ms a code here) would add
little and cost a ministry 1.5 minutes for 3,321 codes. The
tables live in the ledger's database (SQLite for one office, PostgreSQL for a shared server), beside and apart
from the ledger's own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

# no 0/O, 1/I/L: a code is read off paper and typed by hand
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP = 4, 4


@dataclass(frozen=True)
class Grant:
    """What a code opens: a unit's return of a form for a period, or the officer's pages (``unit`` empty)."""

    key: str
    role: str  # 'unit' | 'officer'
    schema_id: str = ""
    period: str = ""
    unit: str = ""


def new_code() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(GROUPS))


def _normal(code: str) -> str:
    """A code as typed: case, spaces and dashes do not matter."""
    kept = "".join(c for c in code.upper() if c.isalnum())
    return kept[: GROUPS * GROUP]


def _hash(secret: str, salt: bytes) -> str:
    return hashlib.sha256(salt + secret.encode()).hexdigest()


class Access:
    """The access codes and the action log, in the database of ``engine``."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text

        self.engine = engine
        md = MetaData()
        self.codes = Table(
            "mtqg_web_codes",
            md,
            Column("key", String(8), primary_key=True),
            Column("role", String(10), nullable=False),
            Column("schema_id", String(100), nullable=False, default=""),
            Column("period", String(20), nullable=False, default=""),
            Column("unit", String(100), nullable=False, default=""),
            Column("salt", String(32), nullable=False),
            Column("hash", String(64), nullable=False),
            Column("issued_at", DateTime, nullable=False),
            Column("revoked", Boolean, nullable=False, default=False),
        )
        self.events = Table(
            "mtqg_web_events",
            md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("at", DateTime, nullable=False),
            Column("who", String(200), nullable=False),
            Column("action", String(50), nullable=False),
            Column("detail", Text, nullable=False, default=""),
        )
        md.create_all(engine, checkfirst=True)

    # -- codes

    def issue(self, role: str, schema_id: str = "", period: str = "", unit: str = "") -> str:
        """A new code for a unit's return (or the officer's, replacing the one before); see :meth:`issue_many`."""
        return self.issue_many(role, schema_id, period, [unit])[0]

    def issue_many(self, role: str, schema_id: str, period: str, units: list[str]) -> list[str]:
        """A new code for each of ``units`` (a form's and period's), in one transaction; the codes issued before for
        the same units, form and period are revoked. The codes themselves are returned once and never stored. A
        code's key that is taken already (one in a million; a ministry's 3,321 codes meet a few) is drawn again."""
        from sqlalchemy import and_, select

        c = self.codes.c
        out, rows = [], []
        with self.engine.begin() as conn:
            taken = set(conn.execute(select(c.key)).scalars())
            same = and_(c.role == role, c.schema_id == schema_id, c.period == period, c.unit.in_(units))
            conn.execute(self.codes.update().where(same).values(revoked=True))
            for unit in units:
                code = new_code()
                while _normal(code)[:GROUP] in taken:
                    code = new_code()
                plain = _normal(code)
                taken.add(plain[:GROUP])
                salt = secrets.token_bytes(16)
                rows.append(
                    {
                        "key": plain[:GROUP],
                        "role": role,
                        "schema_id": schema_id,
                        "period": period,
                        "unit": unit,
                        "salt": salt.hex(),
                        "hash": _hash(plain[GROUP:], salt),
                        "issued_at": dt.datetime.now(),
                        "revoked": False,
                    }
                )
                out.append(code)
            if rows:
                conn.execute(self.codes.insert(), rows)
        return out

    def revoke(self, schema_id: str, period: str, unit: str) -> int:
        """Revoke the unit's codes for the form and period; how many were in force."""
        from sqlalchemy import and_

        with self.engine.begin() as conn:
            done = conn.execute(
                self.codes.update()
                .where(
                    and_(
                        self.codes.c.schema_id == schema_id,
                        self.codes.c.period == period,
                        self.codes.c.unit == unit,
                        self.codes.c.revoked.is_(False),
                    )
                )
                .values(revoked=True)
            )
        return int(done.rowcount or 0)

    def check(self, code: str) -> Grant | None:
        """What ``code`` opens, or None (unknown, wrong or revoked: the same answer, in the same time)."""
        plain = _normal(code)
        key, secret = plain[:GROUP], plain[GROUP:]
        with self.engine.connect() as conn:
            row = conn.execute(self.codes.select().where(self.codes.c.key == key)).first()
        salt = bytes.fromhex(row.salt) if row is not None else b"\0" * 16
        expected = row.hash if row is not None else "0" * 64
        good = hmac.compare_digest(_hash(secret, salt), expected)  # hashed even for an unknown key
        if row is None or not good or row.revoked or len(plain) != GROUPS * GROUP:
            return None
        return Grant(row.key, row.role, row.schema_id, row.period, row.unit)

    def grant(self, key: str) -> Grant | None:
        """What the code of ``key`` opens while it is in force (a session holds the key, never the code)."""
        with self.engine.connect() as conn:
            row = conn.execute(self.codes.select().where(self.codes.c.key == key)).first()
        if row is None or row.revoked:
            return None
        return Grant(row.key, row.role, row.schema_id, row.period, row.unit)

    def grants(self) -> list[Grant]:
        """The units' codes in force, by form, period and unit."""
        c = self.codes.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                self.codes.select()
                .where(c.role == "unit", c.revoked.is_(False))
                .order_by(c.schema_id, c.period, c.unit)
            )
            return [Grant(r.key, r.role, r.schema_id, r.period, r.unit) for r in rows]

    # -- the log

    def log(self, who: str, action: str, detail: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(self.events.insert().values(at=dt.datetime.now(), who=who, action=action, detail=detail))

    def recent(self, limit: int = 200) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(self.events.select().order_by(self.events.c.id.desc()).limit(limit)))
