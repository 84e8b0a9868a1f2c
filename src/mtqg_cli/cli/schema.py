"""mtqg schema list | show | check"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..words import choose, word
from .options import EXIT_CLEAN, EXIT_PROBLEMS, Format, FormatOpt, Lang, LangOpt, console, dump_schema_list, handled

schema_app = typer.Typer(help="Các biểu mẫu (schema): liệt kê, xem, kiểm tra.", no_args_is_help=True)


@schema_app.command("list")
def list_cmd(lang: LangOpt = Lang.vi, fmt: FormatOpt = Format.table) -> None:
    """Liệt kê các biểu mẫu có sẵn.

    Ví dụ:  mtqg schema list
    """
    from ..forms import list_schemas

    with handled(lang):
        schemas = list_schemas()
    if fmt is Format.json:
        dump_schema_list(schemas)
        return
    table = Table(header_style="bold")
    for col in ("ID", "Tên biểu" if lang == "vi" else "Title", "Căn cứ" if lang == "vi" else "Source"):
        table.add_column(col)
    for s in schemas:
        table.add_row(
            s.id,
            s.title_en if lang == "en" and s.title_en else s.title,
            f"{s.source.document} ({s.source.date:%d/%m/%Y})",
        )
    console().print(table)


@schema_app.command("show")
def show_cmd(
    schema_id: Annotated[str, typer.Argument(help="Mã biểu mẫu hoặc tệp .yaml.")], lang: LangOpt = Lang.vi
) -> None:
    """Xem biểu mẫu cần những gì: đơn vị, chỉ tiêu, chỉ tiêu giai đoạn, quy tắc kiểm tra.

    Ví dụ:  mtqg schema show son-la-du-an-8
    """
    from ..forms import load_schema
    from ..numbers import format_number

    with handled(lang):
        s = load_schema(schema_id)
    con = console()
    con.print(f"[bold]{s.title}[/bold] — {s.source.document} ({s.source.date:%d/%m/%Y}, {s.source.issuer})")
    units = ", ".join(u.name for u in s.units)
    con.print(word("units-of-form", lang, count=len(s.units), units=units), markup=False)
    table = Table(header_style="bold")
    for col in ("Mã", "Chỉ tiêu", "ĐVT", "Kiểu", "Chỉ tiêu GĐ", "Thời gian"):
        table.add_column(col)
    for ind in s.indicators:
        phase = s.targets.phase.get(ind.code)
        table.add_row(
            ind.code, ind.label, ind.unit, ind.type, format_number(phase) if phase is not None else "", ind.window
        )
    con.print(table)
    if s.lines:
        lines = Table(header_style="bold", title="Các dòng" if lang == "vi" else "Lines")
        for col in ("Mã", "Dòng", "Thuộc"):
            lines.add_column(col)
        for line in s.lines:
            lines.add_row(line.code, line.label, line.parent)
        con.print(lines)
    for rule in s.rules:
        con.print(f"- {rule.code} ({rule.severity}): {rule.message or rule.kind}")


@schema_app.command("check")
def check_cmd(
    file: Annotated[Path, typer.Argument(help="Tệp biểu mẫu cần kiểm tra: .yaml hoặc bảng định nghĩa .xlsx.")],
    lang: LangOpt = Lang.vi,
) -> None:
    """Kiểm tra một biểu mẫu: mỗi lỗi ghi khoá và số dòng (.yaml) hoặc trang, dòng, cột (.xlsx). Các mục TODO
    của bản nháp còn lại là lỗi (mã thoát 1).

    Ví dụ:  mtqg schema check schemas/son-la-du-an-8.yaml

            mtqg schema check bieu-du-an-7.xlsx
    """
    from ..forms import load_schema, marks_left

    with handled(lang):
        s = load_schema(file)
        left = marks_left(file)
    con = console()
    if left:
        for where in left:
            con.print(word("mark-left", lang, where=choose(where, lang)), markup=False)
        con.print(word("marks-left", lang, count=len(left)), markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    con.print(word("schema-ok", lang, id=s.id, units=len(s.units), indicators=len(s.indicators)), markup=False)
    raise typer.Exit(EXIT_CLEAN)


@schema_app.command("new")
def new_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .xlsx cần ghi.")],
    lang: LangOpt = Lang.vi,
) -> None:
    """Tạo bảng định nghĩa biểu mẫu trống (Excel): trang hướng dẫn, các trang cần điền, danh sách chọn.

    Ví dụ:  mtqg schema new -o bieu-du-an-7.xlsx
    """
    from ..definition import new_definition

    with handled(lang):
        refuse_existing(output)
        new_definition(output)
    console().print(word("written", lang, path=output), markup=False)


@schema_app.command("from-xlsx")
def from_xlsx_cmd(
    workbook: Annotated[Path, typer.Argument(help="Bảng định nghĩa biểu mẫu (.xlsx).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .yaml cần ghi.")],
    lang: LangOpt = Lang.vi,
) -> None:
    """Chuyển bảng định nghĩa biểu mẫu (.xlsx) thành tệp .yaml (sau khi kiểm tra).

    Ví dụ:  mtqg schema from-xlsx bieu-du-an-7.xlsx -o schemas/bac-son-du-an-7.yaml
    """
    from ..definition import definition_to_yaml

    with handled(lang):
        refuse_existing(output)
        definition_to_yaml(workbook, output)
    console().print(word("written", lang, path=output), markup=False)


@schema_app.command("to-xlsx")
def to_xlsx_cmd(
    schema_id: Annotated[str, typer.Argument(help="Mã biểu mẫu hoặc tệp .yaml.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .xlsx cần ghi.")],
    lang: LangOpt = Lang.vi,
) -> None:
    """Ghi một biểu mẫu thành bảng định nghĩa Excel, để sửa trong Excel.

    Ví dụ:  mtqg schema to-xlsx son-la-du-an-8-xa -o son-la-du-an-8-xa.xlsx
    """
    from ..definition import export_form

    with handled(lang):
        refuse_existing(output)
        export_form(schema_id, output)
    console().print(word("written", lang, path=output), markup=False)


def refuse_existing(path: Path) -> None:
    """A definition is an officer's work: never written over."""
    from ..errors import MtqgError

    if path.exists():
        raise MtqgError("output-exists", path=path)


