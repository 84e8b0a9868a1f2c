"""Forms an officer makes: the Excel definition (new, filled in, checked, used), report kinds and deadlines, the
drafts of `schema infer`, agencies as units. Each trap of the issue is a test of its own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from mtqg_cli.cli.app import app
from mtqg_cli.deadlines import DeadlineError, due_date, parse_deadline
from mtqg_cli.periods import parse_period
from mtqg_cli.text import fold

runner = CliRunner()
SHIPPED = Path(__file__).resolve().parents[1] / "schemas"


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


# -- deadlines: every period kind and every form of rule


@pytest.mark.parametrize(
    ("period", "rule", "due"),
    [
        # day/month: the first one on or after the period's start
        ("2024", "20/10", "2024-10-20"),
        ("2024", "Trước ngày 20/10", "2024-10-20"),
        ("2024-H1", "10/05", "2024-05-10"),
        ("2024", "ngày 15 tháng 12", "2024-12-15"),
        # the update of a year: the first one after the year
        ("2024-CN", "25/01", "2025-01-25"),
        # a full date, whatever the period
        ("2024", "20/10/2024", "2024-10-20"),
        ("2021-2023", "ngày 15 tháng 8 năm 2023", "2023-08-15"),
        # day N of the month after the period: right for quarters and halves, across the year's end
        ("2026-Q3", "05/+1", "2026-10-05"),
        ("2026-Q4", "05/+1", "2027-01-05"),
        ("2026-Q4", "ngày 5 tháng sau", "2027-01-05"),
        ("2026-H1", "10/+1", "2026-07-10"),
        ("2026-H2", "10/+1", "2027-01-10"),
        ("2026-06", "ngày 5 tháng đầu kỳ sau", "2026-07-05"),
        ("2026-Q1", "ngày 15 tháng cuối kỳ", "2026-03-15"),
        ("2026-02", "30/+0", "2026-02-28"),  # the month's last day when it has no 30th
        # days and working days after the period's end
        ("2026-06", "+5", "2026-07-05"),
        ("2026-06", "10 ngày", "2026-07-10"),
        # 31/12/2026 is a Thursday; 01/01/2027 a holiday: 10 working days end on Friday 15/01/2027
        ("2026", "+10lv", "2027-01-15"),
        # Tết 2026: 16-20/02. Five working days after Friday 13/02/2026 end on Friday 27/02/2026
        ("2026-02-13", "5 ngày làm việc", "2026-02-27"),
        # 2/9: 31/08 (moved), 01/09, 02/09/2026 off. Three working days after Friday 28/08: 03/09, 04/09, 07/09
        ("2026-08-28", "3 ngày làm việc", "2026-09-07"),
        # after a given date, the monitoring round's end
        ("2024", "10 ngày làm việc sau 20/03/2024", "2024-04-03"),
        ("2024", "", None),
    ],
)
def test_deadlines(period, rule, due):
    expected = dt.date.fromisoformat(due) if due else None
    assert due_date(parse_period(period), rule) == expected


@pytest.mark.parametrize("rule", ["hằng năm", "32/+1", "31/02", "20/13/2024", "sau kỳ"])
def test_a_deadline_that_is_not_one_is_refused_with_the_forms_understood(rule):
    with pytest.raises(DeadlineError) as err:
        parse_deadline(rule)
    assert "không" in str(err.value)


def test_a_year_form_due_on_a_full_date_flags_a_return_four_months_late(tmp_path):
    """The trap: '20/10/2024' was ignored, a return of 20/02/2025 showed 'Đúng hạn'."""
    form = _bac_son_form(tmp_path, [["Báo cáo năm", "năm", "20/10/2024"]])
    [unit] = _units_of(form)
    path = _return(tmp_path, form, unit, "2024")
    assert (
        run("ingest", path, "-s", form, "-p", "2024", "--received", "2025-02-20", "--store", tmp_path / "kho").exit_code
        == 0
    )
    result = run("status", "-s", form, "-p", "2024", "--store", tmp_path / "kho", "--format", "json")
    status = json.loads(result.stdout)
    assert status["deadline"] == "2024-10-20"
    first = status["units"][0]
    assert first["state"] == "late" and first["days_late"] == 123


def test_a_period_of_a_kind_the_form_lacks_is_refused_before_anything_is_read(tmp_path):
    """The trap: a `period: year` form took `ingest -p 2024-H1` and applied the annual deadline to it."""
    form = _bac_son_form(tmp_path, [["Báo cáo năm", "năm", "20/10"]])
    [unit] = _units_of(form)
    path = _return(tmp_path, form, unit, "2024")
    result = run("ingest", path, "-s", form, "-p", "2024-H1", "--store", tmp_path / "kho")
    assert result.exit_code == 2
    assert "2024-H1" in result.output and "Báo cáo năm" in result.output
    assert not (tmp_path / "kho").exists() or not any((tmp_path / "kho").rglob("*.xlsx"))


def test_one_form_carries_the_six_month_the_annual_and_the_update_reports(tmp_path):
    """Seeds 002 and 003: 6-month due 10/5, annual due 20/10, the year's figures updated before 25/01."""
    kinds = [
        ["Báo cáo 6 tháng", "6 tháng", "10/05"],
        ["Báo cáo năm", "năm", "20/10"],
        ["Cập nhật số liệu năm", "cập nhật năm", "25/01"],
        ["Đánh giá giữa kỳ", "đánh giá", "15/08/2023", "2021-2023"],
        ["Báo cáo giám sát", "đột xuất", "10 ngày làm việc"],
    ]
    form = _bac_son_form(tmp_path, kinds)
    kho = tmp_path / "kho"
    due = {}
    for period in ("2024-H1", "2024", "2024-CN", "2021-2023", "danh-gia-giua-ky", "2024-03-20"):
        result = run("status", "-s", form, "-p", period, "--store", kho, "--format", "json")
        assert result.exit_code in (0, 1), result.output
        status = json.loads(result.stdout)
        due[period] = (status["deadline"], status["report_kind_name"])
    assert due == {
        "2024-H1": ("2024-05-10", "Báo cáo 6 tháng"),
        "2024": ("2024-10-20", "Báo cáo năm"),
        "2024-CN": ("2025-01-25", "Cập nhật số liệu năm"),
        "2021-2023": ("2023-08-15", "Đánh giá giữa kỳ"),
        "danh-gia-giua-ky": ("2023-08-15", "Đánh giá giữa kỳ"),
        "2024-03-20": ("2024-04-03", "Báo cáo giám sát"),
    }
    assert run("status", "-s", form, "-p", "2024-Q1", "--store", kho).exit_code == 2


