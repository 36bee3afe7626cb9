"""Ours against BERTopic, side by side: `trends run` and benchmarks/bertopic_peer.py, both cold.

    .venv/bin/python benchmarks/peer_bench.py                       # 2,000 / 5,000 / 25,841 arXiv papers
    .venv/bin/python benchmarks/peer_bench.py --sizes 2000 --rounds 3
    .venv/bin/python benchmarks/peer_bench.py --sizes 25841 --together   # both at once (a loaded machine)

Same corpus (../shared/corpora/arxiv_2025_26.jsonl; smaller sizes are fixed samples of it), same
packaged model, fresh cache and outputs for every run, in alternation (ours first in even rounds,
BERTopic first in odd ones). Each run is a fresh process; its wall time, CPU seconds (user + sys
of the process and its children, from wait4) and peak RSS come from the kernel, its stage times
from the stage lines it prints. Prints one table per size, the CPU ratio, and each stage's growth
exponent (log t2/t1 over log n2/n1 between sizes). `--json` keeps every run's numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ARXIV = REPO.parent / "shared" / "corpora" / "arxiv_2025_26.jsonl"
PEER_SCRIPT = REPO / "benchmarks" / "bertopic_peer.py"
SIDES = ("ours", "BERTopic")

sys.path.insert(0, str(REPO / "benchmarks"))
from pipeline_bench import STAGE_LINE  # noqa: E402  (one parser for both programs' stage lines)


@dataclass
class Run:
    side: str
    n_papers: int
    round: int
    wall_s: float
    cpu_s: float
    peak_mb: float
    stages: dict[str, float]
    load: float  # 1-minute load average when the run ended: how busy the machine was


def command(side: str, corpus: Path, work: Path) -> list[str]:
    if side == "ours":
        return [str(BIN / "trends"), "run", "--input", str(corpus), "--processed", str(work / "processed"),
                "--reports", str(work / "reports"), "--cache", str(work / "cache")]
    return [sys.executable, str(PEER_SCRIPT), str(corpus), str(work / "reports")]


def start(side: str, corpus: Path, work: Path) -> tuple[subprocess.Popen, float, object]:
    """Start one cold run in its own empty folder."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log = open(work / "stderr.log", "w+b")
    proc = subprocess.Popen(command(side, corpus, work), cwd=work, stdout=subprocess.DEVNULL, stderr=log,
                            env={**os.environ, "COLUMNS": "200"})
    return proc, time.perf_counter(), log


def finish(side: str, n: int, round_: int, proc: subprocess.Popen, started: float, log) -> Run:
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    log.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{side} failed on {n} papers:\n{text[-3000:]}")
    stages = {m["stage"]: float(m["seconds"]) for m in STAGE_LINE.finditer(text)}
    stages["other"] = max(0.0, wall - sum(stages.values()))
    return Run(side, n, round_, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stages,
               os.getloadavg()[0])


def sample(work: Path, n: int, seed: int = 0) -> tuple[Path, int]:
    """A fixed random sample of n records (the whole corpus when n covers it)."""
    lines = [line for line in ARXIV.read_text(encoding="utf-8").splitlines() if line.strip()]
    if n >= len(lines):
        return ARXIV, len(lines)
    path = work / f"arxiv_{n}.jsonl"
    path.write_text("\n".join(random.Random(seed).sample(lines, n)) + "\n", encoding="utf-8")
    return path, n


def run_size(work: Path, n: int, rounds: range, together: bool, runs: list[Run], save) -> None:
    corpus, n = sample(work, n)
    for round_ in rounds:
        order = SIDES if round_ % 2 == 0 else SIDES[::-1]
        if together:
            started = [(side, *start(side, corpus, work / side)) for side in order]
            done = [finish(side, n, round_, *rest) for side, *rest in started]
        else:
            done = [finish(side, n, round_, *start(side, corpus, work / side)) for side in order]
        for run in done:
            runs.append(run)
            print(f"{run.side:<9} n={n:<6} round {round_}: wall {run.wall_s:7.1f} s  cpu {run.cpu_s:7.1f} s  "
                  f"peak {run.peak_mb:5.0f} MB  load {run.load:4.1f}  " +
                  ", ".join(f"{k} {v:.1f}" for k, v in run.stages.items()), flush=True)
        save()


def median_of(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(run, attribute) for run in runs)


