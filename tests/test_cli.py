"""Every command through Typer's CliRunner: success and failure paths, JSON equal to the library's result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.main import get_command
from typer.testing import CliRunner

from mtqg_cli.aggregation import aggregate
from mtqg_cli.cli.app import app
from mtqg_cli.validate import validate_paths

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def _all_commands():
    root = get_command(app)
    out = []
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            out.extend([[name, sub] for sub in cmd.commands])
        else:
            out.append([name])
    return out


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_command_explains_itself_with_an_example(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Ví dụ" in result.output
    assert "mtqg " + path[0] in result.output


def test_top_level_help():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("validate", "aggregate", "report", "sample", "schema"):
        assert name in result.output


def test_validate_clean_exit_0(annex_folder):
    result = run("validate", annex_folder)
    assert result.exit_code == 0, result.output
    assert "11 tệp: 11 đạt, 0 có lỗi (0 lỗi, 0 cảnh báo)" in result.output


def test_validate_errors_exit_1_and_json_equals_library(annex_folder, schema):
    from helpers import write_unit

    write_unit(annex_folder / "moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    result = run("validate", annex_folder, "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(validate_paths([annex_folder], schema).to_dict("en"), ensure_ascii=False))
    [issue] = [i for f in data["files"] for i in f["issues"]]
    assert (issue["code"], issue["cell"], issue["sheet"]) == ("total-row-mismatch", "E11", "Biểu 01")
    assert issue["message"].startswith("Total row, column")


def test_validate_english_table(annex_folder, schema):
    from helpers import write_unit

    write_unit(annex_folder / "moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    result = run("validate", annex_folder, "--lang", "en")
    assert result.exit_code == 1
    assert "with errors: 1 (errors: 1, warnings: 0)" in " ".join(result.output.split())
    assert "1 errors" not in result.output and "0 warnings" not in result.output


def test_validate_nothing_to_read_exit_2(tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "Không tìm thấy tệp bảng tính nào" in result.output


def test_validate_unknown_schema_exit_2(annex_folder):
    result = run("validate", annex_folder, "--schema", "khong-co")
    assert result.exit_code == 2
    assert "Không có biểu mẫu «khong-co»" in result.output


def test_aggregate_writes_xlsx_and_json(annex_folder, tmp_path, schema):
    (annex_folder / "bac-yen_2024.xlsx").unlink()
    (annex_folder / "muong-la_2024.xlsx").unlink()
    out = tmp_path / "tong-hop.xlsx"
    result = run("aggregate", annex_folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert "9/11 đơn vị đã nộp" in result.output
    assert "Chưa nộp: Bắc Yên, Mường La" in result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Tiến độ", "Tình hình nộp", "Tệp bị loại"]
    result = run("aggregate", annex_folder, "--format", "json")
    data = json.loads(result.stdout)
    assert data["completeness"]["text"] == "9/11 đơn vị đã nộp"
    assert [m["name"] for m in data["completeness"]["missing"]] == ["Bắc Yên", "Mường La"]
    lib = aggregate(validate_paths([annex_folder], schema)).to_dict()
    assert data["totals"] == lib["totals"] and data["progress"] == lib["progress"]


def test_aggregate_refuses_to_overwrite_an_input(annex_folder):
    target = annex_folder / "mai-son_2024.xlsx"
    before = target.read_bytes()
    result = run("aggregate", annex_folder, "-o", target)
    assert result.exit_code == 2
    assert target.read_bytes() == before


def test_aggregate_wrong_suffix(annex_folder, tmp_path):
    result = run("aggregate", annex_folder, "-o", tmp_path / "x.csv")
    assert result.exit_code == 2


def test_report_writes_docx_and_annex(annex_folder, tmp_path):
    (annex_folder / "bac-yen_2024.xlsx").unlink()
    (annex_folder / "muong-la_2024.xlsx").unlink()
    docx, xlsx = tmp_path / "bao-cao.docx", tmp_path / "phu-luc.xlsx"
    result = run("report", annex_folder, "-o", docx, "-o", xlsx, "--period", "2024")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "9/11 đơn vị đã nộp" in text and "Bắc Yên, Mường La" in text
    assert "Kết quả thực hiện Dự án 8 năm 2024" in text
    assert load_workbook(xlsx)["Phụ lục"]["B6"].value == "Bắc Yên (chưa nộp)"


def test_report_with_config_file(annex_folder, tmp_path):
    cfg = tmp_path / "mtqg.toml"
    cfg.write_text('[report]\nsigner_name = "Nguyễn Thị Hoa"\nnumber = "125/BC-HLHPN"\n', encoding="utf-8")
    docx = tmp_path / "r.docx"
    result = run("report", annex_folder, "-o", docx, "--config", cfg)
    assert result.exit_code == 0, result.output
    doc = Document(str(docx))
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 125/BC-HLHPN"
    assert doc.tables[2].cell(0, 1).paragraphs[-1].text == "Nguyễn Thị Hoa"


def test_report_bad_output_kind(annex_folder, tmp_path):
    result = run("report", annex_folder, "-o", tmp_path / "r.pdf")
    assert result.exit_code == 2


def test_report_unknown_template_variable_exit_2(annex_folder, tmp_path):
    from docx import Document as New

    doc = New()
    doc.add_paragraph("{{ bien_la }}")
    doc.save(tmp_path / "mau.docx")
    result = run("report", annex_folder, "-o", tmp_path / "r.docx", "--template", tmp_path / "mau.docx")
    assert result.exit_code == 2
    assert "bien_la" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_sample_then_validate(tmp_path):
    result = run("sample", tmp_path / "s")
    assert result.exit_code == 0
    assert len(list((tmp_path / "s").glob("*.xlsx"))) == 11
    assert run("validate", tmp_path / "s").exit_code == 0


def test_sample_unknown_schema(tmp_path):
    assert run("sample", tmp_path / "s", "--schema", "khong-co").exit_code == 2


def test_schema_commands(tmp_path):
    result = run("schema", "list")
    assert result.exit_code == 0 and "son-la-du-an-8" in result.output
    data = json.loads(run("schema", "list", "--format", "json").stdout)
    assert {"son-la-du-an-8", "dai-tu-von-2022"} <= {d["id"] for d in data}
    result = run("schema", "show", "son-la-du-an-8")
    assert result.exit_code == 0 and "to_tkvvtb" in result.output and "Yên Châu" in result.output
    shipped = Path(__file__).resolve().parents[1] / "schemas" / "son-la-du-an-8.yaml"
    result = run("schema", "check", shipped)
    assert result.exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\n", encoding="utf-8")
    result = run("schema", "check", bad)
    assert result.exit_code == 2
    assert "dòng 1" in result.output


def test_template_failures(tmp_path):
    assert run("template", "son-la-du-an-8", "-o", tmp_path).exit_code == 2  # neither --unit nor --all
    result = run("template", "son-la-du-an-8", "--unit", "Điện Biên", "-p", "2024", "-o", tmp_path)
    assert result.exit_code == 2 and "Không có đơn vị «Điện Biên»" in result.output


def test_ledger_command_failures(tmp_path, annex_folder):
    kho = str(tmp_path / "kho")
    result = run("ingest", annex_folder, "-s", "son-la-du-an-8", "-p", "2024-13", "--store", kho)
    assert result.exit_code == 2 and "Kỳ báo cáo «2024-13» không hợp lệ" in result.output
    assert run("status", "-p", "năm nay", "-s", "son-la-du-an-8", "--store", kho).exit_code == 2
    result = run("history", "-u", "Mộc Châu", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho)
    assert result.exit_code == 0 and "Chưa có báo cáo nào" in result.output
    assert run("aggregate", "-p", "2024", "--store", kho).exit_code == 2  # --period needs --schema


def test_store_check_finds_a_tampered_file(tmp_path, annex_folder):
    kho = tmp_path / "kho"
    assert run("ingest", annex_folder, "-s", "son-la-du-an-8", "-p", "2024", "--store", kho).exit_code == 0
    archived = sorted((kho / "archive").rglob("*.xlsx"))
    assert len(archived) == 11
    archived[0].write_bytes(archived[0].read_bytes() + b"x")
    result = run("store", "check", "--store", kho)
    assert result.exit_code == 1 and "Tệp lưu trữ bị thay đổi (mã băm khác)" in result.output
    assert "hash mismatch" in run("store", "check", "--store", kho, "--lang", "en").output


def test_schema_infer_failures(tmp_path):
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    result = run("schema", "infer", bad, "-o", tmp_path / "d.yaml")
    assert result.exit_code == 2 and "hỏng" in result.output
    assert not (tmp_path / "d.yaml").exists()


def test_aggregate_of_a_mixed_folder_says_what_it_left_out():
    root = Path(__file__).resolve().parents[1] / "sample_data"
    result = run("aggregate", root, "--format", "json")
    data = json.loads(result.stdout)
    assert data["schema"] == "giai-ngan-1719" and data["completeness"]["text"] == "12/12 đơn vị đã nộp"
    assert sorted({f["schema"] for f in data["other_forms"]}) == [
        "dai-tu-von-2022",
        "lai-chau-du-an-8-xa",
        "son-la-du-an-8",
        "son-la-du-an-8-ket-qua",
        "son-la-du-an-8-xa",
    ]
    assert len(data["other_forms"]) == 23 + 12 + 8


def test_aggregate_and_report_json_equal_the_library(annex_folder, tmp_path):
    """What the commands print as JSON is what the library calls they make return."""
    from mtqg_cli.pipeline import aggregate_dict, compile_aggregate, compile_report

    out = tmp_path / "tong-hop.xlsx"
    result = run("aggregate", annex_folder, "-o", out, "--format", "json", "--by-former")
    done = compile_aggregate([annex_folder], tmp_path / "lib.xlsx")
    lib = aggregate_dict(done.agg, done.data, "vi", True, out)
    assert json.loads(result.stdout) == json.loads(json.dumps(lib, ensure_ascii=False))
    docx = tmp_path / "bao-cao.docx"
    result = run("report", annex_folder, "-o", docx, "--period", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    made = compile_report([annex_folder], [tmp_path / "lib.docx"], period="2024")
    data = json.loads(result.stdout)
    assert data["written"] == [str(docx)] and [str(p) for p in made.written] == [str(tmp_path / "lib.docx")]
    assert data["completeness"] == made.agg.to_dict()["completeness"]
    assert data["validation"] == made.data.report.summary()
    assert [p.text for p in Document(docx).paragraphs] == [p.text for p in Document(made.written[0]).paragraphs]


def test_failures_have_codes_and_print_file_names_literally(tmp_path):
    """A failure that stops a command is the catalogue's message; text in it is never read as markup."""
    from mtqg_cli.errors import FAILURES, MtqgError

    assert MtqgError("output-kind", path="[red]x.txt", kinds=".xlsx").message("en") == (
        "[red]x.txt: only .xlsx can be written."
    )
    result = run("aggregate", tmp_path, "-o", tmp_path / "[bold]tong-hop.txt", "--lang", "en")
    assert result.exit_code == 2
    assert "[bold]tong-hop.txt: only .xlsx can be written." in result.output
    assert all(len(pair) == 2 and all(pair) for pair in FAILURES.values())


