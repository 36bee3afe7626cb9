"""The static theme map for the report (PNG), and the theme centres it shares with `map.html`.

Papers have 2-D positions (`x`, `y`) and a `theme_id`, and are coloured with the shared palette;
the interactive page is `pipeline.report.map_page`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.report.style import RC_PARAMS, theme_color

LABEL_WIDTH = 22  # characters per line of a map label
MAX_MAP_LABELS = 20  # beyond this the labels cover the map; smaller themes stay unlabelled


# --------------------------------------------------------------------------- static figure


def theme_map_figure(papers: pd.DataFrame, themes: pd.DataFrame) -> Figure:
    """Papers as dots coloured by theme, each theme named once near its centre, labels not overlapping."""
    with plt.rc_context(RC_PARAMS):
        fig, ax = plt.subplots(figsize=(10, 7.5))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.94)  # the dots fill the figure, no empty margins
        n = len(papers)
        for theme_id, group in papers.groupby("theme_id", sort=True):
            ax.scatter(group["x"], group["y"], s=float(np.clip(6000 / max(n, 1), 3, 36)),
                       color=theme_color(int(theme_id)), alpha=0.85 if n < 1000 else 0.5, linewidths=0,
                       rasterized=n > 2000)
        _fit_limits(ax, papers)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        n_themes = papers["theme_id"].nunique()
        named = "" if n_themes <= MAX_MAP_LABELS else f", the {MAX_MAP_LABELS} largest named"
        ax.set_title(f"{n:,} papers in {n_themes} themes{named} (nearby papers are similar)")
        _label_themes(ax, papers, themes)
        return fig


def _fit_limits(ax: plt.Axes, papers: pd.DataFrame) -> None:
    """Fix the limits now, so label positions computed in pixels stay where they were placed."""
    for axis, set_limits in (("x", ax.set_xlim), ("y", ax.set_ylim)):
        low, high = float(papers[axis].min()), float(papers[axis].max())
        pad = 0.04 * (high - low) or 1.0
        set_limits(low - pad, high + pad)


def _label_themes(ax: plt.Axes, papers: pd.DataFrame, themes: pd.DataFrame) -> None:
    """Greedy placement, largest theme first: each label goes where it hides the fewest dots near
    its theme's centre without touching a label already placed (or is left out if nothing fits)."""
    renderer = ax.figure.canvas.get_renderer()
    dots = ax.transData.transform(papers[["x", "y"]].to_numpy(dtype=float))
    frame = np.asarray(ax.get_window_extent(renderer).extents)
    pixels_per_point = ax.figure.dpi / 72
    placed: list[np.ndarray] = []
    centres = dense_centres(papers)
    order = themes.sort_values(["size", "theme_id"], ascending=[False, True]).head(MAX_MAP_LABELS)
    for theme_id, label in zip(order["theme_id"].astype(int), order["label"].astype(str)):
        if theme_id not in centres.index:
            continue
        anchor = tuple(centres.loc[theme_id])
        style = dict(text=_wrap(label), xy=anchor, textcoords="offset points",
                     ha="center", va="center", fontsize=8, color="#222222", zorder=5,
                     bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=theme_color(theme_id), lw=1.2, alpha=0.8))
        probe = ax.annotate(xytext=(0, 0), **style)
        size = np.asarray(probe.get_window_extent(renderer).padded(4 * pixels_per_point).size)
        probe.remove()
        spot = _best_spot(ax.transData.transform(anchor), size, dots, frame, placed)
        if spot is None:
            continue
        offset, box = spot
        placed.append(box)
        moved = bool(np.any(offset))
        ax.annotate(xytext=tuple(offset / pixels_per_point), **style,
                    arrowprops=dict(arrowstyle="-", color="#555555", lw=0.6) if moved else None)


def dense_centres(papers: pd.DataFrame, sample: int = 300) -> pd.DataFrame:
    """Per theme, the member with the most fellow members nearby: the middle of its densest patch.

    A theme's mean or median can fall between two patches of it, where no dot of it lies.
    """
    points = papers[["x", "y"]].to_numpy(dtype=float)
    radius = 0.03 * float(np.ptp(points, axis=0).max() or 1.0)
    rows = {}
    for theme_id, members in papers.groupby("theme_id").indices.items():
        xy = points[members]
        candidates = xy[np.linspace(0, len(xy) - 1, min(sample, len(xy))).astype(int)]
        near = (np.linalg.norm(candidates[:, None, :] - xy[None, :, :], axis=2) < radius).sum(axis=1)
        rows[theme_id] = candidates[int(np.argmax(near))]
    return pd.DataFrame.from_dict(rows, orient="index", columns=["x", "y"])


def _wrap(label: str) -> str:
    """One keyword per line ("time series forecasting" / "real-world"), long ones wrapped at spaces."""
    return "\n".join(textwrap.fill(part, LABEL_WIDTH, break_on_hyphens=False) for part in label.split(" · "))


def _best_spot(
    anchor: np.ndarray, size: np.ndarray, dots: np.ndarray, frame: np.ndarray, placed: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The offset (pixels) on rings around `anchor` whose label box covers the fewest dots, a dot
    being worth 20 pixels of distance on a map of 200 (less on denser maps, where every spot covers
    some); boxes leaving the axes or touching a placed box are out."""
    radii = np.repeat(np.arange(0, 181, 15), 16)
    angles = np.tile(np.linspace(0, 2 * np.pi, 16, endpoint=False) + np.pi / 2, len(radii) // 16)
    offsets = np.column_stack([radii * np.cos(angles), radii * np.sin(angles)])
    centres = anchor + offsets
    boxes = np.hstack([centres - size / 2, centres + size / 2])  # x0, y0, x1, y1
    ok = (boxes[:, 0] >= frame[0]) & (boxes[:, 1] >= frame[1]) & (boxes[:, 2] <= frame[2]) & (boxes[:, 3] <= frame[3])
    for other in placed:
        ok &= ~((boxes[:, 0] < other[2]) & (boxes[:, 2] > other[0])
                & (boxes[:, 1] < other[3]) & (boxes[:, 3] > other[1]))
    if not ok.any():
        return None
    boxes, offsets, radii = boxes[ok], offsets[ok], radii[ok]
    covered = np.array([np.count_nonzero((dots[:, 0] > b[0]) & (dots[:, 0] < b[2]) & (dots[:, 1] > b[1])
                                         & (dots[:, 1] < b[3])) for b in boxes])
    pixels_per_dot = 20 / max(1.0, len(dots) / 200) ** 0.75
    best = int(np.argmin(covered * pixels_per_dot + radii))
    return offsets[best], boxes[best]
