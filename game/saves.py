"""Saves on disk: versioned JSON, written atomically, checked on load.

The I/O edge of the game. A save names the story it belongs to and refers
to scenes and choices by the ids the writer chose, never by position, so a
writer adding a choice or a variable does not break players' saves. Each
save is its own file: a corrupt one is reported by name and the others
still list and load. What a save may hold is defined once, in
game.save_format (read with bounded numbers and depth by game.save_json);
which games are kept when the autosave moves on is game.save_keep's rule.
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
from typing import TYPE_CHECKING, Any

from .errors import TaurideError
from .save_json import SaveFormatError, parse_save_json

if TYPE_CHECKING:
    from .engine.state import State  # decoded only when a save is loaded: not for the title's glance
    from .save_format import SaveFile
    from .story.model import Story

SAVE_FORMAT = "tauride-save"
SAVE_VERSION = 1
"""Bump when the layout changes; add a migration from every older version still loadable."""
MIN_VERSION = 1
"""The oldest save this version can read."""
AUTOSAVE = "autosave"
"""The autosave of a one-chair story, and of the first chair of a story folder of several."""
MAX_SAVE_BYTES = 16 * 1024 * 1024
STALE_TEMP_SECONDS = 600
"""A temporary file this old was left by a writer that was killed mid-save: safe to remove."""
_NAME = re.compile(r"^[^\W_][\w .-]{0,63}$")
"""A letter or digit of any script first, then letters, digits, spaces, '_', '-' or '.'."""


def autosave_name(story: Story) -> str:
    """The autosave slot of `story`'s chair: 'autosave', or 'autosave-sailor' for a chair other than the folder's own.

    A student may play both chairs from one save folder (a role-play lesson, then the other side for
    homework): each chair keeps its own game going, so a game in one chair never takes the other's
    autosave (it would be set aside as unreadable, and "Continue" would find nothing).
    """
    if story.chair is None or not story.chairs or story.chair == story.chairs[0].id:
        return AUTOSAVE
    return f"{AUTOSAVE}-{story.chair}"


def is_autosave_name(name: str) -> bool:
    """Whether `name` is an autosave slot of some chair: the game's own, never a name a player saves under."""
    folded = name.strip().casefold()
    return folded == AUTOSAVE or folded.startswith(AUTOSAVE + "-")


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
    finished: bool = False
    """A playthrough kept at its ending (game.save_keep): listed for review, never written over."""


@dataclass(frozen=True)
class Autosaved:
    """What one autosave wrote: the autosave, and the saves it kept on the way (for the shell to mention)."""

    path: Path
    kept: tuple[str, ...] = ()
    """An earlier or unreadable game set aside before the autosave was written over."""
    finished: str | None = None
    """The name the playthrough was kept under, when this autosave reached an ending."""


def check_name(name: str) -> str:
    """A slot name that is safe as a file name; raises SaveError otherwise.

    Letters of any script are welcome (a save called 'Анна' or 'José'); the
    name is kept in NFC form, so the same name typed on two systems is one file.
    """
    name = unicodedata.normalize("NFC", name.strip())
    if not _NAME.match(name) or name.endswith(".") or name.split(".")[0].upper() in _RESERVED:
        raise SaveError(f"'{name}' is not a usable save name: {_name_fault(name)}")
    return name


def _not_the_players(name: str) -> str | None:
    """Why `name` cannot be a save the player names (saving, renaming), or None: not a usable file name, or an
    autosave's (each chair's is the game's own)."""
    try:
        name = check_name(name)
    except SaveError as exc:
        return str(exc)
    if is_autosave_name(name):
        return f"'{name}' is kept by the game itself; choose another name"
    return None


def _name_fault(name: str) -> str:
    """Which rule of a save name `name` breaks, in words a player can act on (the first fault found)."""
    allowed = "use letters, digits, spaces, '-', '_' or '.'"
    if not name:
        return "type a name"
    if len(name) > 64:
        return f"it is {len(name)} characters long; keep it to 64"
    if not re.match(r"[^\W_]", name):
        return "begin it with a letter or a digit"
    for i, ch in enumerate(name, 1):
        if not re.match(r"[\w .-]", ch):
            return f"character {i} ('{ch}') cannot be in a save name; {allowed}"
    if name.endswith("."):
        return "end it with something other than '.'"
    return f"'{name.split('.')[0]}' is a name Windows keeps for a device; choose another"


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


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that a reader (or a crash) sees the old content or the new, never a mix (text as UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
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


def encode(story: Story, state: State, meta: dict[str, Any] | None = None, kind: str = "play") -> dict[str, Any]:
    """A save's content; `kind` 'finished' marks a playthrough kept at its ending (see game.save_keep)."""
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "story": {"id": story.id, "title": story.title, **({"chair": story.chair} if story.chair else {})},
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "meta": meta or {},
        "kind": kind,
        "state": state.to_json(),
    }


