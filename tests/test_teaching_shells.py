"""The classroom parts as a player, a teacher and a class meet them: the game (Pilot), the class screen,
the teacher's guide and the transcript, all on the shipped story."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCENES
from tui_helpers import make_app, settle

from game import engine
from game.classroom.group.app import ClassApp
from game.classroom.group.play import ClassPlayScreen
from game.classroom.group.screens import Notes
from game.classroom.guide import to_html as guide_html
from game.classroom.guide import to_markdown as guide_markdown
from game.classroom.playthrough import trace
from game.classroom.transcript import to_html, to_markdown
from game.cli import main
from game.saves import SaveStore
from game.story.model import Story
from game.story_folder import load_folder
from game.tui.screens.confirm import ConfirmDialog
from game.tui.screens.ending import EndingScreen
from game.tui.screens.notes import NoteDialog, PickDialog
from game.tui.screens.play import PlayScreen
from game.tui.widgets.scene_text import TextBlock
from game.views.chapters import chapter_plans, chapter_state
from game.views.notes import anchor
from game.views.timeline import historical_path

SIZE = (110, 36)


@pytest.fixture(scope="module")
def july() -> Story:
    return load_folder(str(SCENES))


def history_to_the_end(story: Story) -> engine.State:
    rows, _ = historical_path(story, seed=2)
    state = engine.new_game(story, seed=2)
    for row in rows:
        if row.choice is not None:
            state = engine.choose(story, state, row.choice.id)
    return state


def markdown_of(widget: object) -> str:
    return str(getattr(widget, "source", None) or getattr(widget, "_markdown", ""))


# ------------------------------------------------------------------ the game
async def test_new_game_from_the_title_shows_the_content_note_first(july: Story, saves: Path) -> None:
    app = make_app(july, saves)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        note = app.screen.query_one(".dialog-hint")
        assert "Content note · for ages 15+." in markdown_of(note) and "massacre" in markdown_of(note)
        # drawn as scene text is: no Markdown widget (its import brings Pygments, ≈ 4 MiB, into every game)
        from textual.widgets import Markdown

        assert not app.screen.query(Markdown) and "for ages 15+" in str(note.query_one(TextBlock).render())
        await pilot.press("enter")  # "Begin" has the focus: a notice, not a question that loses work
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == july.start


async def test_the_title_offers_chapters_and_starts_one_in_historys_state(july: Story, saves: Path) -> None:
    app = make_app(july, saves)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        plans = chapter_plans(july)
        assert list(app.screen.items.values())[2] == f"3. {plans[2].span}  The sailors at the gate  · {plans[2].minutes} min aloud"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = markdown_of(app.screen.query_one(".dialog-hint"))
        assert "Chapter 3: The sailors at the gate." in text and "The story so far: At four o'clock" in text
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        expected = chapter_state(july, 3, seed=7)
        assert app.screen.state.scene == "sailors_at_gate"
        assert app.screen.state.vars == expected.vars and app.screen.state.clock == expected.clock


async def test_back_on_the_content_note_starts_nothing(july: Story, saves: Path) -> None:
    app = make_app(july, saves)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("n")  # Back
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmDialog, PlayScreen))
        assert not (saves / "autosave.json").exists()


async def test_a_game_started_at_a_chapter_shows_its_opening_over_the_first_scene(july: Story, saves: Path) -> None:
    from game.views.chapters import chapter
    from game.views.teaching import opening

    app = make_app(july, saves, fresh=True, opening=opening(july, chapter(july, 2)))
    app.initial_state = chapter_state(july, 2, seed=7)  # as `tauride play --chapter 2` builds it
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog) and app.screen.id == "opening"
        assert "Chapter 2: The wire from the front." in app.screen.markdown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.state.scene == "telegram"
        from game.tui.widgets.choice_list import ChoiceList

        assert isinstance(app.focused, ChoiceList)  # the note gone, the keys go to the choices
        await pilot.press("1")
        await settle(pilot)
        assert len(app.screen.state.log) == len(chapter_state(july, 2, seed=7).log) + 1


async def test_m_explains_the_meters_from_their_descriptions(july: Story, saves: Path) -> None:
    app = make_app(july, saves, fresh=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog) and app.screen.id == "meters-note"
        for v in july.variables.values():
            if v.shown:
                assert f"**{v.display_name}: " in app.screen.markdown and (v.description or "?") in app.screen.markdown


async def test_the_history_note_shows_the_documents_it_rests_on(july: Story, saves: Path) -> None:
    app = make_app(july, saves, fresh=False)
    app.initial_state = chapter_state(july, 3, seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        doc = july.documents["woytinsky_memoir"]
        assert f"#### {doc.label}" in app.screen.markdown and doc.citation in app.screen.markdown


async def test_the_ending_screen_says_it_is_a_counterfactual(july: Story, saves: Path) -> None:
    end = engine.new_game(july, seed=1, start="end_soviet_power")  # as `tauride play --from end_soviet_power`
    assert not july.scenes[end.scene].ending.historical  # type: ignore[union-attr]
    app = make_app(july, saves, fresh=False)
    app.initial_state = end
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, EndingScreen):
                break
        assert isinstance(app.screen, EndingScreen)
        verdict = str(app.screen.query_one("#ending-verdict").render())
        assert verdict == "A counterfactual ending: history went otherwise (see what really happened)."


# ------------------------------------------------------------------ the class screen
async def test_the_class_sees_the_content_note_then_the_meters_and_e_explains_them(july: Story, tmp_path: Path) -> None:
    from game.views.teaching import opening

    app = ClassApp(july, SaveStore(tmp_path / "class"), "lesson", engine.new_game(july, seed=5), opening=opening(july))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Notes) and app.screen.heading == "Before we begin"
        assert "Content note · for ages 15+." in app.screen.markdown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen)
        line = str(app.screen.query_one("#meters").render())
        assert line.startswith("Temper of the street: 6 of 10  ·  The committee's resolve: 4 of 10")
        assert line.endswith("(e: what they measure)")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, Notes) and "High is danger" in app.screen.markdown


async def test_the_class_ending_says_whether_it_is_history(july: Story, tmp_path: Path) -> None:
    app = ClassApp(july, SaveStore(tmp_path / "class"), "lesson", history_to_the_end(july))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "*The historical outcome: this is how the day really ended.*" in markdown_of(
            app.screen.query_one("#scene-text"))


def test_tauride_class_refuses_a_chapter_it_does_not_have(tmp_path: Path, capsys) -> None:
    code = main(["class", "--chapter", "0", "--save-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "tauride: --chapter 0: there is no chapter 0: choose 1 to 5" in err
    assert not list(tmp_path.iterdir())  # nothing saved for a lesson that never started


def test_tauride_class_chapter_starts_the_lesson_at_the_chapter(tmp_path: Path, monkeypatch) -> None:
    seen: list[ClassApp] = []
    monkeypatch.setattr(ClassApp, "run", lambda self: seen.append(self))
    code = main(["class", "--chapter", "4", "--seed", "3", "--name", "lesson", "--save-dir", str(tmp_path)])
    assert code == 0 and seen
    app = seen[0]
    assert app.state.scene == "downpour" and app.meta["chapter"] == 4
    assert app.meta["chapter_step"] == len(app.state.log) > 0
    assert app.opening is not None and app.opening.chapter is not None and app.opening.chapter.number == 4


# ------------------------------------------------------------------ the guide and the transcript
def test_the_guide_prints_the_note_the_chapters_with_their_minutes_and_the_packet(july: Story) -> None:
    text = guide_markdown(july)
    assert "> **Content note · for ages 15+." in text
    for p in chapter_plans(july):
        assert f"| {p.chapter.number}. {p.chapter.title} | {p.span} | {p.scenes} | {p.decisions} | {p.words:,} | {p.minutes} min |" in text
    assert text.index("## Source packet for students") < text.index("## Sources")
    for doc in july.documents.values():
        assert f"### {doc.label}" in text and doc.citation in text
    html = guide_html(july)
    lenin = anchor(july.documents["lenin_three_crises"].label)
    assert "Chapters: lesson-sized parts" in html and f'id="{lenin}"' in html
    assert "Content note · for ages 15+" in html


def test_the_transcript_says_the_ending_is_history_and_carries_the_documents(july: Story) -> None:
    pt = trace(july, history_to_the_end(july))
    md = to_markdown(pt)
    assert "**The historical outcome: this is how the day really ended.**" in md
    first = "Document 1 (Woytinsky, the memoir this story grows from)"
    assert f"> *Documents (in the source packet below):* [{first}](#{anchor(first)})" in md
    assert "## Source packet: the documents these notes rest on" in md and "### Document 8 (Lenin" in md
    html = to_html(pt)
    car = anchor(july.documents["sukhanov_car"].label)
    assert f'<a href="#{car}">' in html and f'id="{car}"' in html  # a note's link lands on its document
    assert "The historical outcome: this is how the day really ended." in html
