"""Where the time of one file goes, step by step, in one process (what stands between mtqg and the floor).

    python benchmarks/stages.py /tmp/mtqg-bench [--form 1719] [--files 2000] [--passes 3]

Runs the steps of `mtqg validate` on each file in the order the tool does and prints the mean milliseconds per
file of each: sniffing the bytes (zip directory, hidden rows), python-calamine itself (the floor's own work),
building the sheets, the empty-file and legacy-encoding checks, finding the table, reading and checking the rows,
and pickling the result as a worker sends it back. Caches are warmed on the first 200 files, as in a batch. The
files are gone through --passes times and each step's least time is printed (a shared machine slows some passes
down by a third: the least is the step's own cost).
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import time
from pathlib import Path
from typing import Any

FORMS = {"da8": ("bench-da8-xa", "files"), "1719": ("bench-1719-xa", "files-1719")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--form", choices=sorted(FORMS), default="da8")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    os.environ["MTQG_SCHEMAS"] = str(args.root)
    import python_calamine as pc

    from mtqg_cli import locate, reading
    from mtqg_cli import validate as v
    from mtqg_cli.schema import load_schema

    form_id, sub = FORMS[args.form]
    schema = load_schema(form_id)
    files = sorted((args.root / sub).glob("*.xlsx"))[: args.files + 200]
    for p in files[:200]:
        v._validate_one(p, [schema])
    files = files[200:]
    steps = ["sniff", "calamine", "sheets", "empty", "legacy", "locate", "rows and rules", "pickle"]
    best = dict.fromkeys([*steps, "all"], float("inf"))
    for _ in range(max(1, args.passes)):
        spent = _one_pass(files, schema, steps, pc, reading, locate, v)
        for step, t in spent.items():
            best[step] = min(best[step], t)
    print(f"{form_id}: {len(files)} files, ms per file (least of {max(1, args.passes)} passes)")
    for step in [*steps, "all"]:
        print(f"  {step:16} {best[step] / len(files) * 1000:6.3f}")


def _one_pass(
    files: list[Path], schema: Any, steps: list[str], pc: Any, reading: Any, locate: Any, v: Any
) -> dict[str, float]:
    """One pass over the files: seconds spent in each step, and in all."""
    clock = time.perf_counter
    spent = dict.fromkeys(steps, 0.0)
    start = clock()
    for p in files:
        t0 = clock()
        kind, data = reading._sniff(p)
        t1 = clock()
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data)) if data else pc.CalamineWorkbook.from_path(str(p))
        raw = []
        for meta in wb.sheets_metadata:
            ws = wb.get_sheet_by_name(meta.name)
            raw.append((meta, ws.to_python(skip_empty_area=False), list(ws.merged_cell_ranges or [])))
        wb.close()
        t2 = clock()
        visible = pc.SheetVisibleEnum.Visible
        sheets = [reading.Sheet(m.name, rows, merged, m.visible == visible) for m, rows, merged in raw]
        t3 = clock()
        any(any(str(x).strip() for x in row) for s in sheets for row in s.rows)
        t4 = clock()
        encoding = reading._fix_legacy_text(sheets)
        t5 = clock()
        table = locate.locate_table(reading.Workbook(p, sheets, kind, encoding), schema)
        t6 = clock()
        result = v.FileResult(p, schema.id, table.sheet.name)
        (v._LongReader if schema.is_long else v._Reader)(schema, table, result).run()
        reading.hidden_rows(p, table.sheet.name)
        t7 = clock()
        pickle.dumps(result)
        t8 = clock()
        for step, a, b in zip(steps, (t0, t1, t2, t3, t4, t5, t6, t7), (t1, t2, t3, t4, t5, t6, t7, t8), strict=True):
            spent[step] += b - a
    spent["all"] = clock() - start
    return spent


if __name__ == "__main__":
    main()
