"""The reference encoder: the sentence-transformers model itself, run by torch.

Its vectors are "the default vectors" every other backend is measured against. It tokenizes
with the model's own tokenizer exactly as sentence-transformers does (same truncation), once per
text, and runs the model's modules (transformer, pooling, normalization) on length-sorted batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from pipeline.encoders.batching import encode_batches, iter_batches

if TYPE_CHECKING:  # importing torch costs seconds; only a loaded model needs it
    from sentence_transformers import SentenceTransformer


class TorchEncoder:
    """Encodes with a loaded SentenceTransformer on its device (cpu, cuda, mps)."""

    def __init__(self, model: SentenceTransformer) -> None:
        import torch

        self.model = model
        # renamed in sentence-transformers 5; the project admits versions from 3.0
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        self.description = f"torch {torch.__version__.split('+')[0]} on {model.device}"
        self._lowercase = bool(getattr(model[0], "do_lower_case", False))
        self._needs_type_ids = "token_type_ids" in getattr(model.tokenizer, "model_input_names", ())

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids per text, truncated to the model's max_seq_length, unpadded."""
        if not texts:  # the tokenizer fails on an empty list
            return []
        texts = [text.lower() for text in texts] if self._lowercase else list(texts)
        return self.model.tokenizer(texts, truncation=True, max_length=self.model.max_seq_length)["input_ids"]

    def encode(self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Float32 unit vectors for `texts`, in input order."""
        return encode_batches(self.token_ids(texts), self.dimension, batch_size, self._forward, progress)

    def encode_iter(self, texts: list[str], batch_size: int = 32) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, their vectors) per batch, longest texts first."""
        return iter_batches(self.token_ids(texts), batch_size, self._forward)

    def _forward(self, input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        device = self.model.device
        features = {"input_ids": torch.from_numpy(input_ids).to(device),
                    "attention_mask": torch.from_numpy(mask).to(device)}
        if self._needs_type_ids:
            features["token_type_ids"] = torch.zeros_like(features["input_ids"])
        with torch.inference_mode():
            vectors = self.model(features)["sentence_embedding"]
            vectors = torch.nn.functional.normalize(vectors.float(), dim=-1)
        return vectors.cpu().numpy()
