"""The store: atomic writes and the read-only query path."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import ingest, schema, store
from pipeline.run import read_sources


@pytest.fixture
def stored(tmp_path, raw_pages) -> tuple[Path, dict[str, pd.DataFrame]]:
    tables = ingest.build_tables(read_sources(raw_pages))
    store.write_tables(tables, tmp_path)
    return tmp_path, tables


def test_round_trip_keeps_rows_columns_and_types(stored):
    processed, tables = stored
    back = store.read_tables(processed, ["papers", "appearances"])
    pd.testing.assert_frame_equal(back["papers"], tables["papers"])
    pd.testing.assert_frame_equal(back["appearances"], tables["appearances"])
    for name in ("papers", "appearances", "warnings"):
        assert pd.read_parquet(processed / f"{name}.parquet").columns.tolist() == list(schema.TABLES[name])
    assert not list(processed.glob(".*.tmp")), "no temporary files are left behind"


def test_failed_write_leaves_old_outputs_queryable(stored):
    processed, tables = stored
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    # The claims table comes after papers were already written aside; its offset cannot become an int.
    broken = dict(tables, claims=pd.DataFrame({"paper_id": ["x"], "start": ["not a number"]}))
    with pytest.raises(ValueError):
        store.write_tables(broken, processed)
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
    assert store.query(processed, "select count(*) as n from papers")["n"][0] == 194


@pytest.mark.parametrize("sql, message", [
    ("delete from papers", "read-only"),
    ("create table t (x int)", "read-only"),
    ("copy papers to '/tmp/out.csv'", "disabled"),
    ("selec 1", "syntax error"),
    ("select * from nope", "nope"),
])
def test_bad_queries_are_one_line_errors(stored, sql, message):
    processed, _ = stored
    with pytest.raises(store.StoreError, match=message) as info:
        store.query(processed, sql)
    assert "\n" not in str(info.value)


def test_missing_database(tmp_path):
    with pytest.raises(store.StoreError, match="no database at .*run `trends run` first"):
        store.query(tmp_path, "select 1")


# --------------------------------------------------------------------------- verified, all-or-nothing writes


def test_store_checkpoints_and_verifies_before_replacing(stored):
    processed, tables = stored
    assert not list(processed.glob("*.wal")) and not list(processed.glob(".*.tmp*"))
    counts = store.query(processed, "select count(*) as n from papers")["n"][0], len(tables["papers"])
    assert counts == (194, 194)


def test_folder_name_with_a_quote(tmp_path, stored):
    _, tables = stored
    folder = tmp_path / "it's here"
    store.write_tables(tables, folder)
    assert store.query(folder, "select count(*) as n from papers")["n"][0] == 194
    assert len(pd.read_parquet(folder / "papers.parquet")) == 194


def test_damaged_database_is_one_line_error(stored):
    processed, _ = stored
    db = store.database_path(processed)
    data = bytearray(db.read_bytes())
    data[len(data) // 2 :] = b"\xff" * (len(data) - len(data) // 2)  # late blocks: the header still opens
    db.write_bytes(bytes(data))
    with pytest.raises(store.StoreError) as info:
        store.read_tables(processed)
    assert "\n" not in str(info.value) and str(db) in str(info.value) and "--force" in str(info.value)


# --------------------------------------------------------------------------- trends query


def trends(*args: str):
    from typer.testing import CliRunner

    from pipeline.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("sql, message", [
    ("select 1; select 2", "one SQL statement at a time; got 2"),
    ("select count(*) from papers; delete from papers", "one SQL statement at a time"),
    ("", "no SQL statement given"),
    ("/* only a comment */", "no SQL statement given"),
    ("select * from read_csv('/etc/passwd')", "disabled"),
    ("set enable_external_access = true", "configuration"),
    ("attach '/tmp/other.duckdb'", "disabled"),
])
def test_query_refuses_with_one_line(stored, sql, message):
    processed, _ = stored
    result = trends("query", sql, "--processed", str(processed))
    assert result.exit_code == 1, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_query_trailing_semicolon_is_one_statement(stored):
    processed, _ = stored
    result = trends("query", "select count(*) as n from papers;", "--processed", str(processed), "-f", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["n", "194"]


def test_query_formats_agree(stored):
    processed, tables = stored
    sql = "select paper_id, title, published from papers order by paper_id"
    outputs = {fmt: trends("query", sql, "--processed", str(processed), "-f", fmt).stdout for fmt in ("csv", "json", "jsonl")}
    as_json = json.loads(outputs["json"])
    as_jsonl = [json.loads(line) for line in outputs["jsonl"].splitlines()]
    as_csv = pd.read_csv(io.StringIO(outputs["csv"]))
    assert as_json == as_jsonl and len(as_json) == 194
    assert [row["paper_id"] for row in as_json] == as_csv["paper_id"].tolist() == sorted(tables["papers"]["paper_id"])
    empty = {fmt: trends("query", "select paper_id from papers where false", "--processed", str(processed), "-f", fmt).stdout
             for fmt in ("csv", "json", "jsonl")}
    assert empty == {"csv": "paper_id\n", "json": "[]\n", "jsonl": ""}


def test_query_streams_in_batches_across_formats(stored):
    """More rows than one batch: every row arrives once, in order, in each format."""
    processed, _ = stored
    n = store.STREAM_BATCH_ROWS * 2 + 7
    sql = f"select range as i, 'row ' || range as s from range({n})"
    lines = trends("query", sql, "--processed", str(processed), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["i"] for line in lines] == list(range(n))
    assert [row["i"] for row in json.loads(trends("query", sql, "--processed", str(processed), "-f", "json").stdout)] \
        == list(range(n))
    csv_rows = trends("query", sql, "--processed", str(processed), "-f", "csv").stdout.splitlines()
    assert csv_rows[0] == "i,s" and len(csv_rows) == n + 1 and csv_rows[-1] == f"{n - 1},row {n - 1}"
    assert len(trends("query", sql, "--processed", str(processed), "-f", "csv", "--limit", "5").stdout.splitlines()) == 6


def test_query_table_view_is_capped_and_says_so(stored):
    processed, _ = stored
    result = trends("query", "select title from papers", "--processed", str(processed))
    assert "the first 100 rows of 194" in result.stdout and "--limit" in result.stdout
    shown = trends("query", "select title from papers", "--processed", str(processed), "--limit", "3").stdout
    assert "the first 3 rows" in shown
    small = trends("query", "select title from papers limit 5", "--processed", str(processed)).stdout
    assert "5 rows" in small and "the first" not in small


def test_query_memory_stays_flat_for_millions_of_rows(stored, tmp_path):
    """Two million rows as JSON: main a3d431b held them all (and their JSON twice) in memory."""
    processed, _ = stored
    script = (
        "import resource, sys\n"
        "from typer.testing import CliRunner\n"
        "from pipeline.cli import app\n"
        "sql = sys.argv[2]\n"
        "result = CliRunner().invoke(app, ['query', sql, '--processed', sys.argv[1], '-f', 'json'])\n"
        "assert result.exit_code == 0, result.output[-500:]\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    peaks = {}
    for n in (1_000, 2_000_000):
        sql = f"select range as i, 'text number ' || range as s, range * 0.5 as f from range({n})"
        out = subprocess.run([sys.executable, "-c", script, str(processed), sql], capture_output=True, text=True, check=True)
        peaks[n] = int(out.stdout.split()[-1])
    # CliRunner keeps the printed output (about 110 MB here) in memory; the rows themselves must not be
    assert peaks[2_000_000] - peaks[1_000] < 400, peaks
