"""report.html in a real browser: opens offline without errors, prints every section, and reads at
800 and 360 px without words broken letter by letter."""

from __future__ import annotations

import io
import re

import pytest


# Every block of text in the report body, as the reader sees it (closed <details> included).
TEXT_BLOCKS = """() => [...document.querySelectorAll(
    "main h1, main h2, main h3, main p, main li, main td, main th, main summary, main figcaption")]
  .filter((node) => !node.querySelector("p, li, td, table, ul"))
  .map((node) => node.textContent)"""

# Words (2 to 20 characters, split where the browser may break: spaces and after dashes or
# slashes) wider than the block they sit in: the browser had to cut them mid-word to fit.
BROKEN_WORDS = """() => {
  const measure = document.createElement("canvas").getContext("2d"), broken = [];
  for (const node of document.querySelectorAll("main td, main th, main p, main li, main h1, main h2, main h3, main summary, main figcaption")) {
    const style = getComputedStyle(node);
    if (!node.offsetParent) continue;
    const width = node.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    for (const word of node.innerText.split(/\\s+|(?<=[-\\/–—])/)) {
      if (word.length >= 2 && word.length <= 20 && measure.measureText(word).width > width + 1)
        broken.push(`${word} in a ${Math.round(width)} px ${node.tagName.toLowerCase()}`);
    }
  }
  return broken;
}"""


def squashed(text: str) -> str:
    """Without whitespace: PDF text extraction puts line breaks where the layout wrapped."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def report_file(default_run):
    return default_run["reports"] / "report.html"


def test_report_opens_offline_without_errors(open_page, report_file):
    page, watch = open_page(report_file)
    page.wait_for_load_state("load")
    assert page.locator("main section").count() >= 6
    watch.assert_clean()


def test_printed_report_holds_every_section(open_page, report_file):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install -e '.[test]')")
    page, watch = open_page(report_file)
    page.wait_for_load_state("load")
    blocks = [b for b in page.evaluate(TEXT_BLOCKS) if b.strip()]
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))  # DevTools Page.printToPDF
    printed = squashed(" ".join(p.extract_text() for p in pdf.pages))
    missing = [b.strip()[:80] for b in blocks if squashed(b) not in printed]
    assert not missing, f"{len(missing)} of {len(blocks)} text blocks are not in the printout, e.g. {missing[:5]}"
    sections = page.locator("#detail details").count()
    assert sections >= 2 and len(blocks) > 300
    watch.assert_clean()


@pytest.mark.parametrize("width", [800, 360])
def test_words_do_not_break_letter_by_letter(open_page, report_file, width):
    page, watch = open_page(report_file, width=width, height=900)
    page.wait_for_load_state("load")
    broken = page.evaluate(BROKEN_WORDS)
    assert not broken, f"{len(broken)} words cut at {width} px, e.g. {broken[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    watch.assert_clean()


HEADING_BELOW_NAV = """(id) => {
  const target = document.getElementById(id);
  const heading = target.matches("h1, h2, h3, h4, summary") ? target : target.querySelector("h2, h3, h4, summary");
  return {heading: heading.getBoundingClientRect().top, nav: document.querySelector("nav").getBoundingClientRect().bottom};
}"""


@pytest.mark.parametrize("width", [1400, 360])
def test_sticky_nav_never_hides_the_heading_it_jumps_to(open_page, report_file, width):
    page, watch = open_page(report_file, width=width, height=700)
    page.wait_for_load_state("load")
    targets = page.eval_on_selector_all("nav a[href^='#']", "links => links.map((a) => a.getAttribute('href').slice(1))")
    assert len(targets) >= 6
    for target in targets:
        page.click(f"nav a[href='#{target}']")
        where = page.evaluate(HEADING_BELOW_NAV, target)
        assert where["heading"] >= where["nav"] - 1, f"#{target}: heading at {where['heading']} px, nav ends at {where['nav']} px"
    watch.assert_clean()
