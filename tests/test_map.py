"""map.html in a real browser, WebGL off: it draws, names themes, searches, shows a paper, exports a
selection, works at 360 px, and never touches the network. Expectations come from the stored tables
and the text the page means to show (`map_text.display_text`, tested in test_map_text.py)."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import base64
import random

import numpy as np
import pandas as pd
import pytest

from pipeline import trends
from pipeline.claims import extract_claims
from pipeline.report.map_pack import pack
from pipeline.report.map_page import PAGE_ENCODING, map_page_html, page_meta
from pipeline.report.map_text import display_text
from pipeline.report.style import PALETTE, theme_color

READY = "body[data-ready]"
# What search compares, as the page folds it: lower case, "×" as "x", dashes as "-", superscripts.
FOLD = str.maketrans({"×": "x", "–": "-", "—": "-", "−": "-", "⁻": "-", "⁺": "+", "ⁿ": "n", "ⁱ": "i", "ᵀ": "t",
                      **{sup: str(digit) for digit, sup in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}})


@pytest.fixture(scope="module")
def tables(default_run) -> dict[str, pd.DataFrame]:
    names = ("papers", "themes", "claims", "appearances")
    return {name: pd.read_parquet(default_run["processed"] / f"{name}.parquet") for name in names}


@pytest.fixture(scope="module")
def map_file(default_run) -> Path:
    return default_run["reports"] / "map.html"


def page_html(tables: dict[str, pd.DataFrame], papers: pd.DataFrame | None = None,
              claims: pd.DataFrame | None = None) -> str:
    papers = tables["papers"] if papers is None else papers
    periods, unit = trends.paper_periods(papers, tables["appearances"])
    return map_page_html(papers, tables["themes"], tables["claims"] if claims is None else claims, periods, unit)


def shown(papers: pd.DataFrame, column: str) -> dict[str, str]:
    """The text the page should show for each paper: cleaned, line breaks as spaces."""
    return {pid: display_text(re.sub(r"[\n\r\t\x00]", " ", text)).text for pid, text in zip(papers["paper_id"], papers[column])}


def matching_ids(tables: dict[str, pd.DataFrame], query: str) -> set[str]:
    """What the search should find: every word of the query in the title, abstract or theme keywords."""
    words = {t.theme_id: f"{t.label}\n{t.keywords}".lower().translate(FOLD) for t in tables["themes"].itertuples()}
    titles, abstracts = shown(tables["papers"], "title"), shown(tables["papers"], "abstract")
    found = set()
    for paper in tables["papers"].itertuples():
        text = f"{titles[paper.paper_id]}\n{abstracts[paper.paper_id]}".lower().translate(FOLD)
        if all(term in text or term in words[paper.theme_id] for term in query.lower().translate(FOLD).split()):
            found.add(paper.paper_id)
    return found


def isolated_paper(page, predicate: str = "true") -> int:
    """A paper (row on the page) with no other dot within 12 px and no label over it, so a click or
    a pixel is its own."""
    return page.evaluate(f"""() => {{
        const m = trendsMap, pts = Array.from({{length: m.papers.n}}, (_, i) => m.toScreen(i));
        const ok = (i) => {predicate};
        const under = ([x, y]) => m.shownLabels.some(({{box: b}}) => x > b[0] - 8 && x < b[2] + 8 && y > b[1] - 8 && y < b[3] + 8);
        for (let i = 0; i < pts.length; i++) {{
            if (!ok(i) || under(pts[i]) || pts[i][0] < 20 || pts[i][1] < 20 || pts[i][0] > m.size.w - 20 || pts[i][1] > m.size.h - 20) continue;
            if (pts.every((p, j) => j === i || Math.hypot(p[0] - pts[i][0], p[1] - pts[i][1]) > 12)) return i;
        }}
        return -1;
    }}""")


def click_point(page, row: int) -> None:
    x, y = page.evaluate(f"trendsMap.toScreen({row})")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_map_draws_and_names_themes_without_webgl(open_page, map_file, tables):
    page, watch = open_page(map_file, ready=READY)
    assert page.evaluate("document.createElement('canvas').getContext('webgl')") is None, "WebGL should be off"
    coloured = page.evaluate("""() => {
        const c = document.getElementById('map'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++; return n; }""")
    assert coloured > 194 * 10, f"only {coloured} pixels drawn for 194 papers"
    labels = page.evaluate("trendsMap.shownLabels")
    themes = tables["themes"]
    names = set(themes["label"]) | {label.upper() for label in themes["area_label"].dropna()}
    assert len(labels) >= 5 and {label["text"] for label in labels} <= names, labels
    boxes = [label["box"] for label in labels]
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for a, b in combinations(boxes, 2))
    dark = page.evaluate("""(boxes) => boxes.map(([x0, y0, x1, y1]) => {
        const r = devicePixelRatio, ctx = document.getElementById('map').getContext('2d');
        const d = ctx.getImageData(x0 * r, y0 * r, (x1 - x0) * r, (y1 - y0) * r).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i] + d[i + 1] + d[i + 2] < 270) n++;
        return n; })""", boxes)
    assert min(dark) > 30, f"a label box without text drawn in it: {dark}"
    titles = page.evaluate("Object.fromEntries(trendsMap.papers.paper_id.map((id, i) => [id, trendsMap.papers.title[i]]))")
    abstracts = page.evaluate("Object.fromEntries(trendsMap.papers.paper_id.map((id, i) => [id, trendsMap.papers.abstract[i]]))")
    assert titles == shown(tables["papers"], "title")
    assert abstracts == shown(tables["papers"], "abstract")
    assert page.locator("#count").inner_text() == "194 papers"
    watch.assert_clean()


@pytest.mark.parametrize("query", ["speculative decoding", "Transformer", "2.4x"])
def test_search_counts_lists_and_highlights(open_page, map_file, tables, query):
    page, watch = open_page(map_file, ready=READY)
    expected = matching_ids(tables, query)
    page.fill("#search", query)
    page.wait_for_function("document.getElementById('count').value.endsWith('match')")
    assert page.locator("#count").inner_text() == f"{len(expected)} of 194 match"
    assert page.evaluate("trendsMap.papers.paper_id.filter((_, i) => trendsMap.hits[i])") == sorted(
        expected, key=page.evaluate("trendsMap.papers.paper_id").index)
    heading = page.locator("#results h3").inner_text()
    assert heading.startswith(f"{len(expected)} paper"), heading
    items = page.locator("#results li").count()
    assert items == min(len(expected), 50)
    if len(expected) > 50:
        assert page.locator("#results").get_by_text(f"showing 1–50 of {len(expected)}").is_visible()
    # a hit is drawn in full colour, a miss faded towards white
    hit = isolated_paper(page, "trendsMap.hits[i]")
    miss = isolated_paper(page, "!trendsMap.hits[i]")
    brightness = page.evaluate(f"""() => [{hit}, {miss}].map((i) => {{
        const [x, y] = trendsMap.toScreen(i), r = devicePixelRatio;
        const d = document.getElementById('map').getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data;
        return d[3] / 255 * (d[0] + d[1] + d[2]) / 3 + (1 - d[3] / 255) * 255; }})""")
    assert brightness[0] < brightness[1] - 40, brightness
    watch.assert_clean()


def test_click_shows_the_paper_with_its_claims(open_page, map_file, tables):
    page, watch = open_page(map_file, ready=READY)
    row = isolated_paper(page, "trendsMap.papers.claims[i].length >= 2")
    assert row >= 0
    click_point(page, row)
    paper_id = page.evaluate(f"trendsMap.papers.paper_id[{row}]")
    paper = tables["papers"].set_index("paper_id").loc[paper_id]
    assert page.locator("#details h2").inner_text() == paper.title
    claims = tables["claims"][tables["claims"]["paper_id"] == paper_id]
    assert page.locator("#details h3").first.inner_text() == f"Claims ({len(claims)})"
    marked = page.locator("#details .claim mark").all_inner_texts()
    text = display_text(paper.abstract)
    assert sorted(marked) == sorted(text.text[slice(*text.span(c.start, c.end))] for c in claims.itertuples())
    assert page.locator("#details").get_by_text("no link to the paper is known").is_visible()  # url is empty here
    watch.assert_clean()


def test_box_selection_downloads_the_rows_inside(open_page, map_file, tables):
    page, watch = open_page(map_file, ready=READY)
    box = page.locator("#map").bounding_box()
    x0, y0, x1, y1 = box["width"] * 0.3, box["height"] * 0.3, box["width"] * 0.7, box["height"] * 0.7
    inside = page.evaluate(f"""trendsMap.papers.paper_id.filter((_, i) => {{
        const [x, y] = trendsMap.toScreen(i); return x >= {x0} && x <= {x1} && y >= {y0} && y <= {y1}; }})""")
    assert inside, "the box should hold papers"
    page.click("#select-mode")
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    page.mouse.move(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2, steps=3)
    page.mouse.move(box["x"] + x1, box["y"] + y1, steps=3)
    page.mouse.up()
    assert page.locator("#selection h3").inner_text() == f"{len(inside)} paper{'s' if len(inside) != 1 else ''} selected"
    with page.expect_download() as download:
        page.click("#download-csv")
    rows = pd.read_csv(download.value.path(), dtype=str, keep_default_na=False)
    assert sorted(rows["paper_id"]) == sorted(inside)
    titles = shown(tables["papers"], "title")  # the titles as the map shows them
    assert rows.set_index("paper_id")["title"].to_dict() == {pid: titles[pid] for pid in rows["paper_id"]}
    assert list(rows.columns) == ["paper_id", "title", "theme_id", "theme", "page date", "url", "code_url"]
    watch.assert_clean()


def test_theme_and_date_filters_count_what_the_tables_say(open_page, map_file, tables):
    page, watch = open_page(map_file, ready=READY)
    page.select_option("#theme-filter", "t0")
    size = int(tables["themes"].set_index("theme_id").loc[0, "size"])
    page.wait_for_function(f"document.getElementById('count').value.startsWith('{size} of')")
    page.select_option("#theme-filter", "")
    dates = page.evaluate("trendsMap.meta.dates.values")
    periods, _ = trends.paper_periods(tables["papers"], tables["appearances"])
    first = periods[periods["period"] == dates[0]]["paper_id"].nunique()
    page.select_option("#date-to", "0")
    page.wait_for_function("document.getElementById('count').value.includes('shown')")
    assert page.locator("#count").inner_text() == f"{first} of 194 papers shown"
    watch.assert_clean()


def test_map_fits_a_phone_screen(open_page, map_file):
    page, watch = open_page(map_file, width=360, height=740, ready=READY)
    layout = page.evaluate("""() => {
        const r = (id) => document.getElementById(id).getBoundingClientRect();
        return {scroll: document.documentElement.scrollWidth, map: r('map'), bar: r('toolbar'), panel: r('panel')}; }""")
    assert layout["scroll"] <= 360, "no sideways scrolling"
    assert layout["map"]["width"] >= 340 and layout["map"]["height"] >= 300
    assert layout["bar"]["bottom"] <= layout["map"]["top"] + 1 and layout["panel"]["top"] >= layout["map"]["bottom"] - 1
    assert len(page.evaluate("trendsMap.shownLabels")) >= 2
    watch.assert_clean()


def test_scraped_text_stays_text(open_page, tables, tmp_path):
    hostile = '<img src=x onerror="window.pwned=1">Fast <b>decoding</b></script><script>window.pwned=2</script>'
    papers = tables["papers"].copy()
    papers.loc[0, "title"] = hostile
    papers.loc[0, "url"] = "javascript:window.pwned=3"
    papers.loc[1, "url"] = "https://example.org/paper"
    html = page_html(tables, papers)
    assert "<script>window.pwned" not in html and html.count("<script") == html.count("</script>")
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    page, watch = open_page(path, ready=READY)
    page.fill("#search", "onerror")
    page.wait_for_selector("#results li")
    page.locator("#results li").first.click()
    assert page.locator("#details h2").inner_text() == hostile
    assert page.locator("#details a").count() == 0 and page.evaluate("window.pwned") is None
    linked = papers.loc[1, "title"]
    page.fill("#search", linked)
    page.wait_for_function("q => document.querySelector('#results h3').textContent.includes(q)", arg=linked)
    page.locator("#results li").first.click()
    assert page.locator("#details h2").inner_text() == linked
    assert page.locator("#details a").get_attribute("href") == "https://example.org/paper"
    watch.assert_clean()


def test_page_is_one_offline_file_without_plotting_library(map_file):
    assert map_file.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff"), "a byte order mark says UTF-16"
    html = map_file.read_text(encoding=PAGE_ENCODING)
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "plotly" not in html.lower() and map_file.stat().st_size < 400_000


def cielab(colour: str) -> np.ndarray:
    """sRGB hex → CIELAB (D65), to measure how far apart two colours look."""
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = np.where(xyz / WHITE > 216 / 24389, np.cbrt(xyz / WHITE), (24389 / 27 * xyz / WHITE + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


WHITE = np.array([0.95047, 1.0, 1.08883])


def test_thirty_distinct_theme_colours_shared_by_map_and_figures(tables):
    assert len(set(PALETTE)) == 30
    closest = min(np.linalg.norm(cielab(a) - cielab(b)) for a, b in combinations(PALETTE, 2))
    assert closest >= 20, f"two theme colours only {closest:.1f} ΔE apart"
    assert all(cielab(c)[0] <= 90 for c in PALETTE), "every colour shows on white (Okabe-Ito yellow is 88)"
    periods, unit = trends.paper_periods(tables["papers"], tables["appearances"])
    meta = page_meta(tables["papers"], tables["themes"], tables["claims"], periods, unit)
    assert {t["id"]: t["color"] for t in meta["themes"]} == {t: theme_color(t) for t in tables["themes"]["theme_id"]}
    assert theme_color(30) == theme_color(0) and theme_color(-1) not in PALETTE


def test_texts_with_a_large_vocabulary_survive_the_packing_in_any_encoding(open_page, tables, tmp_path):
    """20,000 distinct words push ids past the 1- and 2-byte ranges (rare words used once and
    again); odd characters ride along; the page saved as UTF-8 instead of UTF-16 works too."""
    papers = tables["papers"].copy()
    extra = [f"w{k:05d}" for k in range(20_000)]
    for row in range(10):
        papers.loc[row, "abstract"] += (" " + " ".join(extra[row::10]) + " 𝒪(n) naïve <!-- </script> \x00 \r\n"
                                        + " ".join(extra[row::20]) + " end")
    path = tmp_path / "map.html"
    path.write_text(page_html(tables, papers), encoding="utf-8")
    page, watch = open_page(path, ready=READY)
    decoded = page.evaluate("Object.fromEntries(trendsMap.papers.paper_id.map((id, i) => [id, trendsMap.papers.abstract[i]]))")
    assert decoded == shown(papers, "abstract")
    watch.assert_clean()


def test_packing_round_trips_every_length(open_page, map_file):
    """The 15 bits of each character, then the spare 16th bits: byte counts around each boundary."""
    rng = random.Random(7)
    cases = []
    for length in (0, 1, 2, 3, 14, 15, 16, 29, 30, 31, 255, 1000, 4097, 70_000):
        data = bytes(rng.getrandbits(8) for _ in range(length)) if length < 1000 else rng.randbytes(length)
        packed = pack(data)
        cases.append({"chars": packed.chars, "bytes": packed.n_bytes, "data": base64.b64encode(data).decode()})
    page, watch = open_page(map_file, ready=READY)
    wrong = page.evaluate("""async ({cases, ranges}) => {
        const wrong = [];
        for (const c of cases) {
            const bytes = unpack(c.chars, c.bytes, characterValues(ranges));
            const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
            const data = new Uint8Array(await new Response(stream).arrayBuffer());
            if (btoa(String.fromCharCode(...data)) !== c.data) wrong.push(atob(c.data).length);
        }
        return wrong; }""", {"cases": cases, "ranges": page.evaluate("trendsMap.meta.packing.ranges")})
    assert wrong == []
    watch.assert_clean()


def test_a_latex_abstract_reads_clean_with_its_claims_marked(open_page, tables, tmp_path):
    """An arXiv abstract as it comes (raw LaTeX): the panel shows "2.3×" and "27%", never "\\times",
    "$" or braces, and marks each claim the extractor found in the raw text."""
    papers = tables["papers"].copy()
    papers.loc[0, "title"] = r"Fast $\mathcal{O}(n)$ Decoding"
    papers.loc[0, "abstract"] = (r"We decode $2.3\times$ faster than the baseline~\cite{li2023} on 256 \times 256 images"
                                 r" and cut memory by 27\% (from 10GB to 7.3GB). Latency drops by $10^{-3}$ s"
                                 r" and throughput rises 631-1074times, see Table~\ref{tab:main}.")
    claims = extract_claims(papers.iloc[:1])
    assert len(claims) >= 3
    path = tmp_path / "map.html"
    others = tables["claims"][tables["claims"]["paper_id"] != papers.loc[0, "paper_id"]]
    path.write_bytes(page_html(tables, papers, claims=pd.concat([claims, others])).encode(PAGE_ENCODING))
    page, watch = open_page(path, ready=READY)
    page.fill("#search", "2.3x faster")  # typed as people type it
    page.wait_for_selector("#results li")
    page.locator("#results li").first.click()
    assert page.locator("#details h2").inner_text() == "Fast O(n) Decoding"
    text = page.locator("#details > p").last.inner_text()
    assert text.startswith("We decode 2.3× faster than the baseline on 256 × 256 images and cut memory by 27%")
    assert "631–1074×" in text and "10⁻³ s" in text and text.endswith("see Table.")
    assert not re.search(r"[\\${}~]|\dtimes|li2023|tab:main", text), text
    marked = page.locator("#details .claim mark").all_inner_texts()
    assert len(marked) == len(claims) and all(m and m in text for m in marked), marked
    assert any(m.startswith("2.3×") for m in marked) and any(m.startswith("27%") for m in marked), marked
    watch.assert_clean()


def test_colour_by_largest_speedup(open_page, map_file, tables):
    page, watch = open_page(map_file, ready=READY)
    row = isolated_paper(page, "trendsMap.papers.speedup[i] !== null")
    assert row >= 0
    page.select_option("#colour-by", "speedup")
    assert page.locator("#speed-scale").is_visible()
    largest = trends.largest_speedup_per_paper(tables["claims"]).max()
    assert page.locator("#speed-max").inner_text() == f"{largest:,.0f}×", "the scale ends at the largest speedup"
    page.wait_for_timeout(100)
    pixel = page.evaluate(f"""() => {{
        const [x, y] = trendsMap.toScreen({row}), r = devicePixelRatio;
        return Array.from(document.getElementById('map').getContext('2d')
            .getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data); }}""")
    viridis = [(0x44, 0x01, 0x54), (0x3B, 0x52, 0x8B), (0x21, 0x91, 0x8C), (0x5E, 0xC9, 0x62), (0xFD, 0xE7, 0x25)]
    seen = [p * pixel[3] / 255 + 255 * (1 - pixel[3] / 255) for p in pixel[:3]]  # the canvas over the white page
    expected = [[0.85 * c + 0.15 * 255 for c in colour] for colour in viridis]  # a dot at 85 % opacity
    assert any(all(abs(a - b) < 12 for a, b in zip(seen, e)) for e in expected), pixel
    watch.assert_clean()
