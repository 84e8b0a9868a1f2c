"""Options shared by every command, declared once; the console; turning library failures into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..errors import MtqgError

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class Format(StrEnum):
    table = "table"
    json = "json"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Ngôn ngữ thông báo: vi (mặc định) hoặc en.")]
FormatOpt = Annotated[
    Format, typer.Option("--format", help="table: bảng dễ đọc (mặc định); json: cho máy đọc, ra stdout.")
]
SchemaOpt = Annotated[
    str | None,
    typer.Option(
        "--schema",
        "-s",
        help="Mã biểu mẫu (xem `mtqg schema list`) hoặc đường dẫn tệp .yaml. Bỏ trống: tự nhận biết theo tiêu đề bảng.",
    ),
]
PathsArg = Annotated[
    list[Path], typer.Argument(help="Các tệp .xlsx/.xls/.ods hoặc thư mục chứa chúng.", show_default=False)
]
OptionalPathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Các tệp hoặc thư mục; bỏ trống khi đọc từ kho (--period).", show_default=False),
]
LedgerPeriodOpt = Annotated[
    str | None,
    typer.Option("--period", "-p", help="Đọc từ kho dữ liệu (mtqg ingest) số liệu của kỳ này: 2024, 2024-06, ..."),
]
StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="Kho dữ liệu: thư mục (mặc định ./.mtqg, biến MTQG_STORE) hoặc địa chỉ PostgreSQL."),
]


JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        help="Số tiến trình đọc tệp song song (0: mtqg tự chọn — mỗi lõi CPU một tiến trình khi lô tệp đủ lớn để "
        "bù thời gian khởi động; 1: không song song).",
    ),
]


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False, highlight=False)


def fail(code: str, lang: str, **params: Any) -> NoReturn:
    """Stop the command with the catalogue's message for failure ``code`` (exit code 2)."""
    show_failure(MtqgError(code, **params), lang)


def show_failure(exc: MtqgError, lang: str) -> NoReturn:
    from rich.text import Text

    err = console(stderr=True)
    err.print(Text(exc.message(lang), style="red"), soft_wrap=True)  # never markup: it may hold a file name
    raise typer.Exit(EXIT_FAILED)


@contextmanager
def handled(lang: str) -> Iterator[None]:
    """Library failures (bad schema, unwritable output) become one clear message and exit code 2."""
    try:
        yield
    except MtqgError as exc:
        show_failure(exc, lang)
    except OSError as exc:
        fail("cannot-access", lang, path=getattr(exc, "filename", "") or "", detail=exc.strerror or exc)


@contextmanager
def progress(enabled: bool, total: int, label: str) -> Iterator[Callable[[Any], None]]:
    """A progress bar on a terminal (stderr) for long work; silent when piped."""
    err = console(stderr=True)
    if not enabled or total < 5 or not err.is_terminal:
        yield lambda _item: None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda _item: bar.advance(task)


@contextmanager
def reading_progress(enabled: bool) -> Iterator[Callable[[Any], None]]:
    """A progress bar over the files being read (its total learnt from the first call's batch is not known in
    advance here, so the bar counts up); and once the first file is back, pandas is loaded (half a second) while
    the workers run."""
    err = console(stderr=True)
    warmed = False

    def warm() -> None:
        nonlocal warmed
        if not warmed:
            warmed = True
            import pandas  # noqa: F401

    if not enabled or not err.is_terminal:

        def quiet(_item: Any) -> None:
            warm()

        yield quiet
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Đang kiểm tra", total=None)

        def step(_item: Any) -> None:
            bar.advance(task)
            warm()

        yield step


def is_interactive() -> bool:
    return sys.stderr.isatty()


def dump_schema_list(schemas: list[Any]) -> None:
    from .output import dump_json

    dump_json([{"id": s.id, "title": s.title, "source": s.source.document} for s in schemas], console())
