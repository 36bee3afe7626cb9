"""An on-disk embedding cache keyed by (model, text hash), so re-runs embed only new texts.

Each model has a folder of append-only shards: one `.npz` per flush, holding the keys and their
vectors. Appending never rewrites old data, so flushing every few thousand texts of a long run is
cheap and an interrupted run resumes from its last flush. Every shard is written to a temporary
file and moved into place, so a reader never sees half a shard; one that is damaged anyway (bad
zip CRC, truncated, keys and vectors of different lengths) is reported, deleted and its texts
simply become misses that the caller embeds again.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np

_SHARD_GLOB = "shard-*.npz"


class EmbeddingCache:
    """Vectors by text hash for one model, loaded lazily from `directory/<model slug>/`.

    `max_shards` bounds the folder: when a flush would exceed it, all shards are merged into one.
    """

    def __init__(self, directory: Path, model_key: str, max_shards: int = 64) -> None:
        self.folder = Path(directory) / _slug(model_key)
        self.max_shards = max_shards
        self._vectors: dict[str, np.ndarray] | None = None
        self._pending: dict[str, np.ndarray] = {}

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """The cached vectors among `hashes` (misses are simply absent)."""
        stored = self._stored()
        return {key: stored[key] for key in hashes if key in stored}

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        """Add vectors in memory; they reach the disk at the next `flush`."""
        stored = self._stored()
        for key, vector in vectors.items():
            vector = np.asarray(vector, dtype=np.float32)
            stored[key] = vector
            self._pending[key] = vector

    def flush(self) -> None:
        """Write what was put since the last flush as one new shard (or compact if too many)."""
        if not self._pending:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        shards = sorted(self.folder.glob(_SHARD_GLOB))
        if len(shards) + 1 > self.max_shards:
            _write_shard(self.folder / _shard_name(shards), self._stored())
            for shard in shards:
                shard.unlink(missing_ok=True)
        else:
            _write_shard(self.folder / _shard_name(shards), self._pending)
        self._pending = {}

    def __len__(self) -> int:
        return len(self._stored())

    def _stored(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            for shard in sorted(self.folder.glob(_SHARD_GLOB)):
                self._vectors.update(_read_shard(shard))
        return self._vectors


def _slug(model_key: str) -> str:
    """A folder name for a model: readable, and distinct for different paths with one basename."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(model_key).name or model_key)[:60]
    return f"{readable}-{hashlib.sha256(model_key.encode()).hexdigest()[:8]}"


def _shard_name(existing: list[Path]) -> str:
    """The next shard number, after the highest present, so names never collide."""
    numbers = [int(path.stem.split("-")[1]) for path in existing if path.stem.split("-")[1].isdigit()]
    return f"shard-{max(numbers, default=-1) + 1:06d}.npz"


def _write_shard(path: Path, vectors: dict[str, np.ndarray]) -> None:
    """Write keys and vectors to a temporary file, then atomically move it to `path`."""
    keys = np.array(list(vectors), dtype="U64")
    matrix = np.stack(list(vectors.values())).astype(np.float32)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, keys=keys, vectors=matrix)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is as readable as the data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_shard(path: Path) -> dict[str, np.ndarray]:
    """A shard's vectors, or none (with a warning, the shard deleted) if it is damaged."""
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, matrix = data["keys"], data["vectors"]
        if matrix.ndim != 2 or len(keys) != len(matrix) or not np.isfinite(matrix).all():
            raise ValueError(f"{len(keys)} keys for a {matrix.shape} matrix")
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        warnings.warn(f"embedding cache shard {path} is damaged ({error}); its texts will be re-embedded")
        path.unlink(missing_ok=True)
        return {}
    return dict(zip(keys.tolist(), matrix))
