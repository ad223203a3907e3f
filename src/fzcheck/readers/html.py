"""Web pages saved from a government site: the article body only.

The page is decoded (byte-order mark, then the charset the page declares, then
detection), parsed with lxml's forgiving HTML parser, and stripped of what is
not the report: scripts, styles, navigation, share bars, footers, link lists.
The article body is the smallest container that holds nearly all of the page's
sentences (a report's sentences end in 。; navigation and footers rarely do).
``<p>``, ``<br>``, list items, headings and table cells break paragraphs. The
page title (``<h1>``) opens the text when the body does not repeat it, and the
publication date the page shows goes to the document's noise lines as
"发布时间: YYYY-MM-DD", where metadata finds it.

Every paragraph points at the line of the HTML source where it starts.
"""
from __future__ import annotations

import re

from fzcheck.errors import InputError
from fzcheck.i18n import msg
from fzcheck.model import Paragraph, RawDocument
from fzcheck.readers.limits import Budget
from fzcheck.readers.text import _BOMS, decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CHARSET_CODEC = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
                  "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "utf8": "utf-8", "utf-8": "utf-8"}

_JUNK_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "button", "select", "input", "textarea", "nav", "aside", "head", "link", "map", "audio", "video"}
_CHROME = re.compile(r"^(nav|navbar|navigation|menu|menus|footer|foot|bottom|breadcrumbs?|crumbs?|position|"
                     r"location|share|bdshare|sharebar|social|sidebar|side|toolbar|tools|copyright|banner|"
                     r"search|login|related|relevant|comments?|print|qrcode|ewm|erweima|gotop|backtop|top|topbar|"
                     r"ads?|advert|friendlink|links|dh|daohang|fenxiang|wzdh|dqwz)$", re.IGNORECASE)
_CONTAINERS = {"html", "body", "div", "article", "section", "main", "table", "tbody", "thead", "tr", "td", "center",
               "form", "font", "span", "blockquote"}
_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
           "table", "tbody", "thead", "tfoot", "blockquote", "pre", "section", "article", "main", "center",
           "address", "caption", "figcaption", "figure", "header", "footer", "form", "hr", "body", "html"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STOP = re.compile(r"[。！？；]")
_WS = re.compile(r"[ \t\r\n\f]+")
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(r"(?:^|[\s|｜【\[(（])(发布时间|发布日期|發佈時間|發布時間|发文日期|成文日期|日期|时间|時間)\s*[:：]?\s*" + _DATE)
_META_DATE_NAMES = {"pubdate", "publishdate", "firstpublishedtime", "maketime", "article:published_time",
                    "dc.date", "dc.date.issued", "date", "publish_date", "og:release_date", "releasedate"}


def _decode(data: bytes) -> tuple[str, str]:
    for bom, _enc in _BOMS:
        if data.startswith(bom):
            return decode(data)
    # Valid UTF-8 with anything beyond ASCII is UTF-8, whatever the page declares: a
    # single-byte charset (iso-8859-1, the old HTTP default; koi8-r …) decodes any bytes,
    # so trusting the declaration would silently turn the report into mojibake.
    try:
        text = data.decode("utf-8")
        if not text.isascii():
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        codec = _CHARSET_CODEC.get(declared, declared)
        try:
            import codecs

            if codecs.lookup(codec).name in _TEXT_CODECS_ONLY_BY_DETECTION:
                raise LookupError(codec)  # not a charset a page may choose (unicode_escape, rot13 …)
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect instead
    return decode(data)


_TEXT_CODECS_ONLY_BY_DETECTION = {"unicode-escape", "raw-unicode-escape", "rot-13", "idna", "punycode",
                                  "utf-7", "charmap", "mbcs", "palmos", "undefined"}
_LONG_TAG = re.compile(rb"<[A-Za-z][^<>]{65536,}")
MAX_ATTRIBUTES = 10_000


def _absurd_structure(data: bytes) -> None:
    """Refuse, before parsing, what libxml2 would take minutes on: an element with hundreds of
    thousands of attributes (its duplicate check is quadratic)."""
    for m in _LONG_TAG.finditer(data):
        if m.group().count(b"=") > MAX_ATTRIBUTES:
            from fzcheck.i18n import msg

            raise InputError(msg("in.too_complex", what=f"an element with more than {MAX_ATTRIBUTES:,} attributes"))


