"""The store: atomic writes and the read-only query path."""

from __future__ import annotations

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
