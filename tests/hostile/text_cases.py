"""Adversarial texts for the parse grammars: each builder returns a string of about n characters.

Two shapes: a short unit repeated (every position of the text looks the same to a pattern), and a
trigger followed by one long run (a pattern that starts at the trigger and backtracks over the
run). Units are the characters and words the grammars key on: letters, digits, `_`, `/`, spaces,
`số`, `Căn cứ`, list numbers, type words, dates, toned words. Built in the test, never stored.
"""
from __future__ import annotations


def _rep(unit: str):
    return lambda n: unit * max(1, n // len(unit))


def _run(head: str, unit: str, tail: str = ""):
    return lambda n: head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


REPEATED = [
    "a", "A", "Ạ", "1", "_", "/", " ", "\n", "số ", "Số ", "Số: ", "Căn cứ ", "Căn cứ Luật A;\n", "1.", "1.1.",
    "1.1.1.1", "Điều 1 ", "khoản 1, ", "điểm a, ", "ngày ", "của ", "Nghị định ", "Nghị định 1", "1/", "1-",
    "A/", "A-", "AB-", "1/A", "1/2025/", "1/QĐ-UBND ", "a)", "I.", "<sup>", "*", "-", "- a\n", "(", "((A", "“",
    "hoá ", "KẾ HOẠCH ", "Ủy ban ", "Sở ", "của Sở ", "và ", "Luật ", "Luật A", "tháng 1 năm ", "ngày 1/",
    "1 /", "TM. ", "TM. A\n", "A\n", "A.", "Mẫu ", "|", "  \n", "\t", "Giao Sở ", "Kính gửi: ", "Thực hiện ",
    "V/v ", "trước ngày ", "1. a\n", "I. A\n", "Điều 1. A\n", "KT. A\n", "Nơi nhận:\n", "A   ", "\u202e1",
    "\u2028", "Quyết định số 1/QĐ-UBND ngày 1/1/2025 của UBND tỉnh về ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ",
    "Độc lập - Tự do - Hạnh phúc ", "Q U Y Ế T ", "ngày tháng năm ",
]

RUNS = {
    "toned word then letters": _run("KẾ HOẠCH ", "a"),
    "toned word then digits": _run("hoá", "1"),
    "toned word then underscores": _run("hoá", "_"),
    "number then spaces": _run("Quyết định số 1/QĐ-UBND", " ", "x"),
    "number then newlines": _run("Công văn số 1/UBND-VP", "\n", "x"),
    "type word then spaces": _run("theo Nghị định", " ", "x"),
    "date word then spaces": _run("Số 1/UBND ngày", " ", "x"),
    "month then spaces": _run("Số 1/UBND ngày 1 tháng 2", " ", "x"),
    "issuer then capitals": _run("Số 1/UBND của ", "A"),
    "issuer then words": _run("Số 1/UBND của ", "Sở "),
    "symbol groups": _run("Số 1/A", "-A"),
    "symbol dots": _run("Số 1/A", ".A"),
    "pinpoints": _run("tại ", "khoản 1, ", "Điều 2 Luật A"),
    "header date line": _run("Hà Nội, ngày 1 tháng 2 năm 2025", " ", "x"),
    "place then spaces": _run("A", " ", ", ngày 1 tháng 2 năm 2025"),
    "signer capitals": _run("1. A.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn ", "A", "!"),
    "assignee then spaces": _run("1. Giao Sở", " ", "xã"),
    "unclosed sup": _run("", "<sup>a"),
    "recipients lines": _run("Kính gửi:\n", "a\n"),
    "distribution lines": _run("1. A.\nNơi nhận:\n- A;\n", "B\n"),
    "continued task": _run("1. Giao Sở Nội vụ\n", "a\n"),
    "side-by-side header": _run("ỦY BAN NHÂN DÂN", "   A", "   Độc lập - Tự do - Hạnh phúc"),
    "law title words": _run("Luật ", "A "),
    "quote marks": _run("“", "a"),
    "two citations apart": _run("Kế hoạch số 1/KH-UBND", " ", "Kế hoạch số 2/KH-UBND của Bộ Công an"),
    "named law then number": _run("Luật Đất đai", " ", "số 31/2024/QH15"),
    "bidi before numbers": _rep("Số: \u202e15/QĐ-UBND \u2066"),
}


def numbered_list(n_items: int, start: int = 1) -> str:
    """A body of items `1.` … `n_items.` with a line of text each."""
    return "QUYẾT ĐỊNH\n" + "\n".join(f"{i}. Giao Sở Nội vụ việc {i}." for i in range(start, start + n_items))
