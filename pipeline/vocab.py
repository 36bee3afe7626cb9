"""Vocabularies kept as data: CSV files in `pipeline/data/`, read through a strict schema.

A vocabulary is edited by people who may never read the code (a new benchmark alias, a metric's
range), so a mistake in it must come back as one line naming the file, the line and the cell,
not as a traceback or, worse, a silently wrong table. Each file has a fixed header; every cell is
parsed by its column's type; blank lines and lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pipeline.errors import UserError

DATA_DIR = Path(__file__).resolve().parent / "data"


class VocabularyError(UserError):
    """A vocabulary file that does not follow its schema; the message names file, line and column."""


@dataclass(frozen=True)
class Column:
    """One column of a vocabulary: its name, how a cell is parsed, and whether it may be empty."""

    name: str
    parse: Callable[[str], object]
    required: bool = True


def text(cell: str) -> str:
    return cell


def boolean(cell: str) -> bool:
    lowered = cell.lower()
    if lowered not in {"true", "false"}:
        raise ValueError(f"expected true or false, got {cell!r}")
    return lowered == "true"


def number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise ValueError(f"expected a number, got {cell!r}") from None


def choice(*allowed: str) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if cell not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {cell!r}")
        return cell
    return parse


Row = tuple[int, dict[str, object]]


def read_rows(content: str, source: str, columns: list[Column]) -> list[Row]:
    """Parse `content` against `columns`: (line number, {column: value}) per data row; empty cells are None."""
    lines = [(n, line) for n, line in enumerate(content.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise VocabularyError(f"{source}: empty (expected a header: {','.join(c.name for c in columns)})")
    header_line, header = lines[0]
    names = [cell.strip() for cell in next(csv.reader([header]))]
    expected = [c.name for c in columns]
    if names != expected:
        raise VocabularyError(f"{source}:{header_line}: header is {','.join(names)}; expected {','.join(expected)}")
    rows: list[Row] = []
    for number_, line in lines[1:]:
        cells = next(csv.reader(io.StringIO(line)))
        if len(cells) != len(columns):
            raise VocabularyError(f"{source}:{number_}: {len(cells)} cells; expected {len(columns)} ({','.join(expected)})")
        row: dict[str, object] = {}
        for column, cell in zip(columns, (c.strip() for c in cells)):
            if not cell:
                if column.required:
                    raise VocabularyError(f"{source}:{number_}: column {column.name} is empty")
                row[column.name] = None
                continue
            try:
                row[column.name] = column.parse(cell)
            except ValueError as exc:
                raise VocabularyError(f"{source}:{number_}: column {column.name}: {exc}") from None
        rows.append((number_, row))
    return rows


def packaged(name: str) -> tuple[str, str]:
    """The text of a vocabulary shipped in the package, and the path to name in errors."""
    return (DATA_DIR / name).read_text(encoding="utf-8"), str(Path("pipeline") / "data" / name)
