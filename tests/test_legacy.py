"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI): detection and conversion.

Legacy samples are generated from the seed texts with the inverse mapping, as .txt and
as .docx (python-docx, runs in `.VnTime` / `VNI-Times`), and must come back to the
seed text and parse to the same record. Real .docx that name legacy fonts over Unicode
text must be left alone.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from cascade.parse import legacy
from cascade.parse.legacy import detect, fix, from_unicode, to_unicode
from cascade.text import clean

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"


# --- known mojibake, typed by hand from how these fonts show in Unicode editors ------
@pytest.mark.parametrize("legacy_text, encoding, expected", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
    ("Uû ban nh©n d©n tØnh L©m §ång", "tcvn3", "Uỷ ban nhân dân tỉnh Lâm Đồng"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni", "Độc lập - Tự do - Hạnh phúc"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Thöïc hieän Nghò quyeát soá 57-NQ/TW", "vni", "Thực hiện Nghị quyết số 57-NQ/TW"),
])
def test_known_strings(legacy_text, encoding, expected):
    assert detect(legacy_text) == encoding
    assert to_unicode(legacy_text, encoding) == expected
    assert fix(legacy_text)[0] == expected


def test_tcvn3_heading_capitals_restored():
    # .VnTime has no capital toned letters: headings come as capitals + lower-case codes
    text, enc = fix("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\nSè: 15/Q§-UBND\nHµ Néi, ngµy 12 th¸ng 3")
    assert enc == "tcvn3"
    assert text.split("\n") == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 15/QĐ-UBND",
                                "Hà Nội, ngày 12 tháng 3"]


def test_upper_case_font_hint():
    # a .VnTimeH run typed in lower-case codes shows as capitals
    assert fix("quyÕt ®Þnh", font_hint=".VnTimeH") == ("QUYẾT ĐỊNH", "tcvn3")


def test_unicode_left_alone_even_with_legacy_font_hint():
    text = "Ủy ban nhân dân tỉnh Lâm Đồng giao Sở Nội vụ chủ trì, phối hợp với các sở, ngành."
    for hint in (".VnTime", ".VnTimeH", "VNI-Times", None):
        assert fix(text, font_hint=hint) == (text, "unicode")


def test_short_or_foreign_text_is_unicode():
    for text in ("", "Số: 15/QĐ-UBND", "Café, naïve, Señor Muñoz — résumé", "µ ± ° §", "2025 ©"):
        assert detect(text) == "unicode"


def test_unknown_encoding_rejected():
    with pytest.raises(ValueError):
        to_unicode("abc", "viqr")


def test_every_vietnamese_letter_round_trips():
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    for enc in ("tcvn3", "vni"):
        assert to_unicode(from_unicode(letters, enc), enc) == letters
    upper = letters.upper()
    assert to_unicode(from_unicode(upper, "vni"), "vni") == upper


# --- the seeds, converted both ways ----------------------------------------------
@pytest.fixture(params=SEEDS, ids=lambda p: p.name[:3])
def seed(request):
    return request.param.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_seed_txt_round_trip(seed, encoding):
    legacy_text = from_unicode(seed, encoding)
    assert legacy_text != seed
    back, enc = fix(legacy_text)
    assert enc == encoding
    if encoding == "vni":
        assert back == unicodedata.normalize("NFC", seed)
    else:   # TCVN3 "Uỷ" for "Ủy": equal once tone placement is normalised
        assert clean(back) == clean(seed)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_seed_parses_to_same_record(seed, encoding):
    from cascade.parse import parse_text
    back, _ = fix(from_unicode(seed, encoding))
    want = parse_text(seed).to_dict()
    got = parse_text(back).to_dict()
    assert got == want


def _write_docx(path: Path, text: str, font: str) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for line in text.split("\n"):
        run = doc.add_paragraph().add_run(line)
        run.font.name = font
    doc.save(str(path))


@pytest.mark.parametrize("encoding, font", [("tcvn3", ".VnTime"), ("vni", "VNI-Times")])
def test_seed_docx_round_trip(seed, encoding, font, tmp_path):
    from cascade.parse.load import load
    path = tmp_path / f"seed_{encoding}.docx"
    _write_docx(path, from_unicode(seed, encoding), font)
    loaded = load(path)
    assert loaded.status == "ok", loaded.error
    back, enc = fix(loaded.text, font_hint=font)
    assert enc == encoding
    want = [ln.strip() for ln in clean(seed).split("\n") if ln.strip()]
    got = [ln.strip() for ln in clean(back).split("\n") if ln.strip()]
    assert got == want


# --- real documents ------------------------------------------------------------------
# .docx files in realdocs that name legacy fonts but hold Unicode text (found by scanning
# every document's font table: 52 such .docx, none really legacy-encoded).
LEGACY_NAMED_UNICODE = [
    "Tờ trình 509 ban hành Quyết định phê duyệt Điều lệ Hội Golf tỉnh Lâm Đồng/Dieu le hoi golf lam dong.docx",
    "Tờ trình 534 cho phép đổi tên Hiệp hội Điện gió và mặt trời/Dieu le hiep hoi dien gio va mat troi.docx",
    "CV CHUNG/Gửi góp ý Thông tư Bộ TC/CV xin ý kiến ngoài Bộ.docx",
]


