"""Our themes and areas against BERTopic (default and tuned) and EVoC, on the same embeddings.

Run from the repository root (needs the `bench` extra: pip install -e '.[bench]'):

    .venv/bin/python -m benchmarks.themes_vs_bertopic                       # 194 + 5,000-paper samples
    .venv/bin/python -m benchmarks.themes_vs_bertopic --full --seeds 2      # also the whole corpora
    .venv/bin/python -m benchmarks.themes_vs_bertopic --layout              # map layouts: UMAP vs openTSNE
    .venv/bin/python -m benchmarks.themes_vs_bertopic --corpora arxiv --speed 2000 5000 25841   # stage times

Vectors come from an embedding cache (`--cache`, default data/cache; /work/devcache holds both
shared corpora) keyed like the pipeline's: model all-MiniLM-L6-v2, text = embed.clean_text; a
corpus whose vectors are not all cached is embedded first. pipeline/ never imports BERTopic or EVoC.

Columns, per corpus, method and level: number of groups; NMI against the corpus's proxy labels
(arXiv primary category, conference venue; none for the default corpus); NPMI coherence of each
group's top-10 terms (document co-occurrence over the corpus; -1 for a pair never seen together);
distinct = unique share of the groups' names; diversity = unique share of all top-10 terms;
outliers = share of papers in no group; ARI = mean adjusted Rand index over all pairs of seeds
(outliers count as one cluster); CPU and wall seconds of one fit (mean over seeds).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

from pipeline import embed, ingest, themes
from pipeline.embed_cache import EmbeddingCache
from pipeline.run import read_sources
from pipeline.themes.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
TOP = 10


@dataclass(frozen=True)
class Corpus:
    name: str
    docs: list[str]
    vectors: np.ndarray
    proxy: np.ndarray | None  # venue / primary category, for NMI


@dataclass(frozen=True)
class Fit:
    """One method's grouping of one corpus at one level."""

    labels: np.ndarray  # -1 = outlier
    names: list[str]
    terms: list[list[str]]


def load(name: str, cache_dirs: list[Path], sample: int | None, seed: int = 0) -> Corpus:
    """A corpus (or a fixed sample of it) with its vectors: looked up in every cache, new ones
    written to the first."""
    sources = {"default": sorted((ROOT / "data" / "raw").glob("*.txt")),
               "arxiv": [CORPORA / "arxiv_2025_26.jsonl"], "conference": [CORPORA / "conference_abstracts.jsonl"]}[name]
    papers = ingest.build_tables(read_sources(sources))["papers"]
    if sample and sample < len(papers):
        chosen = np.sort(np.random.default_rng(seed).choice(len(papers), sample, replace=False))
        papers = papers.iloc[chosen].reset_index(drop=True)
    docs = [embed.clean_text(t, a) for t, a in zip(papers["title"], papers["abstract"])]
    caches = [EmbeddingCache(folder, embed.DEFAULT_MODEL) for folder in cache_dirs]
    keys = [embed.text_hash(doc) for doc in docs]
    found = {key: vector for cache in reversed(caches) for key, vector in cache.get_many(keys).items()}
    missing = sorted({k: d for k, d in zip(keys, docs) if k not in found}.items())
    if missing:
        print(f"embedding {len(missing)} texts of {name} (cached for next time)…", flush=True)
        vectors = embed.encode(embed.load_model(), [doc for _, doc in missing])
        caches[0].put_many({key: vector for (key, _), vector in zip(missing, vectors)})
        caches[0].flush()
        found.update(zip([key for key, _ in missing], vectors))
    proxy = papers["venue"].astype(str).to_numpy() if papers["venue"].notna().all() else None
    label = f"{name}, n={len(docs):,}" + (" (sample)" if sample and sample < len(docs) + 1 and name != "default" else "")
    return Corpus(label, docs, np.stack([found[k] for k in keys]), proxy)


# --------------------------------------------------------------------------- methods


def ours(corpus: Corpus, seed: int) -> dict[str, Fit]:
    result = themes.fit_themes(corpus.vectors, corpus.docs, seed=seed)
    area_labels = result.themes["area_id"].to_numpy()[result.labels]
    return {
        "themes": Fit(result.labels, result.themes["label"].tolist(), _split(result.themes["keywords"])),
        "areas": Fit(area_labels, result.areas["label"].tolist(), _split(result.areas["keywords"])),
    }


