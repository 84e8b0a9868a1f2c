"""Charts for the compiled report: % of target by indicator and by unit (matplotlib, print quality PNG).

DejaVu Sans, which ships with matplotlib, draws every Vietnamese letter, so labels render on any machine.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from ..aggregation import Aggregate
from ..numbers import format_percent
from ..words import word

DPI = 200
# a chart of more units than this is unreadable on a page (3,321 bars took 24 s to draw, an image of 1,800 x
# 265,940 pixels, 20 MB, 32 m tall in the report): the annex's table holds every unit
CHART_UNITS_AT_MOST = 60


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"
    plt.rcParams["font.size"] = 9
    return plt


_RED, _AMBER, _GREEN, _GREY = "#c00000", "#e6a700", "#2e7d32", "#9e9e9e"


def _bars(
    labels: list[str],
    values: list[float],
    title: str,
    width_in: float,
    xlabel: str,
    doubtful: list[bool] | None = None,
) -> bytes:
    """Bars coloured by how far each is from 100 %, with a legend; a doubtful bar (a figure questioned) in grey."""
    from matplotlib.patches import Patch

    plt = _pyplot()
    lines = sum(label.count("\n") + 1 for label in labels)  # wrapped labels take their lines' room
    height = 1.3 + 0.24 * lines + 0.16 * len(labels)
    fig, ax = plt.subplots(figsize=(width_in, height), dpi=DPI)
    doubt = doubtful or [False] * len(values)
    colors = [
        _GREY if d else _RED if v < 50 else _AMBER if v < 100 else _GREEN for v, d in zip(values, doubt, strict=True)
    ]
    legend = [Patch(color=_RED, label="dưới 50%"), Patch(color=_AMBER, label="50% - dưới 100%")]
    legend.append(Patch(color=_GREEN, label="từ 100% trở lên"))
    if any(doubt):
        legend.append(Patch(color=_GREY, label="có số liệu cần xác minh"))
    ax.legend(
        handles=legend,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=min(len(legend), 2),
        fontsize=7,
        frameon=False,
    )
    y = list(range(len(labels)))[::-1]
    # the scale is set by the figures not questioned: a typo's 1.950 % does not flatten every other bar
    top = max([110.0, *(v for v, d in zip(values, doubt, strict=True) if not d)]) * 1.15
    drawn = [min(v, top * 0.5) if d else v for v, d in zip(values, doubt, strict=True)]
    ax.barh(y, drawn, color=colors, height=0.6)
    ax.set_yticks(y, labels)
    ax.axvline(100, color="#333333", linewidth=0.8, linestyle="--")
    ax.set_xlim(0, top)
    for yi, v, w, d in zip(y, values, drawn, doubt, strict=True):
        text = f"{format_percent(v)} (cần xác minh)" if d else format_percent(v)
        ax.text(w + top * 0.01, yi, text, va="center", fontsize=8)
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
    if not rows or agg.schema.nature == "plan":  # an allocation has no rate of achievement to draw
        return None
    labels = [_wrapped(r["label"]) for r in rows]
    values = [_pct(r["percent"]) for r in rows]
    doubt = [any(d["indicator"] == r["code"] for d in agg.doubtful or []) for r in rows]
    return _bars(labels, values, "Tỷ lệ thực hiện so với chỉ tiêu (%)", width_in, "% so với chỉ tiêu", doubt)


def _wrapped(label: str, width: int = 38) -> str:
    """A label in whole words over as many lines as it needs (never cut with '…')."""
    return "\n".join(textwrap.wrap(label, width)) or label


def unit_chart(agg: Aggregate, width_in: float = 9.0) -> bytes | None:
    """Horizontal bars: each reporting unit's mean % of its own targets (wide forms with unit targets)."""
    table = unit_summary(agg)
    rows = [r for r in table if r["mean"] is not None]
    if not rows or len(rows) > CHART_UNITS_AT_MOST:
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
    # one array read for every unit (a label lookup per cell costs more than the rest of the report)
    table = agg.unit_percent.reindex(index=agg.expected, columns=results).to_numpy(dtype="float64")
    for code, row in zip(agg.expected, table, strict=True):
        # a questioned figure (far above the unit's target) is left out: never celebrated
        values = [float(v) for c, v in zip(results, row, strict=True) if v == v and not agg.is_doubtful(code, c)]
        state = word(
            "state-reported" if agg.has_reported(code) else "state-rejected" if code in rejected else "state-missing"
        )
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
