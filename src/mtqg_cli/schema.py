"""Forms as data: a YAML file per form in ``schemas/``, loaded into Pydantic models and checked on load.

A bad schema file raises :class:`SchemaError` naming the file, the key and the line. The row model used to check
a unit's figures is built from the schema (:meth:`Schema.row_model`), so a new form needs no Python code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, create_model, model_validator

from .text import fold

_T = TypeVar("_T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Model):
    document: str
    date: dt.date
    issuer: str
    part: str = ""


class Programme(_Model):
    code: str
    name: str
    decision: str = ""


class Project(_Model):
    code: str
    name: str
    agency: str = ""


class Compiler(_Model):
    """Who compiles the form, and the defaults of the compiled report's heading block and signature."""

    issuer_parent: str = ""
    issuer: str = ""
    issuer_short: str = ""
    number: str = "      /BC-"
    place: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = []
    archive: str = "VT"


PeriodKind = Literal["month", "quarter", "half-year", "year", "update", "evaluation", "ad-hoc", "to-date"]
KIND_NAMES = {
    "month": "Báo cáo tháng",
    "quarter": "Báo cáo quý",
    "half-year": "Báo cáo 6 tháng",
    "year": "Báo cáo năm",
    "update": "Cập nhật số liệu năm",
    "evaluation": "Báo cáo đánh giá",
    "ad-hoc": "Báo cáo đột xuất",
    "to-date": "Báo cáo kết quả",
}


class ReportKind(_Model):
    """One report a form's units send: its period kind and deadline (see :mod:`mtqg_cli.deadlines`); an
    evaluation names the span of years it covers (``span: 2021-2023``)."""

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = ""
    period: PeriodKind
    deadline: str = ""
    span: str = ""

    @model_validator(mode="after")
    def _readable(self) -> ReportKind:
        from .deadlines import parse_deadline

        parse_deadline(self.deadline)  # a DeadlineError (a ValueError) names the text and the forms understood
        if self.period == "evaluation" and not re.fullmatch(r"\d{4}-\d{4}", self.span):
            raise ValueError("an evaluation needs 'span', the years it covers: 2021-2023")
        return self

    @property
    def title(self) -> str:
        return self.name or KIND_NAMES[self.period]


class Reporting(_Model):
    """Who reports (``level``) and which reports: ``kinds``, or the one kind ``period`` with ``deadline`` (and the
    update of a year's figures, ``update_deadline``) of forms written before kinds existed."""

    level: Literal["province", "district", "commune", "agency"]
    period: Literal["month", "quarter", "half-year", "year"] = "year"
    deadline: str = ""
    update_deadline: str = ""
    kinds: list[ReportKind] = []

    @model_validator(mode="after")
    def _deadlines_readable(self) -> Reporting:
        from .deadlines import parse_deadline

        parse_deadline(self.deadline)
        parse_deadline(self.update_deadline)
        seen: dict[tuple[str, str], str] = {}
        for kind in self.kinds:  # a period must say which report it is: one kind per period kind (and span)
            key = (kind.period, kind.span)
            if key in seen:
                raise ValueError(
                    f"'{seen[key]}' và '{kind.code}' cùng một loại kỳ ({kind.period}): mỗi loại kỳ một loại báo cáo; "
                    "báo cáo khác nội dung thì tách thành biểu mẫu khác"
                )
            seen[key] = kind.code
        codes = [k.code for k in self.kinds]
        if len(set(codes)) != len(codes):
            raise ValueError("mã loại báo cáo bị trùng")
        return self

    @property
    def all_kinds(self) -> list[ReportKind]:
        if self.kinds:
            return list(self.kinds)
        out = [ReportKind(code=self.period, period=self.period, deadline=self.deadline)]
        if self.update_deadline:
            out.append(ReportKind(code="update", period="update", deadline=self.update_deadline))
        return out


class Layout(_Model):
    """How the table is found. ``wide``: a row per unit, a column per indicator (headers name the unit column).
    ``long``: one unit per workbook, a row per line (project, sub-project, indicator), a column per measure."""

    shape: Literal["wide", "long"] = "wide"
    unit_column: list[str] = []
    line_column: list[str] = []
    number_column: list[str] = ["TT", "STT"]
    total_labels: list[str] = ["Tổng cộng", "Cộng"]
    max_header_rows: int = Field(default=3, ge=1, le=6)

    @model_validator(mode="after")
    def _column_for_shape(self) -> Layout:
        if self.shape == "wide" and not self.unit_column:
            raise ValueError("a wide layout needs 'unit_column' (the headers of the unit names' column)")
        if self.shape == "long" and not self.line_column:
            raise ValueError("a long layout needs 'line_column' (the headers of the lines' column)")
        return self


