"""The `trends` command line: thin wrappers that parse options and call the orchestrator or the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from pipeline import store
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
USER_ERRORS = (InputError, SettingsError, store.StoreError)


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
    processed: Annotated[Optional[Path], typer.Option("--processed", help="Where the database and Parquet tables go.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Settings file (default: ./trends.toml if present).")] = None,
) -> None:
    """Run the whole pipeline: ingest, store."""
    from pipeline.run import run_pipeline

    settings = settings_from(config, inputs=tuple(input) if input else None, processed_dir=processed)
    try:
        run_pipeline(settings)
    except USER_ERRORS as exc:
        fail(exc)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SQL statement; the database is opened read-only.")],
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = Path("data/processed"),
) -> None:
    """Query the stored tables with SQL (tables: papers, appearances, themes, claims, warnings, run_info)."""
    try:
        emit(store.query(processed, sql), fmt)
    except store.StoreError as exc:
        fail(exc)
