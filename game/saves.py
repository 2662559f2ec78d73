"""Saves on disk: versioned JSON, written atomically, checked on load.

The I/O edge of the game. A save names the story it belongs to and refers
to scenes and choices by the ids the writer chose, never by position, so a
writer adding a choice or a variable does not break players' saves. Each
save is its own file: a corrupt one is reported by name and the others
still list and load.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .engine.state import State
from .errors import TaurideError
from .story.model import Story, format_clock

SAVE_FORMAT = "tauride-save"
SAVE_VERSION = 1
"""Bump when the layout changes; add a migration from every older version still loadable."""
MIN_VERSION = 1
"""The oldest save this version can read."""
AUTOSAVE = "autosave"
MAX_SAVE_BYTES = 16 * 1024 * 1024
STALE_TEMP_SECONDS = 600
"""A temporary file this old was left by a writer that was killed mid-save: safe to remove."""
_NAME = re.compile(r"^[^\W_][\w .-]{0,63}$")
"""A letter or digit of any script first, then letters, digits, spaces, '_', '-' or '.'."""


class SaveError(TaurideError):
    """A save could not be written or read; the message names the file and what to do."""


@dataclass(frozen=True)
class SaveInfo:
    """One entry in the saves list (corrupt files included, with `error` set)."""

    name: str
    path: Path
    saved_at: str | None = None
    scene: str | None = None
    scene_title: str | None = None
    clock: str | None = None
    steps: int = 0
    error: str | None = None
    meta: dict[str, Any] | None = None


def check_name(name: str) -> str:
    """A slot name that is safe as a file name; raises SaveError otherwise.

    Letters of any script are welcome (a save called 'Анна' or 'José'); the
    name is kept in NFC form, so the same name typed on two systems is one file.
    """
    name = unicodedata.normalize("NFC", name.strip())
    if not _NAME.match(name) or name.endswith(".") or name.split(".")[0].upper() in _RESERVED:
        raise SaveError(
            f"'{name}' is not a usable save name: use 1-64 letters, digits, spaces, '-', '_' or '.', starting with a letter or digit"
        )
    return name


FOLDER_NAME_BYTES = 96
"""Longest folder name made from a person's name, in UTF-8 bytes (file systems allow 255)."""
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_folder_name(name: str) -> str:
    """A person's or a class's name as one folder name that cannot point anywhere else.

    Keeps letters of any script (a student called Анна gets 'Анна'), turns
    path separators, NUL, control characters and the characters Windows
    forbids into '_', collapses runs of spaces, drops leading dots and
    trailing dots and spaces (so '.', '..' and '.hidden' cannot result),
    avoids Windows device names, and cuts the name to FOLDER_NAME_BYTES
    bytes of UTF-8 without splitting a character. Raises ValueError for a
    name with nothing usable left in it.
    """
    text = unicodedata.normalize("NFC", name)
    text = " ".join(text.split())  # tabs and line breaks are spaces in a name
    text = _UNSAFE.sub("_", text)
    text = text.lstrip(". ").rstrip(". ")
    raw = text.encode("utf-8")
    if len(raw) > FOLDER_NAME_BYTES:
        text = raw[:FOLDER_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(". ")
    if not text.strip("_"):
        raise ValueError("give a name with at least one letter or digit")
    if text.split(".")[0].upper() in _RESERVED:
        text = f"{text}_"
    return text


def default_save_dir() -> Path:
    """`$TAURIDE_SAVE_DIR`, else `saves/` of a source checkout, else the user's data folder."""
    env = os.environ.get("TAURIDE_SAVE_DIR")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").exists() and (checkout / "saves").is_dir():
        return checkout / "saves"
    from .folders import data_dir

    return data_dir() / "saves"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader (or a crash) sees the old content or the new, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def encode(story: Story, state: State, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "story": {"id": story.id, "title": story.title},
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "meta": meta or {},
        "state": state.to_json(),
    }


def decode(data: Any, story: Story, where: str) -> State:
    """Check a save's data against the story and rebuild its state."""
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{where}: not a Tauride save")
    version = data.get("version")
    if not isinstance(version, int):
        raise SaveError(f"{where}: the save has no format version")
    if version > SAVE_VERSION:
        raise SaveError(f"{where}: made by a newer Tauride (save format {version}, this one reads up to {SAVE_VERSION}); update Tauride")
    if version < MIN_VERSION:
        raise SaveError(f"{where}: save format {version} is too old for this Tauride (oldest readable: {MIN_VERSION})")
    sid = (data.get("story") or {}).get("id")
    if sid != story.id:
        raise SaveError(f"{where}: this save belongs to the story '{sid}', not '{story.id}'")
    try:
        state = State.from_json(data["state"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SaveError(f"{where}: the save is damaged ({type(exc).__name__}: {exc})") from None
    if state.scene not in story.scenes:
        raise SaveError(
            f"{where}: the scene '{state.scene}' it was saved in no longer exists in this story; start again or ask the writer"
        )
    # Variables the writer added since get their defaults; removed ones are dropped; values are kept in range.
    from .engine.migrate import migrate

    return migrate(story, state)


class SaveStore:
    """The saves of one folder: named slots plus the autosave."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.json"

    def write(self, name: str, story: Story, state: State, meta: dict[str, Any] | None = None) -> Path:
        path = self.path(name)
        self.sweep_stale_temp()
        try:
            write_atomic(path, json.dumps(encode(story, state, meta), ensure_ascii=False, indent=1))
        except OSError as exc:
            raise SaveError(f"{path}: could not write the save ({exc.strerror or exc})") from None
        return path

    def sweep_stale_temp(self, now: float | None = None) -> None:
        """Remove temporary files that killed saves left behind (never a save, never a fresh temp file)."""
        now = time.time() if now is None else now
        try:
            leftovers = list(self.folder.glob(".*.json.*.tmp"))
        except OSError:
            return
        for tmp in leftovers:
            try:
                if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                    tmp.unlink()
            except OSError:
                pass  # another writer finished or removed it first

    def autosave(self, story: Story, state: State, meta: dict[str, Any] | None = None) -> Path:
        return self.write(AUTOSAVE, story, state, meta)

    def read(self, name: str) -> dict[str, Any]:
        return read_file(self.path(name))

    def load(self, name: str, story: Story) -> State:
        path = self.path(name)
        return decode(read_file(path), story, str(path))

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def delete(self, name: str) -> None:
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            raise SaveError(f"there is no save called '{name}'") from None

    def rename(self, old: str, new: str) -> None:
        src, dst = self.path(old), self.path(new)
        if not src.exists():
            raise SaveError(f"there is no save called '{old}'")
        if dst.exists():
            raise SaveError(f"a save called '{new}' already exists")
        os.replace(src, dst)

    def list(self, story: Story | None = None) -> list[SaveInfo]:
        """Every save in the folder, newest first; unreadable ones carry `error`."""
        if not self.folder.is_dir():
            return []
        out = [_info(path, story) for path in self.folder.glob("*.json")]
        out.sort(key=lambda s: (s.saved_at or "", s.name), reverse=True)
        return out

    def info(self, name: str, story: Story | None = None) -> SaveInfo | None:
        """One save's summary (None if there is no such save): the title screen's "continue" reads
        only the autosave, not every save a student ever made."""
        path = self.path(name)
        return _info(path, story) if path.exists() else None


def _info(path: Path, story: Story | None) -> SaveInfo:
    """A save's summary; an unreadable save gets `error` instead of raising."""
    try:
        data = read_file(path)
        state = decode(data, story, str(path)) if story else State.from_json(data["state"])
    except (SaveError, KeyError, TypeError, ValueError) as exc:
        return SaveInfo(path.stem, path, error=str(exc))
    scene = story.scenes.get(state.scene) if story else None
    return SaveInfo(
        path.stem, path, saved_at=data.get("saved_at"), scene=state.scene,
        scene_title=scene.title if scene else None, clock=format_clock(state.clock),
        steps=len(state.log), meta=data.get("meta") or {},
    )


def read_file(path: Path) -> dict[str, Any]:
    """Read a save's JSON; every failure is a SaveError naming the file."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SAVE_BYTES + 1)
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the save ({exc.strerror or exc})") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: the file is too large to be a save")
    if not raw.strip():
        raise SaveError(f"{path}: the save is empty (perhaps cut off while being written by another program)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError(f"{path}: the save is corrupt and cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise SaveError(f"{path}: not a Tauride save")
    return data
