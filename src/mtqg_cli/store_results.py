"""What the ledger answers: the outcome of recording one workbook, and the state of a period's returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .periods import Period
from .schema import Schema
from .validate import FileResult


@dataclass
class IngestResult:
    path: Path
    unit: str
    status: str  # 'new' | 'duplicate' | 'refused' (not a readable workbook, or its unit cannot be told)
    version: int
    accepted: bool
    result: FileResult

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "file": str(self.path),
            "unit": self.unit,
            "status": self.status,
            "version": self.version,
            "accepted": self.accepted,
            "errors": len(self.result.errors),
            "issues": [i.to_dict(lang) for i in self.result.errors] if self.status == "refused" else [],
        }


@dataclass
class UnitStatus:
    unit: str
    name: str
    state: str  # 'on-time' | 'late' | 'missing' | 'rejected'
    days_late: int = 0
    version: int | None = None
    received_at: dt.datetime | None = None
    file: str = ""


@dataclass
class Status:
    schema: Schema
    period: Period
    deadline: dt.date | None
    kind: Any = None  # the form's report kind (schema.ReportKind) the period is of
    units: list[UnitStatus] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return sum(1 for u in self.units if u.state in ("on-time", "late"))

    @property
    def on_time(self) -> int:
        return sum(1 for u in self.units if u.state == "on-time")

    def rate(self) -> float:
        return 100.0 * self.reported / len(self.units) if self.units else 0.0

    def on_time_rate(self) -> float:
        return 100.0 * self.on_time / len(self.units) if self.units else 0.0

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        from .periods import period_words
        from .words import word

        return {
            "schema": self.schema.id,
            "period": self.period.code,
            "period_text": period_words(self.period, lang),
            "report_kind": self.kind.code if self.kind else None,
            "report_kind_name": self.kind.title if self.kind else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "reporting_rate": round(self.rate(), 1),
            "on_time_rate": round(self.on_time_rate(), 1),
            "units": [
                {
                    "unit": u.unit,
                    "name": u.name,
                    "state": u.state,
                    "state_text": word(f"state-{u.state}", lang),
                    "days_late": u.days_late,
                    "version": u.version,
                    "received_at": u.received_at.isoformat() if u.received_at else None,
                    "file": u.file,
                }
                for u in self.units
            ],
        }


__all__ = ["IngestResult", "Status", "UnitStatus"]
