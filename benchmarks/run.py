"""Measure, in one run, the cost of mtqg against the price of reading the files.

    python benchmarks/generate.py 10000 /tmp/mtqg-bench [--form 1719]
    python benchmarks/run.py /tmp/mtqg-bench 100 1000 10000 [--form 1719]

For each size N it times, each as its own process (wall clock, and the peak RSS of the largest process by GNU time):
  (a) the raw floor: python-calamine reading every sheet of every file into Python lists (1 process, and 2);
  (b) the pipeline a user would otherwise write: pandas.read_excel with openpyxl, every sheet, then a sum
      (measured on at most --openpyxl-max files: its rate per file does not change with N);
  (c) `mtqg validate` and `mtqg aggregate` as whole processes (default --jobs: one per core).
It prints files/s, the ratios c/a and b/c, and peak RSS in MB. The runs are interleaved: each of --repeat rounds (3)
runs every command once, so a machine that speeds up or slows down (runs here vary by 10-20 %) moves the floor and
mtqg together; each figure is the median over the rounds, and c/a is the median of the rounds' own ratios, printed
with its range.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

FLOOR = """
import sys, python_calamine as pc
from concurrent.futures import ProcessPoolExecutor
def read(f):
    wb = pc.CalamineWorkbook.from_path(f)
    n = 0
    for name in wb.sheet_names:
        n += len(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return n
files = open(sys.argv[1], encoding='utf-8').read().split('\\n')
jobs = int(sys.argv[2])
if jobs == 1:
    rows = sum(read(f) for f in files)
else:
    with ProcessPoolExecutor(jobs) as pool:
        rows = sum(pool.map(read, files, chunksize=64))
print(rows)
"""

OPENPYXL = """
import sys, pandas as pd
files = open(sys.argv[1], encoding='utf-8').read().split('\\n')
total = 0.0
for f in files:
    for frame in pd.read_excel(f, sheet_name=None, header=None, engine='openpyxl').values():
        total += pd.to_numeric(frame.stack(), errors='coerce').sum()
print(total)
"""


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _timed_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    gnu_time = shutil.which("time") or "/usr/bin/time"
    out = Path("/tmp/mtqg-bench-time.txt")
    start = time.perf_counter()
    subprocess.run(
        [gnu_time, "-f", "%M", "-o", str(out), *cmd],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    rss_kb = float(out.read_text().strip().splitlines()[-1]) if out.exists() else float("nan")
    return wall, rss_kb / 1024


FORMS = {"da8": ("bench-da8-xa", "files", ""), "1719": ("bench-1719-xa", "files-1719", "-1719")}


def subset(root: Path, n: int, form: str = "da8") -> tuple[Path, Path]:
    _, sub, tag = FORMS[form]
    files = sorted((root / sub).glob("*.xlsx"))[:n]
    if len(files) < n:
        sys.exit(f"only {len(files)} files in {root / sub}: run benchmarks/generate.py {n} {root} --form {form}")
    folder = root / f"n{n}{tag}"
    if not folder.exists():
        folder.mkdir()
        for f in files:
            os.link(f, folder / f.name)
    listing = root / f"n{n}{tag}.txt"
    listing.write_text("\n".join(str(folder / f.name) for f in files), encoding="utf-8")
    return folder, listing


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--openpyxl-max", type=int, default=1000)
    ap.add_argument("--form", choices=sorted(FORMS), default="da8")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of every measurement; medians are printed")
    args = ap.parse_args()
    form_id = FORMS[args.form][0]
    env = dict(os.environ, MTQG_SCHEMAS=str(args.root))
    py = sys.executable
    mtqg = [py, "-m", "mtqg_cli"]
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; form {form_id}")
    # mtqg as installed: pip compiles a package's modules to bytecode when it installs it, but an editable install
    # run with PYTHONDONTWRITEBYTECODE set compiles every module from source at every start (0.06-0.08 s a run).
    import compileall

    import mtqg_cli

    compileall.compile_dir(str(Path(mtqg_cli.__file__).parent), quiet=1)
    # Not timed: the first load of a form parses its YAML and keeps it in mtqg's cache, as an officer's first run
    # of the day does; every timed run below starts from that cache.
    one, _ = subset(args.root, 1, args.form)
    subprocess.run([*mtqg, "validate", str(one), "-s", form_id, "--format", "json"], env=env, capture_output=True)
    head = (
        "N",
        "floor 1p",
        "floor 2p",
        "openpyxl",
        "validate",
        "aggregate",
        "c/a(2p)",
        "c/a(1p)",
        "b/c",
        "RSS val MB",
        "RSS agg MB",
    )
    print(" | ".join(f"{h:>10}" for h in head))
    for n in args.sizes:
        folder, listing = subset(args.root, n, args.form)
        m = min(n, args.openpyxl_max)
        _, small = subset(args.root, m, args.form)
        commands = {
            "f1": [py, "-c", FLOOR, str(listing), "1"],
            "f2": [py, "-c", FLOOR, str(listing), "2"],
            "op": [py, "-c", OPENPYXL, str(small), ""],
            "val": [*mtqg, "validate", str(folder), "-s", form_id, "--format", "json"],
            "agg": [*mtqg, "aggregate", str(folder), "-s", form_id, "--format", "json"],
        }
        rounds = [{k: _timed_once(cmd, env) for k, cmd in commands.items()} for _ in range(max(1, args.repeat))]
        f1, f2, ob, val, agg = (median([r[k][0] for r in rounds]) for k in commands)
        val_rss, agg_rss = (max(r[k][1] for r in rounds) for k in ("val", "agg"))
        own = sorted(r["f2"][0] / r["val"][0] for r in rounds)  # each round's validate against its own floor
        ratio = sorted(r["agg"][0] / r["val"][0] for r in rounds)
        rate = {"f1": n / f1, "f2": n / f2, "op": m / ob, "val": n / val, "agg": n / agg}
        row = (
            n,
            rate["f1"],
            rate["f2"],
            rate["op"],
            rate["val"],
            rate["agg"],
            median(own),
            rate["val"] / rate["f1"],
            rate["op"] / rate["val"],
            val_rss,
            agg_rss,
        )
        print(" | ".join(f"{v:>10}" if isinstance(v, int) else f"{v:>10.2f}" for v in row), flush=True)
        print(
            f"{'':>10}   wall s: floor1 {f1:.1f}, floor2 {f2:.1f}, openpyxl({m}) {ob:.1f}, validate {val:.1f}, "
            f"aggregate {agg:.1f}",
            flush=True,
        )
        print(
            f"{'':>10}   per round: c/a(2p) {', '.join(f'{x:.2f}' for x in own)}; "
            f"aggregate/validate {', '.join(f'{x:.2f}' for x in ratio)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
