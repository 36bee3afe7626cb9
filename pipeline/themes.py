"""Group papers into themes, name them, nest them in coarser groups, and lay them out in 2-D.

Pure functions of embeddings and cleaned texts, no I/O: the same input and seed give the same
themes, keywords and coordinates.

Themes are k-means clusters of the unit embeddings (cosine geometry): every paper gets a theme, and
the cost is O(n·k) per iteration, so 20,000 papers take seconds where an n×n distance matrix would
not fit. Chosen by measurement on real abstracts with k = √(n/2) (see choose_n_themes):

    n = 5,000, k = 50                              silhouette  ARI seed 42/7  NPMI top-10
    k-means                                             0.059           0.48         0.10
    mini-batch k-means                                  0.048           0.36         0.05
    k-means to 1,000 micro-clusters, Ward above         0.032           0.33        -0.04
    Ward on all papers (n×n memory)                     0.024           1.00         0.04
    n = 19,616, k = 99: k-means 0.067 / 0.59 / 0.18 in ~5 s; mini-batch 0.053 / 0.38 / 0.17

BERTopic's UMAP + HDBSCAN is compared in benchmarks/themes_vs_bertopic.py; it leaves papers as
outliers, which the report cannot use. Themes are named by class-based TF-IDF over 1-3 word phrases
(Vocabulary), and grouped into about √k parents by Ward linkage of the theme centres.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from pipeline import schema

# Words every abstract uses whatever its topic; corpus-specific ones (a listing of "autoregressive"
# papers) are found from document frequency instead, see MAX_DOC_SHARE.
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
""".split())
TOKEN_PATTERN = r"(?u)\b[A-Za-z][A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"  # 2+ chars: no "k", "x"
MAX_DOC_SHARE = 0.5  # a term in more than half of all papers describes the corpus, not a theme
N_KEYWORDS = 10
N_REPRESENTATIVES = 5


@dataclass(frozen=True)
class ThemeResult:
    """Themes of one corpus: per-paper labels, the THEMES table, the coarser level, and provenance."""

    labels: np.ndarray
    themes: pd.DataFrame
    parents: pd.DataFrame
    info: dict = field(default_factory=dict)


def fit_themes(
    embeddings: np.ndarray,
    docs: list[str],
    paper_ids: list[str] | None = None,
    *,
    n_themes: int | None = None,
    seed: int = 42,
) -> ThemeResult:
    """Cluster papers into themes (every paper in one), label them, and group them into parents.

    `docs` are the cleaned texts (for keywords); `paper_ids` fill representative_ids (row
    positions when omitted); `n_themes` overrides the automatic choice.
    """
    vectors = normalize(np.asarray(embeddings, dtype=np.float32))
    ids = [str(i) for i in range(len(docs))] if paper_ids is None else list(paper_ids)
    if not len(vectors) == len(docs) == len(ids):
        raise ValueError(f"{len(vectors)} embeddings, {len(docs)} docs and {len(ids)} paper ids differ in length")
    distinct = len({row.tobytes() for row in vectors})  # k-means makes no more clusters than points
    k = min(max(int(n_themes or choose_n_themes(len(vectors))), 1), distinct)
    labels = _by_size(_kmeans(vectors, k, seed).labels_)
    stability = adjusted_rand_score(labels, _kmeans(vectors, k, seed + 1).labels_)
    centroids = normalize(np.stack([vectors[labels == t].mean(axis=0) for t in range(k)]))
    vocabulary = Vocabulary.of(docs)
    keywords = vocabulary.keywords(labels)
    names = distinct_labels(keywords)
    parent_of = _parents(centroids)
    parent_keywords = vocabulary.keywords(parent_of[labels])
    # a parent is named by its largest themes: its own top terms would name only its most
    # distinctive child (a group of LLM, speech and time-series themes reads "time series")
    parent_names = [short_label([names[t].split(" · ")[0] for t in np.flatnonzero(parent_of == p)], max_chars=60)
                    for p in range(len(parent_keywords))]
    themes = pd.DataFrame({
        "theme_id": range(k),
        "label": names,
        "keywords": [", ".join(words) for words in keywords],
        "size": np.bincount(labels, minlength=k),
        "representative_ids": [", ".join(_representatives(vectors, labels, centroids, t, ids)) for t in range(k)],
        "parent_id": parent_of,
        "parent_label": [parent_names[p] for p in parent_of],
    })
    parents = pd.DataFrame({
        "parent_id": range(len(parent_keywords)),
        "parent_label": parent_names,
        "keywords": [", ".join(words) for words in parent_keywords],
        "size": np.bincount(parent_of[labels], minlength=len(parent_keywords)),
        "n_themes": np.bincount(parent_of, minlength=len(parent_keywords)),
    })
    info = {
        "method": "kmeans on unit embeddings", "n_themes": k, "seed": seed,
        "selection": "given" if n_themes else "sqrt(n/2), calibrated on seed stability",
        "stability_ari": round(float(stability), 3),  # agreement with a run seeded seed+1
    }
    return ThemeResult(labels=labels, themes=schema.conform(themes, schema.THEMES), parents=parents, info=info)


