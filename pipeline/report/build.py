"""Build the report from the stored tables: one context, rendered to Markdown and to self-contained HTML.

Everything the report says is computed from data (here and in `sections`, `leaderboards`,
`metric_tables`, `progress`); the templates only lay it out. The result is a mapping of relative
path to bytes, so writing (atomically) stays the orchestrator's job.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from pipeline import trends
from pipeline.report import figures, sections
from pipeline.report.display import claim_value, display_text, factor_as_written, format_number
from pipeline.report.leaderboards import factor_board, leaderboards, with_paper_context
from pipeline.report.map_page import map_page_bytes
from pipeline.report.maps import theme_map_figure
from pipeline.report.metric_tables import metric_results, metric_sections, theme_metric_counts
from pipeline.report.progress import progress_section
from pipeline.report.style import theme_color
from pipeline.safety import markdown_text, safe_href

LEADERBOARD_ROWS = 25  # papers per leaderboard; all are in tables/leaderboards.csv
BOUND_REACH = 20  # characters before a number searched for a bound ("FID<2", "below 3%")
METRIC_SECTIONS, METRIC_GROUPS, METRIC_ROWS = 20, 8, 10  # shown; all are in tables/metric_results.csv


@dataclass(frozen=True)
class Figures:
    """PNG bytes by file stem; the HTML inlines them, the Markdown links to figures/<stem>.png."""

    png: dict[str, bytes]

    def data_uri(self, stem: str) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png[stem]).decode("ascii")


def build_report(tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """All report files (relative path → bytes) for the stored tables."""
    papers, themes, claims = tables["papers"], tables["themes"], tables["claims"]
    periods, unit = trends.paper_periods(papers, tables["appearances"])
    shares = trends.theme_shares(papers, periods)
    growth = trends.theme_growth(shares, unit)
    bursts = trends.theme_bursts(shares)
    areas = tables.get("areas", pd.DataFrame())
    lineage = tables.get("theme_lineage", pd.DataFrame())
    board = factor_board(claims, papers, themes)
    boards = leaderboards(board, LEADERBOARD_ROWS)
    results = metric_results(claims, papers, tables["dataset_aliases"])
    abstracts = papers.set_index("paper_id")["abstract"]
    speed = board[(board["comparison"] == "speed") & board["best"]]

    pngs = {"theme_map": theme_map_figure(papers, themes)}
    if not shares.empty:
        pngs["theme_share"] = share_figure(shares, themes, unit, growth, bursts)
    if not speed.empty:
        pngs["speedups_by_theme"] = speed_figure(speed, themes)
    heatmap = metric_heatmap(claims, papers, themes)
    if heatmap is not None:
        pngs["theme_metric_heatmap"] = heatmap
    progress = progress_section(tables)
    pngs.update(progress.figures)
    figs = Figures({stem: _png(fig) for stem, fig in pngs.items()})

    context = {
        "summary": sections.summary_sentences(tables, unit, growth, speed, themes),
        "themes": sections.theme_rows(themes, papers),
        "areas": sections.area_rows(areas, themes),
        "lineage": lineage.to_dict("records") if lineage is not None else [],
        "unit": unit,
        "slope_unit": trends.slope_unit(unit),
        "n_periods": int(shares["period"].nunique()) if not shares.empty else 0,
        "min_periods": trends.MIN_PERIODS,
        "fdr": trends.FDR,
        "share_by_area": len(themes) > figures.MAX_PANELS,
        "growth": sections.growth_rows(growth, themes, bursts),
        "trending": trends.trending_papers(papers).to_dict("records"),
        "leaderboards": [{**b, "rows": [_with_sentence(r, abstracts, others=True) for r in b["rows"]]} for b in boards],
        "n_factors": len(board),
        "n_other": int((board["comparison"] == "other").sum()),
        "metrics": [{**m, "groups": [{**g, "rows": [_with_sentence(r, abstracts) for r in g["rows"]]}
                                     for g in m["groups"]]}
                    for m in metric_sections(results, max_metrics=METRIC_SECTIONS, max_groups=METRIC_GROUPS,
                                             max_rows=METRIC_ROWS)],
        "n_metric_results": int(results["best_in_group"].sum()) if not results.empty else 0,
        "per_area": sections.per_theme_sections(papers, themes, claims),
        "quality": sections.quality(tables),
        "progress": progress.context,
        "figures": figs,
    }
    env = _environment()
    files = {
        "report.md": env.get_template("report.md.j2").render(**context).encode("utf-8"),
        "report.html": env.get_template("report.html.j2").render(**context).encode("utf-8"),
        "map.html": map_page_bytes(papers, themes, claims, periods, trends.period_name(unit)),
    }
    files.update({f"figures/{stem}.png": png for stem, png in figs.png.items()})
    csv = {**csv_tables(tables, shares, growth, board, bursts, results), **progress.tables}
    files.update({f"tables/{name}.csv": frame.to_csv(index=False).encode("utf-8") for name, frame in csv.items()})
    return files


def share_figure(shares: pd.DataFrame, themes: pd.DataFrame, unit: str, growth: pd.DataFrame,
                 bursts: pd.DataFrame) -> Figure:
    """Small multiples of theme shares, or of area shares when there are too many themes for a panel each."""
    titles, colors, what = panel_titles(themes)
    if what == "theme":
        verdicts = dict(zip(growth["theme_id"], growth["direction"]))
        return figures.share_panels(shares, titles, colors, unit, bursts, verdicts)
    return figures.share_panels(sections.area_shares(shares, themes), titles, colors, unit, what="area")


def panel_titles(themes: pd.DataFrame) -> tuple[dict[int, str], dict[int, str], str]:
    """Titles and colours of the figures' rows or panels: themes, or areas when there are too many
    themes (names only: a panel's title or a row's label has room for little more)."""
    if len(themes) <= figures.MAX_PANELS or "area_id" not in themes or themes["area_id"].isna().all():
        ordered = themes.sort_values("theme_id")
        titles = {int(t.theme_id): f"{t.theme_id}: {t.label}" for t in ordered.itertuples()}
        return titles, {key: theme_color(key) for key in titles}, "theme"
    titles = {int(area): name for area, name in sorted(sections.area_names(themes).items())}
    return titles, {key: figures.AREA_COLOR for key in titles}, "area"


def speed_figure(speed: pd.DataFrame, themes: pd.DataFrame) -> Figure:
    titles, _, what = panel_titles(themes)
    group = speed["theme_id"] if what == "theme" else speed["theme_id"].map(themes.set_index("theme_id")["area_id"])
    return figures.speed_by_group(speed.assign(group=group), titles, what)


def metric_heatmap(claims: pd.DataFrame, papers: pd.DataFrame, themes: pd.DataFrame) -> Figure | None:
    titles, colors, what = panel_titles(themes)
    by = "theme_id" if what == "theme" else "area_id"
    if what == "area":
        papers = papers.assign(area_id=papers["theme_id"].map(themes.set_index("theme_id")["area_id"]))
    counts = theme_metric_counts(claims, papers, by=by)
    return None if counts.empty else figures.theme_metric_heatmap(counts, titles, colors, what)


def _with_sentence(row: dict, abstracts: pd.Series, others: bool = False) -> dict:
    """A leaderboard or metric-table row with its claim's sentence (number marked) and display title."""
    abstract = str(abstracts.get(row["paper_id"], "") or "")
    pieces = sections.claim_sentence(abstract, {**row, "role": "result"})
    out = {**row, "title": display_text(row["title"]), "pieces": pieces, **_as_written(row, abstract)}
    if others:
        # another claim of the same sentence is shown by its number alone
        out["others"] = [{**other, **_as_written(other, abstract),
                          "pieces": [] if sections.same_sentence(row, other) else
                          sections.claim_sentence(abstract, {**other, "role": "result"})}
                         for other in row.get("others", [])]
    return out