def test_the_command_line_speaks_vietnamese_throughout():
    """Typer's own words (a mistyped command, a missing argument, the help option, [required], [default]) in
    Vietnamese; --version."""
    result = run("validat")
    assert result.exit_code == 2
    assert "Không có lệnh «validat». Có phải là 'validate'?" in result.output and "No such command" not in result.output
    result = run("validate")
    assert result.exit_code == 2 and "Thiếu tham số «paths»." in result.output and "Missing" not in result.output
    help_text = run("validate", "--help").output
    assert "Hiện hướng dẫn này rồi thoát." in help_text and "Show this message" not in help_text
    assert "[mặc định: 0]" in help_text and "[default" not in help_text
    assert "Tùy chọn" in help_text and "Options" not in help_text
    usage = run("validate").output
    assert usage.startswith("Cách dùng: mtqg validate [TÙY CHỌN]") and "Usage" not in usage
    version = run("--version")
    assert version.exit_code == 0 and version.output.startswith("mtqg ")


def test_a_broken_file_comes_first_and_a_large_batch_stays_readable(annex_folder):
    import shutil

    for k in range(40):
        shutil.copy(annex_folder / "moc-chau_2024.xlsx", annex_folder / f"zz-ban-sao-{k:02d}.xlsx")
    (annex_folder / "zzz-hong.xlsx").write_bytes(b"not a workbook")
    out = run("validate", annex_folder).output
    assert out.splitlines()[0].startswith(str(annex_folder / "zzz-hong.xlsx"))
    assert len(out.splitlines()) < 400  # 41 files with problems: 20 in detail, a line for each of the others
    assert f"{annex_folder / 'zz-ban-sao-39.xlsx'}: 1 lỗi, 0 cảnh báo —" in " ".join(out.split())