def ours_kmeans(corpus: Corpus, seed: int) -> dict[str, Fit]:
    """The previous method (k-means++ restarts, Ward areas), same labeller."""
    result = themes.fit_themes(corpus.vectors, corpus.docs, seed=seed, clusterer=themes.KMeansThemes(random_state=seed))
    return {"themes": Fit(result.labels, result.themes["label"].tolist(), _split(result.themes["keywords"]))}


def bertopic(corpus: Corpus, seed: int, tuned: bool = False) -> dict[str, Fit]:
    """BERTopic() as shipped (UMAP given a random_state so seeds can be compared); tuned: English
    stop words out of its c-TF-IDF, min_topic_size scaled with the corpus, outliers reassigned
    to the nearest topic by embedding (reduce_outliers), the usual fixes a user makes."""
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    options = {}
    if tuned:
        options = {"vectorizer_model": CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2),
                   "min_topic_size": max(5, len(corpus.docs) // 400)}
    model = BERTopic(umap_model=umap_model, **options)
    labels, _ = model.fit_transform(corpus.docs, corpus.vectors)
    if tuned and -1 in labels:
        labels = model.reduce_outliers(corpus.docs, labels, strategy="embeddings", embeddings=corpus.vectors)
        model.update_topics(corpus.docs, topics=labels, vectorizer_model=options["vectorizer_model"])
    info = model.get_topic_info()
    kept = [t for t in sorted(set(labels)) if t != -1]
    names = info.set_index("Topic")["Name"].to_dict()
    return {"themes": Fit(np.asarray(labels), [names.get(t, str(t)) for t in kept],
                          [[w for w, _ in model.get_topic(t)][:TOP] for t in kept])}


def evoc(corpus: Corpus, seed: int) -> dict[str, Fit]:
    """EVoC's finest layer as themes, its layer closest to ~√themes groups as areas; top terms by
    our c-TF-IDF (EVoC names nothing itself)."""
    import evoc as evoc_module

    model = evoc_module.EVoC(random_state=seed)
    model.fit_predict(corpus.vectors)
    layers = sorted(model.cluster_layers_, key=lambda layer: -len(set(layer)))
    fine = np.asarray(layers[0])
    target = np.sqrt(max(len(set(fine)) - 1, 1))
    coarse = np.asarray(min(layers, key=lambda layer: abs(len(set(layer)) - 1 - target)))
    vocabulary = Vocabulary.of(corpus.docs)
    return {"themes": _keyword_fit(fine, vocabulary), "areas": _keyword_fit(coarse, vocabulary)}


def _keyword_fit(labels: np.ndarray, vocabulary: Vocabulary) -> Fit:
    from pipeline.themes.label import PhraseLabeller, keyword_scores

    clustered = labels >= 0
    if not clustered.any():
        return Fit(labels, [], [])
    _, dense = np.unique(labels[clustered], return_inverse=True)
    keywords = PhraseLabeller()._keywords  # the same c-TF-IDF keywords ours get
    inside = replace(vocabulary, counts=vocabulary.counts[clustered])  # outliers belong to no group
    in_group = inside.group_counts(dense)
    corpus_share = np.asarray(inside.counts.sum(axis=0)).ravel() / clustered.sum()
    scores = keyword_scores(inside, in_group / np.bincount(dense)[:, None], in_group, corpus_share)
    terms = [keywords(vocabulary, row) for row in scores]
    return Fit(labels, [" ".join(t[:3]) for t in terms], terms)


def _split(column) -> list[list[str]]:
    return [str(value).split(", ") for value in column]


METHODS = {"ours: spectral Ward + phrases": ours, "previous: k-means": ours_kmeans, "BERTopic default": bertopic,
           "BERTopic tuned": lambda corpus, seed: bertopic(corpus, seed, tuned=True), "EVoC": evoc}


# --------------------------------------------------------------------------- scores


def presence(terms: set[str], docs: list[str]) -> dict[str, set[int]]:
    """Which documents contain each term, as whole words (hyphens split words)."""
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
    n, scores = len(docs), []
    for topic in topics:
        for a, b in itertools.combinations(topic, 2):
            joint = len(found[a] & found[b]) / n
            if joint == 0:
                scores.append(-1.0)
            elif joint == 1:
                scores.append(0.0)
            else:
                scores.append(np.log(joint / (len(found[a]) / n * len(found[b]) / n)) / -np.log(joint))
    return float(np.mean(scores)) if scores else float("nan")


def unique_share(items: list[str]) -> float:
    return len({item.lower() for item in items}) / len(items) if items else float("nan")


def evaluate(corpus: Corpus, name: str, method, seeds: list[int]) -> list[dict]:
    fits, cpu, wall = [], [], []
    for seed in seeds:
        started, started_cpu = time.perf_counter(), time.process_time()
        fits.append(method(corpus, seed))
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    rows = []
    for level, fit in fits[0].items():
        runs = [f[level].labels for f in fits]
        rows.append({
            "corpus": corpus.name, "method": name, "level": level, "groups": len(fit.names),
            "nmi": normalized_mutual_info_score(corpus.proxy, fit.labels) if corpus.proxy is not None else None,
            "npmi": npmi(fit.terms, corpus.docs), "distinct": unique_share(fit.names),
            "diversity": unique_share([t for terms in fit.terms for t in terms[:TOP]]),
            "outliers": float(np.mean(fit.labels == -1)),
            "ari": float(np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(runs, 2)]))
            if len(runs) > 1 else None,
            "cpu_s": float(np.mean(cpu)), "wall_s": float(np.mean(wall)),
        })
    return rows


