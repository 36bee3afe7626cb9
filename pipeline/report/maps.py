"""The theme map: a static PNG for the report and a self-contained interactive HTML page.

Both take papers with 2-D positions (`x`, `y`) and a `theme_id`, and colour them with the shared
palette. Every scraped string that reaches the HTML page is data, never markup: plotly gets
HTML-escaped text, the side panel writes with `textContent`, and the JSON in the page escapes `<`.
"""

from __future__ import annotations

import html
import json
import math
import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.figure import Figure

from pipeline.report.style import RC_PARAMS, theme_color
from pipeline.trends import largest_speedup_per_paper

LABEL_WIDTH = 22  # characters per line of a map label
MAX_MAP_LABELS = 20  # beyond this the labels cover the map; smaller themes stay unlabelled


# --------------------------------------------------------------------------- static figure


def theme_map_figure(papers: pd.DataFrame, themes: pd.DataFrame) -> Figure:
    """Papers as dots coloured by theme, each theme named once near its centre, labels not overlapping."""
    with plt.rc_context(RC_PARAMS):
        fig, ax = plt.subplots(figsize=(10, 7.5))
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
    centres = _dense_centres(papers)
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


def _dense_centres(papers: pd.DataFrame, sample: int = 300) -> pd.DataFrame:
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


# --------------------------------------------------------------------------- interactive page


def interactive_map_html(papers: pd.DataFrame, themes: pd.DataFrame, claims: pd.DataFrame | None = None) -> str:
    """One HTML file (plotly inlined, works offline): hover, search, click for abstract and claims.

    With claims that state speedups, a "colour by" control switches to the largest claimed speedup.
    """
    papers = papers.reset_index(drop=True)
    labels = {int(k): str(v) for k, v in themes.set_index("theme_id")["label"].items()}
    speedups = _largest_speedups(claims, papers)
    traces = _theme_traces(papers, labels)
    if speedups.notna().any():
        traces += _speedup_traces(papers, speedups)
    figure = go.Figure(traces + [_highlight_trace()])
    figure.update_layout(
        template="plotly_white", margin=dict(l=10, r=10, t=10, b=10), hovermode="closest",
        xaxis=dict(visible=False), yaxis=dict(visible=False),
        legend=dict(itemsizing="constant", font=dict(size=11), x=1.0, xanchor="left", y=1.0),
    )
    plot = figure.to_html(full_html=False, include_plotlyjs=True, div_id="map",
                          config={"displaylogo": False, "responsive": True},
                          post_script=f"initMap({len(_theme_ids(papers))});")
    slots = {
        "__COLOUR_CONTROL__": _COLOUR_CONTROL if speedups.notna().any() else "",
        "__DATA__": _script_json(_paper_records(papers, labels, claims, speedups)),
        "__PLOT__": plot,
    }  # filled in one pass: a title reading "__PLOT__" stays a title
    return re.sub("|".join(slots), lambda match: slots[match.group(0)], _PAGE)


def _theme_ids(papers: pd.DataFrame) -> list[int]:
    return sorted(int(t) for t in papers["theme_id"].dropna().unique())


def _marker_size(n: int) -> float:
    return float(np.clip(80 / math.sqrt(max(n, 1)), 3, 10))


def _hover(title: str, second_line: str) -> str:
    """Plotly renders a small HTML subset in hover labels, so scraped text goes in escaped."""
    return f"<b>{html.escape(textwrap.shorten(title, 90, placeholder='…'))}</b><br>{html.escape(second_line)}"


def _theme_traces(papers: pd.DataFrame, labels: dict[int, str]) -> list[go.Scattergl]:
    """One trace per theme, so the legend names and toggles themes; customdata is the paper's row."""
    traces = []
    for theme_id in _theme_ids(papers):
        group = papers[papers["theme_id"] == theme_id]
        label = labels.get(theme_id, f"theme {theme_id}")
        traces.append(go.Scattergl(
            x=group["x"], y=group["y"], mode="markers", customdata=group.index.to_numpy(),
            name=html.escape(f"{theme_id}: {label}"),
            marker=dict(size=_marker_size(len(papers)), color=theme_color(theme_id), opacity=0.8),
            hovertext=[_hover(t, label) for t in group["title"].astype(str)], hoverinfo="text",
        ))
    return traces


