"""How a re-clustering's themes relate to the stored ones: kept, split, merged, new or gone.

Two themes are linked when the papers both runs know and they share make up at least LINK_SHARE of
either theme's known papers. An old theme linked to one new theme that no other old theme feeds is
kept; one feeding several is split; a new theme fed by several old ones is a merge. Old themes
without a link are gone, new ones without a link are new.
"""

from __future__ import annotations

import pandas as pd

from pipeline import schema

LINK_SHARE = 0.3


def theme_lineage(old_papers: pd.DataFrame, old_themes: pd.DataFrame, new_papers: pd.DataFrame,
                  new_themes: pd.DataFrame) -> pd.DataFrame:
    """THEME_LINEAGE rows; `*_papers` hold paper_id and theme_id, `*_themes` theme_id and label."""
    joined = old_papers[["paper_id", "theme_id"]].dropna().merge(
        new_papers[["paper_id", "theme_id"]].dropna(), on="paper_id", suffixes=("_old", "_new"))
    shared = joined.groupby(["theme_id_old", "theme_id_new"]).size().rename("n_papers").reset_index()
    old_known = shared.groupby("theme_id_old")["n_papers"].transform("sum")
    new_known = shared.groupby("theme_id_new")["n_papers"].transform("sum")
    links = shared[(shared["n_papers"] >= LINK_SHARE * old_known) | (shared["n_papers"] >= LINK_SHARE * new_known)]
    successors = links.groupby("theme_id_old").size()
    sources = links.groupby("theme_id_new").size()
    rows = []
    for link in links.itertuples(index=False):
        status = ("merged" if sources[link.theme_id_new] > 1 else
                  "split" if successors[link.theme_id_old] > 1 else "kept")
        rows.append((link.theme_id_old, link.theme_id_new, link.n_papers, status))
    old_ids, new_ids = old_themes["theme_id"].astype(int), new_themes["theme_id"].astype(int)
    rows += [(t, None, 0, "gone") for t in old_ids if t not in successors.index]
    rows += [(None, t, 0, "new") for t in new_ids if t not in sources.index]
    table = pd.DataFrame(rows, columns=["old_theme_id", "new_theme_id", "n_papers", "status"])
    table["old_label"] = table["old_theme_id"].map(old_themes.set_index("theme_id")["label"])
    table["new_label"] = table["new_theme_id"].map(new_themes.set_index("theme_id")["label"])
    table = table.sort_values(["new_theme_id", "old_theme_id"], na_position="last", key=lambda c: c.astype(float))
    return schema.conform(table, schema.THEME_LINEAGE)
