"""The fast CPU encoder: the same model converted once to OpenVINO, run without torch.

The conversion (see openvino_export) is kept under the run's cache folder, named by the model
files' content and the OpenVINO version; later runs read it back and never import torch or
sentence-transformers. Texts are tokenized by the `tokenizers` library from the model's own
tokenizer.json, set to sentence-transformers' truncation, so the ids are the ones
sentence-transformers would feed (tests check it on real abstracts).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.encoders.batching import encode_batches, iter_batches

# Bump when the exported graph changes (inputs, outputs, wrapper) so old conversions are not reused.
EXPORT_VERSION = 1
PRECISIONS = ("f32", "bf16")
TOKENIZE_CHUNK = 1024


class OpenVINOUnavailable(RuntimeError):
    """OpenVINO cannot encode with this model here; the message says why, the caller uses torch."""


def import_openvino() -> Any:
    """Import OpenVINO with its usage telemetry off.

    Importing `openvino` also imports its model-conversion API, which sends a usage event to
    Google Analytics unless the user opted out; a tool that runs offline must not phone home. Its
    own fallback for when the `openvino_telemetry` package is absent is a no-op stub: that is forced.
    """
    sys.modules.setdefault("openvino_telemetry", None)
    try:
        import openvino
    except ImportError as error:
        raise OpenVINOUnavailable(f"OpenVINO is not installed ({error})") from error
    return openvino


class OpenVINOEncoder:
    """Encodes with a compiled OpenVINO model of a sentence-transformers directory."""

    def __init__(self, compiled: Any, tokenizer: Any, lowercase: bool, description: str) -> None:
        self._request = compiled.create_infer_request()
        self._tokenizer = tokenizer
        self._lowercase = lowercase
        self.dimension = int(compiled.output(0).get_partial_shape()[1].get_length())
        self.description = description

    def token_ids(self, texts: list[str]) -> list[np.ndarray]:
        """Token ids per text (int32), truncated where sentence-transformers truncates, unpadded.

        Tokenized TOKENIZE_CHUNK texts at a time: the tokenizer's Encoding objects (tokens, offsets,
        masks) of 25,841 abstracts at once took 1.4 GB; their ids as arrays take 25 MB.
        """
        ids = []
        for start in range(0, len(texts), TOKENIZE_CHUNK):
            chunk = texts[start : start + TOKENIZE_CHUNK]
            chunk = [text.lower() for text in chunk] if self._lowercase else list(chunk)
            ids += [np.asarray(encoding.ids, dtype=np.int32) for encoding in self._tokenizer.encode_batch(chunk)]
        return ids

    def encode(self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Float32 unit vectors for `texts`, in input order."""
        return encode_batches(self.token_ids(texts), self.dimension, batch_size, self._forward, progress)

    def encode_iter(self, texts: list[str], batch_size: int = 32) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, their vectors) per batch, longest texts first."""
        return iter_batches(self.token_ids(texts), batch_size, self._forward)

    def _forward(self, input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.asarray(self._request.infer({"input_ids": input_ids, "attention_mask": mask})[0], dtype=np.float32)


def load(model_dir: Path, cache_dir: Path, precision: str = "f32",
         warn: Callable[[str], None] = print) -> OpenVINOEncoder:
    """The model compiled at `precision` ("f32" or "bf16"), converted first if not cached yet."""
    ov = import_openvino()
    config = _sentence_config(model_dir)
    tokenizer = _tokenizer(model_dir, config)
    folder = conversion_folder(model_dir, cache_dir, ov.__version__)
    if not (folder / "model.xml").exists():
        convert(model_dir, folder)
    core = ov.Core()
    if precision == "bf16" and "BF16" not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
        warn("this CPU has no bf16 support (AMX or AVX512-BF16); OpenVINO encodes in f32 instead")
    try:
        compiled = core.compile_model(str(folder / "model.xml"), "CPU", {
            "INFERENCE_PRECISION_HINT": precision, "PERFORMANCE_HINT": "LATENCY",
            "CACHE_DIR": str(folder / "compiled")})
    except RuntimeError as error:
        raise OpenVINOUnavailable(f"OpenVINO cannot compile {folder / 'model.xml'} ({_first_line(error)})") from error
    actual = compiled.get_property("INFERENCE_PRECISION_HINT").to_string()
    return OpenVINOEncoder(compiled, tokenizer, bool(config.get("do_lower_case")),
                           f"openvino {ov.__version__.split('-')[0]} {actual} on CPU")


def convert(model_dir: Path, folder: Path) -> None:
    """Convert in a child process (see openvino_export), so torch never stays in this one."""
    done = subprocess.run([sys.executable, "-m", "pipeline.encoders.openvino_export", str(model_dir), str(folder)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0 or not (folder / "model.xml").exists():
        cause = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise OpenVINOUnavailable(f"converting {model_dir.name} to OpenVINO failed ({cause})")


def conversion_folder(model_dir: Path, cache_dir: Path, ov_version: str) -> Path:
    """Where a model's conversion lives: named by the model files' content and the runtime version."""
    digest = hashlib.sha256(f"{EXPORT_VERSION} {ov_version}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode())
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return cache_dir / "openvino" / f"{model_dir.name}-ov{ov_version.split('-')[0]}-{digest.hexdigest()[:16]}"


def _sentence_config(model_dir: Path) -> dict:
    """sentence_bert_config.json: max_seq_length is required, or ids could differ from torch's."""
    path = model_dir / "sentence_bert_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not isinstance(config.get("max_seq_length"), int):
        raise OpenVINOUnavailable(f"{model_dir.name} names no max_seq_length in sentence_bert_config.json")
    return config


def _tokenizer(model_dir: Path, config: dict) -> Any:
    """The model's fast tokenizer, truncating at max_seq_length and never padding (tokenizer.json
    files often carry a fixed padding and another truncation of their own)."""
    from tokenizers import Tokenizer

    path = model_dir / "tokenizer.json"
    if not path.exists():
        raise OpenVINOUnavailable(f"{model_dir.name} has no tokenizer.json")
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(config["max_seq_length"])
    tokenizer.no_padding()
    return tokenizer


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:200]
