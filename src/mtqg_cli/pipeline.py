"""The jobs the commands do, as library calls: a report's data from files or from the ledger, the aggregate's JSON,
the outputs written by kind. ``mtqg aggregate`` and ``mtqg report`` parse their options, make one of these calls
and print; a script or a notebook makes the same calls and gets the same results.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Issue, MtqgError
from .validate import Report
from .words import choose, word

if TYPE_CHECKING:
    from .aggregation import Aggregate
    from .schema import Schema
    from .store import Status, Store

OUTPUT_KINDS = {".docx": "báo cáo Word / Word report", ".xlsx": "phụ lục Excel / Excel annex"}


@dataclass
class LedgerExtras:
    """What the ledger adds to a period's totals: cumulative figures, the previous period, the change, and the
    figures far outside a unit's own history."""

    period: str
    previous_period: str
    totals: dict[str, Decimal]
    previous: dict[str, Decimal]
    change: dict[str, Decimal]
    cumulative: dict[str, Decimal]
    unusual: list[Issue] = field(default_factory=list)
    # what the cumulative figures add from the form this one continues: (form, period), and the years whose
    # figures come from both forms, said in words (vi, en)
    continued: list[tuple[str, str]] = field(default_factory=list)
    cut_years: list[tuple[str, str]] = field(default_factory=list)
    # the phase targets the cumulative figures are set against (the reporting units' part: the form's own, or
    # that of the form it continues) and where they come from
    targets: dict[str, Decimal] = field(default_factory=dict)
    targets_from: str = ""

    @classmethod
    def of(cls, store: Store, schema: Schema, period: str) -> LedgerExtras:
        from .periods import parse_period, resolve_period

        per = resolve_period(schema, period)[0]
        prev = per.previous().code
        now, before = store.totals(schema, per.code), store.totals(schema, prev)
        change = {
            k: now.get(k, Decimal(0)) - before.get(k, Decimal(0))
            for k in set(now) | set(before)
            if not (schema.indicator_by_code.get(k) and schema.indicator_by_code[k].formula)
        }
        continued = store.continued(schema, per.code)
        own = [c for c in store.periods(schema.id) if parse_period(c).start <= per.start]
        cut = []
        years = {parse_period(c).start.year for _, c in continued} & {parse_period(c).start.year for c in own}
        for year in sorted(years):
            old = ", ".join(c for _, c in continued if parse_period(c).start.year == year)
            new = ", ".join(c for c in own if parse_period(c).start.year == year)
            params = {"year": year, "old": old, "old_form": schema.continues, "new": new, "new_form": schema.id}
            cut.append((word("cut-year", "vi", **params), word("cut-year", "en", **params)))
        if schema.continues and own:  # the year the form began in, when the form it continues left a gap in it
            first = min((parse_period(c) for c in own), key=lambda p: p.start)
            if first.start.timetuple().tm_yday > 1 and first.start.year not in years:
                params = {"year": first.start.year, "new": first.code, "new_form": schema.id}
                params |= {"old_form": schema.continues, "start": f"{first.start:%d/%m/%Y}"}
                cut.append((word("partial-year", "vi", **params), word("partial-year", "en", **params)))
        targets, targets_from = _phase_targets(schema)
        return cls(
            per.code,
            prev,
            now,
            before,
            change,
            store.cumulative(schema, per.code),
            store.unusual(schema, per.code),
            continued,
            cut,
            targets,
            targets_from,
        )

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "period": self.period,
            "previous_period": self.previous_period,
            "cumulative": {k: float(v) for k, v in self.cumulative.items()},
            "previous": {k: float(v) for k, v in self.previous.items()},
            "change": {k: float(v) for k, v in self.change.items()},
            "warnings": [i.to_dict(lang) for i in self.unusual],
            "continued": [{"form": form, "period": code} for form, code in self.continued],
            "targets_from": self.targets_from or None,
            "against_targets": {
                k: {
                    "cumulative": float(self.cumulative.get(k, Decimal(0))),
                    "target": float(t),
                    "percent": round(float(self.cumulative.get(k, Decimal(0)) / t * 100), 1) if t else None,
                }
                for k, t in self.targets.items()
            },
            "notes": [choose(pair, lang) for pair in self.cut_years],
        }


