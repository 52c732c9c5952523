"""The fixed phrases of the document layout, loaded once from cascade/data/phrases.json
and compiled into the patterns the segmenter and extractors share."""
from __future__ import annotations

import json
import re
from importlib import resources

from cascade.text import UPPER

_DATA = json.loads(resources.files("cascade.data").joinpath("phrases.json").read_text(encoding="utf-8"))


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def phrases(name: str) -> list[str]:
    return list(_DATA[name])


MOTTO = frozenset(_DATA["motto"])
MOTTO_RE = re.compile(r"^(?:%s)\W*$" % _alt(_DATA["motto"]))
# "Độc lập - Tự do - Hạnh phúc" with any dash/spacing
MOTTO_LOOSE_RE = re.compile(r"^(?:Độc lập\s*[-–—]+\s*Tự do\s*[-–—]+\s*Hạnh phúc|CỘNG H[OÒ]À? ?X[AÃ]\s*H[OỘ]I\s*CH[UỦ]\s*NGH[IĨ]A\s*VI[EỆ]T\s*NAM|ĐẢNG CỘNG SẢN VIỆT NAM)\W*$")

IMPLEMENT_OPENER_RE = re.compile(r"^(?:%s)\b" % _alt(_DATA["implement_openers"]))
CONSOLIDATION_RE = re.compile(_alt(_DATA["consolidation_marks"]))
TYPES_OVER_HEADING = frozenset(_DATA["types_over_heading"])
CLOSING_OPENER_RE = re.compile(r"^(?:%s)" % _alt(_DATA["closing_openers"]))
CLOSING_WORDS_RE = re.compile(_alt(_DATA["closing_words"]))

AUTHORITY_RE = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)[.\s]\s*[%s]" % UPPER)
SIGNER_TITLES = frozenset(_DATA["signer_titles"])
RANK_RE = re.compile(r"^(?:%s)\s+" % _alt(_DATA["ranks"]))
TITLE_WORD_RE = re.compile(r"\b(?:%s)\b" % _alt(_DATA["title_words"]))
KEEP_LOCALITY_RE = re.compile(r"(?:%s)$" % _alt(_DATA["bodies_named_with_unit"]))

ASSIGNEE_OPENER_RE = re.compile(r"^(?:%s)\s+" % _alt(_DATA["assignee_openers"]))
ASSIGNEE_BODY_RE = re.compile(r"^(?:%s)\b" % _alt(_DATA["assignee_bodies"]))
ASSIGNEE_VERB_RE = re.compile(r"\s(?:%s)\b|[,:;.(]" % _alt(_DATA["assignee_verbs"]))
# (?<!\s): tried from the first space of a run only (searching "\s+…$" from every space of a
# long run was quadratic)
LOCALITY_SUFFIX_RE = re.compile(r"(?<!\s)\s+(?:%s)$" % _alt(_DATA["locality_suffixes"]))

def _close(p: str, i: int) -> int:
    """Index of the parenthesis closing the group opened at p[i]."""
    depth = 0
    k = i
    while k < len(p):
        if p[k] == "\\":
            k += 2
            continue
        if p[k] == "[":                     # a class: skip to its end
            k = p.index("]", k + 1) + 1
            continue
        if p[k] == "(":
            depth += 1
        elif p[k] == ")":
            depth -= 1
            if depth == 0:
                return k
        k += 1
    raise ValueError(f"unbalanced pattern: {p!r}")


