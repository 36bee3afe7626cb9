"""The table renderer: one line per row within the terminal's width, long text cut first, numbers readable."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

from pipeline.output import MIN_WIDTH, Format, TableView, emit, fit_widths
from pipeline.plural import plural


def printed(frame: pd.DataFrame, width: int, **options) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    emit(frame, Format.table, console=console, **options)
    return console.file.getvalue().splitlines()


TITLES = ["Speculative Decoding with Big Little Decoder and a title that goes on for a long while",
          "A" * 150, "Short"]


@pytest.mark.parametrize("width", [80, 100])
def test_rows_are_one_line_within_the_width(width):
    frame = pd.DataFrame({"kind": ["speedup", "reduction", "score"], "value": [34.0, 2000.0, 1.24],
                          "title": TITLES, "text": ["34x faster " * 10, "2000x smaller", "FID of 1.24"]})
    lines = printed(frame, width, view=TableView(wide={"title": 3, "text": 1}))
    assert max(map(len, lines)) <= width
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 3, "one line per row"
    assert "speedup" in body[0] and "reduction" in body[1], "short columns are never cut for long ones"
    assert "2,000" in body[1] and "1.24" in body[2]
    assert "…" in body[0] and "whole values: -f csv or -f json" in " ".join(lines)


def test_a_table_that_fits_is_not_cut():
    lines = printed(pd.DataFrame({"a": ["x"], "b": [1]}), 100)
    assert "…" not in "\n".join(lines) and "1 row" in lines[-1] and "whole values" not in lines[-1]


def test_view_picks_default_columns_and_says_how_many_more():
    frame = pd.DataFrame({"kind": ["a", "b"], "value": [1.0, 2.0], "paper_id": ["p1", "p2"]})
    lines = printed(frame, 100, view=TableView(("kind", "value")))
    assert "paper_id" not in lines[1] and "2 rows; 1 more column: --columns" in " ".join(" ".join(lines).split())
    lines = printed(frame, 100, view=TableView(("kind", "value")), columns=["paper_id"])
    assert "paper_id" in lines[1] and "kind" not in lines[1]


def test_csv_and_json_carry_every_column_unless_asked(capsys):
    frame = pd.DataFrame({"kind": ["a"], "value": [1.0], "paper_id": ["p1"]})
    emit(frame, Format.csv, view=TableView(("kind",)))
    assert capsys.readouterr().out.splitlines()[0] == "kind,value,paper_id"
    emit(frame, Format.csv, view=TableView(("kind",)), columns=["paper_id", "kind"])
    assert capsys.readouterr().out.splitlines() == ["paper_id,kind", "p1,a"]


def test_water_filling_gives_short_wide_columns_what_they_need():
    widths = fit_widths({"kind": 9, "dataset": 8, "title": 120, "text": 60}, {"dataset": 1, "title": 2, "text": 1},
                        budget=80)
    assert widths["kind"] == 9 and widths["dataset"] == 8, "what fits is not cut"
    assert widths["title"] > widths["text"] and sum(widths.values()) <= 80
    crowded = fit_widths({name: 20 for name in "abcdefgh"}, {"a": 1}, budget=40)
    assert sum(crowded.values()) <= 40 and min(crowded.values()) >= MIN_WIDTH


@pytest.mark.parametrize("value, shown", [(1_000_000.0, "1,000,000"), (0.5, "0.5"), (1.23456789, "1.2346"), (99.999, "99.999"), (1234.5, "1,234"),
                                          (1e-7, "1e-07"), (True, "yes")])
def test_cells_read_as_numbers(value, shown):
    lines = printed(pd.DataFrame({"v": [value]}), 100)
    assert shown in lines[3]


def test_long_text_gives_up_its_header_before_short_columns_are_cut():
    frame = pd.DataFrame(columns=["metric", "dataset", "unit", "papers", "best", "best_period", "per_year", "best_paper"])
    lines = printed(frame, 80, view=TableView(wide={"metric": 2, "dataset": 2, "best_paper": 2}))
    header = [cell.strip() for cell in lines[1].strip("┃").split("┃")]
    assert header[2:7] == ["unit", "papers", "best", "best_period", "per_year"], header
    assert max(map(len, lines)) <= 80


def test_columns_that_do_not_fit_are_left_out_rather_than_numbers_cut():
    frame = pd.DataFrame({**{f"n{i}": [123456.0 + i] for i in range(12)}, "title": ["A long title " * 5]})
    lines = printed(frame, 80)
    assert max(map(len, lines)) <= 80
    row = next(line for line in lines if line.startswith("│"))
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    assert cells and all(cell.startswith("123,4") and "…" not in cell for cell in cells), "numbers are whole"
    shown = len(cells)
    assert shown < 13 and f"{plural(13 - shown, 'more column')} did not fit" in " ".join(" ".join(lines).split())
