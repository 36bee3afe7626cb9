"""The canned queries behind `trends themes`, `papers`, `claims`, `progress`, `checks` and `search`.

Each builds one parameterized SQL statement for the read-only store; user text never becomes SQL.
Beside each query, the columns it returns and the `TableView` its table shows by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import datasets, paper_vectors, schema, search, store
from pipeline.claim_checks import CHECKS
from pipeline.output import TableView

CLAIM_KINDS = ("speedup", "reduction", "score", "improvement", "scale")
CLAIM_ROLES = ("result", "baseline", "context", "all")
FACTOR_SQL = (
    "case when c.kind in ('speedup', 'reduction') and c.unit = 'x' then c.value "
    "when c.kind = 'speedup' and c.unit = '%' then 1 + c.value / 100 "
    "when c.kind = 'reduction' and c.unit = '%' and c.value < 100 then 1 / (1 - c.value / 100) end"
)
"""Speedups and reductions as one factor, so that like is compared with like: "34x" stays 34, a speedup
of 80% is 1.8x, a 40% cut is 1/(1 - 0.4) = 1.67x; a cut in other units ("to 1 step") has none."""
COMPARED_SQL = f"case when c.kind in ('speedup', 'reduction') then {FACTOR_SQL} else c.value end"
CLAIM_SORTS = {"value": COMPARED_SQL, "paper": "p.title", "kind": "c.kind", "metric": "c.metric", "theme": "p.theme_id"}


# Every column of the themes table but the long list of representatives; what a run stores decides.
THEME_COLUMNS = tuple(name for name in schema.THEMES if name != "representative_ids")
THEME_VIEW = TableView(("theme_id", "area_label", "label", "size", "keywords"),
                       wide={"area_label": 2, "label": 3, "keywords": 3, "description": 3})
# Text columns a theme is found by: `--theme speculative` matches its name, keywords or area.
THEME_TEXT_COLUMNS = ("label", "keywords", "area_label")


def list_themes(processed: Path) -> pd.DataFrame:
    """The themes with the columns this database has (older runs have fewer)."""
    present = _columns(processed, "themes")
    names = [name for name in THEME_COLUMNS if name in present] or ["*"]
    return store.query(processed, f"select {', '.join(names)} from themes order by theme_id")


def resolve_themes(processed: Path, spec: str) -> list[int]:
    """A theme id, or text found in a theme's label, keywords or area (case-insensitive)."""
    spec = spec.strip()
    if spec.lstrip("-").isdigit():
        sql, params = "select theme_id from themes where theme_id = ?", [int(spec)]
    else:
        searched = [name for name in THEME_TEXT_COLUMNS if name in _columns(processed, "themes")]
        sql = f"select theme_id from themes where {' or '.join(f'{name} ilike ?' for name in searched)} order by theme_id"
        params = [f"%{spec}%"] * len(searched)
    ids = store.query(processed, sql, params)["theme_id"].astype(int).tolist()
    if not ids:
        raise store.StoreError(f"no theme matches {spec!r}; `trends themes` lists them")
    return ids


PAPER_SELECT = {"theme_id": "p.theme_id", "theme": "t.label", "title": "p.title", "n_appearances": "p.n_appearances",
                "first_seen": "p.first_seen", "venue": "p.venue", "url": "p.url", "code_url": "p.code_url",
                "paper_id": "p.paper_id"}
PAPER_VIEW = TableView(("theme_id", "title", "first_seen", "n_appearances"),
                       wide={"title": 4, "theme": 1, "venue": 1, "url": 2, "code_url": 2})


def theme_papers(processed: Path, theme: str, limit: int | None = None) -> pd.DataFrame:
    ids = resolve_themes(processed, theme)
    sql = (
        f"select {_select(PAPER_SELECT)} from papers p join themes t using (theme_id) "
        "where list_contains(?, p.theme_id) order by p.theme_id, p.n_appearances desc, p.title"
    )
    return store.query(processed, sql + _limit(limit), [ids])


@dataclass(frozen=True)
class ClaimFilter:
    """The filters of `trends claims`; None means 'any'."""

    kind: str | None = None
    role: str = "result"
    metric: str | None = None
    theme: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    paper: str | None = None
    sort: str = "value"
    descending: bool = True
    limit: int | None = 50


CLAIM_SELECT = {"kind": "c.kind", "value": "c.value", "unit": "c.unit", "factor": f"round({FACTOR_SQL}, 3)",
                "range_low": "c.range_low", "metric": "c.metric", "role": "c.role", "baseline": "c.baseline",
                "dataset": "c.dataset", "title": "p.title", "theme": "t.label", "text": "c.text",
                "paper_id": "c.paper_id"}
