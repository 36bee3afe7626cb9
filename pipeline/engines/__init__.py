"""Engines: where the per-paper stages (encoding, claims) run; the corpus-wide ones stay in run.py.

`local` runs them in this process, as the pipeline always has; `ray` runs the same functions as
Ray Data work on a cluster (or a local one) and hands back the same vectors and rows. Both execute
one batch plan (encoders.batching.batch_plan), so a text's vector does not depend on the engine,
and both feed the same embedding cache, so a run can move between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import numpy as np
import pandas as pd

from pipeline.encoders import Encoder

ENGINES = ("local", "ray")


class Engine(Protocol):
    description: str  # for the stage line and the run_info table

    def encode_iter(self, encoder: Encoder, texts: list[str],
                    batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]: ...

    def extract_claims(self, papers: pd.DataFrame) -> pd.DataFrame: ...


@contextmanager
def open_engine(settings, progress) -> Iterator[Engine]:
    """The engine the settings ask for; Ray is imported, and a cluster joined or started (in a stage
    of its own, "cluster"), only for "ray"."""
    if settings.engine == "local":
        from pipeline.engines.local import LocalEngine

        yield LocalEngine()
        return
    from pipeline.engines.ray_engine import ray_engine

    with ray_engine(settings, progress) as engine:
        yield engine
