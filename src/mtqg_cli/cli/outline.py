"""mtqg outline list | show"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from .options import Format, FormatOpt, Lang, LangOpt, console, handled
from .output import dump_json

outline_app = typer.Typer(help="Đề cương báo cáo: liệt kê, xem.", no_args_is_help=True)


@outline_app.command("list")
def list_cmd(lang: LangOpt = Lang.vi, fmt: FormatOpt = Format.table) -> None:
    """Liệt kê các đề cương báo cáo có sẵn (mtqg report --outline MÃ).

    Ví dụ:  mtqg outline list
    """
    from ..outlines import list_outlines

    with handled(lang):
        outlines = list_outlines()
    if fmt is Format.json:
        dump_json([{"id": o.id, "name": o.name, "source": o.source} for o in outlines], console())
        return
    table = Table(header_style="bold")
    for col in ("Mã", "Tên", "Nguồn"):
        table.add_column(col)
    for o in outlines:
        table.add_row(o.id, o.name, o.source)
    console().print(table)


@outline_app.command("show")
def show_cmd(
    outline_id: Annotated[str, typer.Argument(help="Mã đề cương hoặc tệp .yaml.")], lang: LangOpt = Lang.vi
) -> None:
    """Xem các đề mục của một đề cương, theo thứ tự.

    Ví dụ:  mtqg outline show du-an-8
    """
    from ..outlines import load_outline

    with handled(lang):
        outline = load_outline(outline_id)
    con = console()
    for heading in outline.headings():
        if heading:
            con.print(heading, markup=False)
