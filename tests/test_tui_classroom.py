"""Classroom play: the student signs in on the title screen; saves go to their own folder."""

from __future__ import annotations

import json
from pathlib import Path

from tui_helpers import make_app, settle

from game.cli import main
from game.tui.classroom import Classroom
from game.tui.screens.play import PlayScreen
from game.tui.screens.prompt import PromptDialog
from game.tui.screens.title import TitlePage, TitleScreen


def problem(app) -> str:
    return str(app.screen.query_one("#problem").render())


async def sign_in(pilot, *answers: str) -> None:
    for answer in answers:
        await pilot.press(*answer, "enter")
        await pilot.pause()


async def test_the_student_names_themself_and_gives_the_class_code(mini, saves, tmp_path):
    root = tmp_path / "class-root"
    app = make_app(mini, saves, classroom=Classroom(root, "7B"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog) and app.screen.question == "Your name:"
        await pilot.press("escape")  # there is no way round it
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await sign_in(pilot, "..")
        assert problem(app).startswith("Not accepted: give a name")
        await pilot.press("ctrl+u")
        await sign_in(pilot, "Anna")
        assert app.screen.question == "Class code:"
        await sign_in(pilot, "8A")
        assert problem(app) == "Not accepted: that is not this class's code; ask your teacher"
        await pilot.press("ctrl+u")
        await sign_in(pilot, " 7b ")
        assert isinstance(app.screen, TitleScreen)
        assert "Playing as Anna · class 7B" in app.screen.query_one(TitlePage).render().plain
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    save = json.loads((root / "7B" / "Anna" / "autosave.json").read_text())
    assert save["meta"] == {"student": "Anna", "class": "7B"}
    assert not (saves / "autosave.json").exists()


async def test_without_a_code_saves_go_under_the_name_and_no_name_escapes_the_root(mini, saves, tmp_path):
    root = tmp_path / "class-root"
    app = make_app(mini, saves, classroom=Classroom(root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await sign_in(pilot, "../../evil/name")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
    [written] = list(root.rglob("autosave.json"))
    assert written.parent.parent == root
    assert not (tmp_path / "evil").exists()


async def test_someone_else_can_sign_in_from_the_title(mini, saves, tmp_path):
    root = tmp_path / "class-root"
    app = make_app(mini, saves, classroom=Classroom(root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await sign_in(pilot, "Anna")
        await pilot.press("w")
        await pilot.pause()
        await sign_in(pilot, "Boris")
        assert app.who == "Boris" and app.store.folder == root / "Boris"


def test_a_class_code_needs_a_classroom(capsys):
    assert main(["play", "--class-code", "7B"]) == 2
    assert "--class-code needs --classroom" in capsys.readouterr().err


def test_classroom_folders_follow_the_code_and_the_name(tmp_path: Path):
    assert Classroom(tmp_path, "7B").folder_for("Анна") == tmp_path / "7B" / "Анна"
    assert Classroom(tmp_path).folder_for("a/b") == tmp_path / "a_b"
    assert Classroom(tmp_path, "7B").code_matches(" 7b") and not Classroom(tmp_path, "7B").code_matches("7")
