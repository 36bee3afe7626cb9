"""The `trends` command line: thin wrappers that parse options and call the orchestrator or the store."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from pipeline import queries, store
from pipeline.embed import ModelError
from pipeline.errors import UserError
from pipeline.output import Format, emit, emit_batches
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
USER_ERRORS = (UserError, ModelError)


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
    with user_errors():
        run_pipeline(settings)


@app.command()
def report(
    processed: Annotated[Optional[Path], typer.Option("--processed", help="Folder of the stored tables.")] = None,
    reports: Annotated[Optional[Path], typer.Option("--reports", help="Where the report goes.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Settings file.")] = None,
) -> None:
    """Regenerate reports/ from the stored tables (no model, no clustering)."""
    from pipeline.run import regenerate_report

    settings = settings_from(config, processed_dir=processed, reports_dir=reports)
    with user_errors():
        regenerate_report(settings)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SQL statement; the database is opened read-only.")],
    fmt: FormatOpt = Format.table,
    limit: LimitOpt = None,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """Query the stored tables with SQL (tables: papers, appearances, themes, claims, warnings, run_info,
    frontiers, frontier_points, claim_checks, dataset_aliases).

    Rows stream as they are read, so csv and jsonl handle any number of them; the table shows the
    first 100 unless --limit says otherwise.

    Example: trends query "select title, n_appearances from papers order by 2 desc" --format csv
    """
    with user_errors(), store.stream_query(processed, sql) as (columns, batches):
        emit_batches(columns, batches, fmt, limit=limit)


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
    show(lambda: queries.theme_papers(processed, theme, limit), fmt, limit)


@app.command()
def claims(
    kind: Annotated[Optional[str], typer.Option("--kind", help=f"One of: {', '.join(queries.CLAIM_KINDS)}.")] = None,
    role: Annotated[str, typer.Option("--role", help="Whose numbers: result (default: the papers' own results and "
                                      "scale facts), baseline (compared systems, 'before' values), context "
                                      "(background, thresholds), or all.")] = "result",
    metric: Annotated[Optional[str], typer.Option("--metric", help="Metric name contains this (FID, latency, …).")] = None,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", help="Theme id or text in its label/keywords.")] = None,
    min_value: Annotated[Optional[float], typer.Option("--min", help="At least this. Speedups and reductions compare "
                         "as factors: --min 10 means 10x or more, a speedup of 80% counts as 1.8x, a cut of 40% as "
                         "1.67x; other kinds compare their value in its own unit.")] = None,
    max_value: Annotated[Optional[float], typer.Option("--max", help="At most this, compared as --min.")] = None,
    paper: Annotated[Optional[str], typer.Option("--paper", help="Title contains this text (or a paper_id).")] = None,
    sort: Annotated[str, typer.Option("--sort", help=f"One of: {', '.join(queries.CLAIM_SORTS)}. value ranks speedups "
                                      "and reductions by factor, other kinds within each unit.")] = "value",
    ascending: Annotated[bool, typer.Option("--asc", help="Smallest first (default: largest first).")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows (0: all).")] = 50,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """List extracted claims, filtered and sorted: "which papers claim the biggest speedups?".

    Example: trends claims --kind speedup --min 10
    """
    filters = queries.ClaimFilter(kind=kind, role=role, metric=metric, theme=theme, min_value=min_value,
                                  max_value=max_value, paper=paper, sort=sort, descending=not ascending,
                                  limit=limit or None)
    show(lambda: queries.find_claims(processed, filters), fmt)


@app.command()
def progress(
    metric: Annotated[Optional[str], typer.Option("--metric", help="Metric name (FID, accuracy, …); exact, else contained.")] = None,
    dataset: Annotated[Optional[str], typer.Option("--dataset", help="Dataset in any spelling or alias (\"ImageNet 256\").")] = None,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", help="Frontiers within a theme (id or text in its label).")] = None,
    all_points: Annotated[bool, typer.Option("--all", help="Every paper's best result, not only the steps.")] = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """Frontiers of reported results: the best value per metric and dataset over time, and who set it.

    Without --metric/--dataset: every frontier with its first and best values and pace. When the
    filters name one frontier: its steps (the papers that set a new best), oldest first.

    Example: trends progress --metric FID --dataset "ImageNet 256"
    """
    filters = queries.ProgressFilter(metric=metric, dataset=dataset, theme=theme, all_points=all_points, limit=limit)
    show(lambda: queries.frontiers_or_steps(processed, filters), fmt)
    if not (metric or dataset or theme) and fmt is Format.table:
        note = queries.no_frontier_note(processed)
        if note:
            err.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)


@app.command()
def checks(
    check: Annotated[Optional[str], typer.Option("--check", help="out-of-range, outlier, inconsistent or direction.")] = None,
    metric: Annotated[Optional[str], typer.Option("--metric", help="Metric name contains this.")] = None,
    dataset: Annotated[Optional[str], typer.Option("--dataset", help="Dataset name contains this.")] = None,
    paper: Annotated[Optional[str], typer.Option("--paper", help="Title contains this text (or a paper_id).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows (0: all).")] = 50,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """Claims that don't add up, with the sentence to check them against.

    Values a metric cannot take, outliers within a metric and dataset, one paper giving two values
    for one thing, and gains whose words say the metric got worse.

    Example: trends checks --check outlier --metric FID
    """
    filters = queries.CheckFilter(check=check, metric=metric, dataset=dataset, paper=paper, limit=limit or None)
    show(lambda: queries.find_checks(processed, filters), fmt)


def show(make_frame, fmt: Format, limit: int | None = None) -> None:
    """Print a query's result, or its error as one line."""
    with user_errors():
        emit(make_frame(), fmt, limit=limit)


@contextmanager
def user_errors() -> Iterator[None]:
    """The user's errors as one line and exit 1; Ctrl-C as what was kept and exit 130; a closed pipe quietly."""
    try:
        yield
    except USER_ERRORS as exc:
        fail(exc)
    except KeyboardInterrupt as exc:
        err.print(f"[yellow]interrupted:[/] {str(exc) or 'the stored outputs are unchanged'}", highlight=False, soft_wrap=True)
        raise typer.Exit(130)
    except BrokenPipeError:  # `trends query ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0)
