"""One visual style for every figure and the interactive map: fonts, sizes and theme colours.

Colours come from colour-blind-safe qualitative palettes (Okabe-Ito, then Paul Tol's muted and
light schemes), so theme N has the same colour in the PNG map, the charts and map.html.
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = (
    # Okabe-Ito (black dropped: it reads as text)
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    # Paul Tol muted
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
    # Paul Tol light
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
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
