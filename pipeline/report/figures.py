"""The report's static charts, in the shared style; each returns a matplotlib Figure, saving is the caller's.

Colours come from `theme_color`, so theme N looks the same here, in the PNG map and in map.html.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from pipeline.report.style import RC_PARAMS, theme_color

MAX_PANELS = 30  # past this many themes, the small multiples show areas instead
PANEL_COLUMNS = 5
AREA_COLOR = "#3b4a5a"
COUNT_CMAP = LinearSegmentedColormap.from_list("counts", ["#f4f7fb", "#9ecae1", "#2171b5", "#08306b"])


def short(label: str, width: int = 28) -> str:
    return textwrap.shorten(str(label), width=width, placeholder="…")


def share_panels(shares: pd.DataFrame, titles: dict[int, str], colors: dict[int, str], unit: str,
                 bursts: pd.DataFrame | None = None, verdicts: dict[int, str] | None = None,
                 what: str = "theme") -> Figure:
    """Small multiples: one panel per theme (or area) with its share of each period's papers and the
    95 % Wilson band around it, on a real time axis shared by all panels (dates as far apart as on
    the calendar) and one y scale, so panels compare at a glance. Burst periods are ringed, and a
    significant trend is named in the panel's corner.

    `shares` has the columns of `trends.theme_shares` with `theme_id` holding the panel's id.
    """
    verdicts = verdicts or {}
    ids = [i for i in titles if i in set(shares["theme_id"])]
    columns = min(4 if len(ids) <= 16 else PANEL_COLUMNS, len(ids))
    rows = math.ceil(len(ids) / columns)
    with plt.rc_context({**RC_PARAMS, "font.size": 8.5, "axes.titlesize": 9, "xtick.labelsize": 7.5,
                         "ytick.labelsize": 7.5}):
        # No shared axes and no autoscaling: every panel gets the same limits and ticks set once,
        # which draws the same figure at a fraction of the cost (autoscaling 30 linked axes is slow).
        fig = plt.figure(figsize=(2.3 * columns, 1.6 * rows + 0.45))
        axes = [fig.add_subplot(rows, columns, i + 1) for i in range(len(ids))]  # only the panels drawn
        times = np.sort(shares["time"].unique()).astype(float)
        labels = shares.drop_duplicates("time").set_index("time")["period"]
        top = min(100.0, float(shares["share_high"].max()) * 100 * 1.05) or 1.0
        pad = (times.max() - times.min()) * 0.04 if len(times) > 1 else 0.5
        ticks = _tick_times(times)
        y_ticks = mticker.MaxNLocator(3).tick_values(0, top)
        y_ticks = y_ticks[y_ticks <= top]
        in_burst = _burst_points(bursts, shares) if bursts is not None else set()
        lowest_row = {column: (len(ids) - 1 - column) // columns for column in range(columns)}
        for i, (ax, key) in enumerate(zip(axes, ids)):
            ax.set_autoscale_on(False)
            ax.set_xlim(times.min() - pad, times.max() + pad)
            ax.set_ylim(0, top)
            own = shares[shares["theme_id"] == key].sort_values("time")
            color = colors[key]
            ax.fill_between(own["time"], own["share_low"] * 100, own["share_high"] * 100, color=color, alpha=0.22,
                            linewidth=0)
            ax.plot(own["time"], own["share"] * 100, color=color, linewidth=1.6, marker="o" if len(times) <= 12 else None,
                    markersize=2.5)
            burst = own[[(key, period) in in_burst for period in own["period"]]]
            if not burst.empty:
                ax.scatter(burst["time"], burst["share"] * 100, s=34, facecolors="none", edgecolors="#222222",
                           linewidths=0.9, zorder=4)
            ax.set_title(short(titles[key], 34), loc="left", pad=3)
            if verdicts.get(key) in ("growing", "shrinking"):
                ax.text(0.98, 0.92, "↑ growing" if verdicts[key] == "growing" else "↓ shrinking", transform=ax.transAxes,
                        ha="right", va="top", fontsize=7.5, color="#222222")
            ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
            row, column = divmod(i, columns)
            ax.set_yticks(y_ticks, [f"{value:.0f}%" for value in y_ticks] if column == 0 else [])
            if row == lowest_row[column]:  # the lowest panel of each column carries the dates
                ax.set_xticks(ticks, [str(labels[t]) for t in ticks])
                tick_labels = ax.get_xticklabels()
                if len(tick_labels) > 1:
                    tick_labels[0].set_horizontalalignment("left")
                    tick_labels[-1].set_horizontalalignment("right")
            else:
                ax.set_xticks(ticks, [])
        axis = {"day": "page dates", "month": "months", "year": "years"}.get(unit, unit)
        burst_note = "; ringed: bursts" if in_burst else ""
        fig.suptitle(f"Share of each period's papers per {what} ({axis} on a real time axis; band: 95% interval"
                     f"{burst_note})", x=0.01, y=1 - 0.08 / fig.get_figheight(), ha="left", va="top", fontsize=10)
        fig.subplots_adjust(left=0.05, right=0.99, top=1 - 0.5 / fig.get_figheight(), bottom=0.3 / fig.get_figheight(),
                            hspace=0.62, wspace=0.1)
        return fig


def _tick_times(times: np.ndarray, most: int = 3) -> list[float]:
    """First, last, and the middle period when it is far from both: labels that never collide in a panel."""
    if len(times) <= 2:
        return list(times)
    middle = times[np.argmin(np.abs(times - (times[0] + times[-1]) / 2))]
    span = times[-1] - times[0]
    keep = [times[0]]
    if most > 2 and min(middle - times[0], times[-1] - middle) > span * 0.3:
        keep.append(middle)
    return [*keep, times[-1]]


def _burst_points(bursts: pd.DataFrame, shares: pd.DataFrame) -> set[tuple[int, str]]:
    """(panel id, period) of every period inside a burst."""
    order = shares.drop_duplicates("period").set_index("period")["period_order"]
    points = set()
    for burst in bursts.itertuples(index=False):
        inside = order[(order >= burst.start_order) & (order <= burst.end_order)].index
        points.update((int(burst.theme_id), period) for period in inside)
    return points


def speed_by_group(best: pd.DataFrame, titles: dict[int, str], what: str = "theme") -> Figure:
    """Each paper's strongest speedup per theme or area (log axis), the median marked, with the number of papers.

    `best` has one row per paper: `group` (a key of `titles`), `theme_id` (its dot's colour) and `factor`.
    """
    with plt.rc_context(RC_PARAMS):
        stats = best.groupby("group")["factor"].agg(["median", "size"]).sort_values(["median", "size"], ascending=False)
        fig, ax = plt.subplots(figsize=(9, 0.34 * max(len(stats), 3) + 1.0))
        rng = np.random.default_rng(0)
        for row, (key, stat) in enumerate(stats.iterrows()):
            own = best[best["group"] == key]
            spread = 0.16 if len(own) < 20 else 0.3
            jitter = rng.uniform(-spread, spread, len(own)) if len(own) > 1 else np.zeros(1)
            ax.scatter(own["factor"].to_numpy(dtype=float), row + jitter, s=24 if len(own) < 50 else 10,
                       color=[theme_color(int(t)) for t in own["theme_id"]], alpha=0.85 if len(own) < 50 else 0.6,
                       linewidths=0, zorder=3)
            ax.plot([stat["median"]] * 2, [row - 0.36, row + 0.36], color="#222222", linewidth=1.6, zorder=4)
        names = [f"{short(titles.get(key, str(key)), 38)}  (n = {int(stat['size'])})" for key, stat in stats.iterrows()]
        ax.set_yticks(range(len(stats)), names)
        ax.set_ylim(len(stats) - 0.5, -0.5)
        ax.set_xscale("log")
        decades = np.log10(best["factor"].max() / max(best["factor"].min(), 1.0))
        ax.xaxis.set_major_locator(mticker.LogLocator(subs=(1.0, 2.0, 5.0) if decades <= 3 else (1.0,)))
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:,g}×"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
        ax.set_xlabel("speedup (each paper's strongest; bar: median)")
        ax.set_title(f"Claimed speedups per {what}, n = papers", loc="left")
        fig.tight_layout()
        return fig


def theme_metric_heatmap(counts: pd.DataFrame, titles: dict[int, str], colors: dict[int, str], what: str = "theme") -> Figure:
    """Papers of each theme or area (rows, with its colour in a strip) reporting each result metric (columns)."""
    with plt.rc_context(RC_PARAMS):
        values = counts.to_numpy()
        fig, ax = plt.subplots(figsize=(3.2 + 0.62 * counts.shape[1], 0.3 * counts.shape[0] + 1.3))
        ax.imshow(values, cmap=COUNT_CMAP, aspect="auto", vmin=0)
        ax.set_xticks(range(counts.shape[1]), [short(m, 18) for m in counts.columns], rotation=40, ha="right")
        ax.set_yticks(range(counts.shape[0]), [short(titles.get(t, str(t)), 38) for t in counts.index])
        ax.tick_params(length=0)
        if what == "theme":  # a strip of theme colours; areas have none of their own
            ax.tick_params(axis="y", pad=14)
            ax.scatter([-0.015] * len(counts), range(len(counts)), marker="s", s=60, transform=ax.get_yaxis_transform(),
                       color=[colors[key] for key in counts.index], clip_on=False, linewidths=0)
        top = values.max() or 1
        for (row, col), value in np.ndenumerate(values):
            if value:
                ax.text(col, row, str(value), ha="center", va="center", fontsize=8,
                        color="white" if value > top * 0.55 else "#222222")
        ax.spines[:].set_visible(False)
        ax.set_title(f"Papers reporting a result in each metric, per {what}", loc="left")
        fig.tight_layout()
        return fig
