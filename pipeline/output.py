"""Print a result as a Rich table, CSV, JSON or JSON Lines: the `--format` of every listing command.

Rows arrive in batches and are written as they come, so a query of ten million rows streams to a
pipe in the memory of one batch. The table is for eyes: it shows the first rows (100 unless a
limit is given) and says how many there were in all.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable
from typing import TextIO, Union

import pandas as pd
import pyarrow as pa
from rich.console import Console
from rich.table import Table

TABLE_ROWS = 100

Batch = Union[pd.DataFrame, pa.RecordBatch]


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def emit(frame: pd.DataFrame, fmt: Format, console: Console | None = None, max_width: int = 80,
         limit: int | None = None) -> int:
    """Write one frame in `fmt`; see `emit_batches`."""
    return emit_batches(list(frame.columns), [frame], fmt, console, max_width, limit)


def emit_batches(columns: list[str], batches: Iterable[Batch], fmt: Format, console: Console | None = None,
                 max_width: int = 80, limit: int | None = None, out: TextIO | None = None) -> int:
    """Write rows to stdout as they arrive, at most `limit` of them; returns the number of rows in all.

    csv and jsonl are for pipes, json is one array (streamed too: one record per line), the table
    shows the first `limit` or TABLE_ROWS rows and counts the rest without keeping them.
    """
    out = out or sys.stdout
    if fmt is Format.table:
        return _print_table(columns, batches, console or Console(), max_width, limit or TABLE_ROWS, limit is not None)
    written = 0
    if fmt is Format.json:
        out.write("[")
    for batch in batches:
        if limit is not None and written >= limit:
            break
        frame = _frame(batch)
        if limit is not None:
            frame = frame.head(limit - written)
        if fmt is Format.csv:
            frame.to_csv(out, index=False, header=written == 0)
        elif len(frame):  # one record per line; a newline inside a value is escaped, so lines split records
            lines = frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False).rstrip("\n")
            if fmt is Format.json:
                out.write(("\n" if written == 0 else ",\n") + lines.replace("\n", ",\n"))
            else:
                out.write(lines + "\n")
        written += len(frame)
    if fmt is Format.csv and written == 0:
        out.write(",".join(_csv_name(name) for name in columns) + "\n")
    if fmt is Format.json:
        out.write("\n]\n" if written else "]\n")
    out.flush()
    return written


def _print_table(columns: list[str], batches: Iterable[Batch], console: Console, max_width: int, shown: int,
                 asked: bool) -> int:
    head: list[pd.DataFrame] = []
    total = 0
    for batch in batches:
        if total < shown:
            head.append(_frame(batch).head(shown - total))
        total += len(batch)
        if asked and total >= shown:
            break  # the user chose how many rows; do not run the rest of the query to count them
    frame = pd.concat(head, ignore_index=True) if head else pd.DataFrame(columns=columns)
    table = rich_table(frame, max_width)
    if total > len(frame):
        table.caption = (f"the first {len(frame):,} rows" + ("" if asked else f" of {total:,}") +
                         "; more with --limit N, all with -f csv")
    console.print(table)
    return total


def _frame(batch: Batch) -> pd.DataFrame:
    return batch if isinstance(batch, pd.DataFrame) else batch.to_pandas()


def _csv_name(name: str) -> str:
    return f'"{name}"' if any(char in name for char in ',"\n') else name


def rich_table(frame: pd.DataFrame, max_width: int = 80) -> Table:
    table = Table(show_lines=False, header_style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold", max_width=max_width)
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(value) for value in row))
    table.caption = f"{len(frame)} row{'s' if len(frame) != 1 else ''}"
    return table


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