class Unit(_Model):
    code: str
    name: str
    kind: str = ""
    gso: str = ""
    level: str = ""
    aliases: list[str] = []
    former: list[str] = []  # for a commune formed on 1/7/2025: the former district(s) it lies in
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class UnitsFrom(_Model):
    """Where a form's units come from: a unit list shipped in schemas/units/ (``file``), or the country's units
    by reference (``province``, ``level``, and the day they are taken on, ``on``: by default the first day of the
    new communes for ``commune``, the last day of the districts for ``district``); optionally which units."""

    file: str = ""
    province: str = ""
    district: str = ""  # before 01/07/2025: only the communes of this district ('Tam Đường')
    on: dt.date | None = None
    level: str
    only: list[str] = []
    exclude: list[str] = []

    @model_validator(mode="after")
    def _one_source(self) -> UnitsFrom:
        if bool(self.file) == bool(self.province):
            raise ValueError("units_from needs either 'file' or 'province'")
        return self


class Line(_Model):
    """A row of a long form: a project, sub-project or indicator. ``labels`` are matched at the start of the row's
    text; ``short`` labels ('Tiểu dự án 1') only right under the line's parent."""

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    label: str
    label_en: str = ""
    unit: str = ""  # ĐVT of the line, when lines are indicators
    labels: list[str] = []
    short: list[str] = []
    parent: str = ""


class Summary(_Model):
    """For long forms: which column the compiled report shows for each line, against which target: another
    column ('ke_hoach') or the published figure of the line ('targets')."""

    value: str
    target: str = "targets"


class OtherRow(_Model):
    code: str
    labels: list[str] = Field(min_length=1)


class Group(_Model):
    code: str
    label: str


class Indicator(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    label_en: str = ""
    unit: str = ""
    group: str = ""
    role: Literal["result", "context"] = "result"
    type: Literal["integer", "decimal"] = "integer"
    min: Decimal | None = None
    max: Decimal | None = None
    required: bool = True
    headers: list[str] = Field(min_length=1)
    window: str = ""
    column_label: str = ""  # the column's heading in generated forms, when shorter than the label
    in_total: bool = True  # False for a column the total row does not add up (a rate without a formula)
    cumulative: bool = False  # a running total (lũy kế): never added across periods, never goes down
    formula: str = ""  # a computed column ('giai_ngan / ke_hoach * 100'): recomputed and compared, never trusted
    tolerance: Decimal = Decimal("0.05")  # for a computed column
    decimals: int | None = Field(default=None, ge=0, le=6)  # shown rounded to this (money: per form); see places

    @property
    def places(self) -> int:
        """Decimals the figure is shown with, the same in body, tables, charts and annexes: the form's
        ``decimals`` (money in triệu đồng: 3 where a plan gives 3), else 0 for whole numbers and 1 otherwise."""
        if self.decimals is not None:
            return self.decimals
        return 0 if self.type == "integer" else 1


class Plausibility(_Model):
    """When a figure is questioned (a warning on its cell, never a highlight): more than ``target_factor`` times the
    unit's own phase target, or more than ``history_factor`` times its figure of the period before."""

    target_factor: Decimal = Field(default=Decimal(3), gt=0)
    history_factor: Decimal = Field(default=Decimal(3), gt=0)


class TextField(_Model):
    """A sentence or a paragraph each unit writes (difficulties, proposals): checked for presence and length, put
    in the compiled report unit by unit under its section of the outline (``section``: results, weaknesses,
    proposals, next: the II, 4.2, IV and III parts of the report)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    label_en: str = ""
    headers: list[str] = Field(min_length=1)
    required: bool = False
    min_length: int = Field(default=0, ge=0)
    max_length: int = Field(default=2000, ge=1)
    section: Literal["results", "weaknesses", "proposals", "next"] = "weaknesses"


class TargetPart(_Model):
    """A part of the phase target: ``units: all`` the part the reporting units carry out; ``units: own`` the part
    the province's own agencies carry out, reported as one more unit (code and name the part's, also known by
    ``aliases``) whose row the province fills, so that its progress is tracked with the others'."""

    code: str
    label: str
    share: float | None = None
    units: Literal["all", "own"] | None = None
    aliases: list[str] = []
    values: dict[str, Decimal]


