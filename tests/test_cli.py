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
def processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    result = trends("run", "--processed", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_query_counts_on_default_corpus(processed):
    result = trends("query", "select count(*) as n from papers", "--processed", str(processed), "--format", "json")
    assert json.loads(result.stdout) == [{"n": 194}]
    result = trends("query", "select count(*) as n from appearances", "--processed", str(processed), "--format", "csv")
    assert result.stdout.splitlines() == ["n", "339"]


def test_two_runs_give_identical_tables(processed, tmp_path):
    again = tmp_path / "again"
    assert trends("run", "--processed", str(again)).exit_code == 0
    for name in ("papers", "appearances"):
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
