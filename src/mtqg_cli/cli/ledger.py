"""mtqg ingest | history | status | store check | store export"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ..numbers import format_number, format_percent
from ..words import word
from .options import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    console,
    fail,
    handled,
    progress,
)
from .output import dump_json

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Kho dữ liệu: thư mục (mặc định ./.mtqg hoặc biến MTQG_STORE) hoặc địa chỉ "
        "PostgreSQL (postgresql+psycopg://người-dùng:mật-khẩu@máy/csdl).",
    ),
]
PeriodOpt = Annotated[
    str,
    typer.Option(
        "--period",
        "-p",
        help="Kỳ báo cáo: 2024, 2024-06, 2024-Q2, 2024-H1, 2024-CN (cập nhật số liệu năm), 2021-2023 (đánh giá), "
        "2024-03-20 (đột xuất) hoặc mã loại báo cáo của biểu mẫu.",
    ),
]
SchemaReq = Annotated[str, typer.Option("--schema", "-s", help="Mã biểu mẫu.")]


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Các tệp hoặc thư mục nhận được.")],
    schema: SchemaReq,
    period: PeriodOpt,
    received: Annotated[
        str | None, typer.Option("--received", help="Ngày nhận (YYYY-MM-DD), mặc định hôm nay.")
    ] = None,
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Kiểm tra và ghi sổ các tệp nhận được: đơn vị, kỳ, biểu mẫu, mã băm, ngày nhận, kết quả kiểm tra, số liệu.

    Tệp gốc được lưu theo mã băm, không bao giờ bị ghi đè hay xoá. Gửi lại cùng một tệp: không ghi thêm. Tệp sửa
    gửi lại: thành phiên bản mới; phiên bản đạt mới nhất được tính.

    Ví dụ:  mtqg ingest nhan-ve/ --schema son-la-du-an-8 --period 2024 --received 2024-09-08
    """
    from ..forms import load_schema
    from ..periods import resolve_period
    from ..store import Store
    from ..store_ingest import ingest_paths
    from ..validate import collect_paths

    with handled(lang):
        when = dt.datetime.fromisoformat(received) if received else None
        s = load_schema(schema)
        resolve_period(s, period)  # a period of a kind the form does not have: refused before anything is read
        st = Store(store)
        files = collect_paths(paths)
        if not files:
            fail("no-workbooks", lang)
        with progress(fmt is Format.table, len(files), "Đang ghi sổ") as step:
            results = ingest_paths(st, files, s, period, when, progress=step)
    out = console()
    rows = [r.to_dict(lang) for r in results]
    unreadable = [{"file": str(p), "reason": why} for p, why in getattr(files, "unreadable", [])]
    if fmt is Format.json:
        dump_json({"period": period, "schema": schema, "ingested": rows, "unreadable": unreadable}, out)
    else:
        table = Table(header_style="bold")
        for key in ("file", "unit-name", "result", "version"):
            table.add_column(word(key, lang))
        for r in results:
            if r.status == "refused":
                why = r.result.errors[0].message(lang) if r.result.errors else word("unit-not-found", lang)
                what = word("refused", lang, reason=why)
            elif r.status == "duplicate":
                what = word("duplicate", lang)
            elif r.accepted:
                what = word("accepted", lang)
            else:
                what = word("rejected-n", lang, errors=len(r.result.errors))
            unit = s.unit_by_code.get(r.unit)  # the unit's name as officers write it, not its code
            table.add_row(Text(str(r.path)), unit.name if unit else r.unit, Text(what), str(r.version or ""))
        for item in unreadable:
            table.add_row(Text(item["file"]), "?", Text(word("refused", lang, reason=item["reason"])), "")
        out.print(table)
    raise typer.Exit(EXIT_CLEAN if all(r.accepted for r in results) and not unreadable else EXIT_PROBLEMS)


