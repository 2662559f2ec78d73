"""`tauride class`: group play, driven the way a teacher drives it, with Pilot.

The teacher types the show of hands into the vote boxes and presses Enter;
ties and overrides go through the teacher's pick; reflections are typed;
the hour's prompts fill the screen when the hour is over. Everything is
checked where it ends up: in the save on disk.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from game import engine
from game.classroom.group.app import ClassApp
from game.classroom.group.play import ClassPlayScreen
from game.classroom.group.screens import Discussion, Notes, PickChoice, ReflectionPrompt
from game.cli import main
from game.saves import SaveStore
from game.story import Story
from game.words import UNDO_LOCKED

SIZE = (110, 32)


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "class")


def app_for(story: Story, store: SaveStore, *, locked: bool = False) -> ClassApp:
    return ClassApp(story, store, "lesson", engine.new_game(story, seed=5), locked=locked)


def saved(store: SaveStore) -> dict:
    return json.loads(store.path("lesson").read_text(encoding="utf-8"))


async def vote(pilot, *counts: str) -> None:
    """Type one count per vote box (Tab between them), as a teacher does."""
    for i, n in enumerate(counts):
        if i:
            await pilot.press("tab")
        if n:
            await pilot.press(*n)
    await pilot.pause()


async def test_a_tie_goes_to_the_teacher_then_the_reflection_is_typed_and_saved(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await vote(pilot, "9", "9", "3")
        assert "21 votes so far · tie: Keep it secret and Read it aloud" in str(app.screen.query_one("#tally").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickChoice)
        assert app.screen.options == [("keep", "Keep it secret"), ("tell", "Read it aloud")]
        assert "A tie: “Keep it secret” and “Read it aloud” have 9 votes each" in app.screen.why
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)
        assert app.screen.question == "Why did you keep the telegram secret?"
        await pilot.press(*"So nobody panics", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen) and app.state.scene == "session"
    entry = saved(store)["state"]["log"][0]
    assert entry == {"scene": "wire", "choice": "keep", "clock": 960, "votes": {"keep": 9, "tell": 9, "phone": 3},
                     "answer": "So nobody panics"}
    assert saved(store)["meta"]["mode"] == "class"


async def decide(pilot, *counts: str) -> None:  # type: ignore[no-untyped-def]
    """The class's counts typed, and Enter: the decision taken."""
    await vote(pilot, *counts)
    await pilot.press("enter")
    await pilot.pause()


async def test_the_majority_carries_without_asking(class_story, store):
    app = app_for(class_story, store)
    said: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, title="", **kw: said.append((title, str(message)))  # type: ignore[method-assign]
        await pilot.pause()
        await vote(pilot, "2", "12", "")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen) and app.state.scene == "session"
    assert said == [("Read it aloud", "12 of 14 votes: the class's majority.")]
    assert saved(store)["state"]["log"][0]["votes"] == {"keep": 2, "tell": 12, "phone": 0}


async def test_the_teacher_overrides_and_the_counts_stay_as_voted(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await vote(pilot, "1", "20", "3")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PickChoice)
        await pilot.press("3")
        await pilot.pause()
        assert app.state.log[-1].choice == "phone"
    assert saved(store)["state"]["log"][0]["votes"] == {"keep": 1, "tell": 20, "phone": 3}


