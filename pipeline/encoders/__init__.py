"""Encoders: one model's sentence embeddings from interchangeable runtimes.

`load_encoder` returns an object with `dimension`, `description`, `encode(texts, batch_size,
progress)` and `encode_iter(texts, batch_size)` (batch by batch, as they finish); every backend
tokenizes each text once and encodes length-sorted batches.

Which vectors are the same (benchmarks/encoder_bench.py: 500 arXiv + 500 conference abstracts
against sentence-transformers' own encode): OpenVINO f32 differs by at most 2e-7 per component
(cosine >= 0.9999999; same-seed k-means themes identical, ARI 1.000) - the size of torch's own
differences between batch shapes (1.3e-7) - so it shares the default cache key and is the default
on CPU, for 0.64x the CPU seconds. OpenVINO bf16 (AMX/AVX512-BF16) costs 0.38x of f32 again but
differs by up to 1.6e-3 (cosine >= 0.99997) and that moves papers between k-means themes (ARI 0.98
to 0.99 per corpus, 0.82 on 2,000 arXiv papers, 0.38 on the mixed 1,000), so it is opt-in, lossy,
and cached under its own key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline import embed

ENCODERS = ("auto", "openvino", "torch", "openvino-bf16")
LOSSY_SUFFIX = {"openvino-bf16": "@bf16"}


class Encoder(Protocol):
    dimension: int
    description: str  # runtime, precision and device, for the stage line and the report

    def encode(self, texts: list[str], batch_size: int = 32,
               progress: Callable[[int], None] | None = None) -> np.ndarray: ...

    def encode_iter(self, texts: list[str], batch_size: int = 32) -> Iterator[tuple[np.ndarray, np.ndarray]]: ...


def vectors_key(model: str, encoder: str) -> str:
    """The embedding cache key: the model, plus a suffix for encoders whose vectors differ from it."""
    return model + LOSSY_SUFFIX.get(encoder, "")


def load_encoder(model: str, encoder: str = "auto", device: str = "cpu", cache_dir: Path = Path("data/cache"),
                 warn: Callable[[str], None] = print) -> Encoder:
    """The encoder asked for, falling back to torch (with a one-line warning) where OpenVINO can't run.

    "auto" uses OpenVINO f32 on CPU for a model in a local folder (the default model is one) and
    torch otherwise; OpenVINO conversions are kept under `cache_dir/openvino`.
    """
    if encoder not in ENCODERS:
        raise ValueError(f"encoder must be one of {', '.join(ENCODERS)}, got {encoder!r}")
    target = Path(embed.resolve_model(model))
    if encoder != "torch":
        from pipeline.encoders import openvino_backend

        obstacle = f"device {device!r} is not a CPU" if device != "cpu" else (
            None if target.is_dir() else f"{model!r} is not a local model folder")
        if obstacle is None:
            try:
                return openvino_backend.load(target, cache_dir, "bf16" if encoder == "openvino-bf16" else "f32", warn)
            except openvino_backend.OpenVINOUnavailable as error:
                warn(f"{error}; encoding with torch instead")
        elif encoder != "auto":  # asked for OpenVINO by name: say why it is not used
            warn(f"OpenVINO needs a local model folder on CPU, but {obstacle}; encoding with torch instead")
    from pipeline.encoders.torch_backend import TorchEncoder

    return TorchEncoder(embed.load_model(model, device))
