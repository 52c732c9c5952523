"""The same seed laid out as .docx (header table, Word automatic numbering) and as a
text-layer .pdf (two-column header) parses to the same record as its .txt."""
import pytest

from cascade.parse import parse_file
from tests.conftest import SEEDS
from tests.fixtures_gen import make_docx, make_pdf

SEEDS_WITH_HEADER = ["002_99b20f177fc5dcd7.txt", "003_232fe3f8f8ad3045.txt", "004_8bd8b29eb5fe5b82.txt"]


def essentials(rec) -> dict:
    return {
        "doc_type": rec.doc_type, "number": rec.number, "symbol": rec.symbol, "date": rec.date,
        "place": rec.place, "level": rec.issuer.level, "unit": rec.issuer.unit,
        "locality": rec.issuer.locality, "subject": rec.subject, "recipients": rec.recipients,
        "signer": (rec.signer.name, tuple(rec.signer.authority)),
        "citations": [(c.number, c.type, c.date, c.relation) for c in rec.citations],
        "task_paths": [t.path for t in rec.tasks],
        "task_starts": [t.text[:60] for t in rec.tasks],
    }


@pytest.mark.parametrize("name", SEEDS_WITH_HEADER)
def test_docx_parses_like_txt(name, tmp_path):
    txt = parse_file(SEEDS / name)
    docx = parse_file(make_docx(SEEDS / name, tmp_path / (name + ".docx")))
    assert docx.status == "ok" and docx.format == "docx"
    assert essentials(docx) == essentials(txt)


@pytest.mark.parametrize("name", SEEDS_WITH_HEADER)
def test_pdf_parses_like_txt(name, tmp_path):
    txt = parse_file(SEEDS / name)
    pdf = parse_file(make_pdf(SEEDS / name, tmp_path / (name + ".pdf")))
    assert pdf.status == "ok" and pdf.format == "pdf"
    assert essentials(pdf) == essentials(txt)
