"""Reporting periods ('2024', '2024-06', '2024-Q2', '2024-H1') and their deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .errors import MtqgError

_KINDS = {
    "year": r"(\d{4})",
    "month": r"(\d{4})-(\d{1,2})",
    "quarter": r"(\d{4})-Q([1-4])",
    "half-year": r"(\d{4})-H([12])",
}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    code: str
    kind: str

    def previous(self) -> Period:
        return parse_period(_shift(self, -1))


def parse_period(text: str) -> Period:
    """'2024' -> the year; '2024-06' -> June; '2024-Q2'; '2024-H1'."""
    t = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})", t):
        y = int(m.group(1))
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}", "year")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            last = calendar.monthrange(y, mo)[1]
            return Period(dt.date(y, mo, 1), dt.date(y, mo, last), f"{y}-{mo:02d}", "month")
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", t):
        y, q = int(m.group(1)), int(m.group(2))
        start = dt.date(y, 3 * q - 2, 1)
        end_month = 3 * q
        return Period(start, dt.date(y, end_month, calendar.monthrange(y, end_month)[1]), f"{y}-Q{q}", "quarter")
    if m := re.fullmatch(r"(\d{4})-H([12])", t):
        y, h = int(m.group(1)), int(m.group(2))
        return Period(
            dt.date(y, 1 if h == 1 else 7, 1),
            dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31),
            f"{y}-H{h}",
            "half-year",
        )
    raise MtqgError("period-invalid", text=text)


def _shift(p: Period, n: int) -> str:
    y = p.start.year
    if p.kind == "year":
        return str(y + n)
    if p.kind == "month":
        idx = y * 12 + p.start.month - 1 + n
        return f"{idx // 12}-{idx % 12 + 1:02d}"
    if p.kind == "quarter":
        q = (p.start.month - 1) // 3
        idx = y * 4 + q + n
        return f"{idx // 4}-Q{idx % 4 + 1}"
    h = 0 if p.start.month == 1 else 1
    idx = y * 2 + h + n
    return f"{idx // 2}-H{idx % 2 + 1}"


def deadline(period: Period, rule: str) -> dt.date | None:
    """The date a period's report is due. 'DD/MM': that day of the period's last year (Sơn La: before 10/9 each
    year); '+N': N days after the period ends (a monthly report due on the 5th: '+5'). '' -> no deadline."""
    rule = (rule or "").strip()
    if not rule:
        return None
    if m := re.fullmatch(r"\+(\d{1,3})", rule):
        return period.end + dt.timedelta(days=int(m.group(1)))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})", rule):
        day, month = int(m.group(1)), int(m.group(2))
        due = dt.date(period.end.year, month, day)
        if due < period.start:  # e.g. a monthly form due '05/..' would not use this form; keep the year's date
            due = dt.date(period.end.year + 1, month, day)
        return due
    return None


def units_in_force(units: list, period: Period) -> list:
    """The units that existed during the period (a unit list carries valid_from / valid_to: the districts ended on
    30/06/2025, the new communes began on 01/07/2025)."""
    return [
        u
        for u in units
        if (u.valid_to is None or u.valid_to >= period.start) and (u.valid_from is None or u.valid_from <= period.end)
    ]


def units_for_period(schema: Any, period: str) -> list:
    """The form's units that exist during ``period`` (a code: '2026', '2025-H2')."""
    return units_in_force(list(schema.units), parse_period(period))


def forms_for_period(schema: Any, period: str) -> list[str]:
    """Other forms of the same project and province whose units exist during ``period``: what serves it."""
    from .forms import list_schemas

    return [
        other.id
        for other in list_schemas()
        if other.id != schema.id
        and other.project.code == schema.project.code
        and other.province == schema.province
        and units_for_period(other, period)
    ]
