"""mtqg validate"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..words import word
from .options import (
    EXIT_CLEAN,
    EXIT_FAILED,
    EXIT_PROBLEMS,
    Format,
    FormatOpt,
    JobsOpt,
    Lang,
    LangOpt,
    PathsArg,
    SchemaOpt,
    console,
    handled,
    reading_progress,
)
from .output import dump_json, show_validation


def validate(
    paths: PathsArg,
    schema: SchemaOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
    jobs: JobsOpt = 0,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            help="Thư mục ghi bản sao tệp có lỗi để gửi lại đơn vị: ô lỗi tô đỏ (cảnh báo tô vàng) kèm ghi chú "
            "cách sửa, và trang đầu «Lỗi cần sửa». Tệp gốc không bị thay đổi.",
        ),
    ] = None,
) -> None:
    """Kiểm tra các tệp báo cáo của đơn vị theo biểu mẫu: tìm bảng, nhận diện đơn vị, kiểm tra từng ô và từng tổng.

    Mỗi lỗi ghi rõ tệp, trang tính, ô, lỗi gì và cách sửa. Mã thoát: 0 không có lỗi, 1 có lỗi số liệu,
    2 không chạy được.

    Ví dụ:

        mtqg validate sample_data/son-la-du-an-8

        mtqg validate bao-cao/*.xlsx --schema son-la-du-an-8 --format json > ket-qua.json

        mtqg validate bao-cao/ --annotate gui-lai/
    """
    from ..pipeline import check_returns

    with handled(lang), reading_progress(fmt is Format.table, warm=False) as step:
        report, copies = check_returns(paths, schema, jobs, step, annotate, lang)
    written = [str(p) for p in copies]
    out = console()
    if fmt is Format.json:
        data = report.to_dict(lang)
        if annotate is not None:
            data["feedback"] = written
        dump_json(data, out)
    else:
        show_validation(report, out, lang)
        for name in written:
            out.print(word("feedback-written", lang, path=name), markup=False)
    raise typer.Exit(EXIT_CLEAN if report.valid else EXIT_PROBLEMS)


__all__ = ["validate", "EXIT_FAILED"]
