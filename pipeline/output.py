"""Print a result as a Rich table, CSV, JSON or JSON Lines: the `--format` of every listing command.

Rows arrive in batches and are written as they come, so a query of ten million rows streams to a
pipe in the memory of one batch. The table is for eyes: it shows the first rows (100 unless a
limit is given), one line per row cut to the terminal's width (long text gives way first, with
"…"), the columns a `TableView` picks unless `--columns` names others, and it says how many rows
there were in all. csv and json carry every column whole.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO, Union

import numpy as np
import pandas as pd
import pyarrow as pa
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from pipeline.errors import UserError
from pipeline.plural import plural

TABLE_ROWS = 100
# The narrowest a column is cut to: room for a few letters and "…".
MIN_WIDTH = 4

Batch = Union[pd.DataFrame, pa.RecordBatch]


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


@dataclass(frozen=True)
class TableView:
    """What a listing shows as a table: its default columns, and how much room each long text column
    takes when the row is too wide for the terminal (weights; the others keep their width)."""

    columns: tuple[str, ...] = ()  # empty: every column
    wide: Mapping[str, float] = field(default_factory=dict)

    def pick(self, present: Sequence[str]) -> list[str]:
        """The default columns among those present (all of them when the view names none present)."""
        chosen = [name for name in self.columns if name in present]
        return chosen or list(present)


class ColumnError(UserError, ValueError):
    """`--columns` names a column the result does not have."""


def choose_columns(present: Sequence[str], asked: Sequence[str] | None) -> list[str] | None:
    """The columns `--columns` asks for, checked against those present; None when not asked."""
    if not asked:
        return None
    unknown = [name for name in asked if name not in present]
    if unknown:
        raise ColumnError(f"--columns: no column {', '.join(map(repr, unknown))} here; choose from {', '.join(present)}")
    return list(dict.fromkeys(asked))


def emit(frame: pd.DataFrame, fmt: Format, console: Console | None = None, limit: int | None = None,
         view: TableView | None = None, columns: Sequence[str] | None = None) -> int:
    """Write one frame in `fmt`, with the `columns` asked for (or the view's in a table); see `emit_batches`."""
    chosen = choose_columns(list(frame.columns), columns)
    if chosen is None and fmt is Format.table:
        chosen = (view or TableView()).pick(list(frame.columns))
    hidden = len(frame.columns) - len(chosen) if chosen is not None and columns is None else 0
    frame = frame[chosen] if chosen is not None else frame
    return emit_batches(list(frame.columns), [frame], fmt, console, limit, view=view, hidden=hidden)


def emit_batches(columns: list[str], batches: Iterable[Batch], fmt: Format, console: Console | None = None,
                 limit: int | None = None, out: TextIO | None = None, view: TableView | None = None,
                 hidden: int = 0) -> int:
    """Write rows to stdout as they arrive, at most `limit` of them; returns the number of rows in all.

    csv and jsonl are for pipes, json is one array (streamed too: one record per line), the table
    shows the first `limit` or TABLE_ROWS rows and counts the rest without keeping them.
    """
    out = out or sys.stdout
    if fmt is Format.table:
        return _print_table(columns, batches, console or Console(), limit or TABLE_ROWS, limit is not None,
                            view or TableView(), hidden)
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


def _print_table(columns: list[str], batches: Iterable[Batch], console: Console, shown: int, asked: bool,
                 view: TableView, hidden: int) -> int:
    head: list[pd.DataFrame] = []
    total = 0
    for batch in batches:
        if total < shown:
            head.append(_frame(batch).head(shown - total))
        total += len(batch)
        if asked and total >= shown:
            break  # the user chose how many rows; do not run the rest of the query to count them
    frame = pd.concat(head, ignore_index=True) if head else pd.DataFrame(columns=columns)
    table, cut, dropped = rich_table(frame, console.width, view.wide)
    notes = [f"the first {plural(len(frame), 'row')}" + ("" if asked else f" of {total:,}") + "; more with --limit N"
             if total > len(frame) else plural(len(frame), "row")]
    if hidden:
        notes.append(f"{plural(hidden, 'more column')}: --columns")
    if dropped:
        notes.append(f"{plural(dropped, 'more column')} did not fit")
    if cut or dropped:
        notes.append(("all of it" if dropped else "whole values") + ": -f csv or -f json")
    table.caption = "; ".join(notes)
    console.print(table)
    return total


def _frame(batch: Batch) -> pd.DataFrame:
    return batch if isinstance(batch, pd.DataFrame) else batch.to_pandas()


def _csv_name(name: str) -> str:
    return f'"{name}"' if any(char in name for char in ',"\n') else name


def rich_table(frame: pd.DataFrame, width: int = 80,
               wide: Mapping[str, float] | None = None) -> tuple[Table, bool, int]:
    """The frame as a table of one line per row that fits in `width`; whether any value was cut, and how
    many columns at the end were left out because even cut to a few letters they would not fit."""
    if not wide:  # no view (`trends query`): text gives way before numbers
        wide = {str(name): 1.0 for name in frame.columns if not _is_numeric(frame[name])}
    cells = {str(name): [_cell(value) for value in frame[name]] for name in frame.columns}
    compact = {name: max([MIN_WIDTH, *map(cell_len, values)]) for name, values in cells.items()}
    kept = _columns_that_fit(list(cells), compact, wide, width)
    dropped = len(cells) - len(kept)
    frame, cells = frame.iloc[:, :len(kept)], {name: cells[name] for name in kept}
    natural = {name: max([cell_len(name), *map(cell_len, values)]) for name, values in cells.items()}
    headers = {name: cell_len(name) for name in cells}
    widths = fit_widths(natural, dict(wide), width - (3 * len(natural) + 1), compact, headers)
    table = Table(header_style="bold")
    for name, column in zip(cells, frame.columns):
        table.add_column(name, justify="right" if _is_numeric(frame[column]) else "left", no_wrap=True, overflow="ellipsis",
                         width=widths[name])
    for row in zip(*cells.values()):
        table.add_row(*row)
    return table, any(widths[name] < natural[name] for name in natural), dropped


def _columns_that_fit(names: list[str], compact: Mapping[str, int], wide: Mapping[str, float], width: int) -> list[str]:
    """The leading columns that fit in `width` with text cut to MIN_WIDTH and no number cut: a number
    shown as "15…" would mislead, a column left out is said in the caption."""
    kept = list(names)
    while len(kept) > 1 and sum(min(compact[name], MIN_WIDTH) if wide.get(name, 0) > 0 else compact[name]
                                for name in kept) + 3 * len(kept) + 1 > width:
        kept.pop()
    return kept


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def fit_widths(natural: dict[str, int], wide: dict[str, float], budget: int,
               compact: dict[str, int] | None = None, floors: dict[str, int] | None = None) -> dict[str, int]:
    """Column widths that sum to at most `budget` (when it allows MIN_WIDTH each).

    Columns keep their natural width while they fit; when they do not, the `wide` ones share what
    the others leave: each first gets its floor (its header, say), then the rest by weight, none
    more than it needs (water-filling), so a short value is never cut to make room for a long one.
    If that is not enough, the wide ones give up their floors (down to MIN_WIDTH), then the others
    shrink to their `compact` width (their values', the header cut), and after that every column
    gives way alike.
    """
    if sum(natural.values()) <= budget:
        return dict(natural)
    flexible = {name: weight for name, weight in wide.items() if name in natural and weight > 0}
    floored = {name: min(natural[name], max(MIN_WIDTH, (floors or {}).get(name, 0))) for name in natural}
    smallest = {name: min(natural[name], MIN_WIDTH) for name in natural}
    for fixed_widths, least in ((natural, floored), (natural, smallest), (compact or natural, smallest)):
        widths = {name: fixed_widths[name] for name in natural if name not in flexible}
        if flexible and budget - sum(widths.values()) >= sum(least[name] for name in flexible):
            break
    else:
        flexible, widths, least = {name: 1.0 for name in natural}, {}, smallest
    widths.update({name: least[name] for name in flexible})
    room = budget - sum(widths.values())
    pending = {name: weight for name, weight in flexible.items() if natural[name] > least[name]}
    while pending and room > 0:
        unit = room / sum(pending.values())
        satisfied = {name for name, weight in pending.items() if natural[name] - widths[name] <= unit * weight}
        if not satisfied:
            for name, weight in pending.items():
                widths[name] += int(unit * weight)
            break
        for name in satisfied:
            room -= natural[name] - widths[name]
            widths[name] = natural[name]
            del pending[name]
    return widths


_SPACES = re.compile(r"\s+")


def _cell(value: object) -> str:
    """A value as one line of text: whole numbers (and any from 1,000) with thousands separators, others
    to five significant digits, which keeps 99.999 apart from 100."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if (value.is_integer() or abs(value) >= 1000) and abs(value) < 1e15 else f"{value:.5g}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else str(value)
    return _SPACES.sub(" ", str(value)).strip()
