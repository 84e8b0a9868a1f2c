"""Keeping the ledger honest: checking it against its archive, and exporting all of it as plain files."""

from __future__ import annotations

import csv
import hashlib
import shutil
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store

Problem = tuple[str, dict[str, object]]  # a key of words.WORDS and its parameters

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check(store: Store, figures: bool = True) -> list[Problem]:
    """Every archived file present and matching its hash; every submission pointing at a known file; a database
    that is not empty when the archive holds returns; and (``figures``) every recorded figure equal to what its
    archived original gives when checked again against its form."""
    from sqlalchemy import select

    problems: list[Problem] = []
    with store.engine.connect() as conn:
        known = {r.sha256: r for r in conn.execute(select(store.files))}
        subs = list(conn.execute(select(store.submissions)))
    archived = [p for p in store.archive_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    if not subs and archived:
        # a database deleted, replaced or emptied beside its archive: the ledger is gone, not consistent
        problems.append(("store-database-empty", {"count": len(archived), "url": store.url}))
    for sub in subs:
        if sub.sha256 not in known:
            problems.append(("store-unregistered", {"id": sub.id, "sha256": sub.sha256}))
    good: set[str] = set()
    for sha, row in known.items():
        path = store.archive_path(sha, row.suffix)
        if not path.is_file():
            problems.append(("store-file-missing", {"path": path}))
        elif sha256_of(path) != sha:
            problems.append(("store-hash-mismatch", {"path": path}))
        else:
            good.add(sha)
    if figures:
        problems.extend(_check_figures(store, [s for s in subs if s.sha256 in good], known))
    return problems


def _check_figures(store: Store, subs: list[Any], files: dict[str, Any]) -> list[Problem]:
    """Each archived original checked again against its form: the figures recorded for its unit must be the
    figures it holds."""
    from .forms import SchemaError, load_schema
    from .validate import validate_file

    problems: list[Problem] = []
    forms: dict[str, Any] = {}
    results: dict[tuple[str, str], Any] = {}
    for sub in subs:
        if not sub.accepted:
            continue
        if sub.schema_id not in forms:
            try:
                forms[sub.schema_id] = load_schema(sub.schema_id)
            except SchemaError:
                forms[sub.schema_id] = None
                problems.append(("store-form-missing", {"form": sub.schema_id}))
        form = forms[sub.schema_id]
        if form is None:
            continue
        key = (sub.sha256, sub.schema_id)
        if key not in results:
            results[key] = validate_file(store.archive_path(sub.sha256, files[sub.sha256].suffix), form)
        held = {
            (row.line or "", code): value
            for row in results[key].rows
            if row.unit == sub.unit
            for code, value in row.values.items()
        }
        recorded = store.figures_of(sub.id)
        if {k: _number(v) for k, v in recorded.items()} != {k: _number(v) for k, v in held.items()}:
            changed = sorted(k for k in set(recorded) | set(held) if _number(recorded.get(k)) != _number(held.get(k)))
            what = ", ".join(f"{line + ': ' if line else ''}{code}" for line, code in changed[:5])
            problems.append(
                ("store-figures-differ", {"id": sub.id, "unit": sub.unit, "period": sub.period, "what": what})
            )
    return problems


def _number(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass
class Exported:
    """Where an export went, and the archived files that could not be copied (each named, none stopping it)."""

    folder: Path
    missing: list[Path] = field(default_factory=list)


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet will show as text: a text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and _number(value) is None:
        return "'" + value
    return value


def export(store: Store, folder: str | Path) -> Exported:
    """Everything as plain files: submissions.csv, figures.csv and the original workbooks. A text from a received
    file never runs as a formula when the CSV is opened; a missing archived file is reported, the rest exported."""
    from sqlalchemy import select

    out = Path(folder)
    (out / "files").mkdir(parents=True, exist_ok=True)
    with store.engine.connect() as conn:
        subs = list(conn.execute(select(store.submissions).order_by(store.submissions.c.id)))
        figs = list(conn.execute(select(store.figures)))
        files = {r.sha256: r for r in conn.execute(select(store.files))}
    done = Exported(out)
    header = ["id", "schema", "unit", "period", "version", "file_name", "sha256"]
    header += ["received_at", "ingested_at", "accepted", "errors", "warnings", "archived_as"]
    with (out / "submissions.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for s in subs:
            suffix = files[s.sha256].suffix if s.sha256 in files else ".bin"
            name = f"{s.schema_id}_{s.unit}_{s.period}_v{s.version}{suffix}"
            row = [s.id, s.schema_id, s.unit, s.period, s.version, s.file_name, s.sha256]
            row += [s.received_at.isoformat(), s.ingested_at.isoformat(), int(bool(s.accepted)), s.errors, s.warnings]
            w.writerow([_cell(v) for v in [*row, name]])
            try:
                shutil.copy2(store.archive_path(s.sha256, suffix), out / "files" / name)
            except OSError:
                done.missing.append(store.archive_path(s.sha256, suffix))
    with (out / "figures.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["submission_id", "line", "indicator", "value", "row"])
        for f in figs:
            w.writerow([_cell(v) for v in (f.submission_id, f.line, f.indicator, f.value or "", f.row)])
    return done


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
