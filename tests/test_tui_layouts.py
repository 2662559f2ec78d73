"""A choice costs one layout and one frame; a new play screen is styled once.

Textual lays a screen out again whenever a layout changed a widget's size
(its virtual size asks for it), and an option list draws itself again on
every resize; after a choice the scene's title, text and choices all change
height, so each choice cost two or three layouts and frames where one shows
the scene. These tests count Textual's layouts, frames and restylings of the
play screen — the work, not the time (the pty benchmark rows measure that).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.geometry import Size
from textual.screen import Screen
from tui_helpers import make_app, settle

from game.story_folder import load_folder
from game.tui.screens.play import PlayScreen, breakpoint_classes
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.settled import needs_second_layout

MANIFEST = """\
title: Loop
id: loop
start: long
clock: {start: "15:30", end: "23:00"}
variables:
  resolve: {type: int, default: 2, range: [0, 5], label: Resolve, shown: true}
"""

SCENES = """\
scenes:
  - id: long
    title: A long page
    text: |
      The Executive Committee sits in the hall where the Duma once sat, and the benches are full.
      Delegates from the factories stand along the walls; somebody has opened a window.

      A sailor climbs onto the speaker's platform and will not come down. He says Kronstadt is
      coming, all of it, and the committee had better be ready to take the power it is offered.

      Nobody answers him. The chairman rings his bell and asks for order.
    choices:
      - {id: on, text: Go on to the short page, goto: short, effects: [resolve += 1]}
      - {id: stay, text: Stay on the long page, goto: long}
      - {id: longer, text: Read on, goto: longer}
  - id: longer
    title: A longer page
    text: |
      The sailors come over the bridge in a column, rifles on their shoulders, a band in front.
      They fill the square before the palace and the gardens behind the railings.

      Inside, the deputies go on speaking. The windows are open; the band can be heard in the hall.

      Somebody says the minister of agriculture has gone out to speak to them. Somebody else says
      he has been seized, that they have put him in a motor car, that they mean to take him away.

      The chairman asks who will go out and bring him back.
    choices:
      - {id: again, text: Back to the long page, goto: long}
  - id: short
    title: A short page
    text: The bell rings.
    choices:
      - {id: back, text: Back to the long page, goto: long, effects: [resolve -= 1]}
      - {id: wait, text: "Wait for the sailors to arrive, which may take a while, at the gate of the palace", goto: long}
      - {id: more, text: A third choice, goto: short}
