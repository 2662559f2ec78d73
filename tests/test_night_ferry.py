"""The second story, "The Night Ferry" (tests/stories/night-ferry): fiction, not history, built from the
format's newer parts — responses, going back, templates in titles and epilogues, a clamped meter, a
locked choice, a once-only clue and a timed event. It validates --strict, walks clean, and its plain-mode
playthrough to each ending is a golden test (set TAURIDE_UPDATE_GOLDEN=1 to rewrite the golden files
after a deliberate change, then read the diff)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.story_folder import load_folder
from game.tools.walker import random_walk

REPO = Path(__file__).resolve().parent.parent
FERRY = REPO / "tests" / "stories" / "night-ferry"
GOLDEN = REPO / "tests" / "golden"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}\.\d{2}")

ROUTES = {
    # cabin, back up, the clue, the bridge, back down, the bridge again, land
    "landing": ["4", "2", "3", "4", "2", "4", "1"],
    # ask, the cabin, rest until the fog comes down at 00:30
    "fog": ["2", "4", "1", "1", "1", "1", "1"],
}


def test_the_ferry_validates_strictly_and_walks_clean(capsys) -> None:
    story = load_folder(str(FERRY))
    assert not story.history and story.variables["nerve"].clamp
    assert main(["validate", "--strict", str(FERRY)]) == 0
    assert main(["walk", str(FERRY), "-n", "2000"]) == 0
    out = capsys.readouterr().out
    assert "No problems found" in out and "Long walks" not in out
    report = random_walk(story, 2000)
    assert set(report.endings) == {"landing", "fog"} and not report.unreached_scenes and not report.untaken_choices


@pytest.mark.parametrize("ending", sorted(ROUTES))
def test_plain_playthrough_to_each_ending_matches_its_golden_file(ending: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", str(FERRY), "--save-dir", str(tmp_path)],
        input="\n".join(ROUTES[ending]) + "\n", capture_output=True, text=True, cwd=REPO, timeout=60,
        env=dict(os.environ, COLUMNS="80"),
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    got = _STAMP.sub("YYYY-MM-DD HH.MM", done.stdout)
    golden = GOLDEN / f"night-ferry-{ending}.txt"
    if os.environ.get("TAURIDE_UPDATE_GOLDEN") == "1":
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_plain_mode_in_a_real_terminal_wraps_scene_text_to_its_width(tmp_path: Path) -> None:
    """In a terminal (tmux, 50 columns) a paragraph is wrapped to the width; piped (above) it is one line."""
    import shutil
    import time

    if shutil.which("tmux") is None:
        pytest.fail("this test needs tmux (scripts/test installs it)")
    sock = f"tauride-ferry-{os.getpid()}"
    cmd = (f"cd {REPO} && {sys.executable} -m game play --plain --scenes {FERRY} --save-dir {tmp_path / 's'} --seed 1")
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", "p", "-x", "50", "-y", "30", cmd],
                   check=True, timeout=10)
    try:
        screen = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Choices:" not in screen:
            time.sleep(0.2)
            screen = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "p"], capture_output=True,
                                    text=True, timeout=10).stdout
        lines = screen.splitlines()
        assert "The ferry shudders away from the quay. The far" in lines, screen
        assert "shore is a line of lights. Your nerve: 3." in lines, screen
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True, timeout=10)


def test_one_players_views_fill_in_templated_titles_and_views_of_many_show_an_ellipsis(tmp_path: Path) -> None:
    """The debrief, the timeline and the served reading page speak for one player: their clock, never braces;
    the story map and a class report speak for everyone: "…" where a value would go."""
    from game import engine
    from game.classroom.reader import ReaderSession, scene_page
    from game.saves import SaveStore
    from game.views.debrief import debrief
    from game.views.timeline import timeline

    story = load_folder(str(FERRY))
    state = engine.new_game(story)
    state = engine.choose(story, state, "coat")
    state = engine.choose(story, state, "bridge")
    state = engine.choose(story, state, "land")
    assert engine.ending_title(story, state).startswith("Ashore at ")
    d = debrief(story, state)
    assert d.ending is not None and d.ending.title == engine.ending_title(story, state)
    assert "{" not in d.ending.epilogue and "nerve at" in d.ending.epilogue
    rows = timeline(story, state).player
    assert rows[0].title == engine.scene_title(story, engine.new_game(story)) and "{" not in rows[0].title
    assert rows[-1].ending == engine.ending_title(story, state)
    page = scene_page(story, state, ReaderSession("Ana", SaveStore(tmp_path)))
    body = page.split("<body", 1)[1]
    assert "{clock}" not in body and "{nerve}" not in body
    assert engine.ending_title(story, state) in body and engine.epilogue(story, state) in body
    assert story.scenes["landing"].title == "Landing at …"
