"""The per-machine cache: what depends only on installed packages, not on a corpus.

The OpenVINO conversion of a model and numba's compiled UMAP code are the same for every project
on a machine, so they live outside the run's cache folder (like Hugging Face's model cache): a
new project, or a cold run with an empty `--cache`, does not convert or compile again.
`LITERATURE_TRENDS_CACHE` moves it; where it cannot be created, the run's cache folder serves.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "LITERATURE_TRENDS_CACHE"


def machine_cache_dir(fallback: Path) -> Path:
    """The machine's cache folder (created), or `fallback` where it cannot be written."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        folder = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(base) / "literature-trends"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return fallback
    return folder if os.access(folder, os.W_OK | os.X_OK) else fallback
