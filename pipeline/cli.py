"""The `trends` command line: thin wrappers that parse options and call the orchestrator or the store.

Each command's docstring is its `--help` and ends with an example; every option shows its default
and, when it takes one of a few values, its choices. Usage errors are one line (`cli_options`),
and so are the user's errors the stages raise (`UserError`).
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import pandas as pd
import typer
from rich.text import Text

from pipeline import queries, store
from pipeline.cli_options import (HELP_WIDTH, OneLineErrors, choice, choice_option, columns_option, err,
                                  print_line, split_columns)
from pipeline.embed import ModelError
from pipeline.encoders import ENCODERS
from pipeline.engines import ENGINES
from pipeline.errors import UserError
from pipeline.output import Format, TableView, emit, emit_batches
from pipeline.search import SEARCH_MODES
from pipeline.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    name="trends",
    cls=OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": HELP_WIDTH, "help_option_names": ["-h", "--help"]},
)

DEFAULTS = Settings()
ProcessedOpt = Annotated[Path, typer.Option("--processed", metavar="DIR", help="Folder of the database and Parquet tables.")]
FormatOpt = Annotated[Format, choice_option("--format", "-f", choices=Format, help="Output format.")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", "-n", min=1, metavar="N", show_default="all",
                                                 help="At most this many rows (a table shows 100 unless told).")]
ThemeOpt = Annotated[Optional[str], typer.Option("--theme", "-t", metavar="THEME", show_default="all themes",
                                                 help="Theme id, or text in a theme's label, keywords or area.")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", metavar="FILE", show_default="./trends.toml if present",
                                                   help="Settings file.")]
PAPER_HELP = "Title contains this text (or a paper_id)."
REPORT_PAGES = {"report": "report.html", "map": "map.html"}

ENCODER_HELP = (
    "Encoding runtime. auto: OpenVINO f32 on CPU, else torch; the same vectors as torch (max "
    "difference 2e-7, identical themes) for 0.64x its CPU seconds. openvino / torch: that runtime. "
    "openvino-bf16: LOSSY, for very large corpora only: 2.7x cheaper again on AMX/AVX512-BF16 CPUs and "
    "cosine >= 0.99997 to the default vectors, but themes change (same-seed k-means ARI 0.98-0.99 on "
    "500 papers, 0.82 on 2,000, 0.38 on a mixed 1,000); its vectors are cached apart."
)

# Errors that are the user's to fix: printed as one line, never as a traceback.
USER_ERRORS = (UserError, ModelError)


def package_version() -> str:
    try:
        return version("literature-trends")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def show_version(asked: bool) -> None:
    if asked:
        typer.echo(f"trends {package_version()}")
        raise typer.Exit()


@app.callback()
def main(
    version_: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                           help="Print the version and exit.")] = False,
) -> None:
    """Embed, cluster and mine paper listings for themes, trends and claimed speedups.

    Example: trends run --input papers.jsonl && trends open
    """


def fail(exc: Exception | str) -> None:
    """One readable line on stderr and a non-zero exit, instead of a traceback."""
    print_line("error", str(exc))
    raise typer.Exit(1)


def settings_from(config: Path | None, **overrides: object) -> Settings:
    try:
        return load_settings(config).with_overrides(**overrides)
    except SettingsError as exc:
        fail(exc)


@app.command(short_help="Ingest, embed, cluster, mine claims, store and report.")
def run(
    ctx: typer.Context,
    input: Annotated[list[Path], typer.Option("--input", "-i", metavar="PATH",
                                              help="Input file or folder (repeatable).")] = list(DEFAULTS.inputs),
    model: Annotated[str, typer.Option("--model", "-m", metavar="NAME",
                                       help="sentence-transformers model name or local path.")] = DEFAULTS.model,
    n_themes: Annotated[Optional[int], typer.Option("--themes", "-k", min=1, metavar="N",
                                                    show_default="chosen automatically", help="Number of themes.")] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N",
                                      help="Random seed for clustering and the map.")] = DEFAULTS.seed,
    device: Annotated[str, typer.Option("--device", metavar="NAME",
                                        help="Encoding device: cpu, cuda, cuda:N, mps.")] = DEFAULTS.device,
    encoder: Annotated[str, choice_option("--encoder", choices=ENCODERS, help=ENCODER_HELP)] = DEFAULTS.encoder,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, metavar="N",
                                            help="Texts per encoding batch.")] = DEFAULTS.batch_size,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR",
                                            help="Where the database and Parquet tables go.")] = DEFAULTS.processed_dir,
    reports: Annotated[Path, typer.Option("--reports", metavar="DIR", help="Where the report goes.")] = DEFAULTS.reports_dir,
    cache: Annotated[Path, typer.Option("--cache", metavar="DIR", help="Embedding cache folder.")] = DEFAULTS.cache_dir,
    recluster: Annotated[bool, typer.Option("--recluster", help="Re-cluster all papers instead of extending the "
                                                                "stored themes.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when nothing changed.")] = False,
    engine: Annotated[str, choice_option("--engine", choices=ENGINES,
                                         help="Where encoding and claims run: local (this process) or ray (a Ray "
                                              "cluster; the same tables).")] = DEFAULTS.engine,
    address: Annotated[Optional[str], typer.Option("--address", metavar="HOST:PORT", show_default="a local cluster",
                                                   help="Ray cluster to join with --engine ray: auto or HOST:PORT.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Run the whole pipeline: ingest, embed, themes, claims, store, report.

    Options not given come from trends.toml (or --config), else the defaults shown.

    Example: trends run --input corpus.jsonl --themes 40
    """
    from pipeline.run import run_pipeline

    settings = settings_from(config, **typed(ctx, inputs=tuple(input), model=model, n_themes=n_themes, seed=seed,
                                             device=device, encoder=encoder, batch_size=batch_size,
                                             processed_dir=processed, reports_dir=reports, cache_dir=cache,
                                             recluster=recluster, force=force, engine=engine, address=address))
    with user_errors():
        run_pipeline(settings)


