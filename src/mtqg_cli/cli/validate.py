"""mtqg validate"""

from __future__ import annotations

import typer

from ..validate import collect_paths, validate_paths
from .options import (
    EXIT_CLEAN,
    EXIT_FAILED,
    EXIT_PROBLEMS,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    PathsArg,
    SchemaOpt,
    console,
    fail,
    handled,
    progress,
)
from .output import dump_json, show_validation


def validate(
    paths: PathsArg,
    schema: SchemaOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Kiểm tra các tệp báo cáo của đơn vị theo biểu mẫu: tìm bảng, nhận diện đơn vị, kiểm tra từng ô và từng tổng.

    Mỗi lỗi ghi rõ tệp, trang tính, ô, lỗi gì và cách sửa. Mã thoát: 0 không có lỗi, 1 có lỗi số liệu,
    2 không chạy được.

    Ví dụ:

        mtqg validate sample_data/son-la-du-an-8

        mtqg validate bao-cao/*.xlsx --schema son-la-du-an-8 --format json > ket-qua.json
    """
    with handled(lang):
        files = collect_paths(paths)
        if not files:
            fail("No workbook found." if lang == "en" else "Không tìm thấy tệp bảng tính nào.")
        with progress(fmt is Format.table, len(files), "Đang kiểm tra") as step:
            report = validate_paths(files, schema, progress=step)
    out = console()
    if fmt is Format.json:
        dump_json(report.to_dict(lang), out)
    else:
        show_validation(report, out, lang)
    raise typer.Exit(EXIT_CLEAN if report.valid else EXIT_PROBLEMS)


__all__ = ["validate", "EXIT_FAILED"]
