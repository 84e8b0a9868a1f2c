"""Outputs written side by side (render.beside): the annex a copy of the process writes is the one written here, a
copy that fails is redone here, and no copy is made where it would not be safe."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from mtqg_cli.render import beside

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="copies of the process only on Linux")


def _cells(path: Path) -> list[tuple[str, list[list[object]]]]:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets]


def test_the_annex_written_beside_the_report_is_the_one_written_here(annex_folder, tmp_path, monkeypatch):
    from mtqg_cli.pipeline import compile_report

    here = compile_report([annex_folder], [tmp_path / "a.xlsx", tmp_path / "a.docx"], period="2024")
    assert not beside.worth_a_copy(len(here.agg.expected))  # 11 units: written one after the other
    monkeypatch.setattr(beside, "BESIDE_FROM_UNITS", 1)
    assert beside.worth_a_copy(len(here.agg.expected)) is (beside.cores() > 1)
    copied = compile_report([annex_folder], [tmp_path / "b.xlsx", tmp_path / "b.docx"], period="2024")
    assert copied.written == [tmp_path / "b.xlsx", tmp_path / "b.docx"]  # in the order asked, as before
    sheets = _cells(tmp_path / "b.xlsx")
    assert sheets == _cells(tmp_path / "a.xlsx")
    assert sheets[0][1][0][0].startswith("PHỤ LỤC")
    assert [p.text for p in Document(tmp_path / "b.docx").paragraphs] == [
        p.text for p in Document(tmp_path / "a.docx").paragraphs
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_a_copy_does_the_job_and_a_failed_copy_is_redone_here(tmp_path):
    parent = os.getpid()
    done = tmp_path / "done.txt"

    def job() -> None:
        done.write_text(str(os.getpid()))

    beside.started(job, True).wait()
    assert int(done.read_text()) != parent  # written by the copy

    def fails_in_a_copy() -> None:
        if os.getpid() != parent:
            raise OSError("the copy's disk was full")
        done.write_text(str(os.getpid()))

    beside.started(fails_in_a_copy, True).wait()
    assert int(done.read_text()) == parent  # redone here

    def killed() -> None:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        done.write_text("here")

    beside.started(killed, True).wait()
    assert done.read_text() == "here"

    def fails_everywhere() -> None:
        raise PermissionError("not writable")

    started = beside.started(fails_everywhere, True)
    with pytest.raises(PermissionError):  # the error the officer sees is the one writing it here gives
        started.wait()


def test_no_copy_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(beside, "BESIDE_FROM_UNITS", 1)
    assert beside.worth_a_copy(5000) is (beside.cores() > 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert beside.worth_a_copy(5000) is False
    finally:
        stop.set()
        other.join()
    calls = []
    started = beside.started(lambda: calls.append(os.getpid()), False)
    assert calls == []  # run here, when waited for
    started.wait()
    assert calls == [os.getpid()]


def test_a_report_that_fails_leaves_no_copy_behind(annex_folder, tmp_path, monkeypatch):
    """The Word report fails (a template that is not a Word file) while the annex is written in a copy: the failure
    reaches the officer as it would have, the copy is waited for (no process left)."""
    import time

    from mtqg_cli.errors import MtqgError
    from mtqg_cli.pipeline import compile_report

    monkeypatch.setattr(beside, "BESIDE_FROM_UNITS", 1)
    bad = tmp_path / "mau.docx"
    bad.write_text("không phải tệp Word")
    dropped = []
    real_drop = beside.Started.drop

    def drop(self):
        dropped.append(self.pid)
        real_drop(self)

    monkeypatch.setattr(beside.Started, "drop", drop)
    with pytest.raises(MtqgError) as failed:
        compile_report([annex_folder], [tmp_path / "a.xlsx", tmp_path / "a.docx"], period="2024", template=bad)
    assert failed.value.code == "template-unreadable"
    assert len(dropped) == 1 and dropped[0] is not None and dropped[0] > 0  # a copy was made, and waited for
    time.sleep(0.2)
    with pytest.raises(ChildProcessError):  # nothing left to reap: it was waited for
        os.waitpid(dropped[0], os.WNOHANG)
    assert not (tmp_path / "a.docx").exists()


def test_a_copy_dropped_is_waited_for_and_its_job_not_done_here(tmp_path):
    done = tmp_path / "done.txt"

    def fails_in_a_copy() -> None:
        raise OSError("the copy's disk was full")

    started = beside.started(fails_in_a_copy, True)
    pid = started.pid
    started.drop()
    assert started.pid is None and not done.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
