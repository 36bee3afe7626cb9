"""Embedding: the packaged model works offline on real abstracts; cleaning; the on-disk cache; the
OpenVINO encoder gives the torch vectors, converts once, and falls back to torch with one line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline import embed, encoders, ingest
from pipeline.embed_cache import EmbeddingCache
from pipeline.encoders import openvino_backend
from pipeline.settings import Settings, SettingsError, load_settings

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


# --------------------------------------------------------------------------- encoders (OpenVINO, torch)

ARXIV = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "arxiv_2025_26.jsonl"


@pytest.fixture(scope="module")
def corpus_texts(abstracts) -> list[str]:
    """Real cleaned texts of every length: all 194 default papers, plus 60 raw-LaTeX arXiv abstracts
    when the shared corpus is present (a quarter of those exceed the 256-token truncation)."""
    readings = [ingest.read_page(p.name, p.read_bytes().splitlines(keepends=True)) for p in sorted(RAW.glob("*.txt"))]
    if ARXIV.exists():
        with ARXIV.open("rb") as handle:
            readings.append(ingest.read_jsonl(ARXIV.name, [next(handle) for _ in range(60)]))
    papers = ingest.build_tables(readings)["papers"]
    return [embed.clean_text(t, a) for t, a in zip(papers["title"], papers["abstract"])]


@pytest.fixture(scope="module")
def conversions(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("encoder-cache")


@pytest.fixture(scope="module")
def openvino_f32(conversions):
    return encoders.load_encoder(embed.DEFAULT_MODEL, "openvino", cache_dir=conversions, warn=pytest.fail)


def test_openvino_tokenizes_exactly_like_sentence_transformers(model, openvino_f32, corpus_texts):
    ours = [ids.tolist() for ids in openvino_f32.token_ids(corpus_texts)]
    theirs = model.tokenizer(corpus_texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
    assert ours == theirs
    assert max(len(ids) for ids in ours) == model.max_seq_length  # truncation is exercised


def test_openvino_f32_gives_the_default_vectors(model, openvino_f32, corpus_texts):
    texts = corpus_texts[::4]  # every length, from both sources
    reference = embed.encode(model, texts)
    fast = openvino_f32.encode(texts)
    assert fast.shape == reference.shape and fast.dtype == np.float32
    assert np.min(np.sum(fast * reference, axis=1)) > 0.99999
    assert np.abs(fast - reference).max() < 1e-5
    assert "openvino" in openvino_f32.description and "f32" in openvino_f32.description


def test_openvino_vectors_do_not_depend_on_the_batch(openvino_f32, corpus_texts):
    """A text padded inside a batch of longer ones gets the vector it gets alone (float noise only)."""
    texts = corpus_texts[:40]
    done: list[int] = []
    batched = openvino_f32.encode(texts, batch_size=16, progress=done.append)
    alone = np.vstack([openvino_f32.encode([text]) for text in texts])
    assert np.abs(batched - alone).max() < 1e-5
    assert done == [16, 32, 40]
    assert openvino_f32.encode([]).shape == (0, 384)


def test_conversion_is_reused_and_keyed_by_model_files(openvino_f32, conversions, tmp_path):
    (converted,) = (conversions / "openvino").glob("*/model.xml")
    stamp = converted.stat().st_mtime_ns
    start = time.perf_counter()
    again = encoders.load_encoder(embed.DEFAULT_MODEL, "auto", cache_dir=conversions, warn=pytest.fail)
    assert time.perf_counter() - start < 10 and converted.stat().st_mtime_ns == stamp
    assert again.description == openvino_f32.description
    copy = _model_copy(tmp_path, changed={"README.md": "another model card"})
    assert openvino_backend.conversion_folder(copy, conversions, "x") != openvino_backend.conversion_folder(
        Path(embed.resolve_model(None)), conversions, "x")


def test_openvino_bf16_is_close_but_cached_apart(conversions, corpus_texts, openvino_f32):
    warnings_seen: list[str] = []
    bf16 = encoders.load_encoder(embed.DEFAULT_MODEL, "openvino-bf16", cache_dir=conversions, warn=warnings_seen.append)
    cosine = np.sum(bf16.encode(corpus_texts[:60]) * openvino_f32.encode(corpus_texts[:60]), axis=1)
    assert cosine.min() > 0.9999
    assert ("bf16" in bf16.description) != bool(warnings_seen)  # bf16 where the CPU has it, else said why not
    assert encoders.vectors_key(embed.DEFAULT_MODEL, "openvino-bf16") != embed.DEFAULT_MODEL
    assert {encoders.vectors_key(embed.DEFAULT_MODEL, name) for name in ("auto", "openvino", "torch")} == {
        embed.DEFAULT_MODEL}


def _model_copy(tmp_path: Path, drop: tuple[str, ...] = (), changed: dict[str, str] | None = None) -> Path:
    """The default model folder linked file by file into tmp_path, some files left out or rewritten."""
    source = Path(embed.resolve_model(None))
    target = tmp_path / "model-copy"
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_file() and str(relative) not in drop:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            if changed and str(relative) in changed:
                (target / relative).write_text(changed[str(relative)])
            else:
                (target / relative).symlink_to(path)
    return target


def test_model_openvino_cannot_take_falls_back_to_torch_with_one_line(tmp_path, abstracts):
    said: list[str] = []
    copy = _model_copy(tmp_path, drop=("tokenizer.json",))
    encoder = encoders.load_encoder(str(copy), "openvino", cache_dir=tmp_path / "cache", warn=said.append)
    assert said == ["model-copy has no tokenizer.json; encoding with torch instead"]
    assert encoder.description.startswith("torch")
    assert encoder.encode(list(abstracts.values())).shape == (4, 384)


def test_missing_openvino_falls_back_to_torch(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "openvino", None)  # as if the package were not installed
    said: list[str] = []
    encoder = encoders.load_encoder(embed.DEFAULT_MODEL, "auto", cache_dir=tmp_path, warn=said.append)
    assert encoder.description.startswith("torch") and len(said) == 1 and "not installed" in said[0]


def test_openvino_telemetry_is_off():
    openvino_backend.import_openvino()
    from openvino.tools.ovc import telemetry_utils

    assert telemetry_utils.tm.__name__.endswith("telemetry_stub")


def test_unknown_encoder_is_a_one_line_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="encoder must be one of auto, openvino, torch, openvino-bf16, got 'onnx'"):
        Settings().with_overrides(encoder="onnx")
    config = tmp_path / "trends.toml"
    config.write_text('[trends]\nencoder = "fast"\n')
    with pytest.raises(SettingsError, match=f"{config}: encoder must be one of"):
        load_settings(config)
