"""Server-side rendering of document content: TipTap/ProseMirror JSON (and spreadsheet grids)
to safe HTML, and to plain text for search.

    render_html(content, doc_type="document", *, attachment_url=None) -> str
    plain_text(content, doc_type="document") -> str

The renderer knows the schema: each node type has its HTML and the node types it may
contain. A node of an unknown type, or in a place its type may not be (a table cell outside a
table row, a paragraph inside a paragraph), is dropped with everything inside it; so are
nodes nested deeper than `MAX_DEPTH`. Unknown marks are dropped (their text stays). Link
targets keep only http, https, mailto and relative URLs; images come only from attachments
(`attrs.attachmentId`, a 24-hex id, turned into a URL by `attachment_url`), never from a URL
in the content. The output then goes through an allow-list sanitizer (nh3), so even a bug
here cannot let a script, an event handler, a style or a `javascript:` URL through.

Nodes: doc, paragraph, heading (attrs.level 1-6), text (marks: bold, italic, underline,
strike, code, link with attrs.href), hardBreak, horizontalRule, blockquote, codeBlock
(attrs.language), bulletList, orderedList (attrs.start), listItem, taskList, taskItem
(attrs.checked), table, tableRow, tableHeader, tableCell (attrs.colspan, attrs.rowspan),
image (attrs.attachmentId, alt, title), mention (attrs.id, attrs.label, attrs.kind `user` |
`card`).

A spreadsheet's content is a grid, see `app.services.doc_content`; it renders as a table.
"""
import html
import math
import re
from collections.abc import Callable

import nh3

from app.ids import is_id

MAX_DEPTH = 64
MAX_SPAN = 100

_INLINE = frozenset({"text", "hardBreak", "mention", "image"})
_BLOCK = frozenset({"paragraph", "heading", "bulletList", "orderedList", "taskList", "blockquote",
                    "codeBlock", "horizontalRule", "table", "image"})
# What each container node may hold.
_CHILDREN: dict[str, frozenset[str]] = {
    "doc": _BLOCK,
    "paragraph": _INLINE,
    "heading": _INLINE,
    "blockquote": _BLOCK,
    "bulletList": frozenset({"listItem"}),
    "orderedList": frozenset({"listItem"}),
    "listItem": _BLOCK,
    "taskList": frozenset({"taskItem"}),
    "taskItem": _BLOCK,
    "codeBlock": frozenset({"text"}),
    "table": frozenset({"tableRow"}),
    "tableRow": frozenset({"tableHeader", "tableCell"}),
    "tableHeader": _BLOCK,
    "tableCell": _BLOCK,
}
# Marks in the order they nest, outermost first.
_MARKS = ("link", "bold", "italic", "underline", "strike", "code")
_MARK_TAGS = {"bold": "strong", "italic": "em", "underline": "u", "strike": "s", "code": "code"}
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_LANGUAGE_RE = re.compile(r"^[a-z0-9][a-z0-9+#\-]{0,29}$")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")

_CLEANER = nh3.Cleaner(
    tags={"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "code", "pre", "a",
          "br", "hr", "blockquote", "ul", "ol", "li", "div", "input", "table", "thead", "tbody",
          "tr", "th", "td", "img", "span"},
    attributes={
        "a": {"href"}, "ol": {"start"}, "ul": {"class"}, "li": {"class", "data-checked"},
        "input": {"type", "checked", "disabled"}, "code": {"class"}, "table": {"class"},
        "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
        "img": {"src", "alt", "title", "data-attachment-id"},
        "span": {"class", "data-id", "data-mention-kind"},
    },
    # An input is only ever a read-only task checkbox.
    set_tag_attribute_values={"input": {"type": "checkbox", "disabled": ""}},
    url_schemes=set(_SAFE_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
    attribute_filter=lambda tag, attribute, value: _allowed_attribute(tag, attribute, value),
)


def render_html(content: object, doc_type: str = "document", *,
                attachment_url: Callable[[str], str] | None = None) -> str:
    """Safe HTML for a document's `content`. Never raises on odd content: what it cannot
    render it drops."""
    if doc_type == "spreadsheet":
        raw = _grid_html(content)
    else:
        raw = _Renderer(attachment_url or default_attachment_url).doc(content)
    return sanitize(raw)


def sanitize(raw_html: str) -> str:
    """The allow-list pass every rendered document goes through."""
    return _CLEANER.clean(raw_html)


def default_attachment_url(attachment_id: str) -> str:
    return f"/attachments/{attachment_id}"


def plain_text(content: object, doc_type: str = "document") -> str:
    """The text a reader sees, blocks on their own lines (what search indexes)."""
    if doc_type == "spreadsheet":
        return "\n".join("\t".join(_cell_text(c) for c in row) for row in _grid_rows(content)).strip()
    lines: list[str] = []
    _Text(lines).block(content, "doc", 0)
    return "\n".join(line for line in (x.strip() for x in lines) if line)


def safe_href(value: object) -> str | None:
    """`value` if it is an http(s), mailto or relative URL, else None. Blanks and control
    characters inside the scheme, letter case and HTML entities do not hide a scheme."""
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        return None
    for candidate in (value, html.unescape(value)):
        compact = _CONTROL_RE.sub("", candidate).lower()
        match = _SCHEME_RE.match(compact)
        if match and match.group(1) not in _SAFE_SCHEMES:
            return None
    return value.strip()


# HTML -------------------------------------------------------------------------------------

def _node_type(node: object) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("type"), str):
        return node["type"]
    return None