@app.command(short_help="Rebuild reports/ from the stored tables (no model).")
def report(
    ctx: typer.Context,
    processed: Annotated[Path, typer.Option("--processed", metavar="DIR",
                                            help="Folder of the stored tables.")] = DEFAULTS.processed_dir,
    reports: Annotated[Path, typer.Option("--reports", metavar="DIR", help="Where the report goes.")] = DEFAULTS.reports_dir,
    config: ConfigOpt = None,
) -> None:
    """Regenerate reports/ from the stored tables (no model, no clustering).

    Options not given come from trends.toml (or --config), else the defaults shown.

    Example: trends report --reports /tmp/report
    """
    from pipeline.run import regenerate_report

    settings = settings_from(config, **typed(ctx, processed_dir=processed, reports_dir=reports))
    with user_errors():
        regenerate_report(settings)


# The option (parameter) that sets each setting, where the two names differ.
OPTION_OF_SETTING = {"inputs": "input", "processed_dir": "processed", "reports_dir": "reports", "cache_dir": "cache"}


def typed(ctx: typer.Context, **settings: object) -> dict[str, object]:
    """The settings whose options were typed on the command line: a default shown in the help must not
    override trends.toml."""
    chosen = {}
    for key, value in settings.items():
        source = ctx.get_parameter_source(OPTION_OF_SETTING.get(key, key))
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            chosen[key] = value
    return chosen


@app.command("open")
def open_page(
    ctx: typer.Context,
    page: Annotated[str, typer.Argument(parser=choice(tuple(REPORT_PAGES)), metavar="PAGE",
                                        help="report, or map (the interactive map).")] = "report",
    reports: Annotated[Path, typer.Option("--reports", metavar="DIR", help="The report folder.")] = DEFAULTS.reports_dir,
    config: ConfigOpt = None,
) -> None:
    """Open the report or the map in the web browser.

    Where no browser can be started (a server, a container), the error gives the file's path.
    Options not given come from trends.toml (or --config), else the defaults shown.

    Example: trends open map
    """
    settings = settings_from(config, **typed(ctx, reports_dir=reports))
    path = (Path(settings.reports_dir) / REPORT_PAGES[page]).resolve()
    if not path.is_file():
        fail(f"no {page} at {path} yet; `trends run` makes it")
    try:
        opened = webbrowser.open(path.as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        fail(f"no web browser found to open the {page}; open {path}")
    typer.echo(f"opened {path}")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(metavar="SQL", help="One SQL statement; the database is opened read-only.")],
    fmt: FormatOpt = Format.table,
    limit: LimitOpt = None,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
) -> None:
    """Query the stored tables with SQL, read-only.

    Tables: papers, appearances, themes, areas, theme_lineage, claims, warnings, run_info, frontiers,
    frontier_points, claim_checks, dataset_aliases (`trends query "describe papers"` lists a table's
    columns). Rows stream as they are read, so csv and jsonl handle any number of them; the table shows the
    first 100 unless --limit says otherwise.

    Example: trends query "select title, n_appearances from papers order by 2 desc" --format csv
    """
    with user_errors(), store.stream_query(processed, sql) as (columns, batches):
        emit_batches(columns, batches, fmt, limit=limit)


@app.command()
def themes(
    columns: Annotated[Optional[str], columns_option(queries.THEME_COLUMNS, queries.THEME_VIEW)] = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
) -> None:
    """List the themes: id, area, label, size and keywords.

    Example: trends themes --columns theme_id,label,description
    """
    show(lambda: queries.list_themes(processed), fmt, view=queries.THEME_VIEW, columns=columns)


