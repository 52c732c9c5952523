"""Saved web pages: `.html`/`.htm`, MHT (`.mht`, Word's "single file web page"), and
the `.doc` files offices produce that are really one of these.

Parsed with lxml's HTML parser; the MIME container of an MHT with the standard
library's `email` package. Only the document is read: the page's main-text container
when the page comes from a known portal (thuvienphapluat.vn, vbpl.vn, a Word export —
`cascade/data/html_pages.json`), else the body without scripts, navigation, menus,
toolbars, related-document lists and other link lists. Block elements end lines;
whitespace inside a block is collapsed as a browser does. Tables of the header and
signature layout are read column by column (left column first, like the docx loader),
data tables row by row. Ordered lists are numbered as the browser shows them.
"""
from __future__ import annotations

import email
import email.policy
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import lxml.html

from cascade.models import STATUS_EMPTY, STATUS_ERROR, LoadedText
from cascade.parse.loaders.txt import decode

_BLOCK = frozenset((
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table",
    "tr", "section", "article", "main", "blockquote", "pre", "address", "center", "hr", "header",
    "footer", "figure", "figcaption", "caption", "body", "html", "tbody", "thead", "tfoot",
))
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TOKENS = re.compile(r"[A-Za-z0-9]+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HTML_HEAD = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I)
_MHT_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n)*?(?:MIME-Version|Content-Type)\s*:", re.I)


@lru_cache(maxsize=1)
def rules() -> dict:
    return json.loads(resources.files("cascade.data").joinpath("html_pages.json").read_text(encoding="utf-8"))


# --- sniffing ---------------------------------------------------------------------------
def sniff_markup(head: bytes) -> str | None:
    """'mht' or 'html' for the first bytes of a saved web page (any extension), else None.
    UTF-16 pages (Word's "Unicode" web page) are recognised through their BOM."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return None
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _MHT_HEAD.match(head) and re.search(rb"multipart/related|text/html", head[:4096], re.I):
        return "mht"
    if b"\x00" in head[:1024]:
        return None
    if _HTML_HEAD.search(head[:2048]):
        return "html"
    return None


# --- decoding ---------------------------------------------------------------------------
def decode_html(data: bytes) -> tuple[str, str]:
    """Text of an HTML file and the encoding used: BOM, then the page's meta charset,
    then the plain-text rules (UTF-8, UTF-16, Windows-1258)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    m = _CHARSET.search(data[:8192])
    if m:
        enc = m.group(1).decode("ascii", "replace").lower()
        if enc in ("unicode", "utf-16"):     # Word's "Unicode" page without a BOM
            return decode(data)
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


# --- text -------------------------------------------------------------------------------
def _chrome(el, drop_tags: frozenset, drop_words: frozenset) -> bool:
    if el.tag in drop_tags:
        return True
    style = el.get("style")
    if style and _HIDDEN.search(style):
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    ident = (el.get("id") or "") + " " + (el.get("class") or "")
    return any(t.lower() in drop_words for t in _TOKENS.findall(ident))


def _link_dense(el, r: dict) -> bool:
    if el.tag not in ("ul", "ol", "div", "table", "section", "p", "dl"):
        return False
    links = el.findall(".//a")
    if len(links) < r["link_dense_min_links"]:
        return False
    total = len(_SPACE.sub("", el.text_content()))
    linked = sum(len(_SPACE.sub("", a.text_content())) for a in links)
    return total > 0 and linked / total >= r["link_dense_ratio"]


class _Writer:
    """Collects lines: inline text is joined, a block boundary ends the line."""

    def __init__(self):
        self.lines: list[str] = []
        self.cur: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.cur.append(_SPACE.sub(" ", s))

    def raw(self, s: str) -> None:
        self.cur.append(s)

    def end(self) -> None:
        line = "".join(self.cur).strip()
        if line:
            self.lines.append(line)
        self.cur = []


