"""A CLI that explains itself: enumerated options list their choices, usage errors are one line, and help
fits a real terminal."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
COMMAND = typer.main.get_command(app)
COMMANDS = sorted(COMMAND.commands)
TRENDS = Path(sys.executable).with_name("trends")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

@pytest.mark.parametrize("name, option, choices", [
    ("claims", "--kind", "speedup|reduction|score|improvement|scale"),
    ("claims", "--role", "result|baseline|context|all"),
    ("claims", "--sort", "value|paper|kind|metric|theme"),
    ("claims", "--format", "table|csv|json|jsonl"),
    ("checks", "--check", "out-of-range|outlier|inconsistent|direction"),
])
def test_enumerated_options_list_their_choices(name, option, choices):
    help_text = runner.invoke(app, [name, "--help"]).stdout
    assert f"{option} [{choices}]" in help_text


@pytest.mark.parametrize("args, line", [
    (["claims", "--kind", "speed"],
     "error: --kind must be one of speedup, reduction, score, improvement, scale; got 'speed'; did you mean speedup?"),
    (["claims", "--sort", "size"], "error: --sort must be one of value, paper, kind, metric, theme; got 'size'"),
    (["claims", "--role", "baselines"], "error: --role must be one of result, baseline, context, all; got 'baselines'; "
                                        "did you mean baseline?"),
    (["checks", "--check", "outliers"], "error: --check must be one of out-of-range, outlier, inconsistent, direction; "
                                        "got 'outliers'; did you mean outlier?"),
    (["themes", "-f", "xml"], "error: --format must be one of table, csv, json, jsonl; got 'xml'"),
    (["papers"], "error: --theme is required (`trends papers --help` lists the options)"),
    (["claims", "--knd", "speedup"], "error: no such option --knd; did you mean --kind? (`trends claims --help` lists "
                                     "the options)"),
    (["claims", "--limit", "-3"], "error: --limit: "),
    (["clams"], "error: no such command 'clams'; did you mean `trends claims`?"),
])
def test_usage_errors_are_one_line_and_exit_2(args, line):
    result = runner.invoke(app, args, prog_name="trends")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(line), result.stderr
    assert "Usage:" not in result.output and "╭" not in result.output


def in_terminal(args: list[str], columns: int, rows: int = 50) -> tuple[int, list[str]]:
    """Run the real `trends` in a pseudo-terminal of this size; its exit status and lines, without colours."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES", "NO_COLOR")}
    process = subprocess.Popen([str(TRENDS), *args], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError as error:  # Linux: EIO once the child has closed the terminal
            if error.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    text = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r", "")
    return process.wait(timeout=60), text.splitlines()


needs_terminal = pytest.mark.skipif(not TRENDS.exists() or sys.platform == "win32",
                                    reason="needs the installed `trends` script and a POSIX pseudo-terminal")


@needs_terminal
@pytest.mark.parametrize("columns", [80, 100])
def test_help_fits_a_real_terminal(columns):
    code, lines = in_terminal(["claims", "--help"], columns)
    assert code == 0 and lines[0].startswith("Usage: trends claims")
    assert max(map(len, lines)) <= columns
    assert any(line.lstrip().startswith("--kind [speedup|reduction|score|improvement|scale]") for line in lines)


@needs_terminal
def test_usage_error_is_one_line_in_a_real_terminal():
    code, lines = in_terminal(["claims", "--kind", "speed"], 80)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith("error: --kind must be one of speedup, reduction, score, improvement, scale; got 'speed'")
