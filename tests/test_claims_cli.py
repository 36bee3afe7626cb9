"""`trends claims` as a user types it, on a store written from real abstracts by the real stages:
roles (results by default), and speedups compared as factors (a % speedup never outranks 34x)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import store
from pipeline.claims import extract_claims
from pipeline.cli import app

ABSTRACTS = {
    "decoder": "Our decoder achieves a 34x speedup over autoregressive decoding on long sequences.",
    "spacetime": "SpaceTime speeds up training on real-world ETTh1 data by 73% and 80% relative wall-clock time.",
    "icr": "ICR outperforms RankGPT while cutting the latency by more than 60% in practice.",
    "dd": "DD enables one-step generation (6.3times speed-up), with an acceptable increase in FID from 4.19 to 9.96.",
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    papers = pd.DataFrame({"paper_id": list(ABSTRACTS), "title": list(ABSTRACTS), "abstract": list(ABSTRACTS.values()),
                           "theme_id": [0] * len(ABSTRACTS)})
    themes = pd.DataFrame({"theme_id": [0], "label": ["decoding"], "size": [len(ABSTRACTS)]})
    out = tmp_path_factory.mktemp("claims_store")
    store.write_tables({"papers": papers, "themes": themes, "claims": extract_claims(papers)}, out)
    return out


def claims(processed: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(app, ["claims", *args, "--processed", str(processed), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_speedups_rank_as_factors(processed):
    rows = claims(processed, "--kind", "speedup")
    assert [(r["value"], r["unit"], r["factor"]) for r in rows] == [
        (34.0, "x", 34.0), (6.3, "x", 6.3), (80.0, "%", 1.8), (73.0, "%", 1.73),
    ]
    assert [r["value"] for r in claims(processed, "--kind", "speedup", "--min", "10")] == [34.0]
    cut = claims(processed, "--kind", "reduction", "--min", "2")
    assert [(r["value"], r["unit"], r["factor"]) for r in cut] == [(60.0, "%", 2.5)]


def test_results_by_default_and_other_roles_on_request(processed):
    default = {(r["value"], r["role"]) for r in claims(processed, "--kind", "score")}
    assert default == {(9.96, "result")}
    assert {r["value"] for r in claims(processed, "--kind", "score", "--role", "baseline")} == {4.19}
    assert {r["value"] for r in claims(processed, "--kind", "score", "--role", "all")} == {4.19, 9.96}


def test_unknown_role_is_one_line(processed):
    result = CliRunner().invoke(app, ["claims", "--role", "baselines", "--processed", str(processed)])
    assert result.exit_code == 2 and "--role must be one of result, baseline, context, all; got 'baselines'" in result.stderr


def test_help_says_what_min_means():
    result = CliRunner().invoke(app, ["claims", "--help"])
    assert "80% counts as 1.8x" in " ".join(result.stdout.split())