"""


@pytest.fixture
def loop(make_story):  # type: ignore[no-untyped-def]
    return load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": SCENES}, name="loop")))


class Counts:
    """Layouts, frames and whole-screen restylings of the play screen, from `reset` on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.layouts = self.frames = 0
        self.restyled: list[str] = []
        layout, display, restyle = Screen._refresh_layout, App._display, Stylesheet.update_nodes

        def counted_layout(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
            self.layouts += isinstance(screen, PlayScreen)
            layout(screen, *args, **kwargs)

        def counted_frame(app: App[Any], screen: Screen[Any], update: Any) -> None:
            """A frame is an update handed to the terminal (a refresh with nothing to draw writes none)."""
            self.frames += isinstance(screen, PlayScreen) and update is not None
            display(app, screen, update)

        def counted_restyle(sheet: Stylesheet, nodes: Any, *args: Any, **kwargs: Any) -> None:
            nodes = list(nodes)
            self.restyled.extend(type(n).__name__ for n in nodes[:1] if isinstance(n, PlayScreen))
            restyle(sheet, nodes, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
        monkeypatch.setattr(App, "_display", counted_frame)
        monkeypatch.setattr(Stylesheet, "update_nodes", counted_restyle)

    def reset(self) -> None:
        self.layouts = self.frames = 0
        self.restyled.clear()


async def test_a_choice_is_one_layout_and_one_frame(loop, saves, monkeypatch):  # type: ignore[no-untyped-def]
    """Long page to short and back: title, text and choices change height every time."""
    counts = Counts(monkeypatch)
    app = make_app(loop, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        seen = []
        for key in ["1", "1", "1", "2", "1", "3", "1"]:
            before = screen.query_one("#scene-text").size
            counts.reset()
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(0.1)  # anything Textual would still do after the frame
            seen.append((counts.layouts, counts.frames))
            assert screen.query_one("#scene-text").size != before or key == "3"  # the page did change size
        assert seen == [(1, 1)] * len(seen), seen


async def test_a_page_longer_than_its_room_is_one_layout_and_one_frame(loop, saves, monkeypatch):  # type: ignore[no-untyped-def]
    """Both pages scroll: the text's scroll bar changes length, drawn in the frame that shows the page."""
    counts = Counts(monkeypatch)
    app = make_app(loop, saves, fresh=False)
    async with app.run_test(size=(100, 16)) as pilot:
        await settle(pilot)
        reading = app.screen.query_one("#reading")
        seen = []
        for key in ["3", "1", "3", "1"]:
            counts.reset()
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(0.1)
            assert reading.virtual_size.height > reading.scrollable_content_region.height  # it scrolls
            seen.append((counts.layouts, counts.frames))
        assert seen == [(1, 1)] * len(seen), seen


async def test_a_page_that_outgrows_its_room_or_fits_again_is_one_layout_and_one_frame(loop, saves, monkeypatch):  # type: ignore[no-untyped-def]
    """From a page that scrolls to one that fits and back: the scroll bar's place is kept, blank while
    the text fits, so neither its coming nor its going asks for a second layout, and the text keeps
    its width."""
    counts = Counts(monkeypatch)
    app = make_app(loop, saves, fresh=False)
    async with app.run_test(size=(100, 16)) as pilot:
        await settle(pilot)
        reading = app.screen.query_one("#reading")
        width = reading.scrollable_content_region.width
        seen, scrolls = [], []
        for key in ["1", "1", "1", "1"]:  # long (scrolls) → short (fits) → long → short → long
            counts.reset()
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(0.1)
            seen.append((counts.layouts, counts.frames))
            scrolls.append(reading.virtual_size.height > reading.scrollable_content_region.height)
            assert reading.scrollable_content_region.width == width
        assert scrolls == [False, True, False, True], "the pages must cross the room's edge both ways"
        assert seen == [(1, 1)] * len(seen), seen


async def test_the_scroll_bar_is_blank_while_the_text_fits_and_has_a_thumb_when_it_scrolls(loop, saves):  # type: ignore[no-untyped-def]
    """The bar that is always there looks like the empty gutter of before while there is nothing to scroll."""
    app = make_app(loop, saves, fresh=False)
    async with app.run_test(size=(100, 16)) as pilot:
        await settle(pilot)
        reading = app.screen.query_one("#reading")
        bar = reading.vertical_scrollbar

        def column() -> set[str]:
            lines = bar.render_lines(bar.size.region)
            return {segment.text for line in lines for segment in line}

        def backgrounds() -> set[object]:
            return {segment.style.bgcolor for line in bar.render_lines(bar.size.region) for segment in line if segment.style}

        assert reading.virtual_size.height > reading.scrollable_content_region.height
        scrolling = backgrounds()
        await pilot.press("1")  # the short page
        await settle(pilot)
        assert bar.display and column() == {" "}
        blank = backgrounds()
        assert len(blank) == 1 and blank != scrolling, "one colour, the column's, where the page scrolled before"
        assert blank == {reading.background_colors[1].rich_color}


async def test_the_page_is_laid_out_as_before(loop, saves):  # type: ignore[no-untyped-def]
    """One layout, and the right one: the text's height is its lines, the choices follow it."""
    app = make_app(loop, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ["1", "2", "1"]:
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            reading, text = screen.query_one("#reading"), screen.query_one("#scene-text")
            title, choices = screen.query_one("#scene-title"), screen.query_one(ChoiceList)
            assert reading.size.height == title.outer_size.height + text.outer_size.height
            assert text.virtual_size.height == text.size.height
            assert choices.region.y == reading.region.bottom
            assert choices.outer_size.height == choices.get_content_height(choices.size, screen.size, choices.content_size.width) + choices.gutter.height


async def test_a_new_play_screen_is_styled_once(loop, saves, monkeypatch):  # type: ignore[no-untyped-def]
    """Its widgets are styled as they mount; nothing restyles the whole screen after (classes, first show)."""
    counts = Counts(monkeypatch)
    app = make_app(loop, saves)
    async with app.run_test(size=(70, 18)) as pilot:
        for _ in range(10):
            await pilot.pause(0.05)
        counts.reset()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
        assert counts.restyled == []


async def test_a_new_game_parses_no_stylesheet(loop, saves, monkeypatch):  # type: ignore[no-untyped-def]
    """The play screen's widgets' default CSS is added and parsed while the title is read, not at the key."""
    parsed: list[int] = []
    real = Stylesheet.parse

    def counted(sheet: Stylesheet) -> None:
        parsed.append(1)
        real(sheet)

    app = make_app(loop, saves)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(20):  # the title, then what it prepares while it is read
            await pilot.pause(0.05)
        monkeypatch.setattr(Stylesheet, "parse", counted)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert parsed == []


@pytest.mark.parametrize(("width", "height", "classes"), [
    (100, 30, ["-wide", "-tall"]), (80, 20, ["-wide", "-tall"]), (79, 19, ["-narrow", "-short"]), (40, 12, ["-narrow", "-short"]),
])
def test_breakpoint_classes_are_textuals(width: int, height: int, classes: list[str]) -> None:
    assert breakpoint_classes(PlayScreen.HORIZONTAL_BREAKPOINTS, PlayScreen.VERTICAL_BREAKPOINTS, width, height) == classes
    screen = PlayScreen.__new__(PlayScreen)  # Textual's own rule, as it applies it on a resize
    assert [*screen._get_breakpoint_classes(width, PlayScreen.HORIZONTAL_BREAKPOINTS),
            *screen._get_breakpoint_classes(height, PlayScreen.VERTICAL_BREAKPOINTS)] == classes


def test_a_second_layout_only_where_a_measure_was_stale() -> None:
    room = Size(70, 12)
    assert not needs_second_layout(False, Size(70, 40), room, None)  # text: its parent is the one to check
    assert not needs_second_layout(True, Size(70, 12), room, None)  # the content fills what it was given
    assert not needs_second_layout(True, Size(70, 40), room, 12)  # longer than its room, which is at its cap: it scrolls
    assert needs_second_layout(True, Size(70, 14), room, 20)  # given less than it takes, under its cap: stale
    assert needs_second_layout(True, Size(70, 9), room, None)  # given more than it takes: stale
    assert needs_second_layout(True, Size(69, 12), room, None)  # arranged at another width (a scroll bar went)


QUOTED = """\
scenes:
  - id: long
    title: A page of paragraphs
    text: |
      The Executive Committee sits in the hall where the Duma once sat, and the benches are full.

      Nobody answers him. The chairman rings his bell and asks for order.
    choices:
      - {id: quoted, text: Read the telegram, goto: quoted}
  - id: quoted
    title: A page with a telegram
    text: |
      The telegram is read out from the platform.

      > Fifth Army. The army committee condemns the demonstration and will defend the Soviet.

      The hall applauds.
    choices:
      - {id: back, text: Back to the hall, goto: long}
"""


async def test_a_page_of_another_shape_mounts_nothing_once_seen(make_story, saves, monkeypatch):  # type: ignore[no-untyped-def]
    """Paragraphs, then a quotation between paragraphs (three blocks), and back: the blocks on screen take
    the new page's, a spare one is hidden, not removed: one layout and one frame a choice, nothing mounted."""
    from game.tui.widgets.scene_text import TextBlock

    story = load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": QUOTED},
                                       name="quoted")))
    counts = Counts(monkeypatch)
    app = make_app(story, saves, fresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("1")  # the telegram: more blocks than any page so far, so one is mounted
        await settle(pilot)
        blocks = list(screen.query(TextBlock))
        assert [b.kind for b in blocks] == ["text", "quote", "text"]
        seen = []
        for key, shown in [("1", ["text"]), ("1", ["text", "quote", "text"]), ("1", ["text"])]:
            counts.reset()
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(0.1)
            assert list(screen.query(TextBlock)) == blocks, "the same widgets, none mounted or removed"
            assert [b.kind for b in blocks if b.display] == shown
            seen.append((counts.layouts, counts.frames))
        assert seen == [(1, 1)] * len(seen), seen
        assert "Fifth Army" not in " ".join(str(b.render()) for b in blocks if b.display)


@pytest.mark.parametrize("size", [(100, 32), (60, 20)])
@pytest.mark.parametrize("paragraphs", [1, 40])
async def test_a_note_fits_the_screen_and_a_long_one_scrolls_to_its_end(mini, saves, size, paragraphs) -> None:
    """The note's text scrolls inside what the screen leaves, its title and "Esc: close" always on screen: a
    long history note was cut off at the README's own 100×32, with nothing to scroll and no way to close shown."""
    from game.tui.screens.notes import NoteDialog

    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        text = "\n\n".join(f"Paragraph {i} of the note, long enough to wrap at a narrow width." for i in range(paragraphs))
        app.push_screen(NoteDialog("What really happened", text + "\n\nThe last words."))
        await pilot.pause()
        await pilot.pause()
        note = app.screen.query_one(".note")
        scroll, keys = app.screen.query_one(".note-scroll"), app.screen.query_one(".dialog-keys")
        inside = note.content_region
        assert inside.contains_region(scroll.region) and inside.contains_region(keys.region)
        assert note.region.height <= size[1]
        if paragraphs == 1:
            assert scroll.max_scroll_y == 0 and note.region.height < int(size[1] * 0.9)  # a short one stays small
        else:
            assert scroll.max_scroll_y > 0  # it scrolls: the end can be read
            scroll.scroll_end(animate=False)
            await pilot.pause()
            assert "The last words." in app.export_screenshot().replace("&#160;", " ")


@pytest.mark.parametrize("width", [60, 100])
async def test_the_key_line_leaves_out_whole_keys_that_do_not_fit_and_keeps_help_and_quit(mini, saves, width) -> None:
    """At 60 columns the line ran past its end and was cut mid-word ("… ? Help  q Q"): a key is shown whole
    or not at all, and help (which lists them all) and quit stay."""
    from game.tui.widgets.key_bar import KeyBar

    app = make_app(mini, saves, fresh=False)
    async with app.run_test(size=(width, 20)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bar.render().plain.rstrip()
        assert len(line) <= width and line.endswith("? Help  q Quit"), line
        if width == 100:
            assert line.startswith(" u Undo  j Journal")  # room for all: nothing left out
        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        assert bar.render().plain.startswith(" u Undo  j Journal")
