"""Run settings: defaults, an optional `trends.toml`, then command-line overrides, in that order."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from pipeline.embed import DEFAULT_MODEL
from pipeline.encoders import ENCODERS

CONFIG_FILE = Path("trends.toml")


class SettingsError(ValueError):
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
    if out.get("encoder", ENCODERS[0]) not in ENCODERS:
        raise SettingsError(f"{source}: encoder must be one of {', '.join(ENCODERS)}, got {out['encoder']!r}")
    for key in ("batch_size", "n_themes"):
        if key in out and out[key] < 1:
            raise SettingsError(f"{source}: {key} must be a positive whole number, got {out[key]!r}")
    return out