def _phase_targets(schema: Schema) -> tuple[dict[str, Decimal], str]:
    """The reporting units' part of the phase targets (the whole phase when the form gives no part): the form's
    own, else those of the form it continues."""
    from .forms import SchemaError, load_schema

    for form_id in (schema.id, schema.continues):
        if not form_id:
            continue
        try:
            form = schema if form_id == schema.id else load_schema(form_id)
        except SchemaError:
            continue
        part = form.reported_targets
        values = part if part is not None else dict(form.targets.phase)
        if values:
            return values, form.id
    return {}, ""


@dataclass
class ReportData:
    """A report's data: the validation report, and from the ledger its extras and the period's status; ``files``
    are the workbooks read (none when the data came from the ledger)."""

    report: Report
    files: list[Path] = field(default_factory=list)
    extras: LedgerExtras | None = None
    status: Status | None = None


def load_data(
    paths: Iterable[str | Path] | None = None,
    schema: str | None = None,
    period: str | None = None,
    store: str | None = None,
    jobs: int = 0,
    progress: Callable[[Path], None] | None = None,
    figures: bool = True,
    counted: Callable[[int], None] | None = None,
) -> ReportData:
    """From files (``paths``), or, when only a ``period`` is given, from the ledger (``store``): the latest accepted
    return of each unit, with cumulative figures, changes and the status of the period. Raises :class:`MtqgError`
    when there is nothing to read."""
    from .validate import collect_paths, validate_paths

    if period and not paths:
        from .forms import load_schema
        from .store import Store

        if not schema:
            raise MtqgError("schema-needed")
        form = load_schema(schema)
        ledger = Store(store)  # opened once for the report, its extras and the status
        with ledger.reading():
            return ReportData(
                ledger.report(form, period), [], LedgerExtras.of(ledger, form, period), ledger.status(form, period)
            )
    given = [Path(p) for p in paths or []]
    absent = [p for p in given if not p.exists()]
    if given and len(absent) == len(given):  # a mistyped folder: nothing to read, said as such (exit 2)
        raise MtqgError("paths-not-found", paths=", ".join(str(p) for p in absent))
    files = collect_paths(paths or [])
    if not files:
        raise MtqgError("no-workbooks")
    if counted is not None:
        counted(len(files))
    return ReportData(validate_paths(files, schema, progress=progress, jobs=jobs, figures=figures), files)


def check_returns(
    paths: Iterable[str | Path],
    schema: str | None = None,
    jobs: int = 0,
    progress: Callable[[Path], None] | None = None,
    annotate: Path | None = None,
    lang: str = "vi",
) -> tuple[Report, list[Path]]:
    """``mtqg validate``: every workbook under ``paths`` checked (rows kept without their figures: a check needs
    no more), and with ``annotate`` the copies to send back (see ``feedback.write_feedback_batch``)."""
    from .feedback import write_feedback_batch

    data = load_data(paths, schema, None, None, jobs, progress, figures=False, counted=getattr(progress, "start", None))
    written = write_feedback_batch(data.report.files, annotate, lang) if annotate is not None else []
    return data.report, written


def aggregate_dict(
    agg: Aggregate, data: ReportData, lang: str = "vi", by_former: bool = False, output: Path | None = None
) -> dict[str, Any]:
    """What ``mtqg aggregate --format json`` prints."""
    out = agg.to_dict(lang)
    out["validation"] = data.report.summary()
    out["output"] = str(output) if output else None
    if data.extras is not None:
        out["ledger"] = data.extras.to_dict(lang)
    if by_former:
        frame = agg.by_former()
        out["by_former"] = {
            str(code): {k: (None if v != v else float(v)) for k, v in row.items()} for code, row in frame.iterrows()
        }
    out["other_forms"] = [{"file": str(f.path), "schema": f.schema_id} for f in data.report.other_forms]
    return out


