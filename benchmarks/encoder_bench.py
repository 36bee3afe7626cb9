"""Encoders side by side: speed, CPU seconds and how close their vectors are to the default ones.

    .venv/bin/python benchmarks/encoder_bench.py                    # 600 arXiv + 600 conference abstracts
    .venv/bin/python benchmarks/encoder_bench.py --per-corpus 200 --rounds 1

Each configuration runs in a fresh process (imports, model load or conversion, threads all its
own), in alternation over rounds, on the same real cleaned texts. The reference is the
sentence-transformers `model.encode` path (what `trends run` used before and what BERTopic uses).
Quality per configuration: cosine to the reference (min, mean), max abs difference, the
project's k-means themes on both vector sets with the same seed (ARI; 1.0 = identical themes), and
batch dependence (max abs difference between each of 64 texts encoded alone and in batches).
Speed: encode seconds and CPU seconds (user + sys of that process), docs/s and the share of the
~25 docs/s fp32 ceiling the issue measured for 2 cores (both meaningful only on an idle machine),
and GFLOP per CPU second (model FLOPs from the texts' token counts; steady under load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CORPORA = {"arXiv": REPO.parent / "shared" / "corpora" / "arxiv_2025_26.jsonl",
           "conference": REPO.parent / "shared" / "corpora" / "conference_abstracts.jsonl"}
CEILING_DOCS_S = 25.0  # fp32 FLOP ceiling on 2 cores, from issue 14
CONFIGS = {
    "sentence-transformers encode (reference)": "reference",
    "torch, tokenized once (--encoder torch)": "torch",
    "OpenVINO f32 (--encoder auto, the default)": "openvino",
    "OpenVINO bf16 (--encoder openvino-bf16, lossy)": "openvino-bf16",
}
BATCH_PROBE = 64
WEIGHTS = 10.6e6  # MiniLM-L6 encoder weights that multiply every token (embedding look-ups excluded)
LAYERS, WIDTH = 6, 384


def model_gflop(texts: list[str]) -> float:
    """FLOPs of one forward pass over all texts: 2 per weight per token plus attention (QK^T and AV)."""
    from tokenizers import Tokenizer

    from pipeline import embed

    tokenizer = Tokenizer.from_file(str(Path(embed.resolve_model(None)) / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    lengths = np.array([len(encoding.ids) for encoding in tokenizer.encode_batch(texts)], dtype=np.float64)
    return float(np.sum(2 * WEIGHTS * lengths + LAYERS * 4 * lengths**2 * WIDTH)) / 1e9


def texts_of(per_corpus: int) -> tuple[list[str], list[str]]:
    """Cleaned texts of fixed random samples of each corpus, and which corpus each came from."""
    from pipeline import embed, ingest
    from pipeline.run import read_sources

    texts, sources = [], []
    for name, path in CORPORA.items():
        if not path.exists():
            raise SystemExit(f"corpus not found: {path}")
        papers = ingest.build_tables(read_sources([path]))["papers"]
        rows = random.Random(0).sample(range(len(papers)), per_corpus)
        texts += [embed.clean_text(papers["title"].iat[i], papers["abstract"].iat[i]) for i in rows]
        sources += [name] * per_corpus
    return texts, sources


def child(config: str, texts_path: Path, out_path: Path, cache_dir: Path) -> None:
    """One configuration in this fresh process: load, encode, write vectors and timings."""
    texts = json.loads(texts_path.read_text())
    started = time.perf_counter()
    from pipeline import embed, encoders

    if config == "reference":
        model = embed.load_model()
        run = lambda batch: model.encode(batch, batch_size=32, normalize_embeddings=True, show_progress_bar=False)  # noqa: E731
    else:
        encoder = encoders.load_encoder(embed.DEFAULT_MODEL, config, cache_dir=cache_dir)
        run = encoder.encode
    setup = time.perf_counter() - started
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    vectors = np.asarray(run(texts), dtype=np.float32)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    probe = texts[:BATCH_PROBE]
    alone = np.vstack([np.asarray(run([text]), dtype=np.float32) for text in probe])
    np.save(out_path, vectors)
    print(json.dumps({"setup_s": setup, "encode_s": wall, "cpu_s": after.ru_utime + after.ru_stime
                      - before.ru_utime - before.ru_stime, "batch_dependence": float(np.abs(alone - vectors[:len(probe)]).max()),
                      "load": os.getloadavg()[0]}))


def measure(config: str, texts_path: Path, out_path: Path, cache_dir: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", config, str(texts_path), str(out_path), str(cache_dir)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{config} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def agreement(reference: np.ndarray, vectors: np.ndarray, sources: np.ndarray) -> dict:
    """Cosine, max abs difference and same-seed k-means ARI, per corpus and over both."""
    from sklearn.metrics import adjusted_rand_score

    from pipeline.themes import _kmeans, choose_n_themes

    cosine = np.sum(reference * vectors, axis=1)
    out = {"cos_min": float(cosine.min()), "cos_mean": float(cosine.mean()),
           "max_abs": float(np.abs(reference - vectors).max())}
    for name in [*dict.fromkeys(sources), "both"]:
        rows = np.ones(len(sources), bool) if name == "both" else sources == name
        k = choose_n_themes(int(rows.sum()))
        out[f"ari_{name}"] = adjusted_rand_score(_kmeans(reference[rows], k, 42).labels_,
                                                 _kmeans(vectors[rows], k, 42).labels_)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-corpus", type=int, default=600, help="abstracts from each corpus")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each configuration, alternating")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        config, texts_path, out_path, cache_dir = args.child
        child(config, Path(texts_path), Path(out_path), Path(cache_dir))
        return
    texts, sources = texts_of(args.per_corpus)
    with tempfile.TemporaryDirectory(prefix="encoder-bench-") as tmp:
        work = Path(tmp)
        (work / "texts.json").write_text(json.dumps(texts))
        timings: dict[str, list[dict]] = {label: [] for label in CONFIGS}
        for round_ in range(args.rounds):
            labels = list(CONFIGS) if round_ % 2 == 0 else list(CONFIGS)[::-1]
            for label in labels:
                # a fresh cache each time: the OpenVINO conversion is part of its first setup
                cache = work / f"cache-{round_}-{CONFIGS[label]}"
                timings[label].append(measure(CONFIGS[label], work / "texts.json", work / f"{CONFIGS[label]}.npy", cache))
                print(label, timings[label][-1], flush=True)
        reference = np.load(work / "reference.npy")
        quality = {label: agreement(reference, np.load(work / f"{key}.npy"), np.asarray(sources))
                   for label, key in CONFIGS.items()}
    print_table(timings, quality, len(texts), args.per_corpus, model_gflop(texts))


def print_table(timings: dict[str, list[dict]], quality: dict[str, dict], n: int, per_corpus: int, gflop: float) -> None:
    corpora = list(CORPORA)
    print(f"\n{n} abstracts ({per_corpus} per corpus: {', '.join(corpora)}); median over runs; "
          f"ARI = same-seed k-means themes against the reference's")
    print("| configuration | setup s | encode s | CPU s | docs/s | docs per CPU s | GFLOP per CPU s | % of 25 docs/s | cosine min / mean "
          "| max abs diff | batch dependence | " + " | ".join(f"ARI {c}" for c in [*corpora, "both"]) + " |")
    print("|---|" + "---:|" * (11 + len(corpora)))
    for label, runs in timings.items():
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        q = quality[label]
        print(f"| {label} | {med['setup_s']:.1f} | {med['encode_s']:.1f} | {med['cpu_s']:.1f} | {n / med['encode_s']:.1f} "
              f"| {n / med['cpu_s']:.1f} | {gflop / med['cpu_s']:.0f} | {100 * n / med['encode_s'] / CEILING_DOCS_S:.0f} % "
              f"| {q['cos_min']:.7f} / {q['cos_mean']:.7f} | {q['max_abs']:.1e} | {med['batch_dependence']:.1e} | "
              + " | ".join(f"{q[f'ari_{c}']:.3f}" for c in [*corpora, "both"]) + " |")
    print(f"machine load (1-min average) during the runs: "
          f"{min(r['load'] for rs in timings.values() for r in rs):.1f}–{max(r['load'] for rs in timings.values() for r in rs):.1f}")


if __name__ == "__main__":
    main()
