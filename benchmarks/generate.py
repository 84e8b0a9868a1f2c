"""Generate N realistic return workbooks of a commune-level form: a ministry's view, one file per commune.

Two forms, written as YAML beside the files so that a run is self-contained:

    python benchmarks/generate.py 10000 /tmp/mtqg-bench             # Dự án 8 results: one commune row (files/)
    python benchmarks/generate.py 10000 /tmp/mtqg-bench --form 1719 # 1719 disbursement: 15 lines x 14 columns
                                                                    # (files-1719/), the issue's reference shape

- ``da8`` (bench-da8-xa.yaml): the 12 columns of the Sơn La Dự án 8 annex, the commune's row and a total row; half
  in the unit's two-row layout, half in the annex's three-row layout.
- ``1719`` (bench-1719-xa.yaml): a long form, the commune's disbursement by project: a title block, a two-row header,
  a total row and 15 lines (10 projects, 5 sub-projects) x 12 money columns (4 capital sources planned and
  disbursed, their sums, the rate), with computed columns and sub-lines that add up to their project.
A few percent of the files carry errors (text in a number cell, a wrong total), as real batches do.
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from multiprocessing import Pool
from pathlib import Path

import yaml

from mtqg_cli.samples import write_unit_workbook
from mtqg_cli.schema import load_schema

ERROR_RATE = 0.03
ROOT = Path(__file__).resolve().parents[1]


def _communes(n: int) -> list[dict]:
    return [{"code": f"x{k:05d}", "name": f"Bản Thử {k:05d}", "kind": "xã"} for k in range(n)]


def form_da8(n: int) -> dict:
    data = yaml.safe_load((ROOT / "schemas" / "son-la-du-an-8.yaml").read_text("utf-8"))
    data["id"] = "bench-da8-xa"
    data["title"] = "Kết quả Dự án 8 theo xã (dữ liệu đo hiệu năng)"
    data["reporting"] = {
        "level": "commune",
        "kinds": [  # a year, and the months of a ministry that follows progress monthly
            {"code": "nam", "name": "Báo cáo năm", "period": "year", "deadline": "10/09"},
            {"code": "thang", "name": "Báo cáo tháng", "period": "month", "deadline": "05/+1"},
        ],
    }
    data["layout"] = dict(data["layout"], unit_column=["Xã, phường", "Đơn vị", "Huyện, thành phố"])
    data["units"] = _communes(n)
    for key in ("targets", "target_checks", "units_from"):
        data.pop(key, None)
    return data


_SOURCES = [
    ("dtpt", "ĐTPT NSTW", "Central investment"),
    ("sn", "sự nghiệp NSTW", "Central recurrent"),
    ("dp", "NSĐP", "Local budget"),
    ("khac", "huy động khác", "Other sources"),
]
_PROJECTS = [
    ("da1", "Dự án 1: Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt"),
    ("da2", "Dự án 2: Quy hoạch, sắp xếp, bố trí, ổn định dân cư ở những nơi cần thiết"),
    ("da3", "Dự án 3: Phát triển sản xuất nông, lâm nghiệp bền vững"),
    ("da4", "Dự án 4: Đầu tư cơ sở hạ tầng thiết yếu, phục vụ sản xuất, đời sống"),
    ("da5", "Dự án 5: Phát triển giáo dục đào tạo nâng cao chất lượng nguồn nhân lực"),
    ("da6", "Dự án 6: Bảo tồn, phát huy giá trị văn hóa truyền thống tốt đẹp của các dân tộc thiểu số"),
    ("da7", "Dự án 7: Chăm sóc sức khỏe Nhân dân, nâng cao thể trạng, tầm vóc người DTTS"),
    ("da8", "Dự án 8: Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em"),
    ("da9", "Dự án 9: Đầu tư phát triển nhóm dân tộc thiểu số rất ít người"),
    ("da10", "Dự án 10: Truyền thông, tuyên truyền, vận động; kiểm tra, giám sát, đánh giá"),
]
_SUBPROJECTS = [
    ("da3", 1, "Phát triển kinh tế nông, lâm nghiệp bền vững gắn với bảo vệ rừng"),
    ("da3", 2, "Hỗ trợ phát triển sản xuất theo chuỗi giá trị"),
    ("da4", 1, "Đầu tư cơ sở hạ tầng thiết yếu vùng đồng bào DTTS&MN"),
    ("da4", 2, "Đầu tư cơ sở hạ tầng trọng điểm kết nối các xã"),
    ("da5", 1, "Đổi mới hoạt động, củng cố phát triển các trường phổ thông dân tộc nội trú, bán trú"),
]


def form_1719(n: int) -> dict:
    data = yaml.safe_load((ROOT / "schemas" / "giai-ngan-1719.yaml").read_text("utf-8"))
    data["id"] = "bench-1719-xa"
    data["title"] = "Giải ngân vốn Chương trình MTQG 1719 theo xã (dữ liệu đo hiệu năng)"
    data["reporting"] = {"level": "commune", "period": "year", "deadline": "15/12"}
    data.pop("units_from", None)
    data.pop("samples", None)
    data["units"] = _communes(n)
    indicators = []
    for stage, stage_vi, stage_en in (("kh", "Kế hoạch vốn", "Planned"), ("gn", "Giải ngân", "Disbursed")):
        for code, vi, en in _SOURCES:
            label = f"{stage_vi} {vi}"
            indicators.append(
                {"code": f"{stage}_{code}", "label": label, "label_en": f"{stage_en}, {en}", "headers": [label]}
            )
        indicators.append(
            {
                "code": f"{stage}_tong",
                "label": f"Tổng {stage_vi.lower()}",
                "headers": [f"Tổng {stage_vi.lower()}"],
                "label_en": f"{stage_en}, total",
                "formula": " + ".join(f"{stage}_{c}" for c, _, _ in _SOURCES),
                "tolerance": 0.05,
            }
        )
    indicators.append(
        {
            "code": "ty_le",
            "label": "Tỷ lệ giải ngân",
            "headers": ["Tỷ lệ giải ngân"],
            "label_en": "Disbursement rate",
            "unit": "%",
            "formula": "gn_tong / kh_tong * 100",
            "tolerance": 0.1,
        }
    )
    indicators.append(
        {
            "code": "so_cong_trinh",
            "label": "Số công trình",
            "headers": ["Số công trình"],
            "type": "integer",
            "unit": "công trình",
        }
    )
    data["indicators"] = indicators
    lines = [{"code": c, "label": label, "labels": [label.split(":")[0]]} for c, label in _PROJECTS]
    for parent, k, text in _SUBPROJECTS:
        n_project = parent[2:]
        at = max(i for i, line in enumerate(lines) if line["code"] == parent or line.get("parent") == parent)
        lines.insert(
            at + 1,
            {
                "code": f"{parent}_tda{k}",
                "parent": parent,
                "label": f"Tiểu dự án {k} thuộc Dự án {n_project}: {text}",
                "labels": [f"Tiểu dự án {k} thuộc Dự án {n_project}"],
                "short": [f"Tiểu dự án {k}"],
            },
        )
    data["lines"] = lines
    data["rules"] = [
        {
            "code": "giai-ngan-khong-vuot-ke-hoach",
            "kind": "compare",
            "left": "gn_tong",
            "op": "<=",
            "right": "kh_tong",
            "tolerance": 0.05,
            "message": "Vốn đã giải ngân không được vượt kế hoạch vốn được giao.",
        },
        {"code": "du-an-bang-tong-tieu-du-an", "kind": "children_sum", "tolerance": 0.05, "blanks": "zero"},
        {"code": "dong-tong-cong", "kind": "total_row", "tolerance": 0.05},
    ]
    data["summary"] = {"value": "gn_tong", "target": "kh_tong"}
    for key in ("targets", "target_checks"):
        data.pop(key, None)
    return data


FORMS = {"da8": (form_da8, "bench-da8-xa", "files"), "1719": (form_1719, "bench-1719-xa", "files-1719")}


def _money(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(0, 50_000)) / 10


def _values_1719(schema, rng: random.Random) -> dict:
    """Planned and disbursed money per line; a project with sub-projects is their sum."""
    out: dict[str, dict] = {}
    for line in schema.lines:
        if schema.children(line.code):
            continue
        row = {}
        for code, _, _ in _SOURCES:
            plan = _money(rng)
            row[f"kh_{code}"] = plan
            row[f"gn_{code}"] = (plan * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.1"))
        row["so_cong_trinh"] = rng.randint(0, 12)
        out[line.code] = row
    for line in schema.lines:
        kids = schema.children(line.code)
        if kids:
            out[line.code] = {k: sum((out[c.code][k] for c in kids), Decimal(0)) for k in out[kids[0].code]}
    for row in out.values():
        row["kh_tong"] = sum(row[f"kh_{c}"] for c, _, _ in _SOURCES)
        row["gn_tong"] = sum(row[f"gn_{c}"] for c, _, _ in _SOURCES)
        row["ty_le"] = (row["gn_tong"] / row["kh_tong"] * 100).quantize(Decimal("0.1")) if row["kh_tong"] else None
    return out


def _one(args: tuple[int, str, str, str]) -> None:
    k, form, folder, schema_path = args
    schema = _schema(schema_path)
    unit = schema.units[k]
    rng = random.Random(k)
    total = None
    if form == "1719":
        values = _values_1719(schema, rng)
        if rng.random() < ERROR_RATE:
            if rng.random() < 0.5:
                values["da2"]["gn_dp"] = "chưa có số liệu"
            else:
                total = {"kh_dtpt": sum(values[line.code]["kh_dtpt"] for line in schema.top_lines) + 7}
        write_unit_workbook(Path(folder) / f"{unit.code}.xlsx", schema, unit, values, total=total)
        return
    values = {i.code: rng.randint(0, 40) for i in schema.indicators}
    values["to_tkvvtb_gals"] = min(values["to_tkvvtb_gals"], values["to_tkvvtb"])
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


def main(n: int, out: Path, form: str) -> None:
    build, form_id, sub = FORMS[form]
    out.mkdir(parents=True, exist_ok=True)
    schema_path = out / f"{form_id}.yaml"
    schema_path.write_text(yaml.safe_dump(build(n), allow_unicode=True, sort_keys=False), "utf-8")
    load_schema(schema_path)  # a form that does not load stops here, not in every worker
    files = out / sub
    files.mkdir(exist_ok=True)
    todo = [(k, form, str(files), str(schema_path)) for k in range(n) if not (files / f"x{k:05d}.xlsx").exists()]
    with Pool() as pool:
        pool.map(_one, todo, chunksize=64)
    print(f"{n} workbooks of {form_id} in {files}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument("root", type=Path, nargs="?", default=Path("/tmp/mtqg-bench"))
    ap.add_argument("--form", choices=sorted(FORMS), default="da8")
    args = ap.parse_args()
    main(args.n, args.root, args.form)
