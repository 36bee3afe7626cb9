"""How well and how fast `trends search` finds papers, by meaning, by words and both fused.

Quality, with labels the pipeline never saw:
- topics: arXiv's own categories. The query is a category's name ("Robotics", "Sound",
  "Cryptography and Security"); precision@20 is the share of the top 20 papers that arXiv lists in
  that category (the base rate is the category's share of the corpus).
- known items: a paper remembered by a few of its words. The query is 3 distinctive words of a
  random paper's abstract (7+ letters, not in its title); reciprocal rank of that paper, and
  the share found in the top 10.

Speed: the real `trends search` command, run alternately by words, by meaning and both, wall and
CPU seconds (user+sys of the child).

    .venv/bin/python benchmarks/search_bench.py --processed /tmp/arxiv/processed \
        --corpus ../shared/corpora/arxiv_2025_26.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from pipeline import embed, ingest, queries, store
from pipeline.search import STOPWORDS

# arXiv category → its official name, for the categories with at least ~40 papers in the 2025-26 corpus
# besides the four giants (cs.CV, cs.AI, cs.CL, cs.LG), which are most of it.
CATEGORY_NAMES = {
    "cs.RO": "Robotics", "eess.IV": "Image and Video Processing", "cs.GR": "Graphics",
    "cs.IT": "Information Theory", "cs.HC": "Human-Computer Interaction", "cs.IR": "Information Retrieval",
    "cs.CY": "Computers and Society", "cs.MM": "Multimedia", "cs.MA": "Multiagent Systems",
    "cs.GT": "Computer Science and Game Theory", "cs.CR": "Cryptography and Security", "cs.SD": "Sound",
    "eess.AS": "Audio and Speech Processing", "cs.CE": "Computational Engineering, Finance, and Science",
    "eess.SP": "Signal Processing", "cs.SE": "Software Engineering", "cs.NE": "Neural and Evolutionary Computing",
    "cs.LO": "Logic in Computer Science", "cs.DB": "Databases", "cs.SI": "Social and Information Networks",
    "cs.DC": "Distributed, Parallel, and Cluster Computing", "math.OC": "Optimization and Control",
    "q-bio.NC": "Neurons and Cognition",
}
MODES = ("meaning", "words", "both")


def cached_encoder():
    """The query encoder the CLI uses, with the model loaded once for all queries."""
    models: dict[str, object] = {}

    def encode(model_name: str, text: str) -> np.ndarray:
        if model_name not in models:
            models[model_name] = embed.load_model(model_name)
        return embed.encode(models[model_name], [text], batch_size=1)[0]

    return encode


def ranked_ids(processed: Path, text: str, by: str, limit: int, encoder) -> list[str]:
    found = queries.search_papers(processed, queries.SearchFilter(text=text, by=by, limit=limit), encoder)
    return found["paper_id"].tolist()


def topic_precision(processed: Path, corpus: Path, encoder) -> None:
    categories: dict[str, set[str]] = {}
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            categories.setdefault(ingest.paper_id(record["title"]), set()).update(record["categories"].split())
    stored = set(store.query(processed, "select paper_id from papers")["paper_id"])
    print(f"\n### Topics: precision@20 for arXiv category names ({len(CATEGORY_NAMES)} queries)\n")
    print("| category | query | papers | base rate | meaning | words | both |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals = {mode: [] for mode in MODES}
    for category, name in CATEGORY_NAMES.items():
        members = {pid for pid, cats in categories.items() if category in cats and pid in stored}
        row = []
        for mode in MODES:
            top = ranked_ids(processed, name, mode, 20, encoder)
            precision = sum(pid in members for pid in top) / 20
            totals[mode].append(precision)
            row.append(f"{precision:.2f}")
        print(f"| {category} | {name} | {len(members):,} | {len(members) / len(stored):.3f} | {' | '.join(row)} |")
    print(f"| **mean** | | | | {' | '.join(f'**{np.mean(totals[mode]):.2f}**' for mode in MODES)} |")


def known_items(processed: Path, encoder, n: int, seed: int) -> None:
    papers = store.query(processed, "select paper_id, title, abstract from papers order by paper_id")
    rng = random.Random(seed)
    picks = rng.sample(range(len(papers)), n)
    ranks = {mode: [] for mode in MODES}
    for index in picks:
        paper = papers.iloc[index]
        title_words = {word.lower() for word in re.findall(r"\w+", paper["title"])}
        words = sorted({word.lower() for word in re.findall(r"[A-Za-z]{7,}", paper["abstract"])}
                       - title_words - STOPWORDS)
        if len(words) < 3:
            continue
        query = " ".join(rng.sample(words, 3))
        for mode in MODES:
            top = ranked_ids(processed, query, mode, 100, encoder)
            ranks[mode].append(top.index(paper["paper_id"]) + 1 if paper["paper_id"] in top else None)
    print(f"\n### Known items: a paper from 3 words of its abstract ({len(ranks['words'])} papers, seed {seed})\n")
    print("| by | MRR (top 100) | found in top 10 | found in top 100 |")
    print("|---|---:|---:|---:|")
    for mode in MODES:
        found = ranks[mode]
        mrr = np.mean([1 / rank if rank else 0 for rank in found])
        top10 = np.mean([bool(rank and rank <= 10) for rank in found])
        top100 = np.mean([rank is not None for rank in found])
        print(f"| {mode} | {mrr:.3f} | {top10:.2f} | {top100:.2f} |")


def command_speed(processed: Path, query: str, repeats: int) -> None:
    trends = str(Path(sys.executable).with_name("trends"))
    times: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
    for _ in range(repeats):
        for mode in MODES:  # alternating, so load on the machine falls on every mode alike
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([trends, "search", query, "--by", mode, "--processed", str(processed), "-f", "csv"],
                           check=True, capture_output=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            times[mode].append((wall, cpu))
    papers = store.query(processed, "select count(*) as n from papers")["n"].iloc[0]
    print(f"\n### `trends search {query!r}` on {papers:,} papers (median of {repeats}, alternated)\n")
    print("| by | wall s | CPU s (user+sys) |")
    print("|---|---:|---:|")
    for mode in MODES:
        wall, cpu = np.median(np.array(times[mode]), axis=0)
        print(f"| {mode} | {wall:.2f} | {cpu:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processed", type=Path, required=True, help="a run's data/processed folder")
    parser.add_argument("--corpus", type=Path, help="the arXiv JSON Lines the run was made from (for categories)")
    parser.add_argument("--known", type=int, default=200, help="known-item queries")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    encoder = cached_encoder()
    if args.corpus:
        topic_precision(args.processed, args.corpus, encoder)
    known_items(args.processed, encoder, args.known, args.seed)
    command_speed(args.processed, "speculative decoding for large language models", args.repeats)


if __name__ == "__main__":
    main()