def test_a_mistyped_form_or_folder_is_told_apart_from_bad_data(tmp_path):
    result = run("validate", tmp_path / "khong-co-thu-muc")
    assert result.exit_code == 2 and "Không có tệp hay thư mục" in result.output
    result = run("schema", "show", "son-la-du-an8")
    assert result.exit_code == 2 and "Có phải là son-la-du-an-8" in result.output


def test_ledger_words_are_an_officers(tmp_path, annex_folder):
    kho = str(tmp_path / "kho")
    out = run("ingest", annex_folder, "-s", "son-la-du-an-8", "-p", "2024", "--store", kho, "--received", "2024-09-08")
    assert "Mộc Châu" in out.output and "moc-chau " not in out.output.replace("moc-chau_", "")
    status = run("status", "-p", "2024", "-s", "son-la-du-an-8", "--store", kho).output
    assert "08/09/2024" in status and "2024-09-08" not in status and "Báo cáo năm 2024" in " ".join(status.split())


def test_help_shows_types_in_words_and_no_markup_is_eaten():
    text = run("report", "--help").output
    assert "<tệp, thư mục…>" in text and "<list[Path]>" not in text and "<bool>" not in text
    assert "[report]" in text


# Words that only English has: a Vietnamese screen holding one of them has let English through.
ENGLISH = re.compile(
    r"\b(usage|options|arguments|commands|show this|message|missing|no such|did you mean|invalid|required|default"
    r"|error|try|the|and|of|for|with|not|exist|does|value|choose|help for)\b",
    re.IGNORECASE,
)
# ... and the Vietnamese words of the help an English screen must not show
VIETNAMESE = re.compile(r"Cách dùng|Tùy chọn|Tham số|Hiện hướng dẫn|Ngôn ngữ|Mã biểu mẫu|Kho dữ liệu|bắt buộc|mặc định")
MISTAKES = [
    ["validat"],  # an unknown command
    ["validate"],  # a missing argument
    ["validate", "x.xlsx", "--format", "xml"],  # a bad option value
    ["validate", "x.xlsx", "--bogus"],  # an unknown option
    ["schema", "show", "son-la-du-an8"],  # an unknown form
    ["validate", "khong-co-thu-muc"],  # a path that does not exist
    ["status", "-s", "son-la-du-an-8"],  # a missing option
]


