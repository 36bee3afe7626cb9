"""The search stage on real abstracts of the default corpus: words with their endings, phrases,
whole words only, meaning by cosine, and the two rankings fused."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.search import fuse, query_terms, rank_papers, stem, word_scores
from tests.conftest import RAW_DIR


@pytest.fixture(scope="module")
def corpus():
    from pipeline.run import collect_sources, ingest_inputs

    papers = ingest_inputs(collect_sources((RAW_DIR,)))["papers"]
    return papers["title"].tolist(), papers["abstract"].tolist()


def test_query_words_lose_stopwords_and_endings():
    assert query_terms("Speculative decoding for the LLMs") == ["speculative", "decoding", "llms"]
    assert query_terms("the of") == ["the", "of"], "a query of stopwords only is searched as written"
    assert {stem(word) for word in ("decoding", "decoder", "decoders", "decoded", "decode")} == {"decod"}
    assert stem("llms") == "llm" and stem("loss") == "loss" and stem("ring") == "ring"


def test_words_match_their_endings_and_whole_words_only():
    titles = ["A decoder for images", "Remodeling cities", "Decoded, decodes, decoding", "Models"]
    abstracts = ["", "We remodel houses.", "", "model, modelled and models"]
    scores = word_scores("decoding", titles, abstracts)
    assert scores[0] > 0 and scores[2] > scores[0] and scores[1] == 0 and scores[3] == 0
    assert word_scores("model", titles, abstracts)[1] == 0, "'model' is not found inside 'remodel'"


def test_the_exact_phrase_ranks_first_on_real_abstracts(corpus):
    titles, abstracts = corpus
    scores = word_scores("speculative decoding", titles, abstracts)
    top = np.argsort(-scores, kind="stable")[:5]
    assert all("speculative decoding" in (titles[i] + " " + abstracts[i]).lower() for i in top)
    apart = [i for i, (t, a) in enumerate(zip(titles, abstracts))
             if "speculative" in (t + a).lower() and "decod" in (t + a).lower()
             and "speculative decoding" not in (t + " " + a).lower()]
    together = [i for i in range(len(titles)) if "speculative decoding" in (titles[i] + " " + abstracts[i]).lower()]
    assert together and apart and min(scores[together]) > 0
    assert np.median(scores[together]) > np.median(scores[apart]), "the phrase counts beyond its two words"


def test_counts_stay_with_their_text_when_lower_case_changes_a_length():
    # "İ".lower() is two characters: offsets of the texts after it must still be right
    scores = word_scores("decoding", ["İİİİ İstanbul", "decoding"], ["", ""])
    assert scores[0] == 0 and scores[1] > 0


def test_a_word_in_the_title_counts_more_than_in_the_abstract():
    scores = word_scores("tokenizer", ["A tokenizer", "A study"], ["We study text.", "A tokenizer for text."])
    assert scores[0] > scores[1] > 0


def test_rank_papers_by_words_keeps_only_matches(corpus):
    titles, abstracts = corpus
    found = rank_papers("speculative decoding", titles, abstracts, by="words")
    assert len(found) < len(titles) and (found["words"] > 0).all()
    assert found["score"].is_monotonic_decreasing
    assert found["words_rank"].tolist() == list(range(1, len(found) + 1))


def test_rank_papers_by_meaning_and_fused():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    titles = ["graph networks", "speculative decoding", "image tokenizer", "decoding speed"]
    by_meaning = rank_papers("anything", titles, [""] * 4, vectors, vectors[2], by="meaning")
    assert by_meaning["row"].iloc[0] == 2 and by_meaning["similarity"].iloc[0] == pytest.approx(1.0, abs=1e-6)
    both = rank_papers("speculative decoding", titles, [""] * 4, vectors, vectors[1], by="both")
    assert both["row"].iloc[0] == 1, "first by meaning and by words: first fused"
    assert set(both["row"]) == {0, 1, 2, 3}, "fused: every paper has a rank by meaning"
    with pytest.raises(ValueError, match="by must be one of"):
        rank_papers("x", titles, [""] * 4, by="sense")


def test_reciprocal_rank_fusion():
    nan = np.nan
    scores = fuse(np.array([1.0, 2.0, 3.0]), np.array([nan, 1.0, nan]))
    assert np.argmax(scores) == 1
    assert scores[0] > scores[2]
