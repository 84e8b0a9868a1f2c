"""mtqg aggregate"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..words import word
from .options import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    Format,
    FormatOpt,
    JobsOpt,
    Lang,
    LangOpt,
    LedgerPeriodOpt,
    OptionalPathsArg,
    SchemaOpt,
    StoreOpt,
    console,
    handled,
    reading_progress,
)
from .output import dump_json, show_aggregate, show_extras, show_former


def aggregate(
    paths: OptionalPathsArg = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Tệp Excel tổng hợp cần ghi (.xlsx).")] = None,
    schema: SchemaOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
    jobs: JobsOpt = 0,
    period: LedgerPeriodOpt = None,
    store: StoreOpt = None,
    by_former: Annotated[
        bool, typer.Option("--by-former", help="Cộng lại theo huyện cũ (xã, phường lập từ 1/7/2025) để so với số cũ.")
    ] = False,
) -> None:
    """Tổng hợp các tệp đạt yêu cầu thành số liệu toàn tỉnh: theo đơn vị, theo chỉ tiêu, so với chỉ tiêu giai đoạn.

    Tệp có lỗi không được cộng vào và được liệt kê; đơn vị chưa nộp được nêu tên. Mã thoát 1 khi có tệp bị loại.

    Ví dụ:

        mtqg aggregate sample_data/son-la-du-an-8 -o tong-hop.xlsx

        mtqg aggregate bao-cao/ --format json

        mtqg aggregate --period 2024 --schema son-la-du-an-8     (từ kho dữ liệu: lũy kế, thay đổi so với kỳ trước)
    """
    from ..pipeline import aggregate_dict, compile_aggregate

    with handled(lang), reading_progress(fmt is Format.table) as step:
        done = compile_aggregate(paths, output, schema, period, store, jobs, step, lang)
    agg, report, extras = done.agg, done.data.report, done.data.extras
    out = console()
    if fmt is Format.json:
        dump_json(aggregate_dict(agg, done.data, lang, by_former, output), out)
    else:
        show_aggregate(agg, out, lang)
        if extras is not None:
            show_extras(extras, agg, out, lang)
        if by_former:
            show_former(agg, out, lang)
        others = report.other_forms
        if others:
            kinds = ", ".join(sorted({f.schema_id for f in others}))
            out.print(Text(word("other-forms", lang, count=len(others), forms=kinds), style="yellow"))
        if output is not None:
            out.print(word("written", lang, path=output), markup=False)
    raise typer.Exit(EXIT_CLEAN if report.valid else EXIT_PROBLEMS)
