"""A batch with broken files in it: each is recorded with its reason, the rest are stored."""
import os
import shutil

from cascade.ingest import ingest
from cascade.store import Store
from tests.conftest import SEEDS


def test_symlink_loop_and_garbage_do_not_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "002_99b20f177fc5dcd7.txt", folder / "good.txt")
    os.symlink(folder / "loop_b.docx", folder / "loop_a.docx")
    os.symlink(folder / "loop_a.docx", folder / "loop_b.docx")
    (folder / "garbage.pdf").write_bytes(b"\x00\x01 not a pdf" * 40)
    db = tmp_path / "c.db"
    s = ingest([folder], db, workers=1)
    assert s.files == 4 and s.parsed == 4 and s.failed == 3
    with Store(db) as store:
        files = store.file_index()
        status = {p.rsplit("/", 1)[-1]: row.status for p, row in files.items()}
        error = {p.rsplit("/", 1)[-1]: store.record(row.doc_id).error for p, row in files.items()}
    assert status["good.txt"] == "ok"
    assert status["loop_a.docx"] == "error" and "symbolic link" in error["loop_a.docx"]
    assert status["garbage.pdf"] == "error" and "PDF" in error["garbage.pdf"]
