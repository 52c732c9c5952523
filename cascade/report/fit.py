"""Making terminal tables fit: keys shortened in the middle (never cut letter by letter), and how
wide a key column may be at the console's width."""
from __future__ import annotations

from rich.console import Console
from rich.text import Text

from cascade.report.safe import plain

ELLIPSIS = "…"


def middle(text: str, width: int) -> str:
    """`text` in at most `width` characters, the middle replaced by …, so that both the start and
    the end of a key stay readable: `11902/BNV-CCVC` → `11902/…CCVC`, a file name keeps its end."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    if width == 1:
        return ELLIPSIS
    head = (width - 1 + 1) // 2
    tail = width - 1 - head
    return text[:head] + ELLIPSIS + (text[-tail:] if tail else "")


def key_text(text: str, width: int, style: str = "") -> Text:
    """A key or file name as data: a Text (never read as markup) without control sequences."""
    return Text(middle(plain(text), width), style=style, no_wrap=True, overflow="ellipsis")


def width_of(header: str, values, cap: int | None = None) -> int:
    """Cells a column needs for its header and values (at most `cap`)."""
    from rich.cells import cell_len
    w = max([cell_len(header)] + [cell_len(str(v)) for v in values if v is not None])
    return min(w, cap) if cap else w


def rest(console: Console, used: list[int], floor: int = 8) -> int:
    """The width left for one flexible column beside columns of the `used` widths in a table
    drawn with padding (0, 1, 0, 0), box SIMPLE_HEAD and no edge (two cells between columns)."""
    return max(floor, console.width - sum(used) - 2 * (len(used) + 1) + 1)
