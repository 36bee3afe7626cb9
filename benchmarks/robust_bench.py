"""What the safety machinery costs: checks, lock, recovery, verified store, journalled switch, streamed query.

    .venv/bin/python benchmarks/robust_bench.py             # default corpus; query up to 10M rows
    .venv/bin/python benchmarks/robust_bench.py --rows 1000000

Prints two tables. The first times each step a run now takes (in-process, median of repeats,
alternating with/without where a step can be switched off). The second runs `trends query` in a
fresh process per format and reports wall and CPU seconds and peak RSS, with main a3d431b's way
of printing (materialize, then serialize) as a reference row at the smaller size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO))

from pipeline import ingest, lock, outputs, store  # noqa: E402
from pipeline.run import Progress, prepare_output_folders, read_sources  # noqa: E402
from pipeline.settings import Settings, check_run  # noqa: E402

MATERIALIZED = """
import json, sys
from pipeline import store
frame = store.query(sys.argv[1], sys.argv[2])
records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\\n")
"""


def median_ms(step, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def step_costs(work: Path, repeats: int) -> list[tuple[str, float]]:
    tables = ingest.build_tables(read_sources(sorted((REPO / "data" / "raw").glob("*.txt"))))
    processed, reports = work / "processed", work / "reports"
    store.write_tables(tables, processed)
    settings = Settings(processed_dir=processed, reports_dir=reports, cache_dir=work / "cache")
    quiet = Progress()
    quiet.console.quiet = True

    def hold_locks() -> None:
        with lock.folders_lock([processed, reports]):
            pass

    verify = store._verify
    rows: list[tuple[str, float]] = [
        ("check_run: values, device cpu, model, 3 folders", median_ms(lambda: check_run(settings), repeats)),
        ("lock both output folders (flock, holder record)", median_ms(hold_locks, repeats)),
        ("recover + remove leftovers (nothing pending)", median_ms(lambda: prepare_output_folders([processed, reports],
                                                                                                quiet), repeats)),
    ]
    with_verify, without = [], []
    for _ in range(repeats):  # alternate: the machine is shared and noisy
        with_verify.append(median_ms(lambda: store.write_tables(tables, processed), 1))
        store._verify = lambda *args: None
        without.append(median_ms(lambda: store.write_tables(tables, processed), 1))
        store._verify = verify
    rows += [("store 194 papers: write, checkpoint, verify, switch", statistics.median(with_verify)),
             ("  of which the read-back verification", statistics.median(with_verify) - statistics.median(without))]
    files = {f"figures/f{i}.png": os.urandom(60_000) for i in range(4)}
    files.update({"report.html": os.urandom(460_000), "map.html": os.urandom(5_300_000), "report.md": os.urandom(58_000)})
    files.update({f"tables/t{i}.csv": os.urandom(20_000) for i in range(6)})

    def switch_report() -> None:
        staged = outputs.StagedOutputs(reports)
        for relative, content in files.items():
            staged.write_bytes(reports / relative, content)
        started = time.perf_counter()
        staged.commit()
        switch_times.append((time.perf_counter() - started) * 1000)

    switch_times: list[float] = []
    rows.append(("stage 13 report files (5.9 MB), fsynced", median_ms(switch_report, repeats)))
    rows.append(("  of which the journalled switch (fsync, renames)", statistics.median(switch_times)))
    return rows


def query_costs(processed: Path, sizes: list[int]) -> list[tuple[str, int, float, float, int]]:
    rows = []
    for n in sizes:
        sql = f"select range as i, 'text number ' || range as s, range * 0.5 as f from range({n})"
        variants = [(fmt, [str(BIN / "trends"), "query", sql, "--processed", str(processed), "-f", fmt])
                    for fmt in ("csv", "jsonl", "json", "table")]
        if n <= 1_000_000:
            variants.append(("json, main's way (materialized)", [sys.executable, "-c", MATERIALIZED, str(processed), sql]))
        for label, cmd in variants:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
            _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{label} failed: {proc.stderr.read().decode()[-500:]}")
            rows.append((label, n, time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
                         usage.ru_maxrss // 1024))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="robust-bench-"))
    try:
        print("| step | median ms |\n|---|---:|")
        for name, ms in step_costs(work, args.repeats):
            print(f"| {name} | {ms:.2f} |")
        print("\n| trends query | rows | wall s | CPU s | peak RSS MB |\n|---|---:|---:|---:|---:|")
        for label, n, wall, cpu, rss in query_costs(work / "processed", args.rows):
            print(f"| {label} | {n:,} | {wall:.1f} | {cpu:.1f} | {rss:,} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; peak RSS of the query process; "
          f"this process peaked at {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    main()