def layout_quality(vectors: np.ndarray, xy: np.ndarray, labels: np.ndarray, k: int = 15) -> tuple[float, float]:
    """Share of each paper's 15 nearest neighbours (cosine) that stay among its 15 nearest on the
    map, and the 2-D silhouette of the themes: does the map keep neighbours and separate themes?"""
    from sklearn.metrics import silhouette_score
    from sklearn.neighbors import NearestNeighbors

    graph = themes.neighbour_graph(normalize(vectors), k)
    near_2d = NearestNeighbors(n_neighbors=k + 1).fit(xy).kneighbors(xy, return_distance=False)[:, 1:]
    kept = np.mean([len(set(a) & set(b)) / k for a, b in zip(graph.indices, near_2d)])
    sample = min(len(xy), 5000)
    return float(kept), float(silhouette_score(xy, labels, sample_size=sample, random_state=0))


def compare_layouts(corpus: Corpus) -> list[dict]:
    vectors = normalize(corpus.vectors)
    fitted = themes.fit_themes(vectors, corpus.docs)
    rows = []
    for name, layout in (("UMAP (precomputed graph)", themes.UMAPLayout()), ("openTSNE", themes.TSNELayout())):
        started, started_cpu = time.perf_counter(), time.process_time()
        xy = layout.fit_transform(vectors, fitted.graph)
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        kept, silhouette = layout_quality(vectors, xy, fitted.labels)
        rows.append({"corpus": corpus.name, "layout": name, "wall_s": wall, "cpu_s": cpu,
                     "neighbours_kept": kept, "theme_silhouette_2d": silhouette})
        print(rows[-1], flush=True)
    return rows


def stage_times(corpus: Corpus) -> dict[str, tuple[float, float]]:
    """CPU and wall seconds of each step of `trends run`'s themes and layout stages on one corpus."""
    from pipeline.themes.label import PhraseLabeller

    vectors = normalize(corpus.vectors)
    times: dict[str, tuple[float, float]] = {}

    def timed(name, work):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        times[name] = (time.process_time() - started_cpu, time.perf_counter() - started)
        return result

    graph = timed("neighbour graph", lambda: themes.neighbour_graph(vectors))
    clusterer = timed("spectral + Ward + k-means", lambda: themes.SpectralWardThemes(random_state=0).fit(vectors, graph))
    vocabulary = timed("phrase vocabulary", lambda: Vocabulary.of(corpus.docs))
    labels, area_of = clusterer.labels_, clusterer.area_of_theme_
    siblings = [np.flatnonzero(area_of == area_of[t]) for t in range(len(area_of))]
    titles = [doc.split(". ", 1)[0] for doc in corpus.docs]
    timed("names (mean-vector phrases)", lambda: PhraseLabeller().name(vocabulary, vectors, labels, siblings, titles))
    timed("layout: UMAP", lambda: themes.UMAPLayout().fit_transform(vectors, graph))
    return times