@schema_app.command("infer")
def infer_cmd(
    workbook: Annotated[Path, typer.Argument(help="Biểu mẫu đang dùng (.xlsx/.xls/.ods), trống hoặc đã điền.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Tệp nháp cần ghi: .yaml, hoặc .xlsx (bảng định nghĩa Excel).")
    ],
    schema_id: Annotated[str | None, typer.Option("--id", help="Mã biểu mẫu (mặc định: theo tên tệp).")] = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Soạn bản nháp biểu mẫu (.yaml) từ một tệp Excel đang dùng: tiêu đề cột, các chỉ tiêu, đơn vị hoặc các dòng.

    Bản nháp cần được hoàn thiện (căn cứ, chỉ tiêu giai đoạn, quy tắc) rồi kiểm tra bằng `mtqg schema check`.

    Ví dụ:  mtqg schema infer bieu-cu.xlsx -o schemas/bieu-moi.yaml
    """
    from ..infer import infer_schema, write_draft
    from ..reading import ReadError

    with handled(lang):
        try:
            draft = infer_schema(workbook, schema_id)
        except ReadError as exc:
            from ..errors import Issue, Severity

            issue = Issue(exc.code, Severity.ERROR, str(workbook), params={"detail": exc.detail, **exc.params})
            console(stderr=True).print(f"[red]{workbook}: {issue.message(lang)} {issue.fix(lang)}[/red]")
            raise typer.Exit(2) from exc
        write_draft(draft, output, workbook)
    n = len(draft["indicators"])
    what = f"{len(draft.get('lines', []))} dòng" if "lines" in draft else f"{len(draft['units'])} đơn vị"
    console().print(word("draft-written", lang, path=output, detail=f"{n} chỉ tiêu, {what}"), markup=False)
