"""The submission ledger, on SQLite always and on a real PostgreSQL server when one is reachable
(MTQG_TEST_PG_URL, which .ci/run sets after starting the server)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from helpers import install_form, write_unit
from mtqg_cli.cli.app import app
from mtqg_cli.periods import deadline, parse_period
from mtqg_cli.samples import write_samples, write_unit_workbook
from mtqg_cli.store import Store
from mtqg_cli.store_ingest import INGEST_GROUP

PG_URL = os.environ.get("MTQG_TEST_PG_URL", "")


def _pg_reachable() -> str:
    if not PG_URL:
        return "MTQG_TEST_PG_URL is not set (.ci/run starts PostgreSQL and sets it)"
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # the server could not be reached
        return f"PostgreSQL at MTQG_TEST_PG_URL is not reachable: {exc}"
    return ""


def _reset_pg() -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        for table in (
            "mtqg_period_totals",
            "mtqg_figures",
            "mtqg_submissions",
            "mtqg_files",
            "mtqg_meta",
            "mtqg_web_codes",
            "mtqg_web_events",
        ):
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    """Where a fresh store lives: a folder (SQLite), or the PostgreSQL URL with an archive folder."""
    if request.param == "sqlite":
        yield str(tmp_path / "kho"), None
        return
    reason = _pg_reachable()
    if reason:
        pytest.skip(reason)
    _reset_pg()
    yield PG_URL, str(tmp_path / "luu-tru")


def _store(location) -> Store:
    return Store(location[0], archive=location[1])


# -- periods


def test_periods_and_deadlines():
    assert parse_period("2024-06").previous().code == "2024-05"
    assert parse_period("2024-01").previous().code == "2023-12"
    assert parse_period("2024-Q1").previous().code == "2023-Q4"
    assert parse_period("2024-H2").end == dt.date(2024, 12, 31)
    assert deadline(parse_period("2024"), "10/09") == dt.date(2024, 9, 10)
    assert deadline(parse_period("2024-02"), "+10") == dt.date(2024, 3, 10)


# -- the ledger


def test_ingest_dedupe_versions_history(location, tmp_path, schema):
    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    st = _store(location)
    first = [r.status for f in sorted(folder.iterdir()) for r in st.ingest(f, schema, "2024")]
    assert first == ["new"] * 11
    again = [r.status for f in sorted(folder.iterdir()) for r in st.ingest(f, schema, "2024")]
    assert again == ["duplicate"] * 11
    # Mộc Châu re-sends a corrected file: a new version, the figures that changed
    values = {i.code: int(schema.target_for("moc-chau", i.code)) for i in schema.indicators}
    values["to_truyen_thong"] = 15
    fixed = write_unit(tmp_path / "moc-chau-sua.xlsx", schema, "moc-chau", values=values)
    [res] = st.ingest(fixed, schema, "2024", dt.datetime(2024, 9, 12))
    assert (res.status, res.version, res.accepted) == ("new", 2, True)
    from mtqg_cli.samples import sample_values

    sent = {u.code: sample_values(schema, u) for u in schema.units}
    hist = st.history(schema, "moc-chau", "2024")
    assert [h["version"] for h in hist] == [1, 2]
    # the corrected file differs from the sample in every figure that is not the annex target
    changed = {c["indicator"]: (c["old"], c["new"]) for c in hist[1]["changes"]}
    assert changed["to_truyen_thong"] == (sent["moc-chau"]["to_truyen_thong"], 15)
    assert all(old == sent["moc-chau"][code] and new == values[code] for code, (old, new) in changed.items())
    expected = sum(v["to_truyen_thong"] for code, v in sent.items() if code != "moc-chau") + 15
    assert st.totals(schema, "2024")["to_truyen_thong"] == expected
    assert st.check() == []


MONTHLY = """
id: thang-thu-nghiem
title: Báo cáo tháng thử nghiệm
source: {document: Kế hoạch số 9/KH-TEST, date: 2024-01-02, issuer: UBND tỉnh}
programme: {code: "1719", name: Chương trình MTQG 1719}
project: {code: DA8, name: Dự án 8}
reporting: {level: district, period: month, deadline: "+10"}
layout: {shape: wide, unit_column: ["Đơn vị"]}
units_from: {file: son-la, level: district, exclude: [tp-son-la]}
indicator_defaults: {type: integer, min: 0}
indicators:
  - {code: tuyen_truyen, label: Số buổi tuyên truyền, unit: buổi, headers: ["Số buổi tuyên truyền"]}
  - {code: luot_nguoi, label: Số lượt người tham dự, unit: lượt, headers: ["Số lượt người tham dự"]}
  - {code: luy_ke_to, label: Lũy kế số tổ truyền thông, unit: tổ, headers: ["Lũy kế số tổ"], cumulative: true}
rules:
  - {code: tong, kind: total_row}
