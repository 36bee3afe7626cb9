"""The `trends` command line: thin wrappers that parse options and call the orchestrator or the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from pipeline import queries, store
from pipeline.embed import ModelError
from pipeline.ingest import InputError
from pipeline.output import Format, emit
from pipeline.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="Embed, cluster and mine paper listings for themes, trends and claimed speedups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

ProcessedOpt = Annotated[Path, typer.Option("--processed", help="Folder of the database and Parquet tables.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most this many rows.")]


ENCODER_HELP = (
    "Encoding runtime. auto (default): OpenVINO f32 on CPU, else torch; the same vectors as torch (max "
    "difference 2e-7, identical themes) for 0.64x its CPU seconds. openvino / torch: that runtime. "
    "openvino-bf16: LOSSY, for very large corpora only: 2.7x cheaper again on AMX/AVX512-BF16 CPUs and "
    "cosine >= 0.99997 to the default vectors, but themes change (same-seed k-means ARI 0.98-0.99 on "
    "500 papers, 0.82 on 2,000, 0.38 on a mixed 1,000); its vectors are cached apart."
)

# Errors that are the user's to fix: printed as one line, never as a traceback.
USER_ERRORS = (InputError, SettingsError, store.StoreError, ModelError)


def fail(exc: Exception) -> None:
    """One readable line on stderr and a non-zero exit, instead of a traceback."""
    err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def settings_from(config: Path | None, **overrides: object) -> Settings:
    try:
        return load_settings(config).with_overrides(**overrides)
    except SettingsError as exc:
        fail(exc)


@app.command()
def run(
    input: Annotated[Optional[list[Path]], typer.Option("--input", "-i", help="Input file or folder (repeatable). Default: data/raw.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="sentence-transformers model name or local path.")] = None,
    n_themes: Annotated[Optional[int], typer.Option("--themes", "-k", min=1, help="Number of themes (default: chosen automatically).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed for clustering and the map.")] = None,
    device: Annotated[Optional[str], typer.Option("--device", help="Encoding device: cpu, cuda, mps.")] = None,
    encoder: Annotated[Optional[str], typer.Option("--encoder", help=ENCODER_HELP)] = None,
    batch_size: Annotated[Optional[int], typer.Option("--batch-size", min=1, help="Texts per encoding batch.")] = None,
    processed: Annotated[Optional[Path], typer.Option("--processed", help="Where the database and Parquet tables go.")] = None,
    reports: Annotated[Optional[Path], typer.Option("--reports", help="Where the report goes.")] = None,
    cache: Annotated[Optional[Path], typer.Option("--cache", help="Embedding cache folder.")] = None,
    recluster: Annotated[bool, typer.Option("--recluster", help="Re-cluster all papers instead of extending the stored themes.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when nothing changed.")] = False,
    config: Annotated[Optional[Path], typer.Option("--config", help="Settings file (default: ./trends.toml if present).")] = None,
) -> None:
    """Run the whole pipeline: ingest, embed, themes, claims, store, report."""
    from pipeline.run import run_pipeline

    settings = settings_from(
        config, inputs=tuple(input) if input else None, model=model, n_themes=n_themes, seed=seed, device=device,
        encoder=encoder, batch_size=batch_size, processed_dir=processed, reports_dir=reports, cache_dir=cache,
        recluster=recluster or None, force=force or None,
    )
    try:
        run_pipeline(settings)
    except USER_ERRORS as exc:
        fail(exc)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted:[/] the stored outputs are unchanged; embeddings computed so far are cached, "
                  "so running again resumes from there")
        raise typer.Exit(130)


@app.command()
def report(
    processed: Annotated[Optional[Path], typer.Option("--processed", help="Folder of the stored tables.")] = None,
    reports: Annotated[Optional[Path], typer.Option("--reports", help="Where the report goes.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Settings file.")] = None,
) -> None:
    """Regenerate reports/ from the stored tables (no model, no clustering)."""
    from pipeline.run import regenerate_report

    settings = settings_from(config, processed_dir=processed, reports_dir=reports)
    try:
        regenerate_report(settings)
    except store.StoreError as exc:
        fail(exc)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SQL statement; the database is opened read-only.")],
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """Query the stored tables with SQL (tables: papers, appearances, themes, claims, warnings, run_info)."""
    show(lambda: store.query(processed, sql), fmt)


@app.command()
def themes(fmt: FormatOpt = Format.table, processed: ProcessedOpt = Path("data/processed")) -> None:
    """List the themes: id, label, size and keywords."""
    show(lambda: queries.list_themes(processed), fmt)


@app.command()
def papers(
    theme: Annotated[str, typer.Option("--theme", "-t", help="Theme id, or text in a theme's label or keywords.")],
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """List the papers of a theme."""
    show(lambda: queries.theme_papers(processed, theme, limit), fmt)


@app.command()
def claims(
    kind: Annotated[Optional[str], typer.Option("--kind", help=f"One of: {', '.join(queries.CLAIM_KINDS)}.")] = None,
    metric: Annotated[Optional[str], typer.Option("--metric", help="Metric name contains this (FID, latency, …).")] = None,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", help="Theme id or text in its label/keywords.")] = None,
    min_value: Annotated[Optional[float], typer.Option("--min", help="Value at least this.")] = None,
    max_value: Annotated[Optional[float], typer.Option("--max", help="Value at most this.")] = None,
    paper: Annotated[Optional[str], typer.Option("--paper", help="Title contains this text (or a paper_id).")] = None,
    sort: Annotated[str, typer.Option("--sort", help=f"One of: {', '.join(queries.CLAIM_SORTS)}.")] = "value",
    ascending: Annotated[bool, typer.Option("--asc", help="Smallest first (default: largest first).")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows (0: all).")] = 50,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """List extracted claims, filtered and sorted: "which papers claim the biggest speedups?"."""
    filters = queries.ClaimFilter(kind=kind, metric=metric, theme=theme, min_value=min_value, max_value=max_value,
                                  paper=paper, sort=sort, descending=not ascending, limit=limit or None)
    show(lambda: queries.find_claims(processed, filters), fmt)


def show(make_frame, fmt: Format) -> None:
    """Print a query's result, or its error as one line."""
    try:
        frame = make_frame()
    except store.StoreError as exc:
        fail(exc)
    emit(frame, fmt)