def history(
    unit: Annotated[str, typer.Option("--unit", "-u", help="Đơn vị (tên hoặc mã).")],
    period: PeriodOpt,
    schema: SchemaReq,
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Các phiên bản báo cáo của một đơn vị trong một kỳ, và số liệu thay đổi giữa các phiên bản.

    Ví dụ:  mtqg history --unit "Mộc Châu" --period 2024 --schema son-la-du-an-8
    """
    from ..forms import load_schema
    from ..store import Store
    from ..units import UnitMatcher

    with handled(lang):
        s = load_schema(schema)
        match = UnitMatcher(s.units).match(unit)
        code = match.unit.code if match.unit else unit
        versions = Store(store).history(s, code, period)
    out = console()
    if fmt is Format.json:
        dump_json({"unit": code, "period": period, "versions": versions}, out)
        return
    if not versions:
        out.print(word("no-submission", lang))
        return
    for v in versions:
        ok = word("accepted", lang) if v["accepted"] else word("n-errors", lang, errors=v["errors"])
        line = Text(f"v{v['version']}", style="bold")
        received = dt.datetime.fromisoformat(str(v["received_at"])).strftime("%d/%m/%Y %H:%M")
        line.append(f"  {received}  {v['file']}  ({ok})")
        out.print(line, soft_wrap=True)
        labels = {i.code: i.label for i in s.indicators}
        for c in v["changes"]:
            where = f"{c['line']} / " if c["line"] else ""
            old, new = (word("blank-value", lang) if x is None else format_number(x) for x in (c["old"], c["new"]))
            label = labels.get(c["indicator"], c["indicator"])
            out.print(f"    {where}{label}: {old} → {new}", markup=False)


def status(
    period: PeriodOpt,
    schema: SchemaReq,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi bảng tình hình nộp ra .xlsx.")] = None,
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Tình hình nộp báo cáo của một kỳ: đúng hạn, muộn (bao nhiêu ngày), bị trả lại, chưa nộp; tỷ lệ báo cáo.

    Ví dụ:  mtqg status --period 2024 --schema son-la-du-an-8 -o tinh-hinh-nop.xlsx
    """
    from ..forms import load_schema
    from ..periods import report_title
    from ..render.xlsx import write_status_xlsx
    from ..store import Store

    with handled(lang):
        st = Store(store).status(load_schema(schema), period)
        if output is not None:
            write_status_xlsx(st, output, lang)
    out = console()
    if fmt is Format.json:
        dump_json(st.to_dict(lang), out)
    else:
        when = report_title(st.kind.title if st.kind else "", st.period, lang)
        table = Table(header_style="bold", title=f"{st.schema.title} — {when}")
        for key in ("unit-name", "state", "days-late", "version", "received"):
            table.add_column(word(key, lang))
        for u in st.units:
            label = word("state-" + u.state, lang)
            style = {"on-time": "green", "late": "yellow"}.get(u.state, "red")
            table.add_row(
                u.name,
                f"[{style}]{label}[/{style}]",
                str(u.days_late or ""),
                str(u.version or ""),
                u.received_at.strftime("%d/%m/%Y") if u.received_at else "",
            )
        out.print(table)
        due = st.deadline.strftime("%d/%m/%Y") if st.deadline else "—"
        rate, on_time = format_percent(st.rate()), format_percent(st.on_time_rate())
        if lang == "en":  # English figures: a decimal point
            rate, on_time = f"{st.rate():.1f}%", f"{st.on_time_rate():.1f}%"
        counts = {"reported": st.reported, "expected": len(st.units)}
        out.print(word("status-line", lang, due=due, rate=rate, on_time=on_time, **counts))
    raise typer.Exit(EXIT_CLEAN if st.reported == len(st.units) else EXIT_PROBLEMS)


store_app = typer.Typer(help="Kho dữ liệu: kiểm tra, xuất ra tệp.", no_args_is_help=True)


@store_app.command("check")
def store_check(store: StoreOpt = None, lang: LangOpt = Lang.vi) -> None:
    """Kiểm tra từng tệp lưu trữ với mã băm của nó và sự nhất quán của sổ.

    Ví dụ:  mtqg store check
    """
    from ..store import Store

    with handled(lang):
        st = Store(store)
        problems = st.check()
        orphans = st.orphans()
    out = console()
    for key, params in problems:
        out.print(Text(word(key, lang, **params), style="red"), soft_wrap=True)
    if orphans:
        out.print(word("store-orphans", lang, count=len(orphans)))
    if not problems:
        out.print(Text(word("store-consistent", lang), style="green"))
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_CLEAN)


@store_app.command("export")
def store_export(
    folder: Annotated[Path, typer.Argument(help="Thư mục ghi: submissions.csv, figures.csv, files/.")],
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Xuất toàn bộ kho ra tệp thường (CSV và các tệp gốc), không phụ thuộc phần mềm nào.

    Ví dụ:  mtqg store export sao-luu/
    """
    from ..store import Store

    with handled(lang):
        done = Store(store).export(folder)
    out = console()
    for path in done.missing:
        out.print(Text(word("store-file-missing", lang, path=path), style="red"), soft_wrap=True)
    out.print(word("exported", lang, path=folder), markup=False)
    raise typer.Exit(EXIT_PROBLEMS if done.missing else EXIT_CLEAN)
