"""The k-nearest-neighbour graph of the papers, built once and shared by clustering and the map.

Exact neighbours by cosine similarity, computed in row blocks so memory stays O(n·block) and no
n × n matrix is ever held: 25,841 papers take a few seconds of BLAS on 2 cores. Exact search keeps
the graph (and everything built on it) free of the randomness of approximate search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

BLOCK_ROWS = 512  # a block of similarities, its negation and argpartition's int64 indices: ~210 MB at 25,841 papers
N_NEIGHBOURS = 15


@dataclass(frozen=True)
class NeighbourGraph:
    """Each paper's nearest other papers, most similar first, with their cosine similarities."""

    indices: np.ndarray  # n × k, int64
    similarities: np.ndarray  # n × k, float32

    def connectivity(self) -> sparse.csr_matrix:
        """The symmetric 0/1 adjacency matrix (a neighbour of either paper counts)."""
        n, k = self.indices.shape
        rows = np.repeat(np.arange(n), k)
        graph = sparse.csr_matrix((np.ones(n * k), (rows, self.indices.ravel())), shape=(n, n))
        return ((graph + graph.T) > 0).astype(np.float64).tocsr()


def neighbour_graph(unit_vectors: np.ndarray, n_neighbours: int = N_NEIGHBOURS) -> NeighbourGraph:
    """Exact k nearest neighbours (self excluded) of unit vectors by cosine similarity."""
    n = len(unit_vectors)
    k = min(n_neighbours, n - 1)
    indices = np.empty((n, k), dtype=np.int64)
    similarities = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, BLOCK_ROWS):
        block = unit_vectors[start : start + BLOCK_ROWS] @ unit_vectors.T
        rows = np.arange(len(block))
        block[rows, start + rows] = -np.inf  # a paper is not its own neighbour
        nearest = np.argpartition(-block, k - 1, axis=1)[:, :k]
        sims = np.take_along_axis(block, nearest, axis=1)
        order = np.lexsort((nearest, -sims), axis=1)  # most similar first, ties by index
        indices[start : start + len(block)] = np.take_along_axis(nearest, order, axis=1)
        similarities[start : start + len(block)] = np.take_along_axis(sims, order, axis=1)
    return NeighbourGraph(indices=indices, similarities=similarities)
