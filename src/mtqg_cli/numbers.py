"""Reading numbers the way Vietnamese units type them, and writing them back the Vietnamese way.

Decisions (documented in README):
- '' -> blank; '-', '–', '—' -> nil (explicitly nothing, counts as no figure); 'x', 'X', 'k/a' -> not applicable.
- Both '.' and ',' present: the last one is the decimal mark ('1.234,5', '1,234.5').
- One kind of mark, repeated: thousands separators ('1.234.567').
- One mark once, followed by exactly three digits ('1.234', '1,234'): ambiguous. In a whole-number column it is
  a thousands separator (no other reading is a whole number); in a decimal column the Vietnamese reading is taken
  (dot = thousands, comma = decimal) and a warning says so.
- Otherwise the single mark is the decimal mark ('12,5', '12.5').
- A number followed by words ('12 tổ', '3 cuộc') is read with a warning; words alone are an error.
- A trailing '%' marks a percentage; the number is kept in percentage points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from .limits import MAX_FIGURE_DIGITS


class Kind(StrEnum):
    NUMBER = "number"
    BLANK = "blank"
    NIL = "nil"  # '-' : explicitly nothing
    NOT_APPLICABLE = "na"  # 'x'
    ERROR_VALUE = "error-value"  # '#REF!'
    INVALID = "invalid"
    TOO_LARGE = "too-large"  # more digits than any figure of a return holds (limits.MAX_FIGURE_DIGITS)


@dataclass(frozen=True)
class Parsed:
    kind: Kind
    value: Decimal | None = None
    ambiguous: bool = False
    had_words: bool = False
    percent: bool = False


_BLANK = Parsed(Kind.BLANK)
_INVALID = Parsed(Kind.INVALID)
_INF, _NINF = float("inf"), float("-inf")
_NIL = {"-", "–", "—", "--", "_"}
_NA = {"x", "k/a", "n/a", "kh", "không áp dụng"}
_ERRORS = {"#ref!", "#value!", "#div/0!", "#n/a", "#name?", "#num!", "#null!", "#spill!", "#calc!"}
_TOO_LARGE = Parsed(Kind.TOO_LARGE)
_BIG = float(10**MAX_FIGURE_DIGITS)
_EXPONENT = re.compile(r"^[eE][+-]?\d{1,6}$")
_NUMBER_START = re.compile(r"^([+-]?\s*[\d.,\s\u00a0\u202f]*\d)(\s*%)?\s*(.*)$", re.S)


def float_decimal(raw: float) -> Decimal:
    """The Decimal of a finite number read from a cell, as it was typed: repr round-trips the double (0.1 -> '0.1'),
    unlike Decimal(float); a whole number has no exponent (12.0 -> 12)."""
    return Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))


def parse_number(raw: object, integer: bool = False) -> Parsed:
    """Parse one cell value (a float from the reader, or text) into a Decimal with its reading kind."""
    cls = raw.__class__
    if cls is float:  # what the reader gives for a number: the common case first
        if raw != raw or raw in (_INF, _NINF):
            return _INVALID
        if not -_BIG < raw < _BIG:  # type: ignore[operator]
            return _TOO_LARGE
        return Parsed(Kind.NUMBER, float_decimal(raw))  # type: ignore[arg-type]
    if raw is None or raw == "":
        return _BLANK
    if isinstance(raw, bool):
        return _INVALID
    if isinstance(raw, int):
        return _bounded(Parsed(Kind.NUMBER, Decimal(raw)))
    if isinstance(raw, float):  # a float subclass
        return parse_number(float(raw), integer)
    text = str(raw).replace("\u00a0", " ").replace("\u202f", " ").strip()
    if not text:
        return _BLANK
    low = text.lower()
    if low in _NIL:
        return Parsed(Kind.NIL)
    if low in _NA:
        return Parsed(Kind.NOT_APPLICABLE)
    if low in _ERRORS:
        return Parsed(Kind.ERROR_VALUE)
    if low.startswith("(") and low.endswith(")") and len(low) > 2:  # accounting negative: (12)
        inner = parse_number(text[1:-1], integer)
        if inner.kind is Kind.NUMBER and inner.value is not None:
            return Parsed(Kind.NUMBER, -inner.value, inner.ambiguous, inner.had_words, inner.percent)
        return inner if inner.kind is Kind.TOO_LARGE else Parsed(Kind.INVALID)
    m = _NUMBER_START.match(text)
    if not m:
        return Parsed(Kind.INVALID)
    body, pct, rest = m.group(1), m.group(2), m.group(3).strip()
    if len(re.sub(r"\D", "", body)) > 2 * MAX_FIGURE_DIGITS:
        return _TOO_LARGE  # pasted digits, an account number: never parsed (80 digits would be read as one figure)
    exponent = 0
    if rest and not pct and _EXPONENT.match(rest):  # '1e309', '1,5E+3': Excel's scientific notation typed as text
        exponent, rest = int(rest[1:]), ""
    if rest and not re.search(r"[^\W\d_]", rest):  # trailing punctuation or digits only: not a unit word
        return Parsed(Kind.INVALID)
    value, ambiguous = _digits(body, integer)
    if value is None:
        return Parsed(Kind.INVALID)
    if exponent:
        if abs(exponent) > 2 * MAX_FIGURE_DIGITS:
            return _TOO_LARGE
        value = value.scaleb(exponent)
    return _bounded(Parsed(Kind.NUMBER, value, ambiguous=ambiguous, had_words=bool(rest), percent=bool(pct)))


def _bounded(parsed: Parsed) -> Parsed:
    """A number with more whole digits than any figure holds is refused: it would overflow the sums."""
    value = parsed.value
    if value is not None and value and value.adjusted() >= MAX_FIGURE_DIGITS:
        return _TOO_LARGE
    return parsed


def _digits(body: str, integer: bool) -> tuple[Decimal | None, bool]:
    sign = -1 if body.lstrip().startswith("-") else 1
    s = re.sub(r"[\s+-]", "", body)
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit():
        return None, False
    dots, commas = s.count("."), s.count(",")
    ambiguous = False
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) > 1:
            return None, False
        whole, frac = s.split(dec)
        if not _grouped(whole, thou):
            return None, False
        number = whole.replace(thou, "") + "." + frac
    elif dots + commas == 0:
        number = s
    else:
        mark = "." if dots else ","
        parts = s.split(mark)
        if len(parts) > 2:
            if not _grouped(s, mark):
                return None, False
            number = s.replace(mark, "")
        else:
            whole, frac = parts
            if not frac:
                return None, False
            if len(frac) == 3 and whole and whole != "0" and len(whole) <= 3:
                if integer:
                    number = whole + frac
                else:
                    ambiguous = True
                    number = whole + frac if mark == "." else whole + "." + frac
            else:
                number = whole + "." + frac
    try:
        return Decimal(number) * sign, ambiguous
    except InvalidOperation:
        return None, False


def _grouped(s: str, mark: str) -> bool:
    parts = s.split(mark)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def format_number(value: object, decimals: int | None = None) -> str:
    """Vietnamese number: '1.234', '5.558,0', '-12,5' (locale vi_VN: '.' groups thousands, ',' marks decimals, as
    Babel writes them). Whole numbers keep no decimals unless asked."""
    if value is None:
        return ""
    d = (
        value
        if isinstance(value, Decimal)
        else Decimal(repr(value))
        if isinstance(value, float)
        else Decimal(str(value))
    )
    if decimals is None:
        decimals = 0 if d == d.to_integral_value() else max(0, -int(d.normalize().as_tuple().exponent))
    d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # as Excel's ROUND: 6,25 -> 6,3
    if d == 0:
        d = abs(d)  # never '-0'
    # Python's own grouping, the marks swapped (thousands of figures in a report: Babel parses its pattern each time)
    return format(d, f",.{decimals}f").translate(_VI_MARKS)


_VI_MARKS = str.maketrans({",": ".", ".": ","})


def format_percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """'85,3%' from 85.3 percentage points (Babel, locale vi_VN)."""
    from babel.numbers import format_percent as babel_percent

    if value is None:
        return ""
    points = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return babel_percent(points / 100, format=pattern, locale="vi_VN")
