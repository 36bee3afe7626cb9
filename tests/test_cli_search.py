"""`trends search` as a user types it, on the real run of the default corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import embed, paper_vectors
from pipeline.cli import app
from pipeline.embed_cache import EmbeddingCache
from pipeline.settings import Settings

runner = CliRunner()
TRENDS = Path(sys.executable).with_name("trends")


@pytest.fixture(scope="module")
def processed(default_run) -> Path:
    return default_run["processed"]


def search(processed: Path, *args: str) -> list[dict]:
    result = runner.invoke(app, ["search", *args, "--processed", str(processed), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_stored_vectors_are_the_runs_embeddings(default_run, processed):
    stored = paper_vectors.read(processed)
    papers = pd.read_parquet(processed / "papers.parquet")
    assert sorted(stored.paper_ids.tolist()) == sorted(papers["paper_id"]) and stored.model == Settings().model
    cache = EmbeddingCache(default_run["cache"] / "embeddings", model_key=stored.model)
    first = papers.iloc[0]
    cached = cache.get_many([embed.text_hash(embed.clean_text(first["title"], first["abstract"]))])
    assert np.array_equal(stored.vectors[stored.rows_for([first["paper_id"]])[0]], next(iter(cached.values())))


def test_search_by_words_finds_the_phrase_first(processed):
    rows = search(processed, "speculative decoding", "--by", "words", "--limit", "5")
    assert len(rows) == 5 and [row["rank"] for row in rows] == [1, 2, 3, 4, 5]
    papers = pd.read_parquet(processed / "papers.parquet").set_index("paper_id")
    for row in rows:
        text = (papers.loc[row["paper_id"], "title"] + " " + papers.loc[row["paper_id"], "abstract"]).lower()
        assert "speculative decoding" in " ".join(text.split())
    assert [row["words"] for row in rows] == sorted((row["words"] for row in rows), reverse=True)
    assert "similarity" not in rows[0]


def test_search_by_meaning_finds_a_paper_from_its_title(processed):
    papers = pd.read_parquet(processed / "papers.parquet")
    title = papers.sort_values("paper_id")["title"].iloc[7]
    rows = search(processed, title, "--by", "meaning", "--limit", "3")
    assert rows[0]["title"] == title and rows[0]["similarity"] > rows[1]["similarity"]
    both = search(processed, title, "--limit", "3")
    assert both[0]["title"] == title and {"similarity", "words"} <= set(both[0])


def test_search_within_a_theme(processed):
    themes = json.loads(runner.invoke(app, ["themes", "--processed", str(processed), "-f", "json"]).stdout)
    theme = themes[0]["theme_id"]
    rows = search(processed, "model", "--by", "words", "--theme", str(theme), "--limit", "50")
    assert rows and {row["theme_id"] for row in rows} == {theme}


def test_search_by_words_with_no_match_says_so(processed):
    result = runner.invoke(app, ["search", "zzzqqq", "--by", "words", "--processed", str(processed)])
    assert result.exit_code == 0 and "no paper has any of the words of 'zzzqqq'" in result.stderr
    assert "0 rows" in result.stdout


def test_search_without_stored_vectors_is_one_line(processed, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(processed, old)
    (old / paper_vectors.FILE_NAME).unlink()
    result = runner.invoke(app, ["search", "decoding", "--processed", str(old)])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no stored paper vectors" in result.stderr and "--by words" in result.stderr
    assert search(old, "decoding", "--by", "words"), "words need no vectors"


def test_search_of_stopwords_only_is_refused(processed):
    result = runner.invoke(app, ["search", " ", "--processed", str(processed)])
    assert result.exit_code == 1 and "nothing to search for" in result.stderr


@pytest.mark.skipif(not TRENDS.exists(), reason="needs the installed `trends` script")
def test_search_by_words_does_not_load_torch(processed):
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom pipeline.cli import app\n"
            f"result = CliRunner().invoke(app, ['search', 'decoding', '--by', 'words', '--processed', {str(processed)!r}])\n"
            "assert result.exit_code == 0, result.output\n"
            "print(sorted(name for name in ('torch', 'sentence_transformers', 'sklearn') if name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
