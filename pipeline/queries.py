"""The canned queries behind `trends themes`, `trends papers` and `trends claims`.

Each builds one parameterized SQL statement for the read-only store; user text never becomes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import store

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


def list_themes(processed: Path) -> pd.DataFrame:
    return store.query(processed, "select theme_id, label, size, keywords from themes order by theme_id")


def resolve_themes(processed: Path, spec: str) -> list[int]:
    """A theme id, or text found in a theme's label or keywords (case-insensitive)."""
    spec = spec.strip()
    if spec.lstrip("-").isdigit():
        sql, params = "select theme_id from themes where theme_id = ?", [int(spec)]
    else:
        sql = "select theme_id from themes where label ilike ? or keywords ilike ? order by theme_id"
        params = [f"%{spec}%", f"%{spec}%"]
    ids = store.query(processed, sql, params)["theme_id"].astype(int).tolist()
    if not ids:
        raise store.StoreError(f"no theme matches {spec!r}; `trends themes` lists them")
    return ids


def theme_papers(processed: Path, theme: str, limit: int | None = None) -> pd.DataFrame:
    ids = resolve_themes(processed, theme)
    sql = (
        "select p.theme_id, t.label as theme, p.title, p.n_appearances, p.first_seen, p.code_url, p.paper_id "
        "from papers p join themes t using (theme_id) where list_contains(?, p.theme_id) "
        "order by p.theme_id, p.n_appearances desc, p.title"
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
        f"select c.kind, c.value, c.unit, round({FACTOR_SQL}, 3) as factor, c.range_low, c.metric, c.role, "
        "c.baseline, c.dataset, p.title, t.label as theme, c.text, c.paper_id "
        "from claims c join papers p using (paper_id) left join themes t on t.theme_id = p.theme_id "
        f"where {where} order by {order}"
    )
    return store.query(processed, sql + _limit(filters.limit), params)


def _limit(limit: int | None) -> str:
    return f" limit {int(limit)}" if limit else ""
