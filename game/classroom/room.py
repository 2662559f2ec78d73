"""The room as the teacher's view shows it: one row per student, read from their save folders.

The saves are the truth: the view reads each student's newest save under
the class folder (what `tauride serve` writes: CLASS/<student>/*.json),
replays it through the story like the report does, and says where they
are. The server adds only what no file can know — whose browser is
connected now. A folder with no readable save yet (signed in, no choice
made) is a row too, under the name noted at sign-in, so nobody is missing
from the table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping

from .. import engine
from ..active_time import saved_seconds
from ..saves import AUTOSAVE, SaveError, autosave_name, is_autosave_name, save_chair
from ..story.model import Story, format_clock
from ..views.hours import hour_now
from .playthrough import Playthrough, load_playthrough
from .report import SKIP_DIRS
from .students import signed_in_name


@dataclass(frozen=True)
class Reflection:
    """One answer a student typed, with the question it answered."""

    student: str
    question: str
    answer: str


@dataclass(frozen=True)
class RoomRow:
    """One student in the room."""

    key: str
    """Their folder's name (the normalised name the server files them under)."""
    name: str
    connected: bool
    clock: str
    """The story's clock where they stand ("16:30"), or "—" before their first save."""
    hour: str
    scene: str
    choices: int
    reflections: tuple[Reflection, ...]
    saved_at: float | None
    """When their newest save was written (epoch seconds): their last activity the files know of."""
    finished: bool
    active_minutes: float
    problem: str | None = None
    """Why their save could not be read (the row still shows)."""
    chair: str = ""
    """The chair their newest save was played in (a class picking chairs: `serve --chair pick`); "" for none."""

    def idle_seconds(self, now: float) -> float | None:
        return None if self.saved_at is None else max(0.0, now - self.saved_at)


def newest_save(folder: Path, story: Story | None = None) -> Path | None:
    """The newest autosave — the game writes it after every choice, so it is where the student stands (each
    chair of a story has its own: the one played last) — else the newest save in the folder (one kept by hand).

    `story`: a class playing one chair (the teacher assigned it): only that chair's autosave counts, so a
    student's newer game in the other chair (homework, say) is not read against this chair's story."""
    if story is not None:
        mine = folder / f"{autosave_name(story)}.json"
        autos = [mine] if mine.is_file() else []
    else:
        autos = [p for p in folder.glob(f"{AUTOSAVE}*.json") if p.is_file() and is_autosave_name(p.stem)]
    if autos:
        return max(autos, key=lambda p: p.stat().st_mtime)
    saves = [p for p in folder.glob("*.json") if p.is_file() and not p.name.startswith(".")]
    return max(saves, key=lambda p: p.stat().st_mtime, default=None)


def student_folders(class_dir: Path) -> list[Path]:
    if not class_dir.is_dir():
        return []
    return sorted((d for d in class_dir.iterdir()
                   if d.is_dir() and not d.name.startswith(".") and d.name not in SKIP_DIRS),
                  key=lambda d: d.name.lower())


def read_row(story: Story, folder: Path, connected: bool, chairs: Mapping[str, Story] | None = None) -> RoomRow:
    """One student's row from their newest save (a row with `problem` when it cannot be read).

    `chairs`: every chair's story by id, when students may play different chairs: each save is read
    with the chair it records (game.saves.save_chair), and the row says which."""
    path = newest_save(folder, None if chairs else story)
    signed_in = signed_in_name(folder) or folder.name
    blank = RoomRow(folder.name, signed_in, connected, "—", "—", "not started", 0, (), None, False, 0.0)
    if path is None:
        return blank
    if chairs:
        chair = save_chair(path) or story.chair or ""
        story = chairs.get(chair, story)
        blank = replace(blank, chair=chair)
    try:
        pt: Playthrough = load_playthrough(story, path)
        mtime = path.stat().st_mtime
    except (SaveError, OSError) as exc:
        return RoomRow(**{**blank.__dict__, "problem": str(exc).replace(str(path) + ": ", "")})
    name = pt.student or signed_in
    hour = hour_now(story, pt.state)
    answers = tuple(Reflection(name, s.reflect or "", s.answer) for s in pt.steps if s.answer)
    return RoomRow(folder.name, name, connected, format_clock(pt.state.clock),
                   (engine.hour_title(story, pt.state, hour) or "—") if hour else "—",
                   engine.scene_title(story, pt.state), len(pt.steps), answers, mtime, pt.finished, saved_seconds(pt.meta) / 60,
                   chair=blank.chair)


def read_room(story: Story, class_dir: Path, connected: Iterable[str] = ()) -> list[RoomRow]:
    """Every student folder under the class folder, as rows; `connected` holds the folder names playing now."""
    return RoomReader(story, class_dir).read(connected)


class RoomReader:
    """`read_room` for a view that asks every two seconds: a folder is replayed again only when its newest
    save changed (a class of forty replaying every save each time would take the server's cores)."""

    def __init__(self, story: Story, class_dir: Path, chairs: Mapping[str, Story] | None = None) -> None:
        self.story = story
        self.class_dir = class_dir
        self.chairs = dict(chairs or {})
        """Every chair's story by id when the class picks chairs; empty: every save is `story`'s."""
        self._cache: dict[Path, tuple[tuple[str, int, int] | None, RoomRow]] = {}

    def read(self, connected: Iterable[str] = ()) -> list[RoomRow]:
        live = set(connected)
        rows = []
        for folder in student_folders(self.class_dir):
            path = newest_save(folder, None if self.chairs else self.story)
            try:
                stamp = (path.name, path.stat().st_mtime_ns, path.stat().st_size) if path else None
            except OSError:
                stamp = None
            cached = self._cache.get(folder)
            # A folder without a save is read every time: that costs a glob, and the name noted at
            # sign-in may land a moment after the folder itself.
            if cached is not None and stamp is not None and cached[0] == stamp:
                row = cached[1]
            else:
                row = read_row(self.story, folder, False, self.chairs)
                self._cache[folder] = (stamp, row)
            rows.append(replace(row, connected=folder.name in live))
        return rows


def idle_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
