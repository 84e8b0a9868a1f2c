"""Validation on real workbooks written to a temporary folder."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import ANNEX_DISTRICT_ROW, write_unit
from mtqg_cli.aggregation import aggregate
from mtqg_cli.samples import target_values
from mtqg_cli.validate import validate_file, validate_paths


def test_clean_batch(annex_folder, schema):
    report = validate_paths([annex_folder], schema)
    assert len(report.files) == 11
    assert report.valid
    assert report.issues == []
    assert sorted(u for f in report.files for u in f.units) == sorted(u.code for u in schema.units)


def test_three_errors_exactly_with_their_cells(annex_folder, schema):
    bad = annex_folder / "moc-chau_2024.xlsx"
    unit = schema.unit_by_code["moc-chau"]
    values = dict(target_values(schema, unit))
    values["to_truyen_thong"] = "mười ba"  # text in a number cell (column D)
    values["to_tkvvtb"] = -2  # a negative count (column E)
    write_unit(bad, schema, "moc-chau", values=values, total={"to_tkvvtb_gals": 30})  # wrong total (column F)
    report = validate_paths([annex_folder], schema)
    assert report.flatten(["file", "sheet", "cell", "code", "severity"]) == [
        [str(bad), "Biểu 01", "D10", "cell-not-number", "error"],
        [str(bad), "Biểu 01", "E10", "cell-below-min", "error"],
        [str(bad), "Biểu 01", "F11", "total-row-mismatch", "error"],
    ]
    total_issue = report.issues[2]
    assert total_issue.message("vi") == (
        "Dòng tổng cộng, cột «Thí điểm tổ TKVVTB áp dụng phương pháp học tập và hành động giới»: ghi 30, "
        "tổng các dòng là 3."
    )
    assert total_issue.fix("en") == "Change the total to 3 (or use a =SUM formula)."
    assert "mười ba" in report.issues[0].message("en")
    # the other ten still aggregate
    agg = aggregate(report)
    assert len(agg.reported) == 10 and agg.missing == ["moc-chau"]
    assert [f.path.name for f in agg.rejected] == ["moc-chau_2024.xlsx"]
    assert agg.totals["to_truyen_thong"] == Decimal(416 - 13)


def test_annex_layout_is_read(tmp_path, schema):
    """A district sends back the annex itself: its three header rows, its own row, a 'Cộng' row."""
    path = write_unit(tmp_path / "phu-luc-moc-chau.xlsx", schema, "moc-chau", layout="annex", label="Mộc Châu")
    result = validate_file(path, schema)
    assert result.issues == []
    assert result.sheet == "Phụ lục"
    [row] = result.rows
    assert row.unit == "moc-chau" and row.row == 6  # sheet row 7: title (1-2), blank, header (4-6), the unit
    assert [int(row.values[i.code]) for i in schema.indicators] == [44, 13, 3, 3, 1, 3, 13, 3, 2, 1, 1, 3]


def test_annex_layout_wrong_total_cell(tmp_path, schema):
    path = write_unit(
        tmp_path / "pl.xlsx", schema, "song-ma", layout="annex", label="H. Sông Mã", total={"tap_huan_lgg_ct3": 11}
    )
    result = validate_file(path, schema)
    assert [(i.cell, i.code) for i in result.issues] == [("N8", "total-row-mismatch")]


def test_unit_text_and_ambiguous_numbers_are_warnings(tmp_path, schema):
    values = dict(target_values(schema, schema.unit_by_code["bac-yen"]))
    values["to_truyen_thong"] = "22 tổ"
    values["so_ban_dbkk"] = " 78 "
    path = write_unit(tmp_path / "b.xlsx", schema, "bac-yen", values=values, total={"to_truyen_thong": 22})
    result = validate_file(path, schema)
    assert [(i.cell, i.code, i.severity.value) for i in result.issues] == [("D10", "cell-unit-text", "warning")]
    assert result.accepted
    assert result.rows[0].values["to_truyen_thong"] == 22
    assert result.rows[0].values["so_ban_dbkk"] == 78


def test_blank_required_cell_and_decimal_count(tmp_path, schema):
    values = dict(target_values(schema, schema.unit_by_code["bac-yen"]))
    values["dia_chi_an_toan"] = None
    values["clb_thu_linh"] = 2.5
    path = write_unit(tmp_path / "b.xlsx", schema, "bac-yen", values=values)
    result = validate_file(path, schema)
    assert [(i.cell, i.code) for i in result.issues] == [("H10", "cell-required"), ("J10", "cell-not-integer")]


def test_dash_and_x_are_not_missing(tmp_path, schema):
    values = dict(target_values(schema, schema.unit_by_code["bac-yen"]))
    values["dia_chi_an_toan"] = "-"
    values["clb_thu_linh"] = "x"
    result = validate_file(write_unit(tmp_path / "b.xlsx", schema, "bac-yen", values=values), schema)
    assert result.issues == []
    assert (result.rows[0].values["dia_chi_an_toan"], result.rows[0].values["clb_thu_linh"]) == (None, None)


def test_unknown_unit_lists_candidates(tmp_path, schema):
    path = write_unit(tmp_path / "u.xlsx", schema, "moc-chau", label="Huyện Sơn La")
    result = validate_file(path, schema)
    assert [(i.cell, i.code) for i in result.issues] == [("B10", "unit-unknown"), ("B10", "no-unit-rows")]
    assert result.issues[0].message("en") == "Unknown reporting unit «Huyện Sơn La» (nearest names: Sông Mã, Mường La)."


def test_commune_in_a_district_form_is_a_level_mismatch(tmp_path, schema):
    path = write_unit(tmp_path / "x.xlsx", schema, "mai-son", label="Xã Mai Sơn")
    result = validate_file(path, schema)
    assert result.issues[0].code == "unit-wrong-level"
    assert result.issues[0].message("vi") == "«Xã Mai Sơn» là đơn vị cấp xã, biểu này do đơn vị cấp huyện báo cáo."


def test_rule_gals_within_tkvvtb_is_a_warning(tmp_path, schema):
    values = dict(target_values(schema, schema.unit_by_code["bac-yen"]))
    values["to_tkvvtb_gals"] = 9  # more than its 6 savings groups
    result = validate_file(write_unit(tmp_path / "b.xlsx", schema, "bac-yen", values=values), schema)
    assert [(i.cell, i.code, i.severity.value) for i in result.issues] == [("F10", "rule-failed", "warning")]
    assert result.accepted


def test_same_unit_twice_names_both_files(annex_folder, schema):
    copy = write_unit(annex_folder / "zz-moc-chau-sua.xlsx", schema, "moc-chau", label="H. Mộc Châu")
    report = validate_paths([annex_folder], schema)
    dup = [(f.path.name, i.params["other"]) for f in report.files for i in f.issues if i.code == "unit-duplicate-file"]
    assert dup == [("moc-chau_2024.xlsx", copy.name), ("zz-moc-chau-sua.xlsx", "moc-chau_2024.xlsx")]


def test_a_unit_in_two_thousand_files_gives_the_first_one_error_not_two_thousand(annex_folder, schema):
    """2,000 copies of one return: each copy names the first; the first names five copies and how many more."""
    import shutil

    source = annex_folder / "moc-chau_2024.xlsx"
    for k in range(30):
        shutil.copy(source, annex_folder / f"zz-ban-sao-{k:02d}.xlsx")
    report = validate_paths([annex_folder], schema)
    [first] = [f for f in report.files if f.path == source]
    [issue] = [i for i in first.issues if i.code == "unit-duplicate-file"]
    assert issue.params["other"].endswith("(+25)") and issue.params["other"].count(".xlsx") == 5
    copies = [f for f in report.files if f.path.name.startswith("zz-ban-sao")]
    assert all([i.params["other"] for i in f.issues] == ["moc-chau_2024.xlsx"] for f in copies)


def test_bad_files_are_reported_and_the_batch_goes_on(annex_folder, tmp_path, schema):
    (annex_folder / "hong.xlsx").write_bytes(b"PK\x03\x04 this is not a zip")
    (annex_folder / "rong.xlsx").write_bytes(b"")
    (annex_folder / "bao-cao.xls").write_bytes(b"%PDF-1.4 renamed")
    docx = annex_folder / "van-ban.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    missing = tmp_path / "khong-co.xlsx"
    report = validate_paths([annex_folder, missing], schema)
    codes = {f.path.name: [i.code for i in f.issues] for f in report.files}
    assert codes["hong.xlsx"] == ["file-corrupt"]
    assert codes["rong.xlsx"] == ["file-empty"]
    assert codes["bao-cao.xls"] == ["file-not-spreadsheet"]
    assert codes["van-ban.xlsx"] == ["file-not-spreadsheet"]
    assert codes["khong-co.xlsx"] == ["file-not-found"]
    agg = aggregate(report)
    assert [int(agg.totals[i.code]) for i in schema.indicators] == ANNEX_DISTRICT_ROW


def test_workbook_without_the_table(tmp_path, schema):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Danh sách cán bộ"
    wb.active["A2"] = "Họ tên"
    wb.save(tmp_path / "khac.xlsx")
    result = validate_file(tmp_path / "khac.xlsx", schema)
    assert [i.code for i in result.issues] == ["table-not-found"]


def _evaluate_by_walking(expression, values):
    """The definition of a formula's value: walk the tree; a blank operand or a division by zero gives blank."""
    import ast
    from decimal import Decimal

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.Constant):
            return Decimal(repr(node.value))
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return None if v is None else -v
        a, b = ev(node.left), ev(node.right)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return None if b == 0 else a / b

    return ev(ast.parse(expression, mode="eval"))


