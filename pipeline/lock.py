"""One run at a time per output folder: an advisory lock that names its holder.

The lock is `fcntl.flock` on `<folder>/.trends.lock`, so the kernel releases it when the holder
exits, however it exits: a lock left by a killed run is simply free again (no stale-pid guessing,
no pid reuse). The holder writes its pid, host, start time and command into the file, so a second
run can say who is in the way. flock is local to one machine; on a network file system shared by
two machines it may not exclude, which the message for a lock held elsewhere cannot detect either.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.errors import UserError

LOCK_NAME = ".trends.lock"


class LockError(UserError, RuntimeError):
    """The folder cannot be locked: another run holds it (the message says who), or no lock file can be made."""


@contextmanager
def folder_lock(folder: Path) -> Iterator[Path | None]:
    """Hold the folder's lock for the duration, or raise LockError at once (never wait).

    A folder nobody may write (a read-only database read by `trends report`) needs no lock
    against writers, so it is read without one.
    """
    folder = Path(folder)
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            yield None
            return
        raise LockError(f"cannot lock {folder}: {error.strerror or error}") from error
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError(f"{folder} is in use by another run ({_describe(path)}); "
                            "wait for it to finish or stop it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(_holder()).encode("utf-8"), 0)
        yield path
    finally:
        os.close(fd)  # releases the lock; the file stays, so the next holder needs no create race


@contextmanager
def folders_lock(folders: list[Path]) -> Iterator[None]:
    """Hold the locks of several folders (each once, in a fixed order)."""
    unique = sorted({Path(folder).resolve() for folder in folders})
    with ExitStack() as stack:
        for folder in unique:
            stack.enter_context(folder_lock(folder))
        yield


def _holder() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "command": " ".join(sys.argv)[:200]}


def _describe(path: Path) -> str:
    """The holder as recorded, or what can be said when the record is missing or unreadable."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {holder['pid']} on {holder['host']}, started {holder['started']}: {holder['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return f"holder not recorded in {path}"