CLAIM_VIEW = TableView(("kind", "value", "unit", "metric", "dataset", "title"),
                       wide={"title": 4, "metric": 1, "dataset": 1.5, "baseline": 1.5, "theme": 1.5, "text": 2})


def claim_view(filters: ClaimFilter) -> TableView:
    """The claims table's columns: whose numbers they are too when several roles are listed."""
    if filters.role == "result":
        return CLAIM_VIEW
    return TableView(CLAIM_VIEW.columns[:-1] + ("role", "title"), CLAIM_VIEW.wide)


def find_claims(processed: Path, filters: ClaimFilter) -> pd.DataFrame:
    if filters.kind is not None and filters.kind not in CLAIM_KINDS:
        raise store.StoreError(f"unknown claim kind {filters.kind!r}; choose from {', '.join(CLAIM_KINDS)}")
    if filters.sort not in CLAIM_SORTS:
        raise store.StoreError(f"cannot sort by {filters.sort!r}; choose from {', '.join(CLAIM_SORTS)}")
    if filters.role not in CLAIM_ROLES:
        raise store.StoreError(f"unknown claim role {filters.role!r}; choose from {', '.join(CLAIM_ROLES)}")
    clauses: list[tuple[str, list]] = []
    if filters.kind:
        clauses.append(("c.kind = ?", [filters.kind]))
    if filters.role == "result":  # the paper's own results, and its scale facts (which have no role)
        clauses.append(("(c.role = 'result' or c.role is null)", []))
    elif filters.role != "all":
        clauses.append(("c.role = ?", [filters.role]))
    if filters.metric:
        clauses.append(("c.metric ilike ?", [f"%{filters.metric}%"]))
    if filters.theme is not None:
        clauses.append(("list_contains(?, p.theme_id)", [resolve_themes(processed, filters.theme)]))
    if filters.min_value is not None:
        clauses.append((f"({COMPARED_SQL}) >= ?", [filters.min_value]))
    if filters.max_value is not None:
        clauses.append((f"({COMPARED_SQL}) <= ?", [filters.max_value]))
    if filters.paper:
        clauses.append(("(p.title ilike ? or p.paper_id = ?)", [f"%{filters.paper}%", filters.paper]))
    where = " and ".join(clause for clause, _ in clauses) or "true"
    params = [value for _, values in clauses for value in values]
    within_unit = "c.unit, " if filters.sort == "value" and filters.kind not in ("speedup", "reduction") else ""
    if within_unit:  # scores of different units do not rank against each other; factors all do
        within_unit = f"({FACTOR_SQL}) is null, case when ({FACTOR_SQL}) is null then c.unit end, "
    order = (f"{within_unit}{CLAIM_SORTS[filters.sort]} {'desc' if filters.descending else 'asc'} nulls last, "
             "p.title, c.start")
    sql = (
        f"select {_select(CLAIM_SELECT)} from claims c join papers p using (paper_id) "
        f"left join themes t on t.theme_id = p.theme_id where {where} order by {order}"
    )
    return store.query(processed, sql + _limit(filters.limit), params)


def _limit(limit: int | None) -> str:
    return f" limit {int(limit)}" if limit else ""


def _select(columns: dict[str, str]) -> str:
    """A select list from (output name, SQL expression) pairs."""
    return ", ".join(f"{expression} as {name}" for name, expression in columns.items())


def _columns(processed: Path, table: str) -> list[str]:
    """The columns a stored table has (what this database's run wrote)."""
    sql = "select column_name from information_schema.columns where table_name = ? order by ordinal_position"
    return store.query(processed, sql, [table])["column_name"].tolist()


# --------------------------------------------------------------------------- progress and checks

FRONTIER_SELECT = {"metric": "f.metric", "dataset": "f.dataset", "unit": "f.unit", "papers": "f.n_papers",
                   "steps": "f.n_steps", "first": "f.first_value", "first_period": "f.first_period",
                   "best": "f.best_value", "best_period": "f.best_period", "per_year": "round(f.change_per_year, 4)",
                   "best_paper": "bp.title", "theme_id": "f.theme_id"}
STEP_COLUMNS = ("period", "value", "previous", "frontier_value", "moved_frontier", "title", "text", "paper_id")
# One view for both shapes of `trends progress`: the list of frontiers, or one frontier's steps.
PROGRESS_VIEW = TableView(("theme_id", "metric", "dataset", "unit", "papers", "best", "best_period", "per_year",
                           "best_paper", "period", "value", "previous", "title", "text"),
                          wide={"metric": 2, "dataset": 2, "best_paper": 2, "title": 3, "text": 2})


