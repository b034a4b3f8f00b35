"""TipTap rendering: every supported node as HTML, plain text, spreadsheets, and a hostile
corpus that must come out with no active content at all."""
from html.parser import HTMLParser

import pytest

from app.services.tiptap_render import plain_text, render_html, safe_href, sanitize

ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "code", "pre", "a", "br",
                "hr", "blockquote", "ul", "ol", "li", "div", "input", "table", "thead", "tbody", "tr", "th",
                "td", "img", "span"}
URL_ATTRIBUTES = {"href", "src"}
ID = "65f0c0ffee0000000000abcd"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def assert_inert(html: str) -> None:
    """No element that can run or load anything: allowed tags only, no event handler, no
    style, URLs only http(s), mailto or same-site paths."""
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in ("style", "srcdoc", "formaction", "xlink:href"), html
            if name in URL_ATTRIBUTES:
                compact = "".join(ch for ch in (value or "") if ord(ch) > 32).lower()
                assert compact.startswith(("http://", "https://", "mailto:", "/", "#")) or ":" not in compact, html
                assert not compact.startswith(("javascript", "data", "vbscript")), html
        if tag == "img" and "src" in attrs:
            assert attrs["src"].startswith("/attachments/"), html
        if tag == "input":
            assert attrs.get("type") == "checkbox" and "disabled" in attrs, html


def tiptap(*blocks) -> dict:
    return {"type": "doc", "content": list(blocks)}


def para(*inline) -> dict:
    return {"type": "paragraph", "content": list(inline)}


def text(value, *marks) -> dict:
    node = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def link(href) -> dict:
    return {"type": "link", "attrs": {"href": href}}


def test_every_supported_node_renders():
    content = tiptap(
        {"type": "heading", "attrs": {"level": 2}, "content": [text("Title")]},
        para(text("b", {"type": "bold"}), text("i", {"type": "italic"}), text("s", {"type": "strike"}),
             text("c", {"type": "code"}), text("u", {"type": "underline"}), {"type": "hardBreak"},
             text("site", link("https://example.com/a?b=1&c=2"), {"type": "bold"})),
        {"type": "bulletList", "content": [{"type": "listItem", "content": [para(text("one"))]}]},
        {"type": "orderedList", "attrs": {"start": 3}, "content": [{"type": "listItem", "content": [para(text("three"))]}]},
        {"type": "taskList", "content": [
            {"type": "taskItem", "attrs": {"checked": True}, "content": [para(text("done"))]},
            {"type": "taskItem", "attrs": {"checked": False}, "content": [para(text("todo"))]}]},
        {"type": "blockquote", "content": [para(text("quoted"))]},
        {"type": "codeBlock", "attrs": {"language": "python"}, "content": [text("print('<hi>')")]},
        {"type": "horizontalRule"},
        {"type": "table", "content": [
            {"type": "tableRow", "content": [{"type": "tableHeader", "content": [para(text("H"))]}]},
            {"type": "tableRow", "content": [{"type": "tableCell", "attrs": {"colspan": 2}, "content": [para(text("C"))]}]}]},
        {"type": "image", "attrs": {"attachmentId": ID, "alt": "Chart", "title": "Q1"}},
        para({"type": "mention", "attrs": {"id": ID, "label": "Ada"}},
             {"type": "mention", "attrs": {"id": ID, "label": "WEB-12", "kind": "card"}}),
    )
    html = render_html(content)
    assert_inert(html)
    for fragment in (
        "<h2>Title</h2>", "<strong>b</strong>", "<em>i</em>", "<s>s</s>", "<code>c</code>", "<u>u</u>", "<br>",
        '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"><strong>site</strong></a>',
        "<ul><li><p>one</p></li></ul>", '<ol start="3"><li><p>three</p></li></ol>',
        '<ul class="task-list"><li class="task-item" data-checked="true"><input type="checkbox" disabled="" checked="">',
        '<li class="task-item" data-checked="false"><input type="checkbox" disabled="">',
        "<blockquote><p>quoted</p></blockquote>",
        '<pre><code class="language-python">print(\'&lt;hi&gt;\')</code></pre>', "<hr>",
        "<table><tbody><tr><th><p>H</p></th></tr><tr><td colspan=\"2\"><p>C</p></td></tr></tbody></table>",
        f'<img src="/attachments/{ID}" data-attachment-id="{ID}" alt="Chart" title="Q1">',
        f'<span class="mention mention-user" data-mention-kind="user" data-id="{ID}">@Ada</span>',
        f'<span class="mention mention-card" data-mention-kind="card" data-id="{ID}">#WEB-12</span>',
    ):
        assert fragment in html, fragment
    assert plain_text(content) == (
        "Title\nbiscu\nsite\none\nthree\ndone\ntodo\nquoted\nprint('<hi>')\nH\nC\nChart\n@Ada#WEB-12")


