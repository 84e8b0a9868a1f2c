"""Parallel intake: the same results in the same order, and one failing file never ends the batch."""

from __future__ import annotations

from helpers import write_unit
from mtqg_cli.validate import POOL_MIN_FILES, validate_paths
from mtqg_cli.validate import batch as validate_module


def _batch(tmp_path, schema, n):
    units = schema.units
    for k in range(n):
        unit = units[k % len(units)]
        values = {i.code: int(schema.target_for(unit.code, i.code)) + k % 3 for i in schema.indicators}
        if k % 7 == 0:
            values["to_tkvvtb"] = -1
        write_unit(tmp_path / f"f{k:03d}.xlsx", schema, unit.code, values=values, period=str(2000 + k))
    return tmp_path


def test_parallel_equals_serial(tmp_path, schema):
    folder = _batch(tmp_path, schema, POOL_MIN_FILES + 8)
    serial = validate_paths([folder], schema, jobs=1).to_dict("en")
    parallel = validate_paths([folder], schema, jobs=2).to_dict("en")
    assert parallel == serial
    assert [f["file"] for f in parallel["files"]] == sorted(str(p) for p in folder.glob("*.xlsx"))
    assert parallel["summary"]["errors"] > 0


def test_a_failing_file_does_not_end_the_batch(tmp_path, schema, monkeypatch):
    folder = _batch(tmp_path, schema, POOL_MIN_FILES + 2)
    real = validate_module._validate_one

    def flaky(path, schemas):
        if path.name == "f005.xlsx":
            raise RuntimeError("reader crashed")
        return real(path, schemas)

    monkeypatch.setattr(validate_module, "_validate_one", flaky)  # the worker processes are forked after this
    for jobs in (1, 2):
        report = validate_paths([folder], schema, jobs=jobs)
        codes = {f.path.name: [i.code for i in f.issues] for f in report.files}
        assert codes["f005.xlsx"] == ["internal-error"]
        assert len(report.files) == POOL_MIN_FILES + 2
        assert "reader crashed" in report.files[5].issues[0].message("en")


def test_rows_cross_processes_exactly():
    """A row sent back by a worker process arrives with the same figures, to the last digit and exponent."""
    import pickle
    from decimal import Decimal

    from mtqg_cli.validate import UnitRow

    values = {"a": Decimal("12"), "b": Decimal("0.10"), "c": None, "d": Decimal("-1E+3"), "e": Decimal("1234567.891")}
    row = UnitRow("moc-chau", "Huyện Mộc Châu", 9, values, line="da1")
    back = pickle.loads(pickle.dumps(row))
    assert back == row
    assert [str(v) for v in back.values.values()] == ["12", "0.10", "None", "-1E+3", "1234567.891"]


def test_a_file_result_crosses_processes_whole():
    """A file's result, packed column by column for the trip, arrives equal: rows with figures as read (floats and
    text), rows without figures, rows over other codes, and its issues."""
    import pickle
    from decimal import Decimal
    from pathlib import Path

    from mtqg_cli.errors import Issue, Severity
    from mtqg_cli.validate import NO_FIGURES as _NO_FIGURES
    from mtqg_cli.validate import Figures, FileResult, UnitRow

    codes = ("a", "b", "c")
    issue = Issue("cell-not-number", Severity.ERROR, "x.xlsx", "Biểu 1", "D9", {"value": "=1+1"})
    rows = [
        UnitRow("moc-chau", "Huyện Mộc Châu", 9, Figures(codes, (12.0, 0.1, None)), line="da1"),
        UnitRow("moc-chau", "Dự án 2", 10, Figures(codes, ("0.10", None, 3.5)), line="da2"),
    ]
    for result in (
        FileResult(Path("x.xlsx"), "f", "Biểu 1", rows, [issue]),
        FileResult(Path("x.xlsx"), "f", "", [UnitRow("u", "U", 3, _NO_FIGURES), UnitRow("v", "V", 4, _NO_FIGURES)]),
        FileResult(Path("x.xlsx"), "f", "", [UnitRow("u", "U", 3, {"a": Decimal("1.50")}), rows[0]]),
        FileResult(Path("x.xlsx"), "f"),
    ):
        back = pickle.loads(pickle.dumps(result))
        assert back == result
        assert [[str(v) for v in r.values.values()] for r in back.rows] == [
            [str(v) for v in r.values.values()] for r in result.rows
        ]
    arrived = pickle.loads(pickle.dumps(FileResult(Path("x.xlsx"), "f", "", rows)))
    assert arrived.units == ["moc-chau"] and len(arrived.rows) == 2
    assert arrived.rows.packed is not None  # read as columns: no row objects made yet
    sent = arrived.rows
    assert [r.line for r in sent] == ["da1", "da2"] and sent.packed is None  # rows made once read
    assert [str(v) for v in sent[1].values.values()] == ["0.10", "None", "3.5"]
    assert [str(v) for v in sent[0].values.values()] == ["12", "0.1", "None"]


