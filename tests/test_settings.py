"""Settings: defaults, a trends.toml, then command-line overrides; a typo or a wrong type is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.settings import Settings, SettingsError, load_settings


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "trends.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_file_then_overrides(tmp_path):
    path = write(tmp_path, '[trends]\ninputs = ["a", "b.csv"]\nseed = 7\nn_themes = 12\n')
    settings = load_settings(path)
    assert settings.inputs == (Path("a"), Path("b.csv")) and settings.seed == 7 and settings.n_themes == 12
    overridden = settings.with_overrides(seed=3, model=None)
    assert overridden.seed == 3 and overridden.model == Settings().model and overridden.n_themes == 12


@pytest.mark.parametrize("line, message", [
    ("sed = 3", r"unknown setting\(s\) sed"),
    ("seed = 'x'", "seed must be a whole number, got 'x'"),
    ("seed = true", "seed must be a whole number, got True"),
    ("recluster = 1", "recluster must be true or false"),
    ("n_themes = 0", "n_themes must be a positive whole number"),
    ("model = 3", "model must be a model name or path"),
    ("seed = ", "not valid TOML"),
])
def test_bad_settings_name_the_file_and_key(tmp_path, line, message):
    path = write(tmp_path, f"[trends]\n{line}\n")
    with pytest.raises(SettingsError, match=message) as info:
        load_settings(path)
    assert str(path) in str(info.value)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")