"""


def _month_values(unit_index: int, month: int) -> dict[str, int]:
    return {
        "tuyen_truyen": 2 + unit_index % 3 + month % 2,
        "luot_nguoi": 40 + 5 * unit_index + month,
        "luy_ke_to": 10 + unit_index + month,
    }


def test_a_scripted_year(location, tmp_path, monkeypatch):
    schema = install_form(tmp_path / "forms", monkeypatch, "thang.yaml", MONTHLY, "thang-thu-nghiem")
    assert len(schema.units) == 11
    st = _store(location)
    late = {("2024-06", "bac-yen"): 2, ("2024-06", "phu-yen"): 5, ("2024-06", "yen-chau"): 9}
    expected_sum: dict[str, int] = {"tuyen_truyen": 0, "luot_nguoi": 0}
    for month in range(1, 13):
        period = f"2024-{month:02d}"
        due = deadline(parse_period(period), "+10")
        for k, unit in enumerate(schema.units):
            if period == "2024-12" and unit.code == "van-ho":
                continue  # Vân Hồ never reports December
            values = _month_values(k, month)
            days_late = late.get((period, unit.code))
            on_time = dt.datetime.combine(due, dt.time(9)) - dt.timedelta(days=1)
            received = on_time if days_late is None else dt.datetime.combine(due, dt.time(9)) + dt.timedelta(days_late)
            path = tmp_path / "in" / period / f"{unit.code}.xlsx"
            if period == "2024-03" and unit.code == "moc-chau":
                wrong = dict(values, tuyen_truyen=-1)
                bad = write_unit_workbook(path.with_name("moc-chau-loi.xlsx"), schema, unit, wrong)
                [r] = st.ingest(bad, schema, period, received - dt.timedelta(days=3))
                assert not r.accepted
            if period == "2024-07" and unit.code == "song-ma":
                first = dict(values, luot_nguoi=values["luot_nguoi"] + 100)
                v1 = write_unit_workbook(path.with_name("song-ma-v1.xlsx"), schema, unit, first)
                st.ingest(v1, schema, period, received - dt.timedelta(days=2))
            write_unit_workbook(path, schema, unit, values)
            [r] = st.ingest(path, schema, period, received)
            assert r.accepted
            for code in expected_sum:
                expected_sum[code] += values[code]
    june = st.status(schema, "2024-06")
    states = {u.unit: (u.state, u.days_late) for u in june.units}
    assert {u: s for u, s in states.items() if s[0] != "on-time"} == {
        "bac-yen": ("late", 2),
        "phu-yen": ("late", 5),
        "yen-chau": ("late", 9),
    }
    assert (june.rate(), round(june.on_time_rate(), 1)) == (100.0, 72.7)
    december = st.status(schema, "2024-12")
    assert [u.unit for u in december.units if u.state == "missing"] == ["van-ho"]
    assert round(december.rate(), 1) == 90.9
    march = st.status(schema, "2024-03")
    assert {u.unit: u.version for u in march.units}["moc-chau"] == 2
    # cumulative: every latest accepted figure of the year added; the running total is December's own figure
    cum = st.cumulative(schema, "2024-12")
    december_to_date = sum(_month_values(k, 12)["luy_ke_to"] for k, u in enumerate(schema.units) if u.code != "van-ho")
    assert cum == {k: Decimal(v) for k, v in expected_sum.items()} | {"luy_ke_to": Decimal(december_to_date)}
    # one from the other: a month's own figures; the running total's change since the month before
    june = st.in_period(schema, "2024-06")
    may_to_june = sum(_month_values(k, 6)["luy_ke_to"] - _month_values(k, 5)["luy_ke_to"] for k in range(11))
    assert june == {
        "tuyen_truyen": Decimal(sum(_month_values(k, 6)["tuyen_truyen"] for k in range(11))),
        "luot_nguoi": Decimal(sum(_month_values(k, 6)["luot_nguoi"] for k in range(11))),
        "luy_ke_to": Decimal(may_to_june),
    }
    assert may_to_june == 11  # each unit's running total grows by one a month
    assert "luy_ke_to" not in st.in_period(schema, "2024-01")  # no December 2023 to take it from
    hist = st.history(schema, "moc-chau", "2024-03")
    assert [(h["version"], h["accepted"]) for h in hist] == [(1, False), (2, True)]
    # the refused figure (-1) was not kept: the change shows it filled in
    moc = [u.code for u in schema.units].index("moc-chau")
    assert hist[1]["changes"] == [
        {"line": "", "indicator": "tuyen_truyen", "old": None, "new": _month_values(moc, 3)["tuyen_truyen"]}
    ]
    song = st.history(schema, "song-ma", "2024-07")
    k = [u.code for u in schema.units].index("song-ma")
    assert song[1]["changes"] == [
        {
            "line": "",
            "indicator": "luot_nguoi",
            "old": _month_values(k, 7)["luot_nguoi"] + 100,
            "new": _month_values(k, 7)["luot_nguoi"],
        }
    ]
    # July's total counts Sông Mã's corrected figure
    assert st.totals(schema, "2024-07")["luot_nguoi"] == sum(_month_values(k, 7)["luot_nguoi"] for k in range(11))
    assert st.check() == []


def test_unusual_values_are_warned(location, tmp_path, monkeypatch):
    schema = install_form(tmp_path / "forms", monkeypatch, "thang.yaml", MONTHLY, "thang-thu-nghiem")
    st = _store(location)
    unit = schema.unit_by_code["mai-son"]
    p1 = write_unit_workbook(tmp_path / "a.xlsx", schema, unit, {"tuyen_truyen": 3, "luot_nguoi": 50, "luy_ke_to": 12})
    p2 = write_unit_workbook(tmp_path / "b.xlsx", schema, unit, {"tuyen_truyen": 3, "luot_nguoi": 400, "luy_ke_to": 9})
    st.ingest(p1, schema, "2024-04")
    st.ingest(p2, schema, "2024-05")
    found = sorted((i.code, i.params["label"]) for i in st.unusual(schema, "2024-05"))
    assert found == [("cumulative-decrease", "Lũy kế số tổ truyền thông"), ("value-jump", "Số lượt người tham dự")]


def test_cli_ledger_commands(tmp_path, schema):
    runner = CliRunner()
    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    (folder / "van-ho_2024.xlsx").unlink()
    kho = str(tmp_path / "kho")
    r = runner.invoke(
        app, ["ingest", str(folder), "-s", "son-la-du-an-8", "-p", "2024", "--received", "2024-09-12", "--store", kho]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "status",
            "-p",
            "2024",
            "-s",
            "son-la-du-an-8",
            "--store",
            kho,
            "--format",
            "json",
            "-o",
            str(tmp_path / "status.xlsx"),
        ],
    )
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["deadline"] == "2024-09-10" and data["reporting_rate"] == 90.9 and data["on_time_rate"] == 0.0
    assert {u["unit"]: (u["state"], u["days_late"]) for u in data["units"]}["bac-yen"] == ("late", 2)
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "status.xlsx").active.iter_rows(min_row=5, values_only=True))
    assert [r[1:4] for r in rows if r[1] == "Vân Hồ"] == [("Vân Hồ", "Chưa nộp", None)]
    r = runner.invoke(app, ["aggregate", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho, "--format", "json"])
    agg = json.loads(r.stdout)
    assert agg["completeness"]["text"] == "10/11 đơn vị đã nộp"
    assert agg["ledger"]["cumulative"]["to_truyen_thong"] == agg["totals"]["to_truyen_thong"]
    r = runner.invoke(app, ["history", "-u", "H. Mộc Châu", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho])
    assert "v1" in r.output
    r = runner.invoke(app, ["store", "check", "--store", kho])
    assert r.exit_code == 0 and "nhất quán" in r.output
    r = runner.invoke(app, ["store", "export", str(tmp_path / "xuat"), "--store", kho])
    assert r.exit_code == 0
    lines = (tmp_path / "xuat" / "submissions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 11 and len(list((tmp_path / "xuat" / "files").iterdir())) == 10
    figures = (tmp_path / "xuat" / "figures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(figures) == 1 + 10 * 12


# -- safety, with real processes


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "mtqg_cli", *args]


def test_two_ingests_at_once_lose_nothing(location, tmp_path, schema):
    a, b = tmp_path / "a", tmp_path / "b"
    write_samples(a, schema)
    values = {u.code: {i.code: int(schema.target_for(u.code, i.code)) for i in schema.indicators} for u in schema.units}
    write_samples(b, schema, values=values)  # the same units, other figures: second versions
    store_args = ["--store", location[0]]
    env = dict(os.environ)
    if location[1]:
        env["MTQG_ARCHIVE"] = location[1]
    _store(location)  # create the tables once, as the first user would
    procs = [
        subprocess.Popen(
            _cli("ingest", str(folder), "-s", "son-la-du-an-8", "-p", "2024", *store_args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for folder in (a, b)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    st = _store(location)
    subs = st.submissions_for("son-la-du-an-8", "2024")
    assert len(subs) == 22
    for unit in schema.units:
        assert sorted(s.version for s in subs if s.unit == unit.code) == [1, 2]
    assert st.check() == []


def test_killing_an_ingest_leaves_the_store_consistent(location, tmp_path, schema):
    folder = tmp_path / "nhieu"
    groups = 2 * (1 + INGEST_GROUP // len(schema.units))  # files for two groups and more: killed after the first
    for k in range(groups):
        write_samples(folder / f"d{k}", schema, period=str(2000 + k))
    env = dict(os.environ)
    if location[1]:
        env["MTQG_ARCHIVE"] = location[1]
    _store(location)
    proc = subprocess.Popen(
        _cli("ingest", str(folder), "-s", "son-la-du-an-8", "-p", "2024", "--store", location[0]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    st = _store(location)
    started = time.monotonic()
    while time.monotonic() - started < 60 and not st.submissions_for("son-la-du-an-8", "2024"):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    recorded = len(st.submissions_for("son-la-du-an-8", "2024"))
    assert st.check() == []  # every recorded file is archived and whole
    # ingesting again completes the job: nothing lost, nothing twice
    result = subprocess.run(
        _cli("ingest", str(folder), "-s", "son-la-du-an-8", "-p", "2024", "--store", location[0]),
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    subs = st.submissions_for("son-la-du-an-8", "2024")
    every = groups * len(schema.units)
    assert len({s.sha256 for s in subs}) == len(subs) == every
    assert recorded <= every  # killed after the first group, most often before the last (a busy machine may finish)
    assert st.check() == []


def test_units_of_a_period_follow_the_reorganisation(tmp_path, monkeypatch):
    """A district-level form asked for after 1 July 2025 expects no district; a commune form before it, no commune."""
    monthly = MONTHLY.replace("exclude: [tp-son-la]", "exclude: []")
    schema = install_form(tmp_path / "forms", monkeypatch, "thang.yaml", monthly, "thang-thu-nghiem")
    st = Store(tmp_path / "kho")
    assert len(st.status(schema, "2025-06").units) == 12
    assert st.status(schema, "2025-07").units == []
    unit = schema.unit_by_code["mai-son"]
    path = write_unit_workbook(tmp_path / "ms.xlsx", schema, unit, {"tuyen_truyen": 1, "luot_nguoi": 2, "luy_ke_to": 3})
    st.ingest(path, schema, "2025-06")
    from mtqg_cli.aggregation import aggregate

    agg = aggregate(st.report(schema, "2025-06"))
    assert agg.completeness() == "1/12 đơn vị đã nộp"
    assert agg.expected == [u.code for u in schema.units]


def test_ledger_aggregate_json_and_table_equal_the_library(tmp_path, schema, monkeypatch):
    """From the ledger: `aggregate --format json` is what the library's compile_aggregate + aggregate_dict give,
    and the table view prints the ledger's figures (cumulative, previous period, change)."""
    from mtqg_cli.pipeline import aggregate_dict, compile_aggregate

    runner = CliRunner()
    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    kho = str(tmp_path / "kho")
    for period in ("2023", "2024"):
        r = runner.invoke(app, ["ingest", str(folder), "-s", "son-la-du-an-8", "-p", period, "--store", kho])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["aggregate", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho, "--format", "json"])
    done = compile_aggregate(None, None, "son-la-du-an-8", "2024", kho)
    assert json.loads(r.stdout) == json.loads(json.dumps(aggregate_dict(done.agg, done.data), ensure_ascii=False))
    ledger = json.loads(r.stdout)["ledger"]
    assert ledger["previous_period"] == "2023"
    assert ledger["cumulative"]["to_truyen_thong"] == 2 * ledger["previous"]["to_truyen_thong"]
    assert ledger["change"]["to_truyen_thong"] == 0.0
    r = runner.invoke(app, ["aggregate", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho])
    assert r.exit_code == 0, r.output
    assert "Từ kho dữ liệu — 2024" in r.output and "Kỳ trước (2023)" in r.output


