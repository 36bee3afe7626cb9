"""The generated report as a reader gets it: parsable HTML, every figure there and filled, every theme
and claim shown in its sentence, clean numbers, leaderboards split by what they compare."""

from __future__ import annotations

import base64
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from pipeline.report.display import display_text
from tests.conftest import RAW_DIR, run_cli


class Collector(HTMLParser):
    """Collects image sources, the visible text of a page, marked numbers and the rows of each leaderboard."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.scripts = 0
        self.text: list[str] = []
        self.marks: list[str] = []
        self.boards: dict[str, list[list[str]]] = {}
        self._mark: list[str] | None = None
        self._board: str | None = None
        self._cell: list[str] | None = None
        self._depth = 0  # <details> inside a leaderboard cell: the paper's other claims

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs["src"])
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self._mark = []
        if tag == "h3" and (attrs.get("id") or "").startswith("board-"):
            self._board = attrs["id"].removeprefix("board-")
            self.boards[self._board] = []
        if tag == "tr" and self._board:
            self.boards[self._board].append([])
        if tag == "td" and self._board:
            self._cell = []
        if tag == "details":
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append("".join(self._mark))
            self._mark = None
        if tag == "td" and self._cell is not None and self._board and self.boards[self._board]:
            self.boards[self._board][-1].append("".join(self._cell).strip())
            self._cell = None
        if tag == "table":
            self._board = None
        if tag == "details":
            self._depth -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._mark is not None:
            self._mark.append(data)
        if self._cell is not None and not self._depth:
            self._cell.append(data)


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def tables(default_run) -> dict[str, pd.DataFrame]:
    names = ("papers", "themes", "claims", "areas")
    return {name: pd.read_parquet(default_run["processed"] / f"{name}.parquet") for name in names}


@pytest.fixture(scope="module")
def page(default_run) -> Collector:
    return parse(default_run["reports"] / "report.html")


def test_html_is_self_contained_with_every_figure(page):
    assert page.scripts == 0, "the report needs no JavaScript"
    assert len(page.images) >= 4
    for src in page.images:
        assert src.startswith("data:image/png;base64,"), "figures are embedded, not linked"
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_links_existing_figures(default_run):
    reports = default_run["reports"]
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (reports / "report.md").read_text(encoding="utf-8"))
    assert {"figures/theme_map.png", "figures/theme_share.png", "figures/speedups_by_theme.png",
            "figures/theme_metric_heatmap.png"} <= set(linked)
    assert all((reports / link).is_file() for link in linked)


def _blank_margins(png: Path) -> dict[str, float]:
    """Share of the image's width (left, right) or height (top, bottom) that is plain background at each edge."""
    pixels = np.asarray(Image.open(png).convert("L"), dtype=int)
    inked = pixels < 245
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    height, width = pixels.shape
    return {"top": rows[0] / height, "bottom": 1 - (rows[-1] + 1) / height,
            "left": cols[0] / width, "right": 1 - (cols[-1] + 1) / width}


def test_figures_fill_their_canvas(default_run):
    for png in sorted((default_run["reports"] / "figures").glob("*.png")):
        margins = _blank_margins(png)
        assert max(margins.values()) < 0.08, f"{png.name} has empty margins: {margins}"


def test_every_theme_claim_and_title_is_in_the_report(page, tables):
    text = squashed(" ".join(page.text))
    for label in tables["themes"]["label"]:
        assert squashed(label) in text
    for area in tables["areas"]["label"]:
        assert squashed(area) in text
    for title in tables["papers"]["title"]:
        assert squashed(display_text(title)) in text, title
    marks = squashed(" ".join(page.marks))
    for claim in tables["claims"].itertuples():
        assert squashed(display_text(claim.text)) in marks, f"{claim.text!r} is not marked in its sentence"


def test_no_latex_scraper_residue_or_doubled_units_reach_the_reader(default_run, page):
    text = " ".join(page.text)
    md = (default_run["reports"] / "report.md").read_text(encoding="utf-8")
    for shown in (text, md):
        assert not re.search(r"\d\s?times\d|\d{2,}times\b|\\%|\\times|\$\\", shown), \
            re.search(r".{30}(?:\d\s?times\d|\d{2,}times\b|\\%|\\times|\$\\).{30}", shown)
        doubled = re.search(r"\d\S* (tokens|steps|parameters|layers|GPUs|bits|frames) \1\b", shown)
        assert not doubled, doubled
    assert "631–1074×" in text and "631-1074times" not in text


def test_leaderboards_compare_like_with_like(page):
    boards = {key: [row for row in rows if row] for key, rows in page.boards.items()}
    assert "speed" in boards and "compression" in boards
    speed_papers = [row[3] for row in boards["speed"]]
    assert len(speed_papers) == len(set(speed_papers)), "one row per paper"
    factors = [float(re.match(r"[~<>]?([\d,.]+)×", row[1]).group(1).replace(",", "")) for row in boards["speed"]]
    assert factors == sorted(factors, reverse=True)
    compression = " ".join(" ".join(row) for row in boards["compression"])
    assert "250× compression" in compression
    assert not any("compression" in row[4] for row in boards["speed"])
    assert boards["speed"][0][1].startswith("1,074×"), "the largest speedup, not a compression ratio, tops the speed board"
    assert "631–1,074×" in boards["speed"][0][1], "a range is shown as the paper states it"


def test_report_sections_and_summary_from_data(default_run, tables):
    md = (default_run["reports"] / "report.md").read_text(encoding="utf-8")
    for heading in ("## 1. Themes", "## 2. Trends", "## 3. Leaderboards", "## 4. Metrics", "## 5. Papers by theme",
                    "## 6. Data quality and method", "### Areas"):
        assert heading in md
    assert "194 unique papers from 339 appearances in 5 sources" in md
    assert f"{len(tables['claims'])} numeric claims" in md
    assert "With 5 dated periods there are too few periods to tell" in md
    for name in ("leaderboards", "metric_results", "claims"):
        assert (default_run["reports"] / "tables" / f"{name}.csv").is_file()


def test_every_paper_says_whether_a_link_is_known(page, tables):
    text = " ".join(page.text)
    assert tables["papers"]["url"].isna().all(), "the default corpus carries no links"
    assert text.count("no link known") == len(tables["papers"])


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
    assert "<b>WMT</b>" not in html, "abstract text in evidence sentences is escaped too"
    map_html = (out / "r" / "map.html").read_text(encoding="utf-16")  # map_page.PAGE_ENCODING
    assert "<script>alert" not in map_html