def _split_top(p: str) -> list[str]:
    """The alternatives of p, split at its top-level `|`."""
    out, depth, start, k = [], 0, 0, 0
    while k < len(p):
        c = p[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":
            k = p.index("]", k + 1) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(p[start:k])
            start = k + 1
        k += 1
    return out + [p[start:]]


def first_letters(p: str) -> set[str]:
    """The characters a match of pattern `p` can start with, for the simple forms the phrase
    data uses (a letter, a class of letters, a `(?:…|…)` group, either optional); ValueError
    on any other form, so that a new pattern cannot silently escape the prefilter below."""
    if p.startswith("(?:"):
        end = _close(p, 0)
        letters = set().union(*(first_letters(a) for a in _split_top(p[3:end])))
        if p[end + 1:end + 2] in ("*", "{"):
            raise ValueError(f"first letters of {p!r}: a repeated first group")
        if p[end + 1:end + 2] == "?":
            letters |= first_letters(p[end + 2:])
        return letters
    if p.startswith("["):
        end = p.index("]")
        chars = p[1:end]
        optional = p[end + 1:end + 2] in ("?", "*", "{")
        if optional or not chars or not all(c.isalpha() for c in chars):
            raise ValueError(f"first letters of {p!r}: only plain letter classes")
        return set(chars)
    if p[:1].isalpha() and p[1:2] not in ("?", "*", "{"):
        return {p[0]}
    raise ValueError(f"first letters of {p!r}: starts with neither a letter, a class nor a group")


def by_first_letter(p: str) -> list[tuple[str, str]]:
    """`p` as (first letter, rest of the pattern) pairs whose alternation, in this order, is `p`
    (`(?:trước|trong) ngày` → [("t", "rước ngày"), ("t", "rong ngày")]); the forms first_letters
    reads, ValueError on any other."""
    if p.startswith("(?:"):
        end = _close(p, 0)
        alts = _split_top(p[3:end])
        after = p[end + 1:]
        if after[:1] in ("*", "{", "+"):
            raise ValueError(f"first letters of {p!r}: a repeated first group")
        if after[:1] == "?":
            return [x for a in alts for x in by_first_letter(a + after[1:])] + by_first_letter(after[1:])
        return [x for a in alts for x in by_first_letter(a + after)]
    if p.startswith("["):
        end = p.index("]")
        chars = p[1:end]
        if p[end + 1:end + 2] in ("?", "*", "{", "+") or not chars or not all(c.isalpha() for c in chars):
            raise ValueError(f"first letters of {p!r}: only plain letter classes")
        return [(c, p[end + 1:]) for c in chars]
    if p[:1].isalpha() and p[1:2] not in ("?", "*", "{", "+"):
        return [(p[0], p[1:])]
    raise ValueError(f"first letters of {p!r}: starts with neither a letter, a class nor a group")


def alternation(patterns) -> "re.Pattern":
    """One pattern trying `patterns` in order, regrouped by first letter: `Đ(?:…)|h(?:…)|t(?:…)`.
    An alternation of groups gives `re` no first character to skip ahead to, so it tried every
    pattern at every position (deadlines: 44 µs a task text); by first letter, `re` skips to the
    letters that can start a match and tries only the branch of that letter (7 µs). The patterns of
    one letter keep their order, and no two letters match at one position: the same matches."""
    groups: dict[str, list[str]] = {}
    for p in patterns:
        if "(?P" in p or re.search(r"(?<!\\)\((?!\?)", p):
            raise ValueError(f"alternation of {p!r}: no capturing groups (they would be repeated)")
        for letter, rest in by_first_letter(p):
            groups.setdefault(letter, []).append(rest)
    return re.compile("|".join("%s(?:%s)" % (re.escape(letter), "|".join("(?:%s)" % r for r in rests))
                               for letter, rests in groups.items()))


DEADLINE_RE = alternation(_DATA["deadline_patterns"])
NO_HEADER_ISSUER_RE = re.compile(
    r"(?:(?:Chủ tịch|CHỦ TỊCH)\s+)?(?:%s)(?=\s+(?:yêu cầu|đề nghị|chỉ đạo|ban hành|giao|thông báo|báo cáo|hướng dẫn|xây dựng|trân trọng))"
    % "|".join(p.replace("%s", UPPER) for p in _DATA["no_header_issuer_patterns"]))
