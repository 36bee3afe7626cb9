"""2-D positions for the map, from the same neighbour graph the themes were cut from.

UMAP (umap-learn, as the design card asks) gets the exact neighbour graph precomputed, so it skips
its own approximate search; its numba code is compiled once and kept in NUMBA_CACHE_DIR (the run
points it into the machine cache), so only the first run on a machine pays the JIT. openTSNE stays
as the alternative layout for comparison (benchmarks/themes_vs_bertopic.py measures both).
"""

from __future__ import annotations

import warnings

import numpy as np

from pipeline.themes.neighbours import NeighbourGraph, neighbour_graph


class UMAPLayout:
    """UMAP on the precomputed cosine neighbour graph; single-threaded so `random_state` fixes it."""

    def __init__(self, n_neighbours: int = 15, min_dist: float = 0.1, random_state: int = 42) -> None:
        self.n_neighbours = n_neighbours
        self.min_dist = min_dist
        self.random_state = random_state

    def fit_transform(self, unit_vectors: np.ndarray, graph: NeighbourGraph | None = None) -> np.ndarray:
        n = len(unit_vectors)
        if n < 4:
            return tiny_layout(unit_vectors)
        graph = graph or neighbour_graph(unit_vectors, self.n_neighbours)
        from umap import UMAP  # numba compiles on first use: imported only when a layout is made

        _cache_umap_code()

        k = min(self.n_neighbours, graph.indices.shape[1] + 1)
        # UMAP's precomputed graph lists each point as its own nearest neighbour, at distance 0
        indices = np.column_stack([np.arange(n), graph.indices[:, : k - 1]])
        distances = np.column_stack([np.zeros(n), 1.0 - graph.similarities[:, : k - 1]]).clip(0.0, None)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*(n_jobs|precomputed_knn|disconnected|spectral).*")
            umap = UMAP(n_neighbors=k, n_components=2, metric="cosine", min_dist=self.min_dist,
                        random_state=self.random_state, n_jobs=1, low_memory=True,
                        precomputed_knn=(indices, distances.astype(np.float32), None))
            return np.asarray(umap.fit_transform(unit_vectors), dtype=np.float64)


def _cache_umap_code() -> None:
    """Let numba keep the compiled code of every UMAP function on disk, not only the few umap-learn
    marks `cache=True`: the rest (fuzzy simplicial set, layout epochs) cost ~4 of the 6 CPU seconds
    of a 2,000-paper layout in every new process. Same machine code, so the same positions."""
    import umap.distances
    import umap.layouts
    import umap.spectral
    import umap.umap_
    import umap.utils
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    for module in (umap.umap_, umap.layouts, umap.spectral, umap.utils, umap.distances):
        for function in vars(module).values():
            if isinstance(function, Dispatcher) and isinstance(function._cache, NullCache):
                function.enable_caching()


class TSNELayout:
    """t-SNE (openTSNE, cosine), single-threaded so `random_state` fixes it."""

    def __init__(self, perplexity: float = 30.0, random_state: int = 42) -> None:
        self.perplexity = perplexity
        self.random_state = random_state

    def fit_transform(self, unit_vectors: np.ndarray, graph: NeighbourGraph | None = None) -> np.ndarray:
        n = len(unit_vectors)
        if n < 4:
            return tiny_layout(unit_vectors)
        from openTSNE import TSNE

        tsne = TSNE(perplexity=min(self.perplexity, (n - 1) / 3), metric="cosine",
                    random_state=self.random_state, n_jobs=1)
        return np.asarray(tsne.fit(np.asarray(unit_vectors, dtype=np.float32)), dtype=np.float64)


def tiny_layout(vectors: np.ndarray) -> np.ndarray:
    """One to three papers: spread along their first principal direction."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if len(vectors) < 2:
        return np.zeros((len(vectors), 2))
    centred = vectors - vectors.mean(axis=0)
    direction = np.linalg.svd(centred, full_matrices=False)[2][0]
    return np.column_stack([centred @ direction, np.zeros(len(vectors))])
