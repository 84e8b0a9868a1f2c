"""Options shared by every command, declared once; the console; turning library failures into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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


def load_report(
    paths: list[Path] | None,
    schema: str | None,
    period: str | None,
    store: str | None,
    lang: str,
    show_progress: bool,
    jobs: int = 0,
) -> tuple[Any, dict[str, Any] | None, list[Path]]:
    """A validation report from files, or from the ledger for a period (with cumulative figures and changes)."""
    from ..validate import collect_paths, validate_paths

    if period and not paths:
        from ..forms import load_schema
        from ..store import Store, ledger_extras

        if not schema:
            fail("--period needs --schema." if lang == "en" else "Đọc theo kỳ cần --schema.")
        s = load_schema(schema)
        st = Store(store)
        return st.report(s, period), ledger_extras(st, s, period), []
    files = collect_paths(paths or [])
    if not files:
        fail("No workbook found." if lang == "en" else "Không tìm thấy tệp bảng tính nào.")
    with progress(show_progress, len(files), "Đang kiểm tra") as step:
        warmed = False

        def step_and_warm(item: Any) -> None:
            nonlocal warmed
            step(item)
            if not warmed:  # the first file is back: the workers are running, so load pandas (half a second) now
                warmed = True
                import pandas  # noqa: F401

        return validate_paths(files, schema, progress=step_and_warm, jobs=jobs), None, files


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False, highlight=False)


def fail(message: str) -> None:
    console(stderr=True).print(f"[red]{message}[/red]")
    raise typer.Exit(EXIT_FAILED)


@contextmanager
def handled(lang: str) -> Iterator[None]:
    """Library failures (bad schema, unwritable output) become one clear message and exit code 2."""
    try:
        yield
    except MtqgError as exc:
        fail(exc.message(lang))
    except OSError as exc:
        where = getattr(exc, "filename", "") or ""
        fail(f"{'Cannot write' if lang == 'en' else 'Không ghi được'} {where}: {exc.strerror or exc}")


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


def check_outputs(outputs: list[Path], inputs: list[Path], lang: str) -> None:
    """Never write over a received file."""
    sources = {p.resolve() for p in inputs if p.exists()}
    for out in outputs:
        if out.resolve() in sources:
            fail(
                f"Output {out} is one of the input files; choose another name."
                if lang == "en"
                else f"Tệp kết quả {out} trùng với một tệp đầu vào; hãy chọn tên khác."
            )


def is_interactive() -> bool:
    return sys.stderr.isatty()


def dump_schema_list(schemas: list[Any]) -> None:
    from .output import dump_json

    dump_json([{"id": s.id, "title": s.title, "source": s.source.document} for s in schemas], console())