# -- the Excel definition


def test_every_shipped_form_goes_to_excel_and_back_without_loss(tmp_path):
    from mtqg_cli.definition import export_form
    from mtqg_cli.forms import load_schema

    shipped = sorted(SHIPPED.glob("*.yaml"))
    assert len(shipped) >= 6
    for path in shipped:
        out = export_form(path, tmp_path / f"{path.stem}.xlsx")
        before, after = load_schema(path).model_dump(), load_schema(out).model_dump()
        assert after == before, path.stem
        # and the YAML written from the workbook is the same form again
        assert run("schema", "from-xlsx", out, "-o", tmp_path / f"{path.stem}.yaml").exit_code == 0
        assert load_schema(tmp_path / f"{path.stem}.yaml").model_dump() == before


def test_a_mistake_in_the_definition_names_the_sheet_the_row_and_the_column(tmp_path):
    form = _bac_son_form(tmp_path, [["Báo cáo năm", "năm", "20/10"]])
    wb = load_workbook(form)
    ws = wb["Chỉ tiêu"]
    col = [c.value for c in ws[1]].index("nhỏ nhất") + 1
    ws.cell(row=3, column=col, value="không âm")
    wb["Hạn nộp"].cell(row=2, column=3, value="hằng năm")
    wb.save(form)
    result = run("schema", "check", form)
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "trang «Chỉ tiêu», dòng 3, cột «nhỏ nhất»: phải là số" in text
    assert "trang «Hạn nộp», dòng 2, cột «hạn»" in text and "'hằng năm' không phải hạn nộp" in text


