"""Generate N realistic return workbooks of a commune-level Dự án 8 form (a ministry's view: one file per commune).

The form is written as YAML beside the files (bench-da8-xa.yaml, N communes), so the run is self-contained:
    python benchmarks/generate.py 10000 /tmp/mtqg-bench
A few percent of the files carry errors (text in a number cell, a wrong total), as real batches do; half use the
unit's own two-row layout, half the annex's three-row layout.
"""

from __future__ import annotations

import random
import sys
from multiprocessing import Pool
from pathlib import Path

import yaml

from mtqg_cli.samples import write_unit_workbook
from mtqg_cli.schema import load_schema

ERROR_RATE = 0.03


def form_yaml(n: int, base: dict) -> dict:
    data = dict(base)
    data["id"] = "bench-da8-xa"
    data["title"] = "Kết quả Dự án 8 theo xã (dữ liệu đo hiệu năng)"
    data["reporting"] = {"level": "commune", "period": "year", "deadline": "10/09"}
    data["layout"] = dict(base["layout"], unit_column=["Xã, phường", "Đơn vị", "Huyện, thành phố"])
    data["units"] = [{"code": f"x{k:05d}", "name": f"Bản Thử {k:05d}", "kind": "xã"} for k in range(n)]
    data.pop("targets", None)
    data.pop("target_checks", None)
    data.pop("units_from", None)
    return data


def _one(args: tuple[int, str, str]) -> None:
    k, folder, schema_path = args
    schema = _schema(schema_path)
    unit = schema.units[k]
    rng = random.Random(k)
    values = {i.code: rng.randint(0, 40) for i in schema.indicators}
    values["to_tkvvtb_gals"] = min(values["to_tkvvtb_gals"], values["to_tkvvtb"])
    total = None
    if rng.random() < ERROR_RATE:
        if rng.random() < 0.5:
            values["doi_thoai_chinh_sach"] = "mười"
        else:
            total = {"clb_thu_linh": values["clb_thu_linh"] + 3}
    layout = "standard" if k % 2 == 0 else "annex"
    write_unit_workbook(
        Path(folder) / f"{unit.code}.xlsx", schema, unit, values, layout=layout, total=total, label=f"Xã {unit.name}"
    )


_CACHE: dict[str, object] = {}


def _schema(path: str):
    if path not in _CACHE:
        _CACHE[path] = load_schema(path)
    return _CACHE[path]


def main(n: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    base = yaml.safe_load((Path(__file__).resolve().parents[1] / "schemas" / "son-la-du-an-8.yaml").read_text("utf-8"))
    schema_path = out / "bench-da8-xa.yaml"
    schema_path.write_text(yaml.safe_dump(form_yaml(n, base), allow_unicode=True, sort_keys=False), "utf-8")
    files = out / "files"
    files.mkdir(exist_ok=True)
    todo = [(k, str(files), str(schema_path)) for k in range(n) if not (files / f"x{k:05d}.xlsx").exists()]
    with Pool() as pool:
        pool.map(_one, todo, chunksize=64)
    print(f"{n} workbooks in {files}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/mtqg-bench"))
