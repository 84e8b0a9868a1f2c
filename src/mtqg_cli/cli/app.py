"""The ``mtqg`` application: registers the commands."""

from __future__ import annotations

import typer

from .aggregate import aggregate
from .ledger import history, ingest, status, store_app
from .options import Lang, LangOpt
from .outline import outline_app
from .report import report
from .sample import sample
from .schema import schema_app
from .serve import serve_app
from .template import template
from .units import units_app
from .validate import validate
from .vietnamese import install, language_group

install()  # Typer's own words (panel titles, [bắt buộc], help option, errors) in Vietnamese

app = typer.Typer(
    name="mtqg",
    cls=language_group(),
    help=(
        "mtqg — kiểm tra, tổng hợp và lập báo cáo số liệu các Chương trình mục tiêu quốc gia từ tệp Excel "
        "của các đơn vị.\n\n"
        "Ví dụ: mtqg validate bao-cao/  ·  mtqg aggregate bao-cao/ -o tong-hop.xlsx  ·  "
        "mtqg report bao-cao/ -o bao-cao.docx -o phu-luc.xlsx"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"mtqg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="In phiên bản mtqg rồi thoát.", callback=_version, is_eager=True
    ),
    lang: LangOpt = Lang.vi,  # read before parsing (vietnamese.run_language): 'mtqg --lang en validate …' too
) -> None:
    """mtqg — kiểm tra, tổng hợp và lập báo cáo số liệu các Chương trình mục tiêu quốc gia."""


app.command()(validate)
app.command()(aggregate)
app.command()(report)
app.command()(sample)
app.command()(template)
app.add_typer(schema_app, name="schema")
app.command()(ingest)
app.command()(history)
app.command()(status)
app.add_typer(store_app, name="store")
app.add_typer(units_app, name="units")
app.add_typer(outline_app, name="outline")
app.add_typer(serve_app, name="serve")


def main() -> None:
    import sys

    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:  # a bug, not bad data: one line, exit 2, never a wall of traceback for an officer
        print(f"mtqg: lỗi không mong đợi / unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 2
    _leave(code)


def _leave(code: object) -> None:
    """End the process once its output is flushed, without tearing down every object it built: freeing a form of
    thousands of units and a batch's results one by one takes a tenth of a second and changes nothing. Every file
    mtqg writes is closed (and renamed into place) before a command returns."""
    import os
    import sys

    if isinstance(code, str):  # sys.exit('message')
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe ('| head'): nothing more can be said there
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
