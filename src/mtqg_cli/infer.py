"""Drafting a schema from a form an officer already has (blank or filled), for a person to finish.

What can be read off the workbook is filled in: the title, the header band (merged group headings included), the
column of unit names or of lines, one indicator per remaining column (label, unit of measure from '(tổ)', whole or
decimal from Excel's data validation or from the figures), the units or lines found in the rows, a total-row rule
when the table has a total row, and a sub-line rule when lines are numbered a, b under a numbered line. What
cannot (legal source, targets, deadlines) is marked TODO.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .locate import SCAN_ROWS, _header_texts, _is_column_numbers
from .numbers import Kind, parse_number
from .reading import Sheet, read_workbook
from .text import fold, strip_accents

_UNIT_WORDS = ("don vi", "huyen", "xa", "phuong", "thanh pho", "dia phuong")
_LINE_WORDS = ("noi dung", "chi tieu", "du an", "ten du an", "hang muc", "danh muc")
_NUMBER_WORDS = ("tt", "stt", "so tt")
_TOTAL_WORDS = ("tong cong", "cong", "tong so", "tong")
_END_WORDS = ("ghi chu", "nguoi lap", "tm ", "kt ", "thu truong", "chu tich", "xac nhan", "noi nhan")


def slug(text: str, sep: str = "_") -> str:
    s = re.sub(r"[^a-z0-9]+", sep, strip_accents(text).lower()).strip(sep)
    return s or "cot"


def infer_schema(path: str | Path, schema_id: str | None = None) -> dict[str, Any]:
    """A draft schema (as a dict ready for YAML) from a workbook."""
    wb = read_workbook(path)
    sheet = max(wb.sheets, key=lambda s: sum(1 for row in s.rows for v in row if str(v).strip()))
    folded = [[fold(v) if isinstance(v, str) else "" for v in row] for row in sheet.rows[: SCAN_ROWS + 6]]
    top = _header_top(sheet, folded)
    bottom = top
    while bottom + 1 < len(folded) and bottom - top < 2 and not _data_like(sheet.rows[bottom + 1]):
        bottom += 1
    width = sheet.width
    texts = _header_texts(sheet, folded, top, bottom, width)
    raw_leaf = [_leaf_text(sheet, top, bottom, c) for c in range(width)]
    number_col = next((c for c in range(min(3, width)) if texts[c] in _NUMBER_WORDS), None)
    label_col = next(
        (c for c in range(min(4, width)) if c != number_col and any(w in texts[c] for w in _UNIT_WORDS + _LINE_WORDS)),
        (number_col + 1) if number_col is not None else 0,
    )
    label_header = raw_leaf[label_col] or "Đơn vị"
    wide = any(w in texts[label_col] for w in _UNIT_WORDS)
    data_start = bottom + 1
    while data_start < sheet.height and (
        _is_column_numbers(sheet.rows[data_start]) or not any(str(v).strip() for v in sheet.rows[data_start])
    ):
        data_start += 1
    rows, has_total = _data_rows(sheet, data_start, label_col, number_col)
    target_rows = (
        [r for r in rows if wide_target_row(r["label"])] if any(w in texts[label_col] for w in _UNIT_WORDS) else []
    )
    rows = [r for r in rows if r not in target_rows]
    types = _validation_types(Path(path), sheet.name)
    groups: dict[str, str] = {}
    indicators = []
    used: set[str] = set()
    for c in range(width):
        if c in (label_col, number_col) or not texts[c] or c < label_col:
            continue
        label, unit = _split_unit(raw_leaf[c])
        code = slug(label)[:30].strip("_")
        while code in used or not code[0].isalpha():
            code = ("c_" + code)[:30] if not code[0].isalpha() else code + "_2"
        used.add(code)
        kind = types.get(c) or _column_type(sheet, rows, c, unit)
        ind: dict[str, Any] = {"code": code, "label": label, "unit": unit, "type": kind, "min": 0, "_col": c}
        if unit == "%" or fold(label).startswith(("ty le", "ti le")):
            # a rate: the total row does not add it up (TODO: give its 'formula' so it is recomputed)
            ind["type"] = "decimal"
            ind["in_total"] = False
            ind["required"] = False
        group = _group_text(sheet, top, bottom, c)
        if group:
            gcode = slug(group, "-")[:30]
            groups[gcode] = group
            ind["group"] = gcode
            ind["headers"] = [f"{group} {label}"]
        else:
            ind["headers"] = [label]
        indicators.append(ind)
    title = _title(sheet, top)
    sid = schema_id or slug(Path(path).stem, "-")
    draft: dict[str, Any] = {
        "id": sid,
        "version": 1,
        "title": title or f"{MARK}: tên biểu mẫu",
        "source": {
            "document": f"{MARK}: số, ký hiệu văn bản căn cứ (và sửa ngày ở dòng dưới)",
            "date": "2026-01-01",
            "issuer": f"{MARK}: cơ quan ban hành",
        },
        "programme": {"code": MARK, "name": f"{MARK}: tên chương trình"},
        "project": {"code": MARK, "name": f"{MARK}: tên dự án"},
        "reporting": {"level": "commune", "period": "year", "deadline": f"{MARK}: hạn nộp, ví dụ 20/10"},
    }
    if wide:
        draft["layout"] = {"shape": "wide", "unit_column": [label_header]}
        names = list(dict.fromkeys(r["label"] for r in rows))
        draft["reporting"]["level"] = _level(names)
        draft["units"] = [_unit(n) for n in names] or [{"code": "can-dien", "name": f"{MARK}: đơn vị"}]
        if target_rows:
            values = {}
            for ind in indicators:
                p = parse_number(sheet.value(target_rows[0]["row"], ind["_col"]))
                if p.kind is Kind.NUMBER and p.value is not None:
                    values[ind["code"]] = int(p.value) if p.value == p.value.to_integral_value() else float(p.value)
            if values:
                draft["targets"] = {"phase": values}
            draft["other_rows"] = [{"code": "chi-tieu", "labels": [r["label"] for r in target_rows]}]
    else:
        draft["layout"] = {"shape": "long", "line_column": [label_header]}
        reporter = _reporter(sheet, top)
        draft["units"] = [_unit(reporter)] if reporter else [{"code": "can-dien", "name": f"{MARK}: đơn vị báo cáo"}]
        draft["reporting"]["level"] = _level([reporter]) if reporter else "commune"
        draft["lines"] = _lines(rows)
    if number_col is not None:
        draft["layout"]["number_column"] = [raw_leaf[number_col]]
    if groups:
        draft["groups"] = [{"code": k, "label": v} for k, v in groups.items()]
    draft["indicators"] = [{k: v for k, v in ind.items() if k != "_col"} for ind in indicators]
    rules: list[dict[str, Any]] = []
    if not wide and any(line.get("parent") for line in draft.get("lines", [])):
        rules.append({"code": "dong-cha-bang-tong-dong-con", "kind": "children_sum", "tolerance": 0.05})
    if has_total:
        rules.append({"code": "dong-tong-cong", "kind": "total_row", "tolerance": 0.05})
    draft["rules"] = rules
    return draft


MARK = "TODO"  # what a draft could not decide; `mtqg schema check` fails while one is left
_TARGET_WORDS = ("chi tieu", "ke hoach", "muc tieu")


def wide_target_row(label: str) -> bool:
    """A row of the plan's targets in a table of units ('Chỉ tiêu giai đoạn', 'Kế hoạch giao')."""
    return fold(label).startswith(_TARGET_WORDS)


