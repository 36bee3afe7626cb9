"""`trends open` as a user types it: the real command, a browser of our own or none, the real report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
TRENDS = Path(sys.executable).with_name("trends")


def open_page(args: list[str], tmp_path: Path, browser: str | None) -> subprocess.CompletedProcess:
    """The real `trends open` with a browser command of our own (or none at all)."""
    env = {key: value for key, value in os.environ.items() if key not in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PATH"] = str(tmp_path / "no-browsers")  # nor lynx, w3m, xdg-open, … from the machine
    (tmp_path / "no-browsers").mkdir(exist_ok=True)
    if browser:
        env["BROWSER"] = browser
    return subprocess.run([str(TRENDS), "open", *args], capture_output=True, text=True, env=env, timeout=60)


needs_linux = pytest.mark.skipif(sys.platform != "linux" or not TRENDS.exists(),
                                 reason="browser discovery differs off Linux (macOS always has one)")


@needs_linux
@pytest.mark.parametrize("page, file", [([], "report.html"), (["map"], "map.html")])
def test_open_hands_the_page_to_the_browser(default_run, tmp_path, page, file):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    browser.chmod(0o755)
    result = open_page([*page, "--reports", str(default_run["reports"])], tmp_path, f"{browser} %s")
    assert result.returncode == 0, result.stderr
    assert opened.read_text().strip() == (default_run["reports"] / file).resolve().as_uri()
    assert str((default_run["reports"] / file).resolve()) in result.stdout


@needs_linux
def test_open_without_a_browser_gives_the_path(default_run, tmp_path):
    result = open_page(["--reports", str(default_run["reports"])], tmp_path, None)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no web browser found" in result.stderr
    assert str((default_run["reports"] / "report.html").resolve()) in result.stderr


def test_open_before_a_run_says_what_makes_the_page(tmp_path):
    result = runner.invoke(app, ["open", "map", "--reports", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "no map at" in result.stderr and "`trends run` makes it" in result.stderr