def choose_n_themes(n_papers: int) -> int:
    """√(n/2) themes: the finest granularity k-means reproduces across seeds.

    No internal score picks a size that grows with the corpus: on 194 to 19,616 real abstracts the
    cosine silhouette peaks at k = 2-3 (a coarse NLP / ML split) and is flat (0.05-0.07) beyond, so
    the rule is calibrated on stability instead: the largest k whose labels agree across seeds with
    mean ARI ≈ 0.5 was ~10 for 194 papers, ~20 for 1,000, ~25 for 2,000, ~45 for 5,000 and >130
    for 19,616, which √(n/2) follows (10, 22, 32, 50, 99).
    """
    return max(1, min(n_papers, int(np.sqrt(n_papers / 2) + 0.5)))


def _kmeans(vectors: np.ndarray, k: int, seed: int) -> KMeans:
    """k-means++ with as many restarts (3-10) as ~10^6 point-centre pairs allow, each capped at
    100 iterations. Ten restarts on 194 papers make two seeds agree more (ARI 0.45 -> 0.58) for
    0.02 s; three on 19,616 papers and k = 99 take ~4.5 s, where uncapped runs took up to 22 s."""
    n_init = int(np.clip(1e6 / (len(vectors) * k), 3, 10))
    return KMeans(n_clusters=k, n_init=n_init, max_iter=100, random_state=seed).fit(vectors)


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters so theme 0 is the largest (ties: the lower original number first)."""
    sizes = np.bincount(labels)
    order = np.lexsort((np.arange(len(sizes)), -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels]


def _representatives(vectors: np.ndarray, labels: np.ndarray, centroids: np.ndarray, theme: int,
                     ids: list[str]) -> list[str]:
    """The papers nearest the theme's centre: the ones that best show what it is about."""
    members = np.flatnonzero(labels == theme)
    similarity = vectors[members] @ centroids[theme]
    nearest = members[np.argsort(-similarity, kind="stable")[:N_REPRESENTATIVES]]
    return [ids[i] for i in nearest]


def _parents(centroids: np.ndarray) -> np.ndarray:
    """Coarser groups: Ward merges of theme centres, about √k of them, numbered largest first."""
    k = len(centroids)
    n_parents = max(1, round(np.sqrt(k)))
    if n_parents == k:
        return np.arange(k)
    groups = AgglomerativeClustering(n_clusters=n_parents, linkage="ward").fit_predict(centroids)
    return _by_size(groups)


# --------------------------------------------------------------------------- keywords


@dataclass(frozen=True)
class Vocabulary:
    """Which papers use which terms, built once and reused for themes and their parents.

    Terms are 1-3 word phrases that never cross punctuation or a stop word ("speedup of the model"
    gives no "speedup model"). A term counts once per paper, so one paper repeating its acronym
    cannot name a theme; terms in more than MAX_DOC_SHARE of all papers describe the corpus and are
    dropped, as are terms in a single paper.
    """

    counts: sparse.csr_matrix  # papers × terms, 0/1
    terms: np.ndarray
    forms: dict[str, str]  # lower-case word -> its most common spelling

    @classmethod
    def of(cls, docs: list[str]) -> Vocabulary:
        vectorizer = CountVectorizer(analyzer=_phrases, binary=True, min_df=min(2, len(docs)),
                                     max_df=MAX_DOC_SHARE if len(docs) > 4 else 1.0)
        try:
            counts, terms = vectorizer.fit_transform(docs).tocsr(), vectorizer.get_feature_names_out()
        except ValueError:  # every term pruned (a tiny or uniform corpus): the themes go unnamed
            counts, terms = sparse.csr_matrix((len(docs), 0)), np.array([], dtype=object)
        return cls(counts=counts, terms=terms, forms=_surface_forms(docs))

    def keywords(self, labels: np.ndarray, n_keywords: int = N_KEYWORDS) -> list[list[str]]:
        """Top terms per group by c-TF-IDF, near-duplicates merged, in the corpus's usual spelling.

        A term's score in a group is p(t|group) · log(p(t|group) / p(t)) over papers: frequent in
        the group and more frequent there than in the corpus, which silences words like "training"
        that every group uses about equally.
        """
        n_groups = int(labels.max()) + 1
        membership = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                                       shape=(n_groups, len(labels)))
        in_group = np.asarray((membership @ self.counts).todense(), dtype=np.float64)
        p_group = in_group / np.bincount(labels, minlength=n_groups)[:, None]
        p_corpus = in_group.sum(axis=0) / len(labels)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.where(p_group > 0, p_group * np.log(p_group / p_corpus), 0.0)
        if n_groups == 1:  # nothing to contrast with: its most common terms
            scores = p_group
        keywords = []
        for row in scores:
            ranked = [self.terms[i] for i in np.argsort(-row, kind="stable")[: 4 * n_keywords] if row[i] > 0]
            keywords.append([self._display(term) for term in _merge_near_duplicates(ranked)[:n_keywords]])
        return keywords

    def _display(self, term: str) -> str:
        return " ".join(self.forms.get(word, word) for word in term.split())


