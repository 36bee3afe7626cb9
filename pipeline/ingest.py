"""Ingest: turn input files into the `papers`, `appearances` and `warnings` tables.

Three input kinds, chosen by extension and content:

* listing pages (``.txt``): five header lines ending in a page date such as ``Mar 18``, then
  title/abstract lines separated by blank lines;
* tabular records (``.csv``, ``.jsonl``/``.ndjson``/``.json``) with ``title`` and ``abstract`` and
  optional ``id``, ``date``, ``url``, ``venue``/``categories``;
* the arXiv metadata snapshot (JSON Lines whose records carry ``versions``), streamed line by line.

The readers take already-opened byte lines, never paths, so they stay pure and testable; the
orchestrator opens the files. Problems in one record become rows of the ``warnings`` table and never
cost a good neighbour its place. Problems that make a whole input meaningless raise
:class:`InputError` with a one-line message naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime

import pandas as pd

from pipeline import schema

PAGE_SUFFIXES = {".txt"}
CSV_SUFFIXES = {".csv"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
SUPPORTED_SUFFIXES = PAGE_SUFFIXES | CSV_SUFFIXES | JSONL_SUFFIXES

PAGE_HEADER = ("new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community")
PAGE_DATE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2})$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A title is one short line; an abstract is a long one. The gap between them is wide on real pages
# (titles <= 130 chars, abstracts >= 1,350), so one threshold separates them safely.
MAX_TITLE_CHARS = 300
CODE_URL = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)/[^\s)\]}>,;\"']+")


class InputError(ValueError):
    """An input that cannot be read at all; the message names the file (and line)."""


@dataclass(frozen=True)
class Record:
    """One paper as read from one source, before deduplication."""

    title: str
    abstract: str
    source: str
    rank: int
    line: int
    page_date: str | None = None
    published: datetime | None = None
    venue: str | None = None
    url: str | None = None


@dataclass
class Reading:
    """What reading one source gave: its records and the problems found on the way."""

    records: list[Record] = field(default_factory=list)
    warnings: list[tuple[str, int | None, str]] = field(default_factory=list)

    def warn(self, source: str, line: int | None, message: str) -> None:
        self.warnings.append((source, line, message))


# --------------------------------------------------------------------------- text helpers


def normalize_title(title: str) -> str:
    """The form of a title two sources must share to be the same paper."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", title.lower()).split())


def paper_id(title: str) -> str:
    """A stable id: the same title gives the same id on every run and every machine."""
    return hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()[:12]


def find_code_url(abstract: str) -> str | None:
    match = CODE_URL.search(abstract)
    return match.group(0).rstrip(".") if match else None


