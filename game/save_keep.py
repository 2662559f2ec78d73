"""Games that are kept: the unfinished game a new one would replace, and every finished playthrough.

One rule, one home, for every shell (full-screen, served, plain): the
autosave holds the game being played, and it is never replaced by another
game without a copy.

- An unfinished game with at least one choice made is set aside as the save
  'earlier game' (then 'earlier game 2', …) when a different game (a new
  game, or one of another origin: seed, start or variables) is about to be
  autosaved over it. The full-screen game does it when the player confirms a
  new game (`unfinished_autosave`, then `set_aside_autosave`); plain mode and
  every other path do it at the new game's first autosave (`before_autosave`).
- An autosave that cannot be read is set aside as 'unreadable autosave'
  rather than written over: it may still be mended by hand. One that holds
  a game of another story (stories played from one save folder share its
  autosave) is set aside as '<that story's id> autosave', to load there.
- Every playthrough that reaches an ending is kept as its own save, named by
  the ending and the time ('finished - The end - 2026-12-07 14.05'), marked
  `kind: finished`. Nothing the game does writes over one or deletes one;
  the player can still delete it in the saves screen.

Undoing, continuing or loading a save of the same playthrough (same origin)
just moves the autosave: that is the player's own game going on.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .engine.state import State
from .story.model import Story

if TYPE_CHECKING:
    from .saves import SaveStore

EARLIER = "earlier game"
"""The name an unfinished game is kept under when a new game takes the autosave."""
UNREADABLE = "unreadable autosave"
"""The name an unreadable autosave is kept under rather than written over."""
FINISHED = "finished"
"""The first word of a finished playthrough's save name."""
_UNSAFE = re.compile(r"[^\w .-]+")


@dataclass(frozen=True)
class Unfinished:
    """The unfinished game in the autosave, and the save name it will be kept under."""

    state: State
    name: str


def is_ending(story: Story, state: State) -> bool:
    scene = story.scenes.get(state.scene)
    return scene is not None and scene.ending is not None


def unfinished_autosave(store: "SaveStore", story: Story) -> Unfinished | None:
    """The autosave's game if starting another would replace progress (an unfinished game with choices made).

    A finished game needs no asking: it was kept when it ended (`keep_finished`).
    """
    from .saves import SaveError, autosave_name

    try:
        old = store.load(autosave_name(story), story)
    except SaveError:
        return None
    if not old.log or is_ending(story, old):
        return None
    return Unfinished(old, free_name(store, EARLIER))


def free_name(store: "SaveStore", base: str, sep: str = " ") -> str:
    """`base`, or `base 2`, `base 3`, … : the first name no save has yet, so nothing is ever written over.

    `sep` joins the number on: a space for names a player reads ('earlier game 2'), a hyphen for
    names made like file names ('class-2026-12-07-1848-2')."""
    name, n = base, 1
    while store.exists(name):
        n += 1
        name = f"{base}{sep}{n}"
    return name


def other_story(store: "SaveStore", story: Story) -> str | None:
    """The id of another story whose game the autosave slot of `story` holds (None: it holds none, or it
    cannot be read far enough to say): stories played from one save folder share its autosave."""
    from .saves import autosave_name, save_story_id

    other = save_story_id(store.path(autosave_name(story)))
    return other if other != story.id else None


def unreadable_name(store: "SaveStore", story: Story) -> str:
    """The name an autosave this story cannot read is kept under: '<story id> autosave' when it is a game
    of another story (`other_story`), so the player finds that game by its story's name; 'unreadable
    autosave' when it is damaged. (The first free name from there on: see `free_name`.)"""
    from .saves import SaveError, check_name

    other = other_story(store, story)
    if other is not None:
        try:
            return check_name(f"{other} autosave")
        except SaveError:
            pass  # an id that is no save name: kept as unreadable, as before
    return UNREADABLE


