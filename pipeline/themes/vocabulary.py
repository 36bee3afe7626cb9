"""Which papers use which phrases: the counts every labeller and coherence score is built on.

Phrases are 1-4 word runs that never cross punctuation or a stop word ("speedup of the model" gives
no "speedup model"), taken from the text with URLs removed (a code link's user name is no topic).
A phrase counts once per paper, so one paper repeating its acronym cannot name a theme; phrases in
more than MAX_DOC_SHARE of the papers describe the corpus and are dropped, as are phrases in one paper.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

# Words every abstract uses whatever its topic; corpus-specific ones (a listing of "autoregressive"
# papers) are found from document frequency instead.
ACADEMIC_STOP_WORDS = frozenset("""
    paper propose proposed proposes present presents introduce introduces introduced novel new
    approach approaches method methods result results show shows shown demonstrate demonstrates
    achieve achieves achieved achieving experiment experiments experimental extensive work works
    based using use used uses existing performance significantly significant improve improves
    improved improving state art sota outperform outperforms outperforming task tasks problem
    problems framework furthermore moreover specifically additionally however address addresses
    et al github https http com code available www org effectively effective efficient
    efficiently recent recently various different key able including previous prior study
    potential enable enables enabling provide provides providing procedure represent change
    impact notable generally benefits named reliable small fewer details introducing research
    previously ability capabilities crucial remains remain particularly findings suggest
    suggests investigate investigates investigated aim aims number setting settings
    leverage leverages leveraging enhance enhances enhanced enhancing demonstrating designed
""".split())
STOP_WORDS = ENGLISH_STOP_WORDS | ACADEMIC_STOP_WORDS
# Praise and vague words: they may sit inside a phrase ("large language models") but a keyword or
# name does not start with the first set ("impressive quality") nor end with either ("· real-world").
EVALUATIVE_WORDS = frozenset("""
    superior strong stronger impressive promising remarkable competitive comparable substantial
    substantially consistent consistently better best significant comprehensive simple challenging
    real-world extensive excellent favorable notable state-of-the-art unprecedented
""".split())
VAGUE_END_WORDS = EVALUATIVE_WORDS | frozenset("""
    high higher low lower large larger small quality challenge challenges limited limitation
    limitations strategy strategies technique techniques paradigm paradigms capability wide
    world real open typically fully improvement improvements gains gain settings scenarios
    manner way ways fashion process aspects level levels range ones times
""".split())
TOKEN_PATTERN = r"(?u)\b[A-Za-z][A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"  # 2+ chars: no "k", "x"
MAX_DOC_SHARE = 0.5  # a phrase in more than half of all papers describes the corpus, not a theme
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|io|net|ai)(?:/\S*)?", re.IGNORECASE)
_PHRASE_BREAK = re.compile(r"[^\w\s-]+|\s-+\s")


@dataclass(frozen=True)
class Vocabulary:
    """Papers × phrases (0/1), the phrases, and each word's most common spelling."""

    counts: sparse.csr_matrix
    terms: np.ndarray
    forms: dict[str, str]
    word_share: dict[str, float]  # share of papers using each word, for words in a tenth or more

    @classmethod
    def of(cls, docs: list[str]) -> Vocabulary:
        docs = [_URL.sub(" . ", doc) for doc in docs]
        vectorizer = CountVectorizer(analyzer=phrases, binary=True, min_df=min(2, len(docs)),
                                     max_df=MAX_DOC_SHARE if len(docs) > 4 else 1.0)
        try:
            counts, terms = vectorizer.fit_transform(docs).tocsr(), vectorizer.get_feature_names_out()
        except ValueError:  # every phrase pruned (a tiny or uniform corpus): the themes go unnamed
            counts, terms = sparse.csr_matrix((len(docs), 0)), np.array([], dtype=object)
        return cls(counts=counts.astype(np.float64), terms=np.asarray(terms, dtype=object),
                   forms=_surface_forms(docs), word_share=_word_shares(docs))

    def columns(self, kept: np.ndarray) -> Vocabulary:
        """The same papers with only the phrases at `kept` (in that order); spellings and word shares,
        which describe the corpus, stay whole."""
        return Vocabulary(counts=self.counts[:, kept], terms=self.terms[kept], forms=self.forms,
                          word_share=self.word_share)

    def group_counts(self, labels: np.ndarray, n_groups: int | None = None) -> np.ndarray:
        """groups × phrases: how many papers of each group use each phrase."""
        return np.asarray(self._grouped(labels, n_groups).todense())

    def shared_group_counts(self, labels: np.ndarray, n_groups: int, min_papers: int) -> tuple[np.ndarray, np.ndarray]:
        """The phrases (column numbers, in order) that at least `min_papers` papers of some one group
        use, and groups × those phrases counts; the dense matrix of all phrases (254 × 181k float64
        at 25,838 papers) is never built."""
        grouped = self._grouped(labels, n_groups)
        kept = np.flatnonzero(grouped.max(axis=0).toarray().ravel() >= min_papers)
        return kept, grouped[:, kept].toarray()

    def document_share(self) -> np.ndarray:
        """The share of all papers using each phrase."""
        return np.asarray(self.counts.sum(axis=0)).ravel() / self.counts.shape[0]

    def _grouped(self, labels: np.ndarray, n_groups: int | None) -> sparse.csr_matrix:
        n_groups = int(labels.max()) + 1 if n_groups is None else n_groups
        membership = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                                       shape=(n_groups, len(labels)))
        return (membership @ self.counts).tocsr()

    def display(self, term: str) -> str:
        """The phrase in the corpus's usual spelling ("LLM", "ImageNet", not "llm", "imagenet")."""
        return " ".join(self.forms.get(word, word) for word in term.split())


