"""The annotated view (`parse --html`): the source's own spacing, its title as page title,
Vietnamese labels with a legend, the fields marked, everything escaped (issue 12)."""
import html
import re

import pytest

from cascade.models import Citation, Issuer, Record, Task
from cascade.parse import parse_file
from cascade.report import html_view
from tests.conftest import SEEDS

DOC = re.compile(r'<div class="cv cv-doc" lang="vi">(.*?)</div>', re.S)


def text_of(fragment_html: str) -> str:
    """What a browser shows as the document's text: tags dropped (labels are CSS ::before), entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment_html))


def marked(page: str, label: str) -> list[str]:
    return [text_of(m) for m in re.findall(rf'<span class="a [^"]*\b{label}\b[^"]*">(.*?)</span>', page, re.S)]


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_text_is_the_source_text_with_every_space_and_line(name):
    # The old displaCy view glued words inside spans ("Kết luậnsố132-KL/TW,ngày18/3/2025") and lost
    # every line break; the text content must now be the parsed text, character for character.
    rec = parse_file(SEEDS / name)
    page = html_view.render_html([rec])
    (body,) = DOC.findall(page)
    assert text_of(body) == rec.text
    assert "\n" in text_of(body)


def test_seed_002_title_number_date_issuer_and_citations_are_marked():
    # Expected values read from the document's header (and ../shared/gold/seeds.json: number
    # 432/UBND-VHXXH, date 2025-08-22, issuer phường Uông Bí, subject "phát huy tinh thần …").
    rec = parse_file(SEEDS / "002_99b20f177fc5dcd7.txt")
    page = html_view.render_html([rec])
    assert re.search(r"<title>432/UBND-VHXXH phát huy tinh thần sáng tạo", page)
    assert marked(page, "NUMBER") == ["432/UBND-VHXXH"]
    assert marked(page, "DATE") == ["ngày 22 tháng 8 năm 2025"]
    assert marked(page, "ISSUER") == ["ỦY BAN NHÂN DÂN\nPHƯỜNG UÔNG BÍ"]      # two header lines, kept as two
    assert any(t.startswith("phát huy tinh thần sáng tạo") for t in marked(page, "TITLE"))
    # 57-NQ/TW is cited in the opening "Thực hiện Nghị quyết số 57-NQ/TW …": an implements citation
    assert any("57-NQ/TW" in t for t in marked(page, "r-implements"))
    assert "Nhiệm vụ 1" in page and "Chú giải" in page and "Số, ký hiệu" in page


def test_english_labels_on_request():
    rec = parse_file(SEEDS / "002_99b20f177fc5dcd7.txt")
    page = html_view.render_html([rec], lang="en")
    assert 'data-t="Number"' in page and "Legend" in page and '<html lang="en">' in page


def test_everything_from_the_document_is_escaped():
    text = 'Số: 1/<b>X\nKính gửi: <script>alert("x")</script>\n1. Làm <img src=x onerror=alert(1)> ngay.'
    i = text.index("Làm")
    rec = Record(source='/tmp/<script>bad</script>".txt', format="txt", text=text, number="1/<b>X",
                 title="<script>t</script>", issuer=Issuer(name=None),
                 citations=[Citation(type="công văn", number="1/<b>X", key="1/<b>X", text="<script>",
                                     start=text.index("<script>"), end=text.index("</script>") + 9,
                                     relation='"><script>')],
                 tasks=[Task(path='1"><script>', text="Làm", start=i, end=len(text))])
    page = html_view.render_html([rec])
    assert "<script" not in page.lower() and "<img" not in page and "<b>X" not in page
    (body,) = DOC.findall(page)
    assert text_of(body) == text


def test_several_documents_one_page():
    recs = [parse_file(SEEDS / n) for n in ("000_6c98d13a1ba499c1.txt", "002_99b20f177fc5dcd7.txt")]
    page = html_view.render_html(recs)
    assert len(DOC.findall(page)) == 2 and "<title>2 văn bản</title>" in page
