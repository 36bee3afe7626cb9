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
