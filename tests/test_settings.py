"""Settings: defaults, a trends.toml, then command-line overrides; a typo or a wrong type is an error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.settings import Settings, SettingsError, check_run, load_settings


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


# --------------------------------------------------------------------------- checked before any work


def problems_of(**overrides) -> str:
    with pytest.raises(SettingsError) as info:
        check_run(replace(Settings(), **overrides))
    assert "\n" not in str(info.value)
    return str(info.value)


def test_default_settings_pass(tmp_path):
    check_run(replace(Settings(), processed_dir=tmp_path / "p", reports_dir=tmp_path / "r", cache_dir=tmp_path / "c"))


@pytest.mark.parametrize("overrides, message", [
    ({"seed": -1}, "seed must be a whole number from 0 to 2,147,483,647, got -1"),
    ({"seed": 2**40}, "seed must be a whole number from 0"),
    ({"batch_size": 0}, "batch_size must be a positive whole number"),
    ({"device": "gpu"}, "device 'gpu' is not a device name; use cpu, cuda, cuda:N or mps"),
    ({"device": "cuda:x"}, "device 'cuda:x' is not a device name"),
    ({"model": "./models/does-not-exist"}, "embedding model path './models/does-not-exist' does not exist"),
    ({"model": "some-org/not-in-the-cache-anywhere"}, "neither a local folder nor in the Hugging Face cache"),
])
def test_bad_values_are_named(overrides, message):
    assert message in problems_of(**overrides)


def test_cuda_without_cuda_is_named_as_such():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    message = problems_of(device="cuda")
    assert message.startswith("device 'cuda': CUDA is not available (") and "use --device cpu" in message


def test_mps_off_apple_silicon():
    import torch

    if torch.backends.mps.is_available():
        pytest.skip("this machine has MPS")
    assert "MPS (Apple-silicon GPU) is not available" in problems_of(device="mps")


def test_model_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "empty-model").mkdir()
    assert "has no modules.json or config.json" in problems_of(model=str(tmp_path / "empty-model"))


def test_output_folders_that_are_files(tmp_path):
    (tmp_path / "afile").write_text("x")
    message = problems_of(processed_dir=tmp_path / "afile", reports_dir=tmp_path / "afile" / "reports",
                          cache_dir=tmp_path / "ok")
    assert f"database folder (--processed) {tmp_path / 'afile'} is a file, not a folder" in message
    assert f"report folder (--reports) {tmp_path / 'afile' / 'reports'} cannot be created: {tmp_path / 'afile'} is a file" \
        in message


def test_every_problem_in_one_line(tmp_path):
    message = problems_of(seed=-3, device="gpu", model="./nope")
    assert message.count("; ") >= 2 and "seed" in message and "gpu" in message and "nope" in message


def test_run_checks_settings_before_reading_inputs(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    folders = ["--processed", str(tmp_path / "p"), "--reports", str(tmp_path / "r"), "--cache", str(tmp_path / "c")]
    result = CliRunner().invoke(app, ["run", "--seed", "-1", *folders])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: command line: seed must be a whole number from 0 to 2,147,483,647, got -1"
    result = CliRunner().invoke(app, ["run", "--device", "gpu", "--model", "./nope", *folders])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "device 'gpu'" in result.stderr and "'./nope' does not exist" in result.stderr
    assert "ingest" not in result.stderr
    assert not (tmp_path / "p").exists() and not (tmp_path / "c").exists()
