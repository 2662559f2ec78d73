"""Scene text as the player reads it: paragraphs, emphasis, quotations and name links drawn
in a few re-used blocks; any other Markdown shown by Textual's Markdown widget."""

from __future__ import annotations

import pytest
from textual.widgets import Markdown
from tui_helpers import make_app, settle
from wire_story import MANIFEST

from game import engine
from game.settings import Settings
from game.story_folder import load_folder
from game.tui.screens.notes import NoteDialog
from game.tui.screens.play import PlayScreen
from game.tui.widgets.scene_text import SceneText, TextBlock, blocks_of


def shape(markdown: str) -> list[tuple[str, str]] | None:
    blocks = blocks_of(markdown)
    return None if blocks is None else [(kind, content.plain) for kind, content in blocks]


def test_paragraphs_make_one_run_and_quotations_their_own_blocks():
    text = "First line\nwraps on.\n\n> PREPARATIONS\n> COMPLETED.\n\nAfter it.\n\nAnd again."
    assert shape(text) == [
        ("text", "First line wraps on."),
        ("quote", "PREPARATIONS COMPLETED."),
        ("text", "After it.\n\nAnd again."),
    ]
    assert shape("") == [] and shape("One.  \nTwo.") == [("text", "One.\nTwo.")]  # a hard line break


def test_emphasis_and_links_keep_their_styles():
    [(kind, content)] = blocks_of("A *word*, **bold**, ~~gone~~, `code` and [Chkheidze](gloss:chkheidze).")
    styles = {content.plain[s.start:s.end]: str(s.style) for s in content.spans}
    assert styles["word"] == ".em" and styles["bold"] == ".strong"
    assert styles["gone"] == ".s" and styles["code"] == ".code_inline"
    assert "link('gloss:chkheidze')" in styles["Chkheidze"]
    [(_, bare)] = blocks_of("See www.example.org today.")  # bare addresses are links, as in Markdown
    assert [bare.plain[s.start:s.end] for s in bare.spans] == ["www.example.org"]


@pytest.mark.parametrize("text", ["# A heading", "- one\n- two", "1. one\n2. two", "```\ncode\n```",
                                  "| a | b |\n|---|---|\n| 1 | 2 |", "Above\n\n---\n\nbelow", "> > nested"])
def test_anything_else_goes_to_the_markdown_widget(text):
    assert blocks_of(text) is None


SCENES = """\
scenes:
  - id: plain
    title: Plain
    time: "16:00"
    text: |
      Chkheidze reads the form.

      Then he reads it again.
    choices: [{id: on, text: On, goto: quoted}]
  - id: quoted
    title: Quoted
    text: |
      The tape says:

      > THE FIRST ECHELON IS LEAVING.

      Chkheidze folds it.
    choices: [{id: on, text: On, goto: listed}]
  - id: listed
    title: Listed
    text: |
      Chkheidze counts:

      - the cars,
      - the sailors.
    choices: [{id: on, text: On, goto: plain}]
"""


@pytest.fixture
def shapes(make_story):
    return load_folder(str(make_story({"story.yaml": MANIFEST.replace("start: office", "start: plain"),
                                      "16.yaml": SCENES}, name="shapes")))


def on_screen(app) -> list[tuple[str, str]]:
    """The blocks of the scene text that are on screen, and what each says."""
    text = app.screen.query_one(SceneText)
    out = []
    for child in text.children:
        if isinstance(child, TextBlock):
            out.append((child.kind, str(child.render())))
        elif isinstance(child, Markdown):
            out.append(("markdown", child.source))
    return out


async def test_each_shape_of_text_is_drawn_and_the_next_scene_replaces_it(shapes, saves):
    app = make_app(shapes, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert on_screen(app) == [("text", "Chkheidze reads the form.\n\nThen he reads it again.")]
        await pilot.press("1")
        await settle(pilot)
        assert on_screen(app) == [("text", "The tape says:"), ("quote", "THE FIRST ECHELON IS LEAVING."),
                                  ("text", "Chkheidze folds it.")]
        assert app.screen.query_one(TextBlock).has_class("-text")
        await pilot.press("1")
        await settle(pilot)
        [(kind, source)] = on_screen(app)
        assert kind == "markdown" and "- the cars," in source
        # a name in text the Markdown widget shows still opens its entry
        await pilot.click(Markdown, offset=(2, 0))
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog) and app.screen.title_text == "Nikolai Chkheidze"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        await settle(pilot)
        assert on_screen(app) == [("text", "Chkheidze reads the form.\n\nThen he reads it again.")]


async def test_typed_reveal_of_a_list_ends_with_the_whole_list(shapes, saves):
    state = engine.choose(shapes, engine.choose(shapes, engine.new_game(shapes, seed=7), "on"), "on")
    app = make_app(shapes, saves, fresh=False, settings=Settings(reveal="typed"))
    app.initial_state = state
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # typed out to the end, word by word: paragraphs first, then the list
        text = app.screen.query_one(SceneText)
        assert not text.revealing and text.source == text.full
        [(kind, source)] = on_screen(app)
        assert kind == "markdown" and source == text.full and "- the sailors." in source
