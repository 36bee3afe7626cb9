"""The papers' embeddings beside the database, so `trends search` ranks by meaning without encoding.

`data/processed/vectors.npz` holds the paper ids, one float32 unit vector per paper and the model
that made them. It is staged and switched in with the database (`pipeline.outputs`), so it always
belongs to the tables next to it; read back, it is checked before any score is computed from it.
The embedding cache is no substitute: it may be elsewhere (`--cache`), shared, or cleared.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import UserError
from pipeline.plural import plural

FILE_NAME = "vectors.npz"


class VectorsError(UserError, ValueError):
    """The stored vectors are missing or unusable; the message says how to rebuild them."""


@dataclass(frozen=True)
class PaperVectors:
    paper_ids: np.ndarray  # str, one per row of `vectors`
    vectors: np.ndarray  # float32, (papers, dimension)
    model: str

    def rows_for(self, paper_ids: list[str]) -> np.ndarray:
        """The rows of `vectors` of these papers, in their order; every one must be stored."""
        index = {paper_id: row for row, paper_id in enumerate(self.paper_ids.tolist())}
        missing = [paper_id for paper_id in paper_ids if paper_id not in index]
        if missing:
            raise VectorsError(f"{plural(len(missing), 'paper')} of the database without a stored vector "
                               f"(e.g. {missing[0]}); `trends run --force` writes them again")
        return np.array([index[paper_id] for paper_id in paper_ids], dtype=np.int64)


def path(processed_dir: Path) -> Path:
    return Path(processed_dir) / FILE_NAME


def to_bytes(paper_ids: list[str], vectors: np.ndarray, model: str) -> bytes:
    """The file's content (uncompressed: embeddings do not compress, and it loads in milliseconds)."""
    buffer = io.BytesIO()
    np.savez(buffer, paper_ids=np.array(paper_ids, dtype=str), vectors=np.asarray(vectors, dtype=np.float32),
             model=np.array(model))
    return buffer.getvalue()


def read(processed_dir: Path) -> PaperVectors:
    """The stored vectors, checked: ids and rows agree, float32, finite."""
    file = path(processed_dir)
    if not file.exists():
        raise VectorsError(f"no stored paper vectors at {file} (the run was made by an older version); "
                           "`trends run --force` writes them, or search with --by words")
    try:
        with np.load(file, allow_pickle=False) as data:
            stored = PaperVectors(data["paper_ids"], data["vectors"], str(data["model"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise VectorsError(f"cannot read {file} ({error}); `trends run --force` writes it again") from error
    problem = _problem(stored)
    if problem:
        raise VectorsError(f"{file} is damaged ({problem}); `trends run --force` writes it again")
    return stored


def _problem(stored: PaperVectors) -> str | None:
    if stored.vectors.dtype != np.float32 or stored.vectors.ndim != 2:
        return f"vectors of type {stored.vectors.dtype} and shape {stored.vectors.shape}"
    if stored.paper_ids.ndim != 1 or len(stored.paper_ids) != len(stored.vectors):
        return f"{plural(len(stored.paper_ids), 'id')} for {plural(len(stored.vectors), 'vector')}"
    if not np.isfinite(stored.vectors).all():
        return "vectors that are not finite"
    return None
