from __future__ import annotations

from helpers import ANNEX_DISTRICT_ROW, ANNEX_PHASE_ROW, ANNEX_PROVINCE_ROW
from mtqg_cli.aggregation import aggregate
from mtqg_cli.validate import validate_paths


def test_annex_district_figures_add_up_to_the_annex(annex_folder, schema):
    agg = aggregate(validate_paths([annex_folder], schema))
    codes = [i.code for i in schema.indicators]
    totals = [int(agg.totals[c]) for c in codes]
    assert totals == ANNEX_DISTRICT_ROW  # 1449 | 416, 114, 70, 19, 36, 168, 71, 52, 23, 18, 61
    with_province = [t + p for t, p in zip(totals[1:], ANNEX_PROVINCE_ROW, strict=True)]
    assert with_province == ANNEX_PHASE_ROW  # 800, 220, 134, 37, 70, 323, 136, 100, 44, 35, 117
    assert agg.completeness() == "11/11 đơn vị đã nộp"
    assert agg.missing == []
    # every indicator at exactly 100% of the districts' part
    assert agg.progress["percent"].dropna().tolist() == [100.0] * 11


def test_two_missing_districts(annex_folder, schema):
    (annex_folder / "bac-yen_2024.xlsx").unlink()
    (annex_folder / "yen-chau_2024.xlsx").unlink()
    agg = aggregate(validate_paths([annex_folder], schema))
    assert agg.completeness() == "9/11 đơn vị đã nộp"
    assert agg.completeness("en") == "9/11 units reported"
    assert [agg.unit_name(c) for c in agg.missing] == ["Bắc Yên", "Yên Châu"]
    assert int(agg.totals["to_truyen_thong"]) == 416 - 22 - 33
    assert agg.progress.loc["to_truyen_thong", "percent"] == round((416 - 55) / 416 * 100, 1)
    d = agg.to_dict()
    assert d["completeness"]["missing"] == [
        {"unit": "bac-yen", "name": "Bắc Yên"},
        {"unit": "yen-chau", "name": "Yên Châu"},
    ]
    assert d["totals"]["to_truyen_thong"] == 361
    bac_yen = next(u for u in d["units"] if u["unit"] == "bac-yen")
    assert bac_yen["reported"] is False and bac_yen["values"]["to_truyen_thong"] is None


def test_sample_data_is_plausible(sample_folder, schema):
    agg = aggregate(validate_paths([sample_folder], schema))
    assert len(agg.reported) == 11
    pct = agg.unit_percent.drop(columns=["so_ban_dbkk"])
    over = [u for u in agg.expected if pct.loc[u].mean() > 100]
    behind = [u for u in agg.expected if pct.loc[u].mean() < 40]
    assert over == ["moc-chau"]
    assert behind == ["sop-cop", "van-ho"]
    # not everything equals the target
    assert agg.progress["percent"].dropna().between(50, 99).all()
