"""The compiled Word report, rendered from a docxtpl template.

The context is built from the aggregate, the validation report and the report settings (schema ``compiler``
block, overridden by ``mtqg.toml``). Before rendering, the template's variables are compared with the context:
a template asking for a variable the toolkit does not provide is refused with the variable's name.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..aggregation import Aggregate
from ..errors import MtqgError
from ..forms import shipped_dir
from ..numbers import format_number, format_percent
from ..validate import Report
from ..words import word
from . import atomic_write

DEFAULT_TEMPLATE = "bao-cao-tong-hop.docx"
TEXT_SECTIONS = ("results", "weaknesses", "proposals", "next")  # where the units' texts go in the outline


def vn_date(day: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2024', 'ngày 15 tháng 9 năm 2024' (Nghị định 30/2020: a leading 0 for days under
    10 and for the months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def load_settings(path: str | Path | None = None) -> dict[str, Any]:
    """The [report] table of mtqg.toml (the given file, or ./mtqg.toml when present)."""
    p = Path(path) if path else Path.cwd() / "mtqg.toml"
    if not p.is_file():
        if path:
            raise MtqgError("config-not-found", path=p)
        return {}
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MtqgError("config-syntax", path=p, detail=exc) from exc
    report = data.get("report", {})
    if not isinstance(report, dict):
        raise MtqgError("config-report-not-table", path=p)
    return report


def report_context(
    agg: Aggregate,
    report: Report | None = None,
    settings: dict[str, Any] | None = None,
    period: str = "",
    today: dt.date | None = None,
    status: Any = None,
    extras: Any = None,
    by_former: bool = False,
    outline: str | None = None,
    others: list[Aggregate] | None = None,
) -> dict[str, Any]:
    """Every variable the report templates may use (see ``mtqg report --list-variables``). ``extras`` are the
    ledger's figures (cumulative, against the phase targets); ``by_former`` adds the figures by former district;
    ``outline`` the đề cương (the form's, else the general one); ``others`` the other forms of the same folder."""
    from ..outlines import load_outline

    schema = agg.schema
    chosen = load_outline(outline or schema.outline or None)
    comp = schema.compiler.model_dump()
    comp.update(settings or {})
    today = today or dt.date.today()
    rows = agg.progress_rows()
    questioned = {d["indicator"] for d in agg.doubtful or []}
    indicators = [
        # a total holding a questioned figure says so where its rate stands, the rate not stated (the figure
        # itself: the annex's list)
        dict(
            r,
            n=k,
            percent="cần xác minh" if r["code"] in questioned and r["percent"] else r["percent"],
        )
        for k, r in enumerate(agg.summary_rows(), start=1)
    ]
    behind = [
        f"{r['label']} ({r['percent']})"
        for r, (_, p) in zip(rows, agg.progress.iterrows(), strict=True)
        if not r["context"] and p["percent"] == p["percent"] and p["percent"] < 50
    ]
    # cells, files and fixes go to the annex of errors (and the feedback copies), never into the official text
    problems: list[dict[str, Any]] = []
    for f in agg.rejected:
        unit = ", ".join(agg.unit_name(u) for u in f.units if u in agg.schema.unit_by_code) or "—"
        for issue in f.errors:
            where = ", ".join(x for x in (Path(issue.file).name, issue.sheet, issue.cell) if x)
            problems.append({"unit": unit, "where": where, "error": issue.message(), "fix": issue.fix()})
    problems = [dict(p, n=k) for k, p in enumerate(problems, start=1)]
    project = schema.project.name.split(":")[0]
    kind_title = ""
    if period:  # the period in words, and which of the form's reports it is ('Báo cáo 6 tháng')
        from ..periods import period_words, resolve_period

        per, kind = resolve_period(schema, period)
        period_text = f"{project} {period_words(per)}"
        kind_title = kind.title
    else:
        period_text = project
    n, total = len(agg.reported), len(agg.expected)
    part = schema.reported_part_label
    from .charts import unit_summary

    heads, totals, per_unit = _unit_values(agg)
    units_table = []
    for k, u in enumerate(unit_summary(agg), start=1):
        units_table.append(
            {
                "n": k,
                "name": u["name"],
                "state": u["state"],
                "mean": format_percent(u["mean"]) if u["mean"] is not None else "",
                "done": u["done"] if u["mean"] is not None else "",
                "behind": u["behind"] if u["mean"] is not None else "",
                "mean_value": u["mean"],
                "code": u["code"],
                **per_unit.get(u["code"], {"v0": "", "v1": "", "v2": ""}),
            }
        )
    summary = agg.summary_rows()
    # a figure questioned (far above its unit's target) is never celebrated: neither its indicator nor its unit
    doubted = {d["indicator"] for d in agg.doubtful or []}
    highlights = (
        []
        if schema.nature == "plan"
        else [
            f"{r['label']} đạt {r['percent']}"
            for r in summary
            if r["percent"] and _pct(r["percent"]) >= 100 and r["code"] not in doubted
        ]
    )
    over = [
        u["name"]
        for u in units_table
        if u["mean_value"] is not None and u["mean_value"] >= 100 and not agg.is_doubtful(u["code"])
    ]
    if over:
        highlights.append("Đơn vị đạt từ 100% chỉ tiêu trở lên (bình quân): " + ", ".join(over))
    return {
        "issuer_parent": keep_names(comp.get("issuer_parent", "")),
        "issuer": keep_names(comp.get("issuer", "")),
        "context_text": _context_text(agg),
        "issuer_short": comp.get("issuer_short") or comp.get("issuer", ""),
        "number": comp.get("number", ""),
        "place": comp.get("place", ""),
        "date_text": vn_date(today),
        "as_of_text": f"{today:%d/%m/%Y}",
        "summary": comp.get("summary") or f"Kết quả thực hiện {period_text}",
        "period": period,
        "period_text": period_text,
        "report_kind": kind_title,
        "schema_id": schema.id,
        "schema_title": schema.title,
        "source_document": schema.source.document,
        "source_date": f"{schema.source.date:%d/%m/%Y}",
        "source_issuer": schema.source.issuer,
        "completeness": agg.completeness(),
        "reported_count": n,
        "expected_count": total,
        "percent_reported": f"{n * 100 / total:.1f}%".replace(".", ",") if total else "",
        "missing": [agg.unit_name(c) for c in agg.not_sent],
        "returned": [agg.unit_name(c) for c in agg.returned],
        "reported": [agg.unit_name(c) for c in agg.reported],
        "rejected": [str(Path(f.path).name) for f in agg.rejected],
        "target_part": f"các đơn vị ({part})" if part else ("kế hoạch" if schema.is_long else "các đơn vị"),
        "indicators": indicators,
        "behind": behind,
        "problems": problems,
        "assessment": comp.get(
            "assessment",
            "[Phần đánh giá do cán bộ tổng hợp viết: kết quả nổi bật, tồn tại, hạn chế và nguyên nhân.]",
        ),
        "closing": comp.get("closing", "[Phần đề xuất, kiến nghị và nhiệm vụ thời gian tới do cán bộ tổng hợp viết.]"),
        "recipients": list(comp.get("recipients", [])),
        "archive": comp.get("archive", "VT"),
        "signer_authority": comp.get("signer_authority", ""),
        # a leader signs over a name: the shipped settings leave it visibly to be filled, never blank
        "signer_title": comp.get("signer_title") or "[Chức vụ người ký]",
        "signer_name": comp.get("signer_name") or "[Họ và tên người ký]",
        "date_blank": "ngày      tháng      năm " + str(today.year),
        "timeliness": _timeliness(status),
        "contents": _contents(agg),
        "funds_text": next((_funds(a) for a in [agg, *(others or [])] if _has_money(a)), _funds(agg)),
        "o": chosen.model_dump(),
        "outline_name": chosen.name,
        "other_forms": [_other_form(a) for a in others or []],
        "highlights": highlights,
        "units_behind": [u["name"] for u in units_table if u["mean_value"] is not None and u["mean_value"] < 50],
        "has_targets": any(r["target"] for r in agg.summary_rows()),
        "has_unit_targets": any(u["mean_value"] is not None for u in units_table),
        "partial": 0 < n < total,
        "year_targets": _year_targets(agg),
        "value_heads": heads,
        "value_totals": totals,
        "units_table": units_table,
        "chart_indicators": "",
        "chart_units": "",
        **_unit_texts(agg),
        "to_verify": _to_verify(agg, extras),
        **_cumulative(agg, extras),
        **_former(agg, by_former),
        "former_table": "",
        **PLACEHOLDERS,
    }


PLACEHOLDERS = {
    "placeholder_direction": "[Cán bộ tổng hợp viết: văn bản chỉ đạo, hướng dẫn đã ban hành; bố trí nhân sự, cán bộ "
    "đầu mối; cơ chế phối hợp giữa các ngành.]",
    "placeholder_communication": "[Cán bộ tổng hợp viết: kết quả thông tin, truyền thông, vận động; nâng cao năng lực "
    "cho cán bộ các cấp, cộng đồng, người dân.]",
    "placeholder_content": "[Cán bộ tổng hợp viết: cách làm hay, mô hình tốt, khó khăn và nguyên nhân.]",
    "placeholder_funds": "[Cán bộ tổng hợp viết: nguồn ngân sách trung ương, vốn đối ứng địa phương; tiến độ giải ngân "
    "(kèm biểu số 3.2, Thông tư 01/2022/TT-UBDT).]",
    "placeholder_highlights": "[Cán bộ tổng hợp bổ sung các kết quả nổi bật khác.]",
    "placeholder_weaknesses": "[Cán bộ tổng hợp viết: tồn tại, hạn chế và nguyên nhân.]",
    "placeholder_next": "[Cán bộ tổng hợp viết: mục tiêu, chỉ tiêu chủ yếu năm tới; giải pháp, nhiệm vụ trọng tâm; "
    "dự kiến huy động, phân bổ và sử dụng nguồn lực.]",
    "placeholder_proposals": "[Cán bộ tổng hợp viết: đề xuất, kiến nghị với các cơ quan, các cấp ở địa phương và "
    "với các cơ quan trung ương.]",
}

# What each variable holds, for `mtqg report --list-variables` and for officers writing their own templates.
VARIABLES: dict[str, str] = {
    "issuer_parent": "cơ quan chủ quản (dòng trên của tên cơ quan ban hành)",
    "issuer": "cơ quan ban hành",
    "issuer_short": "tên ngắn của cơ quan ban hành, dùng trong câu",
    "context_text": "câu nêu các số liệu bối cảnh của địa bàn (số bản ĐBKK...)",
    "number": "số, ký hiệu văn bản",
    "place": "địa danh",
    "date_text": "ngày tháng năm kiểu văn bản hành chính: ngày 05 tháng 02 năm 2024",
    "as_of_text": "ngày lập báo cáo: 05/02/2024",
    "summary": "trích yếu",
    "period": "kỳ báo cáo như đã nhập",
    "period_text": "kỳ báo cáo trong câu: Dự án 8 năm 2024, Dự án 7 6 tháng đầu năm 2024",
    "report_kind": "loại báo cáo của kỳ: Báo cáo năm, Báo cáo 6 tháng, Đánh giá giữa kỳ",
    "schema_id": "mã biểu mẫu",
    "schema_title": "tên biểu mẫu",
    "source_document": "văn bản căn cứ của biểu mẫu",
    "source_date": "ngày của văn bản căn cứ",
    "source_issuer": "cơ quan ban hành văn bản căn cứ",
    "completeness": "9/11 đơn vị đã nộp",
    "reported_count": "số đơn vị đã nộp (đạt)",
    "expected_count": "số đơn vị phải nộp",
    "percent_reported": "tỷ lệ đơn vị đã nộp: 81,8%",
    "missing": "danh sách tên đơn vị chưa nộp",
    "returned": "danh sách tên đơn vị bị trả lại (có lỗi), chưa nộp lại",
    "reported": "danh sách tên đơn vị đã nộp",
    "rejected": "danh sách tệp bị trả lại",
    "timeliness": "tình hình nộp đúng hạn / muộn (khi lập báo cáo từ kho dữ liệu theo kỳ)",
    "target_part": "phần chỉ tiêu so sánh (Huyện, thành phố / kế hoạch)",
    "indicators": "các dòng bảng kết quả: r.n, r.label, r.unit, r.achieved, r.target, r.percent",
    "behind": "các chỉ tiêu đạt dưới 50%",
    "problems": "các lỗi cần đơn vị sửa, cho phụ lục: e.n, e.unit, e.where (tệp, trang, ô), e.error, e.fix",
    "contents": "các nội dung: c.title, c.text (kết quả từng nội dung, điền từ số liệu)",
    "funds_text": "câu về nguồn vốn (khi biểu mẫu, hoặc một biểu khác cùng thư mục, có số liệu tiền)",
    "o": "đề cương: o.direction_part, o.direction.title, o.direction['items'], ... o.next, o.proposals",
    "outline_name": "tên đề cương đã dùng",
    "other_forms": "các biểu mẫu khác trong cùng thư mục: f.heading, f.completeness, f.contents (c.text)",
    "highlights": "các kết quả nổi bật (chỉ tiêu, đơn vị đạt từ 100%)",
    "units_behind": "các đơn vị bình quân dưới 50% chỉ tiêu",
    "units_table": "bảng theo đơn vị: u.n, u.name, u.state, u.mean, u.done, u.behind",
    "chart_indicators": "biểu đồ % so với chỉ tiêu theo chỉ tiêu (hình)",
    "chart_units": "biểu đồ % so với chỉ tiêu theo đơn vị (hình)",
    "has_targets": "biểu mẫu có chỉ tiêu giao (đúng/sai)",
    "has_unit_targets": "các đơn vị có chỉ tiêu riêng (đúng/sai)",
    "year_targets": "câu so sánh kết quả với chỉ tiêu năm của kỳ báo cáo (khi biểu có chỉ tiêu theo năm)",
    "value_heads": "tiêu đề ba số liệu chính (biểu không có chỉ tiêu theo đơn vị)",
    "value_totals": "tổng của ba số liệu chính",
    "partial": "chưa đủ các đơn vị báo cáo (đúng/sai)",
    "to_verify": "số liệu cần xác minh (phụ lục): v.n, v.unit, v.label, v.value, v.why",
    "cumulative": "lũy kế từ kho dữ liệu: c.n, c.label, c.unit, c.cumulative, c.target, c.percent",
    "cumulative_period": "kỳ tính lũy kế đến (khi lập báo cáo từ kho dữ liệu)",
    "cumulative_notes": "các ghi chú về lũy kế: biểu mẫu kế tiếp, năm bị cắt bởi sắp xếp đơn vị hành chính",
    **{
        f"texts_{section}": f"ý kiến các đơn vị ({where}): f.label, f.units (i.unit, i.text)"
        for section, where in zip(
            TEXT_SECTIONS, ("kết quả", "tồn tại, hạn chế", "đề xuất, kiến nghị", "phương hướng"), strict=True
        )
    },
    "former_columns": "các huyện cũ (khi lập báo cáo với --by-former)",
    "former_rows": "các dòng theo huyện cũ: f.label, f.unit, f.values (theo thứ tự former_columns)",
    "former_table": "bảng theo huyện cũ dựng sẵn (khi lập báo cáo với --by-former)",
    "assessment": "đoạn đánh giá (mặc định: chỗ để cán bộ viết)",
    "closing": "đoạn đề xuất (mặc định: chỗ để cán bộ viết)",
    "recipients": "danh sách nơi nhận",
    "archive": "nơi lưu: VT, ...",
    "signer_authority": "thẩm quyền ký: TM. / KT.",
    "signer_title": "chức vụ người ký",
    "signer_name": "họ tên người ký",
    "date_blank": "chỗ ghi ngày ký: ngày … tháng … năm 2024",
    **{k: "chỗ để cán bộ tổng hợp viết (mục tương ứng của đề cương)" for k in PLACEHOLDERS},
}


def _to_verify(agg: Aggregate, extras: Any) -> list[dict[str, Any]]:
    """The figures to verify, for the annex: far above the unit's own target, far from its own history (ledger)."""
    ind = agg.schema.indicator_by_code
    out = []
    for d in agg.doubtful or []:
        why = f"gấp {format_number(d['times'])} lần chỉ tiêu giai đoạn của đơn vị ({format_number(d['target'])})"
        out.append(
            {"unit": agg.unit_name(d["unit"]), "label": ind[d["indicator"]].label, "value": d["value"], "why": why}
        )
    for issue in getattr(extras, "unusual", None) or []:
        p = issue.params
        unit = agg.schema.unit_by_code.get(p["unit"])
        why = (
            f"giảm so với kỳ {p['period']} ({format_number(p['previous'])}) dù là số lũy kế"
            if issue.code == "cumulative-decrease"
            else f"gấp hơn {p['factor']} lần kỳ {p['period']} ({format_number(p['previous'])})"
        )
        out.append({"unit": unit.name if unit else p["unit"], "label": p["label"], "value": p["value"], "why": why})
    return [dict(row, n=k, value=format_number(row["value"])) for k, row in enumerate(out, start=1)]


def _unit_texts(agg: Aggregate) -> dict[str, Any]:
    """What the units wrote in the form's text fields, by section of the outline: per field, unit by unit in the
    order of the form's units."""
    out: dict[str, Any] = {f"texts_{section}": [] for section in TEXT_SECTIONS}
    written = agg.texts or {}
    for field in agg.schema.texts:
        items = [
            {"unit": agg.unit_name(u), "text": written[u][field.code]}
            for u in agg.expected
            if field.code in written.get(u, {})
        ]
        if items:
            out[f"texts_{field.section}"].append({"label": field.label, "units": items})
    return out


def _cumulative(agg: Aggregate, extras: Any) -> dict[str, Any]:
    """The ledger's cumulative figures since the phase began, against the reporting units' phase targets (those
    of the form continued when this one has none), with what the figures add and the years cut by the reform."""
    if extras is None or not extras.cumulative:
        return {"cumulative": [], "cumulative_period": "", "cumulative_notes": []}
    rows: list[dict[str, Any]] = []
    for ind in agg.schema.indicators:
        cum = extras.cumulative.get(ind.code)
        if cum is None:
            continue
        target = extras.targets.get(ind.code)
        rows.append(
            {
                "n": len(rows) + 1,
                "label": ind.label,
                "unit": ind.unit,
                "cumulative": format_number(cum),
                "target": format_number(target) if target is not None else "",
                "percent": format_percent(float(cum / target * 100)) if target else "",
            }
        )
    notes = []
    if extras.continued:
        periods = ", ".join(code for _, code in extras.continued)
        notes.append(word("cumulative-adds", "vi", form=extras.continued[0][0], periods=periods))
    if extras.targets_from and extras.targets_from != agg.schema.id:
        notes.append(word("targets-from", "vi", form=extras.targets_from))
    notes += [vi for vi, _ in extras.cut_years]
    return {"cumulative": rows, "cumulative_period": extras.period, "cumulative_notes": notes}


def _former(agg: Aggregate, by_former: bool) -> dict[str, Any]:
    """The reported units' figures regrouped by former district, by name (indicators as rows: their labels need
    the width; former districts as columns)."""
    if not by_former:
        return {"former_columns": [], "former_rows": []}
    frame = agg.by_former()
    columns = [str(name).replace(",", ", ") for name in frame.index]
    rows = []
    for ind in agg.schema.indicators:
        if ind.code not in frame.columns:
            continue
        values = [frame.at[name, ind.code] for name in frame.index]
        rows.append(
            {
                "label": ind.label,
                "unit": ind.unit,
                "values": ["" if v != v else format_number(Decimal(repr(float(v)))) for v in values],
            }
        )
    return {"former_columns": columns, "former_rows": rows}


def _pct(text: str) -> float:
    return float(text.rstrip("%").replace(".", "").replace(",", "."))


def _timeliness(status: Any) -> str:
    if status is None:
        return ""
    late = [u for u in status.units if u.state == "late"]
    on_time = sum(1 for u in status.units if u.state == "on-time")
    due = status.deadline.strftime("%d/%m/%Y") if status.deadline else ""
    text = f"Hạn nộp {due}: {on_time}/{len(status.units)} đơn vị nộp đúng hạn"
    if late:
        text += "; nộp muộn: " + ", ".join(f"{u.name} ({u.days_late} ngày)" for u in late)
    return text + "."


_PLACE_WORDS = re.compile(
    r"\b(tỉnh|huyện|xã|phường|thành phố|thị xã|thị trấn|đặc khu) (?!hội\b)(\S.*)$", re.IGNORECASE
)  # 'Xã hội' is not a commune


def keep_names(text: str) -> str:
    """A body's name never broken inside its place name ('BAN DÂN TỘC TỈNH SƠN / LA'): the words after 'tỉnh',
    'huyện', 'xã' … bound by no-break spaces."""
    m = _PLACE_WORDS.search(text or "")
    if not m:
        return text
    return text[: m.start(2)] + m.group(2).replace(" ", "\u00a0")


def _d(value: object) -> Decimal:
    return Decimal(repr(float(value)))  # type: ignore[arg-type]


def _context_text(agg: Aggregate) -> str:
    """The figures that frame the results (the villages of the area: 'Số bản ĐBKK: 1.449 bản'), in a sentence."""
    parts = [
        f"{i.label}: {_with_unit(format_number(_d(agg.progress.loc[i.code, 'achieved']), i.places), i.unit)}"
        for i in agg.schema.indicators
        if i.role == "context" and i.code in agg.progress.index
    ]
    return ("Địa bàn các đơn vị báo cáo: " + "; ".join(parts) + ".") if parts and agg.reported else ""


def _year_targets(agg: Aggregate) -> str:
    """Against the plan's targets of the report's year (the yearly annex: 'Chỉ tiêu giao' with a year), when the
    period is that year or part of it: 'So với chỉ tiêu năm 2026: … 12/20 tổ (60,0%); …'."""
    if agg.period is None:
        return ""
    year = str(agg.period.start.year)
    by_unit = agg.schema.targets.years.get(year)
    if not by_unit:
        return ""
    whole = by_unit.get("*")
    parts = []
    for ind in agg.schema.indicators:
        if ind.formula or ind.role == "context":
            continue
        target = whole.get(ind.code) if whole else None
        if target is None:  # the units' own yearly targets, added up over the units expected
            values = [by_unit[u][ind.code] for u in agg.expected if u in by_unit and ind.code in by_unit[u]]
            target = sum(values, Decimal(0)) if values else None
        if not target:
            continue
        done = Decimal(repr(float(agg.progress.loc[ind.code, "achieved"])))
        places = ind.places
        share = format_percent(float(done / target * 100))
        reached = _with_unit(f"{format_number(done, places)}/{format_number(target)}", ind.unit)
        parts.append(f"{ind.label}: {reached} ({share})")
    return f"So với chỉ tiêu năm {year}: " + "; ".join(parts) + "." if parts else ""


def _unit_values(agg: Aggregate) -> tuple[list[str], list[str], dict[str, dict[str, str]]]:
    """For a form without unit targets: the headings of its first three result figures ('Kế hoạch vốn được giao
    (triệu đồng)'), their totals, and each reported unit's figures, formatted as the report formats them."""
    inds = [i for i in agg.schema.indicators if i.role == "result"][:3]
    heads = [f"{i.column_label or i.label} ({i.unit})" if i.unit else i.column_label or i.label for i in inds]
    places = [i.places for i in inds]

    def shown(value: Any, k: int) -> str:
        return "" if value != value or value is None else format_number(Decimal(repr(float(value))), places[k])

    totals = [shown(agg.progress.loc[i.code, "achieved"], k) for k, i in enumerate(inds)]
    table = agg.values.reindex(index=agg.reported, columns=[i.code for i in inds]).to_numpy(dtype="float64")
    per_unit = {
        u: {f"v{k}": shown(v, k) for k, v in enumerate(row)} for u, row in zip(agg.reported, table, strict=True)
    }
    pad = 3 - len(inds)
    return heads + [""] * pad, totals + [""] * pad, per_unit


def _has_money(agg: Aggregate) -> bool:
    return any("đồng" in i.unit and not i.formula for i in agg.schema.indicators)


def _other_form(agg: Aggregate) -> dict[str, Any]:
    """Another form of the same folder, as a section of part II: its title, who sent it, its results."""
    contents = _contents(agg)
    if not contents:  # a form without groups: its figures in one sentence
        items = [f"{r['label']}: {_with_unit(r['achieved'], r['unit'])}" for r in agg.summary_rows()]
        contents = [{"title": "", "text": "Kết quả: " + "; ".join(items) + "."}]
    for c in contents:  # the group's name before its results, without the main form's numbering
        if c["title"]:
            c["text"] = f"{c['title'].split('. ', 1)[-1]}: {c['text'].removeprefix('Kết quả: ')}"
    return {"heading": f"Biểu «{agg.schema.title}»", "completeness": agg.completeness(), "contents": contents}


def _with_unit(value: str, unit: str) -> str:
    """'12 tổ', '85,3%' (a per cent sign sits on its number)."""
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()


def _contents(agg: Aggregate) -> list[dict[str, str]]:
    """One paragraph per content area: the indicator groups of a wide form, the top lines of a long form."""
    schema = agg.schema
    doubted = {d["indicator"] for d in agg.doubtful or []}  # a questioned figure's share is not stated
    rows = {r["code"]: r for r in agg.summary_rows()}
    out = []
    if schema.is_long:
        for k, line in enumerate(schema.top_lines, start=1):
            r = rows.get(line.code)
            if r is None:
                continue
            if schema.nature == "plan":  # an allocation: said as one, against the figure given, not as a result
                text = f"Phân bổ: {_with_unit(r['achieved'], r['unit'])}"
                if r["target"]:
                    same = r["target"] == r["achieved"]
                    text += "; khớp với số được giao" if same else f"; số được giao: {r['target']}"
            else:
                text = f"Kết quả: {_with_unit(r['achieved'], r['unit'])}"
                if r["target"]:
                    text += f" so với {r['target']} ({r['percent']})"
            out.append({"title": f"1.{k}. {line.label}", "text": text + "."})
        return out
    for k, group in enumerate(schema.groups, start=1):
        items = [
            f"{r['label']}: {_with_unit(r['achieved'], r['unit'])}"
            + (f" ({r['percent']} chỉ tiêu giai đoạn)" if r["percent"] and r["code"] not in doubted else "")
            + (" (có số liệu cần xác minh, xem phụ lục)" if r["code"] in doubted else "")
            for r in (rows.get(i.code) for i in schema.indicators if i.group == group.code)
            if r is not None
        ]
        out.append({"title": f"1.{k}. {group.label}", "text": "Kết quả: " + "; ".join(items) + "."})
    return out


def _funds(agg: Aggregate) -> str:
    money = [i for i in agg.schema.indicators if "đồng" in i.unit and not i.formula]
    if not money:
        return "Biểu mẫu này không có số liệu nguồn vốn; nguồn vốn được tổng hợp theo biểu giải ngân."
    parts = []
    for ind in money:
        value = agg.progress.loc[ind.code, "achieved"]
        parts.append(f"{ind.label}: {format_number(Decimal(repr(float(value))), ind.places)} {ind.unit}")
    return "Tổng hợp nguồn lực từ báo cáo của các đơn vị: " + "; ".join(parts) + "."


def template_path(template: str | Path | None = None) -> Path:
    if template:
        p = Path(template)
        if not p.is_file():
            raise MtqgError("template-not-found", path=p)
        return p
    return shipped_dir("templates") / DEFAULT_TEMPLATE


def render_docx(
    agg: Aggregate,
    path: str | Path,
    report: Report | None = None,
    settings: dict[str, Any] | None = None,
    period: str = "",
    template: str | Path | None = None,
    today: dt.date | None = None,
    status: Any = None,
    charts: bool = True,
    extras: Any = None,
    by_former: bool = False,
    outline: str | None = None,
    others: list[Aggregate] | None = None,
) -> Path:
    """Render the Word report atomically; refuse a template that needs a variable the context lacks."""
    import io

    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import Environment

    where = template_path(template)
    tpl = DocxTemplate(str(where))
    context = report_context(agg, report, settings, period, today, status, extras, by_former, outline, others)
    with _officers_template(where):
        unknown = sorted(tpl.get_undeclared_template_variables(context=context))
    if unknown:
        names = ", ".join(unknown)
        raise MtqgError("template-unknown-variables", names=names)
    if charts:
        from .charts import indicator_chart, unit_chart

        png = indicator_chart(agg)
        if png:
            context["chart_indicators"] = InlineImage(tpl, io.BytesIO(png), width=Mm(160))
        png = unit_chart(agg)
        if png:
            context["chart_units"] = InlineImage(tpl, io.BytesIO(png), width=Mm(220))
    if context["former_rows"]:
        context["former_table"] = FORMER_MARK
    env = Environment(autoescape=True)
    # the shipped template's table of units, thousands of rows for a ministry, filled after rendering (see
    # _held_rows); an officer's own template is rendered as it is written
    held = _held_rows(context, "units_table") if template is None else {}
    with _officers_template(where):
        tpl.render(context, env)
    _fill_held_rows(tpl.docx, held)
    if context["former_rows"]:
        _former_tables(tpl.docx, context["former_columns"], context["former_rows"])
    props = tpl.docx.core_properties  # the file's own card: who wrote it, what it is, when (not 'python-docx', 2013)
    props.author = props.last_modified_by = context["issuer"].replace("\u00a0", " ") or "mtqg"
    props.title = f"Báo cáo {context['summary']}"[:250]
    props.subject = context["schema_title"][:250]
    props.comments = "Lập bằng mtqg"
    props.created = props.modified = dt.datetime.now().replace(microsecond=0)
    props.revision = 1
    return atomic_write(path, lambda tmp: tpl.save(str(tmp)))


@contextmanager
def _officers_template(path: Path) -> Iterator[None]:
    """An officer's template that is not a Word file, or whose tags are written wrong, said as such (naming the
    template and the fix), not as an unexpected error."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from jinja2 import TemplateError

    try:
        yield
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise MtqgError("template-unreadable", path=path, detail=type(exc).__name__) from exc
    except TemplateError as exc:  # Jinja's own words, as the detail (its line is the document's XML, not the page)
        raise MtqgError("template-syntax", path=path, detail=exc.message or type(exc).__name__) from exc


HELD_FROM = 200  # a loop this long has its rows made after rendering
_HELD = re.compile("\u2983(\\w+)\\.(\\w+)\u2984")


def _held_rows(context: dict[str, Any], *keys: str) -> dict[str, list[dict[str, Any]]]:
    """Long lists of table rows taken out of ``context`` before rendering, each left as one row whose fields are
    marks ('⦃units_table.name⦄'): docxtpl passes every paragraph of a rendered document through regular
    expressions and a table check, which for 3,321 units cost more than everything else in the report. The marked
    row is rendered once, as the template writes it, then copied for each item with its own texts
    (:func:`_fill_held_rows`)."""
    held = {}
    for key in keys:
        items = context.get(key)
        if isinstance(items, list) and len(items) >= HELD_FROM and all(isinstance(i, dict) for i in items):
            held[key] = items
            context[key] = [{field: f"\u2983{key}.{field}\u2984" for field in items[0]}]
    return held


def _fill_held_rows(doc: Any, held: dict[str, list[dict[str, Any]]]) -> None:
    """Each marked row (see :func:`_held_rows`) replaced by one copy per item, the marks by the item's texts."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    if not held:
        return
    marked = [
        tr for tr in doc.element.body.iter(qn("w:tr")) if any(t.text and "\u2983" in t.text for t in tr.iter(qn("w:t")))
    ]
    for tr in marked:
        texts = [t.text for t in tr.iter(qn("w:t")) if t.text and "\u2983" in t.text]
        found = _HELD.search(texts[0]) if texts else None
        items = held.get(found[1], []) if found else []
        parent = tr.getparent()
        at = parent.index(tr)
        parent.remove(tr)
        for k, item in enumerate(items):
            row = deepcopy(tr)
            for t in row.iter(qn("w:t")):
                if t.text and "\u2983" in t.text:
                    t.text = _HELD.sub(_field_of(item), t.text)
            parent.insert(at + k, row)


def _field_of(item: dict[str, Any]) -> Any:
    """The replacement of a mark by the item's field (blank for None)."""

    def text(m: re.Match[str]) -> str:
        value = item.get(m[2])
        return "" if value is None else str(value)

    return text


FORMER_MARK = "[[former_table]]"
WIDE_CM = 25.2  # the landscape section's text width (297 mm less 25 + 20 mm margins)
FORMER_PER_TABLE = 8  # former districts side by side on one landscape page, beside the indicators' labels


def _former_tables(doc: Any, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """Replace the paragraph holding the mark with the table by former district (indicators as rows, at most
    ``FORMER_PER_TABLE`` districts per table, the labels repeated in each), built with python-docx."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from .template_builder import _cell_text, _repeat_header, _set_widths

    mark = next((p for p in doc.paragraphs if FORMER_MARK in p.text), None)
    if mark is None:  # an officer's own template without the table's place
        return
    anchor = mark._element
    for start in range(0, len(columns), FORMER_PER_TABLE):
        chunk = columns[start : start + FORMER_PER_TABLE]
        table = doc.add_table(rows=1 + len(rows), cols=3 + len(chunk))
        table.style = "Table Grid"
        each = min(2.4, (WIDE_CM - 2.8 - 6.0) / len(chunk))  # the label keeps at least 6 cm
        _set_widths(table, [1.0, WIDE_CM - 2.8 - each * len(chunk), 1.8, *([each] * len(chunk))])
        _repeat_header(table.rows[0])
        for k, heading in enumerate(["TT", "Chỉ tiêu", "ĐVT", *chunk]):
            _cell_text(table.rows[0].cells[k], heading, 11, bold=True)
        for n, row in enumerate(rows, start=1):
            cells = table.rows[n].cells
            _cell_text(cells[0], str(n), 11)
            _cell_text(cells[1], row["label"], 11, align="left")
            _cell_text(cells[2], row["unit"], 11)
            for k, value in enumerate(row["values"][start : start + FORMER_PER_TABLE], start=3):
                _cell_text(cells[k], value, 11, align="right")
            tr_pr = table.rows[n]._tr.get_or_add_trPr()  # a row is never split across pages
            tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
        anchor.addnext(table._tbl)
        anchor = table._tbl
        gap = doc.add_paragraph()
        gap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        gap.paragraph_format.space_after = Pt(6)
        anchor.addnext(gap._element)
        anchor = gap._element
    mark._element.getparent().remove(mark._element)


def render_html(
    agg: Aggregate,
    path: str | Path,
    report: Report | None = None,
    settings: dict[str, Any] | None = None,
    period: str = "",
    status: Any = None,
) -> Path:
    """One self-contained HTML page (tables, charts inlined) for a quick look in a browser."""
    import base64

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from .charts import indicator_chart, unit_chart

    context = report_context(agg, report, settings, period, None, status)
    for key, make in (("chart_indicators_png", indicator_chart), ("chart_units_png", unit_chart)):
        png = make(agg)
        context[key] = base64.b64encode(png).decode("ascii") if png else ""
    env = Environment(
        loader=FileSystemLoader(str(shipped_dir("templates"))), autoescape=select_autoescape(["j2", "html"])
    )
    html = env.get_template("dashboard.html.j2").render(**context)

    def write(tmp: Path) -> None:
        tmp.write_text(html, encoding="utf-8")

    return atomic_write(path, write)


def convert_to_pdf(docx: Path) -> Path | None:
    """The report as PDF through LibreOffice when it is installed (None when it is not)."""
    import subprocess
    import tempfile

    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [exe, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        produced = Path(tmp) / (docx.stem + ".pdf")
        target = docx.with_suffix(".pdf")
        atomic_write(target, lambda t: None if shutil.copyfile(produced, t) else None)
    return target
