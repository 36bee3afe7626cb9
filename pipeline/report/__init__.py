"""Rendering of the stored tables into figures, Markdown, HTML and the interactive map."""

import matplotlib

# Reports are drawn off-screen, also on machines with a display: never pick an interactive backend.
matplotlib.use("Agg")
