"""The generated report as a reader gets it: parsable HTML, every figure there, every theme and claim shown."""

from __future__ import annotations

import base64
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import RAW_DIR, run_cli


class Collector(HTMLParser):
    """Collects image sources, link targets and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


@pytest.fixture(scope="module")
def tables(default_run) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(default_run["processed"] / f"{name}.parquet") for name in ("papers", "themes", "claims")}


def test_html_is_self_contained_with_every_figure(default_run):
    page = parse(default_run["reports"] / "report.html")
    assert page.scripts == 0, "the report needs no JavaScript"
    assert len(page.images) >= 4
    for src in page.images:
        assert src.startswith("data:image/png;base64,"), "figures are embedded, not linked"
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_links_existing_figures(default_run):
    reports = default_run["reports"]
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (reports / "report.md").read_text(encoding="utf-8"))
    assert {"figures/theme_map.png", "figures/theme_share.png", "figures/speedups_by_theme.png"} <= set(linked)
    assert all((reports / link).is_file() for link in linked)


def test_every_theme_and_claim_is_in_the_report(default_run, tables):
    text = " ".join(parse(default_run["reports"] / "report.html").text)
    for label in tables["themes"]["label"]:
        assert label in text
    for claim in tables["claims"].itertuples():
        assert claim.text in text, claim.text
    for title in tables["papers"]["title"]:
        assert title in text


def test_report_sections_and_summary_from_data(default_run, tables):
    md = (default_run["reports"] / "report.md").read_text(encoding="utf-8")
    for heading in ("## 1. Themes", "## 2. Trends", "## 3. Speedups", "## 4. Metrics", "## 5. Themes in detail",
                    "## 6. Data quality and method"):
        assert heading in md
    assert "194 unique papers from 339 appearances in 5 sources" in md
    assert f"{len(tables['claims'])} numeric claims" in md
    assert (default_run["reports"] / "tables" / "speedup_leaderboard.csv").is_file()


def test_report_command_regenerates_without_the_model(default_run, tmp_path):
    run_cli("report", "--processed", str(default_run["processed"]), "--reports", str(tmp_path))
    assert (tmp_path / "report.html").read_bytes() == (default_run["reports"] / "report.html").read_bytes()


def test_hostile_title_is_escaped_everywhere(tmp_path, shared_cache):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    title = "<script>alert('x')</script> Fast Decoding"
    abstract = ("We present a decoder that is 3x faster than autoregressive decoding on <b>WMT</b>. " * 3).strip()
    page = raw / "000_ab1fdf427ff39de2.txt"
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{title}\n\n{abstract}\n", encoding="utf-8")
    out = tmp_path / "out"
    run_cli("run", "--input", str(raw), "--processed", str(out / "p"), "--reports", str(out / "r"), "--cache", str(shared_cache))
    html = (out / "r" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    map_html = (out / "r" / "map.html").read_text(encoding="utf-16")  # map_page.PAGE_ENCODING
    assert "<script>alert" not in map_html
