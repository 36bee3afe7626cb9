"""Rendering of the stored tables into figures, Markdown, HTML and the interactive map."""
