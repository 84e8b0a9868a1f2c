"""What a figure means: figures to a cut-off date, the province's own part reported as a unit, one rounding rule
per measure (money to the form's decimals) in the Word report, the Excel outputs and the terminal."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import install_form
from mtqg_cli.cli.app import app
from mtqg_cli.errors import MtqgError
from mtqg_cli.periods import parse_period, period_in_text, period_words, report_title
from mtqg_cli.samples import write_samples

FORM = """
id: luy-ke-thu
title: Kết quả thực hiện Dự án 8 (thử)
source: {document: Kế hoạch số 9/KH-TEST, date: 2023-01-02, issuer: UBND tỉnh}
programme: {code: "1719", name: Chương trình MTQG 1719}
project: {code: DA8, name: Dự án 8}
reporting:
  level: district
  kinds:
    - {code: luy-ke, name: Báo cáo kết quả, period: to-date}
    - {code: nam, name: Báo cáo năm, period: year, deadline: "20/12"}
layout: {shape: wide, unit_column: ["Đơn vị"]}
units_from: {file: son-la, level: district, only: [mai-son, moc-chau, song-ma]}
indicator_defaults: {type: integer, min: 0}
indicators:
  - {code: to_truyen_thong, label: Tổ truyền thông cộng đồng, unit: tổ, headers: ["Tổ truyền thông"]}
  - {code: von, label: Vốn đã giải ngân, unit: triệu đồng, type: decimal, decimals: 3, headers: ["Vốn đã giải ngân"]}
targets:
  phase: {to_truyen_thong: 100, von: 1000}
  parts:
    - code: tinh
      label: Cấp tỉnh
      units: own
      aliases: ["Tỉnh", "Văn phòng tỉnh"]
      values: {to_truyen_thong: 40, von: 400}
    - {code: huyen, label: "Huyện, thành phố", units: all, values: {to_truyen_thong: 60, von: 600}}
  units:
    mai-son: {to_truyen_thong: 20, von: 200}
    moc-chau: {to_truyen_thong: 20, von: 200}
    song-ma: {to_truyen_thong: 20, von: 200}
rules:
  - {code: tong, kind: total_row}
"""


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("den-2023-11-30", "den-2023-11-30", "lũy kế đến ngày 30/11/2023"),
        ("đến 30/11/2023", "den-2023-11-30", "lũy kế đến ngày 30/11/2023"),
        ("Lũy kế đến ngày 30/11/2023", "den-2023-11-30", "lũy kế đến ngày 30/11/2023"),
        ("2024-H1", "2024-H1", "6 tháng đầu năm 2024"),
    ],
)
def test_a_cut_off_date_is_a_period_of_its_own(text, code, words):
    per = parse_period(text)
    assert (per.code, period_words(per)) == (code, words)
    assert per.previous() == per or per.kind != "to-date"  # nothing comes before a cut-off report


def test_a_cut_off_date_is_found_in_a_title_and_a_wrong_day_refused():
    assert period_in_text("BÁO CÁO KẾT QUẢ THỰC HIỆN DỰ ÁN 8 LŨY KẾ ĐẾN NGÀY 30/11/2023") == "den-2023-11-30"
    assert report_title("Báo cáo kết quả", parse_period("den-2023-11-30")) == (
        "Báo cáo kết quả lũy kế đến ngày 30/11/2023"
    )
    with pytest.raises(MtqgError):
        parse_period("den-2023-02-30")


def test_the_provinces_own_part_is_a_unit_and_money_keeps_the_forms_decimals(tmp_path, monkeypatch):
    schema = install_form(tmp_path / "forms", monkeypatch, "thu.yaml", FORM, "luy-ke-thu")
    assert [u.code for u in schema.units] == ["mai-son", "moc-chau", "song-ma", "tinh"]
    assert schema.unit_by_code["tinh"].name == "Cấp tỉnh"
    assert schema.reported_targets == {"to_truyen_thong": Decimal(100), "von": Decimal(1000)}
    values = {
        "mai-son": {"to_truyen_thong": 5, "von": Decimal("120.125")},
        "moc-chau": {"to_truyen_thong": 6, "von": Decimal("80.5")},
        "song-ma": {"to_truyen_thong": 7, "von": Decimal("99.0625")},
        "tinh": {"to_truyen_thong": 12, "von": Decimal("300.2")},
    }
    folder = tmp_path / "nhan"
    write_samples(folder, schema, values, period="den-2023-11-30")
    runner = CliRunner()
    result = runner.invoke(app, ["aggregate", str(folder), "-s", "luy-ke-thu", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    progress = {p["indicator"]: p for p in data["progress"]}
    assert progress["to_truyen_thong"]["achieved"] == 30 and progress["to_truyen_thong"]["target"] == 100
    assert progress["von"]["achieved"] == pytest.approx(599.8875)
    # the Word report: its period from the returns' titles, the province's row among the units, money to 3 places
    out, book = tmp_path / "bc.docx", tmp_path / "th.xlsx"
    result = runner.invoke(app, ["report", str(folder), "-s", "luy-ke-thu", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "lũy kế đến ngày 30/11/2023" in text
    rows = [[c.text for c in r.cells] for t in Document(str(out)).tables for r in t.rows]
    assert ["2", "Vốn đã giải ngân", "triệu đồng", "599,888", "1.000,000", "60,0%"] in rows
    # the province's row set against its own part: (12/40 + 300,2/400) / 2 = 52,5 %
    assert ["4", "Cấp tỉnh", "Đã nộp", "52,5%", "0", "1"] in rows
    assert "Vốn đã giải ngân: 599,888 triệu đồng" in text
    # the tổng hợp: the same rounding as a cell format, the figure exact underneath
    result = runner.invoke(app, ["aggregate", str(folder), "-s", "luy-ke-thu", "-o", str(book)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(book)["Tổng hợp"]
    money = [c for row in sheet.iter_rows() for c in row if c.value == pytest.approx(599.8875)]
    assert money and money[0].number_format == "#,##0.000"
