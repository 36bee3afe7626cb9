"""Untrusted text in outputs: only http(s) links anywhere, and Markdown that shows titles as text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pipeline import store
from pipeline.report.build import build_report
from pipeline.report.map_page import PAGE_ENCODING
from pipeline.safety import markdown_text, safe_href

HOSTILE_URLS = ["javascript:alert('url')", " JavaScript:alert('url')", "java\tscript:alert('url')",
                "data:text/html,<script>alert('url')</script>", "vbscript:msgbox('url')", "//evil.example/x",
                "https:evil-without-host", "file:///etc/passwd"]


@pytest.mark.parametrize("url", HOSTILE_URLS + [None, 42, ""])
def test_safe_href_refuses_every_other_scheme(url):
    assert safe_href(url) is None


@pytest.mark.parametrize("url, expected", [
    ("https://github.com/a/b", "https://github.com/a/b"),
    ("HTTP://Example.org/x?q=1#f", "HTTP://Example.org/x?q=1#f"),
    ("  https://x.org/a b  ", "https://x.org/a%20b"),
    ('https://x.org/"><script>', "https://x.org/%22%3E%3Cscript%3E"),
    ("https://en.wikipedia.org/wiki/A_(b)", "https://en.wikipedia.org/wiki/A_%28b%29"),  # ")" would end a Markdown link
])
def test_safe_href_keeps_http_links_usable(url, expected):
    assert safe_href(url) == expected


def test_markdown_text_shows_markup_as_text():
    text = markdown_text("<script>alert(1)</script> [click](javascript:x) ![i](y) a|b &amp; R&D \\")
    assert "<" not in text and ">" not in text and "](" not in text.replace("\\](", "")
    assert text == ("&lt;script&gt;alert(1)&lt;/script&gt; \\[click\\](javascript:x) !\\[i\\](y) a\\|b &amp;amp; R&D \\\\")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if name in ("href", "src", "action") and value is not None]


@pytest.fixture(scope="module")
def hostile_report(default_run) -> dict[str, str]:
    """The real report of the default corpus, after its stored rows were given hostile links and titles."""
    tables = store.read_tables(default_run["processed"])
    papers = tables["papers"].copy()
    for i, url in enumerate(HOSTILE_URLS):
        papers.loc[i, "url"] = url
        papers.loc[i, "code_url"] = url
    papers.loc[0, "title"] = "<script>alert('title')</script> [click](javascript:alert('md')) <img src=x onerror=alert(1)>"
    papers.loc[1, "abstract"] = "<iframe src=javascript:alert('abs')></iframe> " + papers.loc[1, "abstract"]
    papers.loc[len(HOSTILE_URLS), "url"] = "https://example.org/kept"
    files = build_report({**tables, "papers": papers})
    encodings = {"report.html": "utf-8", "report.md": "utf-8", "map.html": PAGE_ENCODING}
    return {name: files[name].decode(encoding) for name, encoding in encodings.items()}


def test_report_html_links_only_http(hostile_report):
    parser = Links()
    parser.feed(hostile_report["report.html"])
    external = [href for href in parser.hrefs if not href.startswith(("#", "map.html", "data:image/png;base64,"))]
    assert external and all(href.startswith(("https://", "http://")) for href in external), external
    assert "https://example.org/kept" in external
    assert "alert('url')" not in hostile_report["report.html"]
    assert "<script>alert" not in hostile_report["report.html"] and "&lt;script&gt;alert" in hostile_report["report.html"]


def test_report_md_has_no_raw_html_and_no_bad_links(hostile_report):
    md = hostile_report["report.md"]
    assert "alert('url')" not in md
    assert "<script" not in md and "<img" not in md and "<iframe" not in md
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", md), "an unescaped Markdown link to javascript:"
    assert "&lt;script&gt;alert('title')&lt;/script&gt; \\[click\\]" in md
    for line in md.splitlines():
        if "[code](" in line:
            assert "[code](http" in line


def test_map_html_never_carries_a_hostile_link(hostile_report):
    page = hostile_report["map.html"]
    assert "alert('url')" not in page  # no url of the input reaches the page unchecked
    parser = Links()
    parser.feed(page)
    assert not [href for href in parser.hrefs if href.strip().lower().startswith(("javascript:", "data:text", "vbscript:"))]
    assert "<script>alert('title')" not in page  # titles are JSON data with "<" escaped
