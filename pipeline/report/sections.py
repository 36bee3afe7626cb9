"""The report's sections as template context: summary, themes and areas, trends, papers per theme, method.

Each function takes stored tables and returns plain rows for the templates; every number a sentence
states is computed here, so the templates only lay things out.
"""

from __future__ import annotations

import re

from importlib import metadata

import pandas as pd

from pipeline import trends
from pipeline.evidence import sentence_bounds
from pipeline.report.display import claim_label, display_text, factor_as_written, marked_pieces

# A theme's section lists at most this many papers (the most listed and most claiming first), fewer
# when there are many themes, so that the report lists about PAPER_BUDGET papers; all are in tables/papers.csv.
PAPERS_PER_THEME, MIN_PAPERS_PER_THEME, PAPER_BUDGET = 60, 10, 3000
PACKAGES = ("literature-trends", "sentence-transformers", "torch", "scikit-learn", "umap-learn", "pandas", "duckdb")
SCALE = "scale"  # mark class of a scale fact, which has no role


def summary_sentences(tables: dict[str, pd.DataFrame], unit: str, growth: pd.DataFrame,
                      speed: pd.DataFrame, themes: pd.DataFrame) -> list[str]:
    """What the corpus holds and what the data supports saying about it, in a few sentences.

    `speed` is the speed leaderboard's best rows (one per paper, largest first).
    """
    papers, apps, claims = tables["papers"], tables["appearances"], tables["claims"]
    sources = apps["source"].nunique()
    sentences = [f"The corpus has {len(papers):,} unique papers from {len(apps):,} appearances in {sources} "
                 f"{_plural(sources, 'source')}{_date_span(apps, papers)}."]
    n_areas = themes["area_id"].nunique() if "area_id" in themes else 0
    in_areas = f" in {n_areas} {_plural(n_areas, 'area')}" if n_areas else ""
    n_claiming = claims["paper_id"].nunique()
    sentences.append(f"They fall into {len(themes)} {_plural(len(themes), 'theme')}{in_areas}; {n_claiming:,} "
                     f"{_plural(n_claiming, 'paper')} make {len(claims):,} numeric {_plural(len(claims), 'claim')} "
                     f"({_kind_counts(claims)}).")
    if not speed.empty:
        items = [f"{factor_as_written(r.factor, r.value, r.unit, r.text)} ({r.metric or 'speed'}, *{display_text(r.title)}*)"
                 for r in speed.head(3).itertuples()]
        sentences.append("The largest speedups the papers claim for their own methods are " + _join(items) + ".")
    sentences.append(growth_sentence(growth, themes, unit))
    return sentences


def growth_sentence(growth: pd.DataFrame, themes: pd.DataFrame, unit: str) -> str:
    """The trend verdict the data supports: a growing theme, none at the corrected level, or too few periods."""
    per = trends.slope_unit(unit)
    if growth.empty:
        return "Growth is not measured: it needs at least two dated periods with enough papers."
    top = growth.iloc[0]
    change = f"{top.first_share:.0%} → {top.last_share:.0%}"
    if (growth["direction"] == "too few periods to tell").all():
        return (f"With {top.n_periods} dated periods there are too few periods to tell whether any theme grows "
                f"(at least {trends.MIN_PERIODS} are needed); the largest slope is “{_label(themes, top.theme_id)}” "
                f"at {top.slope_pp:+.1f} pp per {per} ({change}).")
    growing = growth[growth["direction"] == "growing"]
    if not growing.empty:
        top = growing.iloc[0]
        others = f"; {len(growing) - 1} more {_plural(len(growing) - 1, 'theme')} grow" if len(growing) > 1 else ""
        return (f"The fastest-growing theme is “{_label(themes, top.theme_id)}”: its share rises {top.slope_pp:+.1f} "
                f"percentage points per {per} (from {top.first_share:.0%} to {top.last_share:.0%}, q = "
                f"{top.q_value:.2g} after correcting for {len(growth)} themes){others}.")
    return (f"No theme's share grows at a false discovery rate of {trends.FDR:.0%} over {top.n_periods} periods; "
            f"the largest slope is “{_label(themes, top.theme_id)}” at {top.slope_pp:+.1f} pp per {per} "
            f"({change}, q = {top.q_value:.2g}).")


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _date_span(apps: pd.DataFrame, papers: pd.DataFrame) -> str:
    dates = apps["page_date"].dropna().unique().tolist()
    if dates:
        ordered = sorted(dates, key=trends.page_date_order)
        return f", listed on {len(ordered)} page {_plural(len(ordered), 'date')} from {ordered[0]} to {ordered[-1]}"
    published = papers["published"].dropna()
    if not published.empty:
        first, last = published.min(), published.max()
        if first.year == last.year:
            return f", published {first:%B} to {last:%B %Y}" if first.month != last.month else f", published {last:%B %Y}"
        return f", published {first:%b %Y} to {last:%b %Y}" if last.year - first.year < 3 else \
            f", published {first.year}–{last.year}"
    return ""