def _attrs(node: dict) -> dict:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _children(node: dict) -> list:
    content = node.get("content")
    return content if isinstance(content, list) else []


def _int_attr(attrs: dict, name: str, low: int, high: int) -> int | None:
    value = attrs.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    value = int(value)
    return value if low <= value <= high else None


def _text_attr(attrs: dict, name: str, max_len: int = 500) -> str | None:
    value = attrs.get(name)
    if isinstance(value, str) and value.strip():
        return value[:max_len]
    return None


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


class _Renderer:
    def __init__(self, attachment_url: Callable[[str], str]):
        self.attachment_url = attachment_url

    def doc(self, content: object) -> str:
        if _node_type(content) != "doc":
            return ""
        return self.children(content, "doc", 0)

    def children(self, node: dict, parent: str, depth: int) -> str:
        allowed = _CHILDREN[parent]
        parts = []
        for child in _children(node):
            kind = _node_type(child)
            if kind in allowed:
                parts.append(self.node(child, kind, depth + 1))
        return "".join(parts)

    def node(self, node: dict, kind: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            return ""
        attrs = _attrs(node)
        if kind == "text":
            return self.text(node)
        if kind == "hardBreak":
            return "<br>"
        if kind == "horizontalRule":
            return "<hr>"
        if kind == "image":
            return self.image(attrs)
        if kind == "mention":
            return self.mention(attrs)
        if kind == "codeBlock":
            text = "".join(c["text"] for c in _children(node)
                           if _node_type(c) == "text" and isinstance(c.get("text"), str))
            language = attrs.get("language")
            css = (f' class="language-{_escape(language)}"'
                   if isinstance(language, str) and _LANGUAGE_RE.match(language) else "")
            return f"<pre><code{css}>{_escape(text)}</code></pre>"
        inner = self.children(node, kind, depth)
        if kind == "paragraph":
            return f"<p>{inner}</p>"
        if kind == "heading":
            level = _int_attr(attrs, "level", 1, 6) or 1
            return f"<h{level}>{inner}</h{level}>"
        if kind == "blockquote":
            return f"<blockquote>{inner}</blockquote>"
        if kind == "bulletList":
            return f"<ul>{inner}</ul>"
        if kind == "orderedList":
            start = _int_attr(attrs, "start", 0, 1_000_000)
            return f'<ol start="{start}">{inner}</ol>' if start not in (None, 1) else f"<ol>{inner}</ol>"
        if kind == "listItem":
            return f"<li>{inner}</li>"
        if kind == "taskList":
            return f'<ul class="task-list">{inner}</ul>'
        if kind == "taskItem":
            checked = attrs.get("checked") is True
            box = '<input type="checkbox" disabled checked>' if checked else '<input type="checkbox" disabled>'
            return (f'<li class="task-item" data-checked="{"true" if checked else "false"}">'
                    f"{box}<div>{inner}</div></li>")
        if kind == "table":
            return f'<table><tbody>{inner}</tbody></table>'
        if kind == "tableRow":
            return f"<tr>{inner}</tr>"
        if kind in ("tableHeader", "tableCell"):
            tag = "th" if kind == "tableHeader" else "td"
            spans = "".join(f' {name}="{value}"' for name in ("colspan", "rowspan")
                            if (value := _int_attr(attrs, name, 2, MAX_SPAN)) is not None)
            return f"<{tag}{spans}>{inner}</{tag}>"
        return ""

    def text(self, node: dict) -> str:
        text = node.get("text")
        if not isinstance(text, str) or not text:
            return ""
        out = _escape(text)
        marks = node.get("marks") if isinstance(node.get("marks"), list) else []
        present = {}
        for mark in marks:
            kind = _node_type(mark)
            if kind in _MARKS and kind not in present:
                present[kind] = _attrs(mark)
        for kind in reversed(_MARKS):
            if kind not in present:
                continue
            if kind == "link":
                href = safe_href(present[kind].get("href"))
                if href is not None:
                    out = f'<a href="{_escape(href)}">{out}</a>'
            else:
                tag = _MARK_TAGS[kind]
                out = f"<{tag}>{out}</{tag}>"
        return out

    def image(self, attrs: dict) -> str:
        attachment_id = attrs.get("attachmentId")
        if not is_id(attachment_id):
            return ""
        parts = [f'src="{_escape(self.attachment_url(attachment_id))}"',
                 f'data-attachment-id="{attachment_id}"']
        alt = _text_attr(attrs, "alt")
        parts.append(f'alt="{_escape(alt or "")}"')
        title = _text_attr(attrs, "title")
        if title:
            parts.append(f'title="{_escape(title)}"')
        return f"<img {' '.join(parts)}>"

    def mention(self, attrs: dict) -> str:
        kind = "card" if attrs.get("kind") == "card" else "user"
        label = _text_attr(attrs, "label", 200)
        mention_id = attrs.get("id") if is_id(attrs.get("id")) else None
        if label is None and mention_id is None:
            return ""
        data_id = f' data-id="{mention_id}"' if mention_id else ""
        sigil = "#" if kind == "card" else "@"
        return (f'<span class="mention mention-{kind}" data-mention-kind="{kind}"{data_id}>'
                f"{sigil}{_escape(label or mention_id or '')}</span>")


def _allowed_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        allowed = {"ul": {"task-list"}, "li": {"task-item"}, "table": {"spreadsheet"},
                   "span": {"mention", "mention-user", "mention-card"}}.get(tag, set())
        kept = [c for c in value.split() if c in allowed
                or (tag == "code" and c.startswith("language-") and _LANGUAGE_RE.match(c[9:]))]
        return " ".join(kept) or None
    if tag == "input":
        if attribute == "type":
            return value if value == "checkbox" else None
        return ""  # checked / disabled: boolean attributes
    if attribute in ("data-id", "data-attachment-id"):
        return value if is_id(value) else None
    if attribute == "data-mention-kind":
        return value if value in ("user", "card") else None
    if attribute == "data-checked":
        return value if value in ("true", "false") else None
    if attribute in ("colspan", "rowspan", "start"):
        return value if value.isdigit() and len(value) <= 7 else None
    if tag == "a" and attribute == "href":
        return safe_href(value)
    if tag == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


# Spreadsheet grid -------------------------------------------------------------------------

def _grid_rows(content: object) -> list[list]:
    if not isinstance(content, dict):
        return []
    rows = content.get("rows")
    if not isinstance(rows, list):
        return []
    return [row for row in rows if isinstance(row, list)]


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, (int, float)):
        return repr(cell) if isinstance(cell, float) and math.isfinite(cell) else str(cell)
    if isinstance(cell, str):
        return cell
    return ""


