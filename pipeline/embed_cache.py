"""An on-disk embedding cache keyed by (model, text hash), so re-runs embed only new texts.

Each model has a folder of append-only shards: one `.npz` per flush, holding the keys and their
vectors. Appending never rewrites old data, so flushing every few thousand texts of a long run is
cheap and an interrupted run resumes from its last flush. Every shard is written to a temporary
file and moved into place under a name no other writer can pick (a counter plus a random part),
so a reader never sees half a shard and two runs sharing the cache never replace each other's.

What is read is checked, because a wrong vector would silently misplace a paper: a shard that is
damaged (bad zip CRC, truncated), holds keys and vectors of different lengths, vectors that are not
float32, of another width than the rest of the folder or not finite, is reported,
deleted and its texts simply become misses that the caller embeds again.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from pipeline.errors import UserError
from pipeline.outputs import describe

_SHARD_GLOB = "shard-*.npz"


class CacheError(UserError, ValueError):
    """The cache folder holds vectors of another model (another width) than the one encoding."""


class EmbeddingCache:
    """Vectors by text hash for one model, loaded lazily from `directory/<model slug>/`.

    `max_shards` bounds the folder: when a flush would exceed it, all shards are merged into one.
    `warn` receives one line per problem found (a rejected shard, a flush the disk refused).
    """

    def __init__(self, directory: Path, model_key: str, max_shards: int = 64,
                 warn: Callable[[str], None] | None = None) -> None:
        self.folder = Path(directory) / _slug(model_key)
        self.max_shards = max_shards
        self.warn = warn or (lambda message: warnings.warn(message, stacklevel=2))
        self._vectors: dict[str, np.ndarray] | None = None
        self._pending: dict[str, np.ndarray] = {}
        self._loaded: set[str] = set()
        self._refused = False  # the disk refused a flush: warned once
        self.dimension: int | None = None

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """The cached vectors among `hashes` (misses are simply absent)."""
        stored = self._stored()
        return {key: stored[key] for key in hashes if key in stored}

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        """Add vectors in memory; they reach the disk at the next `flush`."""
        stored = self._stored()
        for key, vector in vectors.items():
            vector = np.asarray(vector, dtype=np.float32)
            if vector.ndim != 1 or (self.dimension is not None and len(vector) != self.dimension):
                raise CacheError(f"the embedding cache {self.folder} holds {self.dimension}-wide vectors, but the "
                                 f"model gives {vector.shape}: the folder belongs to another model; move it away "
                                 "or pass another --cache")
            self.dimension = len(vector)
            stored[key] = vector
            self._pending[key] = vector

    def flush(self) -> bool:
        """Write what was put since the last flush as one new shard (or compact if too many).

        Returns False, after one warning, when the disk refuses: the vectors stay in memory for
        this run and a later flush tries again, so a full cache disk does not stop a run.
        """
        if not self._pending:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shards = sorted(self.folder.glob(_SHARD_GLOB))
            if len(shards) + 1 > self.max_shards:
                merged = self._stored()
                for shard in shards:  # written by another run since we loaded: keep its vectors too
                    if shard.name not in self._loaded:
                        merged.update(self._read_shard(shard))
                name = _write_shard(self.folder, shards, merged)
                for shard in shards:
                    shard.unlink(missing_ok=True)
                self._loaded = {name}
            else:
                self._loaded.add(_write_shard(self.folder, shards, self._pending))
        except OSError as error:
            if not self._refused:
                self.warn(f"cannot write the embedding cache in {self.folder} ({describe(error)}); new vectors "
                          "are kept for this run only (retried at each flush)")
            self._refused = True
            return False
        self._pending = {}
        return True

    def __len__(self) -> int:
        return len(self._stored())

    def _stored(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            shards = sorted(self.folder.glob(_SHARD_GLOB))
            contents = {shard: self._read_shard(shard) for shard in shards}
            widths: Counter[int] = Counter()
            for content in filter(None, contents.values()):
                widths[_width(content)] += len(content)
            # the width most vectors have is the model's; a shard of another width is someone else's
            self.dimension = widths.most_common(1)[0][0] if widths else None
            for shard, content in contents.items():
                if content and _width(content) != self.dimension:
                    self._reject(shard, f"{_width(content)}-wide vectors where the rest of the cache has "
                                        f"{self.dimension}")
                    continue
                self._vectors.update(content)
                self._loaded.add(shard.name)
        return self._vectors

    def _read_shard(self, path: Path) -> dict[str, np.ndarray]:
        """A shard's vectors, or none (with a warning, the shard deleted) if it is damaged."""
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, matrix = data["keys"], data["vectors"]
            problem = _shard_problem(keys, matrix)
        except FileNotFoundError:  # another run compacted the folder meanwhile; its merged shard has these
            return {}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
            problem = str(error) or type(error).__name__
        if problem:
            self._reject(path, problem)
            return {}
        return dict(zip(keys.tolist(), matrix))

    def _reject(self, path: Path, problem: str) -> None:
        self.warn(f"embedding cache shard {path} is damaged ({problem}); its texts will be re-embedded")
        path.unlink(missing_ok=True)


def _width(content: dict[str, np.ndarray]) -> int:
    return len(next(iter(content.values())))


def _shard_problem(keys: np.ndarray, matrix: np.ndarray) -> str | None:
    """What makes a shard's content unusable, or None."""
    if keys.dtype.kind != "U" or keys.ndim != 1:
        return f"keys of type {keys.dtype} and shape {keys.shape}, not text"
    if matrix.dtype != np.float32:
        return f"vectors of type {matrix.dtype}, not float32"
    if matrix.ndim != 2 or len(keys) != len(matrix):
        return f"{len(keys)} keys for a {matrix.shape} matrix"
    if not np.isfinite(matrix).all():
        return "vectors that are not finite"
    return None


def _slug(model_key: str) -> str:
    """A folder name for a model: readable, and distinct for different paths with one basename."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(model_key).name or model_key)[:60]
    return f"{readable}-{hashlib.sha256(model_key.encode()).hexdigest()[:8]}"


def _shard_name(existing: list[Path]) -> str:
    """The next shard number, after the highest present, plus a random part: two runs flushing at
    the same moment pick the same number, never the same name."""
    numbers = [int(part) for path in existing if (part := path.stem.split("-")[1]).isdigit()]
    return f"shard-{max(numbers, default=-1) + 1:06d}-{uuid.uuid4().hex[:8]}.npz"


def _write_shard(folder: Path, existing: list[Path], vectors: dict[str, np.ndarray]) -> str:
    """Write keys and vectors to a temporary file, then atomically move it into place; returns its name."""
    name = _shard_name(existing)
    keys = np.array(list(vectors), dtype="U64")
    matrix = np.stack(list(vectors.values())).astype(np.float32)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, keys=keys, vectors=matrix)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is as readable as the data
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name