def test_figures_from_workers_add_up_as_in_one_process(tmp_path, schema, monkeypatch):
    """Rows whose figures crossed from worker processes (kept as text until read) aggregate to exactly the totals of
    the same batch read in one process, for a wide form and for a long form with sub-lines and computed columns."""
    from pathlib import Path

    from mtqg_cli.aggregation import aggregate
    from mtqg_cli.schema import load_schema

    monkeypatch.setattr(validate_module, "POOL_MIN_FILES", 1)
    root = Path(__file__).resolve().parents[1] / "sample_data"
    for form, folder in (
        (schema, _batch(tmp_path, schema, 12)),
        (load_schema("giai-ngan-1719"), root / "giai-ngan-1719"),
        (load_schema("dai-tu-von-2022"), root / "dai-tu-von-2022"),
    ):
        serial = validate_paths([folder], form, jobs=1)
        parallel = validate_paths([folder], form, jobs=2)
        assert any(type(r.values).__name__ == "Figures" for f in parallel.files for r in f.rows)
        assert [[dict(r.values) for r in f.rows] for f in parallel.files] == [
            [dict(r.values) for r in f.rows] for f in serial.files
        ]
        assert aggregate(parallel).to_dict("en") == aggregate(serial).to_dict("en")


def test_a_check_alone_keeps_units_not_figures(tmp_path, schema):
    folder = _batch(tmp_path, schema, POOL_MIN_FILES + 1)
    for jobs in (1, 2):
        full = validate_paths([folder], schema, jobs=jobs)
        bare = validate_paths([folder], schema, jobs=jobs, figures=False)
        assert bare.to_dict("en") == full.to_dict("en")
        assert all(not r.values for f in bare.files for r in f.rows)
        assert sum(len(f.rows) for f in bare.files) == sum(len(f.rows) for f in full.files) > 0


def test_a_folder_given_several_ways_is_read_once(tmp_path, schema, monkeypatch):
    """Files under folders are listed sorted, lock files and hidden files left out, each file once however its folder
    or itself was named; results from worker processes carry the very paths listed."""
    from pathlib import Path

    from mtqg_cli.validate import collect_paths

    folder = _batch(tmp_path / "in", schema, POOL_MIN_FILES)
    (folder / "sub").mkdir()
    write_unit(folder / "sub" / "z.xlsx", schema, schema.units[0].code)
    for junk in ("~$f001.xlsx", ".~lock.f002.xlsx#", ".hidden.xlsx", "notes.txt"):
        (folder / junk).write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    expected = [*sorted(str(p) for p in Path("in").glob("f*.xlsx")), str(Path("in/sub/z.xlsx"))]
    given = ["in", "in/", "./in", str(tmp_path / "in"), "in/f003.xlsx", "in/sub", str(Path("in/sub/z.xlsx"))]
    found = collect_paths(given)
    assert [str(p) for p in found] == expected
    assert len(found) == POOL_MIN_FILES + 1
    report = validate_paths(found, schema, jobs=2)
    assert [r.path for r in report.files] == list(found)
    assert all(r.path is p for r, p in zip(report.files, found, strict=True))


