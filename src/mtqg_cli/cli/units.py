"""mtqg units list | show | match"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..words import word
from .options import EXIT_CLEAN, EXIT_PROBLEMS, Format, FormatOpt, Lang, LangOpt, console, fail, handled
from .output import dump_json

units_app = typer.Typer(help="Đơn vị hành chính cả nước, trước và sau 1/7/2025: liệt kê, xem, nhận diện tên.")

OnOpt = Annotated[str | None, typer.Option("--on", help="Ngày (YYYY-MM-DD); bỏ trống: hôm nay.")]
LevelOpt = Annotated[
    str, typer.Option("--level", help="Cấp: commune (xã, phường, đặc khu), district (huyện, trước 1/7/2025), province.")
]


def _day(text: str | None, lang: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        fail("date-invalid", lang, text=text)


def _rows(units: list, lang: str) -> Table:
    table = Table(header_style="bold")
    for key in ("code", "unit-name", "kind-word", "province-word", "valid-word"):
        table.add_column(word(key, lang))
    for u in units:
        valid = f"{u.valid_from or '…'} → {u.valid_to or '…'}"
        table.add_row(u.code, Text(u.name), u.kind, u.province, valid)
    return table


@units_app.command("list")
def list_cmd(
    province: Annotated[str | None, typer.Argument(help="Tỉnh, thành phố (tên hoặc mã); bỏ trống: cả nước.")] = None,
    level: LevelOpt = "commune",
    on: OnOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Các đơn vị của một tỉnh (hoặc cả nước) còn tồn tại vào một ngày.

    Ví dụ:  mtqg units list "Lai Châu" --on 2026-01-01  ·  mtqg units list "Sơn La" --level district --on 2025-06-30
    """
    from ..country import LEVELS, country

    if level not in LEVELS:
        fail("level-invalid", lang, level=level)
    day = _day(on, lang)
    with handled(lang):
        try:
            units = country().in_force(province, level, day)
        except LookupError:
            fail("province-unknown", lang, name=province)
    if fmt is Format.json:
        dump_json(
            {
                "province": province,
                "level": level,
                "on": day.isoformat(),
                "count": len(units),
                "units": [u.to_dict() for u in units],
            },
            console(),
        )
        raise typer.Exit(EXIT_CLEAN)
    out = console()
    out.print(_rows(units, lang))
    out.print(word("units-count", lang, count=len(units), on=day.strftime("%d/%m/%Y")))


@units_app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Tên (có hoặc không có dấu, «Xã …») hoặc mã GSO.")],
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Một đơn vị: loại, mã GSO, thời gian tồn tại, lập từ đơn vị nào, trở thành đơn vị nào.

    Ví dụ:  mtqg units show "Mường Bú"  ·  mtqg units show 04045
    """
    from ..country import country

    cat = country()
    found = cat.find(name)
    if not found:
        fail("unit-not-found", lang, name=name)
    if fmt is Format.json:
        dump_json([u.to_dict() for u in found], console())
        raise typer.Exit(EXIT_CLEAN)
    out = console()
    for u in found:
        parent = cat.by_key.get(u.parent)
        line = Text(f"{u.name}", style="bold")
        line.append(f"  ({u.kind}, {word('code', lang)} {u.code}; {u.province}")
        line.append(f"{', ' + parent.name if parent and parent.level == 'district' else ''})")
        line.append(f"  {u.valid_from or '…'} → {u.valid_to or '…'}")
        out.print(line)
        for key, linked in (("became", u.became), ("came-from", u.came_from)):
            if linked:
                names = ", ".join(f"{cat.by_key[k].name} ({cat.by_key[k].code})" for k in linked)
                out.print(Text(f"   {word(key, lang)}: {names}"))


@units_app.command("match")
def match_cmd(
    names: Annotated[list[str], typer.Argument(help="Các tên cần nhận diện, hoặc một tệp bảng tính.")],
    province: Annotated[str, typer.Option("--province", "-t", help="Tỉnh, thành phố.")],
    level: LevelOpt = "commune",
    on: OnOpt = None,
    lang: LangOpt = Lang.vi,
    fmt: FormatOpt = Format.table,
) -> None:
    """Mỗi tên (như đơn vị vẫn viết: «X. Mường Bú», «MUONG BU», mã GSO) ứng với đơn vị nào, độ tin cậy bao nhiêu.

    Ví dụ:  mtqg units match "X. Mường Bú" "Chieng Mung" -t "Sơn La"  ·  mtqg units match bao-cao.xlsx -t "Sơn La"
    """
    from ..country import match_names

    day = _day(on, lang)
    with handled(lang):
        texts = _texts(names)
        try:
            rows = match_names(texts, province, day, level)
        except LookupError:
            fail("province-unknown", lang, name=province)
    if fmt is Format.json:
        dump_json(rows, console())
    else:
        table = Table(header_style="bold")
        for key in ("written-as", "unit-name", "code", "confidence-word"):
            table.add_column(word(key, lang))
        for row in rows:
            unit: Any = row["unit"]
            written = Text(str(row["name"]))
            if unit:
                table.add_row(written, Text(str(unit["name"])), str(unit["code"]), f"{row['confidence']}%")
            else:
                nearest: Any = row["candidates"]
                why = word("wrong-level-name", lang) if row["wrong_level"] else ", ".join(nearest) or "—"
                table.add_row(written, Text(word("no-unit", lang, nearest=why), style="red"), "", "")
        console().print(table)
    raise typer.Exit(EXIT_CLEAN if all(r["unit"] for r in rows) else EXIT_PROBLEMS)


def _texts(names: list[str]) -> list[str]:
    """The names given, or, for a workbook, the texts of its column that reads most like unit names."""
    if len(names) == 1 and Path(names[0]).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from ..reading import read_workbook
        from ..units import level_of

        book = read_workbook(names[0])
        best: list[str] = []
        for sheet in book.sheets:
            for col in range(sheet.width):
                column = [str(r[col]).strip() for r in sheet.rows if col < len(r) and isinstance(r[col], str)]
                named = [t for t in column if level_of(t)]
                if len(named) > len(best):
                    best = named
        return best
    return names