@dataclass
class Compiled:
    """What ``aggregate`` or ``report`` made: the data read, the aggregate, the files written and notes for the
    user ('pdf-unavailable')."""

    data: ReportData
    agg: Aggregate
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def compile_aggregate(
    paths: Iterable[str | Path] | None,
    output: Path | None = None,
    schema: str | None = None,
    period: str | None = None,
    store: str | None = None,
    jobs: int = 0,
    progress: Callable[[Path], None] | None = None,
    lang: str = "vi",
) -> Compiled:
    """``mtqg aggregate``: read (files or the ledger), add up the accepted returns, write the .xlsx tổng hợp."""
    from .aggregation import aggregate
    from .render.xlsx import write_aggregate_xlsx

    if output is not None:
        check_outputs([output], [], [".xlsx"])
    data = load_data(paths, schema, period, store, jobs, progress, counted=getattr(progress, "start", None))
    if output is not None:
        check_outputs([output], data.files, [".xlsx"])
    if period and paths and data.report.period is None:  # files read for a given period: its units, its title
        from .periods import resolve_period

        data.report.period = resolve_period(data.report.schema, period)[0]
    agg = aggregate(data.report)
    written = []
    if output is not None:
        written.append(write_aggregate_xlsx(agg, output, data.report, lang, data.extras))
    return Compiled(data, agg, written)


def latest_period(schema: str, store: str | None) -> str:
    """The latest period the ledger holds returns of the form for; none: the period is asked for (exit 2)."""
    from .forms import load_schema
    from .periods import parse_period
    from .store import Store

    form = load_schema(schema)
    held = Store(store).periods(form.id)
    if not held:
        raise MtqgError("period-needed-ledger", form=form.id)
    return max(held, key=lambda c: (parse_period(c).end, parse_period(c).start))


def compile_report(
    paths: Iterable[str | Path] | None,
    outputs: Sequence[Path],
    schema: str | None = None,
    period: str = "",
    store: str | None = None,
    jobs: int = 0,
    progress: Callable[[Path], None] | None = None,
    config: Path | None = None,
    template: Path | None = None,
    lang: str = "vi",
    pdf: bool = False,
    html: Path | None = None,
    by_former: bool = False,
    outline: str | None = None,
) -> Compiled:
    """``mtqg report``: read (files, or the ledger when only ``period`` is given), aggregate, write the Word report
    and/or the Excel annex (by suffix), the PDF and the HTML page."""
    from .aggregation import aggregate
    from .render.docx import load_settings

    if not outputs and html is None:
        raise MtqgError("output-needed")
    check_outputs(outputs, [])
    ledger_period = ""
    if not period and not list(paths or []) and schema:  # from the ledger: its latest period of the form, said
        period = ledger_period = latest_period(schema, store)
    data = load_data(paths, schema, period or None, store, jobs, progress, counted=getattr(progress, "start", None))
    notes_period: list[str] = []
    if not period:  # a report names its period: from the returns' titles when they agree, else asked for
        period = period_of_returns(data.report)
        notes_period.append(period)
    if data.report.period is None:  # the units expected are those that existed in the period
        from .periods import resolve_period

        data.report.period = resolve_period(data.report.schema, period)[0]
    html_kind = [html.suffix.lower()] if html else []
    check_outputs([*outputs, *([html] if html else [])], data.files, [*OUTPUT_KINDS, *html_kind])
    settings = load_settings(config)
    agg = aggregate(data.report)
    if outline:
        from .outlines import load_outline

        load_outline(outline)  # an unknown outline is refused before anything is written
    others = [aggregate(r) for r in other_form_reports(data.report)]
    finish = getattr(progress, "finish", None)
    if finish is not None:  # a progress bar's thread stopped: outputs may be written in copies of this process
        finish()
    written, notes = write_report_outputs(
        agg,
        data,
        outputs,
        period,
        settings,
        template,
        lang,
        pdf,
        html,
        by_former=by_former,
        outline=outline,
        others=others,
    )
    notes += [f"period-from-returns:{p}" for p in notes_period]
    notes += [f"period-from-ledger:{ledger_period}"] if ledger_period else []
    return Compiled(data, agg, written, notes)


