"""Data on the terminal: never read as rich markup, never a terminal control sequence.

Titles, file names, zip entry names, keys typed by the user are data: `[/b]` in one of them
raised MarkupError when it reached a markup-parsed string (a table cell, a panel title, an
f-string given to `console.print`), and an ESC sequence in a file name re-programmed the
terminal. Every renderer passes data through here:

- `text(value, style)`: a rich `Text` (never parsed as markup) of the cleaned value;
- `markup(value)`: the cleaned value escaped, for an f-string that also holds our own markup;
- `plain(value)`: the cleaned string;
- `scrub(obj)`: the same over the strings of a dict/list structure (a view's input rows).

Cleaning removes terminal escape sequences (CSI, OSC, DCS … and the C1 forms), the other C0
and C1 control characters (tab and newline stay) and the bidi overrides/isolates that reorder
what the reader sees (U+202A–U+202E, U+2066–U+2069).
"""
from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

# ESC [ … final, ESC ] … BEL/ST, ESC P/X/^/_ … ST, a two-character ESC sequence, C1 CSI
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(value) -> str:
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    if not _CONTROL.search(s):
        return s
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", s))


def markup(value) -> str:
    return escape(plain(value))


def text(value, style: str = "") -> Text:
    return Text(plain(value), style=style)


def scrub(obj):
    """A copy of a dict/list/tuple structure with every string cleaned by `plain`."""
    if isinstance(obj, str):
        return plain(obj)
    if isinstance(obj, dict):
        return {k: scrub(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(scrub(v) for v in obj)
    return obj