def save_chair(path: Path) -> str | None:
    """The chair a save file was played in (None if it names none or cannot be read): what
    `tauride play --load` opens, so a sailor's save loads the sailor's chair."""
    return _story_ref(path, "chair")


def save_story_id(path: Path) -> str | None:
    """The id of the story a save file was played in (None if it names none or cannot be read), read
    without checking the rest: which story's (or chair's) game it is, to say so."""
    return _story_ref(path, "id")


def _story_ref(path: Path, key: str) -> str | None:
    try:
        data = read_file(path)
    except SaveError:
        return None
    ref = data.get("story") if isinstance(data, dict) else None
    value = ref.get(key) if isinstance(ref, dict) else None
    return value if isinstance(value, str) else None


def check_save(data: Any, story: Story | None, where: str) -> "SaveFile":
    """Validate a save completely (format, version, story, then the whole layout against game.save_format).

    Returns the validated `SaveFile`. With a story, everything the save names
    must exist in it and every variable must fit its declaration. Raises only
    SaveError, whose message starts with `where` and says what is wrong.
    """
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{where}: not a Tauride save")
    version = data.get("version")
    if "version" not in data:
        raise SaveError(f"{where}: the save has no format version")
    if type(version) is not int:
        raise SaveError(f"{where}: the save's format version is {json.dumps(version)[:40]}, not a whole number; "
                        "the save is damaged")
    if version > SAVE_VERSION:
        raise SaveError(f"{where}: made by a newer Tauride (save format {version}, this one reads up to {SAVE_VERSION}); update Tauride")
    if version < MIN_VERSION:
        raise SaveError(f"{where}: save format {version} is too old for this Tauride (oldest readable: {MIN_VERSION})")
    ref = data.get("story")
    sid = ref.get("id") if isinstance(ref, dict) else None
    if story is not None and isinstance(sid, str) and sid != story.id:
        raise SaveError(f"{where}: this save belongs to the story '{sid}', not '{story.id}'")
    from .save_format import SaveFormatError, explain_problems, story_problems, validate_save

    try:
        save = validate_save(data)
    except SaveFormatError as exc:
        raise SaveError(f"{where}: the save is damaged: {exc}") from None
    if story is None:
        return save
    if save.state.scene not in story.scenes:
        raise SaveError(
            f"{where}: the scene '{save.state.scene}' it was saved in no longer exists in this story; start again or ask the writer"
        )
    problems = story_problems(save, story)
    if problems:
        raise SaveError(f"{where}: the save does not fit this story (the story has changed since this save was made, "
                        f"or the save was edited): {explain_problems(problems)}")
    return save


def decode(data: Any, story: Story, where: str) -> State:
    """Check a save's data completely against the story and rebuild its state."""
    check_save(data, story, where)
    from .engine.state import State

    state = State.from_json(data["state"])  # cannot fail on data check_save accepted
    # Variables the writer added since get their defaults; removed ones are dropped (the one rule, shared with
    # live reload). A value of the wrong type or out of its range was refused above as not fitting the story.
    from .engine.migrate import migrate

    return migrate(story, state)


def _finished(name: str) -> str:
    return f"'{name}' is a finished game, kept as it ended; save under another name"