def _kind_counts(claims: pd.DataFrame) -> str:
    counts = claims["kind"].value_counts()
    return ", ".join(f"{n:,} {kind}" for kind, n in counts.items()) or "none"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _label(themes: pd.DataFrame, theme_id: int) -> str:
    match = themes.loc[themes["theme_id"] == theme_id, "label"]
    return str(match.iloc[0]) if not match.empty else str(theme_id)


# --------------------------------------------------------------------------- themes and areas


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows for templates, missing values as None (a template's `if` cannot test pandas' NA)."""
    return [{key: None if value is None or value is pd.NA or value != value else value for key, value in row.items()}
            for row in frame.to_dict("records")]


UNNAMED_AREA = re.compile(r"Area \d+")  # the themes stage's name for an area without a distinctive label


def area_names(themes: pd.DataFrame) -> dict[object, str]:
    """Each area's name; one the themes stage could not name ("Area 0") goes by its largest theme
    ("Adversarial attacks, …"), in every table, heading and figure alike."""
    if "area_id" not in themes or themes["area_id"].isna().all():
        return {}
    largest = themes.sort_values(["size", "theme_id"], ascending=[False, True]).drop_duplicates("area_id")
    return {area: f"{theme}, …" if UNNAMED_AREA.fullmatch(str(label)) else str(label)
            for area, label, theme in zip(largest["area_id"], largest["area_label"], largest["label"])}


def theme_rows(themes: pd.DataFrame, papers: pd.DataFrame) -> list[dict]:
    titles = papers.set_index("paper_id")["title"]
    rows, names = [], area_names(themes)
    for theme in records(themes.sort_values("theme_id")):
        ids = [pid.strip() for pid in str(theme["representative_ids"] or "").split(",") if pid.strip()]
        rows.append({**theme, "area_label": names.get(theme.get("area_id"), theme.get("area_label")),
                     "representatives": [display_text(titles.get(pid, pid)) for pid in ids]})
    return rows


def area_rows(areas: pd.DataFrame, themes: pd.DataFrame) -> list[dict]:
    """Each area with its themes (id, name, size), largest theme first."""
    if areas is None or areas.empty:
        return []
    rows, names = [], area_names(themes)
    for area in records(areas.sort_values("area_id")):
        members = themes[themes["area_id"] == area["area_id"]].sort_values(["size", "theme_id"], ascending=[False, True])
        rows.append({**area, "label": names.get(area["area_id"], area["label"]),
                     "themes": records(members[["theme_id", "label", "size"]])})
    return rows


def growth_rows(growth: pd.DataFrame, themes: pd.DataFrame, bursts: pd.DataFrame) -> list[dict]:
    """Growth per theme with its name and burst periods ("Mar 18", "2021-03 – 2021-06")."""
    spans = {theme_id: ", ".join(b.start if b.start == b.end else f"{b.start} – {b.end}" for b in group.itertuples())
             for theme_id, group in bursts.groupby("theme_id")}
    return [{**row, "label": _label(themes, row["theme_id"]), "bursts": spans.get(row["theme_id"], "")}
            for row in growth.to_dict("records")]


def area_shares(shares: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Each area's share of each period's papers, with its Wilson interval, in the columns of theme shares
    (`theme_id` holding the area id), for the small multiples when there are too many themes for a panel each."""
    keys = ["period", "period_order", "time"]
    joined = shares.merge(themes[["theme_id", "area_id"]], on="theme_id")
    out = joined.groupby([*keys, "area_id"], as_index=False).agg(n_papers=("n_papers", "sum"),
                                                                  period_papers=("period_papers", "first"))
    out["share"] = out["n_papers"] / out["period_papers"]
    out["share_low"], out["share_high"] = trends.wilson_interval(out["n_papers"].to_numpy(), out["period_papers"].to_numpy())
    return out.rename(columns={"area_id": "theme_id"})


# --------------------------------------------------------------------------- claims in their sentences


def mark_class(role: object) -> str:
    """How a number is marked: the paper's own result, a baseline's, context, or a scale fact."""
    return str(role) if isinstance(role, str) and role else SCALE


def claim_sentence(abstract: str, claim: dict) -> list[dict]:
    """The claim's sentence as display pieces with its number marked."""
    lo, hi = sentence_bounds(abstract, int(claim["start"]), int(claim["end"]), claim.get("sentence_start"),
                             claim.get("sentence_end"))
    return marked_pieces(abstract[lo:hi], [(int(claim["start"]) - lo, int(claim["end"]) - lo, mark_class(claim.get("role")))])