def _grid_html(content: object) -> str:
    rows = _grid_rows(content)
    width = max((len(row) for row in rows), default=0)
    if not width:
        return '<table class="spreadsheet"><tbody></tbody></table>'
    header = isinstance(content, dict) and content.get("header") is True

    def cells(row: list, tag: str) -> str:
        padded = list(row) + [None] * (width - len(row))
        return "".join(f"<{tag}>{_escape(_cell_text(c))}</{tag}>" for c in padded)

    head = f"<thead><tr>{cells(rows[0], 'th')}</tr></thead>" if header else ""
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in (rows[1:] if header else rows))
    return f'<table class="spreadsheet">{head}<tbody>{body}</tbody></table>'


# Plain text -------------------------------------------------------------------------------

class _Text:
    """Collects the text of the nodes the renderer shows, one line per block."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def block(self, node: object, kind: str, depth: int) -> None:
        if depth > MAX_DEPTH or _node_type(node) != kind:
            return
        if kind in ("paragraph", "heading", "codeBlock"):
            self.lines.append(self.inline(node, kind))
            return
        if kind == "image":
            self.lines.append(_text_attr(_attrs(node), "alt") or "")
            return
        if kind == "tableRow":
            cells = []
            for cell in _children(node):
                if _node_type(cell) in _CHILDREN["tableRow"]:
                    inner: list[str] = []
                    _Text(inner).block(cell, _node_type(cell), depth + 1)
                    cells.append(" ".join(x.strip() for x in inner if x.strip()))
            self.lines.append("\t".join(cells))
            return
        allowed = _CHILDREN.get(kind, frozenset())
        for child in _children(node):
            child_kind = _node_type(child)
            if child_kind in allowed:
                self.block(child, child_kind, depth + 1)

    def inline(self, node: dict, kind: str) -> str:
        parts = []
        for child in _children(node):
            child_kind = _node_type(child)
            if child_kind not in _CHILDREN[kind]:
                continue
            attrs = _attrs(child)
            if child_kind == "text" and isinstance(child.get("text"), str):
                parts.append(child["text"])
            elif child_kind == "hardBreak":
                parts.append("\n")
            elif child_kind == "mention":
                label = _text_attr(attrs, "label", 200)
                if label:
                    parts.append(("#" if attrs.get("kind") == "card" else "@") + label)
            elif child_kind == "image":
                parts.append(_text_attr(attrs, "alt") or "")
        return "".join(parts)
