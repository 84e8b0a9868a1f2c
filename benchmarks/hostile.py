"""Time and peak memory of `mtqg validate` (with and without --annotate) on each hostile file, at the real bounds.

    python benchmarks/hostile.py OUT_DIR --mtqg .venv/bin/mtqg [--before OLD/bin/mtqg] [--extra DIR ...]

Builds the corpus of tests/hostile.py at the shipped bounds into OUT_DIR/corpus, adds every spreadsheet under each
--extra folder (files from other projects' test suites), then runs each file alone, each build in turn, as its own
process under GNU time with a time limit (--timeout, 120 s): wall seconds, peak RSS in MB, exit code, and the issue
codes the file got. Prints one markdown table: a row per file, the builds side by side.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}


def run_one(mtqg: str, path: Path, annotate: bool, timeout: float) -> tuple[float, float, str, str]:
    gnu_time = shutil.which("time") or "/usr/bin/time"
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "time.txt"
        cmd = [gnu_time, "-f", "%M", "-o", str(stats), mtqg, "validate", str(path), "--format", "json"]
        cmd += ["-s", "son-la-du-an-8"] if "corpus" in path.parts else []
        if annotate:
            cmd += ["--annotate", str(Path(tmp) / "out")]
        start = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return timeout, float("nan"), "timeout", ""
        wall = time.perf_counter() - start
        lines = stats.read_text().strip().splitlines() if stats.exists() else []
        rss = float(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
        codes = ""
        try:
            data = json.loads(done.stdout)
            codes = ",".join(sorted({i["code"] for f in data["files"] for i in f["issues"]})) or "accepted"
        except (json.JSONDecodeError, KeyError):
            codes = (done.stderr.strip().splitlines() or ["(nothing printed)"])[-1][:60]
        return wall, rss, str(done.returncode), codes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--mtqg", required=True)
    ap.add_argument("--before", default="")
    ap.add_argument("--extra", type=Path, nargs="*", default=[])
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    from hostile import REAL_BOUNDS, build_all
    from mtqg_cli.forms import load_schema

    corpus = args.out / "corpus"
    if not corpus.exists():
        build_all(corpus, load_schema("son-la-du-an-8"), REAL_BOUNDS)
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~")))
    for extra in args.extra:
        files += sorted(p for p in extra.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    builds = [("before", args.before)] if args.before else []
    builds.append(("now", args.mtqg))
    head = "| file | " + " | ".join(
        f"{b} s | {b} MB | {b} +annotate s | {b} +annotate MB | {b} exit, codes" for b, _ in builds
    )
    print(head + " |")
    print("|" + "---|" * (1 + 5 * len(builds)))
    for path in files:
        cells = [str(path.relative_to(corpus) if corpus in path.parents else path.name)]
        for _, exe in builds:
            wall, rss, code, codes = run_one(exe, path, False, args.timeout)
            awall, arss, _, _ = run_one(exe, path, True, args.timeout)
            cells += [f"{wall:.2f}", f"{rss:.0f}", f"{awall:.2f}", f"{arss:.0f}", f"{code} {codes}"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