async def test_escape_from_the_teachers_pick_goes_back_to_the_vote(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # nobody voted
        await pilot.pause()
        assert isinstance(app.screen, PickChoice) and app.screen.why == "Nobody voted. The teacher chooses."
        assert [cid for cid, _ in app.screen.options] == ["keep", "tell", "phone"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen) and not app.state.log
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")  # no votes typed: the step is recorded without a tally
        await pilot.pause()
        assert app.state.log[-1].choice == "tell" and app.state.log[-1].votes is None


async def test_one_vote_so_far_is_one_vote_but_one_of_thirty_votes(class_story, store, tmp_path: Path):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await vote(pilot, "", "1")
        assert "1 vote so far · ahead: Read it aloud" in str(app.screen.query_one("#tally").render())
    app = ClassApp(class_story, SaveStore(tmp_path / "sized"), "lesson", engine.new_game(class_story, seed=5),
                   class_size=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await vote(pilot, "", "1")
        assert "1 of 30 votes so far · ahead: Read it aloud" in str(app.screen.query_one("#tally").render())


async def test_a_negative_count_is_refused_with_a_reason(class_story, store):
    app = app_for(class_story, store)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.pause()
        await vote(pilot, "-4")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen) and not app.state.log
    assert any("count 1 (-4) cannot be negative" in n for n in notes)  # by its place on screen, not its id


async def test_typed_counts_take_the_keypad_dot_and_c_does_not_close_them(class_story, store):
    """'5.3.2' was typed into a box that dropped the dots: 532 votes carried choice 1. And 'c' (which closes
    the devices' vote with --live) decided a half-typed '3/12' at once; typed counts are closed with Enter."""
    app = app_for(class_story, store)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
        await pilot.pause()
        await pilot.press(*"2.12", "c")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen) and not app.state.log  # 'c' did nothing
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.scene == "session"
    assert said == ["12 of 14 votes: the class's majority."]
    assert saved(store)["state"]["log"][0]["votes"] == {"keep": 2, "tell": 12, "phone": 0}


async def test_the_end_of_an_hour_brings_its_prompts_before_play_goes_on(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await decide(pilot, "", "5")
        assert isinstance(app.screen, ClassPlayScreen)  # same hour: no prompts yet
        await decide(pilot, "5")
        assert isinstance(app.screen, Discussion)
        assert app.screen.hour_title == "Four o'clock"
        assert app.screen.prompts == ["Who should decide what the crowd is told?"]
        assert app.screen.next_title == "Five o'clock"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen)
        assert str(app.screen.query_one("#scene-title").render()) == "Sailors at the gate"


async def test_q_on_the_end_of_an_hour_saves_and_leaves(class_story, store):
    """q did nothing on the discussion screen until Enter had gone on; it saves and leaves, as in play."""
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await decide(pilot, "", "5")
        await decide(pilot, "5")  # the end of the hour
        assert isinstance(app.screen, Discussion)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and len(saved(store)["state"]["log"]) == 2


async def test_facilitator_keys_show_what_really_happened_and_the_class_path(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, Notes)
        assert "Woytinsky has the wire reach *Chkheidze* at about 4 p.m." in app.screen.markdown
        assert "[SP] W. S. Woytinsky, *Stormy Passage*" in app.screen.markdown
        assert "Why keep good news from your own side?" in app.screen.markdown
        await pilot.press("escape")
        await vote(pilot, "3", "1")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")  # skip the reflection
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, Notes) and app.screen.heading == "Our path"
        assert app.screen.markdown.startswith("1 decision, 16:00 to 16:15.")
        assert ("- 16:00 · The wire from the Fifth Army → Keep it secret (3 / 1 / 0 votes; majority) — **✔ as history**"
                in app.screen.markdown)
        assert "- 16:15 · The session resumes — *we are here*" in app.screen.markdown


