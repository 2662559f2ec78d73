"""The terminal game under rough handling: tiny terminals, wide characters, Ctrl+C anywhere.

Pilot tests open every screen the play screen leads to, squeeze the
terminal down to 40×12 and back, type Ctrl+C, and check that the game is
still answering, still in the same place, and that the autosave on disk
holds that place. The shipped story is used where it matters (long text);
a small inline story carries the wide and combining characters.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_helpers import make_app, settle

from game.story_folder import load_folder
from game.tui.screens.play import PlayScreen
from tests.conftest import MINI_MANIFEST, SCENES

SCREEN_KEYS = ["j", "h", "g", "t", "l", "o", "question_mark", "s"]
"""Keys on the play screen that open another screen or dialog (escape closes each)."""


def autosaved(saves: Path) -> dict:
    return json.loads((saves / "autosave.json").read_text())["state"]


@pytest.fixture(scope="module")
def shipped():
    return load_folder(str(SCENES))


async def _play_a_step(app, pilot) -> None:
    screen = app.screen
    assert isinstance(screen, PlayScreen)
    enabled = [i for i, c in enumerate(screen.query_one("ChoiceList").views, 1) if c.enabled]
    before = screen.state
    await pilot.press(str(enabled[0]))
    for _ in range(100):
        await pilot.pause()
        if screen.state is not before and not screen.busy:
            # its autosave is written on a thread once the frame is out: the checks read it from disk
            await app.workers.wait_for_complete()
            return
    raise AssertionError("the choice was not taken")


@pytest.mark.parametrize("key", SCREEN_KEYS)
async def test_every_screen_survives_40x12_and_back(shipped, saves, key: str) -> None:
    app = make_app(shipped, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _play_a_step(app, pilot)
        place = app.screen.state
        await pilot.press(key)
        await pilot.pause()
        opened = app.screen
        for size in [(40, 12), (100, 30), (40, 12), (41, 13), (100, 30)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.screen is opened
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen), f"{key}: escape did not lead back to play, but to {play!r}"
        assert play.state == place
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        choices = play.query_one("#choices")
        assert choices.content_region.height >= 2, "at 40×12 the choices have no room to be read"
        await _play_a_step(app, pilot)  # still playable at 40×12
        assert autosaved(saves) == play.state.to_json()
        assert app.return_code is None  # still running, no crash


@pytest.mark.parametrize("key", ["", *SCREEN_KEYS])
async def test_ctrl_c_at_any_screen_keeps_the_game_and_its_autosave(shipped, saves, key: str) -> None:
    app = make_app(shipped, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _play_a_step(app, pilot)
        place = app.screen.state.to_json()
        if key:
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.return_code is None, "Ctrl+C ended the game without asking"
        assert autosaved(saves) == place
    assert autosaved(saves) == place


async def test_ctrl_c_on_the_title_screen(mini, saves) -> None:
    app = make_app(mini, saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.return_code is None


WIDE_SCENES = """\
hour:
  title: 四時 — Four o'clock
scenes:
  - id: a
    title: 北京と東京 🚩 Telegram
    time: "16:00"
    text: |
      Chkheidze reads: «Товарищи!» 北京、東京、서울 — 🚩🚩🚩 flags, e\u0301 and n\u0303 (combining),
      שלום and مرحبا (right to left), a zero\u200bwidth space, and one very long word:
      Petrogradskayastoronaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.
      Resolve is {resolve}.
    choices:
      - {id: keep, text: "保持 — keep it 🤐 secret", goto: b, effects: [secret = true]}
      - {id: tell, text: "Ｒｅａｄ ｉｔ ａｌｏｕｄ（全角）", goto: b}
  - id: b
    title: 会議 The session
    text: 長い長い会議が続く。 The benches fill.
    choices:
      - {id: wait, text: 待つ Wait, goto: b, cost: 30m}
      - {id: end, text: 家へ Go home, goto: fin}
  - id: fin
    title: 終 The end
    text: 終わり.
    ending: {title: 終 The end, epilogue: Over 🚩., history: Really.}