def _as_written(row: dict, abstract: str) -> dict:
    """The claim's number and factor as the paper wrote them: its decimals (1.80), a bound just
    before it ("FID<2" → <2, "over 7000×" → >7,000×), its range (631–1,074×), "~" for a factor read
    from words."""
    start, end = int(row["start"]), int(row["end"])
    words = abstract[max(0, start - BOUND_REACH):end] or row.get("text")
    out = {"value_text": claim_value(row["value"], row["unit"], row.get("range_low"), words)}
    if "factor" in row:
        out["factor_text"] = factor_as_written(row["factor"], row["value"], row["unit"], words, row.get("text"))
    return out


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # Fixed metadata keeps the bytes identical between runs.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.report", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = format_number
    env.filters["text"] = display_text  # scraped text shown to readers: no LaTeX or scraper residue
    env.filters["md"] = markdown_text  # report.md has no autoescape: every scraped string goes through it
    env.filters["href"] = safe_href  # every link target, in both pages: http(s) or no link
    env.filters["color"] = theme_color
    return env


def csv_tables(tables: dict[str, pd.DataFrame], shares: pd.DataFrame, growth: pd.DataFrame, board: pd.DataFrame,
               bursts: pd.DataFrame, results: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The report's tables as CSV, for spreadsheets."""
    return {
        "papers": tables["papers"].drop(columns=["abstract"]),
        "themes": tables["themes"],
        "areas": tables.get("areas", pd.DataFrame()),
        "theme_lineage": tables.get("theme_lineage", pd.DataFrame()),
        "theme_shares": shares,
        "theme_growth": growth,
        "theme_bursts": bursts,
        "leaderboards": board.drop(columns=["start", "end", "sentence_start", "sentence_end"], errors="ignore"),
        "metric_results": results.drop(columns=["start", "end", "sentence_start", "sentence_end"], errors="ignore"),
        "claims": with_paper_context(tables["claims"], tables["papers"], tables["themes"]),
    }