def _level(names: list[str]) -> str:
    """The level the rows' names say: Xã/Phường -> commune, Huyện/Thành phố -> district, Phòng/Ban/Hội ->
    agency (the most frequent; commune, the only level under the province since 01/07/2025, when none says)."""
    from collections import Counter

    from .units import agency_kind, level_of

    counts: Counter[str] = Counter()
    for name in names:
        level = "agency" if agency_kind(name) else level_of(name)
        if level:
            counts[level] += 1
    return counts.most_common(1)[0][0] if counts else "commune"


def _unit(name: str) -> dict[str, Any]:
    """A unit from its row's name: an agency keeps its full name ('Phòng Tài chính - Kế hoạch', kind 'phòng'); an
    administrative unit its name without the prefix and the prefix as its kind ('Xã Mường Bú': 'Mường Bú', 'xã')."""
    from .units import agency_kind

    agency = agency_kind(name)
    if agency:
        return {"code": slug(name, "-")[:40], "name": name, "kind": agency}
    core = _core(name)
    kind = name[: len(name) - len(core)].strip().rstrip(".").lower() if core != name else ""
    kind = {"x": "xã", "p": "phường", "h": "huyện", "tp": "thành phố", "tx": "thị xã", "tt": "thị trấn"}.get(kind, kind)
    unit: dict[str, Any] = {"code": slug(core, "-"), "name": core}
    if kind and not kind.startswith(("ubnd", "ủy ban")):
        unit["kind"] = kind
    return unit


