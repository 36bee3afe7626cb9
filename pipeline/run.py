"""The orchestrator: the one place that reads inputs, calls the stages in order, caches and writes.

Stages (ingest, embed, themes, claims, trends, report) are pure functions of tables; this module
owns the file system, the embedding cache, timings and the progress display.
"""

from __future__ import annotations

import hashlib
import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from pipeline import embed, encoders, ingest, schema, store, theme_updates
from pipeline.claims import extract_claims
from pipeline.embed_cache import EmbeddingCache
from pipeline.settings import Settings

# Vectors are flushed to the cache after each chunk: the most an interrupted run loses.
ENCODE_CHUNK = 1024


@dataclass
class Progress:
    """Prints one line per finished stage and keeps the timings for the report's method section."""

    console: Console = field(default_factory=lambda: Console(stderr=True))
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str, spinner: bool = True) -> Iterator[dict]:
        """Time a stage; the body may put a short summary under 'note' to print beside it.

        `spinner=False` for stages that show a progress bar of their own (one live display at a time).
        """
        started = time.perf_counter()
        status: dict = {}
        if spinner:
            with self.console.status(f"[bold]{name}[/]…"):
                yield status
        else:
            yield status
        elapsed = time.perf_counter() - started
        self.timings[name] = elapsed
        note = f" [dim]{status['note']}[/]" if status.get("note") else ""
        self.console.print(f"[green]✓[/] {name:<8} {elapsed:6.1f} s {peak_memory_mb():6.0f} MB{note}", highlight=False)

    @contextmanager
    def bar(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        """A progress bar with an ETA; yields a function taking the number of items done so far."""
        columns = (TextColumn("  {task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
        with RichProgress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done: bar.update(task, completed=done)


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


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


def ingest_inputs(sources: list[Path]) -> dict[str, pd.DataFrame]:
    tables = ingest.build_tables(read_sources(sources))
    if tables["papers"].empty:
        raise ingest.InputError(f"no papers found in {', '.join(map(str, sources))}")
    return tables


# --------------------------------------------------------------------------- up to date?


def fingerprint(settings: Settings, sources: list[Path]) -> str:
    """A digest of everything a run's outputs depend on: input bytes, result-changing settings, code."""
    code = Path(__file__).resolve().parent
    vector_kind = encoders.vectors_key(settings.model, settings.encoder)  # the model's name unless lossy
    digest = hashlib.sha256(repr((vector_kind, settings.n_themes, settings.seed)).encode())
    for path in [*sources, *sorted(code.rglob("*.py")), *sorted(code.rglob("*.j2"))]:
        digest.update(path.name.encode())
        with open(path, "rb") as handle:  # in chunks: an arXiv snapshot is gigabytes
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def is_up_to_date(settings: Settings, digest: str) -> bool:
    """True when the stored outputs were made from exactly these inputs, settings and code."""
    needed = [store.database_path(settings.processed_dir), settings.reports_dir / "report.html",
              settings.reports_dir / "map.html"]
    if not all(path.exists() for path in needed):
        return False
    try:
        stored = store.query(settings.processed_dir, "select value from run_info where key = 'fingerprint'")
    except store.StoreError:
        return False
    return stored["value"].tolist() == [digest]


# --------------------------------------------------------------------------- embeddings


def embed_papers(texts: list[str], settings: Settings, progress: Progress) -> np.ndarray:
    """Vectors for every cleaned text, from the cache where possible.

    New vectors are flushed to the cache every chunk, so an interrupted large run resumes from there.
    The encoder (OpenVINO or torch) is only loaded when something is missing from the cache; the
    cache key names the vectors (encoders whose vectors equal the default's share it).
    """
    with progress.stage("cache") as status:
        hashes = [embed.text_hash(text) for text in texts]
        cache = EmbeddingCache(settings.cache_dir / "embeddings",
                               model_key=encoders.vectors_key(settings.model, settings.encoder))
        found = cache.get_many(hashes)
        todo = {h: text for h, text in zip(hashes, texts) if h not in found}
        status["note"] = f"{len(hashes) - len(todo)} of {len(hashes)} embeddings cached"
    if todo:
        with progress.stage("model") as status:
            encoder = encoders.load_encoder(
                settings.model, settings.encoder, settings.device, settings.cache_dir,
                warn=lambda message: progress.console.print(f"[yellow]warning[/] {message}", highlight=False))
            status["note"] = f"{settings.model}: {encoder.description}"
        keys, pending = list(todo), list(todo.values())
        with progress.stage("encode", spinner=False) as status, progress.bar("encode", len(pending)) as advance:
            for start in range(0, len(pending), ENCODE_CHUNK):
                vectors = encoder.encode(pending[start : start + ENCODE_CHUNK], settings.batch_size,
                                         progress=lambda done, base=start: advance(base + done))
                cache.put_many(dict(zip(keys[start : start + ENCODE_CHUNK], vectors)))
                cache.flush()
            status["note"] = f"{len(pending)} texts"
        found = cache.get_many(hashes)
    return np.stack([found[h] for h in hashes])


# --------------------------------------------------------------------------- themes


def assign_themes(papers: pd.DataFrame, docs: list[str], vectors: np.ndarray, settings: Settings,
                  progress: Progress) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, dict]:
    """Theme ids, map positions, the themes table and how they were made.

    When the stored run used the same model, seed and theme count and most papers are already known,
    the stored themes are extended (old papers keep theme and place); otherwise all are re-clustered.
    """
    ids = papers["paper_id"].tolist()
    previous = stored_themes(settings)
    if previous is not None and theme_updates.can_extend(ids, previous[0]):
        with progress.stage("themes") as status:
            extension = theme_updates.extend_themes(vectors, ids, *previous)
            status["note"] = (f"kept the {len(extension.themes)} stored themes, placed "
                              f"{extension.info['n_new_papers']} new papers (--recluster re-fits)")
        return extension.labels, extension.coords, extension.themes, extension.info
    from pipeline import themes  # scikit-learn loads only when clustering, not for reports or warm runs

    with progress.stage("themes") as status:
        fitted = themes.fit_themes(vectors, docs, paper_ids=ids, n_themes=settings.n_themes, seed=settings.seed)
        status["note"] = f"{len(fitted.themes)} themes ({fitted.info.get('selection', '')})"
    with progress.stage("layout"):
        coords = themes.layout_2d(vectors, seed=settings.seed)
    return fitted.labels, coords, fitted.themes, fitted.info


def stored_themes(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The last run's paper themes and positions and its themes table, if made with the same settings."""
    if settings.recluster or not store.database_path(settings.processed_dir).exists():
        return None
    try:
        stored = store.read_tables(settings.processed_dir, ["papers", "themes", "run_info"])
    except store.StoreError:
        return None
    info = dict(zip(stored["run_info"]["key"], stored["run_info"]["value"]))
    expected = {"model": settings.model, "seed": str(settings.seed),
                "n_themes requested": str(settings.n_themes or "automatic")}
    if any(info.get(key) != value for key, value in expected.items()) or stored["themes"].empty:
        return None
    return stored["papers"][["paper_id", "theme_id", "x", "y"]], stored["themes"]


# --------------------------------------------------------------------------- the run


def run_pipeline(settings: Settings, progress: Progress | None = None) -> dict[str, pd.DataFrame] | None:
    """Ingest → embed → themes → map layout → claims → store → report; returns the stored tables.

    Returns None without touching anything when the outputs are already up to date.
    """
    progress = progress or Progress()
    sources = collect_sources(settings.inputs)
    digest = fingerprint(settings, sources)
    if not (settings.force or settings.recluster) and is_up_to_date(settings, digest):
        progress.console.print("[green]✓[/] up to date: inputs, settings and code are unchanged since the last run "
                               f"(outputs in {settings.processed_dir} and {settings.reports_dir}; --force rebuilds)")
        return None
    with progress.stage("ingest") as status:
        tables = ingest_inputs(sources)
        status["note"] = (
            f"{len(tables['papers'])} papers, {len(tables['appearances'])} appearances, "
            f"{len(tables['warnings'])} warnings"
        )
    for source, line, message in tables["warnings"].itertuples(index=False):
        where = f"{source}:{line}" if pd.notna(line) else source
        progress.console.print(f"[yellow]warning[/] {where}: {message}", highlight=False)
    papers = tables["papers"]
    docs = [embed.clean_text(title, abstract) for title, abstract in zip(papers["title"], papers["abstract"])]
    vectors = embed_papers(docs, settings, progress)
    labels, coords, theme_table, theme_info = assign_themes(papers, docs, vectors, settings, progress)
    papers = papers.assign(theme_id=labels, x=coords[:, 0], y=coords[:, 1])
    with progress.stage("claims") as status:
        claims = extract_claims(papers)
        status["note"] = f"{len(claims)} claims in {claims['paper_id'].nunique()} papers"
    tables.update(papers=papers, themes=theme_table, claims=claims)
    tables["run_info"] = run_info(settings, digest, theme_info, progress.timings)
    with progress.stage("store") as status:
        status["note"] = str(store.write_tables(tables, settings.processed_dir))
    with progress.stage("report") as status:
        status["note"] = str(write_report(tables, settings.reports_dir))
    return tables


def regenerate_report(settings: Settings, progress: Progress | None = None) -> Path:
    """Rebuild reports/ from the stored tables alone: no model, no clustering."""
    progress = progress or Progress()
    with progress.stage("report") as status:
        path = write_report(store.read_tables(settings.processed_dir), settings.reports_dir)
        status["note"] = str(path)
    return path


def write_report(tables: dict[str, pd.DataFrame], reports_dir: Path) -> Path:
    """Write every report file aside, then into place; figures and tables no longer produced are removed."""
    from pipeline.report.build import build_report  # matplotlib and plotly load only when a report is made

    files = build_report(tables)
    for relative, content in files.items():
        store.write_atomic(reports_dir / relative, content)
    for folder in ("figures", "tables"):
        for stale in (reports_dir / folder).glob("*"):
            if f"{folder}/{stale.name}" not in files:
                stale.unlink()
    return reports_dir / "report.html"


def run_info(settings: Settings, digest: str, theme_info: dict, timings: dict[str, float]) -> pd.DataFrame:
    """Settings and facts a reader needs to reproduce the run; shown in the report's method section."""
    rows: dict[str, object] = {
        "inputs": ", ".join(map(str, settings.inputs)),
        "model": settings.model,
        "encoder": settings.encoder,
        "seed": settings.seed,
        "n_themes requested": settings.n_themes or "automatic",
        "fingerprint": digest,
    }
    rows.update({f"themes: {key}": value for key, value in theme_info.items()})
    rows.update({f"seconds: {name}": f"{seconds:.2f}" for name, seconds in timings.items()})
    return schema.conform(pd.DataFrame({"key": list(rows), "value": [str(v) for v in rows.values()]}), schema.RUN_INFO)
