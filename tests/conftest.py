"""Shared fixtures: small stories written into a temporary folder by the test itself.

No test touches the user's own folders. At the start of the session the story
cache is pointed at a folder of the session's own through the one documented
setting, `TAURIDE_CACHE_DIR` (settings through `TAURIDE_CONFIG_DIR`), so a
test that runs a command in-process or starts one inherits it. The platform
folders (`XDG_CACHE_HOME`, `XDG_CONFIG_HOME`, `XDG_DATA_HOME`) are pointed at
empty stand-ins too, and every test fails if it left anything in Tauride's
folder there: that is where it would have written to the player's real
folders had the setting been bypassed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Callable, Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"

MINI_MANIFEST = """\
title: Mini
id: mini
history: true
start: a
clock: {start: "15:30", end: "02:00"}
variables:
  resolve: {type: int, default: 2, range: [0, 5], label: Resolve, shown: true}
  secret: {type: bool, default: false}
sources:
  SP: "W. S. Woytinsky, Stormy Passage (1961)"
glossary:
  - {id: hall, term: Catherine Hall, kind: place, match: [Catherine Hall], text: The great hall., sources: [SP]}
"""

MINI_SCENES = """\
hour:
  title: Four o'clock
  discussion: [Who decides?]
scenes:
  - id: a
    title: The wire
    time: "16:00"
    place: hall
    text: |
      Resolve is {resolve}. {if secret}Secret.{else}Open.{/if}
    history: {note: It happened., sources: [SP]}
    choices:
      - {id: keep, text: Keep it secret, goto: b, effects: [secret = true, resolve += 1], cost: 15m, historical: true}
      - {id: tell, text: "Read it aloud ({resolve})", goto: b}
  - id: b
    title: The session
    text: The benches fill.
    choices:
      - {id: wait, text: Wait, goto: b, cost: 30m}
      - {id: end, text: Go home, goto: fin, selectable_if: secret, locked: You have nothing to hide yet}
  - id: fin
    title: Home
    text: Done.
    ending: {title: The end, epilogue: Over., history: Really., historical: true}
  - id: sailors
    title: Sailors
    time: "17:00"
    text: Sailors at the gate!
    choices:
      - {id: go, text: Go out to them, goto: fin}
events:
  - {id: sail, at: "17:00", goto: sailors}
"""


@pytest.fixture
def make_story(tmp_path: Path) -> Callable[..., Path]:
    """Write a story folder from {filename: yaml text}; defaults to the mini story."""

    def make(files: dict[str, str] | None = None, *, name: str = "story") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        files = files if files is not None else {"story.yaml": MINI_MANIFEST, "16.yaml": MINI_SCENES}
        for fname, text in files.items():
            (folder / fname).write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return make


@pytest.fixture
def mini(make_story: Callable[..., Path]):
    from game.story_folder import load_folder

    return load_folder(str(make_story()))


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    """The save folder of a test: apart from the story folder the fixtures write."""
    folder = tmp_path / "saves"
    folder.mkdir()
    return folder


@pytest.fixture
def class_story(tmp_path: Path):
    """The two-hour classroom story of `tests/class_story.py`, loaded."""
    from class_story import write_class_story

    from game.story_folder import load_folder

    return load_folder(str(write_class_story(tmp_path / "the-wire")))


@pytest.fixture
def served(tmp_path: Path):
    """`tauride serve` on a free local port with the class story (see `test_classroom_serve_e2e.serving`)."""
    from test_classroom_serve_e2e import serving

    with serving(tmp_path) as server:
        yield server


_SESSION = Path(tempfile.mkdtemp(prefix="tauride-tests-"))
"""This test session's own folders: the story cache and settings, and the stand-ins for the user's."""

STAND_INS = {name: _SESSION / "user" / name.lower() for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
"""The platform folders as the tests see them: where Tauride's real cache, settings and data would go."""


def pytest_configure(config: pytest.Config) -> None:
    os.environ["TAURIDE_CACHE_DIR"] = str(_SESSION / "cache")
    os.environ["TAURIDE_CONFIG_DIR"] = str(_SESSION / "config")
    os.environ.pop("TAURIDE_NO_CACHE", None)
    for name, folder in STAND_INS.items():
        os.environ[name] = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION, ignore_errors=True)


def written_to_user_folders() -> list[str]:
    """Files under Tauride's folder in the stand-ins for the user's platform folders (see the module's docstring)."""
    found = []
    for folder in STAND_INS.values():
        root = folder / "tauride"
        if root.exists():
            found += sorted(str(p) for p in root.rglob("*"))
    return found


@pytest.fixture(autouse=True)
def _user_folders_untouched() -> Iterator[None]:
    """Fail the test that wrote into the user's own folders (their stand-ins), naming what it wrote."""
    before = set(written_to_user_folders())
    yield
    new = [p for p in written_to_user_folders() if p not in before]
    for folder in STAND_INS.values():
        shutil.rmtree(folder / "tauride", ignore_errors=True)  # the next test starts clean
    if new:
        pytest.fail("this test wrote to the user's own folders instead of $TAURIDE_CACHE_DIR / "
                    f"$TAURIDE_CONFIG_DIR: {', '.join(new[:5])}", pytrace=False)


@pytest.fixture
async def room(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Classroom servers on loopback with test_classroom_serve_door's recording stand-in game, each in a folder
    of its own, closed after: `await room(**kwargs)` for each (kwargs as `Room` takes them)."""
    from test_classroom_serve_door import Room

    rooms: list[Room] = []

    async def make(**kwargs: object) -> Room:
        folder = tmp_path / f"room{len(rooms)}"
        folder.mkdir()
        r = Room(folder, **kwargs)  # type: ignore[arg-type]
        await r.ts.start_server()
        rooms.append(r)
        return r

    yield make
    for r in rooms:
        await r.ts.close()
