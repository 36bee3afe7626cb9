"""Print a result table as a Rich table, CSV or JSON: the `--format` of every listing command."""

from __future__ import annotations

import enum
import json
import sys

import pandas as pd
from rich.console import Console
from rich.table import Table


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


def emit(frame: pd.DataFrame, fmt: Format, console: Console | None = None, max_width: int = 80) -> None:
    """Write `frame` to stdout; csv and json are for pipes, the table for eyes."""
    if fmt is Format.csv:
        frame.to_csv(sys.stdout, index=False)
    elif fmt is Format.json:
        records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    else:
        (console or Console()).print(rich_table(frame, max_width))


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