def phrases(doc: str, max_words: int = 4) -> list[str]:
    """All 1..max_words-grams inside runs of non-stop words between punctuation marks."""
    grams = []
    for chunk in _PHRASE_BREAK.split(doc.lower()):
        run: list[str] = []
        for word in re.findall(TOKEN_PATTERN, chunk) + [""]:
            if word and word not in STOP_WORDS:
                run.append(word)
                continue
            grams += [" ".join(run[i : i + n]) for n in range(1, max_words + 1) for i in range(len(run) - n + 1)]
            run = []
    return grams


def _word_shares(docs: list[str], min_share: float = 0.1) -> dict[str, float]:
    """Words used by at least `min_share` of the papers (stop words included), with their share."""
    papers_using = Counter(word for doc in docs for word in set(re.findall(TOKEN_PATTERN, doc.lower())))
    return {word: count / len(docs) for word, count in papers_using.items() if count >= min_share * len(docs)}


def _surface_forms(docs: list[str]) -> dict[str, str]:
    counts = Counter(word for doc in docs for word in re.findall(TOKEN_PATTERN, doc))
    forms: dict[str, tuple[int, str]] = {}
    for word, count in counts.items():
        lower = word.lower()
        if count > forms.get(lower, (0, ""))[0]:
            forms[lower] = (count, word)
    return {lower: word for lower, (_, word) in forms.items()}


_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ed", "es", "s", "e")


def stem(word: str) -> str:
    """A crude stem for comparing phrases only: generate/generating/generation, token/tokens."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def canonical(term: str) -> tuple[str, ...]:
    """Stemmed lower-case words, hyphens split: "Low-rank matrices" and "low rank matrix" compare equal."""
    return tuple(stem(word) for word in re.split(r"[\s-]+", term.lower()) if word)


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same phrase, one inside the other, or a shared two-word piece ("time series")."""
    pairs = lambda words: {words[i : i + 2] for i in range(len(words) - 1)}  # noqa: E731
    return a == b or contains(a, b) or contains(b, a) or bool(pairs(a) & pairs(b))


def merge_near_duplicates(ranked: list[str]) -> list[str]:
    """Drop near-duplicates ("tokens" after "token"); a longer phrase stands in for one inside it,
    at the shorter one's rank ("generation" -> "image generation"), so order stays by importance."""
    keys = {term: canonical(term) for term in ranked}
    kept: list[tuple[str, tuple[str, ...]]] = []
    for term in ranked:
        while longer := next((other for other in ranked if contains(keys[other], keys[term])), None):
            term = longer
        if not any(overlaps(keys[term], other) for _, other in kept):
            kept.append((term, keys[term]))
    return [term for term, _ in kept]
