"""The per-paper stages in this process: exactly the pipeline's original path."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from pipeline.claims import extract_claims
from pipeline.encoders import Encoder


class LocalEngine:
    description = "local"

    def encode_iter(self, encoder: Encoder, texts: list[str],
                    batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, vectors) per batch of the shared plan, as each finishes."""
        return encoder.encode_iter(texts, batch_size)

    def extract_claims(self, papers: pd.DataFrame) -> pd.DataFrame:
        return extract_claims(papers)
