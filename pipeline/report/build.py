"""Build the report from the stored tables: one context, rendered to Markdown and to self-contained HTML.

Everything the report says is computed here from data; the templates only lay it out. The result is
a mapping of relative path to bytes, so writing (atomically) stays the orchestrator's job.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from importlib import metadata

import matplotlib.pyplot as plt
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from pipeline import trends
from pipeline.report import figures
from pipeline.report.map_page import map_page_bytes
from pipeline.report.maps import theme_map_figure
from pipeline.report.progress import progress_section
from pipeline.report.style import theme_color
from pipeline.safety import markdown_text, safe_href

LEADERBOARD_ROWS = 30
# Past this many papers a theme's section lists the most listed and most claiming ones; all are in tables/papers.csv.
PAPERS_PER_THEME = 60
PACKAGES = ("literature-trends", "sentence-transformers", "torch", "scikit-learn", "umap-learn", "pandas", "duckdb")


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
    board = trends.speedup_leaderboard(claims, papers, themes)
    metric_tables = trends.metric_tables(claims, papers)
    heat = trends.theme_metric_counts(claims, papers)

    pngs = {"theme_map": theme_map_figure(papers, themes)}
    if not shares.empty:
        pngs["theme_share"] = figures.theme_share_chart(shares, themes, unit)
    if not board.empty:
        pngs["speedups_by_theme"] = figures.speedup_distribution(board, themes)
    if not heat.empty:
        pngs["theme_metric_heatmap"] = figures.theme_metric_heatmap(heat, themes)
    progress = progress_section(tables)
    pngs.update(progress.figures)
    figs = Figures({stem: _png(fig) for stem, fig in pngs.items()})

    context = {
        "summary": summary_sentences(tables, unit, growth, board, themes),
        "themes": theme_rows(themes, papers),
        "areas": area_rows(areas, themes),
        "lineage": lineage.to_dict("records") if lineage is not None else [],
        "unit": unit,
        "slope_unit": trends.slope_unit(unit),
        "n_periods": int(shares["period"].nunique()) if not shares.empty else 0,
        "min_periods": trends.MIN_PERIODS,
        "fdr": trends.FDR,
        "growth": growth_rows(growth, themes, bursts),
        "trending": trends.trending_papers(papers).to_dict("records"),
        "leaderboard": board.head(LEADERBOARD_ROWS).to_dict("records"),
        "n_leaderboard": len(board),
        "metrics": {name: table.to_dict("records") for name, table in metric_tables.items()},
        "per_theme": per_theme_sections(papers, themes, claims),
        "quality": quality(tables),
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
    files.update({f"tables/{name}.csv": frame.to_csv(index=False).encode("utf-8")
                  for name, frame in {**csv_tables(tables, shares, growth, board, bursts), **progress.tables}.items()})
    return files


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
    env.filters["md"] = markdown_text  # report.md has no autoescape: every scraped string goes through it
    env.filters["href"] = safe_href  # every link target, in both pages: http(s) or no link
    env.filters["color"] = theme_color
    return env


def format_number(value: object, unit: object = "") -> str:
    """5.0 → '5', 1.236 → '1.24', with the unit the way people write it (5×, 45%, 8.6 pp, 172M)."""
    if value is None or pd.isna(value):
        return ""
    text = f"{float(value):,.3g}" if abs(float(value)) < 1000 else f"{float(value):,.0f}"
    unit = "" if unit is None or pd.isna(unit) else str(unit)
    if unit == "x":
        return f"{text}×"
    if unit in ("%", ""):
        return f"{text}{unit}"
    return f"{text} {unit}" if len(unit) > 1 else f"{text}{unit}"


# --------------------------------------------------------------------------- sections


def summary_sentences(tables: dict[str, pd.DataFrame], unit: str, growth: pd.DataFrame,
                      board: pd.DataFrame, themes: pd.DataFrame) -> list[str]:
    papers, apps, claims = tables["papers"], tables["appearances"], tables["claims"]
    sources = apps["source"].nunique()
    sentences = [f"The corpus has {len(papers)} unique papers from {len(apps)} appearances in {sources} "
                 f"source{'s' if sources != 1 else ''}{_date_span(apps, papers)}."]
    n_areas = themes["area_id"].nunique() if "area_id" in themes else 0
    in_areas = f" in {n_areas} areas" if n_areas else ""
    sentences.append(f"They fall into {len(themes)} themes{in_areas}; {claims['paper_id'].nunique()} papers make "
                     f"{len(claims)} numeric claims ({_kind_counts(claims)}).")
    speedups = board[board["kind"] == "speedup"].drop_duplicates("paper_id").head(3)
    if not speedups.empty:
        items = [f"{format_number(r.value, r.unit)} ({r.metric or 'speed'}, *{r.title}*)" for r in speedups.itertuples()]
        sentences.append("The largest claimed speedups are " + _join(items) + ".")
    per = trends.slope_unit(unit)
    growing = growth[growth["direction"] == "growing"]
    if not growing.empty:
        top = growing.iloc[0]
        sentences.append(
            f"The fastest-growing theme is “{_label(themes, top.theme_id)}”: its share rises "
            f"{top.slope_pp:+.1f} percentage points per {per} (from {top.first_share:.0%} to {top.last_share:.0%}, "
            f"q = {top.q_value:.2g} after correcting for {len(growth)} themes)."
        )
    elif not growth.empty and (growth["direction"] == "too few periods to tell").all():
        top = growth.iloc[0]
        sentences.append(f"With {top.n_periods} dated periods there are too few periods to tell whether any theme "
                         f"grows; the largest slope is “{_label(themes, top.theme_id)}” at {top.slope_pp:+.1f} pp per "
                         f"{per} ({top.first_share:.0%} → {top.last_share:.0%}, q = {top.q_value:.2g}).")
    elif not growth.empty:
        top = growth.iloc[0]
        sentences.append(f"No theme's share grows at a false discovery rate of {trends.FDR:.0%}; the largest slope "
                         f"is “{_label(themes, top.theme_id)}” at {top.slope_pp:+.1f} pp per {per} "
                         f"(q = {top.q_value:.2g}).")
    else:
        sentences.append("Growth is not measured: it needs at least two dated periods.")
    return sentences


def _date_span(apps: pd.DataFrame, papers: pd.DataFrame) -> str:
    dates = apps["page_date"].dropna().unique().tolist()
    if dates:
        ordered = sorted(dates, key=trends.page_date_order)
        return f", listed on {len(ordered)} page dates from {ordered[0]} to {ordered[-1]}"
    published = papers["published"].dropna()
    if not published.empty:
        return f", published {published.min().year}–{published.max().year}"
    return ""


def _kind_counts(claims: pd.DataFrame) -> str:
    counts = claims["kind"].value_counts()
    return ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "none"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _label(themes: pd.DataFrame, theme_id: int) -> str:
    match = themes.loc[themes["theme_id"] == theme_id, "label"]
    return str(match.iloc[0]) if not match.empty else str(theme_id)


def theme_rows(themes: pd.DataFrame, papers: pd.DataFrame) -> list[dict]:
    titles = papers.set_index("paper_id")["title"]
    rows = []
    for theme in themes.sort_values("theme_id").itertuples(index=False):
        ids = [pid.strip() for pid in str(theme.representative_ids or "").split(",") if pid.strip()]
        rows.append({**theme._asdict(), "representatives": [titles.get(pid, pid) for pid in ids]})
    return rows


def area_rows(areas: pd.DataFrame, themes: pd.DataFrame) -> list[dict]:
    """Each area with the names of its themes, largest first."""
    if areas is None or areas.empty:
        return []
    rows = []
    for area in areas.sort_values("area_id").to_dict("records"):
        members = themes[themes["area_id"] == area["area_id"]].sort_values("theme_id")
        rows.append({**area, "themes": [f"{t.theme_id}: {t.label}" for t in members.itertuples()]})
    return rows


def growth_rows(growth: pd.DataFrame, themes: pd.DataFrame, bursts: pd.DataFrame) -> list[dict]:
    """Growth per theme with its name and burst periods ("Mar 18", "2021-03 – 2021-06")."""
    spans = {theme_id: ", ".join(b.start if b.start == b.end else f"{b.start} – {b.end}" for b in group.itertuples())
             for theme_id, group in bursts.groupby("theme_id")}
    return [{**row, "label": _label(themes, row["theme_id"]), "bursts": spans.get(row["theme_id"], "")}
            for row in growth.to_dict("records")]


def per_theme_sections(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame,
                       limit: int = PAPERS_PER_THEME) -> list[dict]:
    """Each theme's papers (most listed and most claiming first, at most `limit`) with their claims."""
    n_claims = claims["paper_id"].value_counts()
    ranked = papers.assign(n_claims=papers["paper_id"].map(n_claims).fillna(0)).sort_values(
        ["n_appearances", "n_claims", "title"], ascending=[False, False, True])
    shown = ranked.groupby("theme_id", sort=False).head(limit)
    claims_by_paper = {pid: group.sort_values("start").to_dict("records")
                       for pid, group in claims[claims["paper_id"].isin(shown["paper_id"])].groupby("paper_id")}
    columns = ["paper_id", "title", "code_url", "url", "n_appearances"]
    sections = []
    for theme in themes.sort_values("theme_id").itertuples(index=False):
        members = shown[shown["theme_id"] == theme.theme_id]
        sections.append({
            "theme_id": theme.theme_id, "label": theme.label, "keywords": theme.keywords, "size": theme.size,
            "papers": [{**paper, "claims": claims_by_paper.get(paper["paper_id"], [])}
                       for paper in members[columns].to_dict("records")],
        })
    return sections


def quality(tables: dict[str, pd.DataFrame]) -> dict:
    papers, claims = tables["papers"], tables["claims"]
    info = dict(zip(tables["run_info"]["key"], tables["run_info"]["value"]))
    without = papers[~papers["paper_id"].isin(claims["paper_id"])]
    return {
        "warnings": tables["warnings"].to_dict("records"),
        "n_without_claims": len(without),
        "without_claims": without["title"].sort_values().tolist(),
        "info": info,
        "versions": {name: _version(name) for name in PACKAGES},
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def csv_tables(tables: dict[str, pd.DataFrame], shares: pd.DataFrame, growth: pd.DataFrame,
               board: pd.DataFrame, bursts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The report's tables as CSV, for spreadsheets."""
    return {
        "papers": tables["papers"].drop(columns=["abstract"]),
        "themes": tables["themes"],
        "areas": tables.get("areas", pd.DataFrame()),
        "theme_lineage": tables.get("theme_lineage", pd.DataFrame()),
        "theme_shares": shares,
        "theme_growth": growth,
        "theme_bursts": bursts,
        "speedup_leaderboard": board.drop(columns=["start", "end"], errors="ignore"),
        "claims": trends.with_paper_context(tables["claims"], tables["papers"], tables["themes"]),
    }
