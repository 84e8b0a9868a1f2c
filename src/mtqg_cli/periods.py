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
    """'2024' -> the year; '2024-06' -> June; '2024-Q2'; '2024-H1'; '2024-CN' -> the update of 2024's figures;
    '2021-2023' -> a span of years (an evaluation); '2024-03-20' -> a day (an ad hoc report: a monitoring round
    that ended that day); 'den-2023-11-30' or 'đến 30/11/2023' -> the figures to a cut-off date (lũy kế đến ngày)."""
    from .text import fold

    if m := re.fullmatch(r"(?:luy ke )?den(?: ngay)? (\d{4}) (\d{1,2}) (\d{1,2})", _dashed(fold(text))):
        day = _date(text, int(m[1]), int(m[2]), int(m[3]))
        return Period(day, day, f"den-{day.isoformat()}", "to-date")
    if m := re.fullmatch(r"(?:luy ke )?den(?: ngay)? (\d{1,2}) (\d{1,2}) (\d{4})", _dashed(fold(text))):
        day = _date(text, int(m[3]), int(m[2]), int(m[1]))
        return Period(day, day, f"den-{day.isoformat()}", "to-date")
    t = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})", t):
        y = int(m.group(1))
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}", "year")
    if m := re.fullmatch(r"(\d{4})-CN", t):
        y = int(m.group(1))
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}-CN", "update")
    if (m := re.fullmatch(r"(\d{4})-(\d{4})", t)) and int(m.group(1)) <= int(m.group(2)):
        a, b = int(m.group(1)), int(m.group(2))
        return Period(dt.date(a, 1, 1), dt.date(b, 12, 31), f"{a}-{b}", "span")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise MtqgError("period-invalid", text=text) from None
        return Period(day, day, day.isoformat(), "day")
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


def _dashed(folded: str) -> str:
    return re.sub(r"[-/.\s:]+", " ", folded).strip()