def decode_lines(source: str, raw_lines: Iterable[bytes], reading: Reading) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, text) pairs, tolerating a bad line instead of losing the file.

    A line that is not UTF-8 is decoded as cp1252 (the usual culprit) and reported; a NUL byte means
    the file is binary, which no reader can use, so it stops the file.
    """
    for number, raw in enumerate(raw_lines, start=1):
        if b"\x00" in raw:
            raise InputError(f"{source}: line {number}: binary data (NUL bytes); not a text file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = raw.decode("cp1252", errors="replace")
            reading.warn(source, number, f"not valid UTF-8 ({exc.reason} at byte {exc.start}); decoded as cp1252")
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield number, text.rstrip("\r\n").rstrip("\r")


# --------------------------------------------------------------------------- listing pages


def read_page(source: str, raw_lines: Iterable[bytes]) -> Reading:
    """Parse one scraped listing page into records with their page date and rank."""
    reading = Reading()
    lines = [(n, text.strip()) for n, text in decode_lines(source, raw_lines, reading) if text.strip()]
    if not lines:
        reading.warn(source, None, "empty file; nothing read")
        return reading
    page_date, body = _split_header(source, lines, reading)
    index = 0
    while index < len(body):
        number, text = body[index]
        following = body[index + 1][1] if index + 1 < len(body) else None
        if _is_title(text) and following is not None and not _is_title(following):
            reading.records.append(
                Record(title=text, abstract=following, source=source, rank=len(reading.records),
                       line=number, page_date=page_date)
            )
            index += 2
        elif _is_title(text):
            reading.warn(source, number, f"title without an abstract, skipped: {text[:80]!r}")
            index += 1
        else:
            reading.warn(source, number, "abstract without a title, skipped")
            index += 1
    return reading


def _split_header(source: str, lines: list[tuple[int, str]], reading: Reading) -> tuple[str | None, list]:
    """Find the page date among the first lines; everything after it is the listing."""
    for position, (_, text) in enumerate(lines[: len(PAGE_HEADER) + 1]):
        if PAGE_DATE.match(text):
            return text, lines[position + 1 :]
        if text not in PAGE_HEADER:
            break
    reading.warn(source, lines[0][0], "no page header with a date (e.g. 'Mar 18'); page date left empty")
    skip = 0
    while skip < len(lines) and lines[skip][1] in PAGE_HEADER:
        skip += 1
    return None, lines[skip:]


def _is_title(text: str) -> bool:
    return len(text) <= MAX_TITLE_CHARS


def page_date_order(page_date: str | None) -> int | None:
    """Sort key for a yearless page date ('Mar 18' -> 318): chronological within one year."""
    if not page_date:
        return None
    match = PAGE_DATE.match(page_date)
    if not match:
        return None
    return (MONTHS.index(match.group(1)[:3]) + 1) * 100 + int(match.group(2))


# --------------------------------------------------------------------------- tabular records


def read_csv(source: str, raw_lines: Iterable[bytes]) -> Reading:
    """Read a CSV with a header row; `title` and `abstract` are required columns."""
    reading = Reading()
    text = "".join(line + "\n" for _, line in decode_lines(source, raw_lines, reading))
    rows = csv.DictReader(io.StringIO(text))
    if rows.fieldnames is None:
        reading.warn(source, None, "empty file; nothing read")
        return reading
    _require_columns(source, [name.strip().lower() for name in rows.fieldnames])
    for row in rows:
        # line_num counts physical lines, so quoted multi-line abstracts keep the right number
        fields = {(key or "").strip().lower(): value for key, value in row.items()}
        _add_tabular(reading, source, rows.line_num, fields)
    return reading


def read_jsonl(source: str, raw_lines: Iterable[bytes]) -> Reading:
    """Read JSON Lines records: generic tabular records or the arXiv metadata snapshot format."""
    reading = Reading()
    checked = False
    for number, text in decode_lines(source, raw_lines, reading):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            reading.warn(source, number, f"not valid JSON ({exc.msg}), skipped")
            continue
        if not isinstance(record, dict):
            reading.warn(source, number, "not a JSON object, skipped")
            continue
        fields = {str(key).lower(): value for key, value in record.items()}
        if not checked:
            _require_columns(source, list(fields))
            checked = True
        if _is_arxiv(fields):
            fields = _arxiv_fields(fields)
        _add_tabular(reading, source, number, fields)
    if not checked:
        reading.warn(source, None, "empty file; nothing read")
    return reading


def _require_columns(source: str, columns: list[str]) -> None:
    missing = [name for name in ("title", "abstract") if name not in columns]
    if missing:
        raise InputError(
            f"{source}: missing required column(s) {', '.join(missing)}; found: {', '.join(columns) or 'none'}"
        )


def _is_arxiv(fields: dict) -> bool:
    return isinstance(fields.get("versions"), list) and "id" in fields


def _arxiv_fields(fields: dict) -> dict:
    """Map an arXiv snapshot record onto the generic fields: first version date, primary category."""
    versions = fields["versions"]
    created = versions[0].get("created") if versions and isinstance(versions[0], dict) else None
    categories = str(fields.get("categories") or "").split()
    return {
        "title": fields.get("title"),
        "abstract": fields.get("abstract"),
        "date": created or fields.get("update_date"),
        "venue": categories[0] if categories else None,
        "url": f"https://arxiv.org/abs/{fields['id']}",
    }


def _add_tabular(reading: Reading, source: str, line: int, fields: dict) -> None:
    title = _clean_cell(fields.get("title"))
    abstract = _clean_cell(fields.get("abstract"))
    if not title or not abstract:
        reading.warn(source, line, f"record without {'a title' if not title else 'an abstract'}, skipped")
        return
    published = None
    raw_date = _clean_cell(fields.get("date") or fields.get("published"))
    if raw_date:
        published = parse_date(raw_date)
        if published is None:
            reading.warn(source, line, f"unreadable date {raw_date!r}; left empty")
    venue = _clean_cell(fields.get("venue")) or _first_category(fields.get("categories"))
    reading.records.append(
        Record(title=title, abstract=abstract, source=source, rank=len(reading.records), line=line,
               published=published, venue=venue, url=_clean_cell(fields.get("url")))
    )


def _clean_cell(value: object) -> str | None:
    """Join hard line wraps (arXiv keeps them) and strip; empty becomes None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = " ".join(str(value).split())
    return text or None