@app.command()
def papers(
    theme: Annotated[str, typer.Option("--theme", "-t", metavar="THEME",
                                       help="Theme id, or text in a theme's label, keywords or area.")],
    limit: LimitOpt = None,
    columns: Annotated[Optional[str], columns_option(tuple(queries.PAPER_SELECT), queries.PAPER_VIEW)] = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
) -> None:
    """List the papers of a theme, most often listed first.

    Example: trends papers --theme "speculative decoding" --columns title,url
    """
    show(lambda: queries.theme_papers(processed, theme, limit), fmt, limit, queries.PAPER_VIEW, columns)


@app.command(short_help="List claimed numbers: the biggest speedups, the best FIDs, …")
def claims(
    kind: Annotated[Optional[str], choice_option("--kind", choices=queries.CLAIM_KINDS, show_default="any",
                                                 help="What is claimed.")] = None,
    role: Annotated[str, choice_option("--role", choices=queries.CLAIM_ROLES,
                                       help="Whose numbers: result (the papers' own results and scale facts), "
                                            "baseline (compared systems, 'before' values), context (background, "
                                            "thresholds), or all.")] = "result",
    metric: Annotated[Optional[str], typer.Option("--metric", metavar="TEXT", show_default="any",
                                                  help="Metric name contains this (FID, latency, …).")] = None,
    theme: ThemeOpt = None,
    min_value: Annotated[Optional[float], typer.Option("--min", metavar="X", show_default="none",
                                                       help="At least this. Speedups and reductions compare as "
                                                            "factors: --min 10 means 10x or more, a speedup of 80% "
                                                            "counts as 1.8x, a cut of 40% as 1.67x; other kinds "
                                                            "compare their value in its own unit.")] = None,
    max_value: Annotated[Optional[float], typer.Option("--max", metavar="X", show_default="none",
                                                       help="At most this, compared as --min.")] = None,
    paper: Annotated[Optional[str], typer.Option("--paper", metavar="TEXT", show_default="any", help=PAPER_HELP)] = None,
    sort: Annotated[str, choice_option("--sort", choices=tuple(queries.CLAIM_SORTS),
                                       help="Order: value ranks speedups and reductions by factor, other kinds "
                                            "within each unit.")] = "value",
    ascending: Annotated[bool, typer.Option("--asc", help="Smallest first (without it: largest first).")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, metavar="N", help="At most this many rows (0: all).")] = 50,
    columns: Annotated[Optional[str], columns_option(tuple(queries.CLAIM_SELECT), queries.CLAIM_VIEW)] = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
) -> None:
    """List extracted claims, filtered and sorted: "which papers claim the biggest speedups?".

    Example: trends claims --kind speedup --min 10
    """
    filters = queries.ClaimFilter(kind=kind, role=role, metric=metric, theme=theme, min_value=min_value,
                                  max_value=max_value, paper=paper, sort=sort, descending=not ascending,
                                  limit=limit or None)
    show(lambda: queries.find_claims(processed, filters), fmt, view=queries.claim_view(filters), columns=columns)


@app.command(short_help="Best result per metric and dataset over time, and who set it.")
def progress(
    metric: Annotated[Optional[str], typer.Option("--metric", metavar="TEXT", show_default="every metric",
                                                  help="Metric name (FID, accuracy, …); exact, else contained.")] = None,
    dataset: Annotated[Optional[str], typer.Option("--dataset", metavar="TEXT", show_default="every dataset",
                                                   help="Dataset in any spelling or alias (\"ImageNet 256\").")] = None,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", metavar="THEME", show_default="all papers",
                                                 help="Frontiers within a theme (id or text in its label).")] = None,
    all_points: Annotated[bool, typer.Option("--all", help="Every paper's best result, not only the steps.")] = False,
    limit: LimitOpt = None,
    columns: Annotated[Optional[str], columns_option(tuple(queries.FRONTIER_SELECT) + queries.STEP_COLUMNS,
                                                  queries.PROGRESS_VIEW)] = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
) -> None:
    """Frontiers of reported results: the best value per metric and dataset over time, and who set it.

    Without --metric/--dataset: every frontier with its first and best values and pace. When the
    filters name one frontier: its steps (the papers that set a new best), oldest first.

    Example: trends progress --metric FID --dataset "ImageNet 256"
    """
    filters = queries.ProgressFilter(metric=metric, dataset=dataset, theme=theme, all_points=all_points, limit=limit)
    show(lambda: queries.frontiers_or_steps(processed, filters), fmt, view=queries.PROGRESS_VIEW, columns=columns)
    if not (metric or dataset or theme) and fmt is Format.table:
        with user_errors():
            note = queries.no_frontier_note(processed)
        if note:
            print_line("note", note)


