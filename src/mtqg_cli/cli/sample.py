"""mtqg sample"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..words import word
from .options import Lang, LangOpt, console, fail, handled


def sample(
    folder: Annotated[Path, typer.Argument(help="Thư mục sẽ ghi các tệp mẫu.")],
    schema: Annotated[str, typer.Option("--schema", "-s", help="Mã biểu mẫu.")] = "son-la-du-an-8",
    period: Annotated[str, typer.Option("--period", "-p", help="Kỳ báo cáo ghi trong tệp.")] = "2024",
    lang: LangOpt = Lang.vi,
) -> None:
    """Ghi một bộ tệp báo cáo mẫu, mỗi đơn vị một tệp, như các đơn vị thường gửi (để thử và để kiểm thử).

    Ví dụ:

        mtqg sample thu-nghiem/ && mtqg validate thu-nghiem/
    """
    from ..forms import load_schema
    from ..periods import forms_for_period, units_for_period
    from ..samples import write_samples

    with handled(lang):
        form = load_schema(schema)
        if not units_for_period(form, period):  # as template: no returns from units that do not exist then
            fail(
                "template-no-units",
                lang,
                form=form.id,
                period=period,
                forms=", ".join(forms_for_period(form, period)) or "—",
            )
        paths = write_samples(folder, form, period=period)
    console().print(word("written-n", lang, count=len(paths), path=folder), markup=False)
