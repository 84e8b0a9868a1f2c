"""Every command over the hostile corpus (tests/hostile.py): each file gets the answer its case expects, nothing
stops the batch, nothing is written where it must not be, no text from a file runs as a formula."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import SMALL_BOUNDS, build_all
from mtqg_cli.forms import load_schema

FORM = "son-la-du-an-8"
BATCH_ONLY = {"unit-duplicate-file"}  # the corpus's cases send the same unit again and again


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    built = build_all(root / "nhan", load_schema(FORM), SMALL_BOUNDS)
    return root, built


def _mtqg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **SMALL_BOUNDS)
    return subprocess.run(
        [sys.executable, "-m", "mtqg_cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def _clean_run(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode in (0, 1), done.stderr[-3000:]
    for bad in ("Traceback", "unexpected error", "lỗi không mong đợi", "internal-error"):
        assert bad not in done.stdout + done.stderr, (bad, done.stderr[-3000:])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_validate_and_feedback_over_the_hostile_corpus(corpus):
    root, built = corpus
    inbox = root / "nhan"
    before = {p: _sha(p) for p in inbox.rglob("*") if p.is_file() and not p.is_symlink()}
    out = root / "gui-lai"
    done = _mtqg("validate", str(inbox), "-s", FORM, "--format", "json", "--annotate", str(out), cwd=root)
    _clean_run(done)
    report = json.loads(done.stdout)
    codes = {os.path.abspath(f["file"]): {i["code"] for i in f["issues"]} for f in report["files"]}
    by_name = {Path(f["file"]).name: {i["code"] for i in f["issues"]} for f in report["files"]}
    for name, (case, paths) in built.items():
        found: set[str] = set()
        for path in paths:
            found |= codes.get(os.path.abspath(path), by_name.get(path.name, {"(missing)"}))
        if case.expect:
            assert found & case.expect, (name, found)
        else:
            assert not (found - BATCH_ONLY - {"row-hidden"}) or name == "markup-in-unit-label", (name, found)
    assert {s["reason"] for s in report["skipped"]} == {"hidden", "lock-file"}
    # the received files are untouched; copies go where they cannot collide
    assert before == {p: _sha(p) for p in before}
    copies = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx"))
    assert "same-name-two-folders/a/bao-cao_can-sua.xlsx" in copies
    assert "same-name-two-folders/b/bao-cao_can-sua.xlsx" in copies
    assert "input-named-like-a-copy/a_can-sua.xlsx" in copies  # the copy of a.xlsx, in the output folder
    assert any(c.startswith("long-file-name/") for c in copies)
    assert not any(c.startswith(("value-at-XFD", "zip-bomb", "shared-strings")) for c in copies)  # never reopened
    assert not [p for p in out.rglob(".*") if ".mtqg-tmp-" in p.name]
    # a file with thousands of problems is sent back with the first of them and a line saying how many more
    from openpyxl import load_workbook

    from mtqg_cli.feedback import MAX_LISTED, SHEET

    sheet = load_workbook(out / "repeated-unit-rows" / "lap-don-vi_can-sua.xlsx")[SHEET]
    numbers = [c.value for c in sheet["A"][4:] if isinstance(c.value, int)]
    assert numbers == list(range(1, MAX_LISTED + 1))
    assert "lỗi khác" in str(sheet.cell(row=5 + MAX_LISTED, column=5).value)
    # annotating into the received folder itself never writes over a received file
    again = _mtqg(
        "validate",
        str(inbox / "input-named-like-a-copy"),
        "-s",
        FORM,
        "--annotate",
        str(inbox / "input-named-like-a-copy"),
        cwd=root,
    )
    _clean_run(again)
    assert before == {p: _sha(p) for p in before}
    assert (inbox / "input-named-like-a-copy" / "a_can-sua-2.xlsx").is_file()


def test_the_table_prints_names_from_files_literally(corpus):
    root, _ = corpus
    done = _mtqg(
        "validate",
        str(root / "nhan" / "markup-in-file-name"),
        str(root / "nhan" / "markup-in-unit-label"),
        "-s",
        FORM,
        cwd=root,
    )
    _clean_run(done)
    flat = " ".join(done.stdout.split())
    assert "[bold red]moc-chau.xlsx" in flat
    assert "[/red][bold]Mộc Cháu Lạ" in flat.replace("│", "").replace("  ", " ") or "[/red][bold]Mộc" in flat


def test_aggregate_report_and_ingest_over_the_hostile_corpus(corpus):
    from openpyxl import load_workbook

    root, _ = corpus
    inbox = root / "nhan"
    done = _mtqg("aggregate", str(inbox), "-s", FORM, "-o", str(root / "tong-hop.xlsx"), "--format", "json", cwd=root)
    _clean_run(done)
    book = load_workbook(root / "tong-hop.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)  # text, never run
    done = _mtqg(
        "report",
        str(inbox),
        "-s",
        FORM,
        "-o",
        str(root / "bao-cao.docx"),
        "-o",
        str(root / "phu-luc.xlsx"),
        "--period",
        "2024",
        cwd=root,
    )
    _clean_run(done)
    assert (root / "bao-cao.docx").stat().st_size > 0 and (root / "phu-luc.xlsx").stat().st_size > 0
    done = _mtqg(
        "ingest", str(inbox), "-s", FORM, "-p", "2024", "--store", str(root / "kho"), "--format", "json", cwd=root
    )
    _clean_run(done)
    rows = json.loads(done.stdout)["ingested"]
    refused = {Path(r["file"]).name for r in rows if r["status"] == "refused"}
    assert {"xfd.xlsx", "bom.xlsx", "rong.xlsx", "mat-khau.xlsx", "ngau-nhien.xlsx"} <= refused
    archived = {p.stem for p in (root / "kho" / "archive").rglob("*") if p.is_file()}
    kept = {_sha(Path(r["file"])) for r in rows if r["status"] == "new"}
    assert archived == kept  # what was recorded is archived, and nothing else
    done = _mtqg("store", "check", "--store", str(root / "kho"), cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
