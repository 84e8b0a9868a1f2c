"""Forms defined in an Excel workbook, as officers work: one sheet per part of the form, Vietnamese headings.

The workbook is read into the same data a YAML form holds (and written from it), so every check of a form applies
to both and a shipped form goes to Excel and back without loss. Sheet and column names are matched after folding
case and accents. Sheets (``SHEETS``): ``Thông tin`` (key | value), ``Chỉ tiêu``, ``Nhóm``, ``Đơn vị``, ``Dòng``,
``Chỉ tiêu giao``, ``Quy tắc``, ``Hạn nộp``, ``Khác`` (anything else, as YAML). A column ``khác`` on a row holds,
as YAML, the fields of that row that have no column of their own. Every mistake names the sheet, the row and the
column (``Place``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .text import fold

# -- words: (Vietnamese, value) pairs, the first of each value is the one written


def _pairs(*items: tuple[str, str]) -> dict[str, str]:
    return dict(items)


LEVELS = _pairs(("xã", "commune"), ("huyện", "district"), ("tỉnh", "province"), ("cơ quan", "agency"))
SHAPES = _pairs(("theo đơn vị", "wide"), ("theo dòng", "long"))
TYPES = _pairs(("số nguyên", "integer"), ("số thập phân", "decimal"), ("chữ", "text"))
RATE = "tỷ lệ"  # a decimal the total row does not add up
ROLES = _pairs(("kết quả", "result"), ("bối cảnh", "context"))
YES_NO = _pairs(("có", "true"), ("không", "false"))
CUMULATIVE = _pairs(("kỳ", "false"), ("đến nay", "true"))
RULE_KINDS = _pairs(("so sánh", "compare"), ("dòng tổng cộng", "total_row"), ("tổng các dòng con", "children_sum"))
SEVERITIES = _pairs(("lỗi", "error"), ("cảnh báo", "warning"))
BLANKS = _pairs(("bỏ qua", "skip"), ("tính là 0", "zero"))
NATURES = _pairs(("kết quả", "results"), ("kế hoạch phân bổ", "plan"))
SECTIONS = _pairs(("kết quả", "results"), ("hạn chế", "weaknesses"), ("đề xuất", "proposals"), ("phương hướng", "next"))
PERIOD_KINDS = _pairs(
    ("tháng", "month"),
    ("quý", "quarter"),
    ("6 tháng", "half-year"),
    ("năm", "year"),
    ("cập nhật năm", "update"),
    ("đánh giá", "evaluation"),
    ("đột xuất", "ad-hoc"),
    ("lũy kế đến ngày", "to-date"),
)
WHOLE_PHASE = ("tổng", "toàn tỉnh", "cả tỉnh", "tổng cộng", "giai đoạn", "kế hoạch")
PART = "phần:"


@dataclass(frozen=True)
class Place:
    """Where a value came from: the sheet, the row (1-based) and the column's heading."""

    sheet: str
    row: int = 0
    column: str = ""
    keys: tuple[str, ...] = ()  # on 'Thông tin', the keys to fill

    def text(self, lang: str = "vi") -> str:
        if self.keys:
            named = ", ".join(f"«{k}»" for k in self.keys)
            return f"sheet «{self.sheet}», key {named}" if lang == "en" else f"trang «{self.sheet}», khóa {named}"
        if lang == "en":
            return (
                f"sheet «{self.sheet}»"
                + (f", row {self.row}" if self.row else "")
                + (f", column «{self.column}»" if self.column else "")
            )
        return (
            f"trang «{self.sheet}»"
            + (f", dòng {self.row}" if self.row else "")
            + (f", cột «{self.column}»" if self.column else "")
        )


