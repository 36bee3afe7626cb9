"""The project's error type: a problem the user can act on, shown by the CLI as one line, exit 1.

Each stage raises its own subclass (InputError, SettingsError, StoreError, OutputError, ...), whose
message names the file, line, setting or path involved; anything else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """A problem in the input, the settings or the machine, explained in one line."""


def first_line(error: BaseException) -> str:
    """A library's error message cut to its first line (DuckDB's run to several), for a one-line message."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, carrying what was kept, in words for the user (the CLI prints it)."""
