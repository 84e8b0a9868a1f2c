"""mtqg template"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..words import word
from .options import Lang, LangOpt, console, fail, handled


def template(
    schema: Annotated[str, typer.Argument(help="Mã biểu mẫu (xem `mtqg schema list`) hoặc tệp .yaml.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Thư mục ghi các biểu trống.")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help="Tên đơn vị (dùng nhiều lần cho nhiều đơn vị).")
    ] = None,
    all_units: Annotated[bool, typer.Option("--all", help="Ghi biểu cho tất cả đơn vị của biểu mẫu.")] = False,
    period: Annotated[
        str | None, typer.Option("--period", "-p", help="Kỳ báo cáo ghi sẵn trong biểu (mặc định: năm nay).")
    ] = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Ghi biểu trống gửi các đơn vị: tiêu đề, đơn vị và kỳ báo cáo điền sẵn, tiêu đề cột khoá, ô nhập có kiểm tra
    dữ liệu của Excel, dòng tổng có công thức và trang «Hướng dẫn».

    Ví dụ:

        mtqg template son-la-du-an-8 --all -o bieu-gui-di/ --period 2025

        mtqg template son-la-du-an-8 --unit "Mộc Châu" -o bieu-gui-di/
    """
    import datetime as dt

    from ..forms import load_schema
    from ..periods import forms_for_period, units_for_period

    period = period or str(dt.date.today().year)
    from ..samples import unit_file_name, write_unit_workbook
    from ..units import units_named

    with handled(lang):
        s = load_schema(schema)
        in_force = units_for_period(s, period)
        if not in_force:  # the form's units no longer (or not yet) exist: say which form serves that period
            serving = ", ".join(forms_for_period(s, period)) or "—"
            fail("template-no-units", lang, form=s.id, period=period, forms=serving)
        if all_units:
            units = in_force
        elif unit:
            units = units_named(s.units, unit)
        else:
            fail("unit-needed", lang)
        written = []
        for u in units:
            path = output / unit_file_name(u, period).replace(".xlsx", "_bieu-trong.xlsx")
            write_unit_workbook(path, s, u, {}, period=period, blank=True)
            written.append(path)
    console().print(word("written-n", lang, count=len(written), path=output), markup=False)