def _classes(el) -> list[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    return [t for t in re.split(r"[^A-Za-z0-9]+", raw) if t]


def _text(el) -> str:
    return "".join(el.itertext())


def _link_text(el) -> str:
    return "".join(_text(a) for a in el.iter("a"))


def _is_chrome(el, page_cjk: int) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    tokens = _classes(el)
    chrome = any(_CHROME.match(t) for t in tokens) or tag == "footer" or (
        tag == "header" and el.getparent() is not None and el.getparent().tag in ("body", "html"))
    if not chrome:
        return False
    # Never drop what holds most of the page's text (a badly named wrapper).
    return len(_CJK.findall(_text(el))) < max(200, page_cjk * 0.3)


def _is_link_list(el) -> bool:
    text = _text(el)
    if _STOP.search(text):
        return False
    cjk = len(re.sub(r"\s", "", text))
    return cjk > 0 and len(re.sub(r"\s", "", _link_text(el))) >= 0.6 * cjk


def _published(root, page_text_lines: list[str]) -> str | None:
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if name in _META_DATE_NAMES:
            m = re.search(_DATE, meta.get("content") or "")
            if m:
                return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    for line in page_text_lines:
        m = _LABELLED_DATE.search(line)
        if m:
            return f"{m.group(2)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}"
    return None


def _title(root) -> str:
    for h in root.iter("h1"):
        t = _WS.sub(" ", _text(h)).strip()
        if _CJK.search(t):
            return t
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title"):
            t = (meta.get("content") or "").strip()
            if t:
                return t
    return ""


def _body_root(body):
    """The smallest container holding (nearly) all the page's sentences."""
    cur = body
    while True:
        total = len(_STOP.findall(_text(cur)))
        if total == 0:
            return cur
        allowed = total // 50
        nxt = None
        for child in cur:
            if not isinstance(child.tag, str) or child.tag not in _CONTAINERS:
                continue
            inside = len(_STOP.findall(_text(child)))
            if total - inside <= allowed:
                nxt = child
                break
        if nxt is None:
            return cur
        cur = nxt


class _Collector:
    def __init__(self, budget: Budget):
        self.paragraphs: list[Paragraph] = []
        self.buf: list[str] = []
        self.line: int | None = None
        self.budget = budget

    def add(self, text: str | None, line: int | None) -> None:
        if not text:
            return
        if self.line is None and text.strip():
            self.line = line
        self.buf.append(text)

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buf)).strip()
        if text:
            self.budget.add(text)
            self.paragraphs.append(Paragraph(text, [(0, {"line": self.line or 1})]))
        self.buf = []
        self.line = None

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # comments, processing instructions
            self.add(el.tail, el.sourceline)
            return
        block = tag in _BLOCKS
        if tag == "br":
            self.flush()
            self.add(el.tail, el.sourceline)
            return
        if block:
            self.flush()
        self.add(el.text, el.sourceline)
        for child in el:
            self.walk(child)
        if block:
            self.flush()
        self.add(el.tail, el.sourceline)


def read_html(path: str, data: bytes) -> RawDocument:
    import lxml.etree
    import lxml.html

    _absurd_structure(data)
    text, encoding = _decode(data)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise InputError(msg("in.no_text"))
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(msg("in.html_broken", why=exc)) from None
    budget = Budget()

    # The date and the title are read from the whole page, before any pruning.
    for junk in list(root.iter("script", "style", "noscript", "template")):
        junk.drop_tree()
    whole = _Collector(Budget())
    whole.walk(root)
    whole.flush()
    published = _published(root, [p.text for p in whole.paragraphs])
    title = _title(root)

    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag in _JUNK_TAGS and el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    page_cjk = len(_CJK.findall(_text(body)))
    for el in list(body.iter()):
        if el is body or el.getparent() is None or not isinstance(el.tag, str):
            continue
        if _is_chrome(el, page_cjk) or (el.tag in ("ul", "ol", "table", "div", "dl", "p") and _is_link_list(el)):
            el.drop_tree()
    article = _body_root(body)

    collector = _Collector(budget)
    collector.walk(article)
    collector.flush()
    paragraphs = collector.paragraphs
    if title:
        key = re.sub(r"\s", "", title)
        first = "".join(re.sub(r"\s", "", p.text) for p in paragraphs[:3])
        if key not in first:
            h1 = next((h for h in root.iter("h1")), None)
            paragraphs.insert(0, Paragraph(title, [(0, {"line": getattr(h1, "sourceline", None) or 1})]))
    noise = [f"发布时间: {published}"] if published else []
    meta = {"encoding": encoding}
    if published:
        meta["page_published"] = published
    return RawDocument(path, paragraphs, kind="html", meta=meta, noise=noise)
