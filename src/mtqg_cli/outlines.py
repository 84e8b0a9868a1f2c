"""The outlines (đề cương) of the compiled report, as data: one YAML file per programme or plan in
``templates/outlines/`` (and ``./outlines`` beside the forms an office adds). An outline gives, for each place of the
report the figures fill (the reporting status, the results by content, the progress table, the funds, the
highlights, the weaknesses, what comes next, the proposals), its heading in the programme's own words and the
sub-items the compiler writes under it. ``mtqg outline list``; ``mtqg report --outline ID``.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import MtqgError


class Part(BaseModel):
    """A heading and the sub-items the compiler is asked to write under it (each shown as a place to write)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    items: list[str] = []
    note: str = ""


class Outline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    source: str = ""
    direction_part: str
    direction: Part
    communication: Part
    monitoring: Part
    results_part: str
    contents: Part
    progress: Part
    funds: Part
    assessment: Part
    highlights: Part
    weaknesses: Part
    next_part: str
    next: list[Part] = Field(min_length=1)
    proposals_part: str
    proposals: list[Part] = Field(min_length=1)

    def headings(self) -> list[str]:
        """Every heading and sub-item, in the order of the report."""
        out: list[str] = []
        for value in self.model_dump(exclude={"id", "name", "source"}).values():
            for part in value if isinstance(value, list) else [value]:
                if isinstance(part, str):
                    out.append(part)
                else:
                    out += [part["title"], *part["items"]] + ([part["note"]] if part["note"] else [])
        return out


DEFAULT = "chung"


def outline_dirs() -> list[Path]:
    from .forms import shipped_dir

    return [Path.cwd() / "outlines", shipped_dir("templates") / "outlines"]


def list_outlines() -> list[Outline]:
    found: dict[str, Outline] = {}
    for folder in outline_dirs():
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            outline = _load(path)
            found.setdefault(outline.id, outline)
    return list(found.values())


def load_outline(ref: str | None) -> Outline:
    """An outline by id or by path to its YAML file (the general one when none is named)."""
    name = ref or DEFAULT
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return _load(path)
    for outline in list_outlines():
        if outline.id == name:
            return outline
    known = ", ".join(o.id for o in list_outlines())
    raise MtqgError("outline-unknown", name=name, known=known)


def _load(path: Path) -> Outline:
    try:
        return Outline.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError, OSError) as exc:
        raise MtqgError("outline-invalid", path=path, detail=str(exc).splitlines()[0]) from exc