class SaveStore:
    """The saves of one folder: named slots plus the autosave."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)
        self._written: dict[Path, tuple[tuple[int, int, int], Story, State]] = {}
        """The state this store last wrote to each file, with the file's identity just after.

        Every autosave first loads the autosave it replaces (game.save_keep), which is almost
        always the one this store wrote a choice ago: while that file is unchanged on disk, its
        state is taken from here, and a choice costs no re-reading and no pydantic (~10 MiB)."""

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.json"

    def write(self, name: str, story: Story, state: State, meta: dict[str, Any] | None = None,
              kind: str = "play") -> Path:
        """Write a save; a finished playthrough's save (kind 'finished') is never written over."""
        path = self.path(name)
        if not is_autosave_name(path.stem) and self.is_finished(name):  # the autosave is the game's own, whatever it held
            raise SaveError(_finished(name))
        self.sweep_stale_temp()
        try:
            write_atomic(path, json.dumps(encode(story, state, meta, kind), ensure_ascii=False, indent=1))
        except OSError as exc:
            self._written.pop(path, None)
            raise SaveError(f"{path}: could not write the save ({exc.strerror or exc})") from None
        ident = _identity(path)
        if ident is None:
            self._written.pop(path, None)
        else:
            self._written[path] = (ident, story, state)
        return path

    def name_problem(self, name: str) -> str | None:
        """Why a player may not save under `name`, or None: the one rule the save dialog and plain `save` apply.

        Each chair's autosave is the game's own (written at every choice, set aside by its own rule), so a
        save the player names can never take its place; a finished game stays as it ended. Any other name
        in use may be replaced once the player has said yes to it (`exists`).
        """
        problem = _not_the_players(name)
        if problem is not None:
            return problem
        name = check_name(name)
        return _finished(name) if self.is_finished(name) else None

    def is_finished(self, name: str) -> bool:
        """Whether the save `name` is a finished playthrough (read plainly; an unreadable file is not)."""
        path = self.path(name)
        if not path.exists():
            return False
        try:
            return read_file(path).get("kind") == "finished"
        except SaveError:
            return False

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

    def autosave(self, story: Story, state: State, meta: dict[str, Any] | None = None, *,
                 new_game: bool = False) -> Autosaved:
        """Write the autosave, first keeping any other game it held (game.save_keep); at an ending,
        keep the playthrough as a finished save too. Says which saves were made on the way.

        `new_game`: the shell knows `state` is a game of its own, not the autosave's game going on
        (a new game's first autosave), so an unfinished game there is kept whatever its origin."""
        from .save_keep import before_autosave, keep_finished

        kept = before_autosave(self, story, state, new_game=new_game)
        path = self.write(autosave_name(story), story, state, meta)
        finished = keep_finished(self, story, state, meta or {})
        return Autosaved(path, tuple(kept), finished)

    def read(self, name: str) -> dict[str, Any]:
        return read_file(self.path(name))

    def load(self, name: str, story: Story) -> State:
        """The state saved as `name`, checked in full against `story` — unless this store wrote
        that very file for this story and nothing has replaced or changed it since."""
        path = self.path(name)
        written = self._written.get(path)
        if written is not None and written[1] is story and written[0] == _identity(path):
            return written[2]
        return decode(read_file(path), story, str(path))

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def delete(self, name: str) -> None:
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            raise SaveError(f"there is no save called '{name}'") from None

    def rename_problem(self, old: str, new: str | None = None) -> str | None:
        """Why the save `old` may not be renamed (to `new`, when given), or None: the one rule the saves screen
        asks before and while it asks for a name, and `rename` applies.

        An autosave is the game's own, as `name_problem` says of saving: renamed away, "Continue" would find
        nothing and the next choice would write a new one; renamed to, it would be written over at the next choice.
        """
        if is_autosave_name(old):
            return (f"'{old}' is the game's own save of the game going on; to keep it under a name of yours, "
                    "continue it and save it (s)")
        if new is None:
            return None
        problem = _not_the_players(new)
        if problem is not None:
            return problem
        new = check_name(new)
        return f"a save called '{new}' already exists" if new != old and self.path(new).exists() else None

    def rename(self, old: str, new: str) -> None:
        src, dst = self.path(old), self.path(new)
        if not src.exists():
            raise SaveError(f"there is no save called '{old}'")
        problem = self.rename_problem(old, new)
        if problem is not None:
            raise SaveError(problem)
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


def _identity(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever a file is replaced or written to (inode, size, modification time), or
    None when it cannot be read: every save is written by a rename, so a new save is a new inode."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def glance(path: Path, story: Story) -> SaveInfo | None:
    """A save's summary read without checking it (no pydantic import): for a first frame only.

    The title screen shows "continue" from this before its first frame, then
    replaces it with the full check (`SaveStore.info`) right after, so a
    damaged save is still named; None when the file cannot even be summarised.
    """
    try:
        data = read_file(path)
    except SaveError:
        return None
    from .story.model import format_clock  # the model only with the story: not for a title drawn from its record

    state = data.get("state")
    if not isinstance(state, dict):
        return None
    scene, clock, log = state.get("scene"), state.get("clock"), state.get("log")
    if not (isinstance(scene, str) and scene in story.scenes and type(clock) is int and isinstance(log, list)):
        return None
    return SaveInfo(path.stem, path, scene=scene, scene_title=story.scenes[scene].title, clock=format_clock(clock),
                    steps=len(log))


def _info(path: Path, story: Story | None) -> SaveInfo:
    """A save's summary, checked completely; an unusable save gets `error` instead of raising."""
    try:
        save = check_save(read_file(path), story, str(path))
    except SaveError as exc:
        return SaveInfo(path.stem, path, error=str(exc))
    from .story.model import format_clock

    state = save.state
    scene = story.scenes.get(state.scene) if story else None
    return SaveInfo(
        path.stem, path, saved_at=save.saved_at, scene=state.scene,
        scene_title=scene.title if scene else None, clock=format_clock(state.clock),
        steps=len(state.log), meta=dict(save.meta), finished=save.kind == "finished",
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
        data = parse_save_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError(f"{path}: the save is corrupt and cannot be read ({exc})") from None
    except SaveFormatError as exc:
        raise SaveError(f"{path}: the save cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise SaveError(f"{path}: not a Tauride save")
    return data


def saved_active_seconds(store: SaveStore, slot: str) -> float:
    """The time on task a save recorded (`active_time.META_KEY`), so a returning student's minutes add up:
    0 for none, or for a save that cannot be read (that is reported where the save is loaded, not here)."""
    from .active_time import saved_seconds

    try:
        data = read_file(store.path(slot)) if store.exists(slot) else {}
    except (SaveError, OSError):  # (OSError: a folder that cannot even be looked into)
        return 0.0
    meta = data.get("meta")
    return saved_seconds(meta if isinstance(meta, dict) else None)
