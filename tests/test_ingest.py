"""The readers on the real pages and on each kind of bad input a user will feed them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import ingest, schema
from pipeline.run import collect_sources, ingest_inputs, read_sources


def read(path: Path) -> ingest.Reading:
    return read_sources([path])[0]


def tables_for(*paths: Path) -> dict[str, pd.DataFrame]:
    return ingest.build_tables(read_sources(list(paths)))


def page_text(raw_pages: list[Path]) -> str:
    return raw_pages[0].read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the real pages


def test_default_corpus_counts(raw_pages):
    tables = tables_for(*raw_pages)
    assert len(tables["papers"]) == 194
    assert len(tables["appearances"]) == 339
    assert tables["warnings"].empty
    assert list(tables["papers"].columns) == list(schema.PAPERS)
    assert tables["papers"]["n_appearances"].sum() == 339


def test_page_dates_ranks_and_first_seen(raw_pages):
    tables = tables_for(*raw_pages)
    apps = tables["appearances"]
    assert set(apps["page_date"]) == {"Mar 11", "Mar 12", "Mar 14", "Mar 18", "Jun 6"}
    first_page = apps[apps["source"] == raw_pages[0].name].sort_values("rank")
    assert first_page["rank"].tolist() == list(range(len(first_page)))
    papers = tables["papers"].set_index("title")
    ecar = papers.loc["E-CAR: Efficient Continuous Autoregressive Image Generation via Multistage Modeling"]
    # It is on the Mar 18 and Mar 12 pages: the earlier date in the year wins.
    assert ecar["n_appearances"] == 2 and ecar["first_seen"] == "Mar 12"


def test_paper_id_is_stable_and_title_normalized():
    assert ingest.paper_id("E-CAR: Efficient  Generation") == ingest.paper_id("e car efficient generation")
    assert ingest.paper_id("A") != ingest.paper_id("B")
    assert len(ingest.paper_id("A")) == 12


def test_ascii_titles_keep_the_ids_stored_databases_use():
    """Ids of earlier runs (main a3d431b): a stored database and its extended themes stay valid."""
    assert ingest.paper_id("E-CAR: Efficient Continuous Autoregressive Image Generation via Multistage Modeling") \
        == "60a808f551ba"
    assert ingest.paper_id("PredFormer: Transformers Are Effective Spatial-Temporal Predictive Learners") \
        == "12bcfd1b67cb"


@pytest.mark.parametrize("titles", [
    ["基于深度学习的图像分割", "基于注意力机制的机器翻译", "大规模语言模型的推理加速"],
    ["Глубокое обучение для сегментации", "Обучение с подкреплением"],
    ["التعلم العميق لتقسيم الصور", "الترجمة الآلية العصبية"],
    ["למידה עמוקה לפילוח תמונות", "תרגום מכונה עצבי"],
    ["深層学習による画像認識", "강화 학습을 이용한 로봇 제어", "गहन शिक्षण द्वारा छवि विभाजन", "Αυτόματη μετάφραση"],
    ["α-Diffusion: Sampling", "β-Diffusion: Sampling", "Diffusion: Sampling"],
    ["∑∞", "∫∂", "🚀🚀", "???", "!!!"],  # no letters at all: compared as written, not all as ""
])
def test_titles_in_every_script_get_distinct_ids(titles):
    assert len({ingest.paper_id(title) for title in titles}) == len(titles)


@pytest.mark.parametrize("first, second", [
    ("Cafe\u0301 Models", "Café Models"),  # NFD and NFC
    ("Ｄｅｅｐ Ｌｅａｒｎｉｎｇ", "Deep Learning"),  # fullwidth
    ("Eﬃcient Transformers", "Efficient Transformers"),  # ligature
    ("Trans\u00adformers Are Fast", "Transformers are fast"),  # soft hyphen
    ("Zero\u200bShot Learning", "ZeroShot learning"),  # zero-width space
    ("Double Nyström Method", "Double Nystrom method"),  # sources disagree on Latin accents
    ("STRASSE IN DEUTSCHLAND", "Straße in Deutschland"),  # case folding, not just lower()
    ("ГЛУБОКОЕ ОБУЧЕНИЕ", "Глубокое обучение"),
])
def test_the_same_title_written_two_ways_is_one_paper(first, second):
    assert ingest.paper_id(first) == ingest.paper_id(second)


def test_cjk_papers_are_not_merged_as_same_title(tmp_path):
    path = tmp_path / "zh.jsonl"
    rows = [{"title": title, "abstract": f"摘要 {i}。"} for i, title in
            enumerate(["基于深度学习的图像分割", "基于注意力机制的机器翻译", "Глубокое обучение", "למידה עמוקה"])]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    tables = tables_for(path)
    assert len(tables["papers"]) == 4 and tables["warnings"].empty


def test_code_url_found(raw_pages):
    papers = tables_for(*raw_pages)["papers"]
    predformer = papers[papers["title"].str.startswith("PredFormer")].iloc[0]
    assert predformer["code_url"] == "https://github.com/yyyujintang/PredFormer"


def test_page_date_order_is_chronological():
    assert ingest.page_date_order("Mar 11") < ingest.page_date_order("Mar 18") < ingest.page_date_order("Jun 6")


# --------------------------------------------------------------------------- bad pages


def test_last_title_without_abstract(tmp_path, raw_pages):
    page = tmp_path / "page.txt"
    page.write_text(page_text(raw_pages).rstrip("\n") + "\n\nA Dangling Title With No Abstract\n", encoding="utf-8")
    reading = read(page)
    assert len(reading.records) == 79
    [(source, line, message)] = reading.warnings
    assert source == "page.txt" and line == 327 and "title without an abstract" in message


def test_missing_abstract_in_the_middle_keeps_neighbours(tmp_path, raw_pages):
    lines = page_text(raw_pages).split("\n")
    del lines[12]  # the first paper's abstract (line 13)
    page = tmp_path / "page.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    reading = read(page)
    assert len(reading.records) == 78
    assert reading.records[0].title.startswith("GenARM")
    assert reading.warnings[0][1] == 11 and "title without an abstract" in reading.warnings[0][2]


def test_crlf_and_extra_blank_lines(tmp_path, raw_pages):
    text = page_text(raw_pages).replace("\n\n", "\n\n\n\n").replace("\n", "\r\n")
    page = tmp_path / "page.txt"
    page.write_bytes(text.encode("utf-8"))
    reading = read(page)
    assert len(reading.records) == 79 and not reading.warnings
    assert not reading.records[0].abstract.endswith("\r")
    assert reading.records[0].page_date == "Mar 18"


def test_page_without_header(tmp_path, raw_pages):
    body = page_text(raw_pages).split("Mar 18\n", 1)[1]
    page = tmp_path / "noheader.txt"
    page.write_text(body, encoding="utf-8")
    reading = read(page)
    assert len(reading.records) == 79
    assert all(r.page_date is None for r in reading.records)
    assert "no page header" in reading.warnings[0][2]


@pytest.mark.parametrize("name", ["empty.txt", "empty.csv", "empty.jsonl"])
def test_empty_file_warns(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    reading = read(path)
    assert reading.records == [] and "empty file" in reading.warnings[0][2]


def test_binary_file_is_skipped_naming_it_and_the_others_are_read(tmp_path, raw_pages):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    good = tmp_path / raw_pages[0].name
    good.write_bytes(raw_pages[0].read_bytes())
    bad, page = read_sources([tmp_path / "image.txt", good])
    assert bad.unreadable and bad.records == []
    [(source, line, message)] = bad.warnings
    assert (source, line) == ("image.txt", None)
    assert message.startswith("file skipped: line 3: binary data") and "PNG" in message
    assert len(page.records) == 79
    assert len(ingest_inputs([tmp_path / "image.txt", good])["papers"]) == 79


def test_only_unreadable_files_is_one_error_naming_them(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"PK\x03\x04\x00\x00 an xlsx renamed")
    (tmp_path / "b.csv").write_text("name,year\nx,2020\n", encoding="utf-8")
    with pytest.raises(ingest.InputError) as info:
        ingest_inputs([tmp_path / "a.csv", tmp_path / "b.csv"])
    message = str(info.value)
    assert "\n" not in message and "a.csv: file skipped: line 1: binary data" in message and "ZIP" in message
    assert "b.csv: file skipped: missing required column(s) title, abstract" in message


def test_late_nul_bytes_cost_one_line_not_the_file(tmp_path, raw_pages):
    data = raw_pages[0].read_bytes()
    cut = data.index(b"\n", 6000)  # well past the first 4 KB, inside an abstract
    path = tmp_path / "page.txt"
    path.write_bytes(data[:cut] + b"\x00\x00" + data[cut:])
    reading = read(path)
    assert len(reading.records) == 79 and not reading.unreadable
    [(_, line, message)] = reading.warnings
    assert "NUL bytes removed" in message and line > 5


def test_non_utf8_line_is_decoded_and_reported(tmp_path, raw_pages):
    text = page_text(raw_pages).replace("Recent advances", "R\xe9cent advances", 1)
    page = tmp_path / "latin1.txt"
    page.write_bytes(text.encode("latin-1"))
    reading = read(page)
    assert len(reading.records) == 79
    assert reading.records[0].abstract.startswith("Récent advances")
    assert reading.warnings == [("latin1.txt", 13, reading.warnings[0][2])]
    assert "not valid UTF-8" in reading.warnings[0][2]


def test_same_title_two_abstracts_keeps_first_and_warns(tmp_path):
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
    abstract = "An abstract long enough to be an abstract. " * 10
    (tmp_path / "a.txt").write_text(header + "Mar 1\n\nSame Title\n\n" + abstract + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(header + "Mar 2\n\nSame title\n\n" + abstract + "Changed.\n", encoding="utf-8")
    tables = tables_for(tmp_path / "a.txt", tmp_path / "b.txt")
    assert len(tables["papers"]) == 1 and len(tables["appearances"]) == 2
    assert tables["papers"]["abstract"][0] == abstract.strip()
    [warning] = tables["warnings"].to_dict("records")
    assert warning["source"] == "b.txt" and warning["line"] == 11
    assert "a.txt line 11" in warning["message"]


# --------------------------------------------------------------------------- tabular inputs


def test_csv_reader_keeps_dates_venue_url(tmp_path):
    path = tmp_path / "papers.csv"
    path.write_text(
        'title,abstract,date,venue,url\n'
        'Paper One,"An abstract, with a comma\nand a line break.",2021-05-03,ICML,https://x.org/1\n'
        'Paper Two,,2020,NeurIPS,\n'
        'Paper Three,Another abstract.,2019,ACL,\n',
        encoding="utf-8",
    )
    tables = tables_for(path)
    papers = tables["papers"].set_index("title")
    assert list(papers.index) == ["Paper One", "Paper Three"]
    assert papers.loc["Paper One", "abstract"] == "An abstract, with a comma and a line break."
    assert papers.loc["Paper One", "published"] == pd.Timestamp("2021-05-03")
    assert papers.loc["Paper One", "venue"] == "ICML" and papers.loc["Paper One", "url"] == "https://x.org/1"
    assert papers.loc["Paper Three", "first_seen"] == "2019-01-01"
    assert tables["appearances"]["page_date"].isna().all()
    [warning] = tables["warnings"].to_dict("records")
    assert warning["line"] == 4 and "record without an abstract" in warning["message"]


def test_csv_without_abstract_column_is_skipped_naming_the_columns(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,year\nA paper,2020\n", encoding="utf-8")
    [(_, _, message)] = read(path).warnings
    assert message == "file skipped: missing required column(s) abstract; found: title, year"


def csv_file(tmp_path: Path, body: str, name: str = "papers.csv") -> Path:
    path = tmp_path / name
    path.write_text("title,abstract,date\n" + body, encoding="utf-8")
    return path


GOOD_ROWS = 'Paper A,"Abstract A, with a comma.",2021\nPaper B,Abstract B.,2022\n'


@pytest.mark.parametrize("bad, where", [
    ('Broken,"an abstract whose quote never closes,2020\n', "quote is unbalanced"),
    ('Broken,"an abstract with "inner" quotes,2020\n', "quote inside a quoted field is not doubled"),
])
def test_csv_unbalanced_quote_is_reported_and_does_not_swallow_records(tmp_path, bad, where):
    path = csv_file(tmp_path, "Paper 0,Abstract 0.,2020\n" + bad + GOOD_ROWS + 'Paper C,"Abstract C\nover two lines.",2023\n')
    reading = read(path)
    assert [r.title for r in reading.records] == ["Paper 0", "Paper A", "Paper B", "Paper C"]
    assert reading.records[3].abstract == "Abstract C over two lines." and reading.records[3].line == 6
    [(_, line, message)] = reading.warnings
    assert line == 3 and where in message and "skipped" in message


def test_csv_unbalanced_quote_in_the_last_record(tmp_path):
    reading = read(csv_file(tmp_path, GOOD_ROWS + 'Last,"never closed\nand more text\n'))
    assert [r.title for r in reading.records] == ["Paper A", "Paper B"]
    assert reading.warnings[0][1] == 4 and "never closed" in reading.warnings[0][2]
    assert all(line >= 4 for _, line, _ in reading.warnings)


def test_csv_ragged_rows(tmp_path):
    reading = read(csv_file(tmp_path, GOOD_ROWS + "Shifted, because, of commas,2020\nShort,Only two fields.\n"
                                      "Trailing,Commas are fine.,2020,,\n"))
    assert [r.title for r in reading.records] == ["Paper A", "Paper B", "Short", "Trailing"]
    messages = {line: message for _, line, message in reading.warnings}
    assert "4 fields but the header has 3" in messages[4] and "skipped" in messages[4]
    assert "2 fields but the header has 3" in messages[5] and "left empty" in messages[5]
    assert 6 not in messages


def test_csv_huge_fields(tmp_path):
    long_abstract = "word " * 40_000  # 200,000 characters: over csv's own limit, under ours
    huge = "x" * (ingest.CSV_FIELD_LIMIT + 10)
    reading = read(csv_file(tmp_path, f'Long,"{long_abstract}",2020\nHuge,"{huge}",2020\n' + GOOD_ROWS))
    assert [r.title for r in reading.records] == ["Long", "Paper A", "Paper B"]
    [(_, line, message)] = reading.warnings
    assert line == 3 and "longer than 1,000,000 characters" in message


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_another_delimiter(tmp_path, delimiter):
    path = tmp_path / "semi.csv"
    path.write_text(f"title{delimiter}abstract\nA paper{delimiter}An abstract, with a comma.\n", encoding="utf-8")
    assert [(r.title, r.abstract) for r in read(path).records] == [("A paper", "An abstract, with a comma.")]


def test_cr_only_line_endings(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"title,abstract\rPaper A,Abstract A.\rPaper B,Abstract B.\r")
    reading = read(path)
    assert [(r.title, r.line) for r in reading.records] == [("Paper A", 2), ("Paper B", 3)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "excel.csv"
    text = "title,abstract\n基于深度学习,摘要。\nDéjà vu,An abstract.\n"
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((bom + text).encode(encoding))
    reading = read(path)
    assert [(r.title, r.abstract) for r in reading.records] == [("基于深度学习", "摘要。"), ("Déjà vu", "An abstract.")]
    assert "decoded as such" in reading.warnings[0][2]


def test_dates_out_of_range_are_warnings_not_crashes(tmp_path):
    rows = "".join(f"Paper {i},Abstract {i}.,{date}\n" for i, date in
                   enumerate(["0000", "99999", "9999-12-31", "2021-02-30", "-5", "2021", '"Mon, 2 Apr 2007 19:18:42 GMT"']))
    reading = read(csv_file(tmp_path, rows))
    assert len(reading.records) == 7
    assert [r.published.year if r.published else None for r in reading.records] == [None] * 5 + [2021, 2007]
    assert [line for _, line, _ in reading.warnings] == [2, 3, 4, 5, 6]
    assert "out of range" in reading.warnings[0][2] and "unreadable date" in reading.warnings[3][2]


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "/relative/path", "//host/x"])
def test_urls_without_an_http_scheme_are_dropped_at_ingest(tmp_path, url):
    path = tmp_path / "links.jsonl"
    rows = [{"title": "Bad link", "abstract": "A.", "url": url}, {"title": "Good link", "abstract": "B.", "url": "https://x.org/1"}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    tables = tables_for(path)
    assert tables["papers"].set_index("title")["url"].to_dict() == {"Bad link": None, "Good link": "https://x.org/1"} \
        or tables["papers"].set_index("title")["url"].isna().tolist() == [True, False]
    [(_, line, message)] = tables["warnings"].itertuples(index=False)
    assert line == 1 and "not an http(s) link; dropped" in message


def test_jsonl_corrupt_line_in_the_middle(tmp_path):
    good = [json.dumps({"title": f"Paper {i}", "abstract": f"Abstract {i}.", "date": "2022"}) for i in range(4)]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(good[:2] + ['{"title": "Broken", "abstr'] + good[2:]) + "\n", encoding="utf-8")
    reading = read(path)
    assert [r.title for r in reading.records] == ["Paper 0", "Paper 1", "Paper 2", "Paper 3"]
    [(source, line, message)] = reading.warnings
    assert (source, line) == ("records.jsonl", 3) and "not valid JSON" in message


def jsonl_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_line(i: int) -> str:
    return json.dumps({"title": f"Paper {i}", "abstract": f"Abstract {i}."})


def test_jsonl_first_record_without_abstract_is_a_warning_not_a_refusal(tmp_path):
    reading = read(jsonl_file(tmp_path, [json.dumps({"title": "No abstract"}), good_line(1), good_line(2)]))
    assert [r.title for r in reading.records] == ["Paper 1", "Paper 2"]
    assert reading.warnings == [("records.jsonl", 1, "record without an abstract, skipped")]


def test_jsonl_of_the_wrong_kind_is_skipped_naming_its_keys(tmp_path):
    reading = read(jsonl_file(tmp_path, [json.dumps({"name": "x", "year": 2020})] * 3))
    [(_, line, message)] = reading.warnings
    assert line is None and "missing required column(s) title, abstract; found: name, year" in message


@pytest.mark.parametrize("bad, message", [
    ('{"title": "Deep", "abstract": "A.", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"title": "Big", "abstract": "A.", "n": ' + "9" * 5000 + "}", "not readable JSON"),
    ('[1, 2, 3]', "a JSON list, not an object"),
    ('"just a string"', "a JSON str, not an object"),
    ('{"title": {"text": "T"}, "abstract": "A."}', "title is a JSON object, not text"),
    ('{"title": ["T"], "abstract": "A."}', "title is a JSON array, not text"),
    ('{"title": NaN, "abstract": "A."}', "record without a title"),
    ('{"title": true, "abstract": "A."}', "record without a title"),
])
def test_jsonl_bad_values_are_warnings_and_neighbours_stay(tmp_path, bad, message):
    reading = read(jsonl_file(tmp_path, [good_line(0), bad, good_line(2)]))
    assert [r.title for r in reading.records] == ["Paper 0", "Paper 2"]
    [(_, line, text)] = reading.warnings
    assert line == 2 and message in text


def test_jsonl_text_that_cannot_be_encoded_is_repaired(tmp_path):
    bad = '{"title": "Lone \\ud800 surrogate", "abstract": "Also \\udfff here.", "url": "https://x.org/\\ud83d"}'
    reading = read(jsonl_file(tmp_path, [good_line(0), bad]))
    record = reading.records[1]
    assert record.title == "Lone \ufffd surrogate" and record.abstract == "Also \ufffd here."
    assert all("unpaired surrogate" in message for _, line, message in reading.warnings if line == 2)
    tables = ingest.build_tables([reading])
    assert len(tables["papers"]) == 2  # paper_id hashes the title: it must be encodable


def test_warnings_of_one_file_are_capped_with_a_count(tmp_path):
    lines = [good_line(0)] + ["{broken"] * (ingest.MAX_WARNINGS_PER_SOURCE + 50)
    tables = tables_for(jsonl_file(tmp_path, lines))
    assert len(tables["papers"]) == 1
    assert len(tables["warnings"]) == ingest.MAX_WARNINGS_PER_SOURCE + 1
    assert tables["warnings"]["message"].iloc[-1] == "50 more warnings in this file are not listed (the first 1,000 are)"


def test_conference_sample_keeps_date_and_venue(conference_jsonl):
    records = [json.loads(line) for line in conference_jsonl.read_text().splitlines()]
    tables = tables_for(conference_jsonl)
    papers = tables["papers"]
    assert len(papers) == len({ingest.normalize_title(r["title"]) for r in records})
    first = records[0]
    row = papers[papers["paper_id"] == ingest.paper_id(first["title"])].iloc[0]
    assert row["published"].year == int(first["date"])
    assert row["venue"] == first["venue"] and row["url"] == first["url"]


def test_arxiv_snapshot_format(tmp_path):
    record = {
        "id": "0704.0001", "submitter": "A. Author", "authors": "A. Author",
        "title": "Calculation of prompt diphoton\n  production cross sections",
        "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of $\\gamma\\gamma$ pairs.\n",
        "categories": "hep-ph cs.LG", "update_date": "2008-11-13",
        "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
                     {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"}],
    }
    path = tmp_path / "arxiv-metadata-oai-snapshot.json"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [paper] = tables_for(path)["papers"].to_dict("records")
    assert paper["title"] == "Calculation of prompt diphoton production cross sections"
    assert paper["abstract"].startswith("A fully differential calculation in perturbative quantum chromodynamics is presented")
    assert paper["published"] == pd.Timestamp("2007-04-02 19:18:42")
    assert paper["venue"] == "hep-ph" and paper["url"] == "https://arxiv.org/abs/0704.0001"


def test_arxiv_reader_streams_lines():
    """The reader consumes an iterator of lines: nothing forces the whole snapshot into memory."""
    def lines():
        for i in range(3):
            yield (json.dumps({"id": f"1.{i}", "title": f"T{i}", "abstract": "A.", "versions": []}) + "\n").encode()
    reading = ingest.read_jsonl("snapshot.jsonl", lines())
    assert [r.title for r in reading.records] == ["T0", "T1", "T2"]


# --------------------------------------------------------------------------- sources


def test_missing_input_path_is_an_error(tmp_path):
    with pytest.raises(ingest.InputError, match="input not found: .*nope.csv"):
        collect_sources((tmp_path / "nope.csv",))


def test_unsupported_file_is_skipped_with_a_reason(tmp_path):
    path = tmp_path / "papers.xlsx"
    path.write_bytes(b"x")
    [(source, line, message)] = read(path).warnings
    assert (source, line) == ("papers.xlsx", None) and "unsupported file type .xlsx" in message
    with pytest.raises(ingest.InputError, match=r"no papers found in .*papers\.xlsx.*unsupported file type"):
        ingest_inputs([path])


def test_folder_reads_supported_files_in_order(tmp_path, raw_pages):
    for page in raw_pages[:2]:
        (tmp_path / page.name).write_bytes(page.read_bytes())
    (tmp_path / "notes.md").write_text("ignored")
    assert [p.name for p in collect_sources((tmp_path,))] == [p.name for p in raw_pages[:2]]


def test_reader_on_bytes_io():
    reading = ingest.read_csv("mem.csv", io.BytesIO(b"title,abstract\nT,A.\n"))
    assert [(r.title, r.abstract, r.line) for r in reading.records] == [("T", "A.", 2)]


def test_a_source_that_cannot_be_opened_is_skipped_with_the_cause(tmp_path, raw_pages):
    folder_named_like_a_page = tmp_path / "page.txt"
    folder_named_like_a_page.mkdir()
    bad, good = read_sources([folder_named_like_a_page, raw_pages[0]])
    assert bad.unreadable and bad.warnings == [("page.txt", None, "file skipped: cannot read it (Is a directory)")]
    assert len(good.records) == 79
