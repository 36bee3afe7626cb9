"""Property tests of every reader: whatever the bytes, no traceback; whatever surrounds them, no good
record lost.

Good records are written the way tools write them (csv.writer, json.dumps, the listing pages'
layout) and bad lines of every kind are put between them: unbalanced quotes, extra fields, broken
and deeply nested JSON, huge numbers, invalid UTF-8, NUL bytes, values of the wrong type. One
ambiguity is left out on purpose: a stray quote directly followed by a field that *begins* with a
delimiter or a line break is valid CSV with another meaning, so generated texts begin with a letter
or digit, as titles and abstracts do.

Examples are derandomized (the same on every run and in CI); raise `FUZZ_EXAMPLES` to search longer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import string
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import ingest, store
from pipeline.ingest import InputError, Reading
from pipeline.safety import safe_href

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

READERS = {"page.txt": ingest.read_page, "table.csv": ingest.read_csv, "records.jsonl": ingest.read_jsonl}
PAGE_HEADER = b"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 18\n\n"

# Bytes that matter to the readers, mixed with random ones: structure, encodings, line ends.
TOKENS = [b'"', b",", b";", b"\t", b"\n", b"\r\n", b"\r", b"{", b"}", b"[", b"]", b":", b"\\", b"\x00", b"\xff",
          b"\xc3", b"\xe9", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"title", b"abstract", b"url", b"date",
          b"versions", b"id", b'"title"', b'"abstract"', b"javascript:", b"9" * 50, b"NaN", b"null", b"true",
          "深度学习".encode(), "Глубокое".encode(), b"\\ud800", b"\\u0000", b"a" * 400]
noisy_bytes = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8)), max_size=300).map(b"".join),
)


def lines_of(data: bytes) -> list[bytes]:
    return io.BytesIO(data).readlines()


def read_or_refuse(name: str, data: bytes) -> Reading | None:
    """The reader's answer, asserting that a refusal is InputError's one line naming the file."""
    try:
        return READERS[name](name, lines_of(data))
    except InputError as refusal:
        assert str(refusal).startswith(f"{name}: ") and "\n" not in str(refusal)
        return None


@FUZZ
@given(name=st.sampled_from(sorted(READERS)), body=noisy_bytes, with_header=st.booleans())
def test_any_bytes_give_records_and_warnings_never_a_traceback(name, body, with_header):
    header = {"page.txt": PAGE_HEADER, "table.csv": b"title,abstract,date,url\n", "records.jsonl": b""}[name]
    reading = read_or_refuse(name, (header if with_header else b"") + body)
    if reading is None:
        return
    tables = ingest.build_tables([reading])
    for title in tables["papers"]["title"]:
        title.encode("utf-8")  # every stored text can be written to a file
    assert all(isinstance(message, str) and "\n" not in message for _, _, message in reading.warnings)
    assert all(safe_href(url) == url for url in tables["papers"]["url"].dropna())


# --------------------------------------------------------------------------- good records among bad lines

# Titles and abstracts in many scripts, with the characters that break naive writers.
WORD_CHARS = string.ascii_letters + string.digits + "äöüßéèçñøåœæ" + "αβγδλμπσω" + "абвгдежзиклмнопрст" + \
    "的一是不了人我在有他这中大来上" + "אבגדהוזחטי" + "ابتثجحخدذرز" + "अआइईउऊएऐओऔकखग"
PUNCTUATION = ' ,;:"\'()[]{}<>|\\/!?&%$#@*+=-–—…“”«»\t'
first_char = st.sampled_from(WORD_CHARS)
body_text = st.text(alphabet=WORD_CHARS + PUNCTUATION, max_size=120)


@st.composite
def paper(draw, abstract_lines: bool = True) -> tuple[str, str]:
    title = draw(first_char) + draw(body_text)
    abstract = draw(first_char) + draw(st.text(alphabet=WORD_CHARS + PUNCTUATION + ("\n" if abstract_lines else ""),
                                               max_size=600))
    return title, abstract


def as_stored(text: str) -> str:
    return " ".join(text.split())


def assert_kept(reading: Reading, papers: list[tuple[str, str]]) -> None:
    """Every good paper is among the records, text as a reader stores it (hard wraps joined)."""
    got = [(record.title, record.abstract) for record in reading.records]
    for title, abstract in papers:
        assert (as_stored(title), as_stored(abstract)) in got, (title, reading.warnings[:5])


# Lines that are wrong without a quote, and lines with one stray quote. Two stray quotes can close
# each other around good records and leave well-formed CSV (no reader can tell), so an example
# has at most one of the second kind; that one must never swallow the records after it.
BAD_CSV_LINES = st.sampled_from(['Shifted, by, unquoted, commas,2020,more', ',,,,,,,,', "x" * 3000, "only one field",
                                 "x" * 300 + '"' + "y" * 300])  # a quote inside an unquoted field is a character
STRAY_QUOTE_LINES = st.one_of(
    st.sampled_from(['Broken,"an abstract whose quote never closes,2020', 'Broken,"inner "quotes" not doubled",2020',
                     '"']),
    st.text(alphabet='"," abc\\;\t', min_size=1, max_size=40).filter(
        lambda line: line.count('"') % 2 == 1 and (line.startswith('"') or ',"' in line)),  # a quote opening a field
)


@FUZZ
@given(papers=st.lists(paper(), min_size=1, max_size=12), data=st.data(),
       line_end=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_csv_keeps_every_good_record_among_bad_lines(papers, data, line_end, bom):
    rows = []
    for title, abstract in papers:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([title, abstract, "2021"])
        rows.append(buffer.getvalue().rstrip("\n"))
        if data.draw(st.booleans()):
            rows.append(data.draw(BAD_CSV_LINES))
    stray = data.draw(st.none() | st.tuples(st.integers(0, len(rows)), STRAY_QUOTE_LINES))
    if stray:
        rows.insert(*stray)
    text = ("\ufeff" if bom else "") + "title,abstract,date\n" + "\n".join(rows) + "\n"
    reading = ingest.read_csv("table.csv", lines_of(text.replace("\n", line_end).encode("utf-8")))
    assert_kept(reading, papers)
    if stray:
        line = 2 + sum(row.count("\n") + 1 for row in rows[: stray[0]])
        assert line in {line for _, line, _ in reading.warnings}, "the stray quote is reported at its line"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


BAD_JSON_LINES = st.one_of(
    st.sampled_from([
        '{"title": "Broken", "abstr',
        "[1, 2, 3]",
        '"a string"',
        "42",
        "null",
        '{"title": "Deep", "abstract": "x", "meta": ' + nested(50_000) + "}",
        '{"title": "Big", "abstract": "x", "n": ' + "9" * 6000 + "}",
        '{"title": {"nested": "object"}, "abstract": "x"}',
        '{"title": ["a list"], "abstract": "x"}',
        '{"title": NaN, "abstract": "x"}',
        '{"title": "no abstract"}',
        '{"abstract": "no title"}',
        "{}",
    ]),
    st.text(max_size=60).map(lambda text: "{" + text),
)
json_values = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                            children, max_size=4),
                           max_leaves=25)


@FUZZ
@given(papers=st.lists(paper(), min_size=1, max_size=12), data=st.data())
def test_jsonl_keeps_every_good_record_among_bad_lines(papers, data):
    lines = []
    for title, abstract in papers:
        extra = data.draw(st.dictionaries(st.sampled_from(["venue", "meta", "authors", "date", "url", "id"]),
                                          json_values, max_size=3))
        lines.append(json.dumps({**extra, "title": title, "abstract": abstract}, ensure_ascii=data.draw(st.booleans())))
        if data.draw(st.booleans()):
            lines.append(data.draw(BAD_JSON_LINES))
    reading = ingest.read_jsonl("records.jsonl", lines_of("\n".join(lines).encode("utf-8")))
    assert_kept(reading, papers)


@FUZZ
@given(papers=st.lists(paper(), min_size=1, max_size=8), data=st.data())
def test_arxiv_snapshot_records_of_any_shape(papers, data):
    lines = []
    for title, abstract in papers:
        record = {"id": data.draw(st.one_of(st.from_regex(r"\d{4}\.\d{5}", fullmatch=True), json_values)),
                  "title": title, "abstract": abstract,
                  "versions": data.draw(st.lists(json_values | st.fixed_dictionaries({"created": json_values}),
                                                 max_size=3)),
                  "categories": data.draw(json_values), "update_date": data.draw(json_values)}
        lines.append(json.dumps(record))
    reading = ingest.read_jsonl("arxiv.jsonl", lines_of("\n".join(lines).encode("utf-8")))
    assert_kept(reading, papers)
    for record in reading.records:
        assert record.url is None or record.url.startswith("https://arxiv.org/abs/")


PAGE_ABSTRACT_PAD = " Further sentences of the abstract." * 10  # a page's abstracts are long lines
BAD_PAGE_LINES = st.one_of(
    st.sampled_from([b"A dangling title", b"x" * 500, b"caf\xe9 au lait", b"\xff\xfe\xfd", b"\r", b"Mar 19"]),
    st.binary(min_size=1, max_size=50).filter(lambda raw: b"\n" not in raw and b"\x00" not in raw and b"\r" not in raw),
)


@FUZZ
@given(papers=st.lists(paper(abstract_lines=False), min_size=1, max_size=10), data=st.data())
def test_pages_keep_every_good_title_and_abstract_among_bad_lines(papers, data):
    body = b""
    kept = []
    for title, abstract in papers:
        title, abstract = as_stored(title), as_stored(abstract) + PAGE_ABSTRACT_PAD
        kept.append((title, abstract))
        body += f"{title}\n\n{abstract}\n\n".encode("utf-8")
        if data.draw(st.booleans()):
            body += data.draw(BAD_PAGE_LINES) + b"\n\n"
    reading = ingest.read_page("page.txt", lines_of(PAGE_HEADER + body))
    assert_kept(reading, kept)


@FUZZ
@given(papers=st.lists(paper(), min_size=1, max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-32", "cp1252"]),
       line_end=st.sampled_from(["\n", "\r\n", "\r"]))
def test_csv_in_other_encodings(papers, encoding, line_end):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["title", "abstract"])
    writer.writerows(papers)
    text = buffer.getvalue().replace("\n", line_end)
    if encoding == "cp1252":
        try:
            data = text.encode("cp1252")
        except UnicodeEncodeError:
            return  # not representable: a cp1252 file cannot hold these papers
    elif encoding == "utf-16-le-bom":
        data = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    else:
        data = text.encode(encoding)
    reading = ingest.read_csv("table.csv", lines_of(data))
    if encoding == "cp1252" and line_end == "\r":
        return  # one physical line of cp1252 bytes: decoded, but a bare CR inside it cannot be told from a line end
    if encoding == "cp1252":  # cp1252 bytes can form valid UTF-8 by chance ("Ã©"): only the count is certain
        assert len(reading.records) == len(papers)
    else:
        assert_kept(reading, papers)


# --------------------------------------------------------------------------- identity and storage


latin_ascii = st.text(alphabet=string.printable, max_size=80)


@FUZZ
@given(title=latin_ascii)
def test_ascii_titles_keep_their_old_ids(title):
    import hashlib
    import re

    old = " ".join(re.sub(r"[^0-9a-z]+", " ", title.lower()).split())  # main a3d431b's normalization
    if old:
        assert ingest.paper_id(title) == hashlib.sha1(old.encode()).hexdigest()[:12]


@FUZZ
@given(alphabet=st.sampled_from(["абвгдежзиклмнопрстуфхцчшщыэюя", "的一是不了人我在有他这中大来上个国",
                                 "אבגדהוזחטיכלמנסעפצקרשת", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
                                 "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊ가나다라마바사아자차", "αβγδεζηθικλμνξοπρστυφχψω"]), data=st.data())
def test_different_words_in_any_script_are_different_papers(alphabet, data):
    first, second = (data.draw(st.text(alphabet=alphabet + " ", min_size=1, max_size=30)) for _ in range(2))
    if " ".join(first.split()) != " ".join(second.split()):
        assert ingest.paper_id(first) != ingest.paper_id(second)


@FUZZ
@given(title=st.text(min_size=1, max_size=60))
def test_one_title_in_any_normal_form_is_one_paper(title):
    for form in ("NFC", "NFD", "NFKC"):
        assert ingest.paper_id(unicodedata.normalize(form, title)) == ingest.paper_id(title)
    assert ingest.paper_id(f"  {title}  ") == ingest.paper_id(title)


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(st.tuples(st.text(min_size=1, max_size=50), st.text(min_size=1, max_size=200)),
                       min_size=1, max_size=8))
def test_any_text_read_is_stored_and_read_back_unchanged(tmp_path_factory, values):
    lines = [json.dumps({"title": title, "abstract": abstract}) for title, abstract in values]
    reading = ingest.read_jsonl("any.jsonl", lines_of("\n".join(lines).encode("utf-8")))
    tables = ingest.build_tables([reading])
    folder = tmp_path_factory.mktemp("store")
    store.write_tables(tables, folder)
    back = store.read_tables(folder, ["papers"])["papers"]
    assert back["title"].tolist() == tables["papers"]["title"].tolist()
    assert back["abstract"].tolist() == tables["papers"]["abstract"].tolist()