def stage_medians(runs: list[Run]) -> dict[str, float]:
    names = list(dict.fromkeys(name for run in runs for name in run.stages))
    return {name: statistics.median(run.stages.get(name, 0.0) for run in runs) for name in names}


def print_tables(runs: list[Run]) -> None:
    sizes = sorted({run.n_papers for run in runs})
    print("\n| papers | program | runs | wall s (median, min–max) | CPU s (median) | peak RSS MB | load | per stage: median s |")
    print("|---:|---|---:|---|---:|---:|---:|---|")
    for n in sizes:
        for side in SIDES:
            mine = [run for run in runs if run.n_papers == n and run.side == side]
            if not mine:
                continue
            walls = [run.wall_s for run in mine]
            stages = ", ".join(f"{k} {v:.1f}" for k, v in stage_medians(mine).items())
            print(f"| {n:,} | {side} | {len(mine)} | {statistics.median(walls):.0f} ({min(walls):.0f}–{max(walls):.0f}) "
                  f"| {median_of(mine, 'cpu_s'):.0f} | {max(r.peak_mb for r in mine):,.0f} "
                  f"| {statistics.median(r.load for r in mine):.1f} | {stages} |")
    print("\n| papers | CPU s ours / BERTopic | wall ours / BERTopic |")
    print("|---:|---:|---:|")
    for n in sizes:
        ours = [r for r in runs if r.n_papers == n and r.side == "ours"]
        peer = [r for r in runs if r.n_papers == n and r.side == "BERTopic"]
        if ours and peer:
            print(f"| {n:,} | {median_of(ours, 'cpu_s') / median_of(peer, 'cpu_s'):.2f} "
                  f"| {median_of(ours, 'wall_s') / median_of(peer, 'wall_s'):.2f} |")
    print_growth(runs, sizes)


def print_growth(runs: list[Run], sizes: list[int]) -> None:
    """Each stage's growth exponent between consecutive sizes: 1 is linear, 2 quadratic."""
    if len(sizes) < 2:
        return
    print("\n| program | stage | " + " | ".join(f"exponent {a:,}→{b:,}" for a, b in zip(sizes, sizes[1:])) + " |")
    print("|---|---|" + "---:|" * (len(sizes) - 1))
    for side in SIDES:
        medians = {n: stage_medians([r for r in runs if r.n_papers == n and r.side == side]) for n in sizes}
        for n in sizes:  # CPU seconds of the whole run: steadier than stage wall times on a loaded machine
            medians[n] = {"CPU s, whole run": median_of([r for r in runs if r.n_papers == n and r.side == side],
                                                        "cpu_s"), **medians[n]}
        for name in dict.fromkeys(k for m in medians.values() for k in m):
            cells = []
            for a, b in zip(sizes, sizes[1:]):
                ta, tb = medians[a].get(name, 0.0), medians[b].get(name, 0.0)
                cells.append(f"{math.log(tb / ta) / math.log(b / a):.2f}" if ta >= 0.5 and tb > 0 else "–")
            print(f"| {side} | {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 25841])
    parser.add_argument("--rounds", type=int, default=2, help="rounds per size below 10,000 papers")
    parser.add_argument("--large-rounds", type=int, default=1, help="rounds per size from 10,000 papers")
    parser.add_argument("--together", action="store_true", help="run both programs at once (same load for both)")
    parser.add_argument("--first-round", type=int, default=0,
                        help="number the rounds from here (odd: BERTopic first), to continue an earlier --json")
    parser.add_argument("--json", type=Path, help="write every run's numbers here (after each round)")
    parser.add_argument("--tables-from", type=Path, help="only print the tables of a --json file")
    args = parser.parse_args()
    if args.tables_from:
        print_tables([Run(**row) for row in json.loads(args.tables_from.read_text())])
        return
    if not ARXIV.exists():
        raise SystemExit(f"arXiv corpus not found at {ARXIV}")
    runs: list[Run] = []

    def save() -> None:
        if args.json:
            args.json.write_text(json.dumps([asdict(run) for run in runs], indent=1))

    with tempfile.TemporaryDirectory(prefix="peer-bench-") as tmp:
        for n in args.sizes:
            count = args.rounds if n < 10_000 else args.large_rounds
            run_size(Path(tmp), n, range(args.first_round, args.first_round + count), args.together, runs, save)
    print_tables(runs)


if __name__ == "__main__":
    main()