def _date(text: str, y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise MtqgError("period-invalid", text=text) from None


def _shift(p: Period, n: int) -> str:
    y = p.start.year
    if p.kind == "year":
        return str(y + n)
    if p.kind == "update":
        return f"{y + n}-CN"
    if p.kind in ("span", "day", "to-date"):  # an evaluation, a one-off or a cut-off report has none before it
        return p.code
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


# A report kind's period kind (as forms write it) -> the kind of the period codes it takes.
PERIOD_OF_KIND = {
    "month": "month",
    "quarter": "quarter",
    "half-year": "half-year",
    "year": "year",
    "update": "update",
    "evaluation": "span",
    "ad-hoc": "day",
    "to-date": "to-date",
}
EXAMPLE_CODE = {
    "month": "2026-06",
    "quarter": "2026-Q3",
    "half-year": "2026-H1",
    "year": "2026",
    "update": "2026-CN",
    "evaluation": "2021-2023",
    "ad-hoc": "2026-03-20",
    "to-date": "den-2026-11-30",
}


def resolve_period(schema: Any, text: str) -> tuple[Period, Any]:
    """The period ``text`` names and the form's report kind that covers it: a period code ('2024-H1') or the
    code of one of the form's kinds ('giua-ky' for an evaluation of a given span). A period of a kind the form
    does not have is refused, naming the kinds it has."""
    from .text import fold

    kinds = schema.reporting.all_kinds
    named = next((k for k in kinds if fold(k.code) == fold(text) or (k.name and fold(k.name) == fold(text))), None)
    if named is not None:
        if not named.span:
            raise MtqgError("period-kind-needs-code", kind=named.name or named.code, example=EXAMPLE_CODE[named.period])
        text = named.span
    per = parse_period(text)
    fitting = [k for k in kinds if PERIOD_OF_KIND[k.period] == per.kind and (not k.span or k.span == per.code)]
    if not fitting:
        listed = "; ".join(f"{k.name or k.code} ({k.span or EXAMPLE_CODE[k.period]})" for k in kinds)
        raise MtqgError("period-kind-not-in-form", period=text, form=schema.id, kinds=listed)
    return per, fitting[0]


def period_words(per: Period, lang: str = "vi") -> str:
    """The period in words: 'năm 2024', '6 tháng đầu năm 2024', 'quý III năm 2026', 'tháng 6 năm 2024',
    'cập nhật số liệu năm 2024', 'giai đoạn 2021-2023', 'ngày 20/03/2024'."""
    y = per.start.year
    roman = ("I", "II", "III", "IV")
    if lang == "en":
        return {
            "year": f"the year {y}",
            "update": f"the update of {y}'s figures",
            "span": f"{per.start.year}-{per.end.year}",
            "day": f"{per.start:%d/%m/%Y}",
            "to-date": f"to {per.start:%d/%m/%Y}",
            "month": f"{per.start:%m/%Y}",
            "quarter": f"Q{(per.start.month + 2) // 3} {y}",
            "half-year": f"{'first' if per.start.month == 1 else 'second'} half of {y}",
        }[per.kind]
    return {
        "year": f"năm {y}",
        "update": f"cập nhật số liệu năm {y}",
        "span": f"giai đoạn {per.start.year}-{per.end.year}",
        "day": f"ngày {per.start:%d/%m/%Y}",
        "to-date": f"lũy kế đến ngày {per.start:%d/%m/%Y}",
        "month": f"tháng {per.start.month} năm {y}",
        "quarter": f"quý {roman[(per.start.month - 1) // 3]} năm {y}",
        "half-year": f"6 tháng {'đầu' if per.start.month == 1 else 'cuối'} năm {y}",
    }[per.kind]


def deadline(period: Period, rule: str) -> dt.date | None:
    """The date a period's report is due under ``rule`` (see :mod:`mtqg_cli.deadlines`); '' -> no deadline."""
    from .deadlines import due_date

    return due_date(period, rule)


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


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def period_in_text(text: str) -> str | None:
    """The period a title names ('BÁO CÁO ... 6 THÁNG ĐẦU NĂM 2024' -> '2024-H1', 'QUÝ III NĂM 2026' -> '2026-Q3',
    'THÁNG 6 NĂM 2024' -> '2024-06', 'NĂM 2024' -> '2024'); None when it names none."""
    from .text import fold

    t = fold(text)
    if m := re.search(r"ky bao cao (\d{4})(?: (h[12]|q[1-4]|\d{1,2}|cn))?\b", t):  # a code: 'KỲ BÁO CÁO: 2024-H1'
        try:
            return parse_period(f"{m[1]}-{m[2]}" if m[2] else m[1]).code
        except MtqgError:
            return None
    if m := re.search(r"den ngay (\d{1,2})\W*(\d{1,2})\W*(\d{4})", t):
        try:
            return parse_period(f"den-{m[3]}-{m[2]}-{m[1]}").code
        except MtqgError:
            return None
    if m := re.search(r"6 thang (dau|cuoi) nam (\d{4})", t):
        return f"{m[2]}-H{1 if m[1] == 'dau' else 2}"
    if m := re.search(r"quy (iv|iii|ii|i|[1-4]) nam (\d{4})", t):
        return f"{m[2]}-Q{_ROMAN_Q[m[1]]}"
    if m := re.search(r"thang (\d{1,2}) nam (\d{4})", t):
        return f"{m[2]}-{int(m[1]):02d}" if 1 <= int(m[1]) <= 12 else None
    if m := re.search(r"nam (\d{4})\b", t):
        return m[1]
    return None


def report_title(kind_title: str, per: Period, lang: str = "vi") -> str:
    """The report and its period in one phrase, the words they share said once: 'Báo cáo năm' + 'năm 2024' ->
    'Báo cáo năm 2024'; 'Báo cáo 6 tháng' + '6 tháng đầu năm 2024' -> 'Báo cáo 6 tháng đầu năm 2024'."""
    words = period_words(per, lang)
    if not kind_title:
        return words
    for k in range(len(words), 0, -1):
        if kind_title.lower().endswith(words[:k].lower()) and (k == len(words) or words[k] == " "):
            return kind_title + words[k:]
    return f"{kind_title} {words}"
