"""mtqg aggregate"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
    check_outputs,
    console,
    fail,
    handled,
    load_report,
)
from .output import dump_json, show_aggregate, show_extras, show_former


def _former_json(agg) -> dict:
    frame = agg.by_former()
    return {str(code): {k: (None if v != v else float(v)) for k, v in row.items()} for code, row in frame.iterrows()}


def _extras_json(extras: dict, lang: str) -> dict:
    return {
        "period": extras["period"],
        "previous_period": extras["previous_period"],
        "cumulative": {k: float(v) for k, v in extras["cumulative"].items()},
        "previous": {k: float(v) for k, v in extras["previous"].items()},
        "change": {k: float(v) for k, v in extras["change"].items()},
        "warnings": [i.to_dict(lang) for i in extras["unusual"]],
    }


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
    from ..aggregation import aggregate as aggregate_report
    from ..render.xlsx import write_aggregate_xlsx

    with handled(lang):
        if output is not None and output.suffix.lower() != ".xlsx":
            fail("The output must be a .xlsx file." if lang == "en" else "Tệp kết quả phải có đuôi .xlsx.")
        report, extras, files = load_report(paths, schema, period, store, lang, fmt is Format.table, jobs)
        if output is not None:
            check_outputs([output], files, lang)
        agg = aggregate_report(report)
        if output is not None:
            write_aggregate_xlsx(agg, output, report, lang)
    out = console()
    if fmt is Format.json:
        data = agg.to_dict(lang)
        data["validation"] = report.summary()
        data["output"] = str(output) if output else None
        if extras is not None:
            data["ledger"] = _extras_json(extras, lang)
        if by_former:
            data["by_former"] = _former_json(agg)
        data["other_forms"] = [{"file": str(f.path), "schema": f.schema_id} for f in report.other_forms]
        dump_json(data, out)
    else:
        show_aggregate(agg, out, lang)
        if extras is not None:
            show_extras(extras, agg, out, lang)
        if by_former:
            show_former(agg, out, lang)
        others = report.other_forms
        if others:
            kinds = ", ".join(sorted({f.schema_id for f in others}))
            out.print(
                f"[yellow]{len(others)} files hold other forms ({kinds}): not added in; "
                "choose one with --schema.[/yellow]"
                if lang == "en"
                else f"[yellow]{len(others)} tệp thuộc biểu mẫu khác ({kinds}): không cộng vào; chọn biểu mẫu bằng "
                "--schema.[/yellow]"
            )
        if output is not None:
            out.print(("Written: " if lang == "en" else "Đã ghi: ") + str(output))
    raise typer.Exit(EXIT_CLEAN if report.valid else EXIT_PROBLEMS)