class Targets(_Model):
    phase: dict[str, Decimal] = {}
    parts: list[TargetPart] = []
    units: dict[str, dict[str, Decimal]] = {}
    lines: dict[str, dict[str, Decimal]] = {}  # long forms: the published figures of each line
    # the targets of one year (the plan's yearly annex): year -> unit code ('*': the whole) -> indicator -> figure
    years: dict[str, dict[str, dict[str, Decimal]]] = {}


class Samples(_Model):
    """Values `mtqg sample` writes for a form: per unit, per line (long forms), in the order of ``columns``."""

    columns: list[str]
    units: dict[str, dict[str, list[Decimal | None]]] = {}


class TargetCheck(_Model):
    sum_of: list[str] = Field(min_length=1)
    equals: str
    only: list[str] | None = None
    except_: list[str] = Field(default=[], alias="except")


class Rule(_Model):
    """A check on the data. ``compare``: left op right on every row (unit row or line); ``total_row``: the
    table's total row equals the sum of its rows (for a long form: of its top-level lines); ``children_sum``: every
    line with sub-lines equals the sum of them. ``tolerance`` is absolute, ``tolerance_pct`` relative to the
    larger side (money rounding). ``blanks``: 'skip' leaves a row out when a side has a blank; 'zero' counts a
    blank as 0."""

    code: str
    kind: Literal["total_row", "compare", "children_sum"]
    severity: Literal["error", "warning"] = "error"
    left: str = ""
    op: Literal["==", "<=", ">=", "<", ">"] = "=="
    right: str = ""
    tolerance: Decimal = Decimal(0)
    tolerance_pct: Decimal = Decimal(0)
    blanks: Literal["skip", "zero"] = "skip"
    lines: list[str] = []  # compare: only these lines (long forms); empty = every row
    message: str = ""
    message_en: str = ""

    @model_validator(mode="after")
    def _compare_has_sides(self) -> Rule:
        if self.kind == "compare" and not (self.left and self.right):
            raise ValueError("a compare rule needs 'left' and 'right'")
        return self


