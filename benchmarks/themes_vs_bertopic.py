"""Our themes (k-means + c-TF-IDF) against BERTopic's default (UMAP + HDBSCAN), on the same embeddings.

Run from the repository root:  .venv/bin/python -m benchmarks.themes_vs_bertopic
Needs the `bench` extra (pip install bertopic); pipeline/ never imports it. Embeddings come from the
pipeline's embedding cache under data/cache/embeddings, so only the first run embeds.

Columns: fit time (UMAP's JIT warmed up first), number of themes, share of papers left as outliers,
NPMI coherence of each theme's top-10 terms (document co-occurrence over the corpus; -1 for a pair
never seen together), diversity (unique share of all top-10 terms), and stability (adjusted Rand
index between runs with seeds 42 and 7; BERTopic's outliers count as one cluster).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from itertools import combinations
from pathlib import Path

import numpy as np
from bertopic import BERTopic
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import adjusted_rand_score
from umap import UMAP

from pipeline import embed, ingest, themes
from pipeline.embed_cache import EmbeddingCache

ROOT = Path(__file__).resolve().parents[1]
CONFERENCE = ROOT.parent / "shared" / "corpora" / "conference_abstracts.jsonl"
SEEDS = (42, 7)
TOP = 10


def default_corpus() -> tuple[list[str], list[str]]:
    readings = [ingest.read_page(p.name, p.read_bytes().splitlines(keepends=True))
                for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    papers = ingest.build_tables(readings)["papers"]
    return papers["title"].tolist(), papers["abstract"].fillna("").tolist()


def conference_sample(path: Path, size: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    chosen = np.sort(np.random.default_rng(seed).choice(len(rows), size=min(size, len(rows)), replace=False))
    return [rows[i]["title"] for i in chosen], [rows[i].get("abstract") or "" for i in chosen]


def embeddings(docs: list[str]) -> np.ndarray:
    """Cached embeddings of cleaned texts; only texts never embedded before go through the model."""
    cache = EmbeddingCache(ROOT / "data" / "cache" / "embeddings", embed.DEFAULT_MODEL)
    keys = [embed.text_hash(doc) for doc in docs]
    missing = sorted({key: doc for key, doc in zip(keys, docs) if key not in cache.get_many(keys)}.items())
    if missing:
        print(f"embedding {len(missing)} texts (cached for next time)…", flush=True)
        vectors = embed.encode(embed.load_model(), [doc for _, doc in missing])
        cache.put_many({key: vector for (key, _), vector in zip(missing, vectors)})
        cache.flush()
    found = cache.get_many(keys)
    return np.stack([found[key] for key in keys])


def ours(vectors: np.ndarray, docs: list[str], seed: int) -> tuple[np.ndarray, list[list[str]]]:
    result = themes.fit_themes(vectors, docs, seed=seed)
    return result.labels, [keywords.split(", ") for keywords in result.themes["keywords"]]


def bertopic(
    vectors: np.ndarray, docs: list[str], seed: int, stop_words: str | None = None
) -> tuple[np.ndarray, list[list[str]]]:
    """BERTopic() as shipped, except UMAP gets a random_state so two seeds can be compared; with
    `stop_words`, its c-TF-IDF vocabulary drops them (the usual first tweak, for a fairer look)."""
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(umap_model=umap_model, vectorizer_model=CountVectorizer(stop_words=stop_words))
    labels, _ = model.fit_transform(docs, vectors)
    topics = [[word for word, _ in model.get_topic(topic)][:TOP] for topic in sorted(set(labels)) if topic != -1]
    return np.asarray(labels), topics


def presence(terms: set[str], docs: list[str]) -> dict[str, set[int]]:
    """Which documents contain each term, as whole words; hyphens split words, so BERTopic's
    "token" is found in "next-token" and our "next-token prediction" is matched as three words."""
    tokens = [re.findall(r"\w+", doc.lower()) for doc in docs]
    joined = [f" {' '.join(words)} " for words in tokens]
    postings: dict[str, set[int]] = defaultdict(set)
    for i, words in enumerate(tokens):
        for word in set(words):
            postings[word].add(i)
    found = {}
    for term in terms:
        words = re.findall(r"\w+", term.lower())
        candidates = set.intersection(*(postings.get(word, set()) for word in words)) if words else set()
        phrase = f" {' '.join(words)} "
        found[term] = candidates if len(words) == 1 else {i for i in candidates if phrase in joined[i]}
    return found


def npmi(topics: list[list[str]], docs: list[str]) -> float:
    """Mean NPMI over each topic's top-10 term pairs, from which documents contain each term."""
    topics = [[term.lower() for term in topic[:TOP]] for topic in topics]
    found = presence({term for topic in topics for term in topic}, docs)
    n = len(docs)
    scores = []
    for topic in topics:
        for a, b in combinations(topic, 2):
            joint = len(found[a] & found[b]) / n
            if joint == 0:
                scores.append(-1.0)
            elif joint == 1:
                scores.append(0.0)
            else:
                pmi = np.log(joint / (len(found[a]) / n * len(found[b]) / n))
                scores.append(pmi / -np.log(joint))
    return float(np.mean(scores)) if scores else float("nan")


def diversity(topics: list[list[str]]) -> float:
    terms = [term.lower() for topic in topics for term in topic[:TOP]]
    return len(set(terms)) / len(terms) if terms else float("nan")


Method = Callable[[np.ndarray, list[str], int], tuple[np.ndarray, list[list[str]]]]


def evaluate(name: str, method: Method, vectors: np.ndarray, docs: list[str]) -> dict:
    start = time.perf_counter()
    labels, topics = method(vectors, docs, SEEDS[0])
    seconds = time.perf_counter() - start
    other_labels, _ = method(vectors, docs, SEEDS[1])
    return {
        "method": name, "time_s": seconds, "themes": len(topics), "outliers": float(np.mean(labels == -1)),
        "npmi": npmi(topics, docs), "diversity": diversity(topics),
        "ari": adjusted_rand_score(labels, other_labels),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=5000, help="papers drawn from the conference corpus")
    parser.add_argument("--conference", type=Path, default=CONFERENCE)
    args = parser.parse_args()
    # pay the numba JIT of UMAP and of pynndescent (used from 4,096 points on) before timing
    themes.layout_2d(np.random.default_rng(0).standard_normal((4200, 8)))
    corpora = {"default (5 pages)": default_corpus()}
    if args.conference.exists():
        corpora[f"conference sample ({args.sample})"] = conference_sample(args.conference, args.sample)
    rows = []
    for corpus, (titles, abstracts) in corpora.items():
        docs = [embed.clean_text(title, abstract) for title, abstract in zip(titles, abstracts)]
        vectors = embeddings(docs)
        methods = (("ours: k-means + c-TF-IDF", ours), ("BERTopic default", bertopic),
                   ("BERTopic, English stop words", partial(bertopic, stop_words="english")))
        for name, method in methods:
            rows.append({"corpus": f"{corpus}, n={len(docs)}", **evaluate(name, method, vectors, docs)})
            print(rows[-1], flush=True)
    print("\n| corpus | method | time (s) | themes | outliers | NPMI | diversity | ARI (seeds 42/7) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['corpus']} | {r['method']} | {r['time_s']:.1f} | {r['themes']} | {r['outliers']:.0%} "
              f"| {r['npmi']:.3f} | {r['diversity']:.2f} | {r['ari']:.2f} |")


if __name__ == "__main__":
    main()
