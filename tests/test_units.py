import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtqg_cli.text import fold, strip_accents
from mtqg_cli.units import UnitMatcher, core_name, level_of


@pytest.fixture(scope="module")
def matcher(schema):
    return UnitMatcher(schema.units)


@pytest.mark.parametrize(
    "text",
    [
        "Mộc Châu",
        "Huyện Mộc Châu",
        "H. Mộc Châu",
        "Moc Chau",
        "MỘC CHÂU",
        "huyện  mộc châu ",
        "UBND huyện Mộc Châu",
        "Mộc Châu\n",
        "123",
    ],
)
def test_name_variants_reach_the_unit(matcher, text):
    m = matcher.match(text)
    assert m.unit is not None and m.unit.code == "moc-chau"
    assert m.confidence == 100


def test_decomposed_unicode_is_the_same_name(matcher):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Sốp Cộp")
    assert matcher.match(nfd).unit.code == "sop-cop"


def test_typo_matches_with_lower_confidence(matcher):
    m = matcher.match("Mọc Chau")
    assert m.unit.code == "moc-chau" and m.confidence == 100  # accents are optional
    m = matcher.match("Thuân Chầu")
    assert m.unit.code == "thuan-chau"
    m = matcher.match("Quynh Nhia")
    assert m.unit.code == "quynh-nhai" and 80 <= m.confidence < 100


def test_unknown_name_lists_nearest(matcher):
    m = matcher.match("Sơn La")  # the city is not a unit of this form
    assert m.unit is None
    assert [u.code for u in m.candidates] == ["song-ma", "muong-la"]
    m = matcher.match("Điện Biên Phủ")
    assert (m.unit, m.candidates) == (None, [])
    m = matcher.match("Mường Lát")  # close enough to be read, never silently: confidence below 100
    assert (m.unit.code, m.confidence) == ("muong-la", 94)


def test_level_words():
    assert level_of("Xã Mai Sơn") == "commune"
    assert level_of("phường Mộc Châu") == "commune"
    assert level_of("Huyện Mai Sơn") == "district"
    assert level_of("TP Sơn La") == "district"
    assert level_of("Mai Sơn") is None
    assert level_of("UBND huyện Mai Sơn") == "district" and level_of("Ủy ban nhân dân xã Chiềng Hặc") == "commune"
    assert level_of("UBND Mai Sơn") is None and level_of("Thị trấn Ít Ong") == "commune"


_PIECES = (
    "UBND|Ủy ban nhân dân|ubnd ubnd|Huyện|Thành phố|thị xã|Quận|H.|TP|TX|Xã|phường|Thị trấn|X.|P.|TT|thi|xa|tran|"
    "huyenx|Mộc Châu|| |.|-"
).split("|")


@given(st.lists(st.sampled_from(_PIECES), max_size=5).map(" ".join) | st.text(max_size=30))
def test_level_of_takes_the_longest_prefix_after_the_committee(text):
    """level_of against its definition: after an optional 'UBND' / 'Ủy ban nhân dân', the longest kind-of-unit word
    the folded text starts with (as a whole word)."""
    import re

    from mtqg_cli.units import LEVEL_WORDS

    folded = re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", fold(text))
    words = sorted(((w, level) for level, ws in LEVEL_WORDS.items() for w in ws), key=lambda wl: -len(wl[0]))
    expected = next((level for w, level in words if folded.startswith(w + " ")), None)
    assert level_of(text) == expected


def test_core_name_strips_prefixes():
    assert core_name("UBND huyện Sông Mã") == "song ma"
    assert core_name("TP. Sơn La") == "son la"
    assert core_name("H.Mộc Châu") == "moc chau"


@given(
    st.sampled_from(
        [
            "Bắc Yên",
            "Mai Sơn",
            "Mộc Châu",
            "Mường La",
            "Phù Yên",
            "Quỳnh Nhai",
            "Sông Mã",
            "Sốp Cộp",
            "Thuận Châu",
            "Vân Hồ",
            "Yên Châu",
        ]
    ),
    st.sampled_from(["", "Huyện ", "H. ", "huyện ", "UBND huyện ", "HUYỆN "]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", " ", "  ", "\n"]),
)
def test_every_spelling_of_every_unit(schema, name, prefix, upper, bare, tail):
    text = prefix + (strip_accents(name) if bare else name)
    text = (text.upper() if upper else text) + tail
    m = UnitMatcher(schema.units).match(text)
    assert m.unit is not None
    assert fold(m.unit.name) == fold(name)
    assert m.confidence == 100


@given(
    st.sampled_from(["Bắc Yên", "Mai Sơn", "Mường La", "Phù Yên", "Quỳnh Nhai", "Sông Mã", "Thuận Châu", "Yên Châu"]),
    st.integers(min_value=0, max_value=20),
)
def test_one_dropped_letter_still_matches(schema, name, pos):
    bare = strip_accents(name)
    pos = pos % len(bare)
    if bare[pos] == " ":
        return
    typo = bare[:pos] + bare[pos + 1 :]
    m = UnitMatcher(schema.units).match(typo)
    assert m.unit is not None and fold(m.unit.name) == fold(name)


def _strip_accents_by_definition(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + " .,\u0300\u0301\u0303\u0309\u0323\u00a0ßæ-")) | st.text())
def test_strip_accents_fast_path_is_the_definition(text):
    """The one-pass table gives what NFD-and-drop-the-marks gives, for Vietnamese and for any text at all."""
    assert strip_accents(text) == _strip_accents_by_definition(text)


def _find_by_scanning(matcher: UnitMatcher, text: str):
    """The definition: every unit one of whose name keys (4+ letters) stands in the text as whole words."""
    folded = f" {fold(text)} "
    hits = {u.code: u for key, u in matcher._keys if len(key) >= 4 and f" {key} " in folded}
    return next(iter(hits.values())) if len(hits) == 1 else None


_WORDS = ["UBND", "huyện", "xã", "BÁO CÁO", "kết quả", "năm 2024", "Sơn", "La", "Mai", "Châu", "Mường", "-", ","]


@given(
    st.lists(
        st.sampled_from(_WORDS) | st.sampled_from(["Mộc Châu", "Mai Sơn", "Sơn La", "Sông Mã", "Bắc Yên"]), max_size=12
    )
)
def test_unit_named_in_a_title_is_found_as_by_scanning(schema, words):
    matcher = UnitMatcher(schema.units)
    text = " ".join(words)
    found = matcher.find_in_text(text)
    expected = _find_by_scanning(matcher, text)
    assert (found.code if found else None) == (expected.code if expected else None)
