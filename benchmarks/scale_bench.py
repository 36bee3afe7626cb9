"""Per-stage, per-paper cost of `trends run` under `--engine local` and `--engine ray`, on arXiv samples.

Each run is the real pipeline (`run_pipeline`) in a fresh child process. Wall seconds per stage come
from the run's own stage timer; CPU seconds (user + sys) are those of the run's process and every
process it started (the OpenVINO converter, and under Ray the local cluster: GCS, raylet, the
encoder actors and claims tasks), read from /proc at each stage's start and end and sampled every
0.2 s, so processes that exit mid-stage (Ray's actors) are counted up to their last sample.

Sizes at or under --cold-max run with a fresh embedding cache (encoding is measured); larger ones
use --cache (the shared dev cache: encoding is skipped, so those rows measure the other stages).
Runs alternate local, ray, local, ray, ... so load from other jobs falls on both.

    nice .venv/bin/python benchmarks/scale_bench.py --sizes 2000 25841 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "arxiv_2025_26.jsonl"
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu() -> dict[int, float]:
    """CPU seconds of this process and all its descendants, by pid."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    family, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in family]
        family.update(children)
        frontier += children
    return {pid: times[pid] for pid in family if pid in times}


class CpuMeter:
    """Total CPU seconds of the process tree so far, remembering processes that have exited."""

    def __init__(self) -> None:
        self.last: dict[int, float] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.total()
            time.sleep(0.2)

    def total(self) -> float:
        with self.lock:
            self.last.update(process_cpu())
            return sum(self.last.values())


def one_run(engine: str, inputs: Path, cache: Path, work: Path) -> dict:
    """Run the pipeline once in this process; per-stage wall and CPU seconds, and the run's totals."""
    from pipeline.run import Progress, run_pipeline
    from pipeline.settings import Settings

    meter = CpuMeter()
    cpu: dict[str, float] = {}

    class MeteredProgress(Progress):
        @contextmanager
        def stage(self, name, spinner=True):
            start = meter.total()
            with super().stage(name, spinner=False) as status:
                yield status
            cpu[name] = cpu.get(name, 0.0) + meter.total() - start

    progress = MeteredProgress()
    started, cpu_start = time.perf_counter(), meter.total()
    settings = Settings(inputs=(inputs,), engine=engine, cache_dir=cache, processed_dir=work / "processed",
                        reports_dir=work / "reports", force=True)
    tables = run_pipeline(settings, progress)
    return {"wall": progress.timings, "cpu": cpu, "n": len(tables["papers"]),
            "total_wall": time.perf_counter() - started, "total_cpu": meter.total() - cpu_start}


def driver_memory(inputs: Path, cache: Path) -> None:
    """What the driver holds per paper: resident memory after each step of a run's first half."""
    import numpy as np

    from pipeline import embed, encoders
    from pipeline.embed_cache import EmbeddingCache
    from pipeline.run import collect_sources, ingest_inputs, peak_memory_mb

    def rss_mb() -> float:
        with open("/proc/self/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS")) / 1024

    steps = [("imports", rss_mb())]
    papers = ingest_inputs(collect_sources((inputs,)))["papers"]
    steps.append(("ingest: papers, appearances, warnings tables", rss_mb()))
    docs = [embed.clean_text(title, abstract) for title, abstract in zip(papers["title"], papers["abstract"])]
    steps.append(("cleaned texts", rss_mb()))
    cache = EmbeddingCache(cache / "embeddings", encoders.vectors_key(embed.DEFAULT_MODEL, "auto"))
    found = cache.get_many([embed.text_hash(text) for text in docs])
    steps.append((f"embedding cache loaded ({len(cache):,} vectors in it)", rss_mb()))
    vectors = np.stack(list(found.values()))
    steps.append((f"vectors matrix ({len(vectors):,} x {vectors.shape[1]})", rss_mb()))
    n = len(papers)
    print(f"| step ({n:,} papers) | RSS MB | MB added | KB per paper added |\n|---|---:|---:|---:|")
    for (name, mb), (_, before) in zip(steps, [steps[0], *steps[:-1]]):
        print(f"| {name} | {mb:,.0f} | {mb - before:,.0f} | {1024 * (mb - before) / n:.2f} |")
    print(f"| peak | {peak_memory_mb():,.0f} | | |")