def test_attachment_urls_come_from_the_caller():
    html = render_html(tiptap({"type": "image", "attrs": {"attachmentId": ID}}),
                       attachment_url=lambda i: f"/orgs/acme/workspaces/eng/attachments/{i}")
    assert f'src="/orgs/acme/workspaces/eng/attachments/{ID}"' in html


def test_nodes_out_of_place_or_unknown_are_dropped_with_their_content():
    content = tiptap(
        para(text("kept"), para(text("paragraph in paragraph"))),
        {"type": "tableCell", "content": [para(text("orphan cell"))]},
        {"type": "listItem", "content": [para(text("orphan item"))]},
        {"type": "callout", "content": [para(text("unknown node"))]},
        para(text("marked", {"type": "textStyle", "attrs": {"color": "red"}}, {"type": "italic"})),
    )
    html = render_html(content)
    assert html == "<p>kept</p><p><em>marked</em></p>"
    assert plain_text(content) == "kept\nmarked"


def test_spreadsheet_renders_as_a_table():
    grid = {"type": "spreadsheet", "header": True, "rows": [["Item", "Qty", "Ok"], ["Apples", 3, True], ["<b>Pears</b>", 2.5]]}
    html = render_html(grid, "spreadsheet")
    assert html == ('<table class="spreadsheet"><thead><tr><th>Item</th><th>Qty</th><th>Ok</th></tr></thead>'
                    "<tbody><tr><td>Apples</td><td>3</td><td>true</td></tr>"
                    "<tr><td>&lt;b&gt;Pears&lt;/b&gt;</td><td>2.5</td><td></td></tr></tbody></table>")
    assert render_html({"type": "spreadsheet", "rows": [["a"]]}, "spreadsheet") == (
        '<table class="spreadsheet"><tbody><tr><td>a</td></tr></tbody></table>')
    assert render_html({"type": "spreadsheet", "rows": []}, "spreadsheet") == (
        '<table class="spreadsheet"><tbody></tbody></table>')


@pytest.mark.parametrize("href,kept", [
    ("https://example.com", True), ("http://example.com/x", True), ("mailto:a@example.com", True),
    ("/orgs/acme", True), ("#section", True), ("relative/page", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False), ("java\nscript:alert(1)", False), ("\x01javascript:alert(1)", False),
    ("javascript&#58;alert(1)", False), ("&#106;avascript:alert(1)", False), ("javascript&colon;alert(1)", False),
    ("jav&#x09;ascript:alert(1)", False), ("data:text/html;base64,PHNjcmlwdD4=", False), ("DATA:text/html,x", False),
    ("vbscript:msgbox(1)", False), ("VbScRiPt:msgbox(1)", False), ("file:///etc/passwd", False), ("", False),
    (None, False), (42, False),
])
def test_safe_href(href, kept):
    assert (safe_href(href) is not None) is kept


def _hostile_links():
    return [text("click", link(href)) for href in (
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)", "java\tscript:alert(1)",
        "javascript&#58;alert(1)", "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DaTa:image/svg+xml,<svg onload=alert(1)>",
        "vbscript:msgbox(1)", "VBSCRIPT:msgbox(1)", 'https://ok.example/" onmouseover="alert(1)',
        "https://ok.example/'><script>alert(1)</script>")]