def test_two_first_ingests_into_a_fresh_store_both_finish(location, tmp_path, schema):
    """Nobody has created the tables yet: two ingests start together, both create-or-find them, both finish, and
    every return is recorded once (PostgreSQL in CI, SQLite everywhere)."""
    folders = [tmp_path / "a", tmp_path / "b"]
    for k, folder in enumerate(folders):
        write_samples(folder, schema, period=f"202{k}")
    env = dict(os.environ)
    if location[1]:
        env["MTQG_ARCHIVE"] = location[1]
    procs = [
        subprocess.Popen(
            _cli("ingest", str(folder), "-s", "son-la-du-an-8", "-p", f"202{k}", "--store", location[0]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for k, folder in enumerate(folders)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    st = _store(location)
    for period in ("2020", "2021"):
        subs = st.submissions_for("son-la-du-an-8", period)
        assert sorted(s.unit for s in subs) == sorted(u.code for u in schema.units)
        assert all(s.version == 1 for s in subs)
    assert st.check() == []


def test_the_ledger_keeps_only_what_validate_reads_and_checks_itself(location, tmp_path, schema):
    """A file that is not a workbook, or whose unit cannot be told, is reported and never archived; a suffix
    longer than the column is no failure; store check finds figures that differ from their archived original
    and a database emptied beside its archive; export escapes formulas and goes on past a missing file."""
    from sqlalchemy import text

    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    (folder / "rac.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 4096)  # junk named as a workbook
    odd = folder / "moc-chau_2024.xlsx_ban-cuoi-cung"
    odd.write_bytes((folder / "moc-chau_2024.xlsx").read_bytes())
    st = _store(location)
    results = st.ingest(folder / "rac.xlsx", schema, "2024") + st.ingest(odd, schema, "2024")
    assert [(r.status, r.unit) for r in results] == [("refused", "?"), ("new", "moc-chau")]
    for path in sorted(folder.glob("*.xlsx")):
        st.ingest(path, schema, "2024")
    archived = sorted(p for p in st.archive_dir.rglob("*") if p.is_file())
    assert len(archived) == len(schema.units) + 1  # the junk was not kept; the odd suffix was archived as .bin
    assert sum(p.suffix == ".bin" for p in archived) == 1
    assert st.check() == []
    with st.engine.begin() as conn:
        conn.execute(text("UPDATE mtqg_figures SET value = '999' WHERE indicator = 'to_truyen_thong'"))
    keys = [key for key, _ in st.check()]
    assert keys and set(keys) == {"store-figures-differ"}
    done = st.export(tmp_path / "xuat")
    assert done.missing == []
    archived[0].unlink()
    done = st.export(tmp_path / "xuat2")
    assert done.missing == [archived[0]]
    assert (tmp_path / "xuat2" / "figures.csv").is_file()
    assert "store-file-missing" in [key for key, _ in st.check()]
    if location[1] is None:  # SQLite: the database deleted beside its archive
        (Path(location[0]) / "store.sqlite3").unlink()
        assert [key for key, _ in Store(location[0]).check()] == ["store-database-empty"]


def test_export_escapes_what_a_spreadsheet_would_run(tmp_path, schema):
    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    bad = folder / "=HYPERLINK(2)moc-chau_2024.xlsx"
    (folder / "moc-chau_2024.xlsx").rename(bad)
    st = Store(tmp_path / "kho")
    st.ingest(bad, schema, "2024")
    st.export(tmp_path / "xuat")
    import csv

    rows = list(csv.reader((tmp_path / "xuat" / "submissions.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][5] == "'=HYPERLINK(2)moc-chau_2024.xlsx"
    figures = list(csv.reader((tmp_path / "xuat" / "figures.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert all(not v.startswith("'") for row in figures[1:] for v in row)  # numbers stay numbers


def test_status_and_ingest_json_equal_the_library(tmp_path, schema):
    """`status` and `ingest` print as JSON what the library returns (Status.to_dict, IngestResult.to_dict)."""
    runner = CliRunner()
    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    kho = str(tmp_path / "kho")
    r = runner.invoke(
        app, ["ingest", str(folder), "-s", "son-la-du-an-8", "-p", "2024", "--store", kho, "--format", "json"]
    )
    printed = json.loads(r.stdout)["ingested"]
    again = Store(kho).ingest(folder / "moc-chau_2024.xlsx", schema, "2024")[0].to_dict()
    assert {**again, "status": "new"} == next(p for p in printed if p["unit"] == "moc-chau")
    r = runner.invoke(app, ["status", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho, "--format", "json"])
    assert json.loads(r.stdout) == json.loads(json.dumps(Store(kho).status(schema, "2024").to_dict()))


def test_the_tong_hop_from_the_ledger_has_the_comparison_with_the_period_before(tmp_path):
    """The year-on-year table was only in the terminal: a sheet 'So với kỳ trước' of the .xlsx now."""
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from mtqg_cli.cli.app import app

    root = Path(__file__).resolve().parents[1] / "sample_data" / "son-la-du-an-8"
    kho, out = str(tmp_path / "kho"), tmp_path / "th.xlsx"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["ingest", str(root), "-s", "son-la-du-an-8", "-p", "2024", "--store", kho]).exit_code == 0
    )
    runner.invoke(app, ["aggregate", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho, "-o", str(out)])
    ws = load_workbook(out)["So với kỳ trước"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[1]}
    head = [c.value for c in ws[4]]
    assert head[3:5] == ["năm 2024", "năm 2023"]
    row = rows["Thành lập và duy trì tổ truyền thông cộng đồng"]
    assert row[3] == row[5] == row[6] and row[7] == 416 and row[8] == pytest.approx(row[6] / 416 * 100)


def test_the_ledgers_sums_are_exact_whatever_the_decimals(location, tmp_path, monkeypatch):
    """Totals and cumulative figures are added by the database (one query for every period): exact on both
    databases, 0,1 + 0,2 is 0,3; a figure with more than six decimals is added exactly too."""
    form = MONTHLY.replace(
        '  - {code: luot_nguoi, label: Số lượt người tham dự, unit: lượt, headers: ["Số lượt người tham dự"]}',
        '  - {code: luot_nguoi, label: Kinh phí, unit: triệu đồng, type: decimal, headers: ["Số lượt người tham dự"]}',
    )
    schema = install_form(tmp_path / "forms", monkeypatch, "thang.yaml", form, "thang-thu-nghiem")
    st = _store(location)
    given = {
        "2024-01": ["0.1", "0.2", "1234567.125"],
        "2024-02": ["0.3", "0.0000001", "2"],  # seven decimals: added figure by figure
        "2024-03": ["9000000000000.5", "8999999999999.25", "1"],  # đồng: millionths would overflow 64 bits
    }
    for period, amounts in given.items():
        for unit, amount in zip(["mai-son", "moc-chau", "song-ma"], amounts, strict=True):
            values = {"tuyen_truyen": 1, "luot_nguoi": Decimal(amount), "luy_ke_to": 3}
            path = write_unit_workbook(tmp_path / period / f"{unit}.xlsx", schema, schema.unit_by_code[unit], values)
            [r] = st.ingest(path, schema, period)
            assert r.accepted, r
    assert st.totals(schema, "2024-01")["luot_nguoi"] == Decimal("1234567.425")
    assert st.totals(schema, "2024-02")["luot_nguoi"] == Decimal("2.3000001")
    assert st.totals(schema, "2024-03")["luot_nguoi"] == Decimal("18000000000000.75")
    both = st.period_totals(schema, ["2024-01", "2024-02"])
    assert both["2024-01"] == st.totals(schema, "2024-01") and both["2024-02"] == st.totals(schema, "2024-02")
    cum = st.cumulative(schema, "2024-02")
    assert cum["luot_nguoi"] == Decimal("1234569.7250001") and cum["tuyen_truyen"] == 6
    assert st.cumulative(schema, "2024-03")["luot_nguoi"] == Decimal("18000001234570.4750001")
    assert cum["luy_ke_to"] == 9  # a running total: February's, not January's added
    st.analyze()  # the statistics a large ingest brings up to date: the same answers after
    assert st.cumulative(schema, "2024-02") == cum


def test_a_group_holding_the_same_file_twice_and_a_correction_records_each_once_in_order(location, tmp_path, schema):
    """One ingest of a folder where Mộc Châu's return appears twice (same bytes, two names) and then corrected:
    recorded as version 1, a duplicate of it, version 2; a second ingest of the folder adds nothing."""
    import shutil

    from mtqg_cli.store_ingest import ingest_paths

    folder = tmp_path / "nhan"
    first = write_unit(folder / "a-moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    shutil.copy(first, folder / "b-moc-chau_2024.xlsx")
    write_unit(folder / "c-moc-chau_2024.xlsx", schema, "moc-chau")
    write_unit(folder / "d-song-ma_2024.xlsx", schema, "song-ma")
    st = _store(location)
    done = ingest_paths(st, [folder], schema, "2024", jobs=1)
    assert [(r.path.name, r.unit, r.status, r.version, r.accepted) for r in done] == [
        ("a-moc-chau_2024.xlsx", "moc-chau", "new", 1, False),
        ("b-moc-chau_2024.xlsx", "moc-chau", "duplicate", 1, False),
        ("c-moc-chau_2024.xlsx", "moc-chau", "new", 2, True),
        ("d-song-ma_2024.xlsx", "song-ma", "new", 1, True),
    ]
    again = ingest_paths(st, [folder], schema, "2024", jobs=1)
    assert [r.status for r in again] == ["duplicate"] * 4
    assert len(st.submissions_for(schema.id, "2024")) == 3
    assert st.figures_of(st.latest_accepted(schema.id, "2024")["moc-chau"].id)
    assert st.check() == []


def test_a_report_from_the_ledger_without_a_period_takes_its_latest_or_asks(tmp_path, annex_folder):
    runner = CliRunner()
    kho = str(tmp_path / "kho")
    out = tmp_path / "bc.docx"
    asked = runner.invoke(app, ["report", "-s", "son-la-du-an-8", "--store", kho, "-o", str(out)])
    assert asked.exit_code == 2 and "Sổ chưa có báo cáo nào của biểu son-la-du-an-8" in asked.output
    assert not out.exists()
    runner.invoke(app, ["ingest", str(annex_folder), "-s", "son-la-du-an-8", "-p", "2024", "--store", kho])
    done = runner.invoke(app, ["report", "-s", "son-la-du-an-8", "--store", kho, "-o", str(out)])
    assert done.exit_code == 0 and "Kỳ báo cáo lấy theo kỳ mới nhất trong sổ: 2024" in done.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Kết quả thực hiện Dự án 8 năm 2024" in text


@pytest.mark.parametrize("jobs", [1, 2])
def test_originals_are_archived_where_they_are_checked(tmp_path, schema, jobs):
    """Ingest archives each original in the process that checked it (a worker, from 32 files on), the main process
    writing only the rows: the archive holds every accepted file under its hash, a refused one is not archived."""
    import hashlib

    from mtqg_cli.store_ingest import Keeper, ingest_paths
    from mtqg_cli.validate import validate_each

    folder = tmp_path / "nhan"
    for k in range(40 if jobs > 1 else 3):
        unit = schema.units[k % len(schema.units)]
        write_unit(folder / f"{k:02d}-{unit.code}_2024.xlsx", schema, unit.code, values={"to_truyen_thong": k + 1})
    (folder / "zz-hong.xlsx").write_bytes(b"not a workbook")
    files = sorted(folder.iterdir())
    archive = tmp_path / "luu"
    results = list(validate_each(files, schema, jobs, keep=Keeper(archive, sync=False)))
    for path, result in zip(files, results, strict=True):
        data = path.read_bytes()
        if path.name == "zz-hong.xlsx":
            assert result.kept is None
            continue
        sha = hashlib.sha256(data).hexdigest()
        assert result.kept == (sha, len(data))
        assert (archive / sha[:2] / f"{sha}.xlsx").read_bytes() == data
    st = Store(str(tmp_path / "kho"))
    done = ingest_paths(st, [folder], schema, "2024", jobs=jobs)
    assert [r.status for r in done].count("refused") == 1 and st.check() == []
    kept = {p.name for p in st.archive_dir.rglob("*.xlsx")}
    assert len(kept) == len(files) - 1


def test_a_periods_totals_are_remembered_until_its_returns_change(location, tmp_path, schema):
    """Totals are remembered with the stamp of the returns they were added from (store_totals): read back while no
    return of the period is added, added up again as soon as one is (a new version), never for another shape."""
    from sqlalchemy import select, update

    from mtqg_cli.forms import load_schema
    from mtqg_cli.store_totals import shape_of

    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    st = _store(location)
    for f in sorted(folder.iterdir()):
        st.ingest(f, schema, "2024")
    first = st.totals(schema, "2024")["to_truyen_thong"]
    t = st.period_sums
    with st.engine.connect() as conn:
        kept = dict(conn.execute(select(t.c.indicator, t.c.value).where(t.c.period == "2024")).all())
    assert Decimal(kept["to_truyen_thong"]) == first and kept[""] is None  # the mark: the period was added up
    with st.engine.begin() as conn:  # what is remembered is what is read while the period's returns stay the same
        conn.execute(update(t).where(t.c.indicator == "to_truyen_thong").values(value="999"))
    assert st.totals(schema, "2024")["to_truyen_thong"] == 999
    assert [r.status for r in st.ingest(sorted(folder.iterdir())[0], schema, "2024")] == ["duplicate"]
    assert st.totals(schema, "2024")["to_truyen_thong"] == 999  # the same file again adds no return
    values = {i.code: int(schema.target_for("moc-chau", i.code)) for i in schema.indicators}
    values["to_truyen_thong"] = 15
    fixed = write_unit(tmp_path / "moc-chau-sua.xlsx", schema, "moc-chau", values=values)
    assert [r.version for r in st.ingest(fixed, schema, "2024")] == [2]
    before = st.figures_of(st.submissions_for(schema.id, "2024", "moc-chau")[0].id)
    again = st.totals(schema, "2024")["to_truyen_thong"]
    assert again == first - before[("", "to_truyen_thong")] + 15
    assert st.period_totals(schema, ["2024", "2023"]) == {"2024": st.totals(schema, "2024")}  # 2023: no returns
    long_form = load_schema("giai-ngan-1719")
    assert shape_of(schema) == "wide" and shape_of(long_form).startswith("long:")
    fewer = long_form.model_copy(update={"lines": long_form.lines[1:]})
    assert shape_of(fewer) != shape_of(long_form)


def test_a_ledger_that_cannot_be_reached_is_said_once_and_leaves_no_worker(tmp_path, schema):
    """The database is opened on first use, while the workers check the first files: when it cannot be reached,
    ingest stops with the failure that says what to check (the password never printed), and its workers end."""
    import multiprocessing

    from mtqg_cli.errors import MtqgError
    from mtqg_cli.store_ingest import ingest_paths

    folder = tmp_path / "nhan"
    for k in range(40):
        unit = schema.units[k % len(schema.units)]
        write_unit(folder / f"f{k:02d}.xlsx", schema, unit.code, period=str(2000 + k))
    st = Store("postgresql+psycopg://mtqg:bi-mat@127.0.0.1:1/khong-co", archive=tmp_path / "luu-tru")
    with pytest.raises(MtqgError) as failed:
        ingest_paths(st, [folder], schema, "2024", jobs=2)
    assert failed.value.code == "store-unreachable"
    message = failed.value.message("en")
    assert "postgresql+psycopg://mtqg:***@127.0.0.1:1/khong-co" in message and "bi-mat" not in message
    assert "Check that the database server is running" in message
    assert multiprocessing.active_children() == []
    with pytest.raises(MtqgError):  # said again at once, not tried again
        st.totals(schema, "2024")
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "-s", schema.id, "-p", "2024", "--store", "postgresql+psycopg://a:b@127.0.0.1:1/x"]
    )
    assert result.exit_code == 2 and "Không kết nối được cơ sở dữ liệu của sổ" in result.output


def test_a_piece_of_reading_work_holds_one_connection_and_no_lock_between_reads(tmp_path, schema):
    """A report's reads share one connection (store.reading()), each read's transaction ended after it: another
    writer can take the ledger between two reads (SQLite's write lock, asked with half a second's patience)."""
    import sqlite3

    folder = tmp_path / "nhan"
    write_samples(folder, schema)
    st = Store(tmp_path / "kho")
    for f in sorted(folder.iterdir()):
        st.ingest(f, schema, "2024")
    with st.reading():
        first = st.totals(schema, "2024")
        held = st._held
        assert held is not None and not held.in_transaction()
        other = sqlite3.connect(tmp_path / "kho" / "store.sqlite3", timeout=0.5)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
        assert st.status(schema, "2024").reported == len(schema.units)
        assert st._held is held and st.totals(schema, "2024") == first
        seen = []  # another thread (the web application's) reads on a connection of its own
        other_thread = threading.Thread(target=lambda: seen.append((st._holding_here(), st.totals(schema, "2024"))))
        other_thread.start()
        other_thread.join()
        assert seen == [(None, first)]
    assert st._held is None


def test_rows_written_together_keep_every_character(location, tmp_path, schema):
    """A group's rows are written with COPY on PostgreSQL: a file name with a tab, a backslash, quotes and
    Vietnamese letters, and the issues' text, come back exactly as they went in, the ids in the files' order."""
    from mtqg_cli.store_ingest import ingest_paths

    folder = tmp_path / "nhan"
    odd = 'Mộc Châu\t\\bản "sửa" 2024.xlsx'
    write_unit(folder / odd, schema, "moc-chau", total={"to_tkvvtb": 99})
    write_unit(folder / "song-ma_2024.xlsx", schema, "song-ma")
    st = _store(location)
    done = ingest_paths(st, [folder], schema, "2024", jobs=1)
    assert [(r.path.name, r.unit, r.accepted) for r in done] == [
        (odd, "moc-chau", False),
        ("song-ma_2024.xlsx", "song-ma", True),
    ]
    [moc] = st.submissions_for(schema.id, "2024", "moc-chau")
    [song] = st.submissions_for(schema.id, "2024", "song-ma")
    assert moc.file_name == odd and moc.id < song.id
    issues = json.loads(moc.issues)
    assert issues and issues[0]["message"] == done[0].result.issues[0].to_dict("vi")["message"]
    assert st.figures_of(song.id) and st.figures_of(moc.id)


class _Cable:
    """A TCP relay to the PostgreSQL server that can be cut: the database "lost" in the middle of an ingest (a
    server stopped, a network gone), with nothing else in the way."""

    def __init__(self, port: int) -> None:
        import socket

        self.target = port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)  # the relay looks at whether it is cut between accepts
        self.port = self.server.getsockname()[1]
        self.open = True
        self.ends: list = []
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def _accept(self) -> None:
        import socket

        while self.open:
            try:
                near, _ = self.server.accept()
            except TimeoutError:
                continue
            near.settimeout(None)
            self.ends.append(near)
            far = socket.create_connection(("127.0.0.1", self.target))
            self.ends.append(far)
            for a, b in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        import socket

        self.open = False
        self.accepting.join()
        self.server.close()
        for end in self.ends:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


def test_a_database_lost_during_an_ingest_stops_it_and_the_same_command_finishes_it(tmp_path, schema, monkeypatch):
    """The server goes after two groups are recorded: the ingest stops at once with how many files were recorded
    (not each record tried again for a minute), and the same ingest run again records the rest, the first ones as
    duplicates."""
    from sqlalchemy.engine import make_url

    from mtqg_cli import store_ingest
    from mtqg_cli.errors import MtqgError
    from mtqg_cli.store_ingest import ingest_paths

    reason = _pg_reachable()
    if reason:
        pytest.skip(reason)
    _reset_pg()
    monkeypatch.setattr(store_ingest, "INGEST_GROUP", 8)
    folder = tmp_path / "nhan"
    for k in range(40):
        unit = schema.units[k % len(schema.units)]
        write_unit(folder / f"f{k:02d}.xlsx", schema, unit.code, period=str(2000 + k))
    url = make_url(PG_URL)
    cable = _Cable(url.port or 5432)
    through = url.set(port=cable.port).render_as_string(hide_password=False)
    checked = []

    def progress(path):
        checked.append(path)
        if len(checked) == 20:  # groups 1 and 2 are recorded, group 3 is being read
            cable.cut()

    archive = tmp_path / "luu-tru"
    started = time.monotonic()
    with pytest.raises(MtqgError) as lost:
        ingest_paths(Store(through, archive=archive), [folder], schema, "2024", jobs=1, progress=progress)
    assert time.monotonic() - started < 30
    assert lost.value.code == "store-lost" and lost.value.params["done"] == 16
    assert "The first 16 files were recorded in full" in lost.value.message("en")
    st = Store(PG_URL, archive=archive)
    assert len(st.submissions_for(schema.id, "2024")) == 16
    again = ingest_paths(st, [folder], schema, "2024", jobs=1)
    assert [r.status for r in again] == ["duplicate"] * 16 + ["new"] * 24
    assert st.check() == []
