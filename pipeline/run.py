"""The orchestrator: the one place that reads inputs, calls the stages in order, caches and writes.

Stages (ingest, embed, themes, claims, trends, report) are pure functions of tables; this module
owns the file system, the embedding cache, timings and the progress display.
"""

from __future__ import annotations

import hashlib
import os
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

from pipeline import embed, encoders, engines, ingest, lock, outputs, paper_vectors, schema, store, theme_updates
from pipeline.embed_cache import EmbeddingCache
from pipeline.engines.local import LocalEngine
from pipeline.errors import Interrupted
from pipeline.frontiers import progress_tables
from pipeline.machine_cache import machine_cache_dir
from pipeline.plural import plural
from pipeline.settings import Settings, check_report, check_run

# Vectors are flushed to the cache every this many texts, and whatever is finished when Ctrl-C comes.
ENCODE_CHUNK = 1024


@dataclass
class Progress:
    """Prints one line per finished stage and keeps the timings for the report's method section."""

    console: Console = field(default_factory=lambda: Console(stderr=True))
    timings: dict[str, float] = field(default_factory=dict)
    current: str | None = None  # the stage running now, for the message when Ctrl-C stops it

    def warn(self, message: str) -> None:
        self.console.print(f"[yellow]warning[/] {message}", highlight=False, soft_wrap=True)

    @contextmanager
    def stage(self, name: str, spinner: bool = True) -> Iterator[dict]:
        """Time a stage; the body may put a short summary under 'note' to print beside it.

        `spinner=False` for stages that show a progress bar of their own (one live display at a time).
        """
        started = time.perf_counter()
        status: dict = {}
        self.current = name
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
            try:
                entries = list(path.iterdir())
            except OSError as error:
                raise ingest.InputError(f"cannot read folder {path}: {outputs.describe(error)}") from error
            sources += sorted(
                p for p in entries
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
    """Open each source and hand its byte lines to the reader its extension and content call for.

    A file that cannot be read at all (binary, no `abstract` column, no permission) becomes one
    file-level warning naming it, and the other files are read on.
    """
    readings = []
    for path, name in zip(paths, source_names(paths)):
        try:
            with open(path, "rb") as handle:
                first_line = handle.readline()
                reader = ingest.reader_for(name, first_line)
                handle.seek(0)
                readings.append(reader(name, handle))
        except ingest.InputError as problem:
            readings.append(ingest.Reading.of_unreadable(name, str(problem)))
        except OSError as error:
            readings.append(ingest.Reading.of_unreadable(name, f"cannot read it ({outputs.describe(error)})"))
    return readings


def ingest_inputs(sources: list[Path], processed_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Read every source into tables; an unreadable file is skipped unless that would lose stored papers.

    Skipping is safe for a file the stored outputs never had; for one they have (a file overwritten,
    truncated or emptied since), going on would drop its papers from the database and the report,
    so the run stops instead and changes nothing.
    """
    readings = read_sources(sources)
    unreadable = {reading.warnings[0][0]: reading.warnings[0][2] for reading in readings if reading.unreadable}
    empty = {name: reading for name, reading in zip(source_names(sources), readings) if not reading.records}
    if empty and processed_dir is not None:
        stored = [name for name in empty if name in stored_sources(processed_dir)]
        if stored:
            why = unreadable.get(stored[0], "").removeprefix("file skipped: ") or (
                f"no paper can be read from it now ({plural(len(empty[stored[0]].warnings), 'warning')})")
            raise ingest.InputError(f"{stored[0]}: {why}; its papers are in the stored outputs, so nothing was "
                                    "changed (fix the file, or leave it out of the inputs to drop its papers)")
    tables = ingest.build_tables(readings)
    if tables["papers"].empty:
        problems = "; ".join(f"{name}: {why}" for name, why in unreadable.items())
        raise ingest.InputError(f"no papers found in {', '.join(map(str, sources))}" + (f" ({problems})" if problems else ""))
    return tables


def stored_sources(processed_dir: Path) -> set[str]:
    """The sources the stored database has papers from (none when there is no readable database)."""
    try:
        return set(store.query(processed_dir, "select distinct source from appearances")["source"])
    except store.StoreError:
        return set()


# --------------------------------------------------------------------------- up to date?


def fingerprint(settings: Settings, sources: list[Path]) -> str:
    """A digest of everything a run's outputs depend on: input bytes, result-changing settings, code."""
    code = Path(__file__).resolve().parent
    vector_kind = encoders.vectors_key(settings.model, settings.encoder)  # the model's name unless lossy
    digest = hashlib.sha256(repr((vector_kind, settings.n_themes, settings.seed)).encode())
    for path in [*sources, *sorted(code.rglob("*.py")), *sorted(code.rglob("*.j2")), *sorted(code.rglob("*.toml")),
                 *sorted(code.rglob("*.csv"))]:
        digest.update(path.name.encode())
        try:
            with open(path, "rb") as handle:  # in chunks: an arXiv snapshot is gigabytes
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError as error:  # unreadable: ingest reports it; a changed reason is a changed input
            digest.update(str(error.errno).encode())
    return digest.hexdigest()


def is_up_to_date(settings: Settings, digest: str) -> bool:
    """True when the stored outputs were made from exactly these inputs, settings and code."""
    needed = [store.database_path(settings.processed_dir), paper_vectors.path(settings.processed_dir),
              settings.reports_dir / "report.html", settings.reports_dir / "map.html"]
    if not all(path.exists() for path in needed):
        return False
    try:
        stored = store.query(settings.processed_dir, "select value from run_info where key = 'fingerprint'")
    except store.StoreError:
        return False
    return stored["value"].tolist() == [digest]


# --------------------------------------------------------------------------- embeddings


class Embedder:
    """A run's vectors: from the embedding cache where possible, else from the encoder, which is
    loaded at most once per run (in its own "model" stage) and serves the papers and the theme-name
    phrases alike. The cache key names the vectors (encoders whose vectors equal the default's share it)."""

    def __init__(self, settings: Settings, progress: Progress) -> None:
        self.settings, self.progress = settings, progress
        self.cache = EmbeddingCache(settings.cache_dir / "embeddings",
                                    model_key=encoders.vectors_key(settings.model, settings.encoder), warn=progress.warn)
        self._encoder: encoders.Encoder | None = None

    def encoder(self) -> encoders.Encoder:
        if self._encoder is None:
            settings = self.settings
            with self.progress.stage("model") as status:
                self._encoder = encoders.load_encoder(settings.model, settings.encoder, settings.device,
                                                      machine_cache_dir(settings.cache_dir), warn=self.progress.warn)
                status["note"] = f"{settings.model}: {self._encoder.description}"
        return self._encoder

    def phrases(self, phrases: list[str]) -> np.ndarray:
        """Vectors of short texts (theme-name candidates): a re-cluster of a known corpus finds them
        cached, and the encoder is loaded only for phrases never seen."""
        hashes = [embed.text_hash(phrase) for phrase in phrases]
        found = self.cache.get_many(hashes)
        missing = {key: phrase for phrase, key in zip(phrases, hashes) if key not in found}
        if missing:
            vectors = self.encoder().encode(list(missing.values()), self.settings.batch_size)
            self.cache.put_many(dict(zip(missing, vectors)))
            self.cache.flush()
            found = self.cache.get_many(hashes)
        return np.stack([found[key] for key in hashes])


def embed_papers(texts: list[str], settings: Settings, progress: Progress, embedder: Embedder | None = None,
                 engine: engines.Engine | None = None) -> np.ndarray:
    """Vectors for every cleaned text, from the cache where possible.

    Missing texts are encoded batch by batch (longest first, so each pads little) and each batch is
    kept as it finishes: the cache is flushed every ENCODE_CHUNK texts and on Ctrl-C, so an
    interrupted run loses no finished batch and a re-run encodes only the rest.
    """
    embedder = embedder or Embedder(settings, progress)
    engine = engine or LocalEngine()
    cache = embedder.cache
    with progress.stage("cache") as status:
        hashes = [embed.text_hash(text) for text in texts]
        found = cache.get_many(hashes)
        todo = {h: text for h, text in zip(hashes, texts) if h not in found}
        status["note"] = f"{len(hashes) - len(todo)} of {len(hashes)} embeddings cached"
    if todo:
        encoder = embedder.encoder()
        keys = list(todo)
        done = tried = flushed = 0  # encoded, offered to the cache, and on disk
        with progress.stage("encode", spinner=False) as status, progress.bar("encode", len(keys)) as advance:
            try:
                for rows, vectors in engine.encode_iter(encoder, [todo[key] for key in keys], settings.batch_size):
                    cache.put_many({keys[row]: vector for row, vector in zip(rows, vectors)})
                    done += len(rows)
                    advance(done)
                    if done - tried >= ENCODE_CHUNK:
                        tried = done
                        flushed = done if cache.flush() else flushed
            except KeyboardInterrupt:
                kept = done if cache.flush() else flushed
                raise Interrupted(f"{len(hashes) - len(todo) + kept} of {len(hashes)} embeddings are cached "
                                  f"({kept} encoded in this run before the interrupt); the stored outputs are "
                                  "unchanged, and running again encodes only the rest") from None
            cache.flush()
            status["note"] = plural(len(keys), "text")
        found = cache.get_many(hashes)
    return np.stack([found[h] for h in hashes])


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class StoredThemes:
    """The last run's paper themes and positions, its themes, areas and lineage tables, and whether
    it was made with the settings of this run (only then may its themes be extended)."""

    papers: pd.DataFrame
    themes: pd.DataFrame
    areas: pd.DataFrame
    lineage: pd.DataFrame
    same_settings: bool


def assign_themes(papers: pd.DataFrame, docs: list[str], vectors: np.ndarray, settings: Settings,
                  progress: Progress, embedder: Embedder) -> tuple[np.ndarray, np.ndarray, dict[str, pd.DataFrame], dict]:
    """Theme ids, map positions, the themes/areas/theme_lineage tables and how they were made.

    When the stored run used the same model, seed and theme count and most papers are already known,
    the stored themes are extended (old papers keep theme and place); otherwise all are re-clustered
    and the lineage table says what became of the stored themes.
    """
    ids = papers["paper_id"].tolist()
    previous = stored_themes(settings)
    if previous is not None and previous.same_settings and not settings.recluster and not previous.areas.empty \
            and theme_updates.can_extend(ids, previous.papers):
        with progress.stage("themes") as status:
            extension = theme_updates.extend_themes(vectors, ids, previous.papers, previous.themes, previous.areas)
            status["note"] = (f"kept the {plural(len(extension.themes), 'stored theme')}, placed "
                              f"{plural(extension.info['n_new_papers'], 'new paper')} (--recluster re-fits)")
        tables = {"themes": extension.themes, "areas": extension.areas, "theme_lineage": previous.lineage}
        return extension.labels, extension.coords, tables, extension.info
    from pipeline import themes  # scikit-learn loads only when clustering, not for reports or warm runs
    from pipeline.themes.lineage import theme_lineage

    with progress.stage("themes") as status:
        fitted = themes.fit_themes(vectors, docs, paper_ids=ids, titles=papers["title"].tolist(),
                                   n_themes=settings.n_themes, seed=settings.seed,
                                   encoder=embedder.phrases)
        status["note"] = (f"{plural(len(fitted.themes), 'theme')} in {plural(len(fitted.areas), 'area')} "
                          f"({fitted.info['selection']})")
    # numba keeps UMAP's compiled code here, so only the first run on a machine pays the JIT
    os.environ.setdefault("NUMBA_CACHE_DIR", str(machine_cache_dir(settings.cache_dir).resolve() / "numba"))
    with progress.stage("layout"):
        coords = themes.layout_2d(vectors, seed=settings.seed, graph=fitted.graph)
    lineage = schema.empty(schema.THEME_LINEAGE)
    if previous is not None and not previous.papers.empty:
        lineage = theme_lineage(previous.papers, previous.themes, papers.assign(theme_id=fitted.labels), fitted.themes)
    tables = {"themes": fitted.themes, "areas": fitted.areas, "theme_lineage": lineage}
    return fitted.labels, coords, tables, fitted.info


def stored_themes(settings: Settings) -> StoredThemes | None:
    """The last run's themes, if there is a readable database with themes in it."""
    if not store.database_path(settings.processed_dir).exists():
        return None
    try:
        stored = store.read_tables(settings.processed_dir, ["papers", "themes", "areas", "theme_lineage", "run_info"])
    except store.StoreError:
        return None
    if stored["themes"].empty:
        return None
    info = dict(zip(stored["run_info"]["key"], stored["run_info"]["value"]))
    expected = {"model": settings.model, "seed": str(settings.seed),
                "n_themes requested": str(settings.n_themes or "automatic")}
    return StoredThemes(papers=stored["papers"][["paper_id", "theme_id", "x", "y"]], themes=stored["themes"],
                        areas=stored["areas"], lineage=stored["theme_lineage"],
                        same_settings=all(info.get(key) == value for key, value in expected.items()))


# --------------------------------------------------------------------------- the run


def run_pipeline(settings: Settings, progress: Progress | None = None) -> dict[str, pd.DataFrame] | None:
    """Ingest → embed → themes → map layout → claims → store → report; returns the stored tables.

    Returns None without touching anything when the outputs are already up to date.
    """
    progress = progress or Progress()
    check_run(settings)
    sources = collect_sources(settings.inputs)
    with lock.folders_lock([settings.processed_dir, settings.reports_dir]):
        prepare_output_folders([settings.processed_dir, settings.reports_dir], progress)
        digest = fingerprint(settings, sources)
        if not (settings.force or settings.recluster) and is_up_to_date(settings, digest):
            progress.console.print("[green]✓[/] up to date: inputs, settings and code are unchanged since the last "
                                   f"run (outputs in {settings.processed_dir} and {settings.reports_dir}; "
                                   "--force rebuilds)")
            return None
        try:
            return build_outputs(settings, sources, digest, progress)
        except Interrupted:
            raise
        except KeyboardInterrupt:
            kept = ("nothing new was encoded" if progress.current in (None, "ingest", "cache", "model")
                    else "every embedding is cached, so running again starts after the encoding")
            raise Interrupted(f"stopped during {progress.current or 'the start'}: the stored outputs are "
                              f"unchanged; {kept}") from None


def prepare_output_folders(folders: list[Path], progress: Progress) -> None:
    """Finish a switch of outputs that a crash interrupted, and remove temporary files killed runs left."""
    for note in outputs.recover(folders):
        progress.console.print(f"[yellow]note[/] {note}", highlight=False)
    outputs.remove_leftovers(folders)


# The console shows this many ingest warnings; all of them are in the warnings table and the report.
WARNINGS_SHOWN = 20


def build_outputs(settings: Settings, sources: list[Path], digest: str, progress: Progress) -> dict[str, pd.DataFrame]:
    """The stages of a run, ending with the new outputs switched in together."""
    with progress.stage("ingest") as status:
        tables = ingest_inputs(sources, settings.processed_dir)
        status["note"] = ", ".join(plural(len(tables[name]), noun) for name, noun in
                                   (("papers", "paper"), ("appearances", "appearance"), ("warnings", "warning")))
    for source, line, message in tables["warnings"].head(WARNINGS_SHOWN).itertuples(index=False):
        progress.warn(f"{source}:{line}: {message}" if pd.notna(line) else f"{source}: {message}")
    if len(tables["warnings"]) > WARNINGS_SHOWN:
        progress.warn(f"… and {len(tables['warnings']) - WARNINGS_SHOWN:,} more, all in the report and in "
                      "`trends query \"select * from warnings\"`")
    papers = tables["papers"]
    docs = [embed.clean_text(title, abstract) for title, abstract in zip(papers["title"], papers["abstract"])]
    embedder = Embedder(settings, progress)
    with engines.open_engine(settings, progress) as engine:
        vectors = embed_papers(docs, settings, progress, embedder, engine)
        labels, coords, theme_tables, theme_info = assign_themes(papers, docs, vectors, settings, progress, embedder)
        papers = papers.assign(theme_id=labels, x=coords[:, 0], y=coords[:, 1])
        with progress.stage("claims") as status:
            claims = engine.extract_claims(papers)
            status["note"] = f"{plural(len(claims), 'claim')} in {plural(claims['paper_id'].nunique(), 'paper')}"
    tables.update(papers=papers, claims=claims, **theme_tables)
    with progress.stage("progress") as status:
        tables.update(progress_tables(papers, claims))
        status["note"] = (f"{plural(len(tables['frontiers']), 'frontier')}, "
                          f"{plural(len(tables['claim_checks']), 'claim')} to check")
    tables["run_info"] = run_info(settings, digest, theme_info, progress.timings)
    with outputs.staged_outputs(settings.processed_dir) as staged:
        with progress.stage("store") as status:
            counts = store.stage_tables(tables, settings.processed_dir, staged)
            staged.write_bytes(paper_vectors.path(settings.processed_dir),
                               paper_vectors.to_bytes(papers["paper_id"].tolist(), vectors, settings.model))
            status["note"] = (f"{plural(sum(counts.values()), 'row')} in {plural(len(counts), 'table')}, read back "
                              f"and counted; vectors of {plural(len(papers), 'paper')}")
        with progress.stage("report") as status:
            status["note"] = str(stage_report(tables, settings.reports_dir, staged))
    progress.console.print(f"[green]✓[/] outputs  replaced together: {plural(len(staged.moves), 'file')} in "
                           f"{settings.processed_dir} and {settings.reports_dir}", highlight=False)
    return tables


def regenerate_report(settings: Settings, progress: Progress | None = None) -> Path:
    """Rebuild reports/ from the stored tables alone: no model, no clustering."""
    progress = progress or Progress()
    check_report(settings)
    if not store.database_path(settings.processed_dir).exists():  # before the lock creates the folder
        raise store.StoreError(f"no database at {store.database_path(settings.processed_dir)}; run `trends run` first")
    with lock.folders_lock([settings.processed_dir, settings.reports_dir]):
        prepare_output_folders([settings.processed_dir, settings.reports_dir], progress)
        with progress.stage("report") as status:
            path = write_report(store.read_tables(settings.processed_dir), settings.reports_dir)
            status["note"] = str(path)
    return path


def write_report(tables: dict[str, pd.DataFrame], reports_dir: Path) -> Path:
    """Write the report files and switch them in together (the journal lives in the report folder)."""
    with outputs.staged_outputs(reports_dir) as staged:
        return stage_report(tables, reports_dir, staged)


def stage_report(tables: dict[str, pd.DataFrame], reports_dir: Path, staged: outputs.StagedOutputs) -> Path:
    """Stage every report file; figures and tables no longer produced are removed with the switch."""
    from pipeline.report.build import build_report  # matplotlib and plotly load only when a report is made

    files = build_report(tables)
    for relative, content in files.items():
        staged.write_bytes(reports_dir / relative, content)
    for folder in ("figures", "tables"):
        for stale in (reports_dir / folder).glob("*"):
            if f"{folder}/{stale.name}" not in files and not stale.name.startswith("."):
                staged.remove(stale)
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
    if settings.engine != "local":  # the tables are the same either way; where they were made is a fact
        rows["engine"] = settings.engine + (f" at {settings.address}" if settings.address else " (local cluster)")
    rows.update({f"themes: {key}": value for key, value in theme_info.items()})
    rows.update({f"seconds: {name}": f"{seconds:.2f}" for name, seconds in timings.items()})
    return schema.conform(pd.DataFrame({"key": list(rows), "value": [str(v) for v in rows.values()]}), schema.RUN_INFO)