class DefinitionError(ValueError):
    """Mistakes in a definition workbook, each with its place and a message in Vietnamese and English."""

    def __init__(self, problems: list[tuple[Place, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{p.text()}: {vi}" for p, vi, _ in problems))


# -- the sheets: (heading, key in the row's data, kind of value)

Column = tuple[str, str, str]
INFO: list[Column] = [
    ("mã", "id", "str"),
    ("phiên bản", "version", "int"),
    ("tên biểu", "title", "str"),
    ("tên biểu (tiếng Anh)", "title_en", "str"),
    ("căn cứ", "source.document", "str"),
    ("ngày", "source.date", "date"),
    ("cơ quan ban hành", "source.issuer", "str"),
    ("phần của văn bản", "source.part", "str"),
    ("mã chương trình", "programme.code", "str"),
    ("chương trình", "programme.name", "str"),
    ("quyết định chương trình", "programme.decision", "str"),
    ("mã dự án", "project.code", "str"),
    ("dự án", "project.name", "str"),
    ("cơ quan chủ trì dự án", "project.agency", "str"),
    ("tỉnh", "province", "str"),
    ("cấp", "reporting.level", "level"),
    ("kỳ báo cáo", "reporting.period", "period"),
    ("hạn nộp", "reporting.deadline", "str"),
    ("hạn cập nhật", "reporting.update_deadline", "str"),
    ("kế tiếp biểu", "continues", "str"),
    ("tính chất", "nature", "nature"),
    ("đề cương", "outline", "str"),
    ("danh mục đơn vị: tỉnh", "units_from.province", "str"),
    ("danh mục đơn vị: huyện", "units_from.district", "str"),
    ("danh mục đơn vị: cấp", "units_from.level", "level"),
    ("ngày đơn vị", "units_from.on", "date"),
    ("danh mục đơn vị: chỉ gồm", "units_from.only", "list"),
    ("danh mục đơn vị: trừ", "units_from.exclude", "list"),
    ("bố cục", "layout.shape", "shape"),
    ("cột đơn vị", "layout.unit_column", "list"),
    ("cột nội dung", "layout.line_column", "list"),
    ("cột số thứ tự", "layout.number_column", "list"),
    ("dòng tổng", "layout.total_labels", "list"),
    ("số dòng tiêu đề", "layout.max_header_rows", "int"),
    ("tổng hợp: cột giá trị", "summary.value", "str"),
    ("tổng hợp: so với", "summary.target", "str"),
    ("cơ quan cấp trên", "compiler.issuer_parent", "str"),
    ("cơ quan tổng hợp", "compiler.issuer", "str"),
    ("tên ngắn cơ quan tổng hợp", "compiler.issuer_short", "str"),
    ("số", "compiler.number", "raw"),
    ("địa danh", "compiler.place", "str"),
    ("thẩm quyền ký", "compiler.signer_authority", "str"),
    ("chức vụ người ký", "compiler.signer_title", "str"),
    ("người ký", "compiler.signer_name", "str"),
    ("nơi nhận", "compiler.recipients", "list"),
    ("lưu", "compiler.archive", "str"),
]
INDICATORS: list[Column] = [
    ("mã", "code", "str"),
    ("tên", "label", "str"),
    ("đvt", "unit", "str"),
    ("kiểu", "type", "type"),
    ("nhỏ nhất", "min", "dec"),
    ("lớn nhất", "max", "dec"),
    ("bắt buộc", "required", "bool"),
    ("công thức", "formula", "str"),
    ("nhóm", "group", "str"),
    ("tiêu đề khác", "headers", "list"),
    ("lũy kế", "cumulative", "cumulative"),
    ("vai trò", "role", "role"),
    ("tên (tiếng Anh)", "label_en", "str"),
    ("tên cột", "column_label", "str"),
    ("cộng vào dòng tổng", "in_total", "bool"),
    ("sai số", "tolerance", "dec"),
    ("thời gian", "window", "str"),
    ("mục báo cáo", "section", "section"),
]
GROUPS: list[Column] = [("mã", "code", "str"), ("tên", "label", "str")]
UNITS: list[Column] = [
    ("mã", "code", "str"),
    ("tên", "name", "str"),
    ("loại", "kind", "str"),
    ("tên khác", "aliases", "list"),
    ("mã thống kê", "gso", "str"),
    ("cấp", "level", "level"),
    ("huyện cũ", "former", "list"),
    ("từ ngày", "valid_from", "date"),
    ("đến ngày", "valid_to", "date"),
]
LINES: list[Column] = [
    ("mã", "code", "str"),
    ("tên", "label", "str"),
    ("đvt", "unit", "str"),
    ("thuộc", "parent", "str"),
    ("tên khác", "labels", "list"),
    ("tên ngắn", "short", "list"),
    ("tên (tiếng Anh)", "label_en", "str"),
]
RULES: list[Column] = [
    ("mã", "code", "str"),
    ("loại", "kind", "rule"),
    ("vế trái", "left", "str"),
    ("so sánh", "op", "op"),
    ("vế phải", "right", "str"),
    ("sai số", "tolerance", "dec"),
    ("sai số theo tỷ lệ (%)", "tolerance_pct", "dec"),
    ("ô trống", "blanks", "blanks"),
    ("các dòng", "lines", "list"),
    ("mức", "severity", "severity"),
    ("thông báo", "message", "str"),
    ("thông báo (tiếng Anh)", "message_en", "str"),
]
KINDS: list[Column] = [
    ("loại báo cáo", "name", "str"),
    ("kỳ", "period", "period"),
    ("hạn", "deadline", "str"),
    ("mã", "code", "str"),
    ("giai đoạn", "span", "str"),
]
OTHER_COLUMN = "khác"

SHEETS = {
    "info": "Thông tin",
    "indicators": "Chỉ tiêu",
    "groups": "Nhóm",
    "units": "Đơn vị",
    "lines": "Dòng",
    "targets": "Chỉ tiêu giao",
    "rules": "Quy tắc",
    "kinds": "Hạn nộp",
    "other": "Khác",
}
COLUMNS = {
    "indicators": INDICATORS,
    "groups": GROUPS,
    "units": UNITS,
    "lines": LINES,
    "rules": RULES,
    "kinds": KINDS,
}
_VOCAB = {
    "level": LEVELS,
    "shape": SHAPES,
    "role": ROLES,
    "bool": YES_NO,
    "cumulative": CUMULATIVE,
    "rule": RULE_KINDS,
    "severity": SEVERITIES,
    "blanks": BLANKS,
    "period": PERIOD_KINDS,
    "section": SECTIONS,
    "nature": NATURES,
}
OPS = {"=": "==", "==": "==", "<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "<": "<", ">": ">"}


# -- reading


def read_definition(path: str | Path) -> tuple[dict[str, Any], dict[tuple[Any, ...], Place]]:
    """The form's data (as a YAML form holds it) and where each part came from. Raises DefinitionError."""
    from openpyxl import load_workbook

    wb = load_workbook(Path(path), data_only=True)
    sheets = {fold(ws.title): ws for ws in wb.worksheets}
    problems: list[tuple[Place, str, str]] = []
    places: dict[tuple[Any, ...], Place] = {}
    data: dict[str, Any] = {}

    def sheet(key: str) -> Any:
        return sheets.get(fold(SHEETS[key]))

    if sheet("info") is None:
        problems.append((Place(SHEETS["info"]), "thiếu trang này (khóa | giá trị)", "the sheet is missing"))
        raise DefinitionError(problems)
    _read_info(sheet("info"), data, places, problems)
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for key, columns in COLUMNS.items():
        ws = sheet(key)
        tables[key] = _read_table(ws, SHEETS[key], columns, problems) if ws is not None else []
    groups = [row for _, row in tables["groups"]]
    codes_of_groups = {fold(g.get("label", "")): g.get("code") for g in groups}
    indicators: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for r, row in tables["indicators"]:
        if row.get("type") == "text":  # a sentence or a paragraph per unit
            places[("texts", len(texts))] = Place(SHEETS["indicators"], r)
            texts.append(_text_field(row))
            continue
        places[("indicators", len(indicators))] = Place(SHEETS["indicators"], r)
        indicators.append(_indicator(row, codes_of_groups, groups))
    if groups:
        data["groups"] = groups
    if indicators:
        data["indicators"] = indicators
    if texts:
        data["texts"] = texts
    for key in ("units", "lines", "rules"):
        rows = tables[key]
        for n, (r, _) in enumerate(rows):
            places[(key, n)] = Place(SHEETS[key], r)
        if rows:
            data[key] = [row for _, row in rows]
    if tables["kinds"]:
        from .deadlines import DeadlineError, parse_deadline

        for r, row in tables["kinds"]:  # a deadline that is not one, said with the rest of the sheet's mistakes
            try:
                parse_deadline(str(row.get("deadline", "")))
            except DeadlineError as exc:
                problems.append((Place(SHEETS["kinds"], r, "hạn"), str(exc), str(exc)))
        data.setdefault("reporting", {})["kinds"] = [_kind(row) for _, row in tables["kinds"]]
        for n, (r, _) in enumerate(tables["kinds"]):
            places[("reporting", "kinds", n)] = Place(SHEETS["kinds"], r)
    if "units" not in data and "units_from" not in data and data.get("province"):
        level = data.get("reporting", {}).get("level")
        if level in ("commune", "district", "province"):  # 'Đơn vị' left empty: the province's units of that level
            data["units_from"] = {"province": data["province"], "level": level}
            places[("units_from",)] = places.get(("province",), Place(SHEETS["info"]))
    day = data.pop("_units_on", None)  # 'ngày đơn vị': only for units taken from the country's catalogue
    if day is not None and isinstance(data.get("units_from"), dict) and data["units_from"].get("province"):
        data["units_from"]["on"] = day
    _default_layout(data)
    ws = sheet("targets")
    if ws is not None:
        _read_targets(ws, data, indicators, tables["units"], places, problems)
    ws = sheet("other")
    if ws is not None:
        _read_other(ws, data, places, problems)
    if problems:
        raise DefinitionError(problems)
    return data, places


# The headings a unit column or a line column usually has, by who reports: for a layout left empty.
UNIT_COLUMN_BY_LEVEL = {
    "commune": ["Xã, phường", "Tên xã, phường", "Đơn vị"],
    "district": ["Huyện, thành phố", "Đơn vị"],
    "province": ["Tỉnh, thành phố", "Đơn vị"],
    "agency": ["Cơ quan, đơn vị", "Tên cơ quan, đơn vị", "Đơn vị"],
}


def _default_layout(data: dict[str, Any]) -> None:
    """'bố cục' and 'cột đơn vị' may be left empty: a table with a row per unit, under the usual headings."""
    layout = data.setdefault("layout", {})
    shape = layout.setdefault("shape", "wide")
    level = (data.get("reporting") or {}).get("level", "commune")
    if shape == "wide" and not layout.get("unit_column"):
        layout["unit_column"] = list(UNIT_COLUMN_BY_LEVEL.get(level, ["Đơn vị"]))
    if shape == "long" and not layout.get("line_column"):
        layout["line_column"] = ["Nội dung", "Chỉ tiêu", "Tên dự án"]


def _cells(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _convert(value: Any, kind: str) -> Any:
    """A cell's value as the form's data wants it; ValueError with a Vietnamese message when it cannot be."""
    if kind in ("str", "raw"):  # 'raw': spaces kept ('      /BC-UBND' leaves room for the number)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if kind == "raw" else str(value).strip()
    if kind == "int":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            try:
                return int(str(value).strip())
            except ValueError:
                raise ValueError("phải là số nguyên") from None
        return int(value)
    if kind == "dec":
        if isinstance(value, bool):
            raise ValueError("phải là số")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            d = Decimal(repr(value))
            return int(d) if d == d.to_integral_value() and abs(d) < 10**15 else float(d)
        from .numbers import Kind, parse_number

        parsed = parse_number(value)
        if parsed.kind is not Kind.NUMBER or parsed.value is None:
            raise ValueError("phải là số")
        d = parsed.value
        return int(d) if d == d.to_integral_value() else str(d)
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError("phải là ngày (ngày/tháng/năm)")
    if kind == "list":
        return [part.strip() for part in str(value).replace("\n", ";").split(";") if part.strip()]
    if kind == "type":
        folded = fold(value)
        if folded == fold(RATE):
            return "rate"
        return _word(value, TYPES)
    if kind == "op":
        text = str(value).strip()
        if text not in OPS:
            raise ValueError("phải là một trong: " + ", ".join(OPS))
        return OPS[text]
    value_map = _VOCAB[kind]
    out = _word(value, value_map)
    return {"true": True, "false": False}.get(out, out)


def _word(value: Any, words: dict[str, str]) -> str:
    folded = fold(value)
    for vi, en in words.items():
        if folded in (fold(vi), fold(en)):
            return en
    raise ValueError("phải là một trong: " + ", ".join(words))


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for p in parents:
        data = data.setdefault(p, {})
    data[last] = value


def _read_info(ws: Any, data: dict[str, Any], places: dict[Any, Place], problems: list[Any]) -> None:
    by_key = {fold(vi): (vi, key, kind) for vi, key, kind in INFO}
    for r, row in enumerate(_cells(ws), start=1):
        if len(row) < 2 or _blank(row[0]):
            continue
        label = fold(row[0])
        if label in ("khoa", "key") or (r == 1 and _blank(row[1])):
            continue  # the heading row, a title
        if label not in by_key:
            problems.append(
                (
                    Place(ws.title, r, "khóa"),
                    f"khóa «{row[0]}» không có trong danh sách (xem trang Hướng dẫn)",
                    f"unknown key «{row[0]}»",
                )
            )
            continue
        if _blank(row[1]):
            continue
        vi, key, kind = by_key[label]
        try:
            value = _convert(row[1], kind)
        except ValueError as exc:
            problems.append((Place(ws.title, r, "giá trị"), f"«{vi}» {exc}", f"«{vi}»: {exc}"))
            continue
        if key == "units_from.on":
            data["_units_on"] = value
        else:
            _set(data, key, value)
        places[tuple(key.split("."))] = Place(ws.title, r, "giá trị")


def _header_row(rows: list[list[Any]], columns: list[Column]) -> int | None:
    known = {fold(vi) for vi, _, _ in columns} | {fold(OTHER_COLUMN)}
    best, best_hits = None, 0
    for r, row in enumerate(rows[:6]):
        hits = sum(1 for v in row if isinstance(v, str) and fold(v) in known)
        if hits > best_hits:
            best, best_hits = r, hits
    return best


def _read_table(ws: Any, title: str, columns: list[Column], problems: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a sheet as dicts keyed by the form's keys: (row number, data)."""
    rows = _cells(ws)
    top = _header_row(rows, columns)
    if top is None:
        if any(not _blank(v) for row in rows for v in row):
            problems.append((Place(title, 1), "không tìm thấy dòng tiêu đề cột", "no heading row found"))
        return []
    by_heading = {fold(vi): (vi, key, kind) for vi, key, kind in columns}
    spec: dict[int, tuple[str, str, str]] = {}
    for c, v in enumerate(rows[top]):
        if _blank(v):
            continue
        folded = fold(v)
        if folded == fold(OTHER_COLUMN):
            spec[c] = (OTHER_COLUMN, OTHER_COLUMN, "yaml")
        elif folded in by_heading:
            spec[c] = by_heading[folded]
        else:
            names = ", ".join(vi for vi, _, _ in columns)
            problems.append((Place(title, top + 1, str(v)), f"cột không được hiểu; các cột: {names}", "unknown column"))
    out = []
    for r in range(top + 1, len(rows)):
        row = rows[r]
        if all(_blank(v) for v in row):
            continue
        item: dict[str, Any] = {}
        for c, (vi, key, kind) in spec.items():
            value = row[c] if c < len(row) else None
            if _blank(value):
                continue
            try:
                if kind == "yaml":
                    extra = yaml.safe_load(str(value))
                    if not isinstance(extra, dict):
                        raise ValueError("phải là các cặp khóa: giá trị (YAML), ví dụ {headers: [...]}")
                    item.update(extra)
                else:
                    item[key] = _convert(value, kind)
            except (ValueError, yaml.YAMLError) as exc:
                problems.append((Place(title, r + 1, vi), str(exc), str(exc)))
        out.append((r + 1, item))
    return out


def _indicator(row: dict[str, Any], group_codes: dict[str, Any], groups: list[dict[str, Any]]) -> dict[str, Any]:
    ind = dict(row)
    if ind.get("type") == "rate":
        ind["type"] = "decimal"
        ind.setdefault("in_total", False)
    ind["headers"] = _headers_read(ind)
    ind.pop("all_headers", None)
    group = ind.get("group")
    if group and group not in {g.get("code") for g in groups}:
        code = group_codes.get(fold(group))
        if code is None:
            from .infer import slug

            code = slug(group, "-")[:30]
            groups.append({"code": code, "label": group})
            group_codes[fold(group)] = code
        ind["group"] = code
    return ind


def _text_field(row: dict[str, Any]) -> dict[str, Any]:
    """A 'chữ' row of 'Chỉ tiêu': its smallest and largest are lengths, it is optional unless 'bắt buộc: có'."""
    field = {k: v for k, v in row.items() if k not in ("type", "min", "max", "headers", "all_headers")}
    if "min" in row:
        field["min_length"] = row["min"]
    if "max" in row:
        field["max_length"] = row["max"]
    field["headers"] = _headers_read(row)
    return field


def _headers_read(row: dict[str, Any]) -> list[str]:
    """A row's header texts: its name, then 'tiêu đề khác'; or, from the 'khác' column, the full list as the form
    had it (when the name is not its first header)."""
    if row.get("all_headers"):
        return list(row["all_headers"])
    label, others = row.get("label", ""), list(row.get("headers") or [])
    return list(dict.fromkeys([label, *others])) if label else others


def _headers_written(row: dict[str, Any], headers: list[str]) -> None:
    """The inverse of :func:`_headers_read`: 'tiêu đề khác' when the name is the first header, else the full list
    kept for the 'khác' column."""
    row.pop("headers", None)
    if headers and headers[0] == row.get("label"):
        row["headers"] = headers[1:]
    else:
        row["all_headers"] = headers


def _text_row(field: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in field.items() if k not in ("min_length", "max_length", "headers")}
    row["type"] = "text"
    if "min_length" in field:
        row["min"] = field["min_length"]
    if "max_length" in field:
        row["max"] = field["max_length"]
    _headers_written(row, list(field.get("headers") or []))
    return row


def _kind(row: dict[str, Any]) -> dict[str, Any]:
    from .infer import slug

    kind = dict(row)
    name = kind.get("name", "")
    if "period" not in kind and name:
        folded = fold(name)
        for vi, en in sorted(PERIOD_KINDS.items(), key=lambda p: -len(p[0])):
            if fold(vi) in folded or (en == "ad-hoc" and "giam sat" in folded):
                kind["period"] = en
                break
    if "code" not in kind and name:
        kind["code"] = slug(name, "-")[:40]
    return kind


def _read_targets(
    ws: Any,
    data: dict[str, Any],
    indicators: list[dict[str, Any]],
    unit_rows: list[tuple[int, dict[str, Any]]],
    places: dict[Any, Place],
    problems: list[Any],
) -> None:
    """'Chỉ tiêu giao': a column 'đơn vị' (a unit's name or code, 'Tổng' for the whole phase, 'Phần: …' for a
    part), optionally 'dòng' (a long form's line) and 'kỳ' ('giai đoạn' or a year), then one column per
    indicator headed by its code or its name."""
    rows = _cells(ws)
    by_name = {fold(i.get("code", "")): i.get("code") for i in indicators}
    by_name |= {fold(i.get("label", "")): i.get("code") for i in indicators}
    special = {"don vi": "unit", "dong": "line", "ky": "period", fold(OTHER_COLUMN): "other"}
    top = None
    for r, row in enumerate(rows[:6]):
        if any(isinstance(v, str) and fold(v) == "don vi" for v in row):
            top = r
            break
    if top is None:
        if any(not _blank(v) for row in rows for v in row):
            problems.append((Place(ws.title, 1), "cần một cột «đơn vị»", "a column «đơn vị» is needed"))
        return
    spec: dict[int, tuple[str, str]] = {}
    for c, v in enumerate(rows[top]):
        if _blank(v):
            continue
        f = fold(v)
        if f in special:
            spec[c] = (special[f], str(v))
        elif f in by_name:
            spec[c] = (f"ind:{by_name[f]}", str(v))
        else:
            problems.append(
                (Place(ws.title, top + 1, str(v)), "không phải mã hay tên chỉ tiêu nào", "no such indicator")
            )
    targets: dict[str, Any] = {}
    unit_names = {fold(u.get("name", "")): u.get("code") for _, u in unit_rows}
    unit_codes = {u.get("code") for _, u in unit_rows}
    referred = _referred_units(data)
    for r in range(top + 1, len(rows)):
        row = rows[r]
        if all(_blank(v) for v in row):
            continue
        values: dict[str, Any] = {}
        who, line, period = "", "", "giai đoạn"
        other: dict[str, Any] = {}
        for c, (what, heading) in spec.items():
            v = row[c] if c < len(row) else None
            if _blank(v):
                continue
            try:
                if what == "unit":
                    who = _convert(v, "str")
                elif what == "line":
                    line = _convert(v, "str")
                elif what == "period":
                    period = _convert(v, "str")
                elif what == "other":
                    other = yaml.safe_load(str(v)) or {}
                else:
                    values[what[4:]] = _convert(v, "dec")
            except (ValueError, yaml.YAMLError) as exc:
                problems.append((Place(ws.title, r + 1, heading), str(exc), str(exc)))
        place = Place(ws.title, r + 1, "đơn vị")
        if line:
            targets.setdefault("lines", {})[line] = values
            places[("targets", "lines", line)] = place
            continue
        year = None if fold(period) in ("giai doan", "") else period
        if fold(who).startswith(fold(PART)):
            part = {"label": who.split(":", 1)[1].strip(), **other, "values": values}
            part.setdefault("code", fold(part["label"]).replace(" ", "-"))
            targets.setdefault("parts", []).append(part)
            places[("targets", "parts", len(targets["parts"]) - 1)] = place
            continue
        if not who or fold(who) in {fold(w) for w in WHOLE_PHASE}:
            key = "*"
        else:
            found = (
                who if who in unit_codes or who in referred else unit_names.get(fold(who)) or referred.get(fold(who))
            )
            if found is None:
                problems.append(
                    (place, f"«{who}» không phải đơn vị nào của biểu", f"«{who}» is not a unit of the form")
                )
                continue
            key = str(found)
        if year is not None:
            targets.setdefault("years", {}).setdefault(str(year), {})[key] = values
            places[("targets", "years")] = place
        elif key == "*":
            targets["phase"] = values
            places[("targets", "phase")] = place
        else:
            targets.setdefault("units", {})[key] = values
            places[("targets", "units", key)] = place
    if targets:
        data["targets"] = targets


def _referred_units(data: dict[str, Any]) -> dict[str, str]:
    """Names (folded) and codes of the units a form takes from the country's catalogue, to read targets by name."""
    ref = data.get("units_from")
    if not isinstance(ref, dict) or not ref.get("province"):
        return {}
    from .forms import load_units
    from .schema import UnitsFrom

    try:
        units = load_units(UnitsFrom.model_validate(ref), Path.cwd())
    except Exception:  # the form's own check reports a bad reference with its place
        return {}
    out = {fold(u.name): u.code for u in units}
    out |= {u.code: u.code for u in units}
    return out


def _read_other(ws: Any, data: dict[str, Any], places: dict[Any, Place], problems: list[Any]) -> None:
    for r, row in enumerate(_cells(ws), start=1):
        if len(row) < 2 or _blank(row[0]) or fold(row[0]) in ("khoa", "key"):
            continue
        key = str(row[0]).strip()
        try:
            data[key] = yaml.safe_load(str(row[1])) if not _blank(row[1]) else None
        except yaml.YAMLError as exc:
            problems.append((Place(ws.title, r, "giá trị"), f"không đọc được YAML: {exc}", f"bad YAML: {exc}"))
            continue
        places[(key,)] = Place(ws.title, r, "giá trị")


def place_of(places: dict[tuple[Any, ...], Place], loc: tuple[Any, ...] | list[Any], data: dict[str, Any]) -> Place:
    """The place of the deepest known part of ``loc`` (a pydantic error's location), with the column named by the
    field when the row is known."""
    loc = tuple(loc)
    for n in range(len(loc), 0, -1):
        found = places.get(loc[:n])
        if found is not None:
            if not found.column and n < len(loc):
                return Place(found.sheet, found.row, _heading_of(found.sheet, loc[n]))
            return found
    if loc and loc[0] in COLUMNS:  # a whole table missing: 'cần ít nhất một dòng'
        return Place(SHEETS[str(loc[0])])
    if loc and loc[0] == "targets":
        return Place(SHEETS["targets"])
    key = ".".join(str(p) for p in loc)
    named = tuple(vi for vi, k, _ in INFO if k == key or k.startswith(key + "."))
    if loc and loc[0] == "layout" and len(loc) == 1:
        named = ("bố cục", "cột đơn vị")
    return Place(SHEETS["info"], keys=named[:4])


def _heading_of(sheet: str, field: Any) -> str:
    section = next((k for k, title in SHEETS.items() if title == sheet), "")
    for vi, key, _ in COLUMNS.get(section, []):
        if key == field:
            return vi
    return str(field)


_PYDANTIC_VI = {
    "missing": "thiếu, phải ghi",
    "decimal_parsing": "phải là số",
    "int_parsing": "phải là số nguyên",
    "date_from_datetime_parsing": "phải là ngày",
    "date_parsing": "phải là ngày",
    "string_pattern_mismatch": "chỉ dùng chữ thường không dấu, chữ số, gạch nối (-) hoặc gạch dưới (_), bắt đầu "
    "bằng một chữ",
    "extra_forbidden": "không phải mục nào của biểu mẫu",
    "too_short": "cần ít nhất một",
    "bool_parsing": "phải là có hoặc không",
}


def message_vi(error: dict[str, Any]) -> str:
    """A pydantic error's message in Vietnamese (the English one kept for what has no translation)."""
    kind = error.get("type", "")
    if kind == "literal_error":
        expected = str((error.get("ctx") or {}).get("expected", ""))
        return "phải là một trong: " + expected.replace("' or '", "', '")
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return _PYDANTIC_VI.get(kind, str(error.get("msg", "")))


# -- writing


def write_definition(data: dict[str, Any], path: str | Path, units: list[Any] | None = None) -> Path:
    """A definition workbook from a form's data (a YAML form's, with ``units`` written out when the form takes
    them from a unit list file). Written atomically."""
    from openpyxl import Workbook

    from .render import atomic_write

    data = dict(data)
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    _guide(guide)
    info = wb.create_sheet(SHEETS["info"])
    _write_info(info, data)
    indicators = [_indicator_row(i, data.get("indicator_defaults") or {}) for i in data.get("indicators") or []]
    indicators += [_text_row(t) for t in data.get("texts") or []]
    _write_table(wb.create_sheet(SHEETS["indicators"]), INDICATORS, indicators)
    _write_table(wb.create_sheet(SHEETS["groups"]), GROUPS, data.get("groups") or [])
    unit_rows = [u if isinstance(u, dict) else u.model_dump(exclude_defaults=True) for u in (units or [])]
    unit_rows += list(data.get("units") or [])
    _write_table(wb.create_sheet(SHEETS["units"]), UNITS, unit_rows)
    _write_table(wb.create_sheet(SHEETS["lines"]), LINES, data.get("lines") or [])
    _write_targets(wb.create_sheet(SHEETS["targets"]), data, unit_rows)
    _write_table(wb.create_sheet(SHEETS["rules"]), RULES, data.get("rules") or [])
    _write_table(wb.create_sheet(SHEETS["kinds"]), KINDS, (data.get("reporting") or {}).get("kinds") or [])
    other = wb.create_sheet(SHEETS["other"])
    other.append(["khóa", "giá trị"])
    for key in ("other_rows", "target_checks", "samples", "plausibility"):
        if data.get(key):
            other.append([key, _yaml(data[key])])
    for ws in wb.worksheets:
        _dress(ws)
    return atomic_write(path, lambda tmp: wb.save(tmp))


def _yaml(value: Any) -> str:
    return yaml.safe_dump(
        _plain(value), allow_unicode=True, default_flow_style=True, width=10**9, sort_keys=False
    ).strip()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "list":
        return "; ".join(str(v) for v in value) if value else None
    if kind in _VOCAB:
        key = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else value
        for vi, en in _VOCAB[kind].items():
            if en == key:
                return vi
        return str(value)
    if kind == "type":
        return next((vi for vi, en in TYPES.items() if en == value), value)
    if kind == "op":
        return value
    if kind == "dec":
        return _plain(Decimal(str(value))) if not isinstance(value, int | float) else value
    return value


def _write_info(ws: Any, data: dict[str, Any]) -> None:
    ws.append(["khóa", "giá trị"])
    flat = dict(data)
    if isinstance(flat.get("units_from"), dict) and flat["units_from"].get("on"):
        flat["_units_on"] = flat["units_from"]["on"]
    for vi, key, kind in INFO:
        node: Any = flat if key != "units_from.on" else {"units_from": {"on": flat.get("_units_on")}}
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or node == "" or node == []:
            continue
        ws.append([vi, _cell(node, kind)])
        if kind == "date":
            ws.cell(row=ws.max_row, column=2).number_format = "dd/mm/yyyy"


def _indicator_row(ind: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    row = {**defaults, **ind}
    _headers_written(row, list(row.get("headers") or []))
    if row.get("type") == "decimal" and row.get("in_total") is False:
        row["type"] = "rate"
        row.pop("in_total")
    return row


def _write_table(ws: Any, columns: list[Column], rows: list[dict[str, Any]]) -> None:
    keys = {key for _, key, _ in columns}
    ws.append([vi for vi, _, _ in columns] + [OTHER_COLUMN])
    for row in rows:
        if not isinstance(row, dict):
            continue
        cells: list[Any] = []
        for _, key, kind in columns:
            value = row.get(key)
            if key == "type" and value == "rate":
                cells.append(RATE)
                continue
            cells.append(_cell(value, kind) if value not in (None, "", []) else None)
        rest = {k: v for k, v in row.items() if k not in keys}
        cells.append(_yaml(rest) if rest else None)
        ws.append(cells)
        for c, (_, _, kind) in enumerate(columns, start=1):
            if kind == "date" and cells[c - 1] is not None:
                ws.cell(row=ws.max_row, column=c).number_format = "dd/mm/yyyy"


def _write_targets(ws: Any, data: dict[str, Any], unit_rows: list[dict[str, Any]]) -> None:
    targets = data.get("targets") or {}
    codes = [i["code"] for i in data.get("indicators") or [] if isinstance(i, dict) and "code" in i]
    names = {u.get("code"): u.get("name") for u in unit_rows}
    ws.append(["đơn vị", "dòng", "kỳ", *codes, OTHER_COLUMN])

    def put(who: str, line: str, period: str, values: dict[str, Any], other: dict[str, Any] | None = None) -> None:
        row = [who, line or None, period, *(_plain(values.get(c)) for c in codes)]
        unknown = {k: v for k, v in values.items() if k not in codes}
        extra = dict(other or {})
        if unknown:
            extra["values"] = unknown
        ws.append([*row, _yaml(extra) if extra else None])

    if targets.get("phase"):
        put("Tổng", "", "giai đoạn", targets["phase"])
    for part in targets.get("parts") or []:
        other = {k: v for k, v in part.items() if k not in ("label", "values")}
        put(f"Phần: {part['label']}", "", "giai đoạn", part.get("values") or {}, other)
    for code, values in (targets.get("units") or {}).items():
        name = names.get(code)
        # a name written when it tells the unit apart; else its code
        same = sum(1 for u in unit_rows if fold(u.get("name", "")) == fold(name or ""))
        put(name if name and same == 1 else code, "", "giai đoạn", values)
    for line, values in (targets.get("lines") or {}).items():
        put("", line, "giai đoạn", values)
    for year, by_unit in (targets.get("years") or {}).items():
        for who, values in by_unit.items():
            put("Tổng" if who == "*" else names.get(who) or who, "", str(year), values)


def _dress(ws: Any) -> None:
    """Bold headings, widths for reading, the heading row frozen."""
    from openpyxl.styles import Alignment, Font

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col in ws.columns:
        letter = col[0].column_letter
        longest = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        ws.column_dimensions[letter].width = max(8, min(60, longest + 2))
    if ws.title != "Hướng dẫn":
        ws.freeze_panes = "A2"


GUIDE = [
    ("BIỂU MẪU ĐỊNH NGHĨA BẰNG EXCEL", ""),
    ("Trang", "Nội dung"),
    (
        "Thông tin",
        "Hai cột «khóa | giá trị»: mã biểu (chữ thường không dấu, gạch nối), tên biểu, căn cứ, ngày, "
        "cơ quan ban hành, tỉnh, cấp (xã, huyện, tỉnh, cơ quan), ngày đơn vị, cơ quan tổng hợp, số, người ký, "
        "nơi nhận…",
    ),
    (
        "Chỉ tiêu",
        "Mỗi dòng một chỉ tiêu: mã | tên | đvt | kiểu (số nguyên, số thập phân, tỷ lệ, chữ) | nhỏ nhất | "
        "lớn nhất | bắt buộc (có/không) | công thức (vd: giai_ngan / ke_hoach * 100) | nhóm | tiêu đề khác (cách nhau "
        "bằng ;) | lũy kế (kỳ: số của kỳ; đến nay: số cộng dồn).",
    ),
    ("Nhóm", "Nhóm chỉ tiêu (nội dung): mã | tên. Có thể bỏ trống: ghi tên nhóm ở cột «nhóm» của trang Chỉ tiêu."),
    (
        "Đơn vị",
        "Mỗi dòng một đơn vị báo cáo: mã | tên | loại (xã, phường, phòng, ban, hội…) | tên khác. Để trống "
        "khi trang Thông tin ghi tỉnh và cấp: lấy danh mục đơn vị hành chính của tỉnh.",
    ),
    ("Dòng", "Chỉ với bố cục «theo dòng» (mỗi đơn vị một tệp, mỗi dòng một nội dung): mã | tên | thuộc (mã dòng cha)."),
    (
        "Chỉ tiêu giao",
        "Dán phụ lục chỉ tiêu của kế hoạch: cột «đơn vị» (tên hoặc mã; «Tổng» cho cả giai đoạn), "
        "cột «kỳ» (giai đoạn hoặc năm), rồi mỗi chỉ tiêu một cột, tiêu đề là mã hoặc tên chỉ tiêu.",
    ),
    (
        "Quy tắc",
        "Kiểm tra số liệu: mã | loại (so sánh, dòng tổng cộng, tổng các dòng con) | vế trái | so sánh "
        "(=, <=, >=, <, >) | vế phải | sai số | mức (lỗi, cảnh báo) | thông báo.",
    ),
    (
        "Hạn nộp",
        "Mỗi loại báo cáo một dòng: loại báo cáo | kỳ (tháng, quý, 6 tháng, năm, cập nhật năm, đánh giá, "
        "đột xuất) | hạn (20/10; 15/08/2023; ngày 5 tháng sau; 10 ngày làm việc) | giai đoạn (đánh giá: 2021-2023).",
    ),
    ("Khác", "Phần nâng cao, viết bằng YAML (các dòng không phải đơn vị, kiểm tra chỉ tiêu giao, số liệu mẫu)."),
    ("", ""),
    (
        "Kiểm tra",
        "mtqg schema check bieu.xlsx — mỗi lỗi ghi rõ trang, dòng, cột. Dùng trực tiếp: mtqg validate "
        "-s bieu.xlsx, mtqg template bieu.xlsx.",
    ),
]


def _guide(ws: Any) -> None:
    from openpyxl.styles import Alignment, Font

    for a, b in GUIDE:
        ws.append([a, b])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row[0].font = Font(bold=True)


STARTING_KEYS = (
    "mã",
    "tên biểu",
    "căn cứ",
    "ngày",
    "cơ quan ban hành",
    "tỉnh",
    "cấp",
    "ngày đơn vị",
    "bố cục",
    "cột đơn vị",
    "mã chương trình",
    "chương trình",
    "mã dự án",
    "dự án",
    "cơ quan tổng hợp",
    "số",
    "người ký",
    "chức vụ người ký",
    "nơi nhận",
)


def new_definition(path: str | Path) -> Path:
    """An empty definition with the guide, every sheet's headings and drop-down lists for the closed columns."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from .render import atomic_write

    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    _guide(guide)
    info = wb.create_sheet(SHEETS["info"])
    info.append(["khóa", "giá trị"])
    for vi in STARTING_KEYS:
        info.append([vi, None])
    lists = {
        "level": list(LEVELS),
        "type": [*TYPES, RATE],
        "bool": list(YES_NO),
        "cumulative": list(CUMULATIVE),
        "role": list(ROLES),
        "rule": list(RULE_KINDS),
        "severity": list(SEVERITIES),
        "blanks": list(BLANKS),
        "period": list(PERIOD_KINDS),
        "op": ["=", "<=", ">=", "<", ">"],
    }
    level_row = (
        1 + [vi for vi in ("mã", "tên biểu", "căn cứ", "ngày", "cơ quan ban hành", "tỉnh", "cấp")].index("cấp") + 1
    )
    _drop_down(info, f"B{level_row}", lists["level"], DataValidation)
    for key, columns in COLUMNS.items():
        ws = wb.create_sheet(SHEETS[key])
        ws.append([vi for vi, _, _ in columns] + [OTHER_COLUMN])
        for c, (_, _, kind) in enumerate(columns, start=1):
            if kind in lists:
                from openpyxl.utils import get_column_letter

                letter = get_column_letter(c)
                _drop_down(ws, f"{letter}2:{letter}500", lists[kind], DataValidation)
        if key == "indicators":
            sheet_targets = wb.create_sheet(SHEETS["targets"])
            sheet_targets.append(["đơn vị", "kỳ"])
    other = wb.create_sheet(SHEETS["other"])
    other.append(["khóa", "giá trị"])
    for ws in wb.worksheets:
        _dress(ws)
    return atomic_write(path, lambda tmp: wb.save(tmp))


def _drop_down(ws: Any, cells: str, values: list[str], factory: Callable[..., Any]) -> None:
    dv = factory(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.error = "Chọn một giá trị trong danh sách: " + ", ".join(values)
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)


def export_form(ref: str | Path, path: str | Path) -> Path:
    """``mtqg schema to-xlsx``: a form (by id or file) as a definition workbook. Units the form takes from a unit
    list file are written out; units taken from the country's catalogue stay a reference."""
    from .forms import form_file, load_schema

    schema = load_schema(ref)
    source = form_file(ref)
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        data, _ = read_definition(source)
    else:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    units: list[Any] = []
    ref_units = data.get("units_from")
    if isinstance(ref_units, dict) and ref_units.get("file"):
        listed = {u.get("code") for u in data.get("units") or [] if isinstance(u, dict)}
        units = [u for u in schema.units if u.code not in listed]
        data = {k: v for k, v in data.items() if k != "units_from"}
    return write_definition(data, path, units)


def definition_to_yaml(workbook: str | Path, path: str | Path) -> Path:
    """``mtqg schema from-xlsx``: the definition checked as a form, then written as YAML (atomically)."""
    from .forms import load_schema
    from .render import atomic_write

    load_schema(workbook)  # every mistake named by sheet, row and column before anything is written
    data, _ = read_definition(workbook)
    head = f"# Biểu mẫu chuyển từ bảng định nghĩa {Path(workbook).name} (mtqg schema from-xlsx).\n"
    text = head + yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=120)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return atomic_write(path, write)
