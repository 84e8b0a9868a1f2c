"""Where forms live and how they are loaded: the folders searched, a form by id or by path, the unit lists a form
refers to, and the cache of forms already checked. A bad form file raises :class:`SchemaError` naming the file,
the key and the line.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import MtqgError
from .schema import Schema, Unit, UnitsFrom


class SchemaError(MtqgError):
    """A schema file that cannot be used; the message names the file, the key and the line."""


# -- loading


def schema_dirs() -> list[Path]:
    """Where schemas are looked for: $MTQG_SCHEMAS (os.pathsep-separated), ./schemas, then the shipped ones."""
    dirs: list[Path] = []
    env = os.environ.get("MTQG_SCHEMAS")
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    dirs.append(Path.cwd() / "schemas")
    dirs.append(shipped_dir("schemas"))
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def shipped_dir(kind: str) -> Path:
    """The repository's top-level folder in a checkout, or its installed copy inside the package."""
    repo = Path(__file__).resolve().parents[2] / kind
    if repo.is_dir():
        return repo
    return Path(str(resources.files("mtqg_cli.data") / kind))


def list_schemas() -> list[Schema]:
    """Every schema found, by id (the first folder in :func:`schema_dirs` wins)."""
    found: dict[str, Schema] = {}
    for d in schema_dirs():
        for path in sorted(d.glob("*.yaml")):
            schema = load_schema(path)
            found.setdefault(schema.id, schema)
    return list(found.values())


def marks_left(ref: str | Path) -> list[tuple[str, str]]:
    """Where a draft's TODO marks are still in a form's file, (Vietnamese, English): key and line of a .yaml, sheet,
    row and column of a definition workbook."""
    from .infer import marks

    path = form_file(ref)
    if path.suffix.lower() in DEFINITION_SUFFIXES:
        from .definition import place_of, read_definition

        data, places = read_definition(path)
        return [
            (
                f"{path.name}, {place_of(places, loc, data).text('vi')}",
                f"{path.name}, {place_of(places, loc, data).text('en')}",
            )
            for loc in marks(data)
        ]
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    out = []
    for loc in marks(data):
        key, line = ".".join(str(p) for p in loc), _line_of(node, list(loc))
        out.append((f"{path}, dòng {line}, khoá «{key}»", f"{path}, line {line}, key «{key}»"))
    return out


def form_file(ref: str | Path) -> Path:
    """The file a form is read from: the given path, or the form's file found by its id."""
    path = Path(ref)
    if path.suffix:
        if not path.is_file():
            raise SchemaError("schema-file-not-found", path=path)
        return path
    found = _find_by_id(str(ref))
    if found is None:
        raise _unknown(str(ref))
    return found


def _unknown(ref: str) -> SchemaError:
    """A form id nobody has: the nearest ids offered ('Có phải là son-la-du-an-8?')."""
    import difflib

    ids = sorted({p.stem for d in schema_dirs() for p in d.glob("*.yaml")})
    near = difflib.get_close_matches(ref, ids, n=2, cutoff=0.6)
    hint = f" Có phải là {' hoặc '.join(near)}?" if near else ""
    hint_en = f" Did you mean {' or '.join(near)}?" if near else ""
    return SchemaError("schema-unknown", ref=ref, known=", ".join(ids), hint=hint, hint_en=hint_en)


def load_schema(ref: str | Path) -> Schema:
    """Load a schema by id ('son-la-du-an-8') or by path to a YAML file."""
    path = Path(ref)
    if not path.suffix:
        found = _find_by_id(str(ref))
        if found is not None:
            path = found
        else:
            raise _unknown(str(ref))
    if not path.is_file():
        raise SchemaError("schema-file-not-found", path=path)
    if path.suffix.lower() in DEFINITION_SUFFIXES:
        return _load_definition(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise SchemaError("schema-not-yaml", path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError("schema-not-utf8", path=path, detail=exc.reason) from exc
    except OSError as exc:
        raise SchemaError("cannot-access", path=path, detail=exc.strerror or exc) from exc
    key = _cache_key(path, text)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    deps: list[Path] = []
    schema = _load_schema_text(path, text, deps)
    _cache_put(key, deps, schema)
    return schema


# -- a cache of loaded forms (a ministry's form lists thousands of communes: parsing and validating them takes most
# of a second, unpickling the result a twentieth of that). Keyed by the file's text, its place and the code that reads
# it; an entry is used only while every file it was built from (the unit lists it looked for) is unchanged.


def cache_dir() -> Path | None:
    """Where mtqg keeps its caches: $MTQG_CACHE_DIR ('' or '0': no cache), else the user's cache folder."""
    env = os.environ.get("MTQG_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() not in ("", "0") else None
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "mtqg" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mtqg"


def _cache_key(path: Path, text: str) -> str:
    import hashlib

    import pydantic

    modules = sorted(Path(__file__).parent.glob("*.py"))  # the code that reads forms: a change rebuilds the cache
    code = "|".join(f"{st.st_mtime_ns}:{st.st_size}" for st in (p.stat() for p in modules))
    stamp = f"{path.resolve()}|{code}|{pydantic.VERSION}|{yaml.__version__}"
    return hashlib.sha256((stamp + "\n" + text).encode("utf-8")).hexdigest()[:32]


def _stamp(paths: list[Path]) -> list[tuple[str, int, int]]:
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), -1, -1))  # absent: it must still be absent
    return out


