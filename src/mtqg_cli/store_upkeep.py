"""Keeping the ledger honest: checking it against its archive, and exporting all of it as plain files."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store


def check(store: Store) -> list[tuple[str, dict[str, object]]]:
    """Every archived file present and matching its hash; every submission pointing at a known file."""
    from sqlalchemy import select

    problems: list[tuple[str, dict[str, object]]] = []  # (a key of words.WORDS, its parameters)
    with store.engine.connect() as conn:
        known = {r.sha256: r for r in conn.execute(select(store.files))}
        for sub in conn.execute(select(store.submissions.c.id, store.submissions.c.sha256)):
            if sub.sha256 not in known:
                problems.append(("store-unregistered", {"id": sub.id, "sha256": sub.sha256}))
    for sha, row in known.items():
        path = store.archive_path(sha, row.suffix)
        if not path.is_file():
            problems.append(("store-file-missing", {"path": path}))
        elif sha256_of(path) != sha:
            problems.append(("store-hash-mismatch", {"path": path}))
    return problems


def export(store: Store, folder: str | Path) -> Path:
    """Everything as plain files: submissions.csv, figures.csv and the original workbooks."""
    from sqlalchemy import select

    out = Path(folder)
    (out / "files").mkdir(parents=True, exist_ok=True)
    with store.engine.connect() as conn:
        subs = list(conn.execute(select(store.submissions).order_by(store.submissions.c.id)))
        figs = list(conn.execute(select(store.figures)))
        files = {r.sha256: r for r in conn.execute(select(store.files))}
    with (out / "submissions.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "id",
                "schema",
                "unit",
                "period",
                "version",
                "file_name",
                "sha256",
                "received_at",
                "ingested_at",
                "accepted",
                "errors",
                "warnings",
                "archived_as",
            ]
        )
        for s in subs:
            name = f"{s.schema_id}_{s.unit}_{s.period}_v{s.version}{files[s.sha256].suffix}"
            w.writerow(
                [
                    s.id,
                    s.schema_id,
                    s.unit,
                    s.period,
                    s.version,
                    s.file_name,
                    s.sha256,
                    s.received_at.isoformat(),
                    s.ingested_at.isoformat(),
                    int(bool(s.accepted)),
                    s.errors,
                    s.warnings,
                    name,
                ]
            )
            shutil.copy2(store.archive_path(s.sha256, files[s.sha256].suffix), out / "files" / name)
    with (out / "figures.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["submission_id", "line", "indicator", "value", "row"])
        for f in figs:
            w.writerow([f.submission_id, f.line, f.indicator, "" if f.value is None else f.value, f.row])
    return out


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
