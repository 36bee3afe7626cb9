"""What every `trends` command shares: one-line usage errors, enumerated options, `--columns`.

Click, under Typer, prints a bad option value as a boxed, multi-line panel with the usage; here
every usage error is one line on stderr, `error: --kind must be one of speedup, …; got 'speed'`,
and exit status 2 (1 stays for the user's errors found later, 130 for Ctrl-C). Help is Click's
plain layout, up to 100 columns wide, with defaults and choices shown.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from pipeline.output import TableView

err = Console(stderr=True)

# Click's exception types as the installed Typer has them (recent Typer versions ship their own Click).
UsageError: type[Exception] = typer.BadParameter.__mro__[1]
ClickException: type[Exception] = UsageError.__mro__[1]

HELP_WIDTH = 100


LABEL_STYLES = {"error": "red", "warning": "yellow", "note": "yellow", "interrupted": "yellow", "aborted": "yellow"}


def print_line(label: str, message: str) -> None:
    """`label: message` on stderr as one line; the message is printed as written (no markup)."""
    err.print(Text.assemble((f"{label}:", LABEL_STYLES.get(label, "")), " ", message), highlight=False, soft_wrap=True)


class ChoiceError(typer.BadParameter):
    """A value that is not one of an option's choices; its message follows the option's name."""


class OneLineErrors(TyperGroup):
    """The `trends` group: usage errors as one line and exit 2, and "did you mean" for a mistyped command."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # `trends` alone: the help, as Click prints it
                typer.echo(error.format_message())
                sys.exit(0)
            print_line("error", usage_line(error))
            sys.exit(2)
        except ClickException as error:
            print_line("error", _sentence(error.format_message()))
            sys.exit(error.exit_code)
        except typer.Abort:
            print_line("aborted", "nothing was changed")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            if not args or args[0].startswith("-"):
                raise
            close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=1, cutoff=0.5)
            hint = f"; did you mean `{ctx.command_path} {close[0]}`?" if close else ""
            raise UsageError(f"no such command {args[0]!r}{hint}", ctx) from error


def usage_line(error: Exception) -> str:
    """A usage error in one line, naming the option and where the help is."""
    param = getattr(error, "param", None)
    name = _param_name(param) if param is not None else None
    kind = type(error).__name__
    if kind == "NoSuchOption":
        possible = sorted(error.possibilities or [])
        close = difflib.get_close_matches(error.option_name, possible, n=1) or possible[:1]
        message = f"no such option {error.option_name}" + (f"; did you mean {close[0]}?" if close else "")
    elif kind == "MissingParameter" and name:
        message = f"{name} is required"
    elif isinstance(error, ChoiceError) and name:
        message = f"{name} {error.message}"
    elif isinstance(error, typer.BadParameter) and name:
        message = f"{name}: {_sentence(error.message)}"
    else:
        message = _sentence(error.format_message())
    ctx = getattr(error, "ctx", None)
    pointer = ctx is not None and kind not in ("UsageError", "ChoiceError")  # a choice's error lists them already
    where = f" (`{ctx.command_path} --help` lists the options)" if pointer else ""
    return message + where


def _param_name(param: Any) -> str:
    """`--kind` for an option, `TEXT` for an argument."""
    options = [opt for opt in getattr(param, "opts", []) if opt.startswith("--")]
    if getattr(param, "param_type_name", "") == "argument" or not options:
        return getattr(param, "metavar", None) or str(param.name).upper()
    return options[0]


def _sentence(text: str) -> str:
    """A message as one line of our style: lower-case start, no final full stop."""
    line = " ".join(str(text).split())
    line = line[:1].lower() + line[1:] if line[:2] != line[:2].upper() else line
    return line.rstrip(".")


def choice(choices: Sequence[str], convert: Callable[[str], Any] = str) -> Callable[[Any], Any]:
    """A parser for an option that takes one of `choices` (any case; '-' and '_' alike), as `convert(choice)`."""
    by_key = {_key(name): name for name in choices}

    def parse(value: Any) -> Any:
        if not isinstance(value, str):  # a default, already converted
            return value
        name = by_key.get(_key(value))
        if name is None:
            close = difflib.get_close_matches(_key(value), list(by_key), n=1, cutoff=0.6)
            hint = f"; did you mean {by_key[close[0]]}?" if close else ""
            raise ChoiceError(f"must be one of {', '.join(choices)}; got {value!r}{hint}")
        return convert(name)

    return parse


def _key(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(" ", "-")


def choice_option(*names: str, choices: Sequence[str] | type[Enum], help: str, **kwargs: Any) -> Any:
    """A `typer.Option` taking one of `choices` (names, or an Enum's values), listed in the help."""
    if isinstance(choices, type) and issubclass(choices, Enum):
        values = [member.value for member in choices]
        parse = choice(values, choices)
    else:
        values = list(choices)
        parse = choice(values)
    return typer.Option(*names, parser=parse, metavar="[" + "|".join(values) + "]", help=help, **kwargs)


def split_columns(value: str | None) -> list[str] | None:
    """`--columns a,b,c` as a list of names (spaces around the commas allowed)."""
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()] or None


def columns_option(names: Sequence[str], view: TableView) -> Any:
    """The `--columns` option of a listing whose result has `names` and whose table shows `view`."""
    return typer.Option("--columns", "-c", metavar="A,B,…", show_default=f"{','.join(view.columns)}; csv and json: all",
                        help=f"Columns to show, comma-separated, from: {', '.join(names)}.")
