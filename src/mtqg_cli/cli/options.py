"""Options shared by every command, declared once; the console; turning library failures into exit codes."""

from __future__ import annotations

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


LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="MTQG_LANG", show_envvar=False, help="Ngôn ngữ thông báo: vi (mặc định) hoặc en."),
]
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


class _Reading:
    """What a command passes as ``progress`` to the library: called once per file read; ``start(n)`` once the
    number of files is known (the bar's total). With ``warm``, pandas is loaded (half a second) once the first file
    is back, while workers read the rest: the command aggregates next."""

    def __init__(self, bar: Any = None, warm: bool = True) -> None:
        self.bar, self.task, self.warmed = bar, None, not warm

    def start(self, total: int) -> None:
        if self.bar is not None and total >= 5:
            self.task = self.bar.add_task("Đang kiểm tra", total=total)

    def finish(self) -> None:
        """The reading is over: the bar goes (and its drawing thread with it) before the outputs are written."""
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, _item: Any) -> None:
        if self.task is not None:
            self.bar.advance(self.task)
        if not self.warmed:
            self.warmed = True
            import pandas  # noqa: F401


@contextmanager
def reading_progress(enabled: bool, warm: bool = True) -> Iterator[_Reading]:
    """A progress bar on a terminal (stderr) over the files being read; silent when piped."""
    err = console(stderr=True)
    if not enabled or not err.is_terminal:
        yield _Reading(warm=warm)
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        yield _Reading(bar, warm)


def dump_schema_list(schemas: list[Any]) -> None:
    from .output import dump_json

    dump_json([{"id": s.id, "title": s.title, "source": s.source.document} for s in schemas], console())
