"""Classroom play: the student signs in on the title screen; saves go to their own folder."""

from __future__ import annotations

import json
from pathlib import Path

from tui_helpers import make_app, settle

from game.classroom.students import student
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
        assert app.screen.question == "Choose a PIN (4 to 8 digits):"
        await sign_in(pilot, "12")
        assert problem(app) == "Not accepted: a PIN is 4 to 8 digits (0-9)"
        await pilot.press("ctrl+u")
        await sign_in(pilot, "4821")
        assert app.screen.question == "The same PIN again:"
        await sign_in(pilot, "4812")
        assert problem(app) == "Not accepted: not the same PIN; type the one you just chose"
        await pilot.press("ctrl+u")
        await sign_in(pilot, "4821")
        assert isinstance(app.screen, TitleScreen)
        assert "Playing as Anna · class 7B" in app.screen.query_one(TitlePage).render().plain
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    save = json.loads((root / "7B" / student("Anna").folder_name / "autosave.json").read_text())
    assert save["meta"]["student"] == "Anna" and save["meta"]["class"] == "7B"
    assert isinstance(save["meta"]["active_seconds"], int)  # time on task, kept for the report
    assert not (saves / "autosave.json").exists()


async def test_without_a_code_saves_go_under_the_name_and_no_name_escapes_the_root(mini, saves, tmp_path):
    root = tmp_path / "class-root"
    app = make_app(mini, saves, classroom=Classroom(root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await sign_in(pilot, "../../evil/name", "4821", "4821")
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
        await sign_in(pilot, "Anna", "4821", "4821")
        await pilot.press("w")
        await pilot.pause()
        await sign_in(pilot, "Boris", "1357", "1357")
        assert app.who == "Boris" and app.store.folder == root / student("Boris").folder_name
        await pilot.press("w")
        await pilot.pause()
        await sign_in(pilot, "ANNA")  # Anna's folder, whatever the case: her PIN is asked
        assert app.screen.question == "Your PIN:"
        await sign_in(pilot, "1357")  # Boris's PIN does not open Anna's game
        assert problem(app) == "Not accepted: that is not the PIN ANNA chose. Forgot it? Your teacher can reset it"
        assert app.who is None  # nobody plays until the PIN is right
        await pilot.press("ctrl+u")
        await sign_in(pilot, "4821")
        assert isinstance(app.screen, TitleScreen)
        assert app.who == "ANNA" and app.store.folder == root / student("Anna").folder_name


def test_a_class_code_needs_a_classroom(capsys):
    assert main(["play", "--class-code", "7B"]) == 2
    assert "--class-code needs --classroom" in capsys.readouterr().err


def test_classroom_folders_follow_the_class_and_the_student(tmp_path: Path):
    assert Classroom(tmp_path, "7B").folder_for("Анна") == tmp_path / "7B" / student("анна").folder_name
    assert Classroom(tmp_path, "K7M3QX", group="7B").folder_for("Анна").parent == tmp_path / "7B"
    assert Classroom(tmp_path).folder_for("a/b") != Classroom(tmp_path).folder_for("a_b")
    assert Classroom(tmp_path, "7B").code_matches(" 7b") and not Classroom(tmp_path, "7B").code_matches("7")


def served_app(monkeypatch, tmp_path: Path, story: Path, name: str):
    """The app `tauride serve` starts for a signed-in student (`play --classroom ROOT --student NAME`), not run."""
    from game.tui.app import TaurideApp

    made = []
    monkeypatch.setattr(TaurideApp, "run", lambda self, *a, **k: made.append(self))
    assert main(["play", "--scenes", str(story), "--classroom", str(tmp_path / "root"), "--class", "7B",
                 "--student", name]) == 0
    return made[0]


async def test_a_served_student_plays_as_themself_with_their_own_settings(monkeypatch, tmp_path, make_story):
    config = tmp_path / "teacher-config"
    monkeypatch.setenv("TAURIDE_CONFIG_DIR", str(config))  # the laptop's own settings: never touched
    story = make_story()
    anna = served_app(monkeypatch, tmp_path, story, "Anna")
    folder = tmp_path / "root" / "7B" / student("Anna").folder_name
    assert anna.who == "Anna" and anna.store.folder == folder
    assert anna.settings_file == folder / ".tauride" / "settings.json"
    async with anna.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(anna.screen, TitleScreen)  # no name asked: the server asked it, with a PIN
        assert "Playing as Anna · class 7B" in anna.screen.query_one(TitlePage).render().plain
        assert "Someone else" not in anna.screen.query_one(TitlePage).render().plain
        await pilot.press("w")  # no way to become another student from inside a served game
        await pilot.pause()
        assert isinstance(anna.screen, TitleScreen) and anna.who == "Anna"
        anna.change_settings(anna.settings.with_(theme="light"))
    assert json.loads((folder / ".tauride" / "settings.json").read_text())["theme"] == "light"
    assert not config.exists()
    boris = served_app(monkeypatch, tmp_path, story, "Boris")
    assert boris.settings.theme == "dark"  # Anna's light theme is hers alone
    assert served_app(monkeypatch, tmp_path, story, "anna").settings.theme == "light"


def test_a_student_flag_needs_a_classroom_and_a_usable_name(capsys):
    assert main(["play", "--student", "Anna"]) == 2
    assert "--student needs --classroom" in capsys.readouterr().err
    assert main(["play", "--classroom", "x", "--student", "An\u202ena"]) == 2
    assert "--student: character 3 of the name is an invisible formatting character (U+202E)" in capsys.readouterr().err


async def test_a_served_students_error_message_shows_no_laptop_folder(monkeypatch, tmp_path, make_story):
    monkeypatch.setenv("TAURIDE_CONFIG_DIR", str(tmp_path / "teacher-config"))
    app = served_app(monkeypatch, tmp_path, make_story(), "Anna")
    app.store.folder.parent.mkdir(parents=True)
    app.store.folder.write_text("not a folder")  # the disk goes wrong: the autosave cannot be written
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        shown = [f"{n.title}: {n.message}" for n in app._notifications]
    failed = [m for m in shown if "Autosave failed" in m]
    assert failed and "…/autosave.json: could not write the save" in failed[0], shown
    assert not any(str(tmp_path) in m or "/tmp" in m for m in shown), shown


async def test_a_served_students_saves_screen_shows_no_laptop_folder(monkeypatch, tmp_path, make_story):
    from textual.widgets import Static

    from game.tui.screens.saves import SavesScreen

    monkeypatch.setenv("TAURIDE_CONFIG_DIR", str(tmp_path / "teacher-config"))
    app = served_app(monkeypatch, tmp_path, make_story(), "Anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, SavesScreen)
        where = str(app.screen.query_one("#saves-where", Static).render())
    assert where == "your own, kept on your teacher's computer" and str(tmp_path) not in where


def test_paths_are_taken_out_of_messages_but_words_stay():
    from game.tui.classroom import without_paths

    assert without_paths("/home/t/saves/9B/anna-1f/autosave.json: could not write") == "…/autosave.json: could not write"
    assert without_paths("cannot read C:\\Users\\t\\saves\\x.json (denied)") == "cannot read …/x.json (denied)"
    assert without_paths("either/or and 3/4 of a save, see ~/notes") == "either/or and 3/4 of a save, see ~/notes"


async def test_a_served_lesson_from_a_scene_with_undo_locked(mini, saves, tmp_path):
    """`serve --from b --locked` reaches the game as `play --from=b --locked`: new games start at b, and
    undo says it is locked, takes nothing back, and the save says it was an assessed run."""
    from game.classroom.serve_cmd import game_command

    argv = game_command(tmp_path / "s", "7B", None, start="b", locked=True)(student("Anna"))
    assert "--from=b" in argv and "--locked" in argv
    root = tmp_path / "class-root"
    app = make_app(mini, saves, classroom=Classroom(root, group="7B", student="Anna"), start="b", locked=True)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await settle(pilot)
        if not isinstance(app.screen, TitleScreen):
            await sign_in(pilot, "4821", "4821")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == "b"
        await pilot.press("1")
        await settle(pilot)
        before = app.screen.state.log
        assert before
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.state.log == before
    assert any("Undo is locked" in n for n in notes)
    save = json.loads((saves / "autosave.json").read_text())  # served, the store is the student's folder
    assert save["meta"]["locked"] is True


def test_serve_refuses_a_from_scene_the_story_does_not_have(tmp_path, capsys):
    assert main(["serve", "--saves", str(tmp_path), "--from", "nowhere", "--log"]) == 2
    assert "--from: there is no scene 'nowhere'" in capsys.readouterr().err


async def test_a_served_lesson_at_a_chapter_starts_new_games_there(tmp_path, saves):
    """`serve --chapter 2` reaches the game as `play --chapter=2`: a student's new game starts at the chapter."""
    from game.classroom.serve_cmd import game_command
    from game.locate import load_or_explain
    from game.views.chapters import chapter_state

    argv = game_command(tmp_path / "s", "7B", None, chapter=2)(student("Anna"))
    assert "--chapter=2" in argv
    july = load_or_explain(None)
    assert july is not None
    app = make_app(july, saves, classroom=Classroom(tmp_path / "root", group="7B", student="Anna"), chapter=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        for _ in range(3):  # the content note and the chapter's story so far come first
            if isinstance(app.screen, PlayScreen):
                break
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.state.scene == chapter_state(july, 2).scene


def test_serve_refuses_a_chapter_the_story_does_not_have(tmp_path, capsys):
    assert main(["serve", "--saves", str(tmp_path), "--chapter", "9", "--log"]) == 2
    assert "--chapter 9: there is no chapter 9" in capsys.readouterr().err


async def test_the_exit_question_is_asked_on_quitting_and_kept_in_the_autosave(mini, saves, tmp_path):
    """`serve --exit-question TEXT` reaches the game; quitting asks it, and the answer joins the autosave's meta."""
    from game.classroom.serve_cmd import game_command

    argv = game_command(tmp_path / "s", "7B", None, exit_question="What would you have done?")(student("Anna"))
    assert "--exit-question=What would you have done?" in argv
    app = make_app(mini, saves, fresh=False, exit_question="What would you have done?")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog) and app.screen.question == "What would you have done?"
        await pilot.press(*"Waited for news", "enter")
        await settle(pilot)
    assert app.return_code == 0
    save = json.loads((saves / "autosave.json").read_text())
    assert save["meta"]["exit_question"] == {"question": "What would you have done?", "answer": "Waited for news"}
    assert save["state"]["log"], "the game's progress is kept with the answer"
