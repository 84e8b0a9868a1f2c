"""Drawing results for people (rich) and for machines (JSON). No logic: everything shown comes from the library."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..numbers import format_number, format_percent
from ..words import choose, word

if TYPE_CHECKING:
    from ..aggregation import Aggregate
    from ..pipeline import LedgerExtras
    from ..validate import Report


MAX_SHOWN = 100  # a file's problems printed at most in the table (all of them: --format json, --annotate)
MAX_FILES_IN_DETAIL = 20  # files whose problems are printed cell by cell; the others get a line each
MAX_FILES_LISTED = 200  # files listed at all; the rest counted


def t(key: str, lang: str) -> str:
    return word(key, lang)


def dump_json(data: Any, console: Console) -> None:
    """Indented on a terminal; one line when piped or redirected (the C encoder: 10,000 files' results in a
    tenth of the time; `jq .` indents it)."""
    indent = 2 if console.is_terminal else None
    console.file.write(json.dumps(data, ensure_ascii=False, indent=indent, default=str) + "\n")


def show_validation(report: Report, console: Console, lang: str) -> None:
    """One block per file with problems: the file, then its cells, what is wrong and how to fix it. Files that
    could not be read come first (one broken file is never lost among thousands); past the first
    ``MAX_FILES_IN_DETAIL`` files a line each, past ``MAX_FILES_LISTED`` a count."""
    with_issues = [r for r in report.files if r.issues]
    broken = [not r.rows and bool(r.errors) for r in with_issues]  # nothing read: a broken file
    ordered = [r for r, b in zip(with_issues, broken, strict=True) if b]
    ordered += [r for r, b in zip(with_issues, broken, strict=True) if not b]
    for n, result in enumerate(ordered):
        if n >= MAX_FILES_LISTED:
            console.print(word("more-files", lang, count=len(ordered) - n))
            break
        if n >= MAX_FILES_IN_DETAIL:
            first = result.issues[0]
            brief = Text(f"{result.path}: ", style="bold")
            counts = {"errors": len(result.errors), "warnings": len(result.warnings)}
            brief.append(word("problem-counts", lang, **counts) + " — ")
            brief.append(f"{first.cell} {first.message(lang)}")
            console.print(brief, style="red" if result.errors else "yellow", soft_wrap=True)
            continue
        where = f"{result.path}" + (f" — {result.sheet}" if result.sheet else "")
        head = Text(where, style="bold")  # a file's or a sheet's name is printed as it is, never read as markup
        head.append(f"  ({word('problem-counts', lang, errors=len(result.errors), warnings=len(result.warnings))})")
        console.print(head, style="red" if result.errors else "yellow", soft_wrap=True)
        table = Table(show_lines=False, header_style="bold", expand=False)
        for key in ("cell", "level", "problem", "fix", "code"):
            table.add_column(t(key, lang), overflow="fold", style="dim" if key == "code" else None)
        for issue in result.issues[:MAX_SHOWN]:
            style = "red" if issue.severity == "error" else "yellow"
            table.add_row(
                issue.cell,
                Text(t(str(issue.severity), lang), style=style),
                Text(issue.message(lang)),  # it quotes the unit's text: never markup
                Text(issue.fix(lang)),
                issue.code,
            )
        console.print(table)
        if len(result.issues) > MAX_SHOWN:
            console.print(word("more-shown", lang, count=len(result.issues) - MAX_SHOWN))
    summary = report.summary()
    forms = ", ".join(f"{k} ({v})" for k, v in sorted(summary["forms"].items(), key=lambda kv: -kv[1]))
    counts = {k: summary[k] for k in ("files", "accepted", "rejected", "errors", "warnings")}
    line = word("validation-summary", lang, forms=forms or report.schema.id, **counts)
    console.print(("[green]" if report.valid else "[red]") + line + ("[/green]" if report.valid else "[/red]"))


def show_aggregate(agg: Aggregate, console: Console, lang: str) -> None:
    table = Table(title=agg.schema.title, header_style="bold")
    for key in ("indicator", "unit", "achieved", "target", "percent"):
        table.add_column(t(key, lang), justify="left" if key == "indicator" else "right")
    for code, row in agg.progress.iterrows():
        ind = agg.schema.indicator_by_code[str(code)]
        label = ind.label_en if lang == "en" and ind.label_en else ind.label
        target = row["target"]
        pct = row["percent"]
        places = ind.places  # the rounding of the report and the annex: one rule
        table.add_row(
            label,
            ind.unit,
            format_number(_d(row["achieved"]), places),
            "" if target != target else format_number(_d(target), places),
            "" if pct != pct else format_percent(pct),
        )
    console.print(table)
    console.print(f"[bold]{agg.completeness(lang)}[/bold]")
    if agg.returned:
        console.print(f"{t('state-rejected', lang)}: " + ", ".join(agg.unit_name(c) for c in agg.returned))
    missing = ", ".join(agg.unit_name(c) for c in agg.not_sent) or t("none", lang)
    console.print(f"{t('state-missing', lang)}: {missing}")
    if agg.rejected:
        console.print(f"[red]{t('rejected', lang)}:[/red] " + ", ".join(str(f.path) for f in agg.rejected))


def _d(v: Any) -> Any:
    from decimal import Decimal

    f = float(v)
    return Decimal(int(f)) if f.is_integer() else Decimal(repr(round(f, 6)))


def show_extras(extras: LedgerExtras, agg: Aggregate, console: Console, lang: str) -> None:
    """Figures from the ledger: cumulative since the start, change against the previous period, unusual values."""
    table = Table(title=word("from-ledger", lang, period=extras.period), header_style="bold")
    table.add_column(word("indicator", lang), justify="left")
    for heading in (
        word("cumulative", lang),
        word("previous", lang, period=extras.previous_period),
        word("change", lang),
    ):
        table.add_column(heading, justify="right")
    if extras.targets:  # the phase targets the cumulative figures are set against (perhaps the continued form's)
        table.add_column(word("target", lang), justify="right")
        table.add_column("%", justify="right")
    for ind in agg.schema.indicators:
        if ind.code not in extras.cumulative and ind.code not in extras.change:
            continue
        cum = extras.cumulative.get(ind.code)
        cells = [
            ind.label,
            format_number(cum) if cum is not None else "",
            format_number(extras.previous.get(ind.code)) if ind.code in extras.previous else "",
            format_number(extras.change.get(ind.code)) if ind.code in extras.change else "",
        ]
        if extras.targets:
            target = extras.targets.get(ind.code)
            share = format_percent(float((cum or 0) / target * 100)) if target else ""
            cells += [format_number(target) if target is not None else "", share]
        table.add_row(*cells)
    console.print(table)
    if extras.targets_from and extras.targets_from != agg.schema.id:
        console.print(Text(word("targets-from", lang, form=extras.targets_from), style="italic"))
    for pair in extras.cut_years:
        console.print(Text(choose(pair, lang), style="italic"))
    for issue in extras.unusual:
        console.print(f"[yellow]{issue.message(lang)}[/yellow] {issue.fix(lang)}")


def show_former(agg: Aggregate, console: Console, lang: str) -> None:
    """Totals regrouped by former district."""
    frame = agg.by_former()
    table = Table(title=word("by-former", lang), header_style="bold")
    table.add_column(word("former-district", lang), no_wrap=True)
    inds = [i for i in agg.schema.indicators if i.code in frame.columns]
    for ind in inds:
        table.add_column(ind.code, justify="right")
    for code, row in frame.iterrows():
        table.add_row(str(code), *("" if row[i.code] != row[i.code] else format_number(_d(row[i.code])) for i in inds))
    console.print(table)
