"""The readers on the real pages and on each kind of bad input a user will feed them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import ingest, schema
from pipeline.run import collect_sources, read_sources


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


def test_binary_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ingest.InputError, match=r"image\.txt: line 3: binary data"):
        read(path)


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


def test_csv_without_abstract_column_is_an_error(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,year\nA paper,2020\n", encoding="utf-8")
    with pytest.raises(ingest.InputError, match=r"titles\.csv: missing required column\(s\) abstract; found: title, year"):
        read(path)


def test_jsonl_corrupt_line_in_the_middle(tmp_path):
    good = [json.dumps({"title": f"Paper {i}", "abstract": f"Abstract {i}.", "date": "2022"}) for i in range(4)]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(good[:2] + ['{"title": "Broken", "abstr'] + good[2:]) + "\n", encoding="utf-8")
    reading = read(path)
    assert [r.title for r in reading.records] == ["Paper 0", "Paper 1", "Paper 2", "Paper 3"]
    [(source, line, message)] = reading.warnings
    assert (source, line) == ("records.jsonl", 3) and "not valid JSON" in message


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


def test_unsupported_file_is_an_error(tmp_path):
    path = tmp_path / "papers.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(ingest.InputError, match=r"papers\.xlsx: unsupported file type \.xlsx"):
        read(path)


def test_folder_reads_supported_files_in_order(tmp_path, raw_pages):
    for page in raw_pages[:2]:
        (tmp_path / page.name).write_bytes(page.read_bytes())
    (tmp_path / "notes.md").write_text("ignored")
    assert [p.name for p in collect_sources((tmp_path,))] == [p.name for p in raw_pages[:2]]


def test_reader_on_bytes_io():
    reading = ingest.read_csv("mem.csv", io.BytesIO(b"title,abstract\nT,A.\n"))
    assert [(r.title, r.abstract, r.line) for r in reading.records] == [("T", "A.", 2)]