_operand = st.sampled_from(["a", "b", "c", "2", "0", "0.5", "100"])
_formula = st.recursive(
    _operand,
    lambda inner: (
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        | inner.map(lambda e: f"-{e}")
    ),
    max_leaves=8,
)
_figure = st.none() | st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False)


@given(_formula, _figure, _figure, _figure)
def test_compiled_formula_gives_what_walking_the_tree_gives(expression, a, b, c):
    from mtqg_cli.validate import evaluate

    values = {"a": a, "b": b, "c": c}
    assert evaluate(expression, values) == _evaluate_by_walking(expression, values)


# Figures as a cell holds them: whole numbers, money with decimals, large and tiny, near ties.
_cell_number = (
    st.integers(min_value=-(10**12), max_value=10**12).map(Decimal)
    | st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False)
    | st.sampled_from([Decimal("0.1"), Decimal("0.2"), Decimal("0.3"), Decimal("0.05"), Decimal(2**53), Decimal(0)])
)


def _as_cell(d):
    """The float a reader gives for a cell holding d, and the Decimal mtqg makes of that float."""
    from mtqg_cli.numbers import float_decimal

    f = float(d)
    return f, float_decimal(f)


@given(_formula, st.none() | _cell_number, st.none() | _cell_number, st.none() | _cell_number)
def test_a_float_formula_is_within_its_bound_of_the_exact_value(expression, a, b, c):
    """The float evaluation either says blank exactly when the Decimal one does, declines (unsure), or returns a
    value whose stated error bound holds against the Decimal value."""
    from mtqg_cli.validate import evaluate
    from mtqg_cli.validate.fastpath import UNSURE as _UNSURE
    from mtqg_cli.validate.fastpath import float_formula as _float_formula
    from mtqg_cli.validate.fastpath import row_error as _row_error

    floats, exact = zip(*[(None, None) if x is None else _as_cell(x) for x in (a, b, c)], strict=True)
    expected = evaluate(expression, dict(zip("abc", exact, strict=True)))
    got = _float_formula(expression, ("a", "b", "c"))(floats, _row_error(floats))
    if got is None:
        assert expected is None
    elif got is not _UNSURE:
        assert expected is not None
        value, error = got
        assert abs(Decimal(value) - expected) <= Decimal(error)