async def test_undo_for_exploration(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await vote(pilot, "", "4")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.scene == "session"
        await pilot.press("u")
        await pilot.pause()
        assert app.state.scene == "wire" and not app.state.log
    assert saved(store)["state"]["log"] == []


async def test_undo_is_locked_for_an_assessed_run(class_story, store):
    app = app_for(class_story, store, locked=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "assessed run: undo locked" in str(app.screen.query_one("#where").render())
        await vote(pilot, "", "4")
        await pilot.press("enter")
        await pilot.pause()
        said: list[str] = []
        app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
        await pilot.press("u")
        await pilot.pause()
        assert app.state.scene == "session" and len(app.state.log) == 1
        assert said == [UNDO_LOCKED]  # said, not a key that silently does nothing
    assert saved(store)["meta"]["locked"] is True


async def test_q_saves_and_leaves(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and store.exists("lesson")


def test_the_command_refuses_to_overwrite_an_earlier_lesson(tmp_path: Path, class_story, capsys):
    store = SaveStore(tmp_path / "c")
    store.write("monday", class_story, engine.new_game(class_story))
    rc = main(["class", "--scenes", class_story.root, "--save-dir", str(tmp_path / "c"), "--name", "monday"])
    assert rc == 1 and "go on with it using --load monday" in capsys.readouterr().err


def test_a_new_lesson_in_the_same_minute_takes_the_next_free_name_and_leaves_the_earlier_one(
        tmp_path: Path, class_story, capsys, monkeypatch):
    import game.classroom.class_cmd as class_cmd

    class Minute(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return cls(2026, 12, 7, 18, 48, 30)

    monkeypatch.setattr(class_cmd, "datetime", Minute)
    monkeypatch.setattr(ClassApp, "run", lambda self: self.autosave())  # the teacher quits at once: no vote taken
    folder = tmp_path / "c"
    args = ["class", "--scenes", class_story.root, "--save-dir", str(folder)]
    assert main(args) == 0
    first = (folder / "class-2026-12-07-1848.json").read_bytes()
    capsys.readouterr()
    assert main([*args, "--seed", "3"]) == 0
    said = capsys.readouterr()
    assert "This lesson is saved as 'class-2026-12-07-1848-2': an earlier lesson this minute has " \
           "'class-2026-12-07-1848'." in said.err
    assert f"The class's save: {folder / 'class-2026-12-07-1848-2.json'}" in said.out
    assert (folder / "class-2026-12-07-1848.json").read_bytes() == first
    assert main(args) == 0
    assert sorted(p.name for p in folder.glob("*.json")) == [
        "class-2026-12-07-1848-2.json", "class-2026-12-07-1848-3.json", "class-2026-12-07-1848.json"]


async def test_d_brings_the_scene_and_hour_prompts_at_any_moment(class_story, store):
    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Notes) and app.screen.heading == "For discussion"
        assert app.screen.markdown == ("**The wire from the Fifth Army**\n\n- Why keep good news from your own side?\n\n"
                                       "**Four o'clock**\n\n- Who should decide what the crowd is told?")


async def test_counts_typed_as_fast_as_keys_come_land_where_they_were_typed(class_story, store):
    """12 Tab 10 Tab 8 in one burst, as a terminal's input thread posts them (all at once, not each after the
    last was handled, as Pilot's `press` does): the tally is 12/10/8, never 12/108/–."""
    from textual import events

    app = app_for(class_story, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ["1", "2", "tab", "1", "0", "tab", "8"]:
            app.post_message(events.Key(key, "\t" if key == "tab" else key))
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)  # "keep" carried, and it asks its question
        await pilot.press("escape")
        await pilot.pause()
        assert app.state.log, "the vote was not taken"
    assert saved(store)["state"]["log"][0]["votes"] == {"keep": 12, "tell": 10, "phone": 8}


async def test_more_votes_than_the_class_has_students_are_refused(class_story, store):
    app = ClassApp(class_story, store, "lesson", engine.new_game(class_story, seed=5), class_size=30)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.pause()
        await vote(pilot, "12", "189", "0")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClassPlayScreen) and not app.state.log
        assert "of 30 votes so far" in str(app.screen.query_one("#tally").render())
    assert any("201 votes (12 + 189 + 0), but the class has 30 students" in n for n in notes)


async def test_more_counts_than_choices_are_refused_with_the_place(class_story, store):
    app = app_for(class_story, store)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.pause()
        await vote(pilot, "1", "2", "3", "4")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.state.log
    assert any("4 counts typed (1/2/3/4), but there are only 3 choices" in n for n in notes)


def test_class_size_below_one_and_live_options_without_live_are_refused(class_story, tmp_path: Path, capsys):
    assert main(["class", "--save-dir", str(tmp_path), "--class-size", "0"]) == 2
    assert "--class-size must be at least 1" in capsys.readouterr().err
    assert main(["class", "--save-dir", str(tmp_path), "--host", "0.0.0.0"]) == 2
    assert "--host and --class-code are for --live" in capsys.readouterr().err


async def test_a_single_choice_scene_takes_one_key_and_pgdn_scrolls_the_scene(tmp_path: Path):
    from class_story import write_class_story

    from game.story_folder import load_folder
    folder = write_class_story(tmp_path / "one-way")
    for f in folder.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("      - {id: leave, text: Slip out by the side door, goto: home}\n", ""),
                     encoding="utf-8")
    story = load_folder(str(folder))
    state = engine.choose(story, engine.new_game(story, seed=5), "tell")
    assert [c.id for c in engine.choices(story, state) if c.enabled] == ["wait"]
    store = SaveStore(tmp_path / "class")
    app = ClassApp(story, store, "lesson", state)
    async with app.run_test(size=(80, 14)) as pilot:  # a short screen: the scene runs past its foot
        await pilot.pause()
        assert app.screen.query_one("#scene").max_scroll_y > 0
        assert "One way on: Enter goes on" in str(app.screen.query_one("#tally").render())
        from game.tui.widgets.key_bar import KeyBar

        assert "PgUp/PgDn Scroll" in app.screen.query_one(KeyBar).render().plain
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.screen.query_one("#scene").scroll_y > 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.scene == "gate" and app.state.log[-1].votes is None


async def test_every_scene_opens_at_its_top_at_80_by_24(tmp_path: Path):
    """The shipped story, on a projector's 80×24: after each decision the new scene shows its title first."""
    from game.locate import load_or_explain

    story = load_or_explain(None)
    assert story is not None
    app = ClassApp(story, SaveStore(tmp_path / "class"), "lesson", engine.new_game(story, seed=5))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(4):
            await pilot.pause()
            await pilot.pause()
            scene = app.screen.query_one("#scene")
            assert scene.max_scroll_y > 0, "the scene fits the screen: this test would prove nothing"
            assert scene.scroll_y == 0, f"{app.state.scene} opened scrolled down to {scene.scroll_y}"
            enabled = [c for c in engine.choices(story, app.state) if c.enabled]
            await pilot.press(*"1", "enter") if len(enabled) > 1 else await pilot.press("enter")
            await pilot.pause()
            while not isinstance(app.screen, ClassPlayScreen):
                await pilot.press("escape" if isinstance(app.screen, ReflectionPrompt) else "enter")
                await pilot.pause()


async def test_the_exit_question_is_asked_on_quitting_and_kept_for_the_report(class_story, store, tmp_path: Path):
    from game.classroom.report import build

    app = ClassApp(class_story, store, "lesson", engine.new_game(class_story, seed=5),
                   exit_question="Was the Soviet's refusal to take power a mistake? Say why in one sentence.")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt) and app.screen.heading == "Exit question"
        await pilot.press(*"No, the army was at the front", "enter")
        await pilot.pause()
    assert saved(store)["meta"]["exit_question"] == {
        "question": "Was the Soviet's refusal to take power a mistake? Say why in one sentence.",
        "answer": "No, the army was at the front"}
    report = build(class_story, [store.path("lesson")])
    assert ("Exit question: Was the Soviet's refusal to take power a mistake? Say why in one sentence.",
            [("lesson", "No, the army was at the front")]) in report.reflections()


def test_an_empty_exit_question_is_refused(tmp_path: Path, capsys):
    assert main(["class", "--save-dir", str(tmp_path), "--exit-question", "   "]) == 2
    assert "--exit-question: the exit question is empty" in capsys.readouterr().err
