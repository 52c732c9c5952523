"""Header blocks typed as one line per row ("ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI …").

Many .doc/.docx files lay out the two header columns with tabs and runs of spaces
instead of a table. `split_header_columns` rewrites such a block as the left column
(issuer, Số, V/v …) followed by the right column (motto, place-date), like the
table and PDF loaders do.
"""
from __future__ import annotations

import re

# what starts the right-hand column of a header row (data, not code)
RIGHT_STARTS = r"(?:CỘNG HÒA|CỘNG HOÀ|Cộng hòa|Cộng hoà|Độc lập|ĐỘC LẬP|[^\t\s][^\t]{0,30}, ngày\b)"
_SPLIT = re.compile(r"^(?P<left>\S.*?\S|\S)(?:\t+\s*| {3,})(?P<right>" + RIGHT_STARTS + r".*)$")
_RIGHT_ONLY = re.compile(r"^" + RIGHT_STARTS)
_SUBJECT = re.compile(r"^V/v\b")
BODY_OPENERS = ("Kính gửi", "KÍNH GỬI", "Căn cứ", "Thực hiện")
SCAN_LINES = 8           # the block must start within the first lines
MAX_SUBJECT_LINES = 6    # "V/v …" continuation lines kept in the left column


def split_header_columns(text: str) -> str:
    lines = text.split("\n")
    content = [i for i, ln in enumerate(lines) if ln.strip()][:SCAN_LINES]
    split_at = [i for i in content if _SPLIT.match(lines[i].strip())]
    if not split_at or split_at[0] not in content[:4]:
        return text
    first, last = content[0], split_at[-1]
    left: list[str] = []
    right: list[str] = []
    for i in range(first, last + 1):
        line = lines[i].strip()
        if not line:
            continue
        m = _SPLIT.match(line)
        if m:
            left.append(m.group("left").strip())
            right.append(m.group("right").strip())
        elif _RIGHT_ONLY.match(line):
            right.append(line)
        else:
            left.append(line)
    j = last + 1
    # a place-date line of its own right under the block belongs to the right column
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and _RIGHT_ONLY.match(lines[j].strip()):
        right.append(lines[j].strip())
        j += 1
    # "V/v …" and its continuation lines belong to the left column
    k = j
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k < len(lines) and _SUBJECT.match(lines[k].strip()):
        n = 0
        while (k < len(lines) and lines[k].strip() and n < MAX_SUBJECT_LINES
               and not lines[k].strip().startswith(BODY_OPENERS)
               and len(lines[k]) - len(lines[k].lstrip()) < 10):
            left.append(lines[k].strip())
            k += 1
            n += 1
        j = k
    return "\n".join(lines[:first] + left + right + lines[j:])