_PHRASE_BREAK = re.compile(r"[^\w\s-]+|\s-+\s")
_STOP_WORDS = ENGLISH_STOP_WORDS | ACADEMIC_STOP_WORDS


def _phrases(doc: str, max_words: int = 3) -> list[str]:
    """All 1..max_words-grams inside runs of non-stop words between punctuation marks."""
    grams = []
    for chunk in _PHRASE_BREAK.split(doc.lower()):
        run: list[str] = []
        for word in re.findall(TOKEN_PATTERN, chunk) + [""]:
            if word and word not in _STOP_WORDS:
                run.append(word)
                continue
            grams += [" ".join(run[i : i + n]) for n in range(1, max_words + 1) for i in range(len(run) - n + 1)]
            run = []
    return grams


_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ed", "es", "s", "e")


def _stem(word: str) -> str:
    """A crude stem for comparing terms only: generate/generating/generation, token/tokens."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _canonical(term: str) -> tuple[str, ...]:
    """Stemmed words, hyphens split: "low-rank matrices" and "low rank matrix" compare equal."""
    return tuple(_stem(word) for word in re.split(r"[\s-]+", term) if word)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _pairs(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {words[i : i + 2] for i in range(len(words) - 1)}


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same phrase, one inside the other, or a shared two-word piece ("time series")."""
    return a == b or _contains(a, b) or _contains(b, a) or bool(_pairs(a) & _pairs(b))


def _merge_near_duplicates(ranked: list[str]) -> list[str]:
    """Drop near-duplicates ("tokens" after "token"); a longer phrase stands in for one inside it.

    "image generation" replaces "generation" at generation's rank, so the keywords keep their order
    of importance but say it the specific way.
    """
    keys = {term: _canonical(term) for term in ranked}
    kept: list[tuple[str, tuple[str, ...]]] = []
    for term in ranked:
        while longer := next((other for other in ranked if _contains(keys[other], keys[term])), None):
            term = longer  # "forecasting" -> "series forecasting" -> "time series forecasting"
        if not any(_overlaps(keys[term], other) for _, other in kept):
            kept.append((term, keys[term]))
    return [term for term, _ in kept]


def _surface_forms(docs: list[str]) -> dict[str, str]:
    """Each word's most common spelling, so labels say "LLM" and "ImageNet", not "llm" and "imagenet"."""
    counts = Counter(word for doc in docs for word in re.findall(TOKEN_PATTERN, doc))
    forms: dict[str, tuple[int, str]] = {}
    for word, count in counts.items():
        lower = word.lower()
        if count > forms.get(lower, (0, ""))[0]:
            forms[lower] = (count, word)
    return {lower: word for lower, (_, word) in forms.items()}


def distinct_labels(keywords: list[list[str]]) -> list[str]:
    """Short labels, largest theme first, each avoiding terms an earlier label already used, so
    two image-generation themes read "autoregressive image generation" and "FID · AR models"."""
    used: set[str] = set()
    labels = []
    for words in keywords:
        label = short_label([word for word in words if word.lower() not in used] or words)
        used.update(word.lower() for word in label.split(" · "))
        labels.append(label)
    return labels


def short_label(keywords: list[str], max_chars: int = 40) -> str:
    """Two or three top keywords joined with " · ", as many as fit in `max_chars`."""
    label = keywords[0] if keywords else "(no keywords)"
    for word in keywords[1:3]:
        if len(label) + 3 + len(word) > max_chars:
            break
        label += " · " + word
    return label


# --------------------------------------------------------------------------- layout


def layout_2d(embeddings: np.ndarray, seed: int = 42, perplexity: float = 30.0) -> np.ndarray:
    """2-D positions for the map: t-SNE (openTSNE) with cosine distance, single-threaded so `seed` fixes it.

    Chosen over UMAP by measurement on 2 cores, fresh process: 194 papers take 1.7 s against UMAP's
    9.9 s, almost all of it UMAP's numba JIT, which no cache avoids; 19.5k papers take 49 s against
    UMAP's ~44 s (8 s plus 36 s of JIT). The two maps separate the same themes to the eye.
    """
    n = len(embeddings)
    if n < 4:  # t-SNE needs a neighbourhood; a tiny corpus is laid out on a line by its first PC
        return _tiny_layout(np.asarray(embeddings, dtype=np.float64))
    from openTSNE import TSNE  # imported on use: only a new layout needs it

    tsne = TSNE(perplexity=min(perplexity, (n - 1) / 3), metric="cosine", random_state=seed, n_jobs=1)
    return np.asarray(tsne.fit(np.asarray(embeddings, dtype=np.float32)), dtype=np.float64)


def _tiny_layout(embeddings: np.ndarray) -> np.ndarray:
    """One to three papers: spread along their first principal direction."""
    centred = embeddings - embeddings.mean(axis=0)
    if len(embeddings) < 2:
        return np.zeros((len(embeddings), 2))
    direction = np.linalg.svd(centred, full_matrices=False)[2][0]
    return np.column_stack([centred @ direction, np.zeros(len(embeddings))])