@pytest.mark.realdocs
@pytest.mark.parametrize("rel", LEGACY_NAMED_UNICODE)
def test_real_docx_with_legacy_font_names_left_alone(rel):
    import re
    import zipfile
    from cascade.parse.load import load
    path = REALDOCS / rel
    if not path.exists():
        pytest.skip(f"realdocs not available: {path}")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8", "replace")
    fonts = {f for f in re.findall(r'w:(?:ascii|hAnsi)="([^"]+)"', xml) if f.startswith((".Vn", "VNI"))}
    assert fonts, "the document names a legacy font"
    text = load(path).text
    for font in fonts:
        assert fix(text, font_hint=font) == (text, "unicode")


@pytest.mark.realdocs
def test_glyph_soup_pdf_is_not_mistaken_for_legacy():
    # a scanned PDF whose text layer uses a private glyph encoding: no conversion helps it
    from cascade.parse.load import load
    path = REALDOCS / "CV 298 PC04" / "298 PC04.pdf"
    if not path.exists():
        pytest.skip(f"realdocs not available: {path}")
    assert detect(load(path).text) == "unicode"


def test_tables_cover_all_letters():
    t = legacy._tables()
    assert len(t["tcvn3"]) == 74        # 67 lower-case letters + Ă Â Đ Ê Ô Ơ Ư
    assert set(t["tcvn3"].values()) >= set("ăâđêôơưĂÂĐÊÔƠƯ")
    assert len(t["vni"]) == 134


@pytest.mark.parametrize("encoding, font", [("tcvn3", ".VnTime"), ("vni", "VNI-Times")])
def test_docx_loader_fonts_as_hint(seed, encoding, font, tmp_path):
    from cascade.parse.load import load
    path = tmp_path / "legacy.docx"
    _write_docx(path, from_unicode(seed, encoding), font)
    loaded = load(path)
    assert loaded.extras["fonts"][0] == font
    back, enc = fix(loaded.text, font_hint=loaded.extras["fonts"])
    assert enc == encoding


@pytest.mark.realdocs
@pytest.mark.parametrize("rel", LEGACY_NAMED_UNICODE)
def test_real_docx_fonts_hint_leaves_unicode_alone(rel):
    from cascade.parse.load import load
    path = REALDOCS / rel
    if not path.exists():
        pytest.skip(f"realdocs not available: {path}")
    loaded = load(path)
    assert fix(loaded.text, font_hint=loaded.extras.get("fonts")) == (loaded.text, "unicode")


# --- properties --------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_VOCAB = sorted({w for text in (p.read_text(encoding="utf-8") for p in SEEDS)
                 for w in unicodedata.normalize("NFC", text).split()
                 if w.isalpha() and not w.isupper()})
def _typical(text: str) -> bool:
    """Text like real Vietnamese prose: >= 12 words, >= 60 % of them with a diacritic (the
    PDFs and documents of realdocs have 80-90 %). Shorter or plainer samples may lack the
    evidence, and are then left alone, which the tests also check."""
    q = legacy.quality.assess(text)
    return q.words >= 12 and q.diacritic_share >= 0.6


sentences = st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=80).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(sentences)
def test_vietnamese_unicode_is_never_converted(text):
    assert fix(text) == (text, "unicode")


@pytest.mark.xfail(strict=True, reason="known limit: one marked VNI word among many unmarked ones "
                   "is too little evidence, so the text is left unconverted")
def test_vni_single_marked_word_among_plain_ones():
    text = "Ban Ban Ban Ban Bí Bí Bí Bí Bí Bí Bí Bảo"      # found by hypothesis
    assert fix(from_unicode(text, "vni"))[0] == text


# derandomized so that CI is reproducible; the limit above is pinned by its own test
@settings(max_examples=200, deadline=None, derandomize=True)
@given(sentences)
def test_vni_round_trip_property(text):
    legacy_text = from_unicode(text, "vni")
    back, enc = fix(legacy_text)
    if enc == "vni":
        assert back == text
    else:   # nothing to convert, or too little evidence (short, few marked words): left as it is
        assert back == legacy_text
        assert legacy_text == text or not _typical(text)


@pytest.mark.xfail(strict=True, reason="known limit: in TCVN3 'í' is the byte cp1258 reads as 'Ý', so "
                   "a text whose only marked words are 'Bí' reads as plausible Unicode and is left alone")
def test_tcvn3_single_marked_syllable_among_plain_ones():
    text = "Ban Ban Ban Ban Bí Bí Bí Bí Bí Bí Bí Bí"      # found by hypothesis (not derandomized then)
    assert fix(from_unicode(text, "tcvn3"))[0] == text


# derandomized like the VNI property, so that a run is reproducible; the limit above is pinned
@settings(max_examples=200, deadline=None, derandomize=True)
@given(sentences)
def test_tcvn3_round_trip_property(text):
    legacy_text = from_unicode(text, "tcvn3")
    back, enc = fix(legacy_text)
    if enc == "tcvn3":
        assert clean(back).lower() == clean(text).lower()
    else:
        assert back == legacy_text
        assert legacy_text == text or not _typical(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_fix_never_raises(text):
    out, enc = fix(text)
    assert enc in ("unicode", "tcvn3", "vni")
    assert enc != "unicode" or out == text