def marks(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where a draft's marks are left (the paths of the values still starting with TODO)."""
    if isinstance(data, dict):
        return [m for k, v in data.items() for m in marks(v, (*loc, k))]
    if isinstance(data, list):
        return [m for k, v in enumerate(data) for m in marks(v, (*loc, k))]
    return [loc] if isinstance(data, str) and data.strip().upper().startswith(MARK) else []


def write_draft(draft: dict[str, Any], path: str | Path, source: str | Path) -> Path:
    """The draft as YAML, or as an Excel definition when ``path`` ends in .xlsx."""
    from .render import atomic_write

    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        from .definition import write_definition

        return write_definition(draft, path)

    head = (
        f"# Bản nháp biểu mẫu, suy ra từ {Path(source).name} bằng `mtqg schema infer`.\n"
        "# Cần hoàn thiện: căn cứ (source), chương trình, dự án, danh sách đơn vị, chỉ tiêu giai đoạn (targets),\n"
        "# các quy tắc kiểm tra (rules), rồi kiểm tra bằng `mtqg schema check`. Các mục TODO phải được thay.\n"
    )
    text = head + yaml.safe_dump(draft, allow_unicode=True, sort_keys=False, width=120)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return atomic_write(path, write)


# -- helpers


def _header_top(sheet: Sheet, folded: list[list[str]]) -> int:
    """First row with text in three or more columns that is not a title (a title is one merged cell)."""
    for r, row in enumerate(folded):
        cells = [c for c in row if c]
        if len(cells) >= 3 and not _is_column_numbers(sheet.rows[r]) and not _data_like(sheet.rows[r]):
            return r
    return 0


def _data_like(values: list[Any]) -> bool:
    return _is_column_numbers(values) or any(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _leaf_text(sheet: Sheet, top: int, bottom: int, col: int) -> str:
    for r in range(bottom, top - 1, -1):
        v = sheet.value(r, col)
        if isinstance(v, str) and v.strip():
            return " ".join(v.split())
    return ""


def _group_text(sheet: Sheet, top: int, bottom: int, col: int) -> str:
    """The heading merged over this column (and others) above its own heading."""
    for (r1, c1), (_r2, c2) in sheet.merged:
        if top <= r1 < bottom and c1 <= col <= c2 and c2 > c1:
            v = sheet.value(r1, c1)
            leaf = _leaf_text(sheet, top, bottom, col)
            if isinstance(v, str) and v.strip() and " ".join(v.split()) != leaf:
                return " ".join(v.split())
    return ""


def _split_unit(text: str) -> tuple[str, str]:
    m = re.match(r"^(.*?)\s*\(([^()]{1,20})\)\s*$", text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text.strip(), ""


def _core(name: str) -> str:
    from .units import core_name

    words = core_name(name).split()
    original = name.split()
    # keep the original spelling of the name's last words (the prefix 'Huyện', 'H.' dropped)
    return " ".join(original[-len(words) :]) if words and len(words) <= len(original) else name


def _data_rows(sheet: Sheet, start: int, label_col: int, number_col: int | None) -> tuple[list[dict[str, Any]], bool]:
    rows: list[dict[str, Any]] = []
    has_total = False
    for r in range(start, sheet.height):
        label = sheet.value(r, label_col)
        text = " ".join(str(label).split()) if isinstance(label, str) else ""
        first = next((fold(v) for v in sheet.rows[r] if isinstance(v, str) and v.strip()), "")
        if not text:
            if first.startswith(_END_WORDS):
                break
            continue
        f = fold(text)
        if f.startswith(_END_WORDS):
            break
        if f in _TOTAL_WORDS or f.startswith("tong cong"):
            has_total = True
            continue
        number = sheet.value(r, number_col) if number_col is not None else ""
        rows.append({"label": text, "number": number, "row": r})
    return rows, has_total


def _lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    used: set[str] = set()
    parent = ""
    for row in rows:
        label = row["label"]
        head = label.split(":")[0]
        code = slug(head)[:30].strip("_") or "dong"
        base, k = code, 2
        while code in used:
            code, k = f"{base}_{k}", k + 1
        used.add(code)
        number = str(row["number"]).strip()
        is_child = bool(re.fullmatch(r"[a-zđ]|[-+*•]", number.lower()))
        entry: dict[str, Any] = {"code": code, "label": label}
        if is_child and parent:
            entry["parent"] = parent
            if head != label:
                entry["short"] = [head]  # 'Tiểu dự án 1' means this line only under its parent
        else:
            parent = code
            if head != label:
                entry["labels"] = [head]
        lines.append(entry)
    return lines


def _reporter(sheet: Sheet, top: int) -> str:
    for r in range(top):
        for v in sheet.rows[r]:
            if isinstance(v, str):
                m = re.search(r"(?:UBND|ỦY BAN NHÂN DÂN)\s+(?:HUYỆN|XÃ|PHƯỜNG|THÀNH PHỐ|THỊ XÃ)\s+(.+)", v, re.I)
                if m:
                    return m.group(1).strip().title()
    return ""


def _title(sheet: Sheet, top: int) -> str:
    best = ""
    for r in range(top):
        for v in sheet.rows[r]:
            if isinstance(v, str) and len(v.strip()) > len(best) and not fold(v).startswith(("cong hoa", "doc lap")):
                best = " ".join(v.split())
    return best


def _column_type(sheet: Sheet, rows: list[dict[str, Any]], col: int, unit: str) -> str:
    seen = False
    for row in rows:
        p = parse_number(sheet.value(row["row"], col))
        if p.kind is Kind.NUMBER and p.value is not None:
            seen = True
            if p.value != p.value.to_integral_value():
                return "decimal"
    if not seen and fold(unit) in ("trieu dong", "dong", "ty dong", "", "ha"):
        return "decimal"
    return "integer"


def _validation_types(path: Path, sheet_name: str) -> dict[int, str]:
    """Column -> 'integer' / 'decimal' from the Excel data validation of a blank form (.xlsx only)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        from openpyxl import load_workbook
        from openpyxl.utils import range_boundaries

        wb = load_workbook(path, read_only=False)
        ws = wb[sheet_name]
    except Exception:
        return {}
    out: dict[int, str] = {}
    for dv in ws.data_validations.dataValidation:
        kind = {"whole": "integer", "decimal": "decimal"}.get(dv.type or "")
        if not kind:
            continue
        for rng in str(dv.sqref).split():
            min_col, _, max_col, _ = range_boundaries(rng)
            for c in range(min_col, max_col + 1):
                out[c - 1] = kind
    return out
