"""Adding up accepted workbooks into province totals (pandas).

Pure functions: a validation :class:`~mtqg_cli.validate.Report` in, an :class:`Aggregate` out. Only workbooks
without errors are added in; the ones left out are listed with their error counts. Completeness is measured
against the schema's units, progress against the published targets (the units' part of the phase target, and
each unit's own target).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .formula import Formula
from .numbers import format_number, format_percent
from .schema import Schema
from .validate import FileResult, Report, file_columns
from .words import word

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
    lines: pd.DataFrame | None = None  # long forms: index line code, columns indicators, summed over units
    unit_lines: Any = None  # long forms: array [unit (expected), line, indicator] of every figure added in; NaN: none
    texts: dict[str, dict[str, str]] | None = None  # unit -> text field -> what it wrote (the files added in)
    # figures questioned (far above the unit's own target): unit, indicator, value, target, times, file
    doubtful: list[dict[str, Any]] | None = None
    period: Any = None  # the report's Period when it has one (periods.Period)

    def titled(self, title: str, lang: str = "vi") -> str:
        """A title with the period in words: 'TỔNG HỢP: … — 6 THÁNG ĐẦU NĂM 2024'."""
        if self.period is None:
            return title
        from .periods import period_words

        return f"{title} — {period_words(self.period, lang).upper()}"

    @property
    def returned(self) -> list[str]:
        """Units whose return was sent back with errors and not sent again (in the form's order)."""
        sent_back = {u for f in self.rejected for u in f.units}
        return [u for u in self.missing if u in sent_back]

    @property
    def not_sent(self) -> list[str]:
        """Units that sent nothing for the period."""
        sent_back = set(self.returned)
        return [u for u in self.missing if u not in sent_back]

    def is_doubtful(self, unit: str, indicator: str | None = None) -> bool:
        """Whether a unit's figure (any of its figures, without ``indicator``) was questioned."""
        return (unit, indicator) in self._doubts

    @cached_property
    def _doubts(self) -> set[tuple[str, str | None]]:
        keys: set[tuple[str, str | None]] = set()
        for d in self.doubtful or []:
            keys |= {(d["unit"], d["indicator"]), (d["unit"], None)}
        return keys

    def has_reported(self, unit: str) -> bool:
        return unit in self._reported

    @cached_property
    def _reported(self) -> frozenset[str]:
        return frozenset(self.reported)

    def unit_line_values(self, code: str) -> dict[tuple[str, str], float]:
        """A long form's figures of one indicator by (unit, line), for the units expected (blank ones left out)."""
        if self.unit_lines is None:
            return {}
        j = [i.code for i in self.schema.indicators].index(code)
        lines = [line.code for line in self.schema.lines]
        out = {}
        for k, unit in enumerate(self.expected):
            for n, value in enumerate(self.unit_lines[k, :, j].tolist()):
                if value == value:
                    out[(unit, lines[n])] = value
        return out

    @property
    def totals(self) -> dict[str, Decimal]:
        """Sum over the reported units, per indicator (exact decimals)."""
        return {code: _dec(v) for code, v in self.progress["achieved"].items()}

    def by_former(self) -> pd.DataFrame:
        """Totals regrouped by the former district of each unit (communes formed on 1 July 2025 carry their former
        district in the unit list), so new commune-level figures can be set beside the old district-level ones.
        Index: former district code; a unit with no former district stands for itself."""
        frame = self.values.loc[self.reported].copy()
        frame["former"] = [",".join(self.schema.unit_by_code[u].former) or u for u in frame.index]
        return frame.groupby("former").sum(min_count=1)

    def unit_name(self, code: str) -> str:
        return self.schema.unit_by_code[code].name

    def completeness(self, lang: str = "vi") -> str:
        n, total = len(self.reported), len(self.expected)
        return word("completeness", lang, reported=n, expected=total)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        ind = self.schema.indicator_by_code
        units = []
        reported, returned = set(self.reported), set(self.returned)
        # one pass over plain floats: .loc per unit, or a dict per row from pandas, is slow for thousands of communes
        columns = [str(c) for c in self.values.columns]
        table = dict(zip(self.values.index, self.values.to_numpy(dtype="float64").tolist(), strict=True))
        for code in self.expected:
            units.append(
                {
                    "unit": code,
                    "name": self.unit_name(code),
                    "reported": code in reported,
                    "state": "reported" if code in reported else "rejected" if code in returned else "missing",
                    "state_text": word(
                        "state-reported"
                        if code in reported
                        else "state-rejected"
                        if code in returned
                        else "state-missing",
                        lang,
                    ),
                    "file": self.sources.get(code),
                    "values": dict(zip(columns, map(_num_float, table[code]), strict=True)),
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
        lines = []
        if self.lines is not None:
            for code, row in self.lines.iterrows():
                lines.append(
                    {
                        "line": code,
                        "label": self.schema.line_by_code[str(code)].label,
                        "values": {k: _num(row[k]) for k in self.lines.columns},
                    }
                )
        return {
            "schema": self.schema.id,
            "lines": lines,
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

    def summary_rows(self, lang: str = "vi") -> list[dict[str, Any]]:
        """The rows the compiled report tabulates: for a long form with a ``summary``, one per line (its value
        against its target); otherwise one per indicator (``progress_rows``)."""
        summary = self.schema.summary
        if self.lines is None or summary is None:
            rows = [r for r in self.progress_rows(lang) if not r["context"]]
            return [dict(r, n=k) for k, r in enumerate(rows, start=1)]
        value_ind = self.schema.indicator_by_code[summary.value]
        out = []
        for n, line in enumerate(self.schema.lines, start=1):
            row = self.lines.loc[line.code]
            value = row[summary.value]
            if summary.target == "targets":
                t = self.schema.target_for(line.code, summary.value)
                target = float(t) if t is not None else float("nan")
            else:
                target = row[summary.target]
            pct = value / target * 100 if _present(target) and target and _present(value) else float("nan")
            decimals = value_ind.places
            out.append(
                {
                    "n": n,
                    "code": line.code,
                    "label": line.label_en if lang == "en" and line.label_en else line.label,
                    "unit": line.unit or value_ind.unit,
                    "achieved": format_number(_dec(value), decimals) if _present(value) else "",
                    "target": format_number(_dec(target), decimals) if _present(target) else "",
                    "percent": format_percent(pct) if _present(pct) else "",
                    "phase_target": "",
                    "window": "",
                    "context": False,
                    "child": bool(line.parent),
                }
            )
        return out

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
                    "achieved": format_number(_dec(row["achieved"]), ind.places),
                    "target": format_number(_dec(row["target"]), ind.places) if _present(row["target"]) else "",
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
    units = schema.units
    if report.period is not None:  # only the units that existed in the period are expected to report
        from .periods import units_in_force

        units = units_in_force(units, report.period)
    expected = [u.code for u in units]
    sources: dict[str, str] = {}
    lines = None
    unit_lines = None
    if schema.is_long:
        wide, lines, unit_lines = _long_frames(report, schema, expected, codes, sources)
    else:
        wide = _wide_frame(report, expected, codes, sources)
    reported = [u for u in expected if u in sources]
    missing = [u for u in expected if u not in sources]
    achieved = wide.loc[reported].sum(axis=0, min_count=0) if reported else pd.Series(0.0, index=codes)

    achieved = _recompute_series(schema, achieved)
    part = schema.reported_targets
    if schema.is_long:
        target = pd.Series({c: _float(schema.targets.phase.get(c)) for c in codes}, dtype="float64")
    else:
        target = pd.Series(
            {c: _float(part.get(c)) if part is not None else _float(_sum_unit_targets(schema, c)) for c in codes},
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
    unit_targets = _unit_targets(schema, expected, codes)
    unit_percent = (wide / unit_targets.where(unit_targets > 0) * 100).round(1)
    for ind in schema.indicators:
        if ind.role == "context":
            unit_percent[ind.code] = float("nan")
    doubtful = [
        {k: issue.params[k] for k in ("unit", "indicator", "value", "target", "times")} | {"file": str(f.path)}
        for f in report.accepted
        for issue in f.issues
        if issue.code == "figure-far-from-target" and sources.get(issue.params["unit"]) == str(f.path)
    ]
    texts: dict[str, dict[str, str]] = {}
    if schema.texts:
        for f in report.accepted:
            for unit, written in f.texts.items():
                if sources.get(unit) == str(f.path):
                    texts[unit] = written
    return Aggregate(
        schema,
        wide,
        progress,
        unit_percent,
        expected,
        reported,
        missing,
        report.rejected,
        sources,
        lines,
        unit_lines,
        texts,
        doubtful,
        report.period,
    )


def _figure_matrix(figures: list[Any], width: int) -> Any:
    """Figures as read (float, text or Decimal; None: blank), a tuple per row, as one float array [row, indicator]
    (NaN: blank), converted a block at a time: the texts of a block, not of the whole batch, are alive at once."""
    import numpy as np

    out = np.empty((len(figures), width))
    step = 4096
    for start in range(0, len(figures), step):
        block = figures[start : start + step]
        out[start : start + len(block)] = np.array(block, dtype="float64").reshape(len(block), width)
    return out


def _wide_frame(report: Report, expected: list[str], codes: list[str], sources: dict[str, str]) -> pd.DataFrame:
    """A wide form's figures by unit: one row per unit (a unit sends one row; a blank cell counts 0 once the unit
    has reported), NaN for the units that have not. Built in arrays: thousands of communes in a few ms."""
    import numpy as np
    import pandas as pd

    where = {u: k for k, u in enumerate(expected)}
    figures: list[Any] = []
    at: list[int] = []
    for res in report.accepted:
        path = str(res.path)
        units, _, rows = file_columns(res, codes)
        for unit, row in zip(units, rows, strict=True):
            sources[unit] = path
            k = where.get(unit)
            if k is not None:  # else a unit not expected in this period
                figures.append(row)
                at.append(k)
    matrix = np.full((len(expected), len(codes)), np.nan)
    if figures:
        summed = np.nan_to_num(_figure_matrix(figures, len(codes)), nan=0.0)
        index = np.array(at)
        matrix[index] = 0.0
        np.add.at(matrix, index, summed)
    return pd.DataFrame(matrix, index=pd.Index(expected, name="unit"), columns=pd.Index(codes, name="indicator"))


def _long_frames(
    report: Report, schema: Schema, expected: list[str], codes: list[str], sources: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """A long form's figures by unit (its own total: the top-level lines, and sub-lines whose project row is
    absent) and by line (summed over every unit), and every figure added in as an array [unit, line, indicator].
    Arrays, not a frame of figures: 10,000 communes x 15 lines x 12 columns stay a few MB."""
    import numpy as np
    import pandas as pd

    where = {u: k for k, u in enumerate(expected)}
    line_codes = [line.code for line in schema.lines]
    line_at = {c: n for n, c in enumerate(line_codes)}
    top = {line.code for line in schema.top_lines}
    parent = {line.code: line.parent for line in schema.lines}
    shapes: dict[tuple[Any, ...], tuple[list[int], list[bool]]] = {}  # a file's lines -> positions, own total
    figures: list[Any] = []
    units: list[int] = []  # position among the expected units, -1: a unit not expected in this period
    lines_of: list[int] = []  # position among the form's lines, -1: none
    counted: list[bool] = []  # in the unit's own total
    for res in report.accepted:
        path = str(res.path)
        file_units, file_lines, rows = file_columns(res, codes)
        shape = shapes.get(file_lines)
        if shape is None:  # most files of a batch hold the same lines in the same order: worked out once
            present = set(file_lines)
            shape = shapes[file_lines] = (
                [line_at.get(c or "", -1) for c in file_lines],
                [c not in parent or c in top or parent[c] not in present for c in file_lines],
            )
        for unit in dict.fromkeys(file_units):
            sources[unit] = path
        figures.extend(rows)
        units.extend(where.get(u, -1) for u in file_units)
        lines_of.extend(shape[0])
        counted.extend(shape[1])
    cube = np.full((len(expected), len(line_codes), len(codes)), np.nan)
    wide = np.full((len(expected), len(codes)), np.nan)
    lines = np.full((len(line_codes), len(codes)), np.nan)
    if figures:
        matrix = _figure_matrix(figures, len(codes))
        zeros = np.nan_to_num(matrix, nan=0.0)  # a blank adds nothing once the row is there
        k, n, c = np.array(units), np.array(lines_of), np.array(counted, dtype=bool)
        placed = (k >= 0) & (n >= 0)
        cube[k[placed], n[placed]] = matrix[placed]
        in_lines = n >= 0  # every unit's rows, expected or not, make the lines' sums
        lines[np.unique(n[in_lines])] = 0.0
        np.add.at(lines, n[in_lines], zeros[in_lines])
        in_units = (k >= 0) & c
        wide[np.unique(k[in_units])] = 0.0
        np.add.at(wide, k[in_units], zeros[in_units])
    columns = pd.Index(codes, name="indicator")
    wide_frame = pd.DataFrame(wide, index=pd.Index(expected, name="unit"), columns=columns)
    lines_frame = pd.DataFrame(lines, index=pd.Index(line_codes, name="line"), columns=columns)
    return _recompute(schema, wide_frame), _recompute(schema, lines_frame), cube


def _unit_targets(schema: Schema, expected: list[str], codes: list[str]) -> pd.DataFrame:
    """Each unit's own targets (NaN where the plan sets none): filled only where the plan has figures."""
    import numpy as np
    import pandas as pd

    matrix = np.full((len(expected), len(codes)), np.nan)
    where = {u: k for k, u in enumerate(expected)}
    column = {c: j for j, c in enumerate(codes)}
    for unit, targets in schema.unit_targets.items():
        k = where.get(unit)
        if k is None:
            continue
        for code, value in targets.items():
            if code in column and value is not None:
                matrix[k, column[code]] = float(value)
    return pd.DataFrame(matrix, index=expected, columns=codes)


def _recompute(schema: Schema, frame: pd.DataFrame) -> pd.DataFrame:
    """Computed columns (a %) are recomputed from the summed figures, never summed themselves."""
    formulas = [ind for ind in schema.indicators if ind.formula]
    if not formulas:
        return frame
    out = frame.copy()
    columns = [str(c) for c in out.columns]
    rows = out.to_numpy(dtype="float64").tolist()  # plain floats: far faster than iterrows for thousands of units
    for ind in formulas:
        values = []
        formula = Formula.of(ind.formula)
        used = [(name, columns.index(name)) for name in formula.names if name in columns]
        for row in rows:
            inputs = {name: (None if (v := row[j]) != v else Decimal(repr(v))) for name, j in used}
            result = formula.evaluate(inputs)
            values.append(float(result) if result is not None else float("nan"))
        out[ind.code] = values
        position = columns.index(ind.code) if ind.code in columns else None
        if position is not None:  # later formulas see this one's result, as before
            for row, v in zip(rows, values, strict=True):
                row[position] = v
    return out


def _recompute_series(schema: Schema, series: pd.Series) -> pd.Series:
    import pandas as pd

    frame = _recompute(schema, pd.DataFrame([series]))
    return frame.iloc[0]


def _sum_unit_targets(schema: Schema, code: str) -> Decimal | None:
    values = [v.get(code) for v in schema.unit_targets.values()]
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _float(v: Decimal | None) -> float:
    return float(v) if v is not None else float("nan")


def _present(v: Any) -> bool:
    return v is not None and v == v  # not NaN


def _dec(v: Any) -> Decimal:
    f = float(v)
    return Decimal(int(f)) if f.is_integer() else Decimal(repr(round(f, 6)))


def _num_float(f: float) -> int | float | None:
    if f != f:
        return None
    return int(f) if f.is_integer() else round(f, 6)


def _num(v: Any) -> int | float | None:
    if not _present(v):
        return None
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)
