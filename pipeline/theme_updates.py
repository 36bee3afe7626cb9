"""Extend stored themes to new papers instead of re-clustering, so old papers keep their theme and place.

Re-clustering after adding one page would renumber and relabel themes and move every point on the
map; a researcher comparing today's report with yesterday's wants the old papers where they were.
New papers join the theme whose centre (mean of its members' unit vectors) is most similar, and are
placed on the map at the similarity-weighted mean position of their nearest old neighbours. Neither
step needs a new t-SNE layout, so an incremental run costs little beyond encoding the new papers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import schema

N_NEIGHBOURS = 10
# Past this share of new papers the stored themes may no longer describe the corpus: re-cluster.
MAX_NEW_SHARE = 0.25


@dataclass(frozen=True)
class Extension:
    """Theme ids and map positions for all papers, and the updated themes and areas tables."""

    labels: np.ndarray
    coords: np.ndarray
    themes: pd.DataFrame
    areas: pd.DataFrame
    info: dict


def can_extend(paper_ids: list[str], previous: pd.DataFrame) -> bool:
    """Extend only when most papers are known and every stored theme keeps at least one paper."""
    known = previous.set_index("paper_id")["theme_id"].reindex(paper_ids)
    n_new = int(known.isna().sum())
    if known.notna().sum() == 0 or n_new > MAX_NEW_SHARE * len(paper_ids):
        return False
    return set(known.dropna().astype(int)) == set(previous["theme_id"].astype(int))


def extend_themes(vectors: np.ndarray, paper_ids: list[str], previous: pd.DataFrame,
                  previous_themes: pd.DataFrame, previous_areas: pd.DataFrame) -> Extension:
    """Keep stored theme ids and map positions; give new papers the nearest theme and a nearby place.

    `previous` holds the stored papers' paper_id, theme_id, x, y; `vectors` are unit vectors in
    `paper_ids` order. Names, descriptions and keywords stay as stored; sizes are recounted.
    """
    stored = previous.set_index("paper_id").reindex(paper_ids)
    old = stored["theme_id"].notna().to_numpy()
    labels = stored["theme_id"].to_numpy(dtype=float)
    coords = stored[["x", "y"]].to_numpy(dtype=float)
    if (~old).any():
        old_labels = labels[old].astype(int)
        theme_ids = np.unique(old_labels)
        centres = np.stack([vectors[old][old_labels == t].mean(axis=0) for t in theme_ids])
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        labels[~old] = theme_ids[np.argmax(vectors[~old] @ centres.T, axis=1)]
        coords[~old] = place_near_neighbours(vectors[~old], vectors[old], coords[old])
    labels = labels.astype(int)
    themes = previous_themes.copy()
    themes["size"] = themes["theme_id"].map(pd.Series(labels).value_counts()).fillna(0).astype(int)
    areas = previous_areas.copy()
    areas["size"] = areas["area_id"].map(themes.groupby("area_id")["size"].sum()).fillna(0).astype(int)
    info = {"method": "extended stored themes (nearest centre; --recluster re-fits)", "n_new_papers": int((~old).sum())}
    return Extension(labels=labels, coords=coords, themes=schema.conform(themes, schema.THEMES),
                     areas=schema.conform(areas, schema.AREAS), info=info)


def place_near_neighbours(new: np.ndarray, old: np.ndarray, old_coords: np.ndarray,
                          k: int = N_NEIGHBOURS) -> np.ndarray:
    """Map positions for new vectors: similarity-weighted mean of their k most similar old papers' positions."""
    k = min(k, len(old))
    similarity = new @ old.T
    nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    weights = np.clip(np.take_along_axis(similarity, nearest, axis=1), 1e-6, None) ** 4
    weights /= weights.sum(axis=1, keepdims=True)
    return np.einsum("nk,nkd->nd", weights, old_coords[nearest])
