"""Shared fixtures: the real default corpus and the conference corpus when it is present."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.browser import browsers, open_page, playwright_session  # noqa: F401  (headless Chromium fixtures)

REPO = Path(__file__).resolve().parents[1]
RAW_DIR = REPO / "data" / "raw"
SHARED = REPO.parent / "shared"
CONFERENCE = SHARED / "corpora" / "conference_abstracts.jsonl"
DEV_DIR = SHARED / "dev"


@pytest.fixture(scope="session")
def raw_pages() -> list[Path]:
    pages = sorted(RAW_DIR.glob("*.txt"))
    assert len(pages) == 5, "the default corpus (five pages) should be committed in data/raw"
    return pages


def conference_sample(n: int, seed: int = 0) -> list[dict]:
    """A fixed random sample of the conference corpus; skips the test when the file is absent."""
    if not CONFERENCE.exists():
        pytest.skip(f"conference corpus not found at {CONFERENCE}")
    lines = CONFERENCE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in random.Random(seed).sample(lines, n)]


@pytest.fixture
def conference_jsonl(tmp_path: Path) -> Path:
    """200 real conference records written as a JSON Lines input file."""
    path = tmp_path / "conference_sample.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in conference_sample(200)), encoding="utf-8")
    return path


def run_cli(*args: str) -> str:
    """Run the real `trends` command in-process; fail the test with its output if it fails."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One embedding cache for the session's pipeline runs, so only the first run encodes."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def default_run(tmp_path_factory, shared_cache) -> dict[str, Path]:
    """`trends run` on the default corpus, outputs in a temporary folder."""
    out = tmp_path_factory.mktemp("default_run")
    paths = {"processed": out / "processed", "reports": out / "reports", "cache": shared_cache}
    run_cli("run", "--input", str(RAW_DIR), *(f"--{k}={v}" for k, v in paths.items()))
    return paths


def corpus_records(name: str, ids: list[str]) -> list[dict]:
    """Records of a shared corpus by id, in the order asked; skips the test when the corpus is absent."""
    path = SHARED / "corpora" / name
    if not path.exists():
        pytest.skip(f"corpus not found at {path}")
    wanted, found = set(ids), {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if any(f'"{i}"' in line for i in wanted):
                record = json.loads(line)
                if record.get("id") in wanted:
                    found[record["id"]] = record
    return [found[i] for i in ids]
