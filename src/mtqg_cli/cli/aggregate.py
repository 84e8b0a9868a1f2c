"""mtqg aggregate"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..aggregate import aggregate as aggregate_report
from ..render.xlsx import write_aggregate_xlsx
from ..validate import collect_paths, validate_paths
from .options import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    PathsArg,
    SchemaOpt,
    check_outputs,
    console,
    fail,
    handled,
    progress,
)
from .output import dump_json, show_aggregate


def aggregate(
    paths: PathsArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Tệp Excel tổng hợp cần ghi (.xlsx).")] = None,
    schema: SchemaOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Tổng hợp các tệp đạt yêu cầu thành số liệu toàn tỉnh: theo đơn vị, theo chỉ tiêu, so với chỉ tiêu giai đoạn.

    Tệp có lỗi không được cộng vào và được liệt kê; đơn vị chưa nộp được nêu tên. Mã thoát 1 khi có tệp bị loại.

    Ví dụ:

        mtqg aggregate sample_data/son-la-du-an-8 -o tong-hop.xlsx

        mtqg aggregate bao-cao/ --format json
    """
    with handled(lang):
        files = collect_paths(paths)
        if not files:
            fail("No workbook found." if lang == "en" else "Không tìm thấy tệp bảng tính nào.")
        if output is not None:
            if output.suffix.lower() != ".xlsx":
                fail("The output must be a .xlsx file." if lang == "en" else "Tệp kết quả phải có đuôi .xlsx.")
            check_outputs([output], files, lang)
        with progress(fmt is Format.table, len(files), "Đang kiểm tra") as step:
            report = validate_paths(files, schema, progress=step)
        agg = aggregate_report(report)
        if output is not None:
            write_aggregate_xlsx(agg, output, report, lang)
    out = console()
    if fmt is Format.json:
        data = agg.to_dict(lang)
        data["validation"] = report.to_dict(lang)["summary"]
        data["output"] = str(output) if output else None
        dump_json(data, out)
    else:
        show_aggregate(agg, out, lang)
        if output is not None:
            out.print(("Written: " if lang == "en" else "Đã ghi: ") + str(output))
    raise typer.Exit(EXIT_CLEAN if report.valid else EXIT_PROBLEMS)
