"""Re-runs: nothing changed does nothing; a new page keeps the old papers' themes and places."""

from __future__ import annotations

import shutil

import pandas as pd
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import RAW_DIR


def test_new_page_extends_stored_themes_and_unchanged_run_is_skipped(tmp_path, shared_cache):
    raw = tmp_path / "raw"
    raw.mkdir()
    pages = sorted(RAW_DIR.glob("*.txt"))
    for page in pages[:4]:
        shutil.copy(page, raw)
    args = ["--input", str(raw), "--processed", str(tmp_path / "p"), "--reports", str(tmp_path / "r"),
            "--cache", str(shared_cache)]
    runner = CliRunner()
    assert runner.invoke(app, ["run", *args]).exit_code == 0
    before = pd.read_parquet(tmp_path / "p" / "papers.parquet").set_index("paper_id")
    themes_before = pd.read_parquet(tmp_path / "p" / "themes.parquet")

    shutil.copy(pages[4], raw)
    result = runner.invoke(app, ["run", *args])
    assert result.exit_code == 0 and "kept the" in result.stderr
    after = pd.read_parquet(tmp_path / "p" / "papers.parquet").set_index("paper_id")
    assert len(after) == 194 and len(before) < 194
    old = after.loc[before.index]
    pd.testing.assert_series_equal(old["theme_id"], before["theme_id"])
    pd.testing.assert_frame_equal(old[["x", "y"]], before[["x", "y"]])
    new = after.drop(before.index)
    assert new["theme_id"].isin(themes_before["theme_id"]).all() and new[["x", "y"]].notna().all().all()
    themes_after = pd.read_parquet(tmp_path / "p" / "themes.parquet")
    assert themes_after["label"].tolist() == themes_before["label"].tolist()
    assert themes_after["size"].sum() == 194

    result = runner.invoke(app, ["run", *args])
    assert result.exit_code == 0 and "up to date" in result.stderr

    result = runner.invoke(app, ["run", *args, "--recluster"])
    assert result.exit_code == 0 and "kept the" not in result.stderr and "layout" in result.stderr
    lineage = pd.read_parquet(tmp_path / "p" / "theme_lineage.parquet")
    reclustered = pd.read_parquet(tmp_path / "p" / "themes.parquet")
    # the stored themes were fitted on 184 papers: re-fitting on 194 keeps most, and accounts for all
    assert lineage["status"].isin(["kept", "split", "merged", "new", "gone"]).all()
    assert set(lineage["old_theme_id"].dropna()) == set(themes_after["theme_id"])
    assert set(lineage["new_theme_id"].dropna()) == set(reclustered["theme_id"])
    assert (lineage["status"] == "kept").sum() >= len(reclustered) / 2
    kept = lineage[lineage["status"] == "kept"]
    assert (kept["n_papers"] > 0).all() and kept["old_label"].notna().all() and kept["new_label"].notna().all()
    assert "What became of the previous run" in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")

    result = runner.invoke(app, ["run", *args, "--recluster", "--seed", "3", "--themes", "12"])
    assert result.exit_code == 0
    lineage = pd.read_parquet(tmp_path / "p" / "theme_lineage.parquet")
    assert lineage["status"].isin(["kept", "split", "merged", "new", "gone"]).all()
    assert "merged" in set(lineage["status"]), "22 themes into 12 merges some"
    assert set(lineage["old_theme_id"].dropna()) == set(reclustered["theme_id"])
