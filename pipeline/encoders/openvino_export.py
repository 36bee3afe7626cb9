"""One-time conversion of a sentence-transformers model to OpenVINO IR (needs torch, once).

Run as its own process (`python -m pipeline.encoders.openvino_export MODEL_DIR FOLDER`), so torch
and the traced model (~550 MB) leave memory before encoding starts, and runs with a cached
conversion never import torch at all.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

from pipeline.embed import load_model


class Embedder(torch.nn.Module):
    """The model's own modules (transformer, pooling, normalize) from ids and mask to unit vectors,
    as one traceable graph; token type ids, where the model takes them, are zeros as in
    sentence-transformers."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model
        self.type_ids = "token_type_ids" in getattr(model.tokenizer, "model_input_names", ())

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        features = {"input_ids": input_ids, "attention_mask": attention_mask}
        if self.type_ids:
            features["token_type_ids"] = torch.zeros_like(input_ids)
        return torch.nn.functional.normalize(self.model(features)["sentence_embedding"], dim=-1)


def convert(ov: Any, model_dir: Path, folder: Path) -> None:
    """Write the model as OpenVINO IR (`model.xml` + `model.bin`) into `folder`, all or nothing.

    The IR is written aside and moved into place, so an interrupted or concurrent conversion never
    leaves half a model. Weights stay f32 (`save_model` would otherwise compress them to f16).
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=folder.parent))
    try:
        embedder = Embedder(load_model(str(model_dir))).eval()
        # a padded example, so no shortcut for all-ones masks is traced into the graph
        ids = torch.full((2, 8), 1000, dtype=torch.int64)
        mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.int64)
        with torch.no_grad(), _quiet():
            converted = ov.convert_model(embedder, example_input=(ids * mask, mask), input=[
                ("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64)])
        ov.save_model(converted, str(staging / "model.xml"), compress_to_fp16=False)
        try:
            os.replace(staging, folder)
        except OSError:  # another run finished the same conversion first: keep theirs
            if not (folder / "model.xml").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str]) -> int:
    """Convert, or print the one-line cause of failure on stderr and exit 1."""
    from pipeline.encoders.openvino_backend import import_openvino

    try:
        convert(import_openvino(), Path(argv[0]), Path(argv[1]))
    except Exception as error:  # tracing can fail in many ways on an unusual model: one line for the caller
        print(f"{type(error).__name__}: {(str(error).strip().splitlines() or [''])[0][:200]}", file=sys.stderr)
        return 1
    return 0


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the tracer's warnings about Python branches on shapes (each was checked: they are
    constant for every input) and transformers' config notices, which would tear the stage display."""
    from transformers.utils import logging as transformers_logging

    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        transformers_logging.set_verbosity(verbosity)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