def set_aside_autosave(store: "SaveStore", name: str, story: Story | None = None) -> None:
    """Move the autosave (of `story`'s chair) to the save `name`, as it is (a rename: no copy to fail half-way)."""
    from .saves import AUTOSAVE, SaveError, autosave_name

    src, dst = store.path(autosave_name(story) if story is not None else AUTOSAVE), store.path(name)
    try:
        if dst.exists():
            raise SaveError(f"{dst}: a save of that name exists already")
        os.replace(src, dst)
    except OSError as exc:
        raise SaveError(f"{src}: could not keep the autosave as '{name}' ({exc.strerror or exc})") from None


def before_autosave(store: "SaveStore", story: Story, new: State, *, new_game: bool = False) -> list[str]:
    """Keep whatever the autosave holds that writing `new` over it would lose; returns the names kept.

    A game with the same origin is the same playthrough going on, unless the
    shell says `new` is a `new_game` (two games started with one `--seed`
    share an origin). Raises SaveError when it cannot be kept: the caller must
    then not write the autosave.
    """
    from .saves import SaveError, autosave_name

    slot = autosave_name(story)
    path = store.path(slot)
    if not path.exists():
        return []
    try:
        old = store.load(slot, story)
    except SaveError:
        name = free_name(store, unreadable_name(store, story))
        set_aside_autosave(store, name, story)
        return [name]
    if not old.log or (old.origin == new.origin and not new_game):
        return []  # nothing to lose, or the same playthrough going on (a choice, undo, continue)
    if is_ending(story, old):
        kept = keep_finished(store, story, old, store.read(slot).get("meta") or {})
        return [kept] if kept else []
    name = free_name(store, EARLIER)
    set_aside_autosave(store, name, story)
    return [name]


def finished_name(story: Story, state: State, when: datetime) -> str:
    """'finished - <ending title> - <local date and time>', shortened to fit a save name."""
    ending = story.scenes[state.scene].ending
    if ending is not None and ending.title_template is not None:
        from .engine import ending_title

        shown = ending_title(story, state)  # the title the player read, {expressions} filled in
    else:
        shown = ending.title if ending else state.scene
    title = _UNSAFE.sub(" ", shown)
    title = " ".join(title.split()).strip(" .-") or state.scene
    stamp = when.strftime("%Y-%m-%d %H.%M")
    room = 64 - len(f"{FINISHED} -  - {stamp}") - 5  # 5: room for " 9999" when many end in the same minute
    if len(title) > room:
        title = title[:room].rstrip(" .-")
    return f"{FINISHED} - {title} - {stamp}"


def keep_finished(store: "SaveStore", story: Story, state: State, meta: dict[str, Any]) -> str | None:
    """Keep a playthrough that has reached an ending as its own finished save, once; returns its name.

    None when the state is not at an ending or this very playthrough (same
    origin, same log) is already kept.
    """
    if not is_ending(story, state):
        return None
    base = finished_name(story, state, datetime.now().astimezone())
    if _already_kept(store, state, base[: base.rindex(" - ") + 3]):
        return None
    name = free_name(store, base)
    store.write(name, story, state, meta, kind="finished")
    return name


def _already_kept(store: "SaveStore", state: State, prefix: str) -> bool:
    """Whether a finished save of this ending (its names start with `prefix`) holds this very playthrough.

    Only saves of the same ending can hold it, so only those are read (a plain
    read: no model is needed to compare). One renamed by the player is not
    found, and the playthrough is kept once more: a spare copy, never a loss.
    """
    from .saves import SaveError, read_file

    mine = state.to_json()
    try:
        paths = list(store.folder.glob(f"{prefix}*.json"))  # the name holds no glob characters (finished_name)
    except OSError:
        return False
    for path in paths:
        try:
            data = read_file(path)
        except SaveError:
            continue
        if data.get("kind") != "finished" or not isinstance(data.get("state"), dict):
            continue
        theirs = data["state"]
        if theirs.get("origin") == mine["origin"] and _same(theirs.get("log"), mine["log"]):
            return True
    return False


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