def test_a_new_form_from_an_empty_definition_to_validated_and_aggregated_returns(tmp_path):
    """The officer's way, no YAML: schema new, fill the sheets in, check, blank forms for the units, returns back,
    validate, aggregate."""
    form = _bac_son_form(tmp_path, [["Báo cáo 6 tháng", "6 tháng", "10/05"], ["Báo cáo năm", "năm", "20/10"]])
    result = run("schema", "check", form)
    assert result.exit_code == 0, result.output
    assert "bac-son-du-an-7" in result.output and "3 đơn vị" in result.output
    blanks = tmp_path / "mau"
    assert run("template", form, "--all", "-p", "2024", "-o", blanks).exit_code == 0
    written = sorted(blanks.glob("*.xlsx"))
    assert len(written) == 3
    returns = tmp_path / "nhan-ve"
    returns.mkdir()
    for k, blank in enumerate(written, start=1):
        _fill_blank(blank, returns / blank.name, {"lop_tap_huan": k, "luot_can_bo": 10 * k, "kinh_phi": 5.5 * k})
    result = run("validate", returns, "-s", form, "--format", "json")
    assert result.exit_code == 0, result.output
    result = run("aggregate", returns, "-s", form, "--format", "json")
    totals = {p["indicator"]: p["achieved"] for p in json.loads(result.stdout)["progress"]}
    assert totals["lop_tap_huan"] == 6 and totals["luot_can_bo"] == 60 and totals["kinh_phi"] == 33.0


def test_schema_new_writes_a_guide_every_sheet_and_drop_downs(tmp_path):
    out = tmp_path / "bieu.xlsx"
    assert run("schema", "new", "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Hướng dẫn", "Thông tin", "Chỉ tiêu"]
    assert {"Đơn vị", "Chỉ tiêu giao", "Quy tắc", "Hạn nộp"} <= set(wb.sheetnames)
    lists = [dv.formula1 for dv in wb["Chỉ tiêu"].data_validations.dataValidation]
    assert any("số nguyên" in f and "tỷ lệ" in f and "chữ" in f for f in lists)
    assert run("schema", "new", "-o", out).exit_code == 2  # never written over


# -- schema infer


