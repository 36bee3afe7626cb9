"""The orchestrator: the one place that reads inputs, calls the stages in order, caches and writes.

Stages (ingest, embed, themes, claims, trends, report) are pure functions of tables; this module
owns the file system, the embedding cache, timings and the progress display.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd
from rich.console import Console

from pipeline import ingest, schema, store
from pipeline.settings import Settings


@dataclass
class Progress:
    """Prints one line per finished stage and keeps the timings for the report's method section."""

    console: Console = field(default_factory=lambda: Console(stderr=True))
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[dict]:
        """Time a stage; the body may put a short summary under 'note' to print beside it."""
        started = time.perf_counter()
        status: dict = {}
        with self.console.status(f"[bold]{name}[/]…"):
            yield status
        elapsed = time.perf_counter() - started
        self.timings[name] = elapsed
        note = f" [dim]{status['note']}[/]" if status.get("note") else ""
        self.console.print(f"[green]✓[/] {name:<8} {elapsed:6.1f} s{note}")


# --------------------------------------------------------------------------- inputs


def collect_sources(inputs: tuple[Path, ...]) -> list[Path]:
    """Expand folders into their readable files, sorted, so runs see sources in a fixed order."""
    sources: list[Path] = []
    for path in inputs:
        if not path.exists():
            raise ingest.InputError(f"input not found: {path}")
        if path.is_dir():
            sources += sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ingest.SUPPORTED_SUFFIXES
            )
        else:
            sources.append(path)
    if not sources:
        raise ingest.InputError(
            f"no input files in {', '.join(map(str, inputs))} (expected {', '.join(sorted(ingest.SUPPORTED_SUFFIXES))})"
        )
    return sources


def source_names(paths: list[Path]) -> list[str]:
    """File names identify sources; a name shared by two files falls back to the full path."""
    names = [p.name for p in paths]
    return [p.name if names.count(p.name) == 1 else str(p) for p in paths]


def read_sources(paths: list[Path]) -> list[ingest.Reading]:
    """Open each source and hand its byte lines to the reader its extension and content call for."""
    readings = []
    for path, name in zip(paths, source_names(paths)):
        with open(path, "rb") as handle:
            first_line = handle.readline()
            reader = ingest.reader_for(name, first_line)
            handle.seek(0)
            readings.append(reader(name, handle))
    return readings


def ingest_inputs(settings: Settings) -> dict[str, pd.DataFrame]:
    tables = ingest.build_tables(read_sources(collect_sources(settings.inputs)))
    if tables["papers"].empty:
        raise ingest.InputError(f"no papers found in {', '.join(map(str, settings.inputs))}")
    return tables


# --------------------------------------------------------------------------- the run


def run_pipeline(settings: Settings, progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """Ingest → store; returns the tables it wrote."""
    progress = progress or Progress()
    with progress.stage("ingest") as status:
        tables = ingest_inputs(settings)
        status["note"] = (
            f"{len(tables['papers'])} papers, {len(tables['appearances'])} appearances, "
            f"{len(tables['warnings'])} warnings"
        )
    for source, line, message in tables["warnings"].itertuples(index=False):
        where = f"{source}:{line}" if pd.notna(line) else source
        progress.console.print(f"[yellow]warning[/] {where}: {message}")
    with progress.stage("store") as status:
        path = store.write_tables(tables, settings.processed_dir)
        status["note"] = str(path)
    return tables


def run_info(settings: Settings, timings: dict[str, float]) -> pd.DataFrame:
    rows = {"seed": settings.seed, "model": settings.model}
    rows.update({f"seconds_{name}": f"{seconds:.2f}" for name, seconds in timings.items()})
    return schema.conform(pd.DataFrame({"key": list(rows), "value": [str(v) for v in rows.values()]}), schema.RUN_INFO)