class Schema(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = 1
    title: str
    title_en: str = ""
    source: Source
    programme: Programme
    project: Project
    province: str = ""
    compiler: Compiler = Compiler()
    reporting: Reporting
    layout: Layout
    units: list[Unit] = Field(min_length=1)
    lines: list[Line] = []
    other_rows: list[OtherRow] = []
    groups: list[Group] = []
    indicators: list[Indicator] = Field(min_length=1)
    texts: list[TextField] = []
    plausibility: Plausibility = Plausibility()
    targets: Targets = Targets()
    target_checks: list[TargetCheck] = []
    rules: list[Rule] = []
    samples: Samples | None = None
    summary: Summary | None = None
    # the form this one takes over from (the district form a commune form replaced on 01/07/2025): the ledger's
    # cumulative figures add that form's returns for the periods before this one's
    continues: str = ""
    # 'plan': the returns are an allocation (a capital plan), reported as such, never as results achieved
    nature: Literal["results", "plan"] = "results"
    outline: str = ""  # the đề cương its compiled report follows (templates/outlines/ID.yaml); the general one if ''

    @model_validator(mode="before")
    @classmethod
    def _apply_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("indicator_defaults"), dict):
            defaults = data.pop("indicator_defaults")
            data["indicators"] = [
                {**defaults, **ind} if isinstance(ind, dict) else ind for ind in data.get("indicators") or []
            ]
        if isinstance(data, dict):
            for ind in data.get("indicators") or []:
                if isinstance(ind, dict) and ind.get("formula") and "required" not in ind:
                    ind["required"] = False
        return data

    @model_validator(mode="after")
    def _references(self) -> Schema:
        codes = [i.code for i in self.indicators]
        _unique("indicators", codes)
        _unique("indicators and texts", codes + [t.code for t in self.texts])
        _unique("units", [u.code for u in self.units])
        unit_codes = set(codes_of(self.units))
        groups = {g.code for g in self.groups}
        for i in self.indicators:
            if i.group and i.group not in groups:
                raise ValueError(f"indicator {i.code}: unknown group '{i.group}'")
        known = set(codes)
        for where, values in [("targets.phase", self.targets.phase)] + [
            (f"targets.parts.{p.code}", p.values) for p in self.targets.parts
        ]:
            _known_keys(where, values, known)
        for unit, values in self.targets.units.items():
            if unit not in unit_codes:
                raise ValueError(f"targets.units: unknown unit '{unit}'")
            _known_keys(f"targets.units.{unit}", values, known)
        for year, by_unit in self.targets.years.items():
            for unit, values in by_unit.items():
                if unit != "*" and unit not in unit_codes:
                    raise ValueError(f"targets.years.{year}: unknown unit '{unit}'")
                _known_keys(f"targets.years.{year}.{unit}", values, known)
        line_codes = [line.code for line in self.lines]
        _unique("lines", line_codes)
        for line in self.lines:
            if line.parent and line.parent not in line_codes:
                raise ValueError(f"line {line.code}: unknown parent '{line.parent}'")
        for code, values in self.targets.lines.items():
            if code not in line_codes:
                raise ValueError(f"targets.lines: unknown line '{code}'")
            _known_keys(f"targets.lines.{code}", values, known)
        for rule in self.rules:
            if rule.kind == "compare":
                for side in (rule.left, rule.right):
                    for name in _names(side):
                        if name not in known:
                            raise ValueError(f"rule {rule.code}: unknown indicator '{name}'")
                for code in rule.lines:
                    if code not in line_codes:
                        raise ValueError(f"rule {rule.code}: unknown line '{code}'")
        if self.summary is not None:
            for name in (self.summary.value, self.summary.target):
                if name != "targets" and name not in known:
                    raise ValueError(f"summary: unknown indicator '{name}'")
        if self.samples is not None:
            for name in self.samples.columns:
                if name not in known:
                    raise ValueError(f"samples.columns: unknown indicator '{name}'")
            for unit, rows in self.samples.units.items():
                if unit not in unit_codes:
                    raise ValueError(f"samples.units: unknown unit '{unit}'")
                for line_code in rows:
                    if self.lines and line_code not in line_codes:
                        raise ValueError(f"samples.units.{unit}: unknown line '{line_code}'")
        for ind in self.indicators:
            for name in _names(ind.formula):
                if name not in known:
                    raise ValueError(f"indicator {ind.code}: formula uses unknown indicator '{name}'")
        return self

    # What checking workbooks of this form has worked out (the validation plan, the header phrases, layouts seen):
    # kept on the form object and gone with it, never in a module-level table (see :meth:`memo`).
    _memo: dict[str, Any] = PrivateAttr(default_factory=dict)

    def memo(self, key: str, build: Callable[[Schema], _T]) -> _T:
        """``build(self)``, worked out once for this form object and kept as long as it lives. ``key`` names what
        is kept (one name per room that keeps something)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build(self)
            return value

    def __getstate__(self) -> dict[Any, Any]:
        # the memo is rebuilt where the form is unpickled (a spawned worker, the form cache): it holds generated
        # models and functions that do not pickle, and it would only go stale in a cache file
        state = super().__getstate__()
        private = dict(state.get("__pydantic_private__") or {})
        private["_memo"] = {}
        state["__pydantic_private__"] = private
        return state

    # -- convenience views
    @cached_property
    def indicator_by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    @cached_property
    def unit_by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    @cached_property
    def header_phrases(self) -> dict[str, list[str]]:
        """Indicator code -> folded header phrases, most specific first."""
        return {i.code: match_phrases(i.headers + [i.label]) for i in self.indicators}

    @cached_property
    def unit_keys(self) -> list[tuple[str, int]]:
        """(folded name without its prefix, index of the unit) for every name a unit is known by: what the unit
        matcher looks names up in. Kept with a cached form (folding thousands of names is the costly part)."""
        from .units import name_keys

        return [(key, k) for k, u in enumerate(self.units) for key in name_keys(u)]

    @cached_property
    def unit_column_phrases(self) -> list[str]:
        """Folded headings of the column naming the rows (units, or lines on a long form), longest first."""
        return match_phrases(self.layout.line_column if self.is_long else self.layout.unit_column)

    @cached_property
    def line_by_code(self) -> dict[str, Line]:
        return {line.code: line for line in self.lines}

    def children(self, code: str) -> list[Line]:
        return self._children.get(code, [])

    @cached_property
    def _children(self) -> dict[str, list[Line]]:
        out: dict[str, list[Line]] = {}
        for line in self.lines:
            if line.parent:
                out.setdefault(line.parent, []).append(line)
        return out

    @property
    def top_lines(self) -> list[Line]:
        return [line for line in self.lines if not line.parent]

    @property
    def is_long(self) -> bool:
        return self.layout.shape == "long"

    @property
    def result_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.role == "result"]

    def target_for(self, scope: str, indicator: str) -> Decimal | None:
        """Target of ``indicator`` for a unit code, a part code (province, districts) or 'phase'."""
        if scope == "phase":
            return self.targets.phase.get(indicator)
        if scope in self.targets.lines:
            return self.targets.lines[scope].get(indicator)
        if scope in self.targets.units:
            return self.targets.units[scope].get(indicator)
        for part in self.targets.parts:
            if part.code == scope:
                return part.values.get(indicator)
        return None

    @property
    def units_part(self) -> TargetPart | None:
        """The part of the phase target carried out by the reporting units (the 'Huyện, thành phố' row)."""
        return next((p for p in self.targets.parts if p.units == "all"), None)

    @property
    def own_parts(self) -> list[TargetPart]:
        """The parts the province carries out itself and reports as a unit (``units: own``)."""
        return [p for p in self.targets.parts if p.units == "own"]

    @property
    def reported_targets(self) -> dict[str, Decimal] | None:
        """The part of the phase targets the units that report carry out: the units' part, plus the province's own
        part when the province reports it as a unit; None when the form gives no part."""
        part = self.units_part
        if part is None:
            return None
        values = dict(part.values)
        for own in self.own_parts:
            for k, v in own.values.items():
                values[k] = values.get(k, Decimal(0)) + v
        return values

    @property
    def unit_targets(self) -> dict[str, dict[str, Decimal]]:
        """Each unit's own phase targets: the plan's per unit, and the province's own part for the unit it is
        reported as (``units: own``)."""
        own = {p.code: dict(p.values) for p in self.own_parts if p.code not in self.targets.units}
        return {**self.targets.units, **own}

    @property
    def reported_part_label(self) -> str:
        """The name of :attr:`reported_targets`: 'Huyện, thành phố', or 'Huyện, thành phố và Tỉnh'."""
        part = self.units_part
        return " và ".join([part.label, *(p.label for p in self.own_parts)]) if part is not None else ""

    def row_model(self) -> type[BaseModel]:
        """A Pydantic model of one unit's row, built from the indicators: types and bounds."""
        fields: dict[str, Any] = {}
        for ind in self.indicators:
            kind: Any = int if ind.type == "integer" else Decimal
            constraints: dict[str, Any] = {}
            if ind.min is not None:
                constraints["ge"] = ind.min
            if ind.max is not None:
                constraints["le"] = ind.max
            fields[ind.code] = (kind | None, Field(default=None, strict=False, **constraints))
        name = "Row_" + self.id.replace("-", "_")
        return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)

    def check_targets(self) -> list[str]:
        """Return the published sums that do not hold (empty when the transcription is consistent)."""
        problems: list[str] = []
        for check in self.target_checks:
            scopes: list[str] = []
            for item in check.sum_of:
                if item == "units":
                    scopes.extend(self.targets.units.keys())
                elif item == "top_lines":
                    scopes.extend(line.code for line in self.top_lines)
                else:
                    scopes.append(item)
            for ind in self.indicators:
                if check.only is not None and ind.code not in check.only:
                    continue
                if ind.code in check.except_:
                    continue
                expected = self.target_for(check.equals, ind.code)
                parts = [self.target_for(s, ind.code) for s in scopes]
                if expected is None or any(p is None for p in parts):
                    continue
                total = sum(p for p in parts if p is not None)
                if total != expected:
                    problems.append(f"{ind.code}: {' + '.join(check.sum_of)} = {total}, {check.equals} = {expected}")
        return problems


def codes_of(units: list[Unit]) -> list[str]:
    return [u.code for u in units]


def _unique(what: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for c in codes:
        if c in seen:
            raise ValueError(f"{what}: code '{c}' is used twice")
        seen.add(c)


def _known_keys(where: str, values: dict[str, Any], known: set[str]) -> None:
    for key in values:
        if key not in known:
            raise ValueError(f"{where}: unknown indicator '{key}'")


def _names(expression: str) -> tuple[str, ...]:
    """The indicator codes a formula reads (a text that is not a formula is refused here, with the form's line)."""
    from .formula import Formula

    return Formula.of(expression).names if expression else ()


def match_phrases(values: list[str]) -> list[str]:
    """Folded, longest first: the more specific phrase wins."""
    return sorted({fold(v) for v in values if fold(v)}, key=len, reverse=True)


# Finding, loading and caching forms is forms.py's job; its names stay importable from here (read when asked for:
# forms.py imports this module).
_FROM_FORMS = {"SchemaError", "cache_dir", "list_schemas", "load_schema", "load_units", "schema_dirs", "shipped_dir"}


def __getattr__(name: str) -> Any:
    if name in _FROM_FORMS:
        from . import forms

        return getattr(forms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
