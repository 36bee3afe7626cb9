"""The per-paper stages as Ray Data work: one encoder per worker actor, claims in parallel tasks.

The driver (this process) reads and cleans the inputs, looks up the embedding cache and counts
each missing text's tokens; it then cuts the same batch plan the local engine runs
(encoders.batching.batch_plan) into Arrow blocks of whole batches. Worker actors load the encoder
once (`num_gpus=1` each when encoding on CUDA), encode their batches exactly as planned and stream
the vectors back; the driver keeps them in the same embedding cache as a local run, flushing as
they come, so Ctrl-C loses no finished batch and a later run (either engine) encodes only the rest.
Claims are mined from blocks of papers by Ray tasks and put back in paper order. Themes, layout,
trends and the report stay on the driver (run.py), on the vectors it now holds.

Workers need this package installed (same version); with OpenVINO each node converts the model
once into its machine cache (pipeline.machine_cache), as a local run does.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import ray

from pipeline import schema
from pipeline.encoders import Encoder
from pipeline.encoders.batching import batch_plan
from pipeline.errors import UserError, first_line

# Texts tokenized at a time on the driver when counting tokens for the plan (ids are not kept).
COUNT_CHUNK = 8192
# Planned batches per Arrow block (the unit an actor takes): small enough to spread a small run
# over every actor, large enough that scheduling costs little next to encoding.
MAX_BATCHES_PER_BLOCK = 32
# Papers per claims task.
CLAIMS_BLOCK = 2000


class EngineError(UserError, RuntimeError):
    """The Ray cluster cannot be reached or cannot do what was asked; the message says which."""


@contextmanager
def ray_engine(settings, progress) -> Iterator["RayEngine"]:
    """Join the cluster at `settings.address` (or start a local one), and leave it when done.

    A Ray session that the caller already opened (`ray.init` in a notebook or a test) is used as it is.
    """
    started = not ray.is_initialized()
    try:
        with progress.stage("cluster") as status:
            if started:
                try:
                    ray.init(address=settings.address, include_dashboard=False, logging_level=logging.WARNING)
                except (ConnectionError, RuntimeError, ValueError) as error:
                    where = f"at {settings.address}" if settings.address else "on this machine"
                    raise EngineError(f"cannot start or join a Ray cluster {where} ({first_line(error)}); start "
                                      "one with `ray start --head`, or check --address") from error
            ray.data.DataContext.get_current().enable_progress_bars = False  # the run shows its own bar
            logging.getLogger("ray.data").setLevel(logging.WARNING)  # not two lines per dataset
            engine = RayEngine(settings)
            status["note"] = engine.description
        yield engine
    finally:
        if started:
            ray.shutdown()


class RayEngine:
    def __init__(self, settings) -> None:
        self.settings = settings
        resources = ray.cluster_resources()
        self.gpu = settings.device.startswith("cuda")
        if self.gpu and resources.get("GPU", 0) < 1:
            raise EngineError(f"--device {settings.device}: the Ray cluster has no GPU "
                              f"({int(resources.get('CPU', 0))} CPUs); use --device cpu")
        self.n_actors = max(1, int(resources.get("GPU", 0) if self.gpu else resources.get("CPU", 1)))
        kind = "GPU" if self.gpu else "CPU"
        self.description = f"ray: {self.n_actors} encoder actor(s), one per {kind}, on {len(ray.nodes())} node(s)"

    def encode_iter(self, encoder: Encoder, texts: list[str],
                    batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, vectors) per block of planned batches, as the workers finish them."""
        plan = batch_plan(token_counts(encoder, texts), batch_size)
        per_block = max(1, min(MAX_BATCHES_PER_BLOCK, math.ceil(len(plan) / (4 * self.n_actors))))
        blocks = [pa.table({"rows": [batches.tolist() for batches in plan[start:start + per_block]],
                            "texts": [[texts[row] for row in batches] for batches in plan[start:start + per_block]]})
                  for start in range(0, len(plan), per_block)]
        settings = self.settings
        vectors = ray.data.from_arrow(blocks).map_batches(
            EncodePlannedBatches, batch_size=None, batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.n_actors),
            num_cpus=0 if self.gpu else 1, num_gpus=1 if self.gpu else 0,
            fn_constructor_args=(settings.model, settings.encoder, settings.device,
                                 str(Path(settings.cache_dir).resolve())))
        for block in vectors.iter_batches(batch_size=None, batch_format="numpy"):
            yield block["row"], block["vector"]

    def extract_claims(self, papers: pd.DataFrame) -> pd.DataFrame:
        """The claims table, mined by Ray tasks from blocks of papers, in the local engine's row order."""
        frame = papers[["paper_id", "abstract"]].assign(position=np.arange(len(papers)))
        blocks = [frame.iloc[start:start + CLAIMS_BLOCK] for start in range(0, len(frame), CLAIMS_BLOCK)]
        if not blocks:
            return schema.empty(schema.CLAIMS)
        mined = ray.data.from_pandas(blocks).map_batches(claims_of_block, batch_size=None, batch_format="pandas")
        parts = [part for part in mined.iter_batches(batch_size=None, batch_format="pandas") if len(part)]
        if not parts:
            return schema.empty(schema.CLAIMS)
        claims = pd.concat(parts).sort_values("position", kind="stable")
        return schema.conform(claims, schema.CLAIMS)


def token_counts(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """Each text's token count, as the encoder truncates it: all the plan needs (ids are not kept)."""
    counts = np.empty(len(texts), dtype=np.int64)
    for start in range(0, len(texts), COUNT_CHUNK):
        ids = encoder.token_ids(texts[start:start + COUNT_CHUNK])
        counts[start:start + len(ids)] = [len(row) for row in ids]
    return counts


class EncodePlannedBatches:
    """A worker actor holding one encoder; encodes each planned batch as one batch, as planned."""

    def __init__(self, model: str, encoder: str, device: str, cache_dir: str) -> None:
        from pipeline.encoders import load_encoder
        from pipeline.machine_cache import machine_cache_dir

        self.encoder = load_encoder(model, encoder, device, machine_cache_dir(Path(cache_dir)),
                                    warn=lambda message: print(f"warning: {message}", file=sys.stderr))

    def __call__(self, block: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        rows, vectors = [], []
        for batch_rows, batch_texts in zip(block["rows"], block["texts"]):
            texts = [str(text) for text in batch_texts]
            # the batch is already longest-first, so the encoder's own stable sort keeps its order
            vectors.append(self.encoder.encode(texts, batch_size=len(texts)))
            rows.append(np.asarray(batch_rows, dtype=np.int64))
        return {"row": np.concatenate(rows), "vector": np.concatenate(vectors)}


def claims_of_block(block: pd.DataFrame) -> pd.DataFrame:
    """One block's claims, each tagged with its paper's position so the driver can restore the order."""
    from pipeline.claims import extract_claims

    claims = extract_claims(block)
    position = dict(zip(block["paper_id"], block["position"]))
    return claims.assign(position=claims["paper_id"].map(position).astype("int64"))
