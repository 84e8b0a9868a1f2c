"""The country's administrative units, before and after 1 July 2025, as data shipped inside the package.

Two compact tables in ``mtqg_cli/data/country/`` (``docs/units.md`` says where they come from and how to refresh
them): ``units.csv.gz``, one row per unit that existed (63 provinces, 696 districts and 10,040 communes until
30/06/2025; 34 provinces and 3,321 communes, wards and special zones from 01/07/2025), with its GSO code, kind,
parent and dates; ``became.csv.gz``, which old commune became which new one (an old commune split between several
new ones has a row for each).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .text import fold

REFORM = dt.date(2025, 7, 1)  # the day districts ended and the 34 provinces began (Nghị quyết 202/2025/QH15)
LAST_DAY_BEFORE = REFORM - dt.timedelta(days=1)
LEVELS = ("province", "district", "commune")


@dataclass
class CountryUnit:
    key: str  # unique: 'n:' + GSO code for units from 1/7/2025, 'o:' + GSO code for those before
    code: str  # the GSO code
    name: str  # as written officially: 'Xã Mường Bú'
    short: str  # 'Mường Bú'
    kind: str  # 'Xã', 'Phường', 'Đặc khu', 'Huyện', 'Quận', 'Thị xã', 'Thành phố', 'Tỉnh'
    level: str  # 'province', 'district', 'commune'
    province: str  # the province's short name ('Sơn La')
    parent: str  # the key of the unit it belongs to ('' for a province)
    valid_from: dt.date | None
    valid_to: dt.date | None
    became: list[str] = field(default_factory=list)  # keys of the units it became on 1/7/2025
    came_from: list[str] = field(default_factory=list)  # keys of the units it was made from

    def exists_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "level": self.level,
            "province": self.province,
            "parent": self.parent,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "became": self.became,
            "came_from": self.came_from,
        }


class Country:
    """Every unit, by key, with lookups by province, level and day."""

    def __init__(self, units: list[CountryUnit]) -> None:
        self.units = units
        self.by_key = {u.key: u for u in units}

    def in_force(
        self, province: str | None = None, level: str | None = None, on: dt.date | None = None
    ) -> list[CountryUnit]:
        """Units in force on ``on`` (today when not given), of ``level`` (communes when not given), in
        ``province`` (its name or code, folded; the whole country when not given)."""
        day = on or dt.date.today()
        wanted = level or "commune"
        out = [u for u in self.units if u.level == wanted and u.exists_on(day)]
        if province:
            names = self.provinces_named(province, day)
            out = [u for u in out if u.province in names]
        return out

    def provinces_named(self, name: str, day: dt.date) -> set[str]:
        """The short names of the provinces ``name`` means (name or GSO code), as of ``day``; none raises."""
        folded = _bare(name)
        found = {
            u.province
            for u in self.units
            if u.level == "province" and u.exists_on(day) and folded in (_bare(u.short), _bare(u.name), u.code)
        }
        if not found:
            raise LookupError(name)
        return found

    def successors(self, code: str, level: str) -> list[CountryUnit]:
        """What a unit that ended on 30/06/2025 became (by its GSO code): a commune's new commune(s); a district's,
        the new communes its communes went to; a province's, the new province."""
        unit = self.by_key.get(f"o:{code}")
        if unit is None or unit.level != level:
            return []
        if level == "district":
            olds = [u for u in self.units if u.parent == unit.key and u.level == "commune"]
        elif level == "province":
            olds = [u for u in self.units if u.parent and self.by_key[u.parent].parent == unit.key]
        else:
            olds = [unit]
        keys = dict.fromkeys(k for old in olds for k in old.became)
        if level == "province":
            keys = dict.fromkeys(self.by_key[k].parent for k in keys)
        return [self.by_key[k] for k in keys]

    def former_districts(self, unit: CountryUnit) -> list[CountryUnit]:
        """The districts whose communes a new commune was made from (more than one: the split is stated)."""
        keys = dict.fromkeys(self.by_key[k].parent for k in unit.came_from)
        return [self.by_key[k] for k in keys if self.by_key[k].level == "district"]

    def find(self, text: str) -> list[CountryUnit]:
        """Units named ``text`` (full or short name, folded, any period) or with that GSO code."""
        folded = _bare(text)
        return [u for u in self.units if folded in (_bare(u.name), _bare(u.short), u.code)]


def match_names(
    names: Iterable[str], province: str, on: dt.date | None = None, level: str = "commune"
) -> list[dict[str, object]]:
    """How each name resolves among ``province``'s units of ``level`` in force on ``on`` (today when not given):
    the unit, the confidence (100: exact after folding case, accents and prefixes such as 'Xã', 'X.', 'P.'), the
    nearest candidates when none, and a unit of another level when the name says so ('Huyện Mai Sơn' among
    communes)."""
    from .schema import Unit
    from .units import UnitMatcher, core_name_accented, level_of

    day = on or dt.date.today()
    cat = country()
    scope = cat.in_force(province, level, day)
    matcher = UnitMatcher([Unit(code=u.key, name=u.name, kind=u.kind, gso=u.code, level=level) for u in scope])
    out: list[dict[str, object]] = []
    # names that differ only by their accents (Sơn Hà, Sơn Hạ) are told apart by the accents as written
    accented: dict[str, list[CountryUnit]] = {}
    for u in scope:
        for form in {core_name_accented(u.name), core_name_accented(u.short)}:
            accented.setdefault(form, []).append(u)
    for name in names:
        said = level_of(name)
        exact = accented.get(core_name_accented(name), [])
        found = matcher.match(name)
        if len(exact) == 1:
            unit: CountryUnit | None = exact[0]
            confidence = 100
        else:
            unit = cat.by_key[found.unit.code] if found.unit is not None else None
            confidence = found.confidence if unit else 0
        row: dict[str, object] = {"name": name, "unit": unit.to_dict() if unit else None}
        row["confidence"] = confidence
        row["candidates"] = [c.name for c in found.candidates] if unit is None else []
        row["wrong_level"] = bool(said and said != level and level != "province")
        if row["wrong_level"]:
            row["unit"], row["confidence"] = None, 0
        out.append(row)
    return out


