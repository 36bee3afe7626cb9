"""Name groups of papers (themes, areas) the way a survey names its sections, without an LLM.

Candidates are the phrases of the group's own papers (vocabulary.py), kept when enough of its
papers use them and the corpus at large does not (the corpus's own search term names nothing).
Each is scored by how typical it is of the group, the cosine between the phrase's embedding and
the group's centre (KeyBERT), times how much it separates the group from its siblings (class-based
TF-IDF against the sibling groups). The best candidate not taken by an earlier, larger group is
the name; a second one chosen by maximal marginal relevance joins it ("X and Y") when it covers
papers the first does not. Keywords are the top c-TF-IDF phrases against the whole corpus, and the
description line gives the most typical title and the distinctive terms the name leaves out.

Phrase embeddings come from the `encoder` (the run's own model, through its cache); without one,
a phrase stands for the mean vector of the papers that use it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import normalize

from pipeline.themes.vocabulary import (EVALUATIVE_WORDS, MAX_DOC_SHARE, VAGUE_END_WORDS, Vocabulary, canonical,
                                        contains, merge_near_duplicates, overlaps)

Encoder = Callable[[list[str]], np.ndarray]

N_KEYWORDS = 10
KEYWORD_COVERAGE = 0.10
KEYWORD_MAX_WORDS = 3
# A name's phrase must be used by this share of the group's papers (and by two at least) ...
MIN_COVERAGE = 0.15
# A lone word ("Attention", "Throughput") names a section less well than a phrase that uses it.
SINGLE_WORD_WEIGHT = 0.5
# ... and by at most this share of the corpus: "autoregressive" in a listing of autoregressive papers names nothing.
MAX_CORPUS_SHARE = 0.25
GROUP_CHUNK = 32  # groups scored together: 32 × the kept phrases of float64 per array


@dataclass(frozen=True)
class Names:
    """Per group: its name, a one-line description and its keywords."""

    labels: list[str]
    descriptions: list[str]
    keywords: list[list[str]]


class PhraseLabeller:
    """Names from candidate phrases ranked by typicality × separation, distinct across groups.

    `n_candidates` phrases per group are embedded; `diversity` is MMR's weight against a second
    phrase that only repeats the first; `max_chars` bounds a two-phrase name.
    """

    def __init__(self, encoder: Encoder | None = None, n_candidates: int = 20, diversity: float = 0.7,
                 max_chars: int = 56) -> None:
        self.encoder = encoder
        self.n_candidates = n_candidates
        self.diversity = diversity
        self.max_chars = max_chars

    def name(self, vocabulary: Vocabulary, unit_vectors: np.ndarray, labels: np.ndarray,
             siblings: Sequence[Sequence[int]], titles: Sequence[str], taken: Sequence[str] = (),
             kind: str = "Theme") -> Names:
        """Names for groups 0..G-1 of `labels`; `siblings[g]` lists the groups g is contrasted with
        (itself included), `taken` holds names no group may reuse (the themes', when naming areas);
        a group without any usable phrase is called "<kind> <number>"."""
        n_groups = int(labels.max()) + 1
        sizes = np.bincount(labels, minlength=n_groups).astype(float)
        # A phrase used by fewer than two papers of every group is no group's keyword or name: its
        # columns go before the groups × phrases arrays below are built (at 25,838 papers each would
        # be 254 × 181k float64, 370 MB; together 3 GB). Same names: the kept columns keep their order.
        min_papers = min(2, len(labels))  # a group's keyword or name is used by two of its papers
        kept, in_group = vocabulary.shared_group_counts(labels, n_groups, min_papers)
        corpus_share, nameable = vocabulary.document_share()[kept], _nameable(vocabulary)[kept]
        vocabulary = vocabulary.columns(kept)
        keywords, candidates, separation = [], [], []
        for start in range(0, n_groups, GROUP_CHUNK):  # a chunk of groups at a time: bounded memory
            rows = np.arange(start, min(start + GROUP_CHUNK, n_groups))
            found = self._score_groups(vocabulary, in_group, rows, sizes, siblings, corpus_share, nameable, min_papers)
            keywords += found[0]
            candidates += found[1]
            separation += found[2]
        vectors = self._phrase_vectors(vocabulary, unit_vectors, sorted({t for c in candidates for t in c}))
        centres = normalize(np.stack([unit_vectors[labels == g].mean(axis=0) for g in range(n_groups)]))
        used = [canonical(name) for name in taken]
        names = [""] * n_groups
        for g in np.argsort(-sizes, kind="stable"):
            names[g] = self._pick(vocabulary, g, candidates[g], vectors, centres[g], separation[g], labels, used) \
                or f"{kind} {g}"
            used += [canonical(part) for part in names[g].split(" and ")]
        typical = [titles[i] for i in _most_typical(unit_vectors, labels, centres)]
        descriptions = [_describe(typical[g], names[g], keywords[g]) for g in range(n_groups)]
        return Names(labels=names, descriptions=descriptions, keywords=keywords)

    def _score_groups(self, vocabulary: Vocabulary, in_group: np.ndarray, rows: np.ndarray, sizes: np.ndarray,
                      siblings: Sequence[Sequence[int]], corpus_share: np.ndarray, nameable: np.ndarray,
                      min_papers: int) -> tuple[list[list[str]], list[list[int]], list[dict[int, float]]]:
        """Keywords, name candidates and each candidate's separation for the groups `rows`."""
        counts = in_group[rows]
        share = counts / sizes[rows, None]
        keywords = [self._keywords(vocabulary, row) for row in keyword_scores(vocabulary, share, counts, corpus_share)]
        # how much of the phrase's use among the siblings is this group's: 1 for an only child
        sibling_use = np.stack([in_group[list(siblings[g])].sum(axis=0) for g in rows])
        purity = np.divide(counts, sibling_use, out=np.zeros_like(counts), where=sibling_use > 0)
        contrast = _contrast(share, corpus_share)
        eligible = ((share >= MIN_COVERAGE) & (counts >= min_papers) & (corpus_share <= MAX_CORPUS_SHARE)
                    & nameable[None, :] & (contrast > 0))
        candidates = [self._candidates(contrast[i], eligible[i]) for i in range(len(rows))]
        separation = np.sqrt(share * purity)  # covers the group, and only this group among its siblings
        return keywords, candidates, [{t: separation[i, t] for t in found} for i, found in enumerate(candidates)]

    def _keywords(self, vocabulary: Vocabulary, scores: np.ndarray) -> list[str]:
        order = np.argsort(-scores, kind="stable")[: 6 * N_KEYWORDS]
        ranked = [vocabulary.terms[i] for i in order if scores[i] > 0 and _nameable_term(vocabulary.terms[i])]
        return [vocabulary.display(term) for term in merge_near_duplicates(ranked)[:N_KEYWORDS]]

    def _candidates(self, separation: np.ndarray, eligible: np.ndarray) -> list[int]:
        scores = np.where(eligible, separation, -np.inf)
        order = np.argsort(-scores, kind="stable")[: self.n_candidates]
        return [int(i) for i in order if np.isfinite(scores[i])]

    def _phrase_vectors(self, vocabulary: Vocabulary, unit_vectors: np.ndarray, terms: list[int]) -> dict[int, np.ndarray]:
        if not terms:
            return {}
        if self.encoder is not None:
            vectors = self.encoder([vocabulary.display(vocabulary.terms[t]) for t in terms])
        else:  # a phrase stands for the papers that use it
            usage = vocabulary.counts[:, terms].T
            vectors = np.asarray(usage @ unit_vectors)
        return dict(zip(terms, normalize(np.asarray(vectors, dtype=np.float64))))

    def _pick(self, vocabulary: Vocabulary, group: int, candidates: list[int], vectors: dict[int, np.ndarray],
              centre: np.ndarray, separation: dict[int, float], labels: np.ndarray, used: list[tuple[str, ...]]) -> str:
        """The best free candidate, joined by a second (MMR) one that covers other papers."""
        free = [t for t in candidates if not any(_clashes(canonical(vocabulary.terms[t]), u) for u in used)]
        if not free:
            return ""
        score = {t: max(float(vectors[t] @ centre), 0.0) * separation[t]
                 * (1.0 if " " in vocabulary.terms[t] else SINGLE_WORD_WEIGHT) for t in free}
        first = max(free, key=lambda t: (score[t], -t))
        # say it the specific way: "time series forecasting" over "forecasting" when most of its uses are that
        share = np.asarray(vocabulary.counts[labels == group].sum(axis=0)).ravel()
        longer = [t for t in free if contains(canonical(vocabulary.terms[t]), canonical(vocabulary.terms[first]))
                  and share[t] >= 0.5 * share[first]]
        first = max(longer, key=lambda t: (score[t], -t)) if longer else first
        name = _sentence_case(vocabulary.display(vocabulary.terms[first]))
        members = labels == group
        uses = vocabulary.counts[members]
        covered = uses[:, first].toarray().ravel() > 0
        second_choices = [t for t in free if t != first and not overlaps(canonical(vocabulary.terms[t]),
                                                                           canonical(vocabulary.terms[first]))]
        if not second_choices or covered.all():
            return name
        mmr = {t: (1 - self.diversity) * score[t] - self.diversity * float(vectors[t] @ vectors[first])
               for t in second_choices}
        second = max(second_choices, key=lambda t: (mmr[t], -t))
        adds = (uses[:, second].toarray().ravel() > 0) & ~covered
        joined = f"{name} and {vocabulary.display(vocabulary.terms[second])}"
        if (adds.sum() >= max(2, 0.25 * members.sum()) and len(joined) <= self.max_chars
                and score[second] >= 0.6 * score[first] and float(vectors[second] @ vectors[first]) < 0.6):
            return joined
        return name


def keyword_scores(vocabulary: Vocabulary, share: np.ndarray, in_group: np.ndarray,
                   corpus_share: np.ndarray) -> np.ndarray:
    """c-TF-IDF against the corpus, for phrases of at most KEYWORD_MAX_WORDS words used by at least
    KEYWORD_COVERAGE of a group's papers (two at least): a phrase of one paper is its own topic,
    not the group's (NPMI of the top 10 on 5,000 arXiv papers: -0.09 without the floor, 0.13 with)."""
    words = np.array([len(term.split()) for term in vocabulary.terms])
    usable = (share >= KEYWORD_COVERAGE) & (in_group >= 2) & (words <= KEYWORD_MAX_WORDS)[None, :]
    return np.where(usable, _contrast(share, corpus_share), 0.0)


def _contrast(share: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF as a likelihood ratio: p(t|group) · log(p(t|group) / p(t|reference))."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(share > 0, share * np.log(share / reference), 0.0)


def _nameable_term(term: str) -> bool:
    """Could head a keyword list: no praise first ("impressive quality"), no vague word last."""
    words = term.split()
    return words[0] not in EVALUATIVE_WORDS and words[-1] not in VAGUE_END_WORDS and not words[-1].endswith("ly")


def _nameable(vocabulary: Vocabulary) -> np.ndarray:
    """Could be a section title: a keyword that reads as a noun phrase. One word only when it is an
    acronym or a noun by its ending ("LLMs", "tokenization"), never an adjective ("speculative")."""
    corpus_wide = {word for word, share in vocabulary.word_share.items() if share > MAX_DOC_SHARE}
    heads, modifiers = Counter(), Counter()
    for term in vocabulary.terms:
        words = term.split()
        if len(words) > 1:
            heads[words[-1]] += 1
            modifiers[words[0]] += 1

    def noun_phrase(term: str) -> bool:
        words, shown = term.split(), vocabulary.display(term)
        if not _nameable_term(term) or adjective_like(words[-1]) or words[0] in corpus_wide:
            return False  # "autoregressive X" in a listing of autoregressive papers: X says it
        if words[0] in VERB_STARTS or any(c.isdigit() for c in term):
            return False  # "generating images" is a clause, "UCF101" a data set: neither a title
        if len(words) > 1 or any(c.isupper() for c in shown[1:]):
            return True
        # a lone word must be a noun by its ending and head phrases ("video tokenization") as often
        # as it modifies them: not "speculative", "capture" or "likelihood"-like verbs and adjectives
        return words[0].endswith(NOUN_ENDINGS) and heads[words[0]] >= modifiers[words[0]] / 3
    return np.array([noun_phrase(term) for term in vocabulary.terms], dtype=bool)


VERB_STARTS = frozenset("""
    generating generate generates capturing capture captures reducing reduce reduces improving
    accelerating accelerate enabling making allowing producing achieving yielding providing using
    learn learns learned
""".split())
NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ing", "ers", "ism", "ics", "ance", "ence", "ogy", "ure")
_ADJECTIVE_ENDINGS = ("ive", "ous", "ful", "able", "ible", "ic", "ary", "less", "ical", "ed")
_NOUNS_ENDING_LIKE_ADJECTIVES = frozenset("""
    retrieval signal interval proposal removal survival trial material objective perspective
    alternative speed seed need feed music logic rhetoric topic graphic graphics dictionary summary
    vocabulary library boundary
""".split())


def adjective_like(word: str) -> bool:
    """An adjective or participle by its ending ("traditional", "conditional", "proposed")."""
    if word in _NOUNS_ENDING_LIKE_ADJECTIVES:
        return False
    return word.endswith(_ADJECTIVE_ENDINGS) or (word.endswith("al") and not word.endswith("nal"))


def _clashes(candidate: tuple[str, ...], used: tuple[str, ...]) -> bool:
    """A name may not repeat a taken one, nor sit inside it or contain it ("diffusion" vs "video diffusion")."""
    return candidate == used or contains(candidate, used) or contains(used, candidate)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _most_typical(unit_vectors: np.ndarray, labels: np.ndarray, centres: np.ndarray) -> list[int]:
    """Per group, the paper nearest its centre."""
    similarity = np.einsum("ij,ij->i", unit_vectors, centres[labels])
    return [int(np.flatnonzero(labels == g)[np.argmax(similarity[labels == g])]) for g in range(len(centres))]


def _describe(title: str, name: str, keywords: list[str]) -> str:
    said = [canonical(part) for part in name.split(" and ")]
    extra = [k for k in keywords if not any(overlaps(canonical(k), s) for s in said)][:4]
    terms = f" Distinctive terms: {', '.join(extra)}." if extra else ""
    return f"Most typical paper: “{title.strip()}”.{terms}"
