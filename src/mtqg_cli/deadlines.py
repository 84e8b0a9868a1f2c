"""When a report is due: the deadline rules of the plans, written as officers write them.

A rule is text, in one of these forms (Vietnamese words accepted, accents and case ignored):

=====================================  ===================================================================
``20/10``, ``ngày 20 tháng 10``        that day and month: the first one on or after the period's start
                                       (a year's report due 20/10 of the year, a first half's due 10/5);
                                       for the update of a year, the first one after the year's end
``15/08/2023``                         that date, whatever the period (evaluations, one-off reports)
``05/+1``, ``ngày 5 tháng sau``        day 5 of the month after the period's last month (quarters, halves,
                                       months: Q3 -> 05/10, Q4 -> 05/01 of the next year)
``15/+0``, ``ngày 15 tháng cuối kỳ``   day 15 of the period's last month
``+10``, ``10 ngày``                   10 days after the period's end
``+10lv``, ``10 ngày làm việc``        10 working days after the period's end (weekends and Vietnamese
                                       public holidays, Tết and 2/9 included, are skipped)
``10 ngày làm việc sau 20/3/2024``     the same, after a given date (a monitoring round's end)
=====================================  ===================================================================

For an ad hoc period (a day, ``2024-03-20``: the day a monitoring round ended) the period's end is that day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .text import strip_accents

if TYPE_CHECKING:
    from .periods import Period


class DeadlineError(ValueError):
    """A rule that cannot be read (the message says which forms are understood)."""


FORMS_HELP = (
    "'20/10', '15/08/2023', '05/+1' (ngày 5 tháng sau kỳ), '15/+0' (ngày 15 tháng cuối kỳ), '+10' (10 ngày sau "
    "kỳ), '+10lv' (10 ngày làm việc), '10 ngày làm việc sau 20/03/2024'"
)


@dataclass(frozen=True)
class Deadline:
    """A parsed rule. ``kind``: 'day-month', 'date', 'month-after', 'days', 'working-days'."""

    kind: str
    day: int = 0
    month: int = 0
    year: int = 0
    count: int = 0
    after: dt.date | None = None

    def due(self, period: Period) -> dt.date:
        """The date a report of ``period`` is due."""
        if self.kind == "date":
            return dt.date(self.year, self.month, self.day)
        if self.kind == "day-month":
            anchor = period.end + dt.timedelta(days=1) if period.kind == "update" else period.start
            return _on_or_after(anchor, self.day, self.month)
        if self.kind == "month-after":
            idx = period.end.year * 12 + period.end.month - 1 + self.count
            year, month = divmod(idx, 12)
            return _clamped(year, month + 1, self.day)
        start = self.after or period.end
        if self.kind == "days":
            return start + dt.timedelta(days=self.count)
        return working_days_after(start, self.count)


def _clamped(year: int, month: int, day: int) -> dt.date:
    """Day ``day`` of the month, or its last day (30/2 -> 28 or 29/2)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _on_or_after(anchor: dt.date, day: int, month: int) -> dt.date:
    due = _clamped(anchor.year, month, day)
    return due if due >= anchor else _clamped(anchor.year + 1, month, day)


@lru_cache(maxsize=1)
def _calendar() -> object:
    import holidays

    return holidays.country_holidays("VN")


def working_days_after(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (Monday to Friday, not a Vietnamese public holiday; the
    `holidays` package's calendar for Vietnam: Tết, Giỗ Tổ, 30/4, 1/5, 2/9 and the days moved by the government)."""
    cal = _calendar()
    return cal.get_nth_working_day(start, count) if count else start  # type: ignore[attr-defined]


_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"


def parse_deadline(text: str) -> Deadline | None:
    """The rule in ``text`` ('' -> no deadline). Raises :class:`DeadlineError` for text that is not a rule."""
    raw = " ".join(str(text or "").split())
    if not raw or raw.upper().startswith("TODO"):  # a draft's mark: no rule yet (`schema check` names it)
        return None
    t = strip_accents(raw).lower().replace("truoc ", "").replace("han ", "").strip()
    t = re.sub(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", r"\1/\2/\3", t)
    t = re.sub(r"ngay (\d{1,2}) thang (\d{1,2})\b", r"\1/\2", t)
    t = re.sub(r"^(\d{1,2}) thang (\d{1,2})$", r"\1/\2", t)
    t = re.sub(r"^ngay\s+(?=\d+\s*/)", "", t)
    if m := re.fullmatch(_DATE, t):
        return _checked(Deadline("date", int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", t):
        return _checked(Deadline("day-month", int(m[1]), int(m[2]), 2024))
    if m := re.fullmatch(r"(\d{1,2})\s*/\s*\+\s*(\d{1,2})", t):
        return _day(Deadline("month-after", int(m[1]), count=int(m[2])))
    if m := re.fullmatch(r"(?:ngay )?(\d{1,2}) (?:cua )?thang (dau ky sau|dau ky tiep theo|sau|ke tiep|cuoi ky)", t):
        return _day(Deadline("month-after", int(m[1]), count=0 if m[2] == "cuoi ky" else 1))
    after: dt.date | None = None
    if m := re.fullmatch(r"(.*?)\s*(?:sau|ke tu|tinh tu)\s*(?:ngay\s*)?" + _DATE, t):
        t = m[1].strip()
        given = _checked(Deadline("date", int(m[2]), int(m[3]), int(m[4])))
        after = dt.date(given.year, given.month, given.day)
    t = re.sub(r"\s*(sau khi ket thuc.*|sau ky|ke tu.*|sau)$", "", t)
    if m := re.fullmatch(r"\+?\s*(\d{1,3})\s*(lv|ngay lam viec|ngay lv)", t):
        return Deadline("working-days", count=int(m[1]), after=after)
    if m := re.fullmatch(r"\+?\s*(\d{1,3})\s*(ngay)?", t):
        if t.startswith("+") or m[2] or after:
            return Deadline("days", count=int(m[1]), after=after)
    raise DeadlineError(f"'{raw}' không phải hạn nộp (not a deadline); viết theo một trong các dạng: {FORMS_HELP}")


def _day(rule: Deadline) -> Deadline:
    if not 1 <= rule.day <= 31:
        raise DeadlineError(f"ngày {rule.day} không có trong tháng (not a day of a month); viết: {FORMS_HELP}")
    return rule


def _checked(rule: Deadline) -> Deadline:
    try:
        dt.date(rule.year, rule.month, rule.day)
    except ValueError as exc:
        raise DeadlineError(f"{rule.day}/{rule.month} không phải ngày có thật (not a date: {exc})") from exc
    return rule


def due_date(period: Period, text: str) -> dt.date | None:
    """The date ``period``'s report is due under the rule ``text`` (None: no rule)."""
    rule = parse_deadline(text)
    return rule.due(period) if rule else None
