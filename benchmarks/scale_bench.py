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
    parser.add_argument("--one", nargs=4, metavar=("ENGINE", "INPUT", "CACHE", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, inputs, cache, work = args.one
        print("RESULT " + json.dumps(one_run(engine, Path(inputs), Path(cache), Path(work))))
        return
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
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
    for n, engine, round_, result, warm in rows:
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
