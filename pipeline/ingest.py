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

import codecs
import csv
import hashlib
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pandas as pd

from pipeline import errors, schema
from pipeline.errors import UserError
from pipeline.plural import plural
from pipeline.safety import safe_href

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


class InputError(UserError, ValueError):
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


# A file that is wrong on every line would otherwise fill the warnings table (and the report) with
# one row per line; past this many, the rest are counted in one closing row.
MAX_WARNINGS_PER_SOURCE = 1000


@dataclass
class Reading:
    """What reading one source gave: its records and the problems found on the way."""

    records: list[Record] = field(default_factory=list)
    warnings: list[tuple[str, int | None, str]] = field(default_factory=list)
    n_unlisted: int = 0
    unreadable: bool = False

    @classmethod
    def of_unreadable(cls, source: str, problem: str) -> "Reading":
        """A source that could not be read at all: no records, one file-level warning saying why."""
        return cls(warnings=[(source, None, f"file skipped: {problem.removeprefix(f'{source}: ')}")], unreadable=True)

    def warn(self, source: str, line: int | None, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS_PER_SOURCE:
            self.warnings.append((source, line, message))
        else:
            self.n_unlisted += 1

    def all_warnings(self) -> list[tuple[str, int | None, str]]:
        """The warnings, with one row counting those past the cap."""
        if not self.n_unlisted:
            return self.warnings
        source = self.warnings[0][0]
        return [*self.warnings, (source, None, f"{self.n_unlisted:,} more warnings in this file are not listed "
                                              f"(the first {MAX_WARNINGS_PER_SOURCE:,} are)")]


# --------------------------------------------------------------------------- text helpers

_ASCII_SEPARATORS = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # invisible; tabs and newlines are whitespace
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")  # json.loads lets "\ud800" through; UTF-8 cannot store it


def normalize_title(title: str) -> str:
    """The form of a title two sources must share to be the same paper.

    Letters, marks and digits of every script are kept (NFKC, case-folded), so Chinese, Russian or
    Arabic titles stay distinct; everything else separates words, invisible format characters (soft
    hyphens, zero-width spaces) vanish, and accents on Latin letters are dropped, because sources
    disagree on them ("Nyström" / "Nystrom"). A title without letters or digits ("∑∞", "???") is
    compared as written, not as the empty string. ASCII titles take the original fast path, which
    gives the same result, so their ids are those of earlier runs.
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    if title.isascii():
        return " ".join(_ASCII_SEPARATORS.sub(" ", title.lower()).split()) or " ".join(folded.split())
    kept: list[str] = []
    after_latin = False
    for char in unicodedata.normalize("NFD", folded):
        kind = unicodedata.category(char)
        if kind[0] == "M":
            if not after_latin:
                kept.append(char)
        elif kind[0] in "LN":
            kept.append(char)
            after_latin = char.isascii() or unicodedata.name(char, "").startswith("LATIN")
        elif kind != "Cf":
            kept.append(" ")
    words = unicodedata.normalize("NFC", "".join(kept)).split()
    return " ".join(words) or " ".join(folded.split())


def paper_id(title: str) -> str:
    """A stable id: the same title gives the same id on every run and every machine."""
    return hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()[:12]


def find_code_url(abstract: str) -> str | None:
    match = CODE_URL.search(abstract)
    return safe_href(match.group(0).rstrip(".")) if match else None


# Magic numbers of the binary files people most often pass by mistake, to name what was given.
_BINARY_KINDS = {b"PK\x03\x04": "a ZIP archive (an .xlsx or .docx?)", b"%PDF": "a PDF", b"\x89PNG": "a PNG image",
                 b"\x1f\x8b": "gzip-compressed (decompress it first)", b"\xff\xd8\xff": "a JPEG image"}
_UTF16_32_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                  (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# How much of a file decides whether it is binary (see _refuse_binary).
BINARY_SNIFF_BYTES = 4096


def decode_lines(source: str, raw_lines: Iterable[bytes], reading: Reading) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, text) pairs, tolerating a bad line instead of losing the file.

    UTF-8 is expected; a UTF-16/32 file (with its byte-order mark) is decoded as such. A line that
    is not UTF-8 is decoded as cp1252 (the usual culprit) and reported. A binary file (a known
    magic number, NUL bytes throughout its start) is refused whole; a stray NUL byte is dropped
    from its line and reported. A lone CR ends a line too (old Mac files).
    """
    raw_lines = iter(raw_lines)
    first = next(raw_lines, b"")
    for bom, encoding in _UTF16_32_BOMS:
        if first.startswith(bom):
            raw_lines, first = _recoded_utf8(itertools.chain([first], raw_lines), encoding, source, reading), None
            break
    head = [first] if first is not None else []
    while sum(map(len, head)) < BINARY_SNIFF_BYTES and (raw := next(raw_lines, None)) is not None:
        head.append(raw)
    _refuse_binary(source, head)
    number = 0
    for raw in itertools.chain(head, raw_lines):
        if b"\x00" in raw:
            raw = raw.replace(b"\x00", b"")
            reading.warn(source, number + 1, "NUL bytes removed from the line")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = raw.decode("cp1252", errors="replace")
            reading.warn(source, number + 1, f"not valid UTF-8 ({exc.reason} at byte {exc.start}); decoded as cp1252")
        if number == 0:
            text = text.removeprefix("\ufeff")
        for part in text.rstrip("\r\n").split("\r"):
            number += 1
            yield number, part


def _refuse_binary(source: str, head: list[bytes]) -> None:
    """Stop at a binary file: a known magic number, or NUL bytes throughout its first kilobytes.

    One NUL in a text file is a damaged line (dropped from it with a warning), not a binary file.
    """
    sniff = b"".join(head)[:BINARY_SNIFF_BYTES]
    kind = next((name for magic, name in _BINARY_KINDS.items() if sniff.startswith(magic)), None)
    nuls = sniff.count(b"\x00")
    if kind or nuls >= 8 or nuls * 10 > len(sniff):
        line = next((number for number, raw in enumerate(head, start=1) if b"\x00" in raw), 1)
        raise InputError(f"{source}: line {line}: binary data{' (NUL bytes)' if nuls else ''}; "
                         f"{kind or 'not a text file'}")


def _recoded_utf8(raw: Iterator[bytes], encoding: str, source: str, reading: Reading) -> Iterator[bytes]:
    """The lines of a UTF-16/32 file re-encoded as UTF-8, decoded incrementally (the file may be large)."""
    reading.warn(source, None, f"{encoding.upper()} text (by its byte-order mark); decoded as such")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""
    for chunk in itertools.chain(raw, [b""]):
        pending += decoder.decode(chunk, final=not chunk)
        *lines, pending = pending.split("\n")
        for line in lines:
            yield (line + "\n").encode("utf-8", errors="replace")
    if pending:
        yield pending.encode("utf-8", errors="replace")


# --------------------------------------------------------------------------- listing pages


def read_page(source: str, raw_lines: Iterable[bytes]) -> Reading:
    """Parse one scraped listing page into records with their page date and rank."""
    reading = Reading()
    lines = [(n, _CONTROL.sub("", text).strip()) for n, text in decode_lines(source, raw_lines, reading)]
    lines = [(n, text) for n, text in lines if text]
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

# A field longer than this is not an abstract (csv's own default limit, 131,072, is below some real ones).
CSV_FIELD_LIMIT = 1_000_000
# A quoted field may span lines; one spanning more than this is an unbalanced quote swallowing records.
CSV_MAX_RECORD_LINES = 200
CSV_DELIMITERS = (",", ";", "\t", "|")
REQUIRED_COLUMNS = ("title", "abstract")


def read_csv(source: str, raw_lines: Iterable[bytes]) -> Reading:
    """Read a CSV with a header row; `title` and `abstract` are required columns.

    Records are parsed one at a time, strictly: a record whose quotes do not balance (a stray `"`
    that would swallow the records after it), that overflows the field limit or that has more
    fields than the header is reported and skipped, and parsing resumes on the line after the one it
    started on, so every well-formed record after it is kept.
    """
    reading = Reading()
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    lines = _Lines(decode_lines(source, raw_lines, reading))
    first = lines.next()
    while first is not None and not first[1].strip():
        first = lines.next()
    if first is None:
        reading.warn(source, None, "empty file; nothing read")
        return reading
    delimiter = _delimiter(first[1])
    lines.push_back([first])
    _, header, problem = _next_csv_record(lines, delimiter, width=None)
    if problem:
        raise InputError(f"{source}: line {first[0]}: the header row is not valid CSV ({problem})")
    columns = [name.strip().lower() for name in header]
    _require_columns(source, columns)
    while (record := _next_csv_record(lines, delimiter, width=len(columns))) is not None:
        line, row, problem = record
        if problem:
            reading.warn(source, line, f"not valid CSV ({problem}); skipped, reading on from the next line")
        elif len(_without_empty_tail(row)) > len(columns):
            reading.warn(source, line, f"{len(row)} fields but the header has {len(columns)} (an unquoted "
                                       "delimiter?); skipped")
        else:
            if len(row) < len(columns):
                reading.warn(source, line, f"{plural(len(row), 'field')} but the header has {len(columns)}; "
                                           "the missing ones are left empty")
            _add_tabular(reading, source, line, dict(zip(columns, row)))
    return reading


class _Lines:
    """Numbered lines with push-back, so a failed record can be re-read from its second line."""

    def __init__(self, numbered: Iterator[tuple[int, str]]) -> None:
        self._numbered = numbered
        self._back: list[tuple[int, str]] = []

    def next(self) -> tuple[int, str] | None:
        if self._back:
            return self._back.pop()
        return next(self._numbered, None)

    def push_back(self, items: list[tuple[int, str]]) -> None:
        self._back.extend(reversed(items))


class _RecordTooLong(Exception):
    pass


def _next_csv_record(lines: _Lines, delimiter: str, width: int | None) -> tuple[int, list[str], str | None] | None:
    """The next non-blank record as (start line, fields, problem), or None at the end of the file.

    A record over several lines with another number of fields than `width` is a quote that
    swallowed the lines after it (writers that quote line breaks write every field), so it is a
    problem like a quote that never closes.
    """
    while True:
        consumed: list[tuple[int, str]] = []

        def feed() -> Iterator[str]:
            while (item := lines.next()) is not None:
                consumed.append(item)
                if len(consumed) > CSV_MAX_RECORD_LINES:
                    raise _RecordTooLong
                yield item[1] + "\n"

        try:
            row = next(csv.reader(feed(), delimiter=delimiter, strict=True), None)
        except (csv.Error, _RecordTooLong) as exc:
            lines.push_back(consumed[1:])
            problem = (f"a quoted field runs over more than {CSV_MAX_RECORD_LINES} lines: an unbalanced quote?"
                       if isinstance(exc, _RecordTooLong) else _csv_problem(str(exc)))
            return consumed[0][0], [], problem
        if row is None:
            return None
        if row and width is not None and len(consumed) > 1 and not len(row) >= width >= len(_without_empty_tail(row)):
            lines.push_back(consumed[1:])
            return consumed[0][0], [], (f"a quoted field runs over {len(consumed)} lines and leaves "
                                        f"{plural(len(row), 'field')}, not {width}: an unbalanced quote?")
        if row:
            return consumed[0][0], row, None


def _without_empty_tail(row: list[str]) -> list[str]:
    """A row without trailing empty fields ("a,b,,"): a spreadsheet's padding, not data."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def _csv_problem(message: str) -> str:
    """csv's messages in a user's words."""
    if "unexpected end of data" in message:
        return "a quote opened on this line is never closed"
    if "expected after" in message:
        return "a quote inside a quoted field is not doubled, or a quote is unbalanced"
    if "field larger than field limit" in message:
        return f"a field longer than {CSV_FIELD_LIMIT:,} characters"
    return message


def _delimiter(header: str) -> str:
    """Comma, unless the header only makes sense split by another common delimiter."""
    for delimiter in CSV_DELIMITERS:
        names = {name.strip().strip('"').lower() for name in header.split(delimiter)}
        if set(REQUIRED_COLUMNS) <= names:
            return delimiter
    return ","


def read_jsonl(source: str, raw_lines: Iterable[bytes]) -> Reading:
    """Read JSON Lines records: generic tabular records or the arXiv metadata snapshot format.

    A record without a title or an abstract is skipped with a warning like any other bad line; only
    a file in which no record has both (the wrong kind of file) is a problem of the whole file.
    """
    reading = Reading()
    objects, keys_seen = 0, set()
    for number, text in decode_lines(source, raw_lines, reading):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            reading.warn(source, number, f"not valid JSON ({exc.msg} at column {exc.colno}), skipped")
            continue
        except RecursionError:
            reading.warn(source, number, "JSON nested too deeply to read, skipped")
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            reading.warn(source, number, f"not readable JSON ({errors.first_line(exc)}), skipped")
            continue
        if not isinstance(record, dict):
            reading.warn(source, number, f"a JSON {type(record).__name__}, not an object, skipped")
            continue
        fields = {str(key).lower(): value for key, value in record.items()}
        objects += 1
        if len(keys_seen) < 50:
            keys_seen.update(list(fields)[:50])
        if _is_arxiv(fields):
            fields = _arxiv_fields(fields)
        _add_tabular(reading, source, number, fields)
    if not objects:
        reading.warn(source, None, "empty file; nothing read")
    elif not reading.records and not any(name in keys_seen for name in REQUIRED_COLUMNS):
        _require_columns(source, sorted(keys_seen))
    return reading


def _require_columns(source: str, columns: list[str]) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise InputError(
            f"{source}: missing required column(s) {', '.join(missing)}; found: {', '.join(columns) or 'none'}"
        )


ARXIV_ID = re.compile(r"[A-Za-z.-]*/?\d{4,7}(?:\.\d{4,5})?(?:v\d+)?")  # 2501.01234, hep-th/9901001


def _is_arxiv(fields: dict) -> bool:
    return isinstance(fields.get("versions"), list) and "id" in fields


def _arxiv_fields(fields: dict) -> dict:
    """Map an arXiv snapshot record onto the generic fields: first version date, primary category."""
    versions = fields["versions"]
    created = versions[0].get("created") if versions and isinstance(versions[0], dict) else None
    categories = str(fields.get("categories") or "").split()
    arxiv_id = fields["id"]
    return {
        "title": fields.get("title"),
        "abstract": fields.get("abstract"),
        "date": created or fields.get("update_date"),
        "venue": categories[0] if categories else None,
        "url": f"https://arxiv.org/abs/{arxiv_id}" if ARXIV_ID.fullmatch(str(arxiv_id)) else None,
    }


def _add_tabular(reading: Reading, source: str, line: int, fields: dict) -> None:
    problems: list[str] = []
    title = _clean_cell(fields.get("title"), "title", problems)
    abstract = _clean_cell(fields.get("abstract"), "abstract", problems)
    if not title or not abstract:
        missing = "a title" if not title else "an abstract"
        reading.warn(source, line, f"record without {missing}{_also(problems)}, skipped")
        return
    published = None
    raw_date = _clean_cell(fields.get("date") or fields.get("published"), "date", problems)
    if raw_date:
        published, why = parse_date(raw_date)
        if why:
            problems.append(why)
    venue = _clean_cell(fields.get("venue"), "venue", problems) or _first_category(fields.get("categories"))
    raw_url = _clean_cell(fields.get("url"), "url", problems)
    url = safe_href(raw_url)
    if raw_url and url is None:
        problems.append(f"url {_shorten(raw_url)} is not an http(s) link; dropped")
    for problem in problems:
        reading.warn(source, line, problem)
    reading.records.append(
        Record(title=title, abstract=abstract, source=source, rank=len(reading.records), line=line,
               published=published, venue=venue, url=url)
    )


def _also(problems: list[str]) -> str:
    return f" ({'; '.join(problems)})" if problems else ""


def _clean_cell(value: object, name: str, problems: list[str]) -> str | None:
    """A field as one line of text: hard wraps joined (arXiv keeps them), control characters
    dropped, unpaired surrogates (which no file can store) replaced; empty becomes None.

    Numbers are accepted as text (a title "1984"); lists, objects and booleans are not.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not isinstance(value, (str, int, float)):
        problems.append(f"{name} is a JSON {'array' if isinstance(value, list) else 'object'}, not text; ignored")
        return None
    text = str(value)
    if _LONE_SURROGATE.search(text):
        problems.append(f"{name} has an unpaired surrogate code point (invalid Unicode); replaced with U+FFFD")
        text = _LONE_SURROGATE.sub("\ufffd", text)
    text = " ".join(_CONTROL.sub("", text).split())
    return text or None


def _shorten(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _first_category(value: object) -> str | None:
    if isinstance(value, list):
        value = " ".join(map(str, value))
    parts = str(value or "").replace(",", " ").split()
    return parts[0] if parts else None


# Dates outside these years are typos or placeholders (0000, 9999); kept, they would stretch every trend axis.
EARLIEST_YEAR = 1000


def parse_date(text: str) -> tuple[datetime | None, str | None]:
    """A year ('2021'), an ISO date or an RFC 2822 date ('Mon, 2 Apr 2007 19:18:42 GMT'), in UTC.

    Returns the date and None, or None and why it was left empty.
    """
    text = text.strip()
    parsed = None
    if re.fullmatch(r"[+-]?\d{1,6}", text):
        year = int(text)
        if EARLIEST_YEAR <= year <= datetime.now().year + 1:
            return datetime(year, 1, 1), None
        return None, f"date {text!r} is out of range ({EARLIEST_YEAR}–{datetime.now().year + 1}); left empty"
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            parsed = parse(text)
            break
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    if parsed is None:
        return None, f"unreadable date {_shorten(text)}; left empty"
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(timezone.utc)
        except OverflowError:  # 9999-12-31T23:59+00:00 and the like
            pass
        parsed = parsed.replace(tzinfo=None)
    if not EARLIEST_YEAR <= parsed.year <= datetime.now().year + 1:
        return None, f"date {text!r} is out of range ({EARLIEST_YEAR}–{datetime.now().year + 1}); left empty"
    return parsed, None


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
    warnings = [w for reading in readings for w in reading.all_warnings()]
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