@settings(max_examples=400)
@given(
    st.sampled_from(["==", "<=", ">=", "<", ">"]),
    st.lists(_cell_number, min_size=1, max_size=6),
    _cell_number,
    st.sampled_from([Decimal(0), Decimal("0.05"), Decimal("0.5"), Decimal(1)]),
    st.sampled_from([Decimal(0), Decimal("0.1"), Decimal(1)]),
    st.integers(min_value=-3, max_value=3),
)
def test_a_check_decided_in_floats_holds_in_decimals(op, parts, other, tolerance, share, nudge):
    """What the float path lets through without the Decimals (a sum against a figure, within a tolerance) holds
    by the Decimal definition too; and near the tolerance's edge the floats still decide most cases."""
    from mtqg_cli.schema import Rule
    from mtqg_cli.validate.checks import holds as _holds
    from mtqg_cli.validate.fastpath import float_sum as _float_sum
    from mtqg_cli.validate.fastpath import row_error as _row_error
    from mtqg_cli.validate.fastpath import surely as _surely

    rule = Rule(code="r", kind="compare", left="a", right="b", op=op, tolerance=tolerance, tolerance_pct=share)
    cells = [_as_cell(p) for p in parts]  # each from a row of its own, as sub-lines are
    total, error = _float_sum([f for f, _ in cells], sum(_row_error((f,)) for f, _ in cells))
    exact_total = sum((d for _, d in cells), Decimal(0))
    # the other side: a figure, or one a tolerance (and a few hundredths) away from the sum: the edge cases
    edge = exact_total + tolerance + Decimal(nudge) / 100 if nudge else other
    f, d = _as_cell(edge)
    if _surely(op, f, total, error + _row_error((f,)), float(tolerance), float(share) / 100):
        assert _holds(op, d, exact_total, rule)


