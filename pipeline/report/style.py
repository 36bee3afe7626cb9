"""One visual style for every figure and the interactive map: fonts, sizes and theme colours.

Theme N has the same colour in the PNG map, the charts and map.html. The palette starts with the
colour-blind-safe Okabe-Ito colours (black dropped: it reads as text) and continues with the
Glasbey colours (colorcet's `glasbey_bw_minc_20_maxl_70`) picked greedily to lie farthest in
CAM02-UCS from those already chosen, lightness between 38 and 80 so every dot shows on white.
Any two of the 30 differ by at least 20 ΔE (CIELAB); the palette it replaces had pairs at 6.
Past 30 themes the colours repeat.
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#8400CF", "#AA002D", "#00E500",
    "#755A00", "#734A67", "#C79FFF", "#6DD5C2", "#6C9700", "#FF9C88", "#C004B9", "#F3007B", "#456A66", "#9AAB85",
    "#8A70B1", "#4E33FF", "#006D2E", "#A2766A", "#FE77FF", "#B3C0DA", "#798B9F", "#DCB0C8", "#8388FF", "#913400",
)
OUTLIER_COLOR = "#BBBBBB"

RC_PARAMS: dict[str, object] = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
}


def theme_color(theme_id: int) -> str:
    """The colour of a theme everywhere it is drawn; -1 (outliers) is grey."""
    if theme_id < 0:
        return OUTLIER_COLOR
    return PALETTE[theme_id % len(PALETTE)]
