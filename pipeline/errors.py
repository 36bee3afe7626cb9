"""The project's error type: a problem the user can act on, shown by the CLI as one line, exit 1.

Each stage raises its own subclass (InputError, SettingsError, StoreError, OutputError, ...), whose
message names the file, line, setting or path involved; anything else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """A problem in the input, the settings or the machine, explained in one line."""