def test_float_checks_decide_at_the_edge_of_a_tolerance_as_decimals_do():
    """0.1 + 0.2 against 0.3 and sums one hundredth either side of a 0.05 tolerance: the verdicts of exact
    arithmetic, whatever the floats say."""
    from mtqg_cli.schema import Rule
    from mtqg_cli.validate.checks import holds as _holds
    from mtqg_cli.validate.fastpath import float_sum as _float_sum
    from mtqg_cli.validate.fastpath import row_error as _row_error
    from mtqg_cli.validate.fastpath import surely as _surely

    rule = Rule(code="r", kind="total_row", tolerance=Decimal(0))
    total, error = _float_sum([0.1, 0.2], _row_error((0.1,)) + _row_error((0.2,)))
    assert total != 0.3  # the floats alone would call this wrong
    assert not _surely("==", 0.3, total, error + _row_error((0.3,)), 0.0)  # so they do not decide it
    assert _holds("==", Decimal("0.3"), Decimal("0.1") + Decimal("0.2"), rule)  # and the Decimals find it right
    # whole numbers are exact in floats: decided there
    assert _row_error((1.0, 2.0, 3.0)) == 0.0
    assert _surely("==", 6.0, *_float_sum([1.0, 2.0, 3.0], 0.0), 0.0)
    assert not _surely("==", 7.0, *_float_sum([1.0, 2.0, 3.0], 0.0), 0.0)
    within = Rule(code="r", kind="total_row", tolerance=Decimal("0.05"))
    for found, holds in ((10.04, True), (10.05, True), (10.06, False)):
        total, error = _float_sum([4.5, 5.5], 2 * _row_error((5.5,)))
        surely = _surely("==", found, total, error + _row_error((found,)), 0.05)
        assert _holds("==", Decimal(repr(found)), Decimal(10), within) is holds
        assert not surely or holds


@pytest.mark.parametrize("expression", ['__import__("os")', "a.b", "a if b else c", "a ** 2", "[a]", "_c0 + 1"])
def test_formula_outside_arithmetic_is_refused(expression):
    from mtqg_cli.validate import evaluate

    with pytest.raises(ValueError, match="unsupported expression"):
        evaluate(expression, {"a": 1})


@settings(max_examples=40)
@given(st.floats(min_value=-50, max_value=5000, allow_nan=False) | st.integers(min_value=-5, max_value=5000).map(float))
def test_figures_within_bounds_skip_the_row_model_without_changing_the_verdict(tmp_path_factory, schema, x):
    """A cell read as a number is judged by the row model (types, min, max) whether or not the quick float check
    lets it through: the issues are what the model alone says."""
    from pydantic import ValidationError

    values = dict(target_values(schema, schema.unit_by_code["bac-yen"]))
    values["clb_thu_linh"] = x
    path = write_unit(tmp_path_factory.mktemp("b") / "b.xlsx", schema, "bac-yen", values=values)
    codes = {i.code for i in validate_file(path, schema).issues if i.cell == "J10"}
    try:
        schema.row_model()(clb_thu_linh=Decimal(repr(x)))
        expected = set()
        # a figure the model takes is questioned when over 3 times the unit's own phase target
        if Decimal(repr(x)) > 3 * schema.target_for("bac-yen", "clb_thu_linh"):
            expected = {"figure-far-from-target"}
    except ValidationError as exc:
        kind = exc.errors()[0]["type"]
        expected = {
            {"greater_than_equal": "cell-below-min", "less_than_equal": "cell-above-max"}.get(kind, "cell-not-integer")
        }
    assert codes == expected


_word = st.sampled_from(["ke", "hoach", "von", "giai", "ngan", "tong", "so", "xa", "du", "an", "1", "2", "&"])
_folded = st.lists(_word, min_size=0, max_size=4).map(" ".join)


@settings(max_examples=500)
@example(["tong so ke", "hoach von"], ["ke hoach"])  # a phrase across two cells names nothing
@given(st.lists(_folded, max_size=8), st.lists(_folded, min_size=1, max_size=6))
def test_a_row_names_a_phrase_as_cell_by_cell_matching_says(cells, phrases):
    """Looking for a form's phrases in a row joined once finds exactly what matching every cell with every phrase
    as whole words finds: never a phrase across two cells."""
    from mtqg_cli.locate import _names_a_phrase
    from mtqg_cli.text import contains_phrase

    wrapped = [f" {p} " for p in phrases if p]
    assert _names_a_phrase(cells, wrapped) == any(contains_phrase(c, p) for c in cells if c for p in phrases)