def other_form_reports(report: Any) -> list[Any]:
    """For a folder holding returns of several forms: a report for each form other than the main one, with its own
    files (the main form is the one most files hold; each other form gets a section of the compiled report)."""
    from .forms import SchemaError, load_schema
    from .validate import Report

    out = []
    for form_id in sorted({f.schema_id for f in report.other_forms}):
        try:
            form = load_schema(form_id)
        except SchemaError:
            continue
        mine = Report(form, [f for f in report.files if f.schema_id == form_id])
        mine.period = None
        out.append(mine)
    return out


def period_of_returns(report: Any, sample: int = 20) -> str:
    """The period the returns' titles name ('… NĂM 2024', '6 THÁNG ĐẦU NĂM 2024'), read from the top rows of up to
    ``sample`` accepted files; when they name none, or disagree, the report cannot guess: MtqgError."""
    from .periods import period_in_text
    from .reading import read_workbook

    found: set[str] = set()
    for f in report.accepted[:sample]:
        try:
            sheet = read_workbook(f.path).sheets[0]
        except Exception:  # noqa: S112 - a file that read fine a moment ago and not now: others decide
            continue
        text = " ".join(str(v) for row in sheet.rows[:8] for v in row if isinstance(v, str))
        named = period_in_text(text)
        if named:
            found.add(named)
    if len(found) != 1:
        raise MtqgError("period-needed", found=", ".join(sorted(found)) or "—")
    return found.pop()


def check_outputs(outputs: Sequence[Path], inputs: Sequence[Path], kinds: Iterable[str] = OUTPUT_KINDS) -> None:
    """Refuse, before anything is read or written, an output of a kind that cannot be written or one that is a
    received file."""
    allowed = set(kinds)
    for out in outputs:
        if out.suffix.lower() not in allowed:
            names = ", ".join(sorted(allowed))
            raise MtqgError("output-kind", path=out, kinds=names)
    sources = {os.path.realpath(p) for p in inputs}  # realpath: a loop of links is no failure here
    for out in outputs:
        if os.path.realpath(out) in sources:
            raise MtqgError("output-is-input", path=out)


def write_report_outputs(
    agg: Aggregate,
    data: ReportData,
    outputs: Sequence[Path],
    period: str = "",
    settings: dict[str, Any] | None = None,
    template: Path | None = None,
    lang: str = "vi",
    pdf: bool = False,
    html: Path | None = None,
    today: dt.date | None = None,
    by_former: bool = False,
    outline: str | None = None,
    others: list[Aggregate] | None = None,
) -> tuple[list[Path], list[str]]:
    """Each output by its kind (.docx: the Word report, and its PDF with ``pdf``; .xlsx: the Excel annex), then
    the HTML page. The paths written, and notes for the user (a PDF that could not be made)."""
    from functools import partial

    from .render.annex import write_annex_xlsx
    from .render.beside import started, worth_a_copy
    from .render.docx import convert_to_pdf, render_docx, render_html

    written: list[Path] = []
    notes: list[str] = []
    # the annexes first, in copies of this process where that pays (render.beside), while the rest is written here
    words = [out for out in outputs if out.suffix.lower() == ".docx"]
    beside = bool(words or html) and worth_a_copy(len(agg.expected))
    annexes = {
        out: started(partial(write_annex_xlsx, agg, out, data.report, lang), beside)
        for out in outputs
        if out not in words
    }
    pdfs: dict[Path, Path] = {}
    try:
        for out in words:
            render_docx(
                agg,
                out,
                data.report,
                settings,
                period,
                template,
                today,
                data.status,
                True,
                data.extras,
                by_former,
                outline,
                others,
            )
            if pdf:
                made = convert_to_pdf(out)
                if made is None:
                    notes.append("pdf-unavailable")
                else:
                    pdfs[out] = Path(made)
        if html is not None:
            render_html(agg, html, data.report, settings, period, data.status)
    except BaseException:  # the report failed (or Ctrl-C): no copy of the process is left behind
        for annex in annexes.values():
            annex.drop()
        raise
    for annex in annexes.values():
        annex.wait()
    for out in outputs:
        written += [pdfs[out], out] if out in pdfs else [out]
    if html is not None:
        written.append(html)
    return written, notes
