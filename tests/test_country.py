"""The country's units as shipped data: the counts the reform gives, what became what, names as people write them."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mtqg_cli.cli.app import app
from mtqg_cli.country import country, match_names
from mtqg_cli.text import strip_accents

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2026, 1, 1)


def test_the_counts_of_the_reform():
    cat = country()
    assert len(cat.in_force(level="province", on=AFTER)) == 34
    communes = cat.in_force(on=AFTER)
    assert len(communes) == 3321
    assert Counter(u.kind for u in communes) == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}
    assert len(cat.in_force(level="province", on=BEFORE)) == 63
    assert len(cat.in_force(level="district", on=BEFORE)) == 696
    assert len(cat.in_force(on=BEFORE)) == 10040  # 10,035 communes and 5 island districts without communes
    assert cat.in_force(level="district", on=AFTER) == []


def test_every_old_commune_became_a_new_one_and_splits_are_kept():
    cat = country()
    old, new = cat.in_force(on=BEFORE), cat.in_force(on=AFTER)
    assert all(u.became for u in old)
    assert all(u.came_from for u in new)
    split = [u for u in old if len(u.became) > 1]
    assert len(split) == 471
    for u in old:  # a commune goes to the province its old province became part of: never elsewhere
        assert len({cat.by_key[k].province for k in u.became}) == 1


@pytest.mark.parametrize(
    "args, count",
    [
        (["Lai Châu", "--on", "2026-01-01"], 38),
        (["Thái Nguyên", "--on", "2026-01-01"], 92),
        (["Lạng Sơn", "--on", "2026-01-01"], 65),
        (["Sơn La", "--level", "district", "--on", "2025-06-30"], 12),
        (["son la", "--on", "2026-01-01"], 75),
        (["--on", "2026-01-01"], 3321),
        (["--on", "2025-06-30"], 10040),
    ],
)
def test_units_list(args, count):
    result = CliRunner().invoke(app, ["units", "list", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["count"] == count


def test_units_show_and_match_through_the_command_line(tmp_path):
    from openpyxl import Workbook

    runner = CliRunner()
    shown = json.loads(runner.invoke(app, ["units", "show", "03847", "--format", "json"]).stdout)
    assert [(u["name"], u["valid_to"] or u["valid_from"]) for u in shown] == [
        ("Xã Mường Bú", "2025-06-30"),
        ("Xã Mường Bú", "2025-07-01"),
    ]
    book = Workbook()
    for name in ("Tên đơn vị", "X. Mường Bú", "Xã Chiềng Mung", "Phường Tô Hiệu", "Xã Không Có"):
        book.active.append([name, 1])
    book.save(tmp_path / "bao-cao.xlsx")
    result = runner.invoke(app, ["units", "match", str(tmp_path / "bao-cao.xlsx"), "-t", "Sơn La", "--format", "json"])
    assert result.exit_code == 1  # one name is not a unit
    rows = json.loads(result.stdout)
    assert [(r["name"], (r["unit"] or {}).get("code")) for r in rows] == [
        ("X. Mường Bú", "03847"),
        ("Xã Chiềng Mung", "04123"),
        ("Phường Tô Hiệu", "03646"),
        ("Xã Không Có", None),
    ]


_SON_LA = country().in_force("Sơn La", on=AFTER)
_BARE = Counter((u.province, strip_accents(u.short)) for u in country().in_force(on=AFTER))
_TWINS = [u for u in country().in_force(on=AFTER) if _BARE[(u.province, strip_accents(u.short))] > 1]  # Sơn Hà, Sơn Hạ


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_TWINS), st.sampled_from(["{kind} {name}", "{k}. {name}", "{name}"]))
def test_names_that_differ_only_by_accents_are_told_apart_by_them(unit, shape):
    written = shape.format(kind=unit.kind, k=unit.kind[0], name=unit.short)
    [row] = match_names([written], unit.province, AFTER)
    assert row["unit"] is not None and row["unit"]["key"] == unit.key, (written, row)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_SON_LA),
    st.sampled_from(["{kind} {name}", "{k}. {name}", "{name}", "{kind_lower} {name}"]),
    st.sampled_from([str, str.upper, strip_accents, lambda t: strip_accents(t).lower()]),
)
def test_a_commune_is_found_however_its_name_is_written(unit, shape, case):
    """'Xã Mường Bú', 'X. Mường Bú', 'Mường Bú', 'MƯỜNG BÚ', 'Muong Bu': the same commune, with full confidence."""
    written = case(shape.format(kind=unit.kind, k=unit.kind[0], kind_lower=unit.kind.lower(), name=unit.short))
    [row] = match_names([written], "Sơn La", AFTER)
    assert row["unit"] is not None and row["unit"]["key"] == unit.key, (written, row)
    assert row["confidence"] == 100


_TRAPS = [
    (commune, district)
    for district in country().in_force(level="district", on=BEFORE)
    for commune in country().in_force(on=AFTER)
    if commune.province == district.province and commune.short == district.short
]


def test_the_reform_reuses_district_names_for_communes():
    assert len(_TRAPS) > 50  # the trap is common: a new commune named after its old district
    assert any(c.short == "Mai Sơn" and c.province == "Sơn La" for c, _ in _TRAPS)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_TRAPS))
def test_a_district_name_is_never_taken_for_the_commune_of_the_same_name(trap):
    """'Xã Mai Sơn' is the commune; 'Huyện Mai Sơn' (the former district) is not, whatever the spelling."""
    commune, district = trap
    as_commune, as_district = match_names([commune.name, district.name], commune.province, AFTER)
    assert as_commune["unit"]["key"] == commune.key
    assert as_district["unit"] is None and as_district["wrong_level"]


def test_commune_forms_take_their_units_from_the_country(tmp_path):
    from mtqg_cli.forms import load_schema

    son_la, lai_chau = load_schema("son-la-du-an-8-xa"), load_schema("lai-chau-du-an-8-xa")
    assert len(son_la.units) == 75 and len(lai_chau.units) == 38
    bu = next(u for u in son_la.units if u.name == "Mường Bú")
    assert (bu.code, bu.gso, bu.kind, bu.level, bu.valid_from) == (
        "muong-bu",
        "03847",
        "xã",
        "commune",
        AFTER.replace(month=7, day=1, year=2025),
    )
    assert len({u.code for u in son_la.units}) == 75


def test_communes_named_as_people_write_them_are_read_and_added_up(tmp_path):
    """Returns from Sơn La's communes, named several ways, each found by its form (two commune forms share their
    headings) and added up; the 2026 status expects the 75 communes; the district form refuses a 2026 template."""
    from mtqg_cli.aggregation import aggregate
    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.store import Store
    from mtqg_cli.validate import validate_paths

    form = load_schema("son-la-du-an-8-xa")
    written = {
        "muong-bu": "X. Mường Bú",
        "chieng-mung": "CHIENG MUNG",
        "to-hieu": "phường Tô Hiệu",
        "mai-son": "Xã Mai Sơn",
    }
    folder = tmp_path / "nhan"
    for k, (code, label) in enumerate(written.items(), start=1):
        values = {i.code: k for i in form.indicators}
        write_unit_workbook(folder / f"{code}.xlsx", form, form.unit_by_code[code], values, period="2026", label=label)
    report = validate_paths([folder])  # no --schema: the form is chosen by the names
    assert report.schema.id == "son-la-du-an-8-xa"
    assert sorted(u for f in report.files for u in f.units) == sorted(written)
    assert all(f.accepted for f in report.files), [i.to_dict() for i in report.issues]
    agg = aggregate(report)
    assert int(agg.totals["to_truyen_thong"]) == 1 + 2 + 3 + 4
    store = Store(tmp_path / "kho")
    for path in sorted(folder.glob("*.xlsx")):
        store.ingest(path, form, "2026")
    status = store.status(form, "2026")
    assert len(status.units) == 75 and status.reported == 4
    assert store.status(load_schema("son-la-du-an-8"), "2026").units == []  # the districts are gone in 2026
    result = CliRunner().invoke(app, ["template", "son-la-du-an-8", "--all", "-o", str(tmp_path / "t"), "-p", "2026"])
    assert result.exit_code == 2 and "son-la-du-an-8-xa" in result.output
    result = CliRunner().invoke(app, ["template", "son-la-du-an-8", "--all", "-o", str(tmp_path / "t"), "-p", "2025"])
    assert result.exit_code == 0 and len(list((tmp_path / "t").glob("*.xlsx"))) == 11
    result = CliRunner().invoke(app, ["sample", str(tmp_path / "s"), "-s", "son-la-du-an-8", "-p", "2026"])
    assert result.exit_code == 2 and not (tmp_path / "s").exists()


def test_a_district_return_for_a_period_after_the_reform_names_the_communes_that_report_instead(tmp_path):
    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import target_values, write_unit_workbook
    from mtqg_cli.store import Store

    form = load_schema("son-la-du-an-8")
    unit = form.unit_by_code["mai-son"]
    path = write_unit_workbook(tmp_path / "mai-son.xlsx", form, unit, target_values(form, unit), period="2026")
    store = Store(tmp_path / "kho")
    [late] = store.ingest(path, form, "2026")
    assert not late.accepted
    [issue] = [i for i in late.result.issues if i.code == "unit-not-in-period"]
    assert "Xã Mai Sơn" in issue.params["successors"] and "Xã Chiềng Mung" in issue.params["successors"]
    [fine] = store.ingest(path, form, "2025-H1")  # the first half of 2025: the district still existed
    assert fine.accepted


def test_commune_figures_regroup_by_former_district_by_name(tmp_path):
    """--by-former: the 75 communes' figures set beside the 12 former districts, by name; a commune made from the
    communes of two districts says so."""
    from mtqg_cli.aggregation import aggregate
    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.validate import validate_paths

    form = load_schema("son-la-du-an-8-xa")
    for unit in form.units:
        write_unit_workbook(tmp_path / f"{unit.code}.xlsx", form, unit, {i.code: 1 for i in form.indicators}, "2026")
    frame = aggregate(validate_paths([tmp_path], form, jobs=1)).by_former()
    names = set(frame.index)
    assert {"Huyện Mai Sơn", "Thành phố Sơn La", "Thị xã Mộc Châu"} <= {n for group in names for n in group.split(",")}
    assert int(frame["to_truyen_thong"].sum()) == 75
    assert all(name.startswith(("Huyện", "Thành phố", "Thị xã")) for group in names for name in group.split(","))


def test_cumulative_figures_add_the_districts_before_the_reform_and_the_communes_after(tmp_path):
    """son-la-du-an-8-xa continues son-la-du-an-8: district returns for 2024 and 2025-H1 plus commune returns for
    2025-H2 give one cumulative figure; the year cut by the reform is said in words."""
    from mtqg_cli.forms import load_schema
    from mtqg_cli.pipeline import LedgerExtras
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.store import Store

    districts, communes = load_schema("son-la-du-an-8"), load_schema("son-la-du-an-8-xa")
    store = Store(tmp_path / "kho")
    for period, value in (("2024", 10), ("2025-H1", 3)):
        for unit in districts.units[:2]:
            values = {i.code: value for i in districts.indicators}
            path = write_unit_workbook(tmp_path / period / f"{unit.code}.xlsx", districts, unit, values, period)
            assert store.ingest(path, districts, period)[0].accepted
    for unit in communes.units[:3]:
        values = {i.code: 1 for i in communes.indicators}
        path = write_unit_workbook(tmp_path / "xa" / f"{unit.code}.xlsx", communes, unit, values, "2025-H2")
        assert store.ingest(path, communes, "2025-H2")[0].accepted
    extras = LedgerExtras.of(store, communes, "2025-H2")
    assert extras.continued == [("son-la-du-an-8", "2024"), ("son-la-du-an-8", "2025-H1")]
    assert int(extras.cumulative["to_truyen_thong"]) == 2 * 10 + 2 * 3 + 3 * 1
    [(vi, en)] = extras.cut_years
    assert "Năm 2025" in vi and "2025-H1" in vi and "2025-H2" in vi and "son-la-du-an-8-xa" in en
    kho = str(tmp_path / "kho")
    args = ["aggregate", "-p", "2025-H2", "-s", "son-la-du-an-8-xa", "--store", kho, "--format", "json"]
    result = CliRunner().invoke(app, args)
    ledger = json.loads(result.stdout)["ledger"]
    assert ledger["cumulative"]["to_truyen_thong"] == 29.0 and len(ledger["notes"]) == 1
    # against the 2022-2025 targets of the districts' part (416 community communication teams in the annex)
    assert ledger["targets_from"] == "son-la-du-an-8"
    assert ledger["against_targets"]["to_truyen_thong"] == {"cumulative": 29.0, "target": 416.0, "percent": 7.0}
    table = CliRunner().invoke(app, args[:-2]).output
    assert "son-la-du-an-8" in table and "416" in table


def test_the_word_report_sets_the_cumulative_figures_against_the_phase_targets_and_the_former_districts(tmp_path):
    """report from the ledger --by-former: the Word report has the cumulative table (district returns of 2024 plus
    commune returns of 2025-H2, against the districts' 416 teams), its notes in words, and the table by former
    district with the districts' names as columns."""
    from docx import Document

    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.store import Store

    districts, communes = load_schema("son-la-du-an-8"), load_schema("son-la-du-an-8-xa")
    store = Store(tmp_path / "kho")
    for unit in districts.units[:2]:
        values = {i.code: 10 for i in districts.indicators}
        path = write_unit_workbook(tmp_path / "2024" / f"{unit.code}.xlsx", districts, unit, values, "2024")
        assert store.ingest(path, districts, "2024")[0].accepted
    chosen = [u for u in communes.units if u.code in ("mai-son", "chieng-mung", "to-hieu")]
    assert len(chosen) == 3
    for unit in chosen:
        values = {i.code: 2 for i in communes.indicators}
        path = write_unit_workbook(tmp_path / "xa" / f"{unit.code}.xlsx", communes, unit, values, "2025-H2")
        assert store.ingest(path, communes, "2025-H2")[0].accepted
    out = tmp_path / "bao-cao.docx"
    args = ["report", "-p", "2025-H2", "-s", "son-la-du-an-8-xa", "--store", str(tmp_path / "kho"), "-o", str(out)]
    assert CliRunner().invoke(app, [*args, "--by-former"]).exit_code == 0
    doc = Document(str(out))
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    cumulative = doc.tables[heads.index(["TT", "Chỉ tiêu", "ĐVT", "Lũy kế", "Chỉ tiêu giai đoạn", "Tỷ lệ (%)"])]
    row = next(r for r in cumulative.rows if r.cells[1].text.startswith("Thành lập và duy trì tổ truyền thông"))
    assert [c.text for c in row.cells[3:]] == ["26", "416", "6,3%"]  # 2 × 10 + 3 × 2 against 416
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Lũy kế cộng cả số liệu các kỳ 2024 theo biểu son-la-du-an-8" in text
    assert "Năm 2025: chỉ có số liệu 2025-H2" in text and "[[former_table]]" not in text
    [headers] = [h for h in heads if "Huyện Mai Sơn" in h]
    former = doc.tables[heads.index(headers)]
    assert headers[:3] == ["TT", "Chỉ tiêu", "ĐVT"] and "Thành phố Sơn La" in headers
    row = next(r for r in former.rows if r.cells[1].text.startswith("Thành lập và duy trì tổ truyền thông"))
    by_name = dict(zip(headers[3:], (c.text for c in row.cells[3:]), strict=True))
    assert by_name["Huyện Mai Sơn"] == "4" and by_name["Thành phố Sơn La"] == "2"
    # without --by-former, no such table and no mark left behind
    assert CliRunner().invoke(app, args).exit_code == 0
    doc = Document(str(out))
    assert not any("Huyện Mai Sơn" in c.text for t in doc.tables for c in t.rows[0].cells)
    assert "KẾT QUẢ THEO HUYỆN CŨ" not in "\n".join(p.text for p in doc.paragraphs)


def test_a_year_begun_by_communes_without_the_districts_first_half_is_said(tmp_path):
    """2024 by districts, then 2025-H2 by communes and nothing for 2025-H1: the gap is said, not hidden."""
    from mtqg_cli.forms import load_schema
    from mtqg_cli.pipeline import LedgerExtras
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.store import Store

    districts, communes = load_schema("son-la-du-an-8"), load_schema("son-la-du-an-8-xa")
    store = Store(tmp_path / "kho")
    unit = districts.units[0]
    path = write_unit_workbook(tmp_path / "h.xlsx", districts, unit, {i.code: 5 for i in districts.indicators}, "2024")
    store.ingest(path, districts, "2024")
    unit = communes.units[0]
    path = write_unit_workbook(tmp_path / "x.xlsx", communes, unit, {i.code: 1 for i in communes.indicators}, "2025-H2")
    store.ingest(path, communes, "2025-H2")
    extras = LedgerExtras.of(store, communes, "2025-H2")
    assert int(extras.cumulative["to_truyen_thong"]) == 6
    [(vi, en)] = extras.cut_years
    assert "Năm 2025: chỉ có số liệu 2025-H2" in vi and "01/07/2025" in vi and "son-la-du-an-8 " in vi


def test_a_form_adds_agencies_to_the_units_it_refers_to(tmp_path, monkeypatch):
    import yaml

    from mtqg_cli.forms import load_schema

    data = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "schemas" / "lai-chau-du-an-8-xa.yaml").read_text("utf-8")
    )
    data["id"] = "lai-chau-them-co-quan"
    data["units"] = [
        {"code": "so-ldtbxh", "name": "Sở Lao động - Thương binh và Xã hội", "kind": "sở", "level": "agency"}
    ]
    (tmp_path / "lai-chau-them-co-quan.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    form = load_schema(tmp_path / "lai-chau-them-co-quan.yaml")
    assert len(form.units) == 39 and form.units[-1].code == "so-ldtbxh"


def test_the_tong_hop_workbook_sets_communes_beside_their_former_districts(tmp_path):
    from openpyxl import load_workbook

    root = Path(__file__).resolve().parents[1] / "sample_data" / "son-la-du-an-8-xa"
    out = tmp_path / "tong-hop.xlsx"
    result = CliRunner().invoke(app, ["aggregate", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Theo huyện cũ"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert all(str(r[0]).startswith(("Huyện", "Thành phố", "Thị xã")) for r in rows)
    column = [c.value for c in sheet[4]].index("Thành lập và duy trì tổ truyền thông cộng đồng (tổ)")
    from mtqg_cli.aggregation import aggregate
    from mtqg_cli.validate import validate_paths

    expected = aggregate(validate_paths([root], "son-la-du-an-8-xa")).totals["to_truyen_thong"]
    assert sum(r[column] for r in rows) == expected  # the regrouped figures add up to the communes' total