def _screens(lang_args: list[str], env: dict[str, str] | None = None) -> list[tuple[str, int, str]]:
    out = []
    for path in [[], *_all_commands()]:
        result = runner.invoke(app, [*path, "--help", *lang_args], env=env)
        out.append((" ".join(path) + " --help", result.exit_code, result.output))
    for args in MISTAKES:
        result = runner.invoke(app, [*args, *lang_args], env=env)
        out.append((" ".join(args), result.exit_code, result.output))
    return out


def _without_examples(text: str) -> str:
    """A help screen less what is not prose: command lines, option names, metavars, paths, form ids."""
    text = re.sub(r"(mtqg|--|-)[\w./*\[\]|-]*", " ", text)
    return re.sub(r"<[^>]*>|\{[^}]*\}|'[^']*'|«[^»]*»|[\w.-]+\.(xlsx|yaml|docx|json|csv|toml)|\S+/\S*", " ", text)


def test_every_screen_speaks_vietnamese_and_english_when_asked():
    """Every command's --help and the usual mistakes: no English word in Vietnamese, no Vietnamese help in English
    (with --lang en and with MTQG_LANG=en); the exit codes are the same in both languages."""
    vi = _screens([])
    for what, _, text in vi:
        found = ENGLISH.findall(_without_examples(text))
        assert not found, f"{what}: English words {found} in\n{text}"
        assert text.strip(), what
    for en in (_screens(["--lang", "en"]), _screens([], env={"MTQG_LANG": "en"})):
        for (what, code, text), (_, vi_code, _) in zip(en, vi, strict=True):
            assert code == vi_code, what
            assert not VIETNAMESE.search(text), f"{what}: Vietnamese in the English screen\n{text}"
    assert [code for _, code, _ in vi[-len(MISTAKES) :]] == [2] * len(MISTAKES)  # could not run, never 1
    assert all(code == 0 for _, code, _ in vi[: -len(MISTAKES)])


def test_every_help_text_has_its_english():
    from mtqg_cli.cli.english import help_en

    def walk(command, path):
        missing = [] if not command.help or help_en(path) else [path]
        for param in command.params:
            if getattr(param, "help", None) and param.name != "help" and help_en(path, param.name) is None:
                missing.append(f"{path}.{param.name}")
        for name, sub in (getattr(command, "commands", None) or {}).items():
            missing += walk(sub, f"{path} {name}".strip())
        return missing

    assert walk(get_command(app), "") == []


def test_an_officers_template_that_is_not_word_or_has_a_broken_tag_is_said_plainly(annex_folder, tmp_path):
    """A template that is not a Word file, or whose Jinja tag is left open, stops the report with what to fix
    (exit 2), in Vietnamese and in English, not as an unexpected error; nothing is written."""
    from docx import Document as NewDocument

    not_word = tmp_path / "mau.docx"
    not_word.write_text("không phải tệp Word")
    broken = tmp_path / "mau-hong.docx"
    doc = NewDocument()
    doc.add_paragraph("Số đơn vị đã nộp: {{ reported_count ")
    doc.save(broken)
    out = tmp_path / "bc.docx"
    said = run("report", annex_folder, "-o", out, "--period", "2024", "--template", not_word)
    assert said.exit_code == 2 and "không phải tệp Word đọc được" in said.output, said.output
    assert "unexpected" not in said.output
    said = run("report", annex_folder, "-o", out, "--period", "2024", "--template", broken, "--lang", "en")
    assert said.exit_code == 2 and "has a tag written wrong" in said.output, said.output
    assert "{{ reported_count }}" in said.output
    assert not out.exists()
