"""Build the task tree from the body paragraphs.

List marks recognised: Roman sections `I.`, decimal items `1.`, `1.1.`, `2)`, plan items `(1)`,
letters `a)`, `đ)`, bullets `-`, `+`, `•`, articles `Điều 1.`. A plan item's field lines
(`Đơn vị chủ trì thực hiện: …`, `Đơn vị phối hợp: …`, `Thời gian hoàn thành: …`) are its
assignee, partners and deadline, not sub-items (cascade.parse.task_kinds.field_line). Paths follow the gold conventions:
`I`, `I.1`, `III.1.1`, `1.a`, `1.b.2`; articles are `1`, `2` with clauses `1.1`.
An unmarked paragraph after an item continues it (page breaks, second sentences), unless it
reads like the document's closing paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cascade.models import Task
from cascade.parse import lexicon
from cascade.parse.task_kinds import field_line
from cascade.text import ITEM_NUMBER_ANY, UPPER, short_memo

_ROMAN = re.compile(r"^(?P<m>(?P<v>[IVXLC]{1,6})[.)])\s*(?=\S)")
_ARTICLE = re.compile(r"^(?P<m>Điều\s+(?P<v>\d{1,3})\s*[.:]?)\s*")
_DECIMAL = re.compile(rf"^(?P<m>(?P<v>{ITEM_NUMBER_ANY}(?:\.{ITEM_NUMBER_ANY}){{0,3}})(?:[.)]|(?=\.?\s)))\.?\s*(?=\S)")
_PAREN = re.compile(r"^(?P<m>\((?P<v>\d{1,2})\))\s*(?=\S)")
_LETTER = re.compile(r"^(?P<m>(?P<v>[a-zđ])(?:\)|\.(?=\s)))(?:\s+|(?=[%s]))" % UPPER)
_BULLET = re.compile(r"^(?P<m>(?P<v>[-–—+•●▪◦*]))\s*(?=\S)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# heading-like paragraphs inside the body that are not tasks ("QUYẾT ĐỊNH:")
_NOT_TASK = re.compile(r"^(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ)\s*:?$")


def _roman_ok(v: str) -> bool:
    return re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", v) is not None


@dataclass(frozen=True)
class _Mark:
    kind: str        # roman, article, dec1, dec2…, letter, bullet-, bullet+
    value: str
    marker: str
    text_start: int  # offset of the text after the mark within the paragraph


@short_memo(1024, 2000)
def read_mark(para: str) -> _Mark | None:
    """The list mark opening a paragraph. Read three times a paragraph (build_tasks and the
    relation zones): memoised (the _Mark is frozen)."""
    m = _ARTICLE.match(para)
    if m:
        return _Mark("article", m.group("v"), m.group("m"), m.end())
    m = _ROMAN.match(para)
    if m and _roman_ok(m.group("v")):
        return _Mark("roman", m.group("v"), m.group("m"), m.end())
    m = _DECIMAL.match(para)
    if m:
        v = m.group("v")
        # "2025 …" is not an item; nor "1 ." inside running text
        if len(para) > m.end() and not para[m.end() - 1].isdigit():
            return _Mark(f"dec{v.count('.') + 1}", v, m.group("m"), m.end())
    m = _PAREN.match(para)
    if m:
        return _Mark("paren", m.group("v"), m.group("m"), m.end())
    m = _LETTER.match(para)
    if m:
        return _Mark("letter", m.group("v"), m.group("m"), m.end())
    m = _BULLET.match(para)
    if m:
        v = m.group("v")
        kind = "bullet+" if v == "+" else "bullet-"
        return _Mark(kind, v, m.group("m"), m.end())
    return None


def _is_closing(para: str) -> bool:
    stripped = para.rstrip()
    if stripped.endswith(("./.", "/.", "./")):
        return True
    if lexicon.CLOSING_OPENER_RE.match(para) and lexicon.CLOSING_WORDS_RE.search(para):
        return True
    return stripped.startswith(("Trên đây", "Nơi nhận"))


@dataclass
class _Node:
    kind: str
    path: str
    task: Task
    children: int = 0     # running count for bullets below this node


def build_tasks(body: list[tuple[str, tuple[int, int]]]) -> list[Task]:
    tasks: list[Task] = []
    stack: list[_Node] = []
    top_count = 0                 # running count of unnumbered top-level items
    open_task: Task | None = None
    seen_item = False

    quote_depth = 0
    # paragraphs that continue the open task, added to its text once it closes
    # ("text += para" per paragraph was quadratic on a long list)
    more: list[str] = []

    def close_open() -> None:
        if open_task is not None and more:
            open_task.text = " ".join([open_task.text, *more])
        more.clear()

    for para, (start, end) in body:
        # inside a quotation (a law clause quoted with its own list marks) nothing is a task
        in_quote = quote_depth > 0
        quote_depth = max(0, quote_depth + para.count("“") - para.count("”"))
        mark = None if in_quote else read_mark(para)
        if mark is not None and mark.kind.startswith("dec") and not _plausible_number(mark, stack):
            mark = None
        field = field_line(para) if open_task is not None and not in_quote else None
        if field is not None and (mark is None or mark.kind.startswith("bullet")):
            name, value = field
            setattr(open_task, name, value)
            open_task.end = end
            continue
        if mark is None or _NOT_TASK.match(para):
            if open_task is not None and not _is_closing(para) and not para.isupper():
                more.append(para)
                open_task.end = end
            elif seen_item and _is_closing(para):
                close_open()
                open_task = None
            continue
        seen_item = True
        close_open()
        # find where this mark sits: a sibling of the nearest node of the same kind, else a child
        same = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind == mark.kind), None)
        if same is not None:
            del stack[same:]
        elif mark.kind.startswith("dec") and stack:
            # deeper decimal (1.1. under 1.) is a child; a shallower one pops to its level
            depth = int(mark.kind[3:])
            while stack and stack[-1].kind.startswith("dec") and int(stack[-1].kind[3:]) >= depth:
                stack.pop()
        if mark.kind in ("roman", "article") and stack:
            stack.clear()
        parent = stack[-1] if stack else None
        path = _path(mark, parent, stack)
        if path is None:
            top_count += 1
            path = str(top_count)
        text = para[mark.text_start:].strip()
        task = Task(path=path, text=text, marker=mark.marker, start=start + mark.text_start, end=end)
        tasks.append(task)
        stack.append(_Node(mark.kind, path, task))
        open_task = task
    close_open()
    return tasks


BIG_ITEM = 100      # from here a decimal number is an item only after its predecessor


def _plausible_number(mark: _Mark, stack: list[_Node]) -> bool:
    """Item 100 and above only right after item n-1 of the same depth ("2025. Các sở …" and
    "150. triệu đồng" opening a paragraph are text); smaller numbers as before."""
    last = mark.value.rsplit(".", 1)[-1]
    if int(last) < BIG_ITEM:
        return True
    prev = next((n for n in reversed(stack) if n.kind == mark.kind), None)
    return prev is not None and prev.path.rsplit(".", 1)[-1] == str(int(last) - 1)


def _path(mark: _Mark, parent: _Node | None, stack: list[_Node]) -> str | None:
    if mark.kind in ("roman", "article"):
        return mark.value
    if mark.kind.startswith("dec"):
        # decimal sub-numbers keep their own numbers: "1.1." under "1." is "1.1";
        # prefixed by the nearest roman section or article: "III.1.1", article clause "1.1"
        anchor = next((n for n in reversed(stack) if n.kind in ("roman", "article")), None)
        if anchor is not None:
            return f"{anchor.path}.{mark.value}"
        return mark.value
    if parent is None:
        return None
    parent.children += 1
    if mark.kind in ("letter", "paren"):
        return f"{parent.path}.{mark.value}"
    return f"{parent.path}.{parent.children}"


_TRAIL = " ;,.:-–"


def assignee(text: str) -> str | None:
    """The body a task is given to, where its opening names one.

    `Giao Sở Nội vụ` → `Sở Nội vụ`; `Giao Phòng Văn hóa – Xã hội xã chủ trì …` →
    `Phòng Văn hóa – Xã hội`; `Sở Tư pháp chủ trì, phối hợp …` → `Sở Tư pháp`;
    `Đối với các sở, ban, ngành …:` → `các sở, ban, ngành …`.
    """
    m = lexicon.ASSIGNEE_OPENER_RE.match(text)
    if m:
        rest = text[m.end():]
        if m.group(0).startswith("Đối với"):
            stop = re.search(r":|;|\s(?:trong phạm vi|thực hiện|triển khai|căn cứ)\b", rest)
        else:
            if not lexicon.ASSIGNEE_BODY_RE.match(rest):
                return None
            stop = lexicon.ASSIGNEE_VERB_RE.search(rest)
        cand = rest[:stop.start()] if stop else rest
    elif lexicon.ASSIGNEE_BODY_RE.match(text) and ":" in text[:80] and \
            len(text[:text.index(":")].split()) <= 10 and not lexicon.ASSIGNEE_VERB_RE.search(text[:text.index(":")]):
        cand = text[:text.index(":")]          # "Bộ Công an: …" heading the duties below it
    elif lexicon.ASSIGNEE_BODY_RE.match(text) and not text.startswith(("các", "Các")):
        stop = re.search(r"\s(?:chủ trì|là cơ quan chủ trì|làm đầu mối|có trách nhiệm|chịu trách nhiệm)\b", text[:120])
        if not stop:
            return None
        cand = text[:stop.start()]
    else:
        return None
    cand = cand.strip(_TRAIL)
    stripped = lexicon.LOCALITY_SUFFIX_RE.sub("", cand).strip(_TRAIL)
    # "Phòng Văn hóa – Xã hội xã" → the phòng; but "Công an tỉnh", "Văn phòng UBND tỉnh"
    # are the bodies' own names
    if not lexicon.KEEP_LOCALITY_RE.search(stripped):
        cand = stripped
    if not cand or len(cand.split()) > 25:
        return None
    return cand


def deadline(text: str) -> str | None:
    """Time limits named in a task, as written: `Định kỳ hằng năm; trước ngày 30/11`."""
    found = []
    for m in lexicon.DEADLINE_RE.finditer(text):
        s = m.group(0).strip()
        if s not in found:
            found.append(s)
    return "; ".join(found) or None