def _first_category(value: object) -> str | None:
    if isinstance(value, list):
        value = " ".join(map(str, value))
    parts = str(value or "").replace(",", " ").split()
    return parts[0] if parts else None


def parse_date(text: str) -> datetime | None:
    """Read a year ('2021'), an ISO date or an RFC 2822 date ('Mon, 2 Apr 2007 19:18:42 GMT')."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return datetime(int(text), 1, 1)
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(text).replace(tzinfo=None)
        except (TypeError, ValueError, IndexError):
            continue
    return None


# --------------------------------------------------------------------------- tables


def reader_for(source: str, first_line: bytes = b"") -> Callable[[str, Iterable[bytes]], Reading]:
    """Choose the reader by extension; a .json file holding one array is not JSON Lines."""
    suffix = "." + source.rsplit(".", 1)[-1].lower() if "." in source else ""
    if suffix in PAGE_SUFFIXES:
        return read_page
    if suffix in CSV_SUFFIXES:
        return read_csv
    if suffix in JSONL_SUFFIXES:
        if first_line.lstrip().startswith(b"["):
            raise InputError(f"{source}: a JSON array; write one JSON object per line (JSON Lines)")
        return read_jsonl
    raise InputError(
        f"{source}: unsupported file type {suffix or '(none)'}; use {', '.join(sorted(SUPPORTED_SUFFIXES))}"
    )


def build_tables(readings: list[Reading]) -> dict[str, pd.DataFrame]:
    """Deduplicate records across sources into `papers`, `appearances` and `warnings`.

    The first record of a title wins (sources are read in sorted order, so this is deterministic);
    a later record with the same title but another abstract is reported, not silently merged.
    """
    records = [record for reading in readings for record in reading.records]
    warnings = [w for reading in readings for w in reading.warnings]
    papers: dict[str, dict] = {}
    appearances: dict[tuple[str, str], dict] = {}
    for record in records:
        pid = paper_id(record.title)
        paper = papers.get(pid)
        if paper is None:
            papers[pid] = paper = _new_paper(pid, record)
        elif record.abstract != paper["abstract"]:
            warnings.append((record.source, record.line,
                             f"same title as {paper['_origin']} but a different abstract; kept the first"))
        _merge_dates(paper, record)
        key = (pid, record.source)
        if key not in appearances:
            appearances[key] = {"paper_id": pid, "source": record.source, "page_date": record.page_date,
                                "rank": record.rank}
    counts = pd.Series([p for (p, _) in appearances]).value_counts() if appearances else pd.Series(dtype=int)
    for pid, paper in papers.items():
        paper["n_appearances"] = int(counts.get(pid, 0))
        paper["first_seen"] = paper.pop("_first_page") or _iso(paper["published"])
        paper.pop("_origin")
    return {
        "papers": schema.conform(pd.DataFrame(list(papers.values())), schema.PAPERS),
        "appearances": schema.conform(pd.DataFrame(list(appearances.values())), schema.APPEARANCES),
        "warnings": schema.conform(pd.DataFrame(warnings, columns=list(schema.WARNINGS)), schema.WARNINGS),
    }


def _new_paper(pid: str, record: Record) -> dict:
    return {
        "paper_id": pid, "title": record.title, "abstract": record.abstract,
        "code_url": find_code_url(record.abstract), "published": record.published,
        "venue": record.venue, "url": record.url,
        "_first_page": None, "_origin": f"{record.source} line {record.line}",
    }


def _merge_dates(paper: dict, record: Record) -> None:
    """Keep the earliest page date and the earliest published date seen for the paper."""
    if record.page_date and (
        paper["_first_page"] is None
        or page_date_order(record.page_date) < page_date_order(paper["_first_page"])
    ):
        paper["_first_page"] = record.page_date
    if record.published and (paper["published"] is None or record.published < paper["published"]):
        paper["published"] = record.published


def _iso(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None