"""


@pytest.mark.parametrize("size", [(40, 12), (100, 30)])
async def test_wide_and_combining_characters_draw_and_play(make_story, saves, size) -> None:
    manifest = MINI_MANIFEST.replace("sailors", "a")
    story = load_folder(str(make_story({"story.yaml": manifest, "16.yaml": WIDE_SCENES})))
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shot = app.export_screenshot()
        assert "北京" in shot or "東京" in shot or size == (40, 12)
        assert "保持" in shot or size == (40, 12)
        for target in [(60, 20), (40, 12), size]:
            await pilot.resize_terminal(*target)
            await pilot.pause()
        await _play_a_step(app, pilot)
        assert app.screen.state.scene == "b"
        await pilot.press("j")
        await pilot.pause()
        assert "北京" in app.export_screenshot() or "保持" in app.export_screenshot() or size == (40, 12)
        await pilot.press("escape")
        await pilot.pause()
        await _play_a_step(app, pilot)
        assert autosaved(saves)["scene"] == app.screen.state.scene


async def test_a_fault_in_a_scenes_text_still_leaves_its_choices_to_take(make_story, saves) -> None:
    """A run-time error in the text (a division by zero the loader cannot see) is shown, and the choices
    still are, as plain mode shows them: the player is never left with nothing to press but q."""
    from tests.conftest import MINI_SCENES

    scenes = MINI_SCENES.replace("Resolve is {resolve}.", "Resolve is {10 / (resolve - 2)}.")
    story = load_folder(str(make_story({"story.yaml": MINI_MANIFEST, "16.yaml": scenes})))
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("division by zero" in n.message for n in app._notifications)  # said, with its place
        screen = app.screen
        assert isinstance(screen, PlayScreen) and len(screen.query_one("ChoiceList").views) == 2
        await _play_a_step(app, pilot)
        assert app.screen.state.scene == "b" and autosaved(saves)["scene"] == "b"


async def test_a_fault_in_an_endings_epilogue_or_title_still_shows_the_ending_and_the_walker_finds_it(
        make_story, saves, capsys) -> None:
    """The ending's epilogue (or a templated title) dividing by zero ended the game with a traceback as the
    ending was composed; now the ending shows, its epilogue saying what failed, and `tauride walk` (which
    rendered no ending) reports the fault with its place and a replay."""
    from game.cli import main
    from game.tui.screens.ending import EndingScreen
    from tests.conftest import MINI_SCENES

    scenes = (MINI_SCENES.replace("ending: {title: The end, epilogue: Over.,",
                                  'ending: {title: "The end at {resolve * 1}", epilogue: "Over {10 / (resolve - resolve)}.",'))
    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": scenes})
    app = make_app(load_folder(str(folder)), saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")  # keep it secret
        await settle(pilot)
        await pilot.press("2")  # go home: the ending
        for _ in range(10):
            await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        from textual.widgets import Markdown

        shown = app.screen.query_one("#ending-text", Markdown).source
        assert "This ending's epilogue could not be shown" in shown and "division by zero" in shown
    assert main(["walk", str(folder), "-n", "50"]) == 1
    out = capsys.readouterr().out
    assert "expression failed at run time" in out
    assert "{10 / (resolve - resolve)}: division by zero" in out  # the {…} that failed, not only its scene


async def test_a_fault_in_one_choice_locks_that_choice_and_leaves_the_others(make_story, saves, capsys) -> None:
    """One choice's words dividing by zero left the scene with no choice at all (full screen and plain mode):
    the player was stuck. It is shown locked, saying so; the others are taken; the walker still reports it."""
    from game import engine
    from game.cli import main
    from tests.conftest import MINI_SCENES

    scenes = MINI_SCENES.replace('text: "Read it aloud ({resolve})"', 'text: "Read it aloud ({10 / (resolve - 2)})"')
    folder = make_story({"story.yaml": MINI_MANIFEST, "16.yaml": scenes})
    story = load_folder(str(folder))
    views = engine.choices(story, engine.new_game(story))
    assert [v.enabled for v in views] == [True, False]
    assert views[1].text == "Read it aloud (…)" and "a fault in the story" in (views[1].locked_reason or "")
    assert "division by zero" in (views[1].locked_reason or "")
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _play_a_step(app, pilot)  # the choice that works is taken
        assert app.screen.state.scene == "b"
    assert main(["walk", str(folder), "-n", "20"]) == 1
    assert "{10 / (resolve - 2)}: division by zero" in capsys.readouterr().out


# ---------------------------------------------------------------- a real terminal

@pytest.mark.e2e
@pytest.mark.parametrize("how", ["ctrl-c-key", "sigint"])
def test_ctrl_c_in_a_real_terminal_keeps_the_autosave(tmp_path: Path, how: str) -> None:
    """In tmux: Ctrl+C as a key asks before quitting; SIGINT ends the game cleanly. Either way the
    terminal is given back without a traceback and the autosave holds the last place."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from test_e2e_tmux import READY, Terminal
    from wire_story import FILES

    if shutil.which("tmux") is None:
        pytest.fail("this test needs tmux")
    story = tmp_path / "story"
    story.mkdir()
    for name, text in FILES.items():
        (story / name).write_text(text, encoding="utf-8")
    saves = tmp_path / "saves"
    repo = Path(__file__).resolve().parent.parent
    env = (f"env PYTHONPATH={repo} TAURIDE_SAVE_DIR={saves} TAURIDE_CACHE_DIR={tmp_path / 'cache'} "
           f"XDG_CONFIG_HOME={tmp_path / 'config'} TERM=xterm-256color")
    term = Terminal(f"sh -c '{env} {sys.executable} -m game play --scenes {story}; echo GAME-EXIT=$?; sleep 30'")
    try:
        term.wait_for("The Wire", "New game")
        term.keys("n")
        term.wait_for("1. Keep it secret", READY)  # the frame says so only once keys are taken
        term.keys("1")
        term.wait_for("16:15")
        # the autosave is written once that frame is out, on a thread (PlayScreen.advance): wait for it
        deadline = time.monotonic() + 10
        while not (saves / "autosave.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        place = json.loads((saves / "autosave.json").read_text())["state"]
        if how == "ctrl-c-key":
            term.keys("C-c")
            term.wait_for("ctrl+q")  # Textual asks; the game goes on
            term.keys("C-q")
        else:
            shell = int(term.run("display", "-p", "-t", "game", "#{pane_pid}").stdout)
            kids = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()
            game = [int(k) for k in kids if "game" in open(f"/proc/{k}/cmdline").read()]
            assert len(game) == 1, kids
            os.kill(game[0], signal.SIGINT)
        screen = term.wait_for("GAME-EXIT=")
        assert "GAME-EXIT=0" in screen, screen
        assert "Traceback" not in screen, screen
        assert json.loads((saves / "autosave.json").read_text())["state"] == place
    finally:
        term.close()
