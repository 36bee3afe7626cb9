"""The `trends` command as a user types it: real runs on the real corpus, real queries."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def trends(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def processed(default_run) -> Path:
    return default_run["processed"]


def test_query_counts_on_default_corpus(processed):
    result = trends("query", "select count(*) as n from papers", "--processed", str(processed), "--format", "json")
    assert json.loads(result.stdout) == [{"n": 194}]
    result = trends("query", "select count(*) as n from appearances", "--processed", str(processed), "--format", "csv")
    assert result.stdout.splitlines() == ["n", "339"]


def test_two_runs_give_identical_tables(processed, shared_cache, tmp_path):
    again = tmp_path / "again"
    result = trends("run", "--processed", str(again), "--reports", str(tmp_path / "reports"), "--cache", str(shared_cache))
    assert result.exit_code == 0
    for name in ("papers", "appearances", "themes", "claims"):
        pd.testing.assert_frame_equal(pd.read_parquet(processed / f"{name}.parquet"), pd.read_parquet(again / f"{name}.parquet"))


@pytest.mark.parametrize("args, message", [
    (["query", "drop table papers"], "read-only"),
    (["query", "selct * from papers"], "syntax error"),
    (["run", "--input", "does/not/exist.csv"], "input not found: does/not/exist.csv"),
])
def test_errors_are_one_line(processed, args, message):
    if args[0] == "query":
        args = args + ["--processed", str(processed)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_without_database(tmp_path):
    result = runner.invoke(app, ["query", "select 1", "--processed", str(tmp_path)])
    assert result.exit_code == 1 and "no database" in result.stderr


def test_themes_command_lists_every_theme(processed):
    themes = json.loads(trends("themes", "--processed", str(processed), "--format", "json").stdout)
    assert len(themes) >= 3
    assert sum(t["size"] for t in themes) == 194, "every paper has a theme"
    assert all(t["label"] and t["keywords"] for t in themes)


def test_papers_by_theme_id_and_text(processed):
    themes = json.loads(trends("themes", "--processed", str(processed), "--format", "json").stdout)
    first = themes[0]
    by_id = json.loads(trends("papers", "--theme", str(first["theme_id"]), "--processed", str(processed), "-f", "json").stdout)
    assert len(by_id) == first["size"] and {p["theme_id"] for p in by_id} == {first["theme_id"]}
    word = first["keywords"].split(",")[0].strip()
    by_text = json.loads(trends("papers", "--theme", word, "--processed", str(processed), "-f", "json").stdout)
    assert first["theme_id"] in {p["theme_id"] for p in by_text}
    result = runner.invoke(app, ["papers", "--theme", "no such theme at all", "--processed", str(processed)])
    assert result.exit_code == 1 and "no theme matches" in result.stderr


def test_claims_filters(processed):
    rows = json.loads(trends("claims", "--kind", "speedup", "--min", "5", "--processed", str(processed), "-f", "json").stdout)
    assert rows and all(r["kind"] == "speedup" and r["value"] >= 5 for r in rows)
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    fid = json.loads(trends("claims", "--metric", "FID", "--sort", "value", "--asc", "--processed", str(processed), "-f", "json").stdout)
    assert fid and all("FID" in r["metric"] for r in fid)
    units = [r["unit"] for r in fid]  # like with like: values rank within their unit ("" FID, % cuts in FID)
    assert units == sorted(units, key=units.index)
    assert all([r["value"] for r in fid if r["unit"] == u] == sorted(r["value"] for r in fid if r["unit"] == u) for u in units)
    ecar = json.loads(trends("claims", "--paper", "E-CAR", "--limit", "0", "--processed", str(processed), "-f", "json").stdout)
    assert {(r["kind"], r["value"]) for r in ecar} >= {("reduction", 10.0), ("speedup", 5.0)}
    limited = json.loads(trends("claims", "--limit", "3", "--processed", str(processed), "-f", "json").stdout)
    assert len(limited) == 3


def test_claims_bad_kind_is_one_line(processed):
    result = runner.invoke(app, ["claims", "--kind", "speedups", "--processed", str(processed)])
    assert result.exit_code == 2 and "--kind must be one of speedup, reduction" in result.stderr
    assert "got 'speedups'; did you mean speedup?" in result.stderr and len(result.stderr.splitlines()) == 1


def table_lines(*args: str, columns: int = 100) -> list[str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def header(lines: list[str]) -> list[str]:
    return [cell.strip() for cell in next(line for line in lines if line.startswith("┃")).strip("┃").split("┃")]


def test_tables_count_rows_in_words(processed):
    one = " ".join(table_lines("claims", "--limit", "1", "--processed", str(processed)))
    assert "1 row;" in one and "1 rows" not in one
    assert "2 rows;" in " ".join(table_lines("claims", "--limit", "2", "--processed", str(processed)))
    assert table_lines("query", "select 1 as n", "--processed", str(processed))[-1].strip() == "1 row"
    first = " ".join(table_lines("query", "select * from papers", "--limit", "1", "--processed", str(processed)))
    assert "the first 1 row; more with --limit N" in first


@pytest.mark.parametrize("command, default", [
    (["claims"], ["kind", "value", "unit", "metric", "dataset", "title"]),
    (["claims", "--role", "all"], ["kind", "value", "unit", "metric", "dataset", "role", "title"]),
    (["papers", "--theme", "0"], ["theme_id", "title", "first_seen", "n_appearances"]),
    (["checks"], ["check", "metric", "value", "unit", "title", "detail"]),
    (["search", "decoding", "--by", "words"], ["rank", "title", "theme", "first_seen", "words"]),
])
def test_compact_tables_fit_100_columns_one_line_per_row(processed, command, default):
    for width in (100, 80):
        lines = table_lines(*command, "--processed", str(processed), columns=width)
        assert header(lines) == default
        assert max(map(len, lines)) <= width
        rows = [line for line in lines if line.startswith("│")]
        assert rows and not any(line.startswith("│ ") and line.strip("│ ") == "" for line in rows)
        assert len(rows) == len(json.loads(trends(*command, "--processed", str(processed), "-f", "json").stdout))


def test_columns_choose_what_is_shown(processed):
    rows = json.loads(trends("claims", "--columns", "title, value", "--processed", str(processed), "-f", "json").stdout)
    assert rows and all(list(row) == ["title", "value"] for row in rows)
    assert header(table_lines("claims", "-c", "paper_id,kind", "--processed", str(processed))) == ["paper_id", "kind"]
    every = json.loads(trends("claims", "--processed", str(processed), "-f", "json").stdout)
    assert {"factor", "baseline", "text", "paper_id"} <= set(every[0]), "csv and json carry every column"
    result = runner.invoke(app, ["claims", "--columns", "title,nope", "--processed", str(processed)])
    assert result.exit_code == 1 and "--columns: no column 'nope' here; choose from kind, value" in result.stderr


def test_themes_show_the_columns_the_run_stored(processed):
    stored = pd.read_parquet(processed / "themes.parquet").columns
    rows = json.loads(trends("themes", "--processed", str(processed), "-f", "json").stdout)
    assert set(rows[0]) == set(stored) - {"representative_ids"}
    shown = header(table_lines("themes", "--processed", str(processed)))
    assert shown == [name for name in ("theme_id", "area_label", "label", "size", "keywords") if name in stored]