def _speedup_traces(papers: pd.DataFrame, speedups: pd.Series) -> list[go.Scattergl]:
    """Hidden until chosen: papers without a claimed speedup in grey, the rest on a log colour scale."""
    has = speedups.notna().to_numpy()
    ticks = [v for v in (1.5, 2, 3, 5, 10, 30, 100, 1000, 10000) if v <= max(speedups.max(), 2)]
    size = _marker_size(len(papers))
    return [
        go.Scattergl(
            x=papers["x"][~has], y=papers["y"][~has], mode="markers", customdata=papers.index[~has].to_numpy(),
            name="no speedup claimed", visible=False, marker=dict(size=size, color="#cccccc", opacity=0.5),
            hovertext=[_hover(t, "no speedup claimed") for t in papers["title"][~has].astype(str)],
            hoverinfo="text",
        ),
        go.Scattergl(
            x=papers["x"][has], y=papers["y"][has], mode="markers", customdata=papers.index[has].to_numpy(),
            name="largest claimed speedup", visible=False,
            marker=dict(size=size * 1.3, color=np.log10(speedups[has].to_numpy()), colorscale="Viridis",
                        colorbar=dict(title="speedup", x=0.0, xanchor="left", len=0.5, thickness=14,
                                      tickvals=np.log10(ticks).tolist(),
                                      ticktext=[f"{v:g}×" for v in ticks])),
            hovertext=[_hover(t, f"largest claimed speedup {v:g}×")
                       for t, v in zip(papers["title"][has].astype(str), speedups[has])],
            hoverinfo="text",
        ),
    ]


def _highlight_trace() -> go.Scattergl:
    """An empty ring the page moves onto the paper found or clicked."""
    return go.Scattergl(x=[], y=[], mode="markers", showlegend=False, hoverinfo="skip",
                        marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(color="#d62728", width=3)))


def _largest_speedups(claims: pd.DataFrame | None, papers: pd.DataFrame) -> pd.Series:
    """Per paper row, the largest "N×" speedup it claims (NaN where none)."""
    if claims is None or claims.empty:
        return pd.Series(np.nan, index=papers.index)
    return papers["paper_id"].map(largest_speedup_per_paper(claims)).astype("float64")


def _paper_records(
    papers: pd.DataFrame, labels: dict[int, str], claims: pd.DataFrame | None, speedups: pd.Series
) -> list[dict]:
    """What the side panel shows for each paper row (the row is the points' customdata)."""
    by_paper: dict[str, list[dict]] = {}
    if claims is not None and not claims.empty:
        for claim in claims.itertuples(index=False):
            by_paper.setdefault(str(claim.paper_id), []).append({
                "kind": _text(claim.kind), "metric": _text(claim.metric),
                "value": None if pd.isna(claim.value) else float(claim.value), "unit": _text(claim.unit),
                "text": _text(claim.text),
            })
    abstracts = papers["abstract"] if "abstract" in papers.columns else pd.Series("", index=papers.index)
    return [
        {
            "title": _text(row.title), "theme": labels.get(int(row.theme_id), ""), "theme_id": int(row.theme_id),
            "x": float(row.x), "y": float(row.y), "abstract": _text(abstract),
            "speedup": None if pd.isna(speedup) else float(speedup),
            "claims": by_paper.get(str(row.paper_id), []),
        }
        for row, abstract, speedup in zip(papers.itertuples(index=False), abstracts, speedups)
    ]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else str(value)


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no "</script>", "<!--" or line separators can end it early."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