def speed(corpus: Corpus, sizes: list[int]) -> None:
    """Themes + layout at several sample sizes of one corpus, with each step's growth exponent."""
    rows = {}
    for size in sizes:
        chosen = np.sort(np.random.default_rng(0).choice(len(corpus.docs), min(size, len(corpus.docs)), replace=False))
        sample = Corpus(corpus.name, [corpus.docs[i] for i in chosen], corpus.vectors[chosen], None)
        rows[len(chosen)] = stage_times(sample)
        print(len(chosen), rows[len(chosen)], flush=True)
    ns = sorted(rows)
    print("\n| step | " + " | ".join(f"n={n:,} CPU s (wall)" for n in ns) + " | growth exponent (CPU) |")
    print("|---|" + "---:|" * (len(ns) + 1))
    for step in rows[ns[0]]:
        cpu = [rows[n][step][0] for n in ns]
        exponent = np.log(cpu[-1] / cpu[0]) / np.log(ns[-1] / ns[0]) if cpu[0] > 0 and len(ns) > 1 else float("nan")
        print(f"| {step} | " + " | ".join(f"{rows[n][step][0]:.1f} ({rows[n][step][1]:.1f})" for n in ns)
              + f" | {exponent:.2f} |")
    totals = [sum(c for c, _ in rows[n].values()) for n in ns]
    print("| total | " + " | ".join(f"{t:.1f}" for t in totals) + " | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, nargs="+", default=[ROOT / "data" / "cache" / "embeddings"],
                        help="embedding cache folders to read (new vectors go to the first)")
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 per method (ARI over all pairs)")
    parser.add_argument("--full", action="store_true", help="also the whole arXiv and conference corpora")
    parser.add_argument("--methods", nargs="*", default=list(METHODS))
    parser.add_argument("--corpora", nargs="*", default=["default", "arxiv", "conference"])
    parser.add_argument("--layout", action="store_true", help="compare map layouts instead of clusterings")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--speed", type=int, nargs="*", help="time themes + layout at these sample sizes instead")
    args = parser.parse_args()
    if args.speed:
        themes.UMAPLayout().fit_transform(normalize(np.random.default_rng(0).standard_normal((300, 8))))  # JIT
        for name in args.corpora:
            speed(load(name, args.cache, None), args.speed)
        return
    corpora = []
    for name in args.corpora:
        if name != "default" and not (CORPORA / ("arxiv_2025_26.jsonl" if name == "arxiv" else "conference_abstracts.jsonl")).exists():
            print(f"skipping {name}: corpus not found under {CORPORA}")
            continue
        sizes = [None] if name == "default" else [args.sample] + ([None] if args.full else [])
        corpora += [load(name, args.cache, size) for size in sizes]
    if args.layout:
        rows = [row for corpus in corpora for row in compare_layouts(corpus)]
        print("\n| corpus | layout | wall s | CPU s | 15-NN kept | theme silhouette (2-D) |\n|---|---|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['corpus']} | {r['layout']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
                  f"{r['neighbours_kept']:.3f} | {r['theme_silhouette_2d']:.3f} |")
        return
    # pay numba's JIT (UMAP, pynndescent) before timing anything
    themes.UMAPLayout().fit_transform(normalize(np.random.default_rng(0).standard_normal((300, 8))))
    rows = []
    for corpus in corpora:
        for name in args.methods:
            for row in evaluate(corpus, name, METHODS[name], list(range(args.seeds))):
                rows.append(row)
                print(row, flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    fmt = lambda value, spec: "–" if value is None else format(value, spec)  # noqa: E731
    print("\n| corpus | method | level | groups | NMI proxy | NPMI | distinct names | diversity | outliers "
          "| ARI seeds | CPU s | wall s |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['corpus']} | {r['method']} | {r['level']} | {r['groups']} | {fmt(r['nmi'], '.3f')} "
              f"| {r['npmi']:.3f} | {r['distinct']:.2f} | {r['diversity']:.2f} | {r['outliers']:.0%} "
              f"| {fmt(r['ari'], '.3f')} | {r['cpu_s']:.1f} | {r['wall_s']:.1f} |")


if __name__ == "__main__":
    main()
