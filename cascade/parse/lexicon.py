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

DEADLINE_RE = re.compile("|".join("(?:%s)" % p for p in _DATA["deadline_patterns"]))
NO_HEADER_ISSUER_RE = re.compile(
    r"(?:(?:Chủ tịch|CHỦ TỊCH)\s+)?(?:%s)(?=\s+(?:yêu cầu|đề nghị|chỉ đạo|ban hành|giao|thông báo|báo cáo|hướng dẫn|xây dựng|trân trọng))"
    % "|".join(p.replace("%s", UPPER) for p in _DATA["no_header_issuer_patterns"]))