def _cache_get(key: str) -> Schema | None:
    import pickle

    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / "schemas" / f"{key}.pickle", "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # only a file this user wrote is unpickled (a shared cache folder is not trusted)
            deps, schema = pickle.load(fh)  # noqa: S301 - the user's own cache, written below
    except Exception:  # absent, unreadable, damaged, from another Python: rebuilt
        return None
    if not isinstance(schema, Schema) or _stamp([Path(d[0]) for d in deps]) != deps:
        return None
    return schema


def _cache_put(key: str, deps: list[Path], schema: Schema) -> None:
    import pickle
    import tempfile

    folder = cache_dir()
    if folder is None:
        return
    tmp = ""
    try:
        target = folder / "schemas"
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
        schema.unit_keys  # noqa: B018 - computed now, so that it is kept with the form
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((_stamp(deps), schema), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target / f"{key}.pickle")
    except Exception:  # a read-only home, a full disk: no cache, same result
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _load_schema_text(path: Path, text: str, deps: list[Path]) -> Schema:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: a form of 10,000 units loads fast
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", dòng {mark.line + 1}" if mark else ""
        line_en = f", line {mark.line + 1}" if mark else ""
        raise SchemaError(
            "schema-yaml-syntax", path=path, line=line, line_en=line_en, detail=getattr(exc, "problem", exc)
        ) from exc
    if not isinstance(data, dict):
        raise SchemaError("schema-not-mapping", path=path)
    node: Any = None  # the YAML node tree, composed only when an error needs line numbers

    def where(loc: list[Any], lang: str) -> str:
        nonlocal node
        if node is None:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        key = ".".join(str(p) for p in loc) or "(gốc)"
        at = _line_of(node, loc)
        return f"{path}, line {at}, key «{key}»" if lang == "en" else f"{path}, dòng {at}, khoá «{key}»"

    return _build_schema(path, data, deps, where)


DEFINITION_SUFFIXES = (".xlsx", ".xlsm")


def _load_definition(path: Path) -> Schema:
    """A form defined in an Excel workbook (see ``definition.py``); mistakes name the sheet, row and column."""
    import hashlib

    from .definition import DefinitionError, message_vi, place_of, read_definition

    try:
        content = path.read_bytes()
    except OSError as exc:
        raise SchemaError("cannot-access", path=path, detail=exc.strerror or exc) from exc
    key = _cache_key(path, hashlib.sha256(content).hexdigest())
    cached = _cache_get(key)
    if cached is not None:
        return cached
    try:
        data, places = read_definition(path)
    except DefinitionError as exc:
        vi = "\n".join(f"{path.name}, {p.text('vi')}: {m}" for p, m, _ in exc.problems)
        en = "\n".join(f"{path.name}, {p.text('en')}: {m}" for p, _, m in exc.problems)
        raise SchemaError("schema-invalid", detail=vi, detail_en=en) from exc
    except Exception as exc:  # not a workbook openpyxl can read: a renamed file, a damaged zip
        raise SchemaError("definition-unreadable", path=path, detail=type(exc).__name__) from exc

    def where(loc: list[Any], lang: str) -> str:
        return f"{path.name}, {place_of(places, loc, data).text(lang)}"

    deps: list[Path] = []
    schema = _build_schema(path, data, deps, where, message_vi)
    _cache_put(key, deps, schema)
    return schema


def _build_schema(
    path: Path,
    data: dict[str, Any],
    deps: list[Path],
    where: Any,
    translate: Any = None,
) -> Schema:
    """The form from its data (a YAML file's or a definition workbook's): units taken by reference, the model
    checked. ``where(loc, lang)`` names the place of a part; ``translate(error)`` a message in Vietnamese."""
    if "units_from" in data:
        try:
            ref = UnitsFrom.model_validate(data.pop("units_from"))
        except ValidationError as exc:
            err = exc.errors()[0]
            msg = err["msg"]
            raise SchemaError(
                "schema-invalid",
                detail=f"{where(['units_from'], 'vi')}: {translate(err) if translate else msg}",
                detail_en=f"{where(['units_from'], 'en')}: {msg}",
            ) from exc
        listed = data.get("units") or []  # agencies (phòng, ban, hội) a form adds to the units it refers to
        data["units"] = [u.model_dump() for u in load_units(ref, path.parent, deps)] + list(listed)
    _own_parts_as_units(data)
    try:
        schema = Schema.model_validate(data)
    except ValidationError as exc:
        lines_vi, lines_en = [], []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            lines_vi.append(f"{where(loc, 'vi')}: {translate(err) if translate else err['msg']}")
            lines_en.append(f"{where(loc, 'en')}: {err['msg']}")
        raise SchemaError("schema-invalid", detail="\n".join(lines_vi), detail_en="\n".join(lines_en)) from exc
    problems = schema.check_targets()
    if problems:
        raise SchemaError(
            "schema-invalid",
            detail=f"{where(['targets'], 'vi')}: các chỉ tiêu không khớp tổng: {'; '.join(problems)}",
            detail_en=f"{where(['targets'], 'en')}: published sums do not hold: {'; '.join(problems)}",
        )
    return schema