def _commune_sheet(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN DỰ ÁN 7 NĂM 2026"])
    ws.append([])
    ws.append(["TT", "Xã, phường", "Số lớp tập huấn (lớp)", "Kinh phí (triệu đồng)", "Tỷ lệ giải ngân (%)"])
    ws.append(["", "Chỉ tiêu giao", 12, 300, None])
    ws.append([1, "Xã Nhất Hòa", 2, 50.5, 80])
    ws.append([2, "Xã Vũ Lăng", 3, 60, 75.5])
    ws.append([3, "Phường Bắc Sơn", 1, 20, 90])
    ws.append(["", "Tổng cộng", 6, 130.5, None])
    wb.save(path)
    return path


def test_infer_drafts_a_commune_form_when_the_rows_say_xa(tmp_path):
    """The trap: a district form was drafted from rows of 'Xã …', so every real return was then rejected."""
    from mtqg_cli.infer import infer_schema

    draft = infer_schema(_commune_sheet(tmp_path / "cu.xlsx"), "du-an-7-xa")
    assert draft["reporting"]["level"] == "commune"
    assert [(u["name"], u.get("kind")) for u in draft["units"]] == [
        ("Nhất Hòa", "xã"),
        ("Vũ Lăng", "xã"),
        ("Bắc Sơn", "phường"),
    ]
    inds = {i["code"]: i for i in draft["indicators"]}
    assert inds["so_lop_tap_huan"]["unit"] == "lớp" and inds["so_lop_tap_huan"]["type"] == "integer"
    assert inds["kinh_phi"]["unit"] == "triệu đồng" and inds["kinh_phi"]["type"] == "decimal"
    assert inds["ty_le_giai_ngan"]["in_total"] is False
    assert draft["targets"]["phase"] == {"so_lop_tap_huan": 12, "kinh_phi": 300}


def test_a_draft_with_marks_left_fails_the_check_naming_each(tmp_path):
    """The trap: `schema check` accepted a draft still full of TODO placeholders."""
    yaml_draft, xlsx_draft = tmp_path / "nhap.yaml", tmp_path / "nhap.xlsx"
    source = _commune_sheet(tmp_path / "cu.xlsx")
    assert run("schema", "infer", source, "-o", yaml_draft).exit_code == 0
    assert run("schema", "infer", source, "-o", xlsx_draft).exit_code == 0
    result = run("schema", "check", yaml_draft)
    assert result.exit_code == 1
    assert "khoá «source.document»" in result.output and "khoá «reporting.deadline»" in result.output
    result = run("schema", "check", xlsx_draft)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "trang «Thông tin», dòng" in text and "còn mục TODO" in text
    # filled in, the draft passes
    data = yaml.safe_load(yaml_draft.read_text(encoding="utf-8"))
    data["title"] = "Kết quả Dự án 7"
    data["source"] = {"document": "Kế hoạch số 1/KH-UBND", "date": "2026-01-05", "issuer": "UBND tỉnh Lạng Sơn"}
    data["programme"] = {"code": "MTQG", "name": "Chương trình MTQG 2026-2035"}
    data["project"] = {"code": "DA7", "name": "Dự án 7"}
    data["reporting"]["deadline"] = "20/10"
    yaml_draft.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("schema", "check", yaml_draft).exit_code == 0


# -- agencies as units


def test_agencies_get_their_own_headings_and_their_names_match_themselves(tmp_path):
    """The trap: 'UBND PHÒNG PHÒNG TÀI CHÍNH - KẾ HOẠCH', and the filled template failed the form's name check."""
    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import write_unit_workbook
    from mtqg_cli.validate import validate_paths

    form = load_schema(_bac_son_form(tmp_path, [["Báo cáo năm", "năm", "20/10"]]))
    for unit in form.units:
        path = write_unit_workbook(tmp_path / "ra" / f"{unit.code}.xlsx", form, unit, {}, "2024", blank=True)
        ws = load_workbook(path).worksheets[0]
        heading = str(ws["A1"].value)
        assert "UBND PHÒNG" not in heading and "PHÒNG PHÒNG" not in heading and "HỘI HỘI" not in heading
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
        assert not any("Nguyễn Văn A" in t or "Lò Văn B" in t for t in texts)
    assert str(load_workbook(tmp_path / "ra" / "phong-tai-chinh-ke-hoach.xlsx").worksheets[0]["A1"].value) == (
        "PHÒNG TÀI CHÍNH - KẾ HOẠCH"
    )
    for unit in form.units:  # filled, every return names its own unit
        values = {i.code: 1 for i in form.indicators}
        write_unit_workbook(tmp_path / "day" / f"{unit.code}.xlsx", form, unit, values, "2024")
    report = validate_paths([tmp_path / "day"], form, jobs=1)
    assert report.valid, [i.message() for f in report.files for i in f.errors]
    assert sorted(u for f in report.files for u in f.units) == sorted(u.code for u in form.units)


# -- helpers: a definition filled in as an officer does it, in the workbook `schema new` writes


def _bac_son_form(tmp_path: Path, kinds: list[list[str]]) -> Path:
    path = tmp_path / "bac-son-du-an-7.xlsx"
    assert run("schema", "new", "-o", path).exit_code == 0
    wb = load_workbook(path)
    info = {
        "mã": "bac-son-du-an-7",
        "tên biểu": "Kết quả thực hiện Dự án 7 năm 2024",
        "căn cứ": "Kế hoạch thực hiện Dự án 7 năm 2024",
        "ngày": "15/03/2024",
        "cơ quan ban hành": "UBND huyện Bắc Sơn",
        "cấp": "cơ quan",
        "mã chương trình": "GNBV",
        "chương trình": "Chương trình MTQG giảm nghèo bền vững giai đoạn 2021-2025",
        "mã dự án": "DA7",
        "dự án": "Dự án 7: Nâng cao năng lực và giám sát, đánh giá Chương trình",
        "cơ quan tổng hợp": "Phòng Lao động, Thương binh, Xã hội - Dân tộc",
    }
    ws = wb["Thông tin"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in info:
            row[1].value = info[row[0].value]
    _rows(
        wb["Chỉ tiêu"],
        [
            {"mã": "lop_tap_huan", "tên": "Số lớp tập huấn", "đvt": "lớp", "kiểu": "số nguyên", "nhỏ nhất": 0},
            {"mã": "luot_can_bo", "tên": "Số lượt cán bộ được tập huấn", "đvt": "lượt", "kiểu": "số nguyên"},
            {"mã": "kinh_phi", "tên": "Kinh phí đã sử dụng", "đvt": "triệu đồng", "kiểu": "số thập phân"},
        ],
    )
    _rows(
        wb["Đơn vị"],
        [
            {"mã": "phong-tai-chinh-ke-hoach", "tên": "Phòng Tài chính - Kế hoạch", "loại": "phòng"},
            {"mã": "phong-van-hoa", "tên": "Phòng Văn hóa và Thông tin", "loại": "phòng"},
            {"mã": "hoi-nong-dan", "tên": "Hội Nông dân huyện", "loại": "hội"},
        ],
    )
    keys = ["loại báo cáo", "kỳ", "hạn", "giai đoạn"]
    _rows(wb["Hạn nộp"], [dict(zip(keys, k, strict=False)) for k in kinds])
    wb.save(path)
    return path


def _rows(ws, rows: list[dict[str, object]]) -> None:
    headings = {fold(c.value): c.column for c in ws[1] if c.value}
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            ws.cell(row=r, column=headings[fold(key)], value=value)


def _units_of(form: Path) -> list[str]:
    from mtqg_cli.forms import load_schema

    return [u.code for u in load_schema(form).units][:1]


def _return(tmp_path: Path, form: Path, unit: str, period: str) -> Path:
    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import write_unit_workbook

    schema = load_schema(form)
    values = {i.code: 2 for i in schema.indicators}
    return write_unit_workbook(tmp_path / "ra" / f"{unit}.xlsx", schema, schema.unit_by_code[unit], values, period)


def _fill_blank(blank: Path, out: Path, values: dict[str, float]) -> None:
    """Type figures into a blank form's unit row, under the columns' headings, as a clerk does."""
    from mtqg_cli.forms import load_schema

    del load_schema
    wb = load_workbook(blank)
    ws = wb.worksheets[0]
    labels = {"lop_tap_huan": "Số lớp tập huấn", "luot_can_bo": "Số lượt cán bộ", "kinh_phi": "Kinh phí"}
    cols = {}
    for row in ws.iter_rows(max_row=12):
        for c in row:
            for code, label in labels.items():
                if isinstance(c.value, str) and c.value.startswith(label):
                    cols[code] = c.column
    unit_row = next(
        r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == 1 and ws.cell(row=r, column=2).value
    )
    for code, value in values.items():
        ws.cell(row=unit_row, column=cols[code], value=value)
    wb.save(out)


# -- text fields


def test_text_fields_are_checked_and_carried_into_the_report_unit_by_unit(tmp_path):
    """The trap: no text fields, so the difficulties and proposals every plan asks for could not be collected."""
    from docx import Document

    from mtqg_cli.forms import load_schema
    from mtqg_cli.samples import write_unit_workbook

    path = _bac_son_form(tmp_path, [["Báo cáo năm", "năm", "20/10"]])
    wb = load_workbook(path)
    ws = wb["Chỉ tiêu"]
    _rows_from(
        ws,
        5,
        [
            {
                "mã": "kho_khan",
                "tên": "Khó khăn, vướng mắc",
                "kiểu": "chữ",
                "bắt buộc": "có",
                "lớn nhất": 120,
                "mục báo cáo": "hạn chế",
            },
            {"mã": "de_xuat", "tên": "Đề xuất, kiến nghị", "kiểu": "chữ", "mục báo cáo": "đề xuất"},
        ],
    )
    wb.save(path)
    form = load_schema(path)
    assert [(t.code, t.required, t.max_length, t.section) for t in form.texts] == [
        ("kho_khan", True, 120, "weaknesses"),
        ("de_xuat", False, 2000, "proposals"),
    ]
    blank = write_unit_workbook(tmp_path / "mau.xlsx", form, form.units[0], {}, "2024", blank=True)
    headings = [c.value for row in load_workbook(blank).worksheets[0].iter_rows(max_row=10) for c in row]
    assert "Khó khăn, vướng mắc" in headings and "Đề xuất, kiến nghị" in headings
    texts = {
        "phong-tai-chinh-ke-hoach": {"kho_khan": "Kinh phí giao muộn", "de_xuat": '=HYPERLINK("http://x")'},
        "phong-van-hoa": {"kho_khan": ""},  # required, left blank
        "hoi-nong-dan": {"kho_khan": "Thiếu cán bộ " * 20},  # over 120 characters
    }
    folder = tmp_path / "nhan-ve"
    for unit in form.units:
        values = {i.code: 1 for i in form.indicators} | texts[unit.code]
        write_unit_workbook(folder / f"{unit.code}.xlsx", form, unit, values, "2024")
    typed = folder / "phong-tai-chinh-ke-hoach.xlsx"  # the clerk typed it as text ('=…' stored as a string)
    wb = load_workbook(typed)
    for row in wb.worksheets[0].iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"):
                c.data_type = "s"
    wb.save(typed)
    result = run("validate", folder, "-s", path, "--format", "json")
    assert result.exit_code == 1
    issues = {(Path(f["file"]).stem, i["code"]) for f in json.loads(result.stdout)["files"] for i in f["issues"]}
    assert ("phong-van-hoa", "text-required") in issues and ("hoi-nong-dan", "text-too-long") in issues
    assert not any(stem == "phong-tai-chinh-ke-hoach" for stem, _ in issues)
    out, annex = tmp_path / "bao-cao.docx", tmp_path / "tong-hop.xlsx"
    done = run("report", folder, "-s", path, "-o", out, "-p", "2024")
    assert out.exists(), (done.output, done.exception)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "- Phòng Tài chính - Kế hoạch: Kinh phí giao muộn" in text
    weaknesses, proposals = text.index("Tồn tại, hạn chế"), text.index("ĐỀ XUẤT, KIẾN NGHỊ")
    assert weaknesses < text.index("Kinh phí giao muộn") < proposals < text.index('=HYPERLINK("http://x")')
    run("aggregate", folder, "-s", path, "-o", annex)
    sheet = load_workbook(annex)["Ý kiến đơn vị"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value}
    assert cells['=HYPERLINK("http://x")'].data_type == "s"  # a unit's text is never run as a formula


def _rows_from(ws, first: int, rows: list[dict[str, object]]) -> None:
    headings = {fold(c.value): c.column for c in ws[1] if c.value}
    for r, row in enumerate(rows, start=first):
        for key, value in row.items():
            ws.cell(row=r, column=headings[fold(key)], value=value)


# -- the worked examples of docs/forms.md


EXAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "forms"


@pytest.mark.parametrize(
    ("form", "period", "due", "kind"),
    [
        ("bac-son-du-an-7", "2024-H1", "2024-05-10", "Báo cáo 6 tháng"),
        ("bac-son-du-an-7", "2024", "2024-10-20", "Báo cáo năm"),
        ("tam-duong-giam-sat", "2024-H1", "2024-05-15", "Báo cáo giám sát 6 tháng"),
        ("tam-duong-giam-sat", "2024", "2024-11-15", "Báo cáo giám sát hằng năm"),
        ("tam-duong-giam-sat", "2024-03-20", "2024-04-03", "Báo cáo sau đợt giám sát"),
        ("tam-duong-danh-gia", "dau-ky", "2022-11-15", "Đánh giá đầu kỳ"),
        ("tam-duong-danh-gia", "2021-2023", "2023-08-15", "Đánh giá giữa kỳ"),
        ("tam-duong-danh-gia", "2024", "2024-11-20", "Đánh giá hằng năm"),
        ("tam-duong-danh-gia", "cuoi-ky", "2025-08-15", "Đánh giá kết thúc giai đoạn"),
    ],
)
def test_the_worked_examples_give_the_plans_deadlines(tmp_path, form, period, due, kind):
    path = EXAMPLES / f"{form}.xlsx"
    result = run("status", "-s", path, "-p", period, "--store", tmp_path / "kho", "--format", "json")
    status = json.loads(result.stdout)
    assert (status["deadline"], status["report_kind_name"]) == (due, kind)


def test_the_worked_examples_load_with_their_units_and_text_fields():
    from mtqg_cli.forms import load_schema

    bac_son = load_schema(EXAMPLES / "bac-son-du-an-7.xlsx")
    assert bac_son.reporting.level == "agency" and len(bac_son.units) == 6 and not bac_son.targets.phase
    assert [t.section for t in bac_son.texts] == ["weaknesses", "proposals"]
    tam_duong = load_schema(EXAMPLES / "tam-duong-danh-gia.xlsx")
    names = {u.name for u in tam_duong.units}
    assert len(tam_duong.units) == 15 and {"Bản Bo", "Khun Há", "Phòng Tài chính - Kế hoạch"} <= names


def test_a_form_with_two_reports_of_the_same_period_kind_is_refused(tmp_path):
    form = _bac_son_form(tmp_path, [["Giám sát hằng năm", "năm", "15/11"], ["Đánh giá hằng năm", "năm", "20/11"]])
    result = run("schema", "check", form)
    assert result.exit_code == 2 and "tách thành biểu mẫu khác" in " ".join(result.output.split())


def test_the_report_says_its_period_in_words(tmp_path):
    """-p 2024-H1 gave 'năm 2024-H1'; the period is said as a period ('6 tháng đầu năm 2024')."""
    from docx import Document

    form = EXAMPLES / "bac-son-du-an-7.xlsx"
    assert run("sample", tmp_path / "nhan", "-s", form, "-p", "2024").exit_code == 0
    out = tmp_path / "bc.docx"
    assert run("report", tmp_path / "nhan", "-s", form, "-p", "2024-H1", "-o", out).exit_code == 0
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Kết quả thực hiện Dự án 7 6 tháng đầu năm 2024" in text and "2024-H1" not in text


def test_a_years_targets_from_the_definition_are_set_against_that_years_report(tmp_path):
    """'Chỉ tiêu giao' with a year (the plan's yearly annex): the report of that year says how far each figure is
    against them."""
    from docx import Document

    path = _bac_son_form(tmp_path, [["Báo cáo năm", "năm", "20/10"]])
    wb = load_workbook(path)
    ws = wb["Chỉ tiêu giao"]
    ws.append(["Tổng", "2024", 20, 100])
    ws.cell(row=1, column=3, value="lop_tap_huan")
    ws.cell(row=1, column=4, value="Số lượt cán bộ được tập huấn")  # by its name, as an annex is pasted
    wb.save(path)
    from mtqg_cli.forms import load_schema

    assert load_schema(path).targets.years == {"2024": {"*": {"lop_tap_huan": 20, "luot_can_bo": 100}}}
    folder = tmp_path / "nhan"
    assert run("sample", folder, "-s", path, "-p", "2024").exit_code == 0
    result = json.loads(run("aggregate", folder, "-s", path, "--format", "json").stdout)
    done = {p["indicator"]: p["achieved"] for p in result["progress"]}
    out = tmp_path / "bc.docx"
    assert run("report", folder, "-s", path, "-p", "2024", "-o", out).exit_code == 0
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    lop = int(done["lop_tap_huan"])
    assert f"So với chỉ tiêu năm 2024: Số lớp tập huấn: {lop}/20 lớp" in text
