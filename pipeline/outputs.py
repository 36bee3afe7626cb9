"""All-or-nothing outputs: a run's database, Parquet tables and report replace the old ones together.

Why a journal and not generation folders: the database folder and the report folder are separate
(and may be on different file systems), and users open `data/processed/trends.duckdb` and
`reports/report.html` by those names, so no single rename can switch both. Instead:

1. **Stage.** Every new file is written beside its final name (same folder, so its rename is
   atomic) under a temporary name `.<name>.<random>.tmp`, flushed, synced and checked by whoever
   writes it (the store opens the new database and counts every table's rows).
2. **Commit.** A journal listing every (temporary, final) pair and every file to delete is written
   atomically (temporary file, fsync, rename) as `.trends-journal.json` in the primary folder.
   The journal's appearance is the commit point.
3. **Apply.** The renames and deletions are done, then the journal is removed.

A failure before the commit point removes the temporary files and leaves the old outputs untouched,
byte for byte. A crash after it (power loss, kill -9 between two renames) leaves the journal, and
the next command that writes outputs completes it with `recover` before anything else, so the
outputs become the complete new set; a mix never persists. Roll-forward is safe because nothing is
journalled before every new file is whole. Ctrl-C is held back while the journal is applied.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.errors import Interrupted, UserError
from pipeline.plural import plural

JOURNAL_NAME = ".trends-journal.json"
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp(\.wal)?$")


class OutputError(UserError, RuntimeError):
    """An output that cannot be written or switched; the message names the path and the cause."""


def describe(error: OSError) -> str:
    """An OSError's cause in words, without Python's `[Errno 28]` prefix."""
    return error.strerror or str(error) or type(error).__name__


class StagedOutputs:
    """New output files written aside, to be switched in by `commit` (see the module docstring)."""

    def __init__(self, journal_folder: Path) -> None:
        self.journal_path = Path(journal_folder).resolve() / JOURNAL_NAME
        self.moves: list[tuple[Path, Path]] = []
        self.removals: list[Path] = []

    def temp_for(self, final: Path) -> Path:
        """A temporary name beside `final` for a writer that makes the file itself (DuckDB)."""
        final = Path(final).resolve()
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as error:  # some part of the path is a file
            blocker = next((p for p in [final.parent, *final.parent.parents] if p.exists() and not p.is_dir()), final.parent)
            raise OutputError(f"cannot write {final}: {blocker} is a file, not a folder") from error
        except OSError as error:
            raise OutputError(f"cannot create folder {final.parent}: {describe(error)}") from error
        if final.is_dir():
            raise OutputError(f"cannot write {final}: a folder of that name is in the way")
        temp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
        self.moves.append((temp, final))
        return temp

    def write_bytes(self, final: Path, content: bytes) -> None:
        """Stage one file with `content`, synced to disk and checked for its full size."""
        temp = self.temp_for(final)
        try:
            with open(temp, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            if temp.stat().st_size != len(content):
                raise OutputError(f"cannot write {final}: {temp.stat().st_size} of {len(content)} bytes written")
        except OSError as error:
            raise OutputError(f"cannot write {final}: {describe(error)}") from error

    def remove(self, final: Path) -> None:
        """Delete an old output that the new set no longer has, together with the switch."""
        self.removals.append(Path(final).resolve())

    def commit(self) -> None:
        """Write the journal (the commit point), then apply it."""
        journal = {"moves": [[str(temp), str(final)] for temp, final in self.moves],
                   "removals": [str(path) for path in self.removals]}
        try:
            for temp, _ in self.moves:  # files other writers made (DuckDB's Parquet) reach the disk first
                _sync_file(temp)
            _write_synced(self.journal_path, json.dumps(journal, indent=1).encode("utf-8"))
        except OSError as error:
            raise OutputError(f"cannot write {self.journal_path}: {describe(error)}") from error
        try:
            with _signals_held():
                _apply(self.journal_path, journal)
        except KeyboardInterrupt:  # held back during the switch, delivered once it was complete
            raise Interrupted("the new outputs had just been switched in, whole, when Ctrl-C arrived") from None

    def discard(self) -> None:
        """Remove every staged file (and DuckDB's write-ahead log beside it)."""
        for temp, _ in self.moves:
            for path in (temp, temp.with_name(temp.name + ".wal")):
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass  # nothing more can be done; remove_leftovers retries on the next run


@contextmanager
def staged_outputs(journal_folder: Path) -> Iterator[StagedOutputs]:
    """Stage outputs in the body; commit them together when it succeeds, discard them when it fails."""
    outputs = StagedOutputs(journal_folder)
    try:
        yield outputs
        outputs.commit()
    except BaseException:
        if not outputs.journal_path.exists():
            outputs.discard()
        raise


def recover(folders: list[Path]) -> list[str]:
    """Complete the switch a crashed run had committed; returns what was done, for the user."""
    notes = []
    for folder in folders:
        path = Path(folder).resolve() / JOURNAL_NAME
        if not path.exists():
            continue
        try:
            journal = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise OutputError(f"cannot read {path} (an interrupted run's switch of outputs): {error}; "
                              "delete it to keep the outputs as they are") from error
        with _signals_held():
            _apply(path, journal)
        notes.append(f"completed the switch of {plural(len(journal['moves']), 'output')} that an interrupted run had begun")
    return notes


def remove_leftovers(folders: list[Path]) -> int:
    """Delete temporary files that killed runs left in output folders (and their subfolders)."""
    removed = 0
    for folder in folders:
        for directory in [Path(folder), *(p for p in _subfolders(Path(folder)))]:
            for entry in _entries(directory):
                if entry.is_file() and _TEMPORARY.match(entry.name):
                    try:
                        Path(entry.path).unlink(missing_ok=True)
                        removed += 1
                    except OSError:
                        pass  # not ours to remove after all (permissions); it harms nothing
    return removed


def _apply(journal_path: Path, journal: dict) -> None:
    touched: set[Path] = set()
    try:
        for temp, final in journal["moves"]:
            if os.path.exists(temp):
                os.replace(temp, final)
                touched.add(Path(final).parent)
        for path in journal["removals"]:
            Path(path).unlink(missing_ok=True)
            touched.add(Path(path).parent)
        for folder in touched:
            _sync_folder(folder)
        journal_path.unlink()
        _sync_folder(journal_path.parent)
    except OSError as error:
        raise OutputError(f"cannot finish replacing the outputs ({describe(error)}: "
                          f"{getattr(error, 'filename', '')}); the next `trends run` or `trends report` "
                          "completes it") from error


def _write_synced(path: Path, content: bytes) -> None:
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        _sync_folder(path.parent)
    finally:
        temp.unlink(missing_ok=True)


def _sync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make renames in `folder` durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the journal is applied; they arrive right after."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _subfolders(folder: Path) -> Iterator[Path]:
    return (Path(entry.path) for entry in _entries(folder) if entry.is_dir(follow_symlinks=False))


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []
