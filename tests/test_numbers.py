from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtqg_cli.numbers import Kind, format_number, format_percent, parse_number


@pytest.mark.parametrize(
    ("raw", "integer", "value", "kind", "ambiguous", "words"),
    [
        (12.0, True, Decimal(12), Kind.NUMBER, False, False),
        (12.5, False, Decimal("12.5"), Kind.NUMBER, False, False),
        ("1.234", True, Decimal(1234), Kind.NUMBER, False, False),
        ("1,234", True, Decimal(1234), Kind.NUMBER, False, False),
        ("1.234", False, Decimal(1234), Kind.NUMBER, True, False),
        ("1,234", False, Decimal("1.234"), Kind.NUMBER, True, False),
        ("1.234,5", False, Decimal("1234.5"), Kind.NUMBER, False, False),
        ("1,234.5", False, Decimal("1234.5"), Kind.NUMBER, False, False),
        ("5.558,0", False, Decimal("5558.0"), Kind.NUMBER, False, False),
        ("12,5", False, Decimal("12.5"), Kind.NUMBER, False, False),
        ("1.234.567", True, Decimal(1234567), Kind.NUMBER, False, False),
        ("1 234", True, Decimal(1234), Kind.NUMBER, False, False),
        ("\u00a012\u00a0", True, Decimal(12), Kind.NUMBER, False, False),
        ("12 tổ", True, Decimal(12), Kind.NUMBER, False, True),
        ("-3", True, Decimal(-3), Kind.NUMBER, False, False),
        ("(3)", True, Decimal(-3), Kind.NUMBER, False, False),
        ("", True, None, Kind.BLANK, False, False),
        ("   ", True, None, Kind.BLANK, False, False),
        ("-", True, None, Kind.NIL, False, False),
        ("x", True, None, Kind.NOT_APPLICABLE, False, False),
        ("#REF!", True, None, Kind.ERROR_VALUE, False, False),
        ("mười hai", True, None, Kind.INVALID, False, False),
        ("1.2.3", True, None, Kind.INVALID, False, False),
        ("12,34,5", True, None, Kind.INVALID, False, False),
    ],
)
def test_parse_number_table(raw, integer, value, kind, ambiguous, words):
    parsed = parse_number(raw, integer=integer)
    assert (parsed.kind, parsed.value, parsed.ambiguous, parsed.had_words) == (kind, value, ambiguous, words)


def test_percent_is_flagged():
    parsed = parse_number("85,3%")
    assert (parsed.value, parsed.percent) == (Decimal("85.3"), True)


@given(st.integers(min_value=0, max_value=10**12))
def test_vietnamese_thousands_round_trip(n):
    text = format_number(n)  # '1.234.567'
    assert parse_number(text, integer=True).value == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=9))
def test_money_one_decimal_round_trip(whole, tenth):
    amount = Decimal(whole) + Decimal(tenth) / 10
    text = format_number(amount, 1)  # '5.558,0'
    parsed = parse_number(text)
    assert parsed.kind is Kind.NUMBER
    assert parsed.value == amount
    assert not parsed.ambiguous


@given(st.integers(min_value=1000, max_value=10**12))
def test_english_grouping_with_decimals(n):
    text = f"{n:,}.5"  # '1,234,567.5'
    assert parse_number(text).value == Decimal(n) + Decimal("0.5")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_floats_from_the_reader_are_kept(x):
    parsed = parse_number(x)
    assert parsed.kind is Kind.NUMBER
    assert float(parsed.value) == x


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=12))
def test_words_alone_are_never_numbers(word):
    parsed = parse_number(word)
    assert parsed.kind in (Kind.INVALID, Kind.NOT_APPLICABLE)
    assert parsed.value is None


def test_formatting():
    assert format_number(Decimal("17860.0"), 1) == "17.860,0"
    assert format_number(1449) == "1.449"
    assert format_number(Decimal("-12.5")) == "-12,5"
    assert format_percent(85.26) == "85,3%"
    assert format_percent(61.8) == "61,8%"


def test_halves_round_away_from_zero_as_excel_round_does():
    """An officer checks a figure with Excel's ROUND: 6,25% is 6,3%, 117,95 is 118,0, -2,5 is -3 (Python's and
    Babel's default, half to even, would print 6,2% and 2 for 2,5)."""
    assert format_percent(6.25) == "6,3%"
    assert format_percent(117.95) == "118,0%"
    assert format_number(Decimal("2.5"), 0) == "3"
    assert format_number(Decimal("-2.5"), 0) == "-3"
    assert format_number(Decimal("0.125"), 2) == "0,13"


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6),
    st.sampled_from([None, 0, 1, 2, 3]),
)
def test_figures_are_written_as_babel_writes_them_for_vietnamese(value, decimals):
    """The report's own number writing (fast: thousands of figures per report) is Babel's vi_VN, never '-0'."""
    from babel.numbers import format_decimal

    text = format_number(value, decimals)
    places = decimals
    if places is None:
        places = 0 if value == value.to_integral_value() else max(0, -int(value.normalize().as_tuple().exponent))
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if shown == 0:
        assert not text.startswith("-") and set(text) <= set("0,")
    else:
        assert text == format_decimal(shown, format="#,##0" + ("." + "0" * places if places else ""), locale="vi_VN")