class _Reader:
    def __init__(self, in_container: bool):
        r = rules()
        self.r = r
        self.drop_tags = frozenset(r["drop_tags"] + ([] if in_container else r["drop_tags_outside_container"]))
        self.drop_words = frozenset(w.lower() for w in r["drop_id_class"])
        self.check_links = not in_container

    def skip(self, el) -> bool:
        if not isinstance(el.tag, str):          # comments, processing instructions
            return True
        return _chrome(el, self.drop_tags, self.drop_words) or (self.check_links and _link_dense(el, self.r))

    def walk(self, el, w: _Writer, pre: bool = False) -> None:
        tag = el.tag
        if tag == "br":
            w.end()
            return
        if tag == "table":
            w.end()
            self.table(el, w)
            return
        block = tag in _BLOCK
        if block:
            w.end()
        if tag == "li":
            mark = el.get("data-mark")
            if mark:
                w.raw(mark + " ")
        if tag in ("ol", "ul"):
            self._mark_items(el)
        (w.raw if pre else w.text)(el.text)
        for child in el:
            if not self.skip(child):
                self.walk(child, w, pre or tag == "pre")
            if child.tail:
                (w.raw if pre else w.text)(child.tail)
        if block:
            w.end()

    @staticmethod
    def _mark_items(lst) -> None:
        items = [li for li in lst if li.tag == "li"]
        if lst.tag == "ol":
            try:
                n = int(lst.get("start") or 1)
            except ValueError:
                n = 1
            kind = (lst.get("type") or "1")
            for li in items:
                mark = f"{chr(ord('a') + (n - 1) % 26)})" if kind == "a" else f"{n}."
                li.set("data-mark", mark)
                n += 1
        else:
            for li in items:
                li.set("data-mark", "-")

    def cell_lines(self, td) -> list[str]:
        w = _Writer()
        w.text(td.text)
        for child in td:
            if not self.skip(child):
                self.walk(child, w)
            if child.tail:
                w.text(child.tail)
        w.end()
        return w.lines

    def table(self, tbl, w: _Writer) -> None:
        rows = [tr for tr in tbl.iter("tr") if _owner_table(tr) is tbl]
        cells = [[td for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")] for tr in rows]
        cells = [c for c in cells if c]
        if not cells:
            return
        ncols = max(len(c) for c in cells)
        heads = frozenset(self.r["data_table_heads"])
        first = [" ".join(self.cell_lines(c[0])) for c in cells]
        layout = (1 < ncols <= self.r["layout_max_cols"] and len(cells) <= self.r["layout_max_rows"]
                  and all(len(c) == ncols for c in cells) and first[0] not in heads
                  and sum(1 for t in first if t.rstrip(".").isdigit()) < 2)
        order = ([c[k] for k in range(ncols) for c in cells] if layout else [td for c in cells for td in c])
        for td in order:
            if not self.skip(td):
                w.lines.extend(self.cell_lines(td))


def _owner_table(tr):
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def html_to_text(markup: str) -> tuple[str, str | None]:
    """The document's text in a saved page, and the container it was read from
    (None when the whole body was read)."""
    markup = _XML_DECL.sub("", markup, count=1)
    if not markup.strip():
        return "", None
    root = lxml.html.document_fromstring(markup)
    r = rules()
    where = None
    node = None
    for xp in r["containers"]:
        found = [el for el in root.xpath(xp) if isinstance(el.tag, str)]
        # the outermost match with enough text (a nested repeat of the class is inside it)
        for el in found:
            if len(_SPACE.sub("", el.text_content())) >= r["min_container_chars"]:
                node, where = el, xp
                break
        if node is not None:
            break
    reader = _Reader(in_container=node is not None)
    if node is None:
        bodies = root.xpath("//body")
        node = bodies[0] if bodies else root
    w = _Writer()
    reader.walk(node, w)
    w.end()
    return "\n".join(w.lines), where


def load_html(path: Path, res: LoadedText, data: bytes | None = None) -> LoadedText:
    res.format = "html"
    data = path.read_bytes() if data is None else data
    markup, enc = decode_html(data)
    return _finish(res, markup, enc, "html")


def load_mht(path: Path, res: LoadedText) -> LoadedText:
    """MIME HTML: the first text/html part, decoded by the `email` package
    (quoted-printable or base64, the part's charset)."""
    res.format = "html"
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = next((p for p in msg.walk() if p.get_content_type() == "text/html"), None)
    if part is None:
        res.status, res.error = STATUS_ERROR, "MHT file without an HTML part"
        return res
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if charset:
        try:
            markup, enc = payload.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            markup, enc = decode_html(payload)
    else:
        markup, enc = decode_html(payload)
    return _finish(res, markup, enc, "mht")


def _finish(res: LoadedText, markup: str, enc: str, source: str) -> LoadedText:
    text, where = html_to_text(markup)
    res.text_source = source
    res.extras["encoding"] = enc
    if where:
        res.extras["html_container"] = where
    if not text.strip():
        res.status, res.error, res.text = STATUS_EMPTY, "no text in the web page", ""
        return res
    res.text = text
    res.pages = 1
    return res