def _bare(text: str) -> str:
    return fold(text).replace(" ", "")


@lru_cache(maxsize=1)
def country() -> Country:
    """The catalogue, read once per process from the package's tables."""
    units = _read_units(_data("units.csv.gz"))
    by_key = {u.key: u for u in units}
    for old, new in _read_rows(_data("became.csv.gz")):
        if old in by_key and new in by_key:
            by_key[old].became.append(new)
            by_key[new].came_from.append(old)
    return Country(units)


def _data(name: str) -> bytes:
    return (resources.files("mtqg_cli.data") / "country" / name).read_bytes()


def _read_rows(blob: bytes) -> Iterable[list[str]]:
    reader = csv.reader(io.StringIO(gzip.decompress(blob).decode("utf-8")))
    next(reader)
    yield from reader


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _read_units(blob: bytes) -> list[CountryUnit]:
    return [
        CountryUnit(key, code, name, short, kind, level, province, parent, _day(start), _day(end))
        for key, code, name, short, kind, level, province, parent, start, end in _read_rows(blob)
    ]


# -- building the tables from the source dataset (docs/units.md)


def build(dataset: Path, converter: Path, out: Path) -> tuple[int, int]:
    """Write ``units.csv.gz`` and ``became.csv.gz`` from the source dataset (its ``dataset.db`` and
    ``converter_2025.json``): how many units, how many old-to-new rows."""
    import json
    import sqlite3

    db = sqlite3.connect(str(dataset))
    rows: list[list[str]] = []
    seen: set[str] = set()

    def add(row: list[str]) -> None:
        if row[0] not in seen:
            seen.add(row[0])
            rows.append(row)

    before, after = ["", LAST_DAY_BEFORE.isoformat()], [REFORM.isoformat(), ""]
    old_keys: dict[str, str] = {}  # the source's folded key of an old commune -> our key
    legacy = "select province, provinceShort, provinceCode, district, districtShort, districtType, districtCode, "
    legacy += (
        "ward, wardShort, wardType, wardCode from admin_units_legacy order by provinceCode, districtCode, wardCode"
    )
    for p, ps, pc, d, ds, dtype, dc, w, ws, wtype, wc in db.execute(legacy):
        add(
            [
                f"o:{pc}",
                pc,
                p,
                ps,
                p.split(" ")[0] if p.startswith("Tỉnh") else "Thành phố",
                "province",
                ps,
                "",
                *before,
            ]
        )
        add([f"o:{dc}", dc, d, ds, dtype, "district", ps, f"o:{pc}", *before])
        if w is None:  # an island district without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo): its
            # own lowest unit, listed with the communes (10,035 communes + 5 = the 10,040 lowest units)
            w, ws, wtype, wc = d, ds, dtype, f"d{dc}"
            source_ward = ""
        else:
            source_ward = w
        add([f"o:{wc}", wc, w, ws, wtype, "commune", ps, f"o:{dc}", *before])
        prefix = f"{_key(p)}_{_key(d)}_"
        old_keys[prefix + _key(source_ward)] = f"o:{wc}"
        old_keys[prefix + source_ward.lower().replace(" ", "")] = f"o:{wc}"  # the source keeps accents where
        # two communes of a district differ by them alone (Vĩnh Hùng, Vĩnh Hưng)
    new_keys: dict[tuple[str, str], str] = {}  # (province key, ward key) -> our key
    current = "select province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardType, wardCode, "
    current += "wardKey from admin_units order by provinceCode, wardCode"
    for p, ps, pc, pk, w, ws, wtype, wc, wk in db.execute(current):
        add(
            [f"n:{pc}", pc, p, ps, p.split(" ")[0] if p.startswith("Tỉnh") else "Thành phố", "province", ps, "", *after]
        )
        add([f"n:{wc}", wc, w, ws, wtype, "commune", ps, f"n:{pc}", *after])
        new_keys[(pk, wk)] = f"n:{wc}"
    data = json.loads(converter.read_text(encoding="utf-8"))
    became: list[tuple[str, str]] = []
    for province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for old in olds:
                if old in old_keys and (province, ward) in new_keys:
                    became.append((old_keys[old], new_keys[(province, ward)]))
    for province, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for new in news:
                if old in old_keys and (province, new["newWardKey"]) in new_keys:
                    became.append((old_keys[old], new_keys[(province, new["newWardKey"])]))
    became = sorted(set(became))
    out.mkdir(parents=True, exist_ok=True)
    header = ["key", "code", "name", "short", "kind", "level", "province", "parent", "valid_from", "valid_to"]
    _write(out / "units.csv.gz", header, rows)
    _write(out / "became.csv.gz", ["old", "new"], [list(b) for b in became])
    return len(rows), len(became)


def _key(name: str) -> str:
    """The source's folded key of a name: letters and digits, no accents, lower case ('Xã Mường Bú' -> 'xamuongbu')."""
    return _bare(name).replace("-", "")


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))


if __name__ == "__main__":  # python -m mtqg_cli.country DATASET.db CONVERTER.json OUT_DIR
    import sys

    made = build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    print(f"{made[0]} units, {made[1]} old-to-new rows")
