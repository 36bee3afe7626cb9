"""Run settings: defaults, an optional `trends.toml`, then command-line overrides, in that order.

`check_run` / `check_report` are the one place every setting is checked before any work starts:
values (a negative seed), the machine (a device it does not have, a model that is not there) and
the output folders (a file in the way, no write permission), all problems in one line.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from pipeline.embed import DEFAULT_MODEL
from pipeline.encoders import ENCODERS
from pipeline.engines import ENGINES
from pipeline.errors import UserError

CONFIG_FILE = Path("trends.toml")


class SettingsError(UserError, ValueError):
    """A config file or option a user has to fix; the message names the file and key."""


@dataclass(frozen=True)
class Settings:
    """Everything that decides what a run produces; two runs with equal settings and inputs agree."""

    inputs: tuple[Path, ...] = (Path("data/raw"),)
    processed_dir: Path = Path("data/processed")
    reports_dir: Path = Path("reports")
    cache_dir: Path = Path("data/cache")
    model: str = DEFAULT_MODEL
    device: str = "cpu"
    encoder: str = "auto"
    batch_size: int = 32
    n_themes: int | None = None
    seed: int = 42
    recluster: bool = False
    force: bool = False
    engine: str = "local"  # where the per-paper stages run: this process, or a Ray cluster
    address: str | None = None  # the Ray cluster to join ("auto" or HOST:PORT); None starts a local one

    def with_overrides(self, **overrides: Any) -> "Settings":
        """Apply the options a user actually gave (None means 'not given')."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **_coerce(given, source="command line"))


def load_settings(config_file: Path | None = None) -> Settings:
    """Defaults, updated by `trends.toml` (or the given file) when it exists."""
    path = config_file or CONFIG_FILE
    if not path.exists():
        if config_file is not None:
            raise SettingsError(f"config file not found: {path}")
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    return replace(Settings(), **_coerce(data.get("trends", data), source=str(path)))


# Settings that are not paths: their type as read from TOML, and how to name it in an error.
VALUE_TYPES: dict[str, tuple[type, str]] = {
    "model": (str, "a model name or path (text)"),
    "device": (str, "a device name such as cpu or cuda"),
    "encoder": (str, f"one of {', '.join(ENCODERS)}"),
    "batch_size": (int, "a positive whole number"),
    "n_themes": (int, "a positive whole number"),
    "seed": (int, "a whole number"),
    "recluster": (bool, "true or false"),
    "force": (bool, "true or false"),
    "engine": (str, f"one of {', '.join(ENGINES)}"),
    "address": (str, "auto or HOST:PORT"),
}


def _coerce(values: dict[str, Any], source: str) -> dict[str, Any]:
    """Check names and convert paths, so a typo in a config file is an error, not silently ignored."""
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    out = dict(values)
    for key in ("processed_dir", "reports_dir", "cache_dir"):
        if key in out:
            out[key] = Path(out[key])
    if "inputs" in out:
        items = [out["inputs"]] if isinstance(out["inputs"], (str, Path)) else out["inputs"]
        out["inputs"] = tuple(Path(item) for item in items)
    for key, (kinds, meaning) in VALUE_TYPES.items():
        if key in out and (not isinstance(out[key], kinds) or isinstance(out[key], bool) is not (kinds is bool)):
            raise SettingsError(f"{source}: {key} must be {meaning}, got {out[key]!r}")
    problems = _value_problems(out)
    if problems:
        raise SettingsError(f"{source}: {'; '.join(problems)}")
    return out


# Seeds go to numpy, scikit-learn and openTSNE, some of which add to them or pass them to C as int32.
MAX_SEED = 2**31 - 1


def _value_problems(values: dict[str, Any]) -> list[str]:
    """What is wrong with the values themselves, whatever the machine."""
    problems = []
    for key in ("batch_size", "n_themes"):
        if values.get(key) is not None and values[key] < 1:
            problems.append(f"{key} must be a positive whole number, got {values[key]!r}")
    if values.get("encoder") is not None and values["encoder"] not in ENCODERS:
        problems.append(f"encoder must be one of {', '.join(ENCODERS)}, got {values['encoder']!r}")
    if values.get("engine") is not None and values["engine"] not in ENGINES:
        problems.append(f"engine must be one of {', '.join(ENGINES)}, got {values['engine']!r}")
    if values.get("address") is not None and not _is_address(values["address"]):
        problems.append(f"address must be auto or HOST:PORT (a port from 1 to 65535), got {values['address']!r}")
    if values.get("seed") is not None and not 0 <= values["seed"] <= MAX_SEED:
        problems.append(f"seed must be a whole number from 0 to {MAX_SEED:,}, got {values['seed']!r}")
    return problems


