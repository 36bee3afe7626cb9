"""Leaderboards of the factors papers claim, split by what is compared: speed, compute, size, compression.

A 2000× compression ratio and a 5× speedup are different claims, so each gets its own table. Only
the papers' own results count (`role == "result"`), each factor compared as in `trends claims`
(:data:`pipeline.queries.FACTOR_SQL`: "34x" is 34, a speedup of 80 % is 1.8×, a 40 % cut is 1.67×),
and a paper appears once per table, with its strongest claim; its other claims come along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from pipeline.evidence import sentence_bounds
from pipeline.metric_info import result_claims
from pipeline.queries import FACTOR_SQL


@dataclass(frozen=True)
class Comparison:
    """One leaderboard: what its factors compare, and the words that say so in a sentence."""

    key: str
    title: str
    what: str  # what its factors are, for the caption
    words: re.Pattern[str] | None = None
    metrics: frozenset[str] = frozenset()


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("speed", "Speed", "Speedups and throughput gains"),
    Comparison("compute", "Compute, memory and latency", "Reductions of FLOPs, memory, latency, energy, time or steps",
               re.compile(r"(?i)\b(?:FLOPs?|MACs?|comput\w*|GPUs?|memory|latency|energy|power|runtime|run-time|"
                          r"time|wall[- ]?clock|steps?|costs?|KV[- ]cache|cache|overhead|evaluations|NFEs?)\b"),
               frozenset({"FLOPs", "compute", "memory", "latency", "energy", "time", "cost", "steps"})),
    Comparison("size", "Model and data size", "Reductions of parameters, tokens or training data",
               re.compile(r"(?i)\b(?:param\w*|weights|size|tokens?|sequences?|data|samples|examples|"
                          r"vocabular\w*|faces|layers|experts|storage|labels?|annotations?)\b"),
               frozenset({"parameters", "training data", "tokens", "data"})),
    Comparison("compression", "Compression", "Compression ratios and bit widths",
               re.compile(r"(?i)\b(?:compress\w*|\d+-bits?|bits?|bit-?widths?|bpp|quantiz\w*|bitrates?)\b")),
)
# Reductions of anything else (error rates, BD-rate, jitter, an accuracy drop): no saving of compute,
# size or bits, so on no leaderboard; they stay in the CSV.
OTHER = Comparison("other", "Other reductions", "Reductions of error rates and other quantities")
BY_KEY = {c.key: c for c in (*COMPARISONS, OTHER)}
# How far around the number (characters, within its sentence) words may say what is compared.
CONTEXT_BEFORE, CONTEXT_AFTER = 90, 60

BOARD_COLUMNS = ["comparison", "factor", "best", "paper_id", "title", "theme_id", "theme", "kind", "metric", "value",
                 "unit", "range_low", "baseline", "dataset", "text", "start", "end", "sentence_start", "sentence_end"]


def with_paper_context(claims: pd.DataFrame, papers: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Claims joined with their paper's title and theme label, for tables meant for people."""
    labels = themes[["theme_id", "label"]].rename(columns={"label": "theme"})
    return claims.merge(papers[["paper_id", "title", "theme_id"]], on="paper_id", how="left").merge(
        labels, on="theme_id", how="left"
    )


def factors(claims: pd.DataFrame) -> pd.Series:
    """Each claim's comparable factor (:data:`FACTOR_SQL`, evaluated by DuckDB on the frame), NaN where none."""
    c = claims[["kind", "unit", "value"]].reset_index(drop=True).assign(row=np.arange(len(claims)))  # noqa: F841
    with duckdb.connect() as connection:
        values = connection.execute(f"select row, {FACTOR_SQL} as factor from c order by row").df()["factor"]
    return pd.Series(values.to_numpy(dtype=float), index=claims.index)


def comparison_of(kind: str, metric: object, text: str, context: str, at: int) -> str:
    """Which leaderboard a speedup or reduction belongs on.

    Speedups are speed. A reduction whose own words say compression ("250x compression") is
    compression; else its metric decides (FLOPs → compute, parameters → size); else compression
    when its sentence speaks of it near the claim (`context`, the claim's `text` at offset `at`:
    "compress to 256 tokens, a 2000x reduction"), else the comparison whose words stand nearest to it.
    """
    compression = BY_KEY["compression"].words
    if kind == "speedup":
        return "speed"
    if compression.search(text):
        return "compression"
    for comparison in COMPARISONS:
        if isinstance(metric, str) and metric in comparison.metrics:
            return comparison.key
    if compression.search(context):
        return "compression"
    nearest, distance, end = OTHER.key, None, at + len(text)
    for comparison in COMPARISONS[1:3]:
        for match in comparison.words.finditer(context):
            gap = max(0, at - match.end()) if match.start() < end else match.start() - end
            if distance is None or gap < distance:
                nearest, distance = comparison.key, gap
    return nearest


def factor_board(claims: pd.DataFrame, papers: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Every result speedup or reduction with a factor above 1, with its comparison and paper, the
    strongest per paper and comparison flagged `best`; largest first within each comparison."""
    mine = result_claims(claims)
    mine = mine[mine["kind"].isin(["speedup", "reduction"])].copy()
    mine["factor"] = factors(mine)
    mine = mine[mine["factor"] > 1]  # a factor of at most 1 is no gain (claim checks list them)
    if mine.empty:
        return pd.DataFrame(columns=BOARD_COLUMNS)
    abstracts = papers.set_index("paper_id")["abstract"]
    keys = []
    for claim in mine.itertuples(index=False):
        abstract = str(abstracts.get(claim.paper_id, "") or "")
        lo, hi = sentence_bounds(abstract, int(claim.start), int(claim.end), claim.sentence_start, claim.sentence_end)
        lo, hi = max(lo, int(claim.start) - CONTEXT_BEFORE), min(hi, int(claim.end) + CONTEXT_AFTER)
        keys.append(comparison_of(claim.kind, claim.metric, str(claim.text), abstract[lo:hi], int(claim.start) - lo))
    mine["comparison"] = keys
    board = with_paper_context(mine, papers, themes)
    order = {c.key: i for i, c in enumerate((*COMPARISONS, OTHER))}
    board = board.assign(_order=board["comparison"].map(order)).sort_values(
        ["_order", "factor", "paper_id", "start"], ascending=[True, False, True, True])
    board["best"] = ~board.duplicated(["comparison", "paper_id"])
    return board[BOARD_COLUMNS].reset_index(drop=True)


def leaderboards(board: pd.DataFrame, limit: int | None = None) -> list[dict]:
    """Per comparison (in the order of :data:`COMPARISONS`): its papers' best claims, largest first
    (at most `limit`), each with the paper's other claims of that comparison."""
    out = []
    for comparison in COMPARISONS:
        rows = board[board["comparison"] == comparison.key]
        if rows.empty:
            continue
        others = {pid: group.to_dict("records") for pid, group in rows[~rows["best"]].groupby("paper_id")}
        best = rows[rows["best"]]
        shown = best if limit is None else best.head(limit)
        out.append({"key": comparison.key, "title": comparison.title, "what": comparison.what,
                    "n_papers": len(best), "n_claims": len(rows),
                    "rows": [{**row, "others": others.get(row["paper_id"], [])} for row in shown.to_dict("records")]})
    return out