@dataclass(frozen=True)
class ProgressFilter:
    """The filters of `trends progress`; None means 'any'. Without a theme, frontiers over all papers."""

    metric: str | None = None
    dataset: str | None = None
    theme: str | None = None
    all_points: bool = False
    limit: int | None = None


def frontiers_or_steps(processed: Path, filters: ProgressFilter) -> pd.DataFrame:
    """The steps of the one frontier the filters name, or the list of frontiers when they name several."""
    _require_table(processed, "frontiers")
    clauses: list[tuple[str, list]] = []
    if filters.metric:
        clauses.append(("list_contains(?, f.metric)", [_resolve(processed, "metric", filters.metric)]))
    if filters.dataset:
        clauses.append(("list_contains(?, f.dataset)", [resolve_datasets(processed, filters.dataset)]))
    if filters.theme is not None:
        clauses.append(("list_contains(?, f.theme_id)", [resolve_themes(processed, filters.theme)]))
    else:
        clauses.append(("f.theme_id is null", []))
    where, params = _where(clauses)
    found = store.query(processed, f"select {_select(FRONTIER_SELECT)} from frontiers f left join papers bp "
                                   f"on bp.paper_id = f.best_paper_id where {where} "
                                   "order by f.theme_id nulls first, f.n_papers desc, f.metric, f.dataset", params)
    if found.empty and filters.theme is not None:
        raise store.StoreError(f"no frontier within theme {filters.theme!r} matches; a theme's frontier is kept "
                               "only where it differs from the one over all papers (drop --theme to see those)")
    if len(found) != 1 or not (filters.metric or filters.dataset):
        found = found if filters.theme is not None else found.drop(columns="theme_id")
        return found.head(filters.limit) if filters.limit else found
    return frontier_steps(processed, found.iloc[0], filters)


def frontier_steps(processed: Path, frontier: pd.Series, filters: ProgressFilter) -> pd.DataFrame:
    """One frontier's steps (or every paper's point with `all_points`), oldest first."""
    theme_clause = "p.theme_id is null" if pd.isna(frontier["theme_id"]) else "p.theme_id = ?"
    params = [frontier["metric"], frontier["dataset"]] + ([] if pd.isna(frontier["theme_id"]) else [int(frontier["theme_id"])])
    steps_only = "" if filters.all_points else " and p.moved_frontier"
    extra = "p.frontier_value, p.moved_frontier, " if filters.all_points else ""
    sql = (
        f"select p.period, p.value, p.previous_value as previous, {extra}pa.title, p.text, p.paper_id "
        "from frontier_points p left join papers pa using (paper_id) "
        f"where p.metric = ? and p.dataset = ? and {theme_clause}{steps_only} "
        "order by p.period_order, p.value desc, pa.title"
    )
    return store.query(processed, sql + _limit(filters.limit), params)


def resolve_datasets(processed: Path, spec: str) -> list[str]:
    """Datasets a name stands for: the same spelling key or alias ("ImageNet 256" → "ImageNet 256×256"),
    else the datasets whose name contains the text."""
    key = datasets.dataset_key(spec)
    known = datasets.alias_table().lookup(key)
    exact = store.query(processed, "select distinct dataset from dataset_aliases where key = ? or dataset = ? "
                                   "order by 1", [key, known[0] if known else spec])["dataset"].tolist()
    return exact or _resolve(processed, "dataset", spec)


def _resolve(processed: Path, column: str, spec: str) -> list[str]:
    """Values of a frontiers column equal to `spec` (any case), else containing it."""
    sql = f"select distinct {column} from frontiers where lower({column}) = lower(?) order by 1"
    values = store.query(processed, sql, [spec])[column].tolist()
    if not values:
        sql = f"select distinct {column} from frontiers where {column} ilike ? order by 1"
        values = store.query(processed, sql, [f"%{spec}%"])[column].tolist()
    if not values:
        raise store.StoreError(f"no frontier has a {column} matching {spec!r}; `trends progress` lists them")
    return values


CHECK_COLUMNS = ("check", "metric", "dataset", "value", "unit", "title", "detail", "sentence", "paper_id")
CHECK_VIEW = TableView(("check", "metric", "value", "unit", "title", "detail"),
                       wide={"metric": 1, "dataset": 1, "title": 2, "detail": 3, "sentence": 3})
# `--check` choices as typed on a command line: the check names with hyphens for spaces.
CHECK_CHOICES = tuple(name.replace(" ", "-") for name in CHECKS)


@dataclass(frozen=True)
class CheckFilter:
    """The filters of `trends checks`; None means 'any'."""

    check: str | None = None
    metric: str | None = None
    dataset: str | None = None
    paper: str | None = None
    limit: int | None = 50


