"""`trends report` of this checkout against another source tree, run alternately (A B A B ...).

    .venv/bin/python benchmarks/report_bench.py --processed data/processed --baseline /path/to/main/tree
    .venv/bin/python benchmarks/report_bench.py --processed /tmp/arxiv/processed --repeat 1

Both run in this virtual environment, the baseline with its tree first on PYTHONPATH. Prints one
table: per checkout the median wall and CPU seconds (user + sys of the child), peak RSS, and the
sizes of report.html and map.html. The machine is shared, so alternation and CPU seconds are what
make the two comparable; outputs go to a scratch folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND = "from pipeline.cli import app; app()"


def run_once(tree: Path, processed: Path, reports: Path) -> dict[str, float]:
    """One `trends report` in a child process; its wall time, CPU seconds, peak RSS and page sizes."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", COMMAND, "report", "--processed", str(processed),
                              "--reports", str(reports)], env=env, cwd=tree, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak RSS
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"trends report failed in {tree}: {child.stderr.read().decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "html_mb": (reports / "report.html").stat().st_size / 1e6,
            "map_mb": (reports / "map.html").stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processed", type=Path, required=True, help="a processed folder written by `trends run`")
    parser.add_argument("--baseline", type=Path, help="another source tree (e.g. `git archive main | tar -x`)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = {"this checkout": REPO, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(args.repeat):
            for name, tree in (trees.items() if i % 2 == 0 else reversed(trees.items())):
                results[name].append(run_once(tree, args.processed, Path(scratch) / f"{name}-{i}"))
    print(f"`trends report` on {args.processed}, {args.repeat} runs each, alternating\n")
    print("| checkout | wall s (median) | CPU s (median) | peak RSS MB | report.html MB | map.html MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"| {name} | {med['wall']:.2f} | {med['cpu']:.2f} | {med['rss_mb']:,.0f} | "
              f"{med['html_mb']:.2f} | {med['map_mb']:.2f} |")


if __name__ == "__main__":
    main()
