"""A CLI that explains itself: every command has help with an example and is in the README, every option
shows its default and its choices, usage errors are one line, and help and tables fit a real terminal."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from importlib.metadata import version
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import REPO

runner = CliRunner()
COMMAND = typer.main.get_command(app)
COMMANDS = sorted(COMMAND.commands)
TRENDS = Path(sys.executable).with_name("trends")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def readme_commands() -> str:
    """The README's Commands section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]


def test_every_command_is_listed():
    assert {"run", "report", "open", "query", "themes", "papers", "claims", "progress", "checks", "search"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name):
    result = runner.invoke(app, [name, "--help"], prog_name="trends")
    assert result.exit_code == 0
    assert f"Example: trends {name}" in result.stdout, "the docstring ends with an example"
    assert re.search(rf"^trends {name}\b", readme_commands(), re.M), f"`trends {name}` is in the README's commands"
    options = result.stdout.split("\nOptions:\n", 1)[1]
    assert not re.search(r"<(str|bool|int|float|path|list)", options), "no type placeholders for options"
    assert "╭" not in result.stdout, "plain help, no boxes"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_shows_its_default_and_flags_take_no_value(name):
    command = COMMAND.commands[name]
    ctx = command.make_context(name, [], resilient_parsing=True)
    for param in command.params:
        if param.name == "help" or param.param_type_name != "option":
            continue
        record = param.get_help_record(ctx)
        if param.is_flag:
            assert " " not in record[0].split(",")[-1].strip(), f"{name} {param.opts}: a flag shows no value placeholder"
        else:
            assert "default:" in record[1] or param.required, f"{name} {param.opts} shows no default"


@pytest.mark.parametrize("name, option, choices", [
    ("claims", "--kind", "speedup|reduction|score|improvement|scale"),
    ("claims", "--role", "result|baseline|context|all"),
    ("claims", "--sort", "value|paper|kind|metric|theme"),
    ("claims", "--format", "table|csv|json|jsonl"),
    ("checks", "--check", "out-of-range|outlier|inconsistent|direction"),
    ("search", "--by", "both|meaning|words"),
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
    (["search", "x", "--by", "sense"], "error: --by must be one of both, meaning, words; got 'sense'"),
    (["themes", "-f", "xml"], "error: --format must be one of table, csv, json, jsonl; got 'xml'"),
    (["open", "pdf"], "error: PAGE must be one of report, map; got 'pdf'"),
    (["papers"], "error: --theme is required (`trends papers --help` lists the options)"),
    (["claims", "--knd", "speedup"], "error: no such option --knd; did you mean --kind? (`trends claims --help` lists "
                                     "the options)"),
    (["claims", "--limit", "-3"], "error: --limit: "),
    (["serch", "decoding"], "error: no such command 'serch'; did you mean `trends search`?"),
])
def test_usage_errors_are_one_line_and_exit_2(args, line):
    result = runner.invoke(app, args, prog_name="trends")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(line), result.stderr
    assert "Usage:" not in result.output and "╭" not in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"trends {version('literature-trends')}"


def test_no_arguments_print_the_help():
    result = runner.invoke(app, [], prog_name="trends")
    assert result.exit_code == 0 and "Commands:" in result.stdout and "search" in result.stdout
    assert "..." not in result.stdout.split("Commands:")[1], "every command's summary is whole, not cut"


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
@pytest.mark.parametrize("columns", [80, 100])
def test_claims_table_fits_a_real_terminal_one_line_per_row(default_run, columns):
    code, lines = in_terminal(["claims", "--limit", "12", "--processed", str(default_run["processed"])], columns)
    assert code == 0
    assert max(map(len, lines)) <= columns, "\n".join(lines)
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 12, "each claim is one line"
    header = next(line for line in lines if line.startswith("┃"))
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == ["kind", "value", "unit", "metric", "dataset", "title"]


@needs_terminal
def test_usage_error_is_one_line_in_a_real_terminal():
    code, lines = in_terminal(["claims", "--kind", "speed"], 80)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith("error: --kind must be one of speedup, reduction, score, improvement, scale; got 'speed'")
