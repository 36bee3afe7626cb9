"""The per-machine cache: where conversions and compiled code go, and the fallback."""

from __future__ import annotations

from pipeline.machine_cache import ENV_VAR, machine_cache_dir


def test_the_variable_names_the_folder_and_it_is_created(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "machine"))
    assert machine_cache_dir(tmp_path / "run-cache") == tmp_path / "machine"
    assert (tmp_path / "machine").is_dir()


def test_xdg_cache_home_is_honoured(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert machine_cache_dir(tmp_path / "run-cache") == tmp_path / "literature-trends"


def test_a_place_that_cannot_be_a_folder_falls_back_to_the_run_cache(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "a-file" / "machine"))
    assert machine_cache_dir(tmp_path / "run-cache") == tmp_path / "run-cache"