_COLOUR_CONTROL = """<label>colour by <select id="colour-by">
<option value="theme">theme</option><option value="speedup">largest speedup</option></select></label>"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Theme map</title>
<style>
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #222; }
#app { display: flex; height: 100vh; }
#left { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#controls { display: flex; gap: 12px; align-items: center; padding: 8px 12px; border-bottom: 1px solid #ddd; }
#search { width: 340px; padding: 4px 6px; }
#plot-box { flex: 1; min-height: 0; }
#plot-box > div, #map { height: 100%; }
#panel { order: 2; flex: 0 0 380px; overflow-y: auto; border-left: 1px solid #ddd; padding: 12px 16px; }
#results { list-style: none; margin: 0; padding: 0; }
#results li { cursor: pointer; padding: 3px 0; border-bottom: 1px dotted #ddd; }
#results li:hover { background: #f2f2f2; }
.theme { color: #666; font-style: italic; }
.claim { margin: 6px 0; padding-left: 8px; border-left: 3px solid #ccc; }
.hint { color: #777; }
</style></head>
<body>
<script type="application/json" id="paper-data">__DATA__</script>
<script>
// Defined before the plot: plotly calls initMap once it has drawn.
const papers = JSON.parse(document.getElementById("paper-data").textContent);

function el(tag, text, cls) {  // text only: scraped strings never become markup
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function claimLine(c) {
  const value = c.value === null ? "" : c.value + (c.unit === "x" ? "×" : c.unit ? " " + c.unit : "");
  return [c.kind, c.metric, value].filter(Boolean).join(" · ");
}

function showPaper(gd, i) {
  const p = papers[i], details = document.getElementById("details");
  details.replaceChildren(el("h3", p.title), el("div", "theme " + p.theme_id + ": " + p.theme, "theme"));
  if (p.speedup !== null) details.append(el("p", "largest claimed speedup: " + p.speedup + "×"));
  details.append(el("p", p.abstract || "(no abstract)"));
  details.append(el("h4", p.claims.length ? "Claims" : "No claims extracted"));
  for (const c of p.claims) {
    const box = el("div", undefined, "claim");
    box.append(el("div", claimLine(c)), el("q", c.text));
    details.append(box);
  }
  Plotly.restyle(gd, {x: [[p.x]], y: [[p.y]]}, [gd.data.length - 1]);
}

function zoomTo(gd, p) {
  const xs = gd.layout.xaxis.range || [0, 1], ys = gd.layout.yaxis.range || [0, 1];
  const dx = Math.abs(xs[1] - xs[0]) / 8, dy = Math.abs(ys[1] - ys[0]) / 8;
  Plotly.relayout(gd, {"xaxis.range": [p.x - dx, p.x + dx], "yaxis.range": [p.y - dy, p.y + dy]});
}

function search(gd, query) {
  const list = document.getElementById("results");
  list.replaceChildren();
  const q = query.trim().toLowerCase();
  if (q.length < 2) return;
  let shown = 0;
  for (let i = 0; i < papers.length && shown < 12; i++) {
    if (!papers[i].title.toLowerCase().includes(q)) continue;
    const item = el("li", papers[i].title);
    item.addEventListener("click", () => { showPaper(gd, i); zoomTo(gd, papers[i]); });
    list.append(item);
    shown++;
  }
  if (!shown) list.append(el("li", "no title contains “" + query + "”", "hint"));
}

function initMap(nThemeTraces) {
  const gd = document.getElementById("map");
  gd.on("plotly_click", ev => showPaper(gd, ev.points[0].customdata));
  const box = document.getElementById("search");
  box.addEventListener("input", () => search(gd, box.value));
  box.addEventListener("keydown", ev => {
    const first = document.querySelector("#results li");
    if (ev.key === "Enter" && first) first.click();
  });
  document.getElementById("reset").addEventListener("click",
    () => Plotly.relayout(gd, {"xaxis.autorange": true, "yaxis.autorange": true}));
  const colour = document.getElementById("colour-by");
  if (colour) colour.addEventListener("change", () => {
    const byTheme = colour.value === "theme";
    const visible = gd.data.map((_, k) => k === gd.data.length - 1 || (k < nThemeTraces) === byTheme);
    Plotly.restyle(gd, {visible: visible});
  });
}
</script>
<div id="app">
<!-- the panel comes first so the plot is drawn at its final width -->
<aside id="panel"><ul id="results"></ul><div id="details">
<p class="hint">Hover a dot for its title; click it for the abstract and the claims found in it.</p>
</div></aside>
<div id="left">
<div id="controls">
<input id="search" type="search" placeholder="Find a paper by title…" autocomplete="off">
<button id="reset" type="button">reset zoom</button>
__COLOUR_CONTROL__
</div>
<div id="plot-box">__PLOT__</div>
</div>

</div>
</body></html>
"""
