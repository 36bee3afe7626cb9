"""Store: the DuckDB database and Parquet copies under data/processed/, written atomically.

Every file is first written beside its final name and then moved over it with ``os.replace``,
so a run that fails or is interrupted leaves the previous outputs whole and queryable.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from pipeline import schema

DATABASE_NAME = "trends.duckdb"


class StoreError(RuntimeError):
    """A store problem a user can act on: no database yet, a bad query."""


def database_path(processed_dir: Path) -> Path:
    return Path(processed_dir) / DATABASE_NAME


def write_tables(tables: dict[str, pd.DataFrame], processed_dir: Path) -> Path:
    """Write each table to the database and to `<name>.parquet`; the old files stay until the new are whole."""
    processed_dir = Path(processed_dir)
    processed_dir.mkdir(parents=True, exist_ok=True)
    final_db = database_path(processed_dir)
    staged: list[tuple[Path, Path]] = []
    try:
        tmp_db = _aside(final_db)
        staged.append((tmp_db, final_db))
        with duckdb.connect(str(tmp_db)) as con:
            for name, frame in tables.items():
                frame = schema.conform(frame, schema.TABLES[name]) if name in schema.TABLES else frame
                con.register("frame_view", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame_view')
                con.unregister("frame_view")
                parquet = processed_dir / f"{name}.parquet"
                tmp_parquet = _aside(parquet)
                staged.append((tmp_parquet, parquet))
                con.execute(f"COPY \"{name}\" TO '{tmp_parquet}' (FORMAT parquet)")
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return final_db


def write_atomic(path: Path, content: bytes) -> None:
    """Write one file so a reader sees the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _aside(path)
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _aside(path: Path) -> Path:
    """A unique temporary name in the same folder, so the final rename stays on one filesystem."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


@contextmanager
def connect_read_only(processed_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = database_path(processed_dir)
    if not path.exists():
        raise StoreError(f"no database at {path}; run `trends run` first")
    try:
        # read-only refuses writes to the database; no external access refuses COPY TO / ATTACH / file reads
        con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    except duckdb.Error as exc:
        raise StoreError(f"cannot open {path}: {_first_line(exc)}") from exc
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
            raise StoreError(f"query failed: {_first_line(exc)}") from exc


def read_tables(processed_dir: Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Load stored tables with the contract's dtypes; tables missing from the database come back empty."""
    names = names or list(schema.TABLES)
    with connect_read_only(processed_dir) as con:
        present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        return {
            name: schema.conform(con.execute(f'select * from "{name}"').df(), schema.TABLES[name])
            if name in present else schema.empty(schema.TABLES[name])
            for name in names
        }


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
