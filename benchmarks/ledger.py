"""The ledger against the files, in one run: ingest, aggregate, report and status from the ledger set beside the
same work from the files (each command its own process, wall clock).

    python benchmarks/generate.py 1000 /tmp/mtqg-bench
    python benchmarks/ledger.py /tmp/mtqg-bench [--store postgresql+psycopg://…] [--repeat 3]
    python benchmarks/ledger.py /tmp/mtqg-bench --months 12   # a year of monthly returns in the ledger first

With ``--months N`` the ledger is filled once with N monthly periods of the same returns (2026-01 …), the fill
timed as a whole, then the rounds read the last month: from the files and from a ledger that holds every month.

Rounds are interleaved: each round runs every command once (a fresh ledger for the ingest), so a machine that
speeds up or slows down moves both sides together; figures are medians over the rounds, ratios the median of
each round's own ratio. Reported: seconds, files per second, and the ratios the goals are stated in
(ingest / validate files per second; ledger / files seconds for aggregate and report; report / aggregate).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path, help="the folder benchmarks/generate.py wrote (files/ and the form's YAML)")
    ap.add_argument("--store", default="", help="a PostgreSQL URL (default: a fresh SQLite ledger each round)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mtqg", default=str(Path(sys.executable).with_name("mtqg")))
    ap.add_argument("--months", type=int, default=0, help="fill the ledger with this many monthly periods first")
    args = ap.parse_args()
    files = args.root / "files"
    form = next(args.root.glob("bench-*.yaml"))
    n = sum(1 for _ in files.rglob("*.xlsx"))
    env = dict(os.environ, MTQG_SCHEMAS=str(args.root))
    m = args.mtqg
    rows: dict[str, list[float]] = {}
    period = "2026"
    kept = ""
    if args.months:  # one ledger for every round, holding a year of months
        kept = args.store or str(Path(tempfile.mkdtemp(prefix="mtqg-year-")) / "kho")
        if args.store:
            subprocess.run([sys.executable, "-c", _DROP, args.store], check=True)
        fill = 0.0
        for month in range(1, args.months + 1):
            period = f"2026-{month:02d}"
            cmd = [m, "ingest", str(files), "-s", str(form), "-p", period, "--store", kept, "--format", "json"]
            fill += timed(cmd, env)
        rate = args.months * n / fill
        print(f"filled {args.months} monthly periods x {n} returns in {fill:.1f} s ({rate:.0f} returns/s)")
        # the first read adds up every month and remembers the totals; the rounds then read what an officer's
        # next read does (after a month's ingest, that month alone is added up again)
        first = [m, "aggregate", "-s", str(form), "-p", period, "--store", kept, "--format", "json"]
        print(f"first aggregate from the ledger after the fill: {timed(first, env):.2f} s")
    # every round's ledger and outputs are kept until the run ends: deleting a ledger's thousands of archived files
    # makes the next round's ingest slower on ext4 (it skips the inodes deleted in the last minutes when it makes
    # new files: a third of an ingest's time was spent there), which is the benchmark's doing, not the ledger's
    made: list[Path] = []
    for _ in range(args.repeat):
        work = Path(tempfile.mkdtemp(prefix="mtqg-ledger-"))
        made.append(work)
        store = kept or args.store or str(work / "kho")
        if args.store and not kept:  # a shared PostgreSQL: emptied each round
            subprocess.run([sys.executable, "-c", _DROP, args.store], check=True)
        s = ["-s", str(form)]
        steps = {
            "validate files": [m, "validate", str(files), *s, "--format", "json"],
            "ingest": [m, "ingest", str(files), *s, "-p", period, "--store", store, "--format", "json"],
            "aggregate files": [m, "aggregate", str(files), *s, "-p", period, "--format", "json"],
            "aggregate ledger": [m, "aggregate", *s, "-p", period, "--store", store, "--format", "json"],
            "report files": [
                m,
                "report",
                str(files),
                *s,
                "-p",
                period,
                "-o",
                str(work / "a.docx"),
                "-o",
                str(work / "a.xlsx"),
            ],
            "report ledger": [
                m,
                "report",
                *s,
                "-p",
                period,
                "--store",
                store,
                "-o",
                str(work / "b.docx"),
                "-o",
                str(work / "b.xlsx"),
            ],
            "status": [m, "status", *s, "-p", period, "--store", store, "--format", "json"],
        }
        if kept:  # the ledger already holds the period: ingesting it again would only find the same files
            del steps["ingest"]
        for name, cmd in steps.items():
            rows.setdefault(name, []).append(timed(cmd, env))
    for work in made:
        shutil.rmtree(work, ignore_errors=True)
    if kept and not args.store:
        shutil.rmtree(Path(kept).parent, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{n} returns, {args.repeat} interleaved rounds, {'PostgreSQL' if args.store else 'SQLite'}")
    for name, secs in med.items():
        print(f"  {name:18s} {secs:7.2f} s  {n / secs:8.0f} files/s")

    def ratio(a: str, b: str) -> str:
        each = [x / y for x, y in zip(rows[a], rows[b], strict=True)]
        return f"{statistics.median(each):.2f} (range {min(each):.2f}-{max(each):.2f})"

    if "ingest" in rows:
        print(f"  ingest rate / validate rate: {ratio('validate files', 'ingest')}")
    print(f"  aggregate ledger / files:    {ratio('aggregate ledger', 'aggregate files')}")
    print(f"  report ledger / files:       {ratio('report ledger', 'report files')}")
    print(f"  report / aggregate (files):  {ratio('report files', 'aggregate files')}")


_DROP = """
import sys
from sqlalchemy import create_engine, text
with create_engine(sys.argv[1]).begin() as c:
    for t in ("mtqg_period_totals", "mtqg_figures", "mtqg_submissions", "mtqg_files", "mtqg_meta",
              "mtqg_web_codes", "mtqg_web_events"):
        c.execute(text(f"DROP TABLE IF EXISTS {t} CASCADE"))
"""


if __name__ == "__main__":
    main()
