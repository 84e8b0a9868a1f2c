"""The compiled Word report, rendered from a docxtpl template.

The context is built from the aggregate, the validation report and the report settings (schema ``compiler``
block, overridden by ``mtqg.toml``). Before rendering, the template's variables are compared with the context:
a template asking for a variable the toolkit does not provide is refused with the variable's name.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from ..aggregate import Aggregate
from ..errors import MtqgError
from ..schema import shipped_dir
from ..validate import Report
from . import atomic_write

DEFAULT_TEMPLATE = "bao-cao-tong-hop.docx"
_PERIOD_TEXT = {"year": "năm", "half-year": "6 tháng", "quarter": "quý", "month": "tháng"}


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
            raise MtqgError(f"Không tìm thấy tệp cấu hình {p}.", f"Config file {p} does not exist.")
        return {}
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MtqgError(f"{p}: lỗi cú pháp TOML: {exc}", f"{p}: TOML syntax error: {exc}") from exc
    report = data.get("report", {})
    if not isinstance(report, dict):
        raise MtqgError(f"{p}: mục [report] phải là một bảng.", f"{p}: [report] must be a table.")
    return report


def report_context(
    agg: Aggregate,
    report: Report | None = None,
    settings: dict[str, Any] | None = None,
    period: str = "",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Every variable the report templates may use (see ``mtqg report --list-variables``)."""
    schema = agg.schema
    comp = schema.compiler.model_dump()
    comp.update(settings or {})
    today = today or dt.date.today()
    rows = agg.progress_rows()
    indicators = [dict(r, n=k) for k, r in enumerate(agg.summary_rows(), start=1)]
    behind = [
        f"{r['label']} ({r['percent']})"
        for r, (_, p) in zip(rows, agg.progress.iterrows(), strict=True)
        if not r["context"] and p["percent"] == p["percent"] and p["percent"] < 50
    ]
    problems: list[str] = []
    for f in agg.rejected:
        for issue in f.errors:
            where = ", ".join(x for x in (Path(issue.file).name, issue.sheet, issue.cell) if x)
            problems.append(f"{where}: {issue.message()} {issue.fix()}")
    period_word = _PERIOD_TEXT.get(schema.reporting.period, "")
    period_text = (
        f"{schema.project.name.split(':')[0]} {period_word} {period}".strip()
        if period
        else schema.project.name.split(":")[0]
    )
    n, total = len(agg.reported), len(agg.expected)
    part = schema.units_part
    return {
        "issuer_parent": comp.get("issuer_parent", ""),
        "issuer": comp.get("issuer", ""),
        "issuer_short": comp.get("issuer_short") or comp.get("issuer", ""),
        "number": comp.get("number", ""),
        "place": comp.get("place", ""),
        "date_text": vn_date(today),
        "as_of_text": f"{today:%d/%m/%Y}",
        "summary": comp.get("summary") or f"Kết quả thực hiện {period_text}",
        "period": period,
        "period_text": period_text,
        "schema_id": schema.id,
        "schema_title": schema.title,
        "source_document": schema.source.document,
        "source_date": f"{schema.source.date:%d/%m/%Y}",
        "source_issuer": schema.source.issuer,
        "completeness": agg.completeness(),
        "reported_count": n,
        "expected_count": total,
        "percent_reported": f"{n * 100 / total:.1f}%".replace(".", ",") if total else "",
        "missing": [agg.unit_name(c) for c in agg.missing],
        "reported": [agg.unit_name(c) for c in agg.reported],
        "rejected": [str(Path(f.path).name) for f in agg.rejected],
        "target_part": part.label if part else ("kế hoạch" if schema.is_long else "các đơn vị"),
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
        "signer_title": comp.get("signer_title", ""),
        "signer_name": comp.get("signer_name", ""),
    }


def template_path(template: str | Path | None = None) -> Path:
    if template:
        p = Path(template)
        if not p.is_file():
            raise MtqgError(f"Không tìm thấy mẫu báo cáo {p}.", f"Report template {p} does not exist.")
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
) -> Path:
    """Render the Word report atomically; refuse a template that needs a variable the context lacks."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    tpl = DocxTemplate(str(template_path(template)))
    context = report_context(agg, report, settings, period, today)
    unknown = sorted(tpl.get_undeclared_template_variables(context=context))
    if unknown:
        names = ", ".join(unknown)
        raise MtqgError(
            f"Mẫu báo cáo dùng biến không có: {names}. Xem danh sách biến: mtqg report --list-variables.",
            f"The report template uses unknown variables: {names}. See: mtqg report --list-variables.",
        )
    env = Environment(autoescape=True)
    tpl.render(context, env)
    return atomic_write(path, lambda tmp: tpl.save(str(tmp)))
