"""Text folding used to compare what people type with what a schema expects."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# characters a spreadsheet cannot store in a cell or a sheet name (XML 1.0 forbids them): control characters but
# tab, line feed and carriage return
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    """``text`` without the control characters a spreadsheet cannot store."""
    return CONTROL.sub("", text)


_NON_WORD = re.compile(r"[^0-9a-z&]+")


def strip_accents(text: str) -> str:
    """'Mộc Châu' -> 'Moc Chau' (đ/Đ become d/D, which NFD does not decompose)."""
    bare = text.translate(_base_letters())  # every precomposed Latin letter in one pass: Vietnamese text ends here
    if bare.isascii():
        return bare
    decomposed = unicodedata.normalize("NFD", bare)  # anything else: marks typed apart, other scripts
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _base_letters() -> dict[int, str]:
    """Precomposed Latin letters (Latin-1, Extended-A/B, Extended Additional: all of Vietnamese) -> base letter."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if bare != ch:
            table[cp] = bare
    return table


def fold(text: object) -> str:
    """Case-, accent-, spacing- and punctuation-insensitive form of a cell's text.

    'Huyện,  thành phố\\n' and 'HUYEN THANH PHO' both fold to 'huyen thanh pho'. '&' is kept (GS&ĐG).
    """
    if text is None:
        return ""
    return _fold(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    # the same headings and names come back in every workbook of a batch: fold each once
    s = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    s = strip_accents(s).lower()
    s = s.replace(" & ", "&").replace("& ", "&").replace(" &", "&")
    return _NON_WORD.sub(" ", s).strip()


def contains_phrase(haystack: str, phrase: str) -> bool:
    """Whole-word containment of a folded phrase in folded text."""
    if not phrase:
        return False
    return f" {phrase} " in f" {haystack} "