def _own_parts_as_units(data: dict[str, Any]) -> None:
    """The province's own part of the target (``targets.parts[].units: own``) reported as one more unit."""
    targets = data.get("targets")
    parts = targets.get("parts") if isinstance(targets, dict) else None
    units = data.get("units")
    if not isinstance(parts, list) or not isinstance(units, list):
        return
    codes = {u.get("code") for u in units if isinstance(u, dict)}
    for part in parts:
        if isinstance(part, dict) and part.get("units") == "own" and part.get("code") not in codes:
            aliases = list(part.get("aliases") or [])
            units.append({"code": part.get("code"), "name": part.get("label"), "level": "province", "aliases": aliases})


def _find_by_id(ref: str) -> Path | None:
    """The schema file named <id>.yaml, else the file whose top-level 'id:' is the id."""
    import re

    for d in schema_dirs():
        candidate = d / f"{ref}.yaml"
        if candidate.is_file():
            return candidate
    for d in schema_dirs():
        for candidate in sorted(d.glob("*.yaml")):
            m = re.search(r"^id:\s*['\"]?([^'\"\s#]+)", candidate.read_text(encoding="utf-8"), re.M)
            if m and m.group(1) == ref:
                return candidate
    return None


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int:
    """Line (1-based) of the deepest YAML node that ``loc`` reaches."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == part or (part == "except_" and k.value == "except"):
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            if nxt is None:
                return line
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _country_units(ref: UnitsFrom, deps: list[Path] | None) -> list[Unit]:
    """The units of a province, of one level, in force on a day, from the shipped catalogue (``country.py``): code
    a slug of the short name ('muong-bu'; with the GSO code when two names fold alike), GSO code, kind, dates."""
    from importlib import resources

    from .country import LAST_DAY_BEFORE, REFORM, country
    from .infer import slug

    if deps is not None:
        deps.append(Path(str(resources.files("mtqg_cli.data") / "country" / "units.csv.gz")))
    day = ref.on or (LAST_DAY_BEFORE if ref.level == "district" else REFORM)
    catalogue = country()
    try:
        found = catalogue.in_force(ref.province, ref.level if ref.level != "province" else "province", day)
    except LookupError:
        raise SchemaError("units-province-unknown", province=ref.province, day=day.isoformat()) from None
    if ref.district:  # a district's communes (before the reform)
        from .units import core_name

        wanted = core_name(ref.district)
        districts = {
            u.key
            for u in catalogue.in_force(ref.province, "district", day)
            if core_name(u.name) == wanted or core_name(u.short) == wanted
        }
        if not districts:
            raise SchemaError("units-province-unknown", province=f"{ref.district}, {ref.province}", day=day.isoformat())
        found = [u for u in found if u.parent in districts]
    codes = [slug(u.short, "-") for u in found]
    clash = {c for c in codes if codes.count(c) > 1}
    units = [
        Unit(
            code=f"{code}-{u.code}" if code in clash else code,
            name=u.short,
            kind=u.kind.lower(),
            gso=u.code,
            level=ref.level,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
            former=[d.name for d in catalogue.former_districts(u)],  # by name: 'Huyện Mai Sơn'
        )
        for code, u in zip(codes, found, strict=True)
        if code not in ref.exclude
    ]
    if ref.only:
        by_code = {u.code: u for u in units}
        missing = [c for c in ref.only if c not in by_code]
        if missing:
            raise SchemaError("units-list-missing", path=ref.province, missing=", ".join(missing))
        units = [by_code[c] for c in ref.only]
    return units


def load_units(ref: UnitsFrom, base: Path, deps: list[Path] | None = None) -> list[Unit]:
    """Units of one level from a list in ``units/`` beside the schema (or the shipped ``schemas/units``), or from
    the country's units (``province``). ``deps`` gets every file looked for, up to the one read (what a cached
    form depends on)."""
    if ref.province:
        return _country_units(ref, deps)
    candidates = [base / "units" / f"{ref.file}.yaml"] + [d / "units" / f"{ref.file}.yaml" for d in schema_dirs()]
    path = None
    for candidate in candidates:
        if deps is not None:
            deps.append(candidate)
        if candidate.is_file():
            path = candidate
            break
    if path is None:
        raise SchemaError("units-list-not-found", file=ref.file)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        units = [Unit.model_validate(u) for u in data.get("units", [])]
    except ValidationError as exc:
        raise SchemaError("units-list-invalid", path=path, detail=exc.errors()[0]["msg"]) from exc
    chosen = [u for u in units if u.level == ref.level and u.code not in ref.exclude]
    if ref.only:
        by_code = {u.code: u for u in chosen}
        missing = [c for c in ref.only if c not in by_code]
        if missing:
            raise SchemaError("units-list-missing", path=path, missing=", ".join(missing))
        chosen = [by_code[c] for c in ref.only]
    return chosen
