"""The text the map's panel shows: no LaTeX or scraper residue, numbers typeset, and every claim's
raw span found again in it. Cases are the residue seen in the default corpus, the 25,841 arXiv
abstracts (raw LaTeX) and the 19,616 conference abstracts (scraped from PDFs)."""

from __future__ import annotations

import json
import random
import re
import unicodedata

import pandas as pd
import pytest

from pipeline.claims import claims_in_text
from pipeline.report.map_pack import encode_texts
from pipeline.report.map_text import display_text
from tests.conftest import SHARED

ARXIV = SHARED / "corpora" / "arxiv_2025_26.jsonl"
RESIDUE = re.compile(r"[\\${}]|\dtimes\b|\dtimes\d|\(cid:\d+\)|  ")


@pytest.mark.parametrize(("raw", "shown"), [
    (r"agreement is just 12.8\%, and \texttt{SAFE} rate", "agreement is just 12.8%, and SAFE rate"),
    (r"a $2.3\times$ speedup on 256 \times 256 images, 5.02 $\times$ less power",
     "a 2.3× speedup on 256 × 256 images, 5.02× less power"),
    (r"a $10^5 \times$ reduction in model parameters", "a 10⁵× reduction in model parameters"),
    ("requiring 10times FLOPs on ImageNet 256times256", "requiring 10× FLOPs on ImageNet 256×256"),
    ("throughput rises 631-1074times, 2x-5x or 10%-20%", "throughput rises 631–1074×, 2×–5× or 10%–20%"),
    ("producing 1024 times 1024 images 3 times faster", "producing 1024 × 1024 images 3 times faster"),
    ("Llama-3-8B on 2024-01-15 with GPT-4 and 8-10-bit weights", "Llama-3-8B on 2024-01-15 with GPT-4 and 8–10-bit weights"),
    ("5x, 2.5x, 3x3 conv, 1920x1080, but 0x1F, v2x and A100x", "5×, 2.5×, 3×3 conv, 1920×1080, but 0x1F, v2x and A100x"),
    (r"error of $10^{-3}$ in $\mathcal{O}(n^2)$ time, F$_1$ of 0.9 at 90$^\circ$", "error of 10⁻³ in O(n²) time, F1 of 0.9 at 90°"),
    (r"parity-check~(LDPC) codes, Fig.~3, about ~50% less, 0.4~2.5 μm, by$\sim$30\%",
     "parity-check (LDPC) codes, Fig. 3, about ~50% less, 0.4–2.5 μm, by~30%"),
    (r"as in SD3.5 Large~\cite{sd3} and GPT-4~\citep[p.~3]{openai2023gpt4}; see Table~\ref{tab:main}.",
     "as in SD3.5 Large and GPT-4; see Table."),
    (r"ART$\boldsymbol{\cdot}$V, $\alpha$-entmax, $\mathcal{O}(n \log n)$ and $\ell_1 \to \infty$",
     "ART·V, α-entmax, O(n log n) and ℓ1 → ∞"),
    (r"\( 1256 \) kMAC at https://x.org/learn\_the\_details, scenes$\unicode{x2013}$synthetic",
     "1256 kMAC at https://x.org/learn_the_details, scenes–synthetic"),
    ("minus −0.5 and × 3; a classi(cid:12)cation e(cid:11)ect, sim(cid:173) ulated on an N(cid:2)N grid",
     "minus −0.5 and × 3; a classification effect, simulated on an N×N grid"),
    ("Plain text stays as it is: 3.5 points, 12 layers.", "Plain text stays as it is: 3.5 points, 12 layers."),
])
def test_residue_becomes_typography(raw, shown):
    text = display_text(raw)
    assert text.text == shown
    assert len(text.origin) == len(text.text) and (text.origin[1:] >= text.origin[:-1]).all()


def test_claim_spans_map_to_the_number_shown():
    raw = r"We are $2.3\times$ faster and use 27\% less memory than~\cite{x} at $10^{-3}$ error."
    text = display_text(raw)
    marked = [text.text[slice(*text.span(c.start, c.end))] for c in claims_in_text(raw)]
    assert any(m.startswith("2.3×") for m in marked) and any(m.startswith("27%") for m in marked), marked


def digits(text: str) -> list[str]:
    """The digits a reader sees, superscripts included, not those of a character code (x2013)."""
    return re.findall(r"\d", unicodedata.normalize("NFKC", re.sub(r"x20[12][0-9a-f]", "", text)))


def assert_claims_found(abstracts: list[str]) -> int:
    """Each claim's raw span, mapped to the text shown, holds the same digits; no residue left."""
    n = 0
    for raw in abstracts:
        text = display_text(raw)
        assert not RESIDUE.search(text.text), (RESIDUE.search(text.text), text.text)
        for claim in claims_in_text(raw):
            shown = text.text[slice(*text.span(claim.start, claim.end))]
            assert shown and digits(shown) == digits(raw[claim.start:claim.end]), (raw[claim.start:claim.end], shown)
            n += 1
    return n


def test_default_corpus_reads_clean(default_run):
    papers = pd.read_parquet(default_run["processed"] / "papers.parquet")
    assert assert_claims_found(papers["abstract"].tolist()) > 100
    assert not any(RESIDUE.search(display_text(title).text) for title in papers["title"])


def test_arxiv_latex_reads_clean():
    """300 raw-LaTeX arXiv abstracts, drawn at random."""
    if not ARXIV.exists():
        pytest.skip(f"arXiv corpus not found at {ARXIV}")
    lines = [line for line in ARXIV.read_text(encoding="utf-8").split("\n") if "\\\\" in line]
    sample = [" ".join(json.loads(line)["abstract"].split()) for line in random.Random(3).sample(lines, 300)]
    assert assert_claims_found(sample) > 100


def test_vocabulary_past_the_two_byte_ids_needs_three_byte_prefixes():
    words = [f"w{k}" for k in range(40_000)]
    data = encode_texts([" ".join(words[:20_000]), " ".join(words), "plain"])
    assert data[4] == 1  # one lead byte of 3-byte ids holds 65,536 rare words
    assert encode_texts(["a few words"])[4] == 0
