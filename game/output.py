"""A command's output: a file, written whole and readable by others, or standard output.

One home for every command that takes `-o` (map, schema, guide, report,
transcript): the file is written atomically (`saves.write_atomic`: a reader
sees the old file or the new one), its folder is made if missing, and a
file that cannot be written is an `OutputError` naming it and why, never a
traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import TaurideError


class OutputError(TaurideError):
    """An output file could not be written: its folder is not writable, or the name is a folder."""


def shared_mode() -> int:
    """The mode a new file gets under this user's umask (0644 under the usual 022).

    A written map, report or transcript is for handing on: a teacher copies it to
    a shared drive or reads it from another account, so it is not kept private
    (a temporary file, as `write_atomic` makes, is created 0600). Students'
    saves are not written here and keep their own mode."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_shared(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` atomically, with the mode a new file gets; an `OutputError` says why not."""
    from .saves import write_atomic

    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file's name, as in {path}/NAME")
    try:
        write_atomic(path, data)
        path.chmod(shared_mode())
    except OSError as exc:
        raise OutputError(f"{path}: could not write ({exc.strerror or exc})") from None


def emit(data: str | bytes, out: str | None, *, said: str = "wrote") -> None:
    """Write to the file `out` (see `write_shared`) and say so on stderr, or to standard output (None or -)."""
    if out is None or out == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    write_shared(Path(out), data)
    print(f"{said} {out}", file=sys.stderr)
