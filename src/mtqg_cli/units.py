"""Reporting units: matching the names people type to the schema's units.

'Huyện Mộc Châu', 'H. Mộc Châu', 'Moc Chau', 'MỘC CHÂU', 'UBND huyện Mộc Châu' all reach the unit ``moc-chau``;
a typo within a small distance is accepted with a confidence below 100; an unknown name gets the nearest
candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .schema import Unit
from .text import fold

# Administrative prefixes, folded, longest first. A name is compared without them.
_PREFIXES = [
    "uy ban nhan dan",
    "hoi lien hiep phu nu",
    "hoi lhpn",
    "ubnd",
    "thanh pho",
    "thi xa",
    "thi tran",
    "dac khu",
    "huyen",
    "phuong",
    "quan",
    "tinh",
    "xa",
    "tp",
    "tx",
    "tt",
    "h",
    "x",
    "p",
]
_PREFIX_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(p) for p in _PREFIXES) + r")\s+)+")

# Kinds of unit by level, folded, as they appear before a name.
LEVEL_WORDS = {
    "district": ["huyen", "thanh pho", "thi xa", "quan", "h", "tp", "tx"],
    "commune": ["xa", "phuong", "thi tran", "dac khu", "x", "p", "tt"],
}


def core_name(text: object) -> str:
    """Folded name without administrative prefixes: 'H. Mộc Châu' -> 'moc chau'."""
    folded = fold(text)
    stripped = _PREFIX_RE.sub("", folded)
    return stripped or folded


_WORDS = re.compile(r"[^\W_]+")


def core_name_accented(text: object) -> str:
    """:func:`core_name` keeping the accents ('X. Sơn Hạ' -> 'sơn hạ'): the same prefixes dropped, for names that
    differ only by their accents."""
    import unicodedata

    folded = fold(text)
    prefix = _PREFIX_RE.match(folded)
    words = _WORDS.findall(unicodedata.normalize("NFC", str(text)).lower())
    n = len(prefix.group(0).split()) if prefix else 0
    return " ".join(words[n:] if n < len(words) else words)


def name_keys(unit: Unit) -> list[str]:
    """The keys a unit is matched by: its name, aliases and code, folded and without prefixes."""
    keys = (core_name(name) for name in [unit.name, *unit.aliases, unit.code.replace("-", " ")])
    return [k for k in keys if k]


def level_of(text: object) -> str | None:
    """'district' / 'commune' when the text names the kind of unit ('xã Mai Sơn'), else None."""
    m = _LEVEL_AT_START.match(fold(text))
    return None if m is None else _LEVEL_OF_WORD[m.group(1)]


_LEVEL_PREFIXES = sorted(
    ((w + " ", level) for level, words in LEVEL_WORDS.items() for w in words), key=lambda wl: len(wl[0]), reverse=True
)
_LEVEL_OF_WORD = dict(_LEVEL_PREFIXES)
# after an optional 'UBND', the first of the prefixes (longest first) the text starts with: one match, not a loop
_LEVEL_AT_START = re.compile(
    r"(?:(?:ubnd|uy ban nhan dan)\s+)?(" + "|".join(re.escape(w) for w, _ in _LEVEL_PREFIXES) + ")"
)


# Kinds of agency (phòng, ban, hội, …) as written before their names, with their accents (lower case): 'Ban Dân
# tộc' is an agency, 'Bản Lầm' a village name; longest first.
AGENCY_KINDS = sorted(
    [
        "phòng",
        "ban",
        "hội",
        "sở",
        "trung tâm",
        "văn phòng",
        "đoàn",
        "liên đoàn",
        "công an",
        "chi cục",
        "kho bạc",
        "ủy ban mặt trận",
        "ủy ban mttq",
        "mặt trận",
        "bộ chỉ huy",
        "ban chỉ huy",
        "hạt",
        "đài",
        "chi nhánh",
        "ngân hàng",
        "bảo hiểm xã hội",
        "cục",
        "viện",
        "bệnh viện",
        "trường",
    ],
    key=len,
    reverse=True,
)


def agency_kind(text: object) -> str | None:
    """The kind of agency a name starts with ('Phòng Tài chính - Kế hoạch' -> 'phòng'), else None."""
    import unicodedata

    words = unicodedata.normalize("NFC", str(text or "")).strip().lower()
    words = words.replace("uỷ", "ủy")
    return next((k for k in AGENCY_KINDS if words == k or words.startswith(k + " ")), None)


def unit_title(unit: Unit, level: str = "") -> tuple[str, str]:
    """How a unit is named on its own return: (the heading of the issuing body, the unit's full name).
    A commune: ('UBND XÃ MƯỜNG BÚ', 'Xã Mường Bú'); an agency: ('PHÒNG TÀI CHÍNH - KẾ HOẠCH', 'Phòng Tài chính -
    Kế hoạch'); a name that already starts with its kind is not given it twice."""
    name = unit.name.strip()
    kind = (unit.kind or "").strip()
    is_agency = (unit.level or level) == "agency" or agency_kind(name) is not None or agency_kind(kind) is not None
    if not kind:
        kind = {"commune": "xã", "district": "huyện", "province": "tỉnh"}.get(unit.level or level, "")
    starts_with_kind = bool(kind) and fold(name).startswith(fold(kind) + " ")
    full = name if starts_with_kind or not kind else f"{kind[:1].upper()}{kind[1:]} {name}"
    if is_agency:
        return full.upper(), full
    return f"UBND {full.upper()}", full


@dataclass(frozen=True)
class Match:
    unit: Unit | None
    confidence: int  # 0-100
    candidates: list[Unit] = field(default_factory=list)
    ambiguous: bool = False


class UnitMatcher:
    """Matches free text to a schema's units."""

    def __init__(self, units: list[Unit], threshold: float = 0.84, keys: list[tuple[str, int]] | None = None) -> None:
        """``keys``: the units' name keys already worked out (:attr:`Schema.unit_keys`), else folded here."""
        self.units = units
        self.threshold = threshold
        if keys is None:
            keys = [(key, k) for k, u in enumerate(units) for key in name_keys(u)]
        self._keys: list[tuple[str, Unit]] = [(key, units[k]) for key, k in keys]
        self._exact: dict[str, list[Unit]] = {}
        for key, u in self._keys:
            bucket = self._exact.setdefault(key, [])
            if u not in bucket:
                bucket.append(u)
        self._gso = {u.gso: u for u in units if u.gso}
        self._longest: int | None = None  # words in the longest name key, worked out on first use

    def exact(self, text: object) -> Unit | None:
        """The unit ``text`` names exactly (after folding case, accents and prefixes, or by GSO code), else None:
        no fuzzy search."""
        raw = str(text).strip() if text is not None else ""
        if raw in self._gso:
            return self._gso[raw]
        found = self._exact.get(core_name(raw)) if raw else None
        return found[0] if found and len(found) == 1 else None

    def match(self, text: object) -> Match:
        raw = str(text).strip() if text is not None else ""
        if not raw:
            return Match(None, 0)
        if raw in self._gso:
            return Match(self._gso[raw], 100)
        key = core_name(raw)
        exact = self._exact.get(key)
        if exact and len(exact) == 1:
            return Match(exact[0], 100)
        if exact:
            return Match(None, 0, candidates=exact, ambiguous=True)
        scored: dict[str, tuple[float, Unit]] = {}
        for k, u in self._keys:
            score = SequenceMatcher(None, key, k).ratio()
            if score > scored.get(u.code, (0.0, u))[0]:
                scored[u.code] = (score, u)
        ranked = sorted(scored.values(), key=lambda su: su[0], reverse=True)
        if not ranked:
            return Match(None, 0)
        best_score, best = ranked[0]
        nearest = [u for s, u in ranked[:3] if s >= 0.5]
        if best_score >= self.threshold:
            if len(ranked) > 1 and ranked[1][0] >= best_score - 0.02:
                return Match(None, 0, candidates=[u for _, u in ranked[:2]], ambiguous=True)
            return Match(best, round(best_score * 100), candidates=nearest)
        return Match(None, round(best_score * 100), candidates=nearest)

    def find_in_text(self, text: object) -> Unit | None:
        """A unit named anywhere in a longer text ('UBND HUYỆN MỘC CHÂU', 'BÁO CÁO ... huyện Sông Mã'): the only
        unit one of whose names (4 letters or more) stands in it as whole words."""
        words = fold(text).split()
        if self._longest is None:
            self._longest = max((len(key.split()) for key in self._exact), default=0)
        hits: dict[str, Unit] = {}
        for size in range(1, min(self._longest, len(words)) + 1):  # every run of words, looked up: no scan of units
            for start in range(len(words) - size + 1):
                key = " ".join(words[start : start + size])
                if len(key) >= 4:
                    for u in self._exact.get(key, ()):
                        hits.setdefault(u.code, u)
                        if len(hits) > 1:
                            return None
        return next(iter(hits.values())) if hits else None


def units_named(units: list[Unit], names: list[str]) -> list[Unit]:
    """The units called ``names`` (each matched as the unit matcher reads a name, and only when certain), in that
    order; a name that is not certainly one of ``units`` stops with the names it could be (MtqgError)."""
    from .errors import MtqgError

    matcher = UnitMatcher(units)
    found = []
    for name in names:
        match = matcher.match(name)
        if match.unit is None or match.confidence < 100:
            raise MtqgError("unit-not-in-form", name=name, names=", ".join(u.name for u in units))
        found.append(match.unit)
    return found