HOSTILE = [
    tiptap(para(text("<script>alert(1)</script>"))),
    tiptap(para(text('<img src=x onerror="alert(1)">'), text("<svg/onload=alert(1)>"))),
    tiptap(para(text("<iframe src=javascript:alert(1)></iframe><style>*{}</style>"))),
    tiptap(para(*_hostile_links())),
    tiptap({"type": "image", "attrs": {"src": "javascript:alert(1)"}},
           {"type": "image", "attrs": {"src": "data:image/png;base64,AAAA", "alt": "x"}},
           {"type": "image", "attrs": {"attachmentId": '" onerror="alert(1)'}},
           {"type": "image", "attrs": {"attachmentId": ID, "alt": '"><script>alert(1)</script>',
                                       "onerror": "alert(1)", "title": "' onload='alert(1)"}}),
    tiptap({"type": "script", "content": [text("alert(1)")]}, {"type": "iframe", "attrs": {"src": "https://evil"}},
           {"type": "svg", "content": [text("x")]}, {"type": "style", "content": [text("body{}")]},
           {"type": "html", "attrs": {"html": "<script>alert(1)</script>"}},
           {"type": "rawHTML", "content": [text("<b onclick=alert(1)>x</b>")]}),
    tiptap({"type": "paragraph", "attrs": {"onclick": "alert(1)", "style": "background:url(javascript:x)",
                                           "class": "x"}, "content": [text("attrs")]}),
    tiptap({"type": "heading", "attrs": {"level": "1 onclick=alert(1)"}, "content": [text("h")]},
           {"type": "heading", "attrs": {"level": 99}, "content": [text("h")]}),
    tiptap({"type": "codeBlock", "attrs": {"language": '"><script>alert(1)</script>'}, "content": [text("<x>")]}),
    tiptap(para({"type": "mention", "attrs": {"id": '" onmouseover="alert(1)', "label": "<b onclick=x>Ada</b>"}},
                {"type": "mention", "attrs": {"kind": "card\" onclick=\"x", "label": "K"}})),
    tiptap({"type": "table", "content": [{"type": "tableRow", "content": [
        {"type": "tableCell", "attrs": {"colspan": "2 onclick=alert(1)", "rowspan": 10**9},
         "content": [para(text("cell"))]}]}]}),
    tiptap({"type": "orderedList", "attrs": {"start": '1" onclick="alert(1)'}, "content": [
        {"type": "listItem", "content": [para(text("x"))]}]},
        {"type": "taskList", "content": [{"type": "taskItem", "attrs": {"checked": 'true" onclick="x'},
                                          "content": [para(text("t"))]}]}),
    tiptap(para(text("styled", {"type": "textStyle", "attrs": {"style": "background:url(javascript:alert(1))"}},
                     {"type": "link", "attrs": {"href": "https://ok.example", "onclick": "alert(1)", "target": "x"}}))),
    # malformed shapes
    "not a document", ["doc"], None, 42, {"type": "doc", "content": "string"},
    {"type": "doc", "content": [["list"], None, 3, {"type": 5}, {"type": "paragraph", "content": {"a": 1}}]},
    tiptap(para({"type": "text", "text": 12}, {"type": "text", "text": "ok", "marks": "bold"},
                {"type": "text", "text": "ok2", "marks": [None, 3, {"type": "link", "attrs": "x"}]})),
    tiptap({"type": "paragraph", "attrs": ["x"], "content": [text("list attrs")]}),
]


@pytest.mark.parametrize("content", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_corpus_renders_inert(content):
    html = render_html(content)
    assert_inert(html)
    assert "<script" not in html.lower()
    plain_text(content)  # never raises


def test_hostile_spreadsheet_cells_are_text():
    grid = {"type": "spreadsheet", "header": True, "rows": [
        ["<script>alert(1)</script>", '=HYPERLINK("javascript:alert(1)")'], ['<img src=x onerror=alert(1)>']]}
    html = render_html(grid, "spreadsheet")
    assert_inert(html)
    assert [tag for tag, _ in elements(html)] == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert render_html({"rows": "x"}, "spreadsheet") == '<table class="spreadsheet"><tbody></tbody></table>'
    assert render_html("nonsense", "spreadsheet") == '<table class="spreadsheet"><tbody></tbody></table>'


def test_deeply_nested_content_is_cut_not_crashed():
    node = para(text("bottom"))
    for _ in range(5000):
        node = {"type": "blockquote", "content": [node]}
    content = tiptap(node, para(text("after")))
    html = render_html(content)
    assert_inert(html)
    assert "bottom" not in html and html.endswith("<p>after</p>")
    assert plain_text(content) == "after"


def test_the_sanitizer_alone_stops_raw_hostile_html():
    raw = ('<p onclick="x">a</p><script>alert(1)</script><a href="javascript:alert(1)">j</a>'
           '<a href="JAVASCRIPT:alert(1)">J</a><img src="data:image/png;base64,AA" onerror="alert(1)">'
           '<svg onload="alert(1)"><circle/></svg><iframe src="https://evil"></iframe>'
           '<style>p{}</style><math><mi>x</mi></math><object data="x"></object><embed src="x">'
           '<form action="x"><button formaction="javascript:alert(1)">b</button></form>'
           '<span style="color:red" class="mention evil">m</span><img src="https://tracker.example/p.gif">'
           '<input type="text" value="x"><!-- comment -->')
    html = sanitize(raw)
    assert_inert(html)
    assert "alert" not in html and "comment" not in html and "evil" not in html and "tracker" not in html
