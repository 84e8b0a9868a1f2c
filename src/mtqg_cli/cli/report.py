"""mtqg report"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..words import word
from .options import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    Format,
    FormatOpt,
    JobsOpt,
    Lang,
    LangOpt,
    OptionalPathsArg,
    SchemaOpt,
    StoreOpt,
    console,
    handled,
    reading_progress,
)
from .output import dump_json


def report(
    paths: OptionalPathsArg = None,
    outputs: Annotated[
        list[Path],
        typer.Option(
            "--output",
            "-o",
            help="Tệp cần ghi: .docx (báo cáo Word) và/hoặc .xlsx (phụ lục Excel). Dùng nhiều lần để ghi cả hai.",
        ),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    schema: SchemaOpt = None,
    period: Annotated[
        str, typer.Option("--period", "-p", help="Kỳ báo cáo (ví dụ 2024); không có tệp thì đọc kỳ này từ kho.")
    ] = "",
    store: StoreOpt = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Tệp cấu hình (mặc định ./mtqg.toml nếu có), mục \\[report].")
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="Mẫu Word riêng (.docx có thẻ Jinja) thay cho mẫu mặc định.")
    ] = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
    jobs: JobsOpt = 0,
    list_variables: Annotated[
        bool, typer.Option("--list-variables", help="In danh sách biến dùng được trong mẫu Word riêng rồi thoát.")
    ] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Ghi thêm bản PDF (cần LibreOffice).")] = False,
    outline: Annotated[
        str | None,
        typer.Option(
            "--outline", help="Đề cương báo cáo (mtqg outline list); mặc định: của biểu mẫu, hoặc đề cương chung."
        ),
    ] = None,
    by_former: Annotated[
        bool,
        typer.Option("--by-former", help="Thêm bảng số liệu của các xã, phường cộng theo huyện cũ (trước 01/7/2025)."),
    ] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Ghi thêm một trang HTML tự chứa (bảng, biểu đồ) để xem nhanh.")
    ] = None,
) -> None:
    """Lập báo cáo tổng hợp (Word, thể thức văn bản hành chính) và phụ lục Excel từ các tệp của đơn vị.

    Ví dụ:

        mtqg report sample_data/son-la-du-an-8 -o bao-cao.docx -o phu-luc.xlsx --period 2024

        mtqg report bao-cao/ -o bao-cao.docx --template mau-cua-toi.docx --pdf --html xem-nhanh.html

        mtqg report --list-variables
    """
    if list_variables:
        from ..render.docx import VARIABLES

        con = console()
        for name, what in VARIABLES.items():
            con.print(f"[bold]{{{{ {name} }}}}[/bold]  {what}")
        raise typer.Exit(EXIT_CLEAN)
    from ..pipeline import compile_report

    with handled(lang), reading_progress(fmt is Format.table) as step:
        done = compile_report(
            paths, outputs, schema, period, store, jobs, step, config, template, lang, pdf, html, by_former, outline
        )
    validation, agg = done.data.report, done.agg
    if "pdf-unavailable" in done.notes:
        console(stderr=True).print(word("no-pdf", lang))
    for note in done.notes:
        key, _, value = note.partition(":")
        if key in ("period-from-returns", "period-from-ledger"):
            console(stderr=True).print(word(key, lang, period=value), markup=False)
    written = [str(w) for w in done.written]
    con = console()
    if fmt is Format.json:
        dump_json(
            {
                "written": written,
                "completeness": agg.to_dict(lang)["completeness"],
                "validation": validation.summary(),
            },
            con,
        )
    else:
        con.print(agg.completeness(lang))
        for w in written:
            con.print(word("written", lang, path=w), markup=False)
    raise typer.Exit(EXIT_CLEAN if validation.valid else EXIT_PROBLEMS)
