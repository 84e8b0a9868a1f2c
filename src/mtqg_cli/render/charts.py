"""Charts for the compiled report: % of target by indicator and by unit (matplotlib, print quality PNG).

DejaVu Sans, which ships with matplotlib, draws every Vietnamese letter, so labels render on any machine.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from ..aggregation import Aggregate
from ..numbers import format_percent

DPI = 200


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"
    plt.rcParams["font.size"] = 9
    return plt


def _bars(labels: list[str], values: list[float], title: str, width_in: float, xlabel: str) -> bytes:
    plt = _pyplot()
    height = 0.9 + 0.38 * len(labels)
    fig, ax = plt.subplots(figsize=(width_in, height), dpi=DPI)
    colors = ["#c00000" if v < 50 else "#e6a700" if v < 100 else "#2e7d32" for v in values]
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=colors, height=0.6)
    ax.set_yticks(y, labels)
    ax.axvline(100, color="#333333", linewidth=0.8, linestyle="--")
    top = max([110.0, *values]) * 1.15
    ax.set_xlim(0, top)
    for yi, v in zip(y, values, strict=True):
        ax.text(v + top * 0.01, yi, format_percent(v), va="center", fontsize=8)
    fig.suptitle(title, fontsize=10, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()


def indicator_chart(agg: Aggregate, width_in: float = 6.3) -> bytes | None:
    """Horizontal bars: each indicator's (or line's) achievement as a % of its target."""
    rows = [r for r in agg.summary_rows() if r["percent"]]
    if not rows:
        return None
    labels = [textwrap.shorten(r["label"], 60, placeholder="…") for r in rows]
    values = [_pct(r["percent"]) for r in rows]
    return _bars(labels, values, "Tỷ lệ thực hiện so với chỉ tiêu (%)", width_in, "% so với chỉ tiêu")


def unit_chart(agg: Aggregate, width_in: float = 9.0) -> bytes | None:
    """Horizontal bars: each reporting unit's mean % of its own targets (wide forms with unit targets)."""
    table = unit_summary(agg)
    rows = [r for r in table if r["mean"] is not None]
    if not rows:
        return None
    return _bars(
        [r["name"] for r in rows],
        [r["mean"] for r in rows],
        "Tỷ lệ thực hiện bình quân so với chỉ tiêu, theo đơn vị (%)",
        width_in,
        "% so với chỉ tiêu",
    )


def unit_summary(agg: Aggregate) -> list[dict[str, Any]]:
    """Per unit: reported or not, mean % of its targets over the result indicators, how many at >= 100 % / < 50 %."""
    results = [i.code for i in agg.schema.indicators if i.role == "result" and not i.formula]
    rejected = {u for f in agg.rejected for u in f.units}
    out = []
    for code in agg.expected:
        pct = agg.unit_percent.loc[code, results] if results else None
        values = [float(v) for v in pct if v == v] if pct is not None else []
        state = "Đã nộp" if code in agg.reported else "Bị trả lại" if code in rejected else "Chưa nộp"
        out.append(
            {
                "code": code,
                "name": agg.unit_name(code),
                "state": state,
                "mean": round(sum(values) / len(values), 1) if values else None,
                "done": sum(1 for v in values if v >= 100),
                "behind": sum(1 for v in values if v < 50),
            }
        )
    return out


def _pct(text: str) -> float:
    return float(text.rstrip("%").replace(".", "").replace(",", "."))