def check_run(settings: Settings) -> None:
    """Everything a run needs, checked before it reads a single input; one line naming every problem."""
    problems = _value_problems(vars(settings))
    ray_gpus = settings.engine == "ray" and settings.device.startswith("cuda")  # the workers' GPUs, checked on joining
    problems += filter(None, [None if ray_gpus else device_problem(settings.device), model_problem(settings.model),
                              engine_problem(settings)])
    problems += _folder_problems(settings, ("processed_dir", "reports_dir", "cache_dir"))
    _raise_if(problems)


def check_report(settings: Settings) -> None:
    """What `trends report` needs: somewhere to write the report."""
    _raise_if(_folder_problems(settings, ("reports_dir",)))


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise SettingsError("; ".join(problems))


def _is_address(address: str) -> bool:
    match = re.fullmatch(r"(?:ray://)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})", address)
    return address == "auto" or (match is not None and 1 <= int(match.group(2)) <= 65535)


def engine_problem(settings: Settings) -> str | None:
    """Why the engine cannot run here, or None; Ray is looked for, not imported (that costs seconds)."""
    if settings.engine != "ray":
        return "--address needs --engine ray" if settings.address is not None else None
    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("ray.data") is None:
        return "--engine ray needs Ray, which is not installed: pip install -e '.[distributed]'"
    return address_problem(settings.address)


def address_problem(address: str | None) -> str | None:
    """Whether anything listens at HOST:PORT (Ray itself would retry for minutes before failing)."""
    if address is None or address == "auto":
        return None
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as error:
        return (f"no Ray cluster answers at {address} ({error.strerror or error}); start one there with "
                "`ray start --head`, or leave out --address to start a local one")
    return None


def device_problem(device: str) -> str | None:
    """Why `device` cannot encode on this machine, or None.

    torch is imported only for a device other than the CPU, so the default run does not pay for it.
    """
    if device == "cpu":
        return None
    import torch

    try:
        kind, index = torch.device(device).type, torch.device(device).index
    except (RuntimeError, TypeError, ValueError):
        return f"device {device!r} is not a device name; use cpu, cuda, cuda:N or mps"
    if kind == "cpu":
        return None
    if kind == "cuda":
        if not torch.cuda.is_available():
            why = ("this torch build has no CUDA support" if torch.version.cuda is None
                   else "no CUDA GPU is visible to torch")
            return f"device {device!r}: CUDA is not available ({why}; torch {torch.__version__}); use --device cpu"
        if index is not None and index >= torch.cuda.device_count():
            return f"device {device!r}: this machine has {torch.cuda.device_count()} CUDA device(s), numbered from 0"
        return None
    if kind == "mps":
        return None if torch.backends.mps.is_available() else (
            f"device {device!r}: MPS (Apple-silicon GPU) is not available on this machine; use --device cpu")
    backend = getattr(torch, kind, None)
    if backend is None or not hasattr(backend, "is_available"):
        return f"device {device!r} cannot encode; use cpu, cuda, cuda:N or mps"
    return None if backend.is_available() else f"device {device!r} is not available on this machine"


def model_problem(model: str) -> str | None:
    """Why `model` cannot be loaded offline, or None: a missing path, a folder that is not a model,
    a hub name that is not in the local Hugging Face cache (nothing is ever downloaded)."""
    from pipeline.embed import ModelError, resolve_model

    try:
        target = Path(resolve_model(model))
    except ModelError as error:
        return str(error)
    if target.is_file():
        return f"embedding model {model!r} is a file; give the model's folder"
    if target.is_dir():
        if not any((target / name).exists() for name in ("modules.json", "config.json")):
            return f"embedding model folder {model!r} has no modules.json or config.json: not a model"
        return None
    from huggingface_hub import try_to_load_from_cache

    for repo in (model, f"sentence-transformers/{model}"):
        try:
            if isinstance(try_to_load_from_cache(repo, "config.json"), str):
                return None
        except ValueError:  # not a valid repository id
            continue
    return (f"embedding model {model!r} is neither a local folder nor in the Hugging Face cache; "
            "nothing is downloaded, so give a local model folder")


FOLDER_LABELS = {"processed_dir": "database folder (--processed)", "reports_dir": "report folder (--reports)",
                 "cache_dir": "cache folder (--cache)"}


def _folder_problems(settings: Settings, keys: tuple[str, ...]) -> list[str]:
    """Each output folder must be a folder, or creatable, and writable."""
    problems = []
    for key in keys:
        folder = Path(getattr(settings, key))
        existing = folder
        while not os.path.lexists(existing) and existing.parent != existing:
            existing = existing.parent
        label = FOLDER_LABELS[key]
        if not existing.is_dir():
            what = "is a file" if existing == folder else f"cannot be created: {existing} is a file"
            problems.append(f"{label} {folder} {what}, not a folder")
        elif not os.access(existing, os.W_OK | os.X_OK):
            what = "is not writable" if existing == folder else f"cannot be created: {existing} is not writable"
            problems.append(f"{label} {folder} {what}")
    return problems