@app.command(short_help="Claims that don't add up, with the sentence to check.")
def checks(
    check: Annotated[Optional[str], choice_option("--check", choices=queries.CHECK_CHOICES, show_default="every check",
                                                  help="Which check.")] = None,
    metric: Annotated[Optional[str], typer.Option("--metric", metavar="TEXT", show_default="any",
                                                  help="Metric name contains this.")] = None,
    dataset: Annotated[Optional[str], typer.Option("--dataset", metavar="TEXT", show_default="any",
                                                   help="Dataset name contains this.")] = None,
    paper: Annotated[Optional[str], typer.Option("--paper", metavar="TEXT", show_default="any", help=PAPER_HELP)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, metavar="N", help="At most this many rows (0: all).")] = 50,
    columns: Annotated[Optional[str], columns_option(queries.CHECK_COLUMNS, queries.CHECK_VIEW)] = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
) -> None:
    """Claims that don't add up, with the sentence to check them against.

    Values a metric cannot take, outliers within a metric and dataset, one paper giving two values
    for one thing, and gains whose words say the metric got worse.

    Example: trends checks --check outlier --metric FID --columns title,value,sentence
    """
    filters = queries.CheckFilter(check=check, metric=metric, dataset=dataset, paper=paper, limit=limit or None)
    show(lambda: queries.find_checks(processed, filters), fmt, view=queries.CHECK_VIEW, columns=columns)


@app.command()
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What to look for: words, a phrase or a sentence.")],
    by: Annotated[str, choice_option("--by", choices=SEARCH_MODES,
                                     help="meaning: the papers whose embedding is nearest the text's (loads the "
                                          "model: a few seconds); words: BM25 over title and abstract; both: the "
                                          "two rankings fused.")] = "both",
    theme: ThemeOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N", help="At most this many papers.")] = 20,
    columns: Annotated[Optional[str], columns_option(queries.SEARCH_COLUMNS, queries.SEARCH_VIEW)] = None,
    fmt: FormatOpt = Format.table,
    processed: ProcessedOpt = DEFAULTS.processed_dir,
    config: ConfigOpt = None,
) -> None:
    """Find papers by meaning and by words, best first.

    By meaning, the text is embedded with the run's model and compared with the stored papers'
    vectors, so "faster sampling for diffusion" also finds papers that say "fewer denoising steps".
    By words, papers with the text's words (any ending) in title or abstract rank by BM25, the
    exact phrase counting extra.

    Example: trends search "speculative decoding" --theme 3 --limit 10
    """
    settings = settings_from(config)
    filters = queries.SearchFilter(text=text, by=by, theme=theme, limit=limit)
    with user_errors():
        found = queries.search_papers(processed, filters, query_encoder(settings))
    if found.empty:
        print_line("note", f"no paper has any of the words of {text!r}; --by meaning finds related ones")
    show(lambda: found, fmt, view=queries.SEARCH_VIEW, columns=columns)


def query_encoder(settings: Settings) -> Callable[[str, str], np.ndarray]:
    """Embed a query with the model that made the stored vectors, saying why it takes a few seconds."""
    def encode(model_name: str, text: str) -> np.ndarray:
        from pipeline import encoders  # the model's runtime loads here, only for search by meaning
        from pipeline.machine_cache import machine_cache_dir

        # one line however narrow the terminal: a wrapped status line leaves a copy behind at each redraw
        status = Text(f"loading {model_name} to search by meaning (a few seconds; --by words needs no model)")
        status.truncate(err.width - 3, overflow="ellipsis")
        with err.status(status):
            encoder = encoders.load_encoder(model_name, settings.encoder, settings.device,
                                            machine_cache_dir(settings.cache_dir),
                                            warn=lambda message: print_line("warning", message))
            return encoder.encode([text], batch_size=1)[0]

    return encode


def show(make_frame: Callable[[], pd.DataFrame], fmt: Format, limit: int | None = None,
         view: TableView | None = None, columns: str | None = None) -> None:
    """Print a query's result, or its error as one line."""
    with user_errors():
        emit(make_frame(), fmt, limit=limit, view=view, columns=split_columns(columns))


@contextmanager
def user_errors() -> Iterator[None]:
    """The user's errors as one line and exit 1; Ctrl-C as what was kept and exit 130; a closed pipe quietly."""
    try:
        yield
    except USER_ERRORS as exc:
        fail(exc)
    except KeyboardInterrupt as exc:
        print_line("interrupted", str(exc) or "the stored outputs are unchanged")
        raise typer.Exit(130)
    except BrokenPipeError:  # `trends query ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0)
