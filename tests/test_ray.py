"""`--engine ray` gives the tables `--engine local` gives: same papers, themes and claims, and
bit-identical vectors in the same embedding cache format (both engines execute one batch plan).

Each run is cold (its own embedding cache) on the default corpus, on a local 2-CPU Ray cluster.
They share only the machine cache (the OpenVINO conversion, numba's compiled UMAP), as any two runs
on one machine do: it holds no vector.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import store
from pipeline.cli import app
from tests.conftest import RAW_DIR, run_cli

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[distributed]')")


@pytest.fixture(scope="module")
def ray_cluster():
    """A small local cluster; the engine uses a session that is already open instead of starting one."""
    ray.init(num_cpus=2, object_store_memory=300 * 2**20, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def cached_vectors(cache: Path) -> dict[str, np.ndarray]:
    """Every vector in an embedding cache folder, by text hash."""
    vectors: dict[str, np.ndarray] = {}
    for shard in sorted(cache.glob("embeddings/*/shard-*.npz")):
        with np.load(shard) as data:
            vectors.update(zip(data["keys"].tolist(), data["vectors"]))
    return vectors


def run(engine: str, root: Path, cache: Path) -> dict[str, pd.DataFrame]:
    run_cli("run", "--input", str(RAW_DIR), "--engine", engine, "--seed", "7", "--cache", str(cache),
            "--processed", str(root / "processed"), "--reports", str(root / "reports"))
    return store.read_tables(root / "processed", ["papers", "themes", "claims", "run_info"])


def test_ray_engine_gives_the_local_tables(ray_cluster, tmp_path):
    local = run("local", tmp_path / "local", tmp_path / "local-cache")
    assert not (tmp_path / "ray-cache").exists()  # cold: no vector to start from
    distributed = run("ray", tmp_path / "ray", tmp_path / "ray-cache")

    assert len(local["papers"]) == 194 and local["themes"]["theme_id"].nunique() > 5 and len(local["claims"]) > 100
    for table in ("papers", "themes", "claims"):
        pd.testing.assert_frame_equal(distributed[table], local[table], check_exact=True)
    local_vectors, ray_vectors = cached_vectors(tmp_path / "local-cache"), cached_vectors(tmp_path / "ray-cache")
    assert set(ray_vectors) == set(local_vectors) and len(local_vectors) >= 194  # papers and theme-name phrases
    assert all(np.array_equal(ray_vectors[key], local_vectors[key]) for key in local_vectors)
    info = dict(zip(distributed["run_info"]["key"], distributed["run_info"]["value"]))
    assert info["engine"] == "ray (local cluster)" and "engine" not in set(local["run_info"]["key"])


def test_a_cluster_that_is_not_there_is_one_line_before_any_work(tmp_path):
    result = CliRunner().invoke(app, ["run", "--engine", "ray", "--address", "127.0.0.1:1", "--processed",
                                      str(tmp_path / "p"), "--reports", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "no Ray cluster answers at 127.0.0.1:1" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()


def test_ray_missing_says_how_to_install_it(monkeypatch, tmp_path):
    import importlib.util

    from pipeline.settings import Settings, SettingsError, check_run

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name.startswith("ray") else real(name, *a))
    with pytest.raises(SettingsError, match=r"pip install -e '\.\[distributed\]'"):
        check_run(Settings(engine="ray", processed_dir=tmp_path / "p", reports_dir=tmp_path / "r"))
