"""Store: the DuckDB database and Parquet copies under data/processed/, staged and verified.

The tables are written into files beside their final names (see `pipeline.outputs`), and the new
database is opened again and every table's rows counted before anything replaces the old one: a
full disk or a failed checkpoint of DuckDB's write-ahead log is an error naming the file, never
an empty database renamed into place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import schema
from pipeline.errors import UserError, first_line
from pipeline.outputs import OutputError, StagedOutputs, describe, staged_outputs

DATABASE_NAME = "trends.duckdb"
# Rows per batch when a query streams its result: memory stays flat however many rows there are.
STREAM_BATCH_ROWS = 20_000
READ_ONLY_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False, "lock_configuration": True}


class StoreError(UserError, RuntimeError):
    """A store problem a user can act on: no database yet, a bad query, a damaged file."""


def database_path(processed_dir: Path) -> Path:
    return Path(processed_dir) / DATABASE_NAME


def write_tables(tables: dict[str, pd.DataFrame], processed_dir: Path) -> Path:
    """Write the tables and switch them in at once; the old files stay until the new are verified."""
    with staged_outputs(processed_dir) as outputs:
        stage_tables(tables, processed_dir, outputs)
    return database_path(processed_dir)


def stage_tables(tables: dict[str, pd.DataFrame], processed_dir: Path, outputs: StagedOutputs) -> dict[str, int]:
    """Write the database and one `<name>.parquet` per table aside, verified; returns the row counts."""
    processed_dir = Path(processed_dir)
    final_db = database_path(processed_dir)
    frames = {name: schema.conform(frame, schema.TABLES[name]) if name in schema.TABLES else frame
              for name, frame in tables.items()}
    temp_db = outputs.temp_for(final_db)
    parquets = {name: (outputs.temp_for(processed_dir / f"{name}.parquet"), processed_dir / f"{name}.parquet")
                for name in frames}
    try:
        con = duckdb.connect(str(temp_db))
        try:
            for name, frame in frames.items():
                con.register("frame_view", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame_view')
                con.unregister("frame_view")
                con.execute(f'COPY "{name}" TO {_sql_text(parquets[name][0])} (FORMAT parquet)')
            con.execute("CHECKPOINT")  # the tables must be in the main file, not only in the log
        finally:
            con.close()
    except duckdb.Error as error:
        raise OutputError(f"cannot write {final_db}: {first_line(error)}") from error
    except OSError as error:
        raise OutputError(f"cannot write {final_db}: {describe(error)}") from error
    counts = {name: len(frame) for name, frame in frames.items()}
    _verify(temp_db, final_db, counts, {name: paths for name, paths in parquets.items()})
    return counts


def _verify(temp_db: Path, final_db: Path, counts: dict[str, int], parquets: dict[str, tuple[Path, Path]]) -> None:
    """Open what was written and count every table's rows, in the database and in each Parquet file."""
    wal = temp_db.with_name(temp_db.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise OutputError(f"cannot write {final_db}: its write-ahead log was not checkpointed into the file")
    try:
        with duckdb.connect(str(temp_db), read_only=True) as con:
            present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
            for name, expected in counts.items():
                if name not in present:
                    raise OutputError(f"cannot write {final_db}: table {name} is missing from the written file")
                found = con.execute(f'select count(*) from "{name}"').fetchone()[0]
                if found != expected:
                    raise OutputError(f"cannot write {final_db}: table {name} has {found} rows, not {expected}")
                temp, final = parquets[name]
                found = con.execute(f"select count(*) from read_parquet({_sql_text(temp)})").fetchone()[0]
                if found != expected:
                    raise OutputError(f"cannot write {final}: {found} rows, not {expected}")
    except duckdb.Error as error:
        raise OutputError(f"cannot write {final_db}: the written file does not read back ({first_line(error)})") from error


def _sql_text(path: Path) -> str:
    """A path as an SQL string literal (a folder may be called "it's")."""
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def connect_read_only(processed_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = database_path(processed_dir)
    if not path.exists():
        raise StoreError(f"no database at {path}; run `trends run` first")
    try:
        # read-only refuses writes to the database; no external access refuses COPY TO / ATTACH / file reads
        # and extensions; the locked configuration keeps a query from turning either back on
        con = duckdb.connect(str(path), read_only=True, config=READ_ONLY_CONFIG)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open {path}: {first_line(exc)} (if the file is damaged, "
                         "`trends run --force` rebuilds it from the inputs)") from exc
    try:
        yield con
    finally:
        con.close()


def query(processed_dir: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one SQL statement on the database opened read-only; writes are refused by DuckDB itself."""
    with connect_read_only(processed_dir) as con:
        try:
            return con.execute(sql, params or []).df()
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {first_line(exc)}") from exc


@contextmanager
def stream_query(processed_dir: Path, sql: str, batch_rows: int = STREAM_BATCH_ROWS
                 ) -> Iterator[tuple[list[str], Iterator[pd.DataFrame]]]:
    """Exactly one SQL statement, read-only; yields its column names and its rows in batches.

    DuckDB produces the batches as they are read, so ten million rows cost the memory of one batch.
    """
    with connect_read_only(processed_dir) as con:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {first_line(exc)}") from exc
        if len(statements) != 1:
            raise StoreError("no SQL statement given" if not statements else
                             f"one SQL statement at a time; got {len(statements)} separated by ';'")
        try:
            relation = con.sql(sql)
            if relation is None:  # a statement without a result (SET, PRAGMA, CHECKPOINT)
                yield [], iter(())
                return
            reader = relation.to_arrow_reader(batch_rows)
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {first_line(exc)}") from exc
        yield list(reader.schema.names), _batches(reader)


def _batches(reader) -> Iterator[pd.DataFrame]:
    try:
        for batch in reader:
            yield batch.to_pandas()
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {first_line(exc)}") from exc


def read_tables(processed_dir: Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Load stored tables with the contract's dtypes; tables missing from the database come back empty."""
    names = names or list(schema.TABLES)
    with connect_read_only(processed_dir) as con:
        try:
            present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
            return {
                name: schema.conform(con.execute(f'select * from "{name}"').df(), schema.TABLES[name])
                if name in present else schema.empty(schema.TABLES[name])
                for name in names
            }
        except duckdb.Error as exc:
            raise StoreError(f"cannot read {database_path(processed_dir)}: {first_line(exc)} "
                             "(the file is damaged; `trends run --force` rebuilds it from the inputs)") from exc
