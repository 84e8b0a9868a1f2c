"""Adding up accepted workbooks into province totals (pandas).

Pure functions: a validation :class:`~mtqg_cli.validate.Report` in, an :class:`Aggregate` out. Only workbooks
without errors are added in; the ones left out are listed with their error counts. Completeness is measured
against the schema's units, progress against the published targets (the units' part of the phase target, and
each unit's own target).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .numbers import format_number, format_percent
from .schema import Schema
from .validate import FileResult, Report

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Aggregate:
    schema: Schema
    values: pd.DataFrame  # index: unit code (every expected unit), columns: indicator codes; NaN = not reported
    progress: pd.DataFrame  # index: indicator code; achieved, target, percent, phase_target, ...
    unit_percent: pd.DataFrame  # index: unit code, columns: indicator codes: % of the unit's own target
    expected: list[str]
    reported: list[str]
    missing: list[str]
    rejected: list[FileResult]
    sources: dict[str, str]  # unit code -> file

    @property
    def totals(self) -> dict[str, Decimal]:
        """Sum over the reported units, per indicator (exact decimals)."""
        return {code: _dec(v) for code, v in self.progress["achieved"].items()}

    def unit_name(self, code: str) -> str:
        return self.schema.unit_by_code[code].name

    def completeness(self, lang: str = "vi") -> str:
        n, total = len(self.reported), len(self.expected)
        if lang == "en":
            return f"{n}/{total} units reported"
        return f"{n}/{total} đơn vị đã nộp"

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        ind = self.schema.indicator_by_code
        units = []
        for code in self.expected:
            row = self.values.loc[code]
            units.append(
                {
                    "unit": code,
                    "name": self.unit_name(code),
                    "reported": code in self.reported,
                    "file": self.sources.get(code),
                    "values": {k: _num(row[k]) for k in self.values.columns},
                }
            )
        progress = []
        for code, row in self.progress.iterrows():
            progress.append(
                {
                    "indicator": code,
                    "label": ind[str(code)].label,
                    "unit": ind[str(code)].unit,
                    "achieved": _num(row["achieved"]),
                    "target": _num(row["target"]),
                    "percent": _num(row["percent"]),
                    "phase_target": _num(row["phase_target"]),
                }
            )
        return {
            "schema": self.schema.id,
            "completeness": {
                "reported": len(self.reported),
                "expected": len(self.expected),
                "text": self.completeness(lang),
                "missing": [{"unit": c, "name": self.unit_name(c)} for c in self.missing],
            },
            "totals": {k: _num(v) for k, v in self.progress["achieved"].items()},
            "progress": progress,
            "units": units,
            "rejected": [{"file": str(f.path), "errors": len(f.errors)} for f in self.rejected],
        }

    def progress_rows(self, lang: str = "vi") -> list[dict[str, Any]]:
        """Indicator rows ready for a report: labels and Vietnamese-formatted figures."""
        out = []
        for n, (code, row) in enumerate(self.progress.iterrows(), start=1):
            ind = self.schema.indicator_by_code[str(code)]
            out.append(
                {
                    "n": n,
                    "code": code,
                    "label": ind.label_en if lang == "en" and ind.label_en else ind.label,
                    "unit": ind.unit,
                    "achieved": format_number(_dec(row["achieved"])),
                    "target": format_number(_dec(row["target"])) if _present(row["target"]) else "",
                    "percent": format_percent(row["percent"]) if _present(row["percent"]) else "",
                    "phase_target": format_number(_dec(row["phase_target"])) if _present(row["phase_target"]) else "",
                    "window": ind.window,
                    "context": ind.role == "context",
                }
            )
        return out


def aggregate(report: Report) -> Aggregate:
    """Province totals from the accepted workbooks of a validation report."""
    import pandas as pd

    schema = report.schema
    codes = [i.code for i in schema.indicators]
    expected = [u.code for u in schema.units]
    records: list[dict[str, Any]] = []
    sources: dict[str, str] = {}
    for res in report.accepted:
        for row in res.rows:
            for code in codes:
                value = row.values.get(code)
                records.append({"unit": row.unit, "indicator": code, "value": value})
            sources[row.unit] = str(res.path)
    long = pd.DataFrame.from_records(records, columns=["unit", "indicator", "value"])
    long["value"] = pd.to_numeric(long["value"].map(lambda v: None if v is None else float(v)), errors="coerce")
    wide = long.pivot_table(index="unit", columns="indicator", values="value", aggfunc="sum", dropna=False)
    wide = wide.reindex(index=expected, columns=codes)
    reported = [u for u in expected if u in sources]
    missing = [u for u in expected if u not in sources]
    achieved = wide.loc[reported].sum(axis=0, min_count=0) if reported else pd.Series(0.0, index=codes)

    part = schema.units_part
    target = pd.Series(
        {c: _float(part.values.get(c)) if part else _float(_sum_unit_targets(schema, c)) for c in codes},
        dtype="float64",
    )
    # A context figure (e.g. the number of villages) has no target of its own: compare with the units' figures.
    for ind in schema.indicators:
        if ind.role == "context":
            target[ind.code] = float("nan")
    phase = pd.Series({c: _float(schema.targets.phase.get(c)) for c in codes}, dtype="float64")
    progress = pd.DataFrame(
        {
            "achieved": achieved.reindex(codes).fillna(0.0),
            "target": target,
            "percent": (achieved.reindex(codes) / target.where(target > 0) * 100).round(1),
            "phase_target": phase,
        }
    )
    unit_targets = pd.DataFrame(
        {c: [_float(schema.target_for(u, c)) for u in expected] for c in codes}, index=expected, dtype="float64"
    )
    unit_percent = (wide / unit_targets.where(unit_targets > 0) * 100).round(1)
    for ind in schema.indicators:
        if ind.role == "context":
            unit_percent[ind.code] = float("nan")
    return Aggregate(schema, wide, progress, unit_percent, expected, reported, missing, report.rejected, sources)


def _sum_unit_targets(schema: Schema, code: str) -> Decimal | None:
    values = [v.get(code) for v in schema.targets.units.values()]
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _float(v: Decimal | None) -> float:
    return float(v) if v is not None else float("nan")


def _present(v: Any) -> bool:
    return v is not None and v == v  # not NaN


def _dec(v: Any) -> Decimal:
    f = float(v)
    return Decimal(int(f)) if f.is_integer() else Decimal(repr(round(f, 6)))


def _num(v: Any) -> int | float | None:
    if not _present(v):
        return None
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)
