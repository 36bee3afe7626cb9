"""Rank papers for a query by meaning, by words, or both: the stage behind `trends search`.

By meaning: cosine between the query's embedding and each paper's (the run's vectors are unit
length, so a dot product). By words: BM25 over title and abstract, a word in the title counting
twice (BM25F-style), words matched with their common endings ("decoding" finds "decoder",
"decoded"), adjacent query words also scored as a phrase so that "speculative decoding" ranks
the papers that say exactly that first. Both: the two rankings fused by reciprocal rank (Cormack
et al., 2009), which needs no calibration between a cosine and a BM25 score.

Pure functions of texts and arrays; the store reads the papers and vectors, the CLI loads the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

SEARCH_MODES = ("both", "meaning", "words")
BM25_K1 = 1.2
BM25_B = 0.75
TITLE_WEIGHT = 2
RRF_K = 60

# Words too common to find anything with; dropped from a query unless it has nothing else.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have how in into is it its of on or our that the their this "
    "to via we what when which with".split()
)
# Endings a query word is matched with, longest first; a word is cut to its stem before matching.
_ENDINGS = ("ations", "ation", "ings", "ions", "ing", "ion", "ers", "ies", "er", "ed", "es", "e", "s", "y")
_WORD = re.compile(r"\w+")


def query_terms(query: str) -> list[str]:
    """The query's words, lower-cased, without stopwords (kept when the query has nothing else)."""
    words = [word.lower() for word in _WORD.findall(query)]
    content = [word for word in words if word not in STOPWORDS]
    return content or words


def stem(word: str) -> str:
    """`word` without its longest common ending, if enough is left to be distinctive."""
    for ending in _ENDINGS:
        keep = 3 if ending == "s" else 4
        if word.endswith(ending) and len(word) - len(ending) >= keep and not (ending == "s" and word.endswith("ss")):
            return word[: -len(ending)]
    return word


def _word_pattern(word: str) -> str:
    return re.escape(stem(word)) + "(?:" + "|".join(_ENDINGS) + ")?"


def term_patterns(terms: Sequence[str]) -> list[re.Pattern[str]]:
    """One pattern per query word, and one per pair of adjacent words (the phrase), for lower-cased text.

    A pattern starts with its literal stem and no word-boundary test, which lets the regex engine
    skip ahead to the stem (about twenty times faster on 25,000 abstracts); `_Joined.counts` checks
    the boundary before each match instead.
    """
    words = [rf"{_word_pattern(term)}\b" for term in dict.fromkeys(terms)]
    pairs = [rf"{_word_pattern(a)}\W+{_word_pattern(b)}\b" for a, b in zip(terms, terms[1:])]
    return [re.compile(pattern) for pattern in words + pairs]


_SEPARATOR = "\n_\n"  # between texts joined for one scan: a phrase's \W+ cannot cross a word character


class _Joined:
    """Texts lower-cased and joined into one string, so that a pattern is found in all with one scan."""

    def __init__(self, texts: Sequence[str]) -> None:
        lowered = [text.lower() for text in texts]  # each on its own: lower() may change a text's length
        self.text = _SEPARATOR.join(lowered)
        self.starts = np.cumsum([0] + [len(text) + len(_SEPARATOR) for text in lowered[:-1]])
        self.n = len(texts)

    def counts(self, pattern: re.Pattern[str]) -> np.ndarray:
        """How often `pattern` occurs in each text, as a whole word (not inside a longer one)."""
        text = self.text
        positions = [start for match in pattern.finditer(text)
                     if not ((start := match.start()) and (text[start - 1].isalnum() or text[start - 1] == "_"))]
        rows = np.searchsorted(self.starts, positions, side="right") - 1
        return np.bincount(rows, minlength=self.n).astype(np.float64)


def word_scores(query: str, titles: Sequence[str], abstracts: Sequence[str]) -> np.ndarray:
    """BM25 score of each paper for the query's words and phrases; 0 where none occurs."""
    titles = [title if isinstance(title, str) else "" for title in titles]
    abstracts = [abstract if isinstance(abstract, str) else "" for abstract in abstracts]
    n = len(titles)
    scores = np.zeros(n)
    terms = query_terms(query)
    if not n or not terms:
        return scores
    lengths = np.array([TITLE_WEIGHT * len(t.split()) + len(a.split()) for t, a in zip(titles, abstracts)], float)
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(lengths.mean(), 1.0))
    joined_titles, joined_abstracts = _Joined(titles), _Joined(abstracts)
    for pattern in term_patterns(terms):
        tf = TITLE_WEIGHT * joined_titles.counts(pattern) + joined_abstracts.counts(pattern)
        df = int((tf > 0).sum())
        if df:
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            scores += idf * tf * (BM25_K1 + 1) / (tf + norm)
    return scores


def meaning_scores(query_vector: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of each paper's vector with the query's."""
    query_vector = np.asarray(query_vector, dtype=np.float32).ravel()
    norms = np.linalg.norm(vectors, axis=1) * max(float(np.linalg.norm(query_vector)), 1e-12)
    return (vectors @ query_vector) / np.maximum(norms, 1e-12)


def rank_positions(scores: np.ndarray, found: np.ndarray) -> np.ndarray:
    """1 for the best score, 2 for the next, …; NaN where `found` is false (not in this ranking)."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    positions = np.empty(len(scores))
    positions[order] = np.arange(1, len(scores) + 1)
    return np.where(found, positions, np.nan)


def rank_papers(query: str, titles: Sequence[str], abstracts: Sequence[str], vectors: np.ndarray | None = None,
                query_vector: np.ndarray | None = None, by: str = "both") -> pd.DataFrame:
    """Every paper that matches, best first: its row number, `score` (the one ranked by), `similarity`
    (cosine), `words` (BM25) and its rank by each; a paper with no query word is not found by words.

    `by` is meaning, words or both; meaning needs `vectors` (one row per paper) and `query_vector`.
    """
    if by not in SEARCH_MODES:
        raise ValueError(f"by must be one of {', '.join(SEARCH_MODES)}, not {by!r}")
    n = len(titles)
    result = pd.DataFrame({"row": np.arange(n)})
    if by in ("meaning", "both"):
        if vectors is None or query_vector is None or len(vectors) != n:
            raise ValueError("searching by meaning needs one vector per paper and the query's vector")
        result["similarity"] = meaning_scores(query_vector, vectors)
        result["meaning_rank"] = rank_positions(result["similarity"].to_numpy(), np.ones(n, bool))
    if by in ("words", "both"):
        result["words"] = word_scores(query, titles, abstracts)
        result["words_rank"] = rank_positions(result["words"].to_numpy(), result["words"].to_numpy() > 0)
    if by == "meaning":
        result["score"] = result["similarity"]
    elif by == "words":
        result = result[result["words"] > 0].assign(score=lambda frame: frame["words"])
    else:
        result["score"] = fuse(result["meaning_rank"].to_numpy(), result["words_rank"].to_numpy())
    return result.sort_values(["score", "row"], ascending=[False, True], kind="stable").reset_index(drop=True)


def fuse(*rankings: np.ndarray) -> np.ndarray:
    """Reciprocal rank fusion: the sum of 1 / (RRF_K + rank) over the rankings a paper is in."""
    return sum(np.where(np.isnan(ranks), 0.0, 1.0 / (RRF_K + np.nan_to_num(ranks, nan=0.0))) for ranks in rankings)
