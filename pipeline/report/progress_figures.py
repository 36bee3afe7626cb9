"""The Progress section's chart: one small step plot per frontier, on a real time axis."""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.figure import Figure

from pipeline.report.figures import short
from pipeline.report.style import OUTLIER_COLOR, PALETTE, RC_PARAMS

STEP_COLOR = PALETTE[4]  # Okabe-Ito blue
LABEL_WIDTH = 26
WIDE_RANGE = 8.0  # values spreading more than this factor are drawn on a log axis


def paper_label(title: str) -> str:
    """A paper's short name for a chart: the method name before a colon ("DiT: …"), else its first words."""
    head = re.split(r":\s", str(title), maxsplit=1)[0]
    return short(head if len(head) <= LABEL_WIDTH else title, LABEL_WIDTH)


def frontier_chart(points: pd.DataFrame, titles: pd.Series, frontier: pd.Series) -> Figure:
    """Every paper's best result as a grey dot, the frontier as a step line, each step's paper named.

    `points` are one frontier's rows of `frontier_points`; `titles` maps paper_id to title;
    `frontier` is its row of `frontiers`.
    """
    with plt.rc_context(RC_PARAMS):
        fig, ax = plt.subplots(figsize=(6.4, 3.4))
        points = points.sort_values("period_start")
        others = points[~points["moved_frontier"].astype(bool)]
        steps = points[points["moved_frontier"].astype(bool)]
        ax.scatter(others["period_start"], others["value"], s=18, color=OUTLIER_COLOR, zorder=2,
                   label="other papers' best result")
        line_x = [*steps["period_start"], points["period_start"].max()]
        line_y = [*steps["value"], steps["value"].iloc[-1]]
        ax.step(line_x, line_y, where="post", color=STEP_COLOR, linewidth=1.6, zorder=3, label="frontier")
        ax.scatter(steps["period_start"], steps["value"], s=30, color=STEP_COLOR, zorder=4)
        for k, step in enumerate(steps.itertuples(index=False)):
            ax.annotate(paper_label(titles.get(step.paper_id, step.paper_id)), (step.period_start, step.value),
                        xytext=(4, 7 if k % 2 == 0 else -12), textcoords="offset points", fontsize=7.5,
                        color="#333333", zorder=5)
        _time_axis(ax, points["period_start"], yearly=frontier["period_unit"] == "year")
        unit = f" ({frontier['unit']})" if frontier["unit"] else ""
        direction = "higher is better" if frontier["higher_is_better"] else "lower is better"
        ax.set_ylabel(f"{frontier['metric']}{unit}")
        ax.set_title(f"{frontier['metric']} on {frontier['dataset']} — {direction}", fontsize=10.5)
        values = points["value"].to_numpy(dtype=float)
        if values.min() > 0 and values.max() / values.min() > WIDE_RANGE:
            ax.set_yscale("log")  # a far-off point would flatten the steps on a linear axis
            ax.yaxis.set_major_locator(mticker.LogLocator(subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:g}"))
            ax.yaxis.set_minor_formatter(mticker.NullFormatter())
        ax.margins(x=0.08, y=0.18)
        ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
        ax.legend(loc="best", fontsize=7)
        fig.autofmt_xdate(rotation=0, ha="center")
        fig.tight_layout()
        return fig


def _time_axis(ax, starts: pd.Series, yearly: bool, max_ticks: int = 7) -> None:
    """Ticks on whole years or months only, never two labels for one period."""
    first, last = starts.min(), starts.max()
    if yearly:
        step = max(1, -(-(last.year - first.year + 1) // max_ticks))
        ax.xaxis.set_major_locator(mdates.YearLocator(base=step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, -(-months // max_ticks))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
