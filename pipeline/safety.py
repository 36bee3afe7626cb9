"""Untrusted text on its way into outputs: links limited to http(s), Markdown without raw HTML.

Titles, abstracts and URLs come from scraped pages and user files. Every page the pipeline writes
(report.md, report.html, map.html) renders them through these two functions, so a `javascript:` URL
never becomes a link and a `<script>` title stays text, whichever template or page shows them.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pandas as pd

LINK_SCHEMES = ("http", "https")
# Characters that are never valid raw in a URL (RFC 3986) and that break out of an HTML attribute or
# a Markdown link target; they are percent-encoded rather than refused, so a real link keeps working.
_URL_UNSAFE = re.compile(r'[\x00-\x20"\'<>`{}|\\^\x7f()]')
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MARKDOWN_ESCAPES = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "<": "&lt;", ">": "&gt;",
                                   "\n": " ", "\r": " "})


def safe_href(value: object) -> str | None:
    """`value` as a link target if it is an absolute http(s) URL with a host, else None.

    Browsers ignore leading spaces and control characters and drop tabs and newlines inside a
    scheme ("java\\tscript:"), so the check runs on the URL the browser would see.
    """
    if not isinstance(value, str):
        return None
    url = re.sub(r"[\t\n\r]", "", value).strip(_C0_AND_SPACE)
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return None
    return _URL_UNSAFE.sub(lambda match: quote(match.group(0), safe=""), url)


def markdown_text(value: object) -> str:
    """Plain text that Markdown shows as written: no raw HTML, no links or images, no table breaks.

    Emphasis characters are left alone (they only change how text looks), so computed sentences
    may still use `*title*`.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _ENTITY.sub("&amp;", str(value)).translate(_MARKDOWN_ESCAPES)