def themes_at_scale(n: int, dimension: int = 384, seed: int = 0) -> None:
    """MiniBatch k-means on n synthetic unit vectors (k = sqrt(2.5 n), as the default theme count),
    and the cost of assigning every vector to its nearest centre (what workers would do per block)."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans

    from pipeline.run import peak_memory_mb

    rng = np.random.default_rng(seed)
    k = round((2.5 * n) ** 0.5)
    centres = rng.standard_normal((k, dimension), dtype=np.float32)
    vectors = np.empty((n, dimension), dtype=np.float32)
    for start in range(0, n, 100_000):  # topics with noise, on the unit sphere like sentence vectors
        stop = min(n, start + 100_000)
        vectors[start:stop] = centres[rng.integers(0, k, stop - start)] + 1.5 * rng.standard_normal(
            (stop - start, dimension), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    made = peak_memory_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    model = MiniBatchKMeans(n_clusters=k, batch_size=4096, n_init=1, max_no_improvement=10, random_state=seed)
    model.fit(vectors)
    fit_cpu, fit_wall = time.process_time() - cpu, time.perf_counter() - wall
    found = model.cluster_centers_.astype(np.float32)
    found /= np.linalg.norm(found, axis=1, keepdims=True)
    cpu, wall = time.process_time(), time.perf_counter()
    labels = np.concatenate([np.argmax(vectors[start:start + 8192] @ found.T, axis=1)
                             for start in range(0, n, 8192)])
    assign_cpu, assign_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"| n | k | vectors MB | peak RSS MB | fit CPU s (wall) | iterations | assign CPU ms/paper (wall) | themes used |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {n:,} | {k:,} | {vectors.nbytes / 2**20:,.0f} | {peak_memory_mb():,.0f} (data: {made:,.0f}) | "
          f"{fit_cpu:.0f} ({fit_wall:.0f}) | {model.n_steps_:,} steps | {1000 * assign_cpu / n:.4f} "
          f"({1000 * assign_wall / n:.4f}) | {len(np.unique(labels)):,} |")


def sample(n: int, folder: Path) -> Path:
    """The first n records of the arXiv file (all of it when n is larger)."""
    path = folder / f"arxiv_{n}.jsonl"
    with open(CORPUS, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as out:
        for number, line in enumerate(source):
            if number >= n:
                break
            out.write(line)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cold-max", type=int, default=2000, help="sizes up to this encode with a fresh cache")
    parser.add_argument("--cache", type=Path, default=Path("/work/devcache"), help="cache for larger sizes")
    parser.add_argument("--memory", action="store_true", help="driver memory per paper at the largest size")
    parser.add_argument("--themes-at", type=int, metavar="N", help="MiniBatch k-means on N synthetic vectors")
    parser.add_argument("--one", nargs=4, metavar=("ENGINE", "INPUT", "CACHE", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, inputs, cache, work = args.one
        print("RESULT " + json.dumps(one_run(engine, Path(inputs), Path(cache), Path(work))))
        return
    if args.themes_at:
        themes_at_scale(args.themes_at)
        return
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    if args.memory:
        with tempfile.TemporaryDirectory(prefix="scale_bench_") as scratch:
            driver_memory(sample(max(args.sizes), Path(scratch)), args.cache)
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="scale_bench_") as scratch:
        scratch = Path(scratch)
        for n in args.sizes:
            inputs = sample(n, scratch)
            for round_ in range(args.rounds):
                for engine in ("local", "ray"):
                    work = scratch / f"{n}-{engine}-{round_}"
                    cache = work / "cache" if n <= args.cold_max else args.cache
                    done = subprocess.run([sys.executable, __file__, "--one", engine, str(inputs), str(cache), str(work)],
                                          capture_output=True, text=True, cwd=REPO)
                    result = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
                    if result is None:
                        sys.exit(f"{engine} at {n} failed:\n{done.stderr[-3000:]}")
                    rows.append((n, engine, round_, json.loads(result[7:]), cache == args.cache))
                    print(f"done: {n} {engine} round {round_}", file=sys.stderr, flush=True)
    print_table(rows)


def print_table(rows: list) -> None:
    stages = [s for s in ("ingest", "cluster", "cache", "model", "encode", "themes", "layout", "claims", "progress",
                          "store", "report") if any(s in r[3]["wall"] for r in rows)]
    print("| papers | engine | round | cache | total wall s | total CPU s | "
          + " | ".join(f"{s} ms/paper CPU (wall)" for s in stages) + " |")
    print("|---:|---|---:|---|---:|---:|" + "---:|" * len(stages))
    for _, engine, round_, result, warm in rows:
        n = result["n"]  # papers after de-duplication
        cells = []
        for stage in stages:
            if stage in result["wall"]:
                cells.append(f"{1000 * result['cpu'][stage] / n:.2f} ({1000 * result['wall'][stage] / n:.2f})")
            else:
                cells.append("–")
        print(f"| {n:,} | {engine} | {round_} | {'shared (warm)' if warm else 'fresh (cold)'} | "
              f"{result['total_wall']:.1f} | {result['total_cpu']:.1f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
