"""The report's static charts, in the shared style; each returns a matplotlib Figure, saving is the caller's."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.report.style import OUTLIER_COLOR, RC_PARAMS, theme_color


MAX_SHARE_THEMES = 12  # more stacked colours than this cannot be told apart


def short(label: str, width: int = 28) -> str:
    return textwrap.shorten(str(label), width=width, placeholder="…")


def theme_share_chart(shares: pd.DataFrame, themes: pd.DataFrame, unit: str, top: int = MAX_SHARE_THEMES) -> Figure:
    """Stacked shares on a real time axis: how the corpus divides among themes, gaps between dates shown.

    Past `top` themes, the ones whose share moves most (largest spread over the periods) are drawn
    and the rest are stacked together in grey as "other themes", so the colours stay tellable apart.
    """
    with plt.rc_context(RC_PARAMS):
        table = shares.pivot_table(index=["time", "period"], columns="theme_id", values="share", fill_value=0)
        if len(table.columns) > top:
            moving = (table.max() - table.min()).sort_values(ascending=False).index[:top]
            table = table[sorted(moving)].assign(other=1 - table[sorted(moving)].sum(axis=1))
        times = np.array([time for time, _ in table.index], dtype=float)
        periods = [period for _, period in table.index]
        labels = themes.set_index("theme_id")["label"]
        fig, ax = plt.subplots(figsize=(11, 4.8))
        colours = [OUTLIER_COLOR if t == "other" else theme_color(int(t)) for t in table.columns]
        names = ["other themes" if t == "other" else f"{t}: {short(labels.get(t, t), 40)}" for t in table.columns]
        ax.stackplot(times, (table.to_numpy() * 100).T, colors=colours, labels=names, edgecolor="white", linewidth=0.4)
        for time in times:
            ax.axvline(time, color="white", linewidth=0.6, alpha=0.7)
        shown = _spaced(times, min_gap=(times.max() - times.min()) / 20)
        ax.set_xticks(times[shown], [periods[i] for i in shown], rotation=45 if len(shown) > 6 else 0,
                      ha="right" if len(shown) > 6 else "center")
        if len(periods) <= 12:
            counts = shares.groupby("time")["period_papers"].first()
            for i in shown:
                ax.text(times[i], 101, f"n={counts[times[i]]}", ha="center", va="bottom", fontsize=8, color="#444444")
        ax.set_xlim(times.min(), times.max() if len(times) > 1 else times.min() + 1)
        ax.set_ylim(0, 108)
        ax.set_ylabel("share of papers (%)")
        ax.set_xlabel({"day": "page date (days apart as on the calendar)", "month": "month", "year": "year"}.get(unit, unit))
        note = "" if "other" not in table.columns else f" ({top} most changing themes; the rest in grey)"
        ax.set_title(f"Theme share over time{note}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        fig.tight_layout()
        return fig


def _spaced(times: np.ndarray, min_gap: float) -> list[int]:
    """Indices of the periods to label: the first, then each at least `min_gap` after the last labelled
    (Mar 11, 12 and 14 share one label's width on an axis that runs to June)."""
    shown: list[int] = []
    for i, time in enumerate(times):
        if not shown or time - times[shown[-1]] >= min_gap:
            shown.append(i)
    return shown


def speedup_distribution(board: pd.DataFrame, themes: pd.DataFrame) -> Figure:
    """Claimed factors per theme on a log axis; each dot is one claim, speedups filled, reductions hollow."""
    with plt.rc_context(RC_PARAMS):
        order = board.groupby("theme_id")["value"].max().sort_values(ascending=False).index.tolist()
        labels = themes.set_index("theme_id")["label"]
        fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(order), 3) + 1.4))
        rng = np.random.default_rng(0)
        for row, theme_id in enumerate(order):
            group = board[board["theme_id"] == theme_id]
            jitter = rng.uniform(-0.18, 0.18, len(group))
            for kind, filled in (("speedup", True), ("reduction", False)):
                part = group["kind"].to_numpy() == kind
                color = theme_color(int(theme_id))
                ax.scatter(group["value"].to_numpy()[part], row + jitter[part], s=36, linewidths=1.3,
                           facecolors=color if filled else "none", edgecolors=color)
            ax.plot([group["value"].median()] * 2, [row - 0.3, row + 0.3], color="#333333", linewidth=1.2)
        ax.set_yticks(range(len(order)), [short(labels.get(t, t), 38) for t in order])
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("claimed factor (×, log scale)   ● speedup   ○ reduction   | median")
        ax.set_title("Claimed speedups and reductions per theme")
        ax.grid(axis="x", which="major", color="#dddddd", linewidth=0.6)
        fig.tight_layout()
        return fig


def theme_metric_heatmap(counts: pd.DataFrame, themes: pd.DataFrame) -> Figure:
    """How many papers of each theme report each metric: where each kind of evidence comes from."""
    with plt.rc_context(RC_PARAMS):
        labels = themes.set_index("theme_id")["label"]
        fig, ax = plt.subplots(figsize=(1.0 + 0.62 * len(counts.columns) + 2.6, 0.42 * len(counts) + 1.8))
        image = ax.imshow(counts.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
        ax.set_xticks(range(len(counts.columns)), [short(c, 18) for c in counts.columns], rotation=45, ha="right")
        ax.set_yticks(range(len(counts)), [f"{t}: {short(labels.get(t, t), 34)}" for t in counts.index])
        top = counts.to_numpy().max() or 1
        for (row, col), value in np.ndenumerate(counts.to_numpy()):
            if value:
                ax.text(col, row, str(value), ha="center", va="center", fontsize=8,
                        color="white" if value > top * 0.6 else "#222222")
        ax.spines[:].set_visible(False)
        ax.set_title("Papers reporting each metric, per theme")
        fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, label="papers")
        fig.tight_layout()
        return fig
