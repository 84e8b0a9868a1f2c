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

    beside.started(job, True)()
    assert int(done.read_text()) != parent  # written by the copy

    def fails_in_a_copy() -> None:
        if os.getpid() != parent:
            raise OSError("the copy's disk was full")
        done.write_text(str(os.getpid()))

    beside.started(fails_in_a_copy, True)()
    assert int(done.read_text()) == parent  # redone here

    def killed() -> None:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        done.write_text("here")

    beside.started(killed, True)()
    assert done.read_text() == "here"

    def fails_everywhere() -> None:
        raise PermissionError("not writable")

    wait = beside.started(fails_everywhere, True)
    with pytest.raises(PermissionError):  # the error the officer sees is the one writing it here gives
        wait()


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
    wait = beside.started(lambda: calls.append(os.getpid()), False)
    assert calls == []  # run here, when waited for
    wait()
    assert calls == [os.getpid()]
