"""Vietnamese text typed in legacy font encodings (TCVN3/ABC with .VnTime fonts, VNI with VNI-Times fonts).

Such text is stored as Windows-1252 characters that only the legacy font draws as Vietnamese: 'Méc Ch©u' is
'Mộc Châu' in TCVN3, 'Moäc Chaâu' is 'Mộc Châu' in VNI. Read as Unicode it is garbage, and no header or unit name
would match. :func:`detect` tells which encoding a body of text is in; :func:`convert` turns it into Unicode.

Legacy text never holds a Vietnamese letter outside Latin-1 (ư, ơ, ạ, đ ...): a cell that does is Unicode already
and is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# TCVN 5712:1993 (VN3, the ABC/.VnTime fonts): byte -> letter. Upper-case accented letters use the same codes in
# the upper-case fonts (.VnTimeH), so a byte maps to its lower-case letter and case is taken from context.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
TCVN3: dict[str, str] = {bytes([b]).decode("cp1252"): ch for b, ch in _TCVN3_BYTES.items()}

# VNI (VNI-Windows fonts): a base letter followed by a mark character, or one character for a few letters.
_TONES = {"": "", "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_CIRCUMFLEX_TONES = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_BREVE_TONES = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_I_TONES = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(vni: str, uni: str) -> None:
        table[vni] = unicodedata.normalize("NFC", uni)
        table[vni.upper()] = unicodedata.normalize("NFC", uni).upper()

    for base in "aeouy":
        for tone, mark in _TONES.items():
            if tone:
                add(base + mark, base + tone)
    for base in "aeo":
        for tone, mark in _CIRCUMFLEX_TONES.items():
            add(base + mark, base + "\u0302" + tone)
    for tone, mark in _BREVE_TONES.items():
        add("a" + mark, "a\u0306" + tone)
    for single, horned in (("ô", "o\u031b"), ("ö", "u\u031b")):  # ơ, ư
        add(single, horned)
        for tone, mark in _TONES.items():
            if tone:
                add(single + mark, horned + tone)
    for tone, mark in _I_TONES.items():
        add(mark, "i" + tone)
    add("î", "y\u0323")  # ỵ
    add("ñ", "đ")
    return table


VNI = _vni_table()
_VNI_LONGEST = max(len(k) for k in VNI)

# Characters of Unicode Vietnamese that no legacy text holds (outside Latin-1).
_MODERN = {ch for ch in (unicodedata.normalize("NFC", c) for c in _TCVN3_BYTES.values()) if ord(ch) > 0xFF}
# Latin-1 letters and signs that Vietnamese never uses: a strong sign of legacy text.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


def _is_modern(text: str) -> bool:
    return any(ord(ch) > 0xFF and (ch in _MODERN or 0x1EA0 <= ord(ch) <= 0x1EF9) for ch in text)


def _foreign(text: str) -> int:
    """Characters in the upper half of Latin-1 (and cp1252's extras) that are not Vietnamese letters."""
    return sum(
        1 for ch in text if (0xA0 < ord(ch) <= 0xFF or ch in "ŒœŠšŸŽžƒ†‡•…‰‹›€™") and ch not in _VIETNAMESE_LATIN1
    )


def to_unicode_tcvn3(text: str) -> str:
    """TCVN3 -> Unicode. A word whose plain letters are all capitals ('TæNG') was typed in the capitals font."""
    out = []
    for word in re.split(r"(\s+)", text):
        plain = [ch for ch in word if ch.isascii() and ch.isalpha()]
        upper = len(plain) >= 2 and all(ch.isupper() for ch in plain)
        for ch in word:
            uni = TCVN3.get(ch)
            out.append(ch if uni is None else uni.upper() if upper else uni)
    return "".join(out)


def to_unicode_vni(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        for size in range(_VNI_LONGEST, 0, -1):
            chunk = text[i : i + size]
            if len(chunk) == size and chunk in VNI:
                out.append(VNI[chunk])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


_CONVERTERS = {"TCVN3": to_unicode_tcvn3, "VNI": to_unicode_vni}


# Vowel groups of Vietnamese syllables (tone marks removed): how a wrong decoding is told from a right one.
_NUCLEI = set(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu "
    "ươ yê oai oay oao oeo uây uôi uya uyê uyu ươi ươu yêu iêu uyên".split()
)
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aăâeêioôơuưy")


def _valid_words(text: str) -> tuple[int, int]:
    """(words whose vowel groups are Vietnamese and carry at most one tone, words with a vowel)."""
    good = total = 0
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        decomposed = unicodedata.normalize("NFD", word)
        tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
        bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
        groups = re.findall("[" + "".join(_VOWELS) + "]+", bare.replace("qu", "q").replace("gi", "g"))
        if not groups:
            continue
        total += 1
        if (
            tones <= 1
            and len(groups) == 1
            and (groups[0] in _NUCLEI)
            and all(ch.isascii() or ch in _VOWELS or ch == "đ" for ch in bare)
        ):
            good += 1
    return good, total


_FOREIGN_CHARS = (
    "".join(ch for ch in (chr(c) for c in range(0xA1, 0x100)) if ch not in _VIETNAMESE_LATIN1) + "ŒœŠšŸŽžƒ†‡•…‰‹›€™"
)
_ANY_FOREIGN = re.compile("[" + re.escape(_FOREIGN_CHARS) + "]")


def detect(texts: Iterable[str]) -> str | None:
    """'TCVN3', 'VNI' or None, for a body of text (a workbook's text cells)."""
    texts = list(texts)
    if not _ANY_FOREIGN.search("\n".join(texts)):  # the common case, checked at C speed
        return None
    legacy = [t for t in texts if t and not _is_modern(t) and _foreign(t)]
    if not legacy:
        return None
    before = sum(_foreign(t) for t in legacy)
    good_before = sum(_valid_words(t)[0] for t in legacy)
    scores = []
    for name, conv in _CONVERTERS.items():
        converted = [conv(t) for t in legacy]
        after = sum(_foreign(c) for c in converted)
        if after * 10 > before or not any(_is_modern(c) for c in converted):
            continue  # a real conversion leaves almost nothing foreign and yields Vietnamese letters
        good = sum(_valid_words(c)[0] for c in converted)
        if good > good_before:  # the decoded text must read as more Vietnamese than the raw text
            scores.append((good, -after, name))
    return max(scores)[2] if scores else None


def convert(text: str, encoding: str) -> str:
    """Unicode form of one cell's text (left as is when it is already Unicode)."""
    if not text or _is_modern(text):
        return text
    return unicodedata.normalize("NFC", _CONVERTERS[encoding](text))


def needs_conversion(text: str, workbook_has_unicode: bool) -> bool:
    """In a legacy workbook: convert every cell without modern letters, except that in a workbook mixing Unicode
    and legacy cells only cells with tell-tale legacy characters are touched ('Yên Châu' stays as typed)."""
    if not text or _is_modern(text):
        return False
    return bool(_foreign(text)) or not workbook_has_unicode


def is_modern(text: str) -> bool:
    return _is_modern(text)


def encode_tcvn3(text: str) -> str:
    """Unicode -> how TCVN3 text reads as Unicode (for tests and samples of old files)."""
    reverse = {v: k for k, v in TCVN3.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in reverse:
            out.append(reverse[ch])
        elif ch.lower() in reverse and ch != ch.lower():
            out.append(reverse[ch.lower()])  # the upper-case font draws the same code in capitals
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode -> how VNI text reads as Unicode (for tests and samples of old files)."""
    reverse: dict[str, str] = {}
    for k, v in VNI.items():
        if v not in reverse or len(k) < len(reverse[v]):
            reverse[v] = k
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
