"""Embedding: the packaged model works offline on real abstracts; cleaning; the on-disk cache."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from pipeline import embed, ingest
from pipeline.embed_cache import EmbeddingCache

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SPECULATIVE = ("SpecTr: Fast Speculative Decoding via Optimal Transport",
               "Speculative Decoding with Big Little Decoder")
TIME_SERIES = ("Informer: Beyond Efficient Transformer for Long Sequence Time-Series Forecasting",
               "Autoformer: Decomposition Transformers with Auto-Correlation for Long-Term Series Forecasting")


@pytest.fixture(scope="module")
def model():
    return embed.load_model()


@pytest.fixture(scope="module")
def abstracts() -> dict[str, str]:
    """Cleaned texts of four real papers from the default corpus, by title."""
    readings = [ingest.read_page(p.name, p.read_bytes().splitlines(keepends=True)) for p in sorted(RAW.glob("*.txt"))]
    papers = ingest.build_tables(readings)["papers"].set_index("title")
    return {title: embed.clean_text(title, papers.loc[title, "abstract"]) for title in SPECULATIVE + TIME_SERIES}


def test_default_model_embeds_real_abstracts_offline(model, abstracts, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # the packaged model needs no offline switch
    vectors = embed.encode(model, list(abstracts.values()))
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > max(similarity[0, 2], similarity[0, 3])  # decoding papers together
    assert similarity[2, 3] > max(similarity[2, 0], similarity[2, 1])  # forecasting papers together


def test_encode_restores_input_order_and_reports_progress(model):
    texts = ["a very long text about speculative decoding of large language models " * 5, "time series",
             "image tokenizers", "a medium length text about forecasting demand"]
    done: list[int] = []
    batched = embed.encode(model, texts, batch_size=2, progress=done.append)
    one_by_one = np.vstack([embed.encode(model, [text]) for text in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    assert done == [2, 4]
    assert embed.encode(model, []).shape == (0, 384)


def test_default_names_resolve_to_the_packaged_model():
    packaged = embed.resolve_model(None)
    assert Path(packaged, "config.json").exists()
    assert embed.resolve_model(embed.DEFAULT_MODEL) == packaged
    assert embed.resolve_model("sentence-transformers/all-MiniLM-L6-v2") == packaged


@pytest.mark.parametrize("name", ["no-such-model-xyz", "someone/no-such-model", "./missing/model/dir"])
def test_unknown_model_fails_fast_naming_it(name):
    start = time.perf_counter()
    with pytest.raises(embed.ModelError, match=name.replace(".", r"\.")):
        embed.load_model(name)
    assert time.perf_counter() - start < 15  # no network retries


@pytest.mark.parametrize(("abstract", "expected"), [
    ("10times FLOPs reduction and 5times speedup at 256times256", "10× FLOPs reduction and 5× speedup at 256×256"),
    ("a 45\\% gain (\\eg, DINOv2)", "a 45% gain (e.g., DINOv2)"),
    ("runs in $\\mathcal{O}(n)$ time with $\\beta$", "runs in O(n) time with β"),
    ("\\textbf{bold} and \\emph{key} words", "bold and key words"),
    ("hard\nwrapped   lines and employ-\ning", "hard wrapped lines and employing"),
    ("sometimes, at times", "sometimes, at times"),
])
def test_clean_text_removes_scraper_and_latex_residue(abstract, expected):
    assert embed.clean_text("Title ", abstract) == "Title. " + expected


def test_text_hash_is_stable_and_content_sensitive():
    assert embed.text_hash("abc") == embed.text_hash("abc") != embed.text_hash("abd")


def _vectors(keys: list[str]) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {key: rng.standard_normal(8).astype(np.float32) for key in keys}


def test_cache_hits_after_reload_and_misses_changed_text(tmp_path):
    stored = _vectors([embed.text_hash("paper one"), embed.text_hash("paper two")])
    cache = EmbeddingCache(tmp_path, "model-a")
    cache.put_many(stored)
    cache.flush()
    reloaded = EmbeddingCache(tmp_path, "model-a")
    hits = reloaded.get_many([embed.text_hash("paper one"), embed.text_hash("paper one, revised")])
    assert list(hits) == [embed.text_hash("paper one")]
    np.testing.assert_array_equal(hits[embed.text_hash("paper one")], stored[embed.text_hash("paper one")])
    assert EmbeddingCache(tmp_path, "model-b").get_many(list(stored)) == {}  # keyed by model too


def test_cache_appends_shards_and_compacts(tmp_path):
    cache = EmbeddingCache(tmp_path, "model-a", max_shards=3)
    for i in range(5):
        cache.put_many(_vectors([f"key-{i}"]))
        cache.flush()
    assert len(list(cache.folder.glob("*.npz"))) <= 3
    assert len(EmbeddingCache(tmp_path, "model-a")) == 5


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 2], lambda data: b"not a zip" + data[9:]])
def test_damaged_cache_shard_is_reported_and_rebuilt(tmp_path, damage):
    cache = EmbeddingCache(tmp_path, "model-a")
    cache.put_many(_vectors(["kept"]))
    cache.flush()
    cache.put_many(_vectors(["lost"]))
    cache.flush()
    shard = sorted(cache.folder.glob("*.npz"))[-1]
    shard.write_bytes(damage(shard.read_bytes()))
    with pytest.warns(UserWarning, match="damaged"):
        reloaded = EmbeddingCache(tmp_path, "model-a")
        assert list(reloaded.get_many(["kept", "lost"])) == ["kept"]
    reloaded.put_many(_vectors(["lost"]))
    reloaded.flush()
    assert set(EmbeddingCache(tmp_path, "model-a").get_many(["kept", "lost"])) == {"kept", "lost"}
