"""The sheet of access codes an officer hands out: one code per unit of a form and period, printed on A4 to be cut
into slips or sent one by one. Issuing codes revokes the units' earlier ones for the same form and period."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Issued:
    path: Path
    count: int
    form: str
    period: str


def issue_codes(
    store: str | None, schema_id: str, period: str, output: str | Path, units: list[str] | None = None
) -> Issued:
    """A new code for every unit of the form in force in the period (or the ``units`` named, by name or code),
    written with the unit's name, the form, the period and its deadline to ``output`` (.xlsx)."""
    from ..forms import load_schema
    from ..periods import deadline, period_words, resolve_period, units_for_period
    from ..render import atomic_write
    from ..store import Store
    from ..units import units_named
    from .access import Access

    schema = load_schema(schema_id)
    per, kind = resolve_period(schema, period)
    chosen = units_for_period(schema, per.code)
    if units:
        chosen = units_named(schema.units, units)
    access = Access(Store(store).engine)
    due = deadline(per, kind.deadline) if kind.deadline else None
    codes = access.issue_many("unit", schema.id, per.code, [u.code for u in chosen])
    rows = [(u.name, code) for u, code in zip(chosen, codes, strict=True)]
    access.log("officer:cli", "codes-issued", f"{schema.id} {per.code} {len(rows)}")
    facts = (schema.title, period_words(per), f"{due:%d/%m/%Y}" if due else "")
    path = atomic_write(output, lambda tmp: _sheet(rows, facts).save(tmp))
    return Issued(path, len(rows), schema.id, per.code)


def _sheet(rows: list[tuple[str, str]], facts: tuple[str, str, str]) -> Any:
    from openpyxl import Workbook

    from ..render.xlsx import _Styles, print_setup, put, title_rows

    title, period, due = facts
    wb = Workbook()
    ws = wb.active
    ws.title = "Mã truy cập"
    st = _Styles()
    subtitle = f"{title} — {period}" + (f" — hạn nộp {due}" if due else "")
    title_rows(ws, 4, "MÃ TRUY CẬP NỘP BÁO CÁO (giữ kín; mỗi đơn vị một mã)", subtitle, st)
    for col, head in enumerate(("TT", "Đơn vị", "Mã truy cập", "Ghi chú"), start=1):
        put(ws, 4, col, head, st.header, st.center, border=st.border, fill=st.header_fill)
    for n, (name, code) in enumerate(rows, start=1):
        put(ws, 4 + n, 1, n, st.body, st.center, border=st.border)
        put(ws, 4 + n, 2, name, st.body, st.left, border=st.border)
        put(ws, 4 + n, 3, code, st.bold, st.center, border=st.border)
        put(ws, 4 + n, 4, "", st.body, st.left, border=st.border)
    for letter, width in zip("ABCD", (6, 34, 26, 24), strict=True):
        ws.column_dimensions[letter].width = width
    print_setup(ws, 4, 4, "portrait")
    return wb