def same_sentence(claim: dict, other: dict) -> bool:
    return claim["paper_id"] == other["paper_id"] and claim.get("sentence_start") == other.get("sentence_start") \
        and not pd.isna(claim.get("sentence_start"))


def claim_facts(claim: dict) -> dict:
    """A claim in words: kind, value with unit and metric (no doubled units), dataset, baseline, role."""
    return {"kind": claim["kind"], "role": mark_class(claim.get("role")),
            "label": claim_label(claim["value"], claim["unit"], claim["metric"], claim.get("range_low"), claim.get("text")),
            "dataset": display_text(claim.get("dataset")), "baseline": display_text(claim.get("baseline"))}


def paper_sentences(abstract: str, claims: list[dict]) -> list[dict]:
    """Each sentence of a paper that holds claims, in abstract order, its claims' numbers marked, with the claims."""
    by_sentence: dict[tuple[int, int], list[dict]] = {}
    for claim in sorted(claims, key=lambda c: int(c["start"])):
        bounds = sentence_bounds(abstract, int(claim["start"]), int(claim["end"]), claim.get("sentence_start"),
                                 claim.get("sentence_end"))
        by_sentence.setdefault(bounds, []).append(claim)
    out = []
    for (lo, hi), members in by_sentence.items():
        spans = [(int(c["start"]) - lo, int(c["end"]) - lo, mark_class(c.get("role"))) for c in members]
        out.append({"pieces": marked_pieces(abstract[lo:hi], spans), "claims": [claim_facts(c) for c in members]})
    return out


def papers_per_theme(n_themes: int) -> int:
    return max(MIN_PAPERS_PER_THEME, min(PAPERS_PER_THEME, PAPER_BUDGET // max(n_themes, 1)))


def per_theme_sections(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame,
                       limit: int | None = None) -> list[dict]:
    """Areas in order, each with its themes, each theme with its papers (most listed and most claiming
    first, at most `limit`, by default :func:`papers_per_theme`), each paper with its links and its
    claims in their sentences."""
    limit = papers_per_theme(len(themes)) if limit is None else limit
    n_claims = claims["paper_id"].value_counts()
    ranked = papers.assign(n_claims=papers["paper_id"].map(n_claims).fillna(0)).sort_values(
        ["n_appearances", "n_claims", "title"], ascending=[False, False, True])
    shown = ranked.groupby("theme_id", sort=False).head(limit)
    claims_by_paper: dict[str, list[dict]] = {}
    for claim in claims[claims["paper_id"].isin(shown["paper_id"])].to_dict("records"):
        claims_by_paper.setdefault(claim["paper_id"], []).append(claim)
    columns = ["paper_id", "title", "abstract", "code_url", "url", "n_appearances"]
    has_areas = "area_id" in themes and themes["area_id"].notna().any()
    areas: dict[object, dict] = {}
    names = area_names(themes)
    members_of = {theme_id: group for theme_id, group in shown[columns + ["theme_id"]].groupby("theme_id", sort=False)}
    for theme in records(themes.sort_values(["area_id", "theme_id"] if has_areas else ["theme_id"])):
        members = members_of.get(theme["theme_id"], shown.iloc[:0])
        key = theme["area_id"] if has_areas else None
        area = areas.setdefault(key, {"area_id": key, "label": names.get(key, "") if has_areas else "", "themes": []})
        area["themes"].append({
            "theme_id": theme["theme_id"], "label": theme["label"], "keywords": theme["keywords"], "size": theme["size"],
            "description": theme.get("description"),
            "papers": [{"title": display_text(paper["title"]), "url": paper["url"], "code_url": paper["code_url"],
                        "n_appearances": paper["n_appearances"],
                        "sentences": paper_sentences(str(paper["abstract"] or ""), claims_by_paper.get(paper["paper_id"], []))}
                       for paper in members[columns].to_dict("records")],
        })
    return list(areas.values())


def quality(tables: dict[str, pd.DataFrame]) -> dict:
    papers, claims = tables["papers"], tables["claims"]
    info = dict(zip(tables["run_info"]["key"], tables["run_info"]["value"]))
    without = papers[~papers["paper_id"].isin(claims["paper_id"])]
    return {
        "warnings": tables["warnings"].to_dict("records"),
        "n_without_claims": len(without),
        "n_with_url": int(papers["url"].notna().sum()) if "url" in papers else 0,
        "info": info,
        "versions": {name: _version(name) for name in PACKAGES},
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"