def test_jobs_left_to_mtqg_start_workers_only_when_they_pay(tmp_path, schema, monkeypatch):
    """--jobs 0: the first files are read in this process; workers take the rest only when what is left would take
    longer than three times their start. Which process read each file is told by its pid; results equal one
    process's either way."""
    import os

    folder = _batch(tmp_path, schema, POOL_MIN_FILES + 24)
    serial = validate_paths([folder], schema, jobs=1).to_dict("en")
    real = validate_module._validate_one

    def traced(path, schemas):
        result = real(path, schemas)
        result.pid = os.getpid()  # an attribute pickled with the result back from a worker
        return result

    monkeypatch.setattr(validate_module, "_validate_one", traced)
    monkeypatch.setattr(validate_module.FileResult, "__reduce__", lambda self: (_with_pid, (self.__dict__,)))
    for cost, expect_workers in ((1e6, False), (0.0, True)):
        monkeypatch.setattr(validate_module, "_worker_start_cost", lambda c=cost: c)
        report = validate_paths([folder], schema, jobs=0)
        pids = [r.pid for r in report.files]
        probe = validate_module._PROBE_FILES
        assert set(pids[:probe]) == {os.getpid()}  # the probe: always here
        if expect_workers:
            assert os.getpid() not in pids[probe:] and len(set(pids[probe:])) >= 1
        else:
            assert set(pids) == {os.getpid()}
        assert report.to_dict("en") == serial
    import gc

    assert gc.get_freeze_count() == 0  # what the batch froze out of the garbage collector is handed back


def _with_pid(state):
    result = validate_module.FileResult.__new__(validate_module.FileResult)
    result.__dict__.update(state)
    return result


def test_a_worker_that_dies_is_reported_for_its_file_and_the_batch_goes_on(tmp_path, schema, monkeypatch):
    """A file that kills the process reading it (not a Python error: an abort, memory) is named with
    reader-died; every other file of the batch is checked as usual."""
    import os

    folder = _batch(tmp_path, schema, POOL_MIN_FILES + 8)
    real = validate_module._validate_one
    main = os.getpid()

    def deadly(path, schemas):
        if path.name == "f007.xlsx" and os.getpid() != main:
            os._exit(134)  # what an abort looks like from outside
        return real(path, schemas)

    monkeypatch.setattr(validate_module, "_validate_one", deadly)  # the worker processes are forked after this
    report = validate_paths([folder], schema, jobs=2)
    codes = {f.path.name: [i.code for i in f.issues] for f in report.files}
    assert len(codes) == POOL_MIN_FILES + 8
    assert codes.pop("f007.xlsx") == ["reader-died"]
    assert not any("reader-died" in c or "internal-error" in c for c in codes.values()), codes
    assert all(f.units for f in report.files if f.path.name != "f007.xlsx")  # every other file was read


class _Mark:
    """A ``keep`` step that leaves a mark for each file a worker checked."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, path, _result):
        (self.folder / path.name).touch()
        return ("", 0)


def test_a_batch_left_early_does_not_check_the_rest(tmp_path, schema):
    """A caller that stops reading results (ingest's database failed, Ctrl-C) ends the workers' batch: the files not
    begun are left, instead of every file being checked before the caller hears of its own failure."""
    import shutil

    from mtqg_cli.validate import validate_each

    one = _batch(tmp_path / "mot", schema, 11)
    folder = tmp_path / "nhieu"
    folder.mkdir()
    for k in range(300):
        shutil.copy(one / f"f{k % 11:03d}.xlsx", folder / f"g{k:03d}.xlsx")
    marks = tmp_path / "dau"
    marks.mkdir()
    files = sorted(folder.iterdir())
    results = validate_each(files, schema, jobs=2, keep=_Mark(marks))
    assert next(results).path == files[0]
    results.close()
    checked = len(list(marks.iterdir()))
    assert 1 <= checked < len(files) // 2
