"""Length-sorted, padded batches of token ids: the loop every encoder backend shares.

Texts are tokenized once; the token counts decide the order (long first, so each batch pads to
nearly its own length) and the padded arrays are built from the same ids, so no text is tokenized
twice. Each backend only supplies `forward`: padded ids and mask in, unit vectors out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]


def batch_plan(lengths: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """The row numbers of each batch, longest texts first (ties in input order).

    The one plan every engine executes: a text's vector depends on the batch it is padded in (by
    up to ~1e-7), so the Ray engine runs exactly these batches and its vectors are the local ones.
    """
    order = np.argsort(-np.asarray(lengths, dtype=np.int64), kind="stable")
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def length_sorted_batches(ids: Sequence[Sequence[int]], batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(row numbers, input ids, attention mask) per batch, longest texts first, padded with 0."""
    lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
    for rows in batch_plan(lengths, batch_size):
        width = int(lengths[rows].max())
        input_ids = np.zeros((len(rows), width), dtype=np.int64)
        for j, row in enumerate(rows):
            input_ids[j, : lengths[row]] = ids[row]
        mask = (np.arange(width) < lengths[rows, None]).astype(np.int64)
        yield rows, input_ids, mask


def iter_batches(ids: Sequence[Sequence[int]], batch_size: int,
                 forward: Forward) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(row numbers, float32 unit vectors) per length-sorted batch, as each is encoded, so a caller
    can keep every finished batch (the embedding cache does, so Ctrl-C loses none)."""
    for rows, input_ids, mask in length_sorted_batches(ids, batch_size):
        yield rows, np.asarray(forward(input_ids, mask), dtype=np.float32)


def encode_batches(ids: Sequence[Sequence[int]], dimension: int, batch_size: int, forward: Forward,
                   progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Run `forward` over length-sorted batches and return float32 vectors in input order.

    `progress(n_done)` is called after each batch for a caller's progress bar.
    """
    out = np.empty((len(ids), dimension), dtype=np.float32)
    done = 0
    for rows, vectors in iter_batches(ids, batch_size, forward):
        out[rows] = vectors
        done += len(rows)
        if progress is not None:
            progress(done)
    return out