def find_checks(processed: Path, filters: CheckFilter) -> pd.DataFrame:
    _require_table(processed, "claim_checks")
    clauses: list[tuple[str, list]] = []
    if filters.check:
        check = " ".join(filters.check.replace("-", " ").replace("_", " ").split()).lower()
        if check not in CHECKS:
            raise store.StoreError(f"unknown check {filters.check!r}; choose from {', '.join(CHECKS)}")
        clauses.append(("k.check = ?", [check]))
    if filters.metric:
        clauses.append(("k.metric ilike ?", [f"%{filters.metric}%"]))
    if filters.dataset:
        clauses.append(("k.dataset ilike ?", [f"%{filters.dataset}%"]))
    if filters.paper:
        clauses.append(("(p.title ilike ? or p.paper_id = ?)", [f"%{filters.paper}%", filters.paper]))
    where, params = _where(clauses)
    sql = (
        "select k.check, k.metric, k.dataset, k.value, k.unit, p.title, k.detail, "
        "regexp_replace(trim(k.sentence), '\\s+', ' ', 'g') as sentence, k.paper_id "
        "from claim_checks k left join papers p using (paper_id) "
        f"where {where} order by k.check, k.metric, p.title, k.start"
    )
    return store.query(processed, sql + _limit(filters.limit), params)


def no_frontier_note(processed: Path) -> str | None:
    """Why the database has no frontier, or None when it has some."""
    from pipeline.frontiers import no_frontier_reason  # scipy loads only when there is something to explain

    if not store.query(processed, "select 1 from frontiers limit 1").empty:
        return None
    tables = store.read_tables(processed, ["papers", "appearances", "claims"])
    return no_frontier_reason(tables["papers"], tables["appearances"], tables["claims"])


def _where(clauses: list[tuple[str, list]]) -> tuple[str, list]:
    """One SQL condition and its parameters from (clause, parameters) pairs; no clause: every row."""
    return " and ".join(clause for clause, _ in clauses) or "true", [value for _, values in clauses for value in values]


def _require_table(processed: Path, name: str) -> None:
    tables = store.query(processed, "select table_name from information_schema.tables")["table_name"].tolist()
    if name not in tables:
        raise store.StoreError(f"the database has no {name} table (made by an older version); run `trends run --force`")


# --------------------------------------------------------------------------- search

SEARCH_VIEW = TableView(("rank", "title", "theme", "first_seen", "similarity", "words"),
                        wide={"title": 4, "theme": 1.5, "url": 2})
SEARCH_COLUMNS = ("rank", "title", "theme_id", "theme", "first_seen", "similarity", "words", "url", "paper_id")
# (model name, query text) -> the query's embedding; the CLI's loads the model, which takes seconds.
QueryEncoder = Callable[[str, str], np.ndarray]


@dataclass(frozen=True)
class SearchFilter:
    """What `trends search` looks for: `text`, by meaning, words or both, in a theme or everywhere."""

    text: str
    by: str = "both"
    theme: str | None = None
    limit: int | None = 20


def search_papers(processed: Path, filters: SearchFilter, encode_query: QueryEncoder) -> pd.DataFrame:
    """The papers that best match, best first; by meaning with the stored vectors and the query's embedding
    (`encode_query` is called only then), by words over title and abstract, or both ranks fused."""
    if not search.query_terms(filters.text):
        raise store.StoreError(f"nothing to search for in {filters.text!r}: give words, "
                               "e.g. trends search \"speculative decoding\"")
    where, params = "true", []
    if filters.theme is not None:
        where, params = "list_contains(?, p.theme_id)", [resolve_themes(processed, filters.theme)]
    papers = store.query(processed, "select p.paper_id, p.title, p.abstract, p.theme_id, t.label as theme, "
                                    "p.first_seen, p.url from papers p left join themes t using (theme_id) "
                                    f"where {where} order by p.paper_id", params)
    vectors = query_vector = None
    if filters.by != "words":
        stored = paper_vectors.read(processed)
        vectors = stored.vectors[stored.rows_for(papers["paper_id"].tolist())]
        query_vector = encode_query(stored.model, filters.text)
    ranked = search.rank_papers(filters.text, papers["title"].tolist(), papers["abstract"].tolist(),
                                vectors, query_vector, filters.by)
    if filters.limit:
        ranked = ranked.head(filters.limit)
    found = papers.iloc[ranked["row"].to_numpy()].reset_index(drop=True).assign(rank=np.arange(1, len(ranked) + 1))
    for column, digits in (("similarity", 3), ("words", 2)):
        if column in ranked:
            found[column] = ranked[column].astype(np.float64).round(digits).to_numpy()
    return found[[name for name in SEARCH_COLUMNS if name in found]]
