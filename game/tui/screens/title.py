"""The title screen: new game, continue (the autosave), load a save, a chapter, the chair, quit.

The whole page (title between double rules, blurb, who is playing, the menu
in its box) is one widget, `TitlePage`, drawn as text. It is the first frame
of every fresh start, and each widget costs its own compose, CSS matching and
layout: drawn with containers, Statics and an OptionList it took ~25 ms
longer to appear (see docs/performance.md, "Start-up"). The screen itself
scrolls when the terminal is too small for the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from ...saves import SaveInfo, autosave_name, glance

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ..app import TaurideApp

MENU_MIN_WIDTH = 30
"""The menu box is at least this wide (border included), like the other menus of the game."""


@dataclass(frozen=True)
class MenuItem:
    """One line of the title menu: `label` is what it says, `note` the italic remark after it."""

    id: str
    label: str
    note: str = ""
    disabled: bool = False

    @property
    def text(self) -> str:
        return f"{self.label}  ({self.note})" if self.note else self.label


class TitlePage(Widget, can_focus=True):
    """The title page as one widget: ↑/↓ pick a line of the menu, Enter (or a click) takes it."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "move(-99)", "First", show=False),
        Binding("end", "move(99)", "Last", show=False),
        Binding("enter", "select", "Choose", show=False),
    ]

    def __init__(self, title: str, blurb: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.blurb = (blurb or "").strip()
        self.who = ""
        """The "Playing as …" line (empty outside a classroom)."""
        self.items: list[MenuItem] = []
        self.highlighted = 0
        self._paper = ("", "")
        self._menu_rows: dict[int, int] = {}
        """Row of the page -> index of the menu item drawn there (for clicks)."""
        self._drawn: tuple[tuple[object, ...], list[Content]] | None = None
        """The last page drawn and what it was drawn from: layout asks its height, then it is rendered."""

    def set_heading(self, title: str, blurb: str | None) -> None:
        """Draw another title and blurb (the validated story's, where the title showed its glance)."""
        if (title, (blurb or "").strip()) != (self.title, self.blurb):
            self.title, self.blurb = title, (blurb or "").strip()
            self._drawn = None
            self.refresh(layout=True)

    def set_menu(self, items: list[MenuItem], highlighted: int, who: str) -> None:
        self.items, self.highlighted, self.who = items, highlighted, who
        self.refresh(layout=True)

    # ------------------------------------------------------------ drawing
    def _lines(self, width: int) -> list[Content]:
        """The page, one `Content` per row, each exactly `width` cells (rows of the menu noted for clicks)."""
        width = max(width, 1)
        rule = Content.styled("═" * width, "$secondary")
        lines = [rule, Content(" " * width)]
        lines += [_centre(line, width) for line in Content.styled(self.title, "bold $primary").wrap(width)]
        lines += [Content(" " * width), rule]
        if self.blurb:
            lines.append(Content(" " * width))
            lines += [line.pad_right(width - line.cell_length) for line in Content(self.blurb).wrap(width)]
            lines.append(Content(" " * width))
        lines += [_centre(line, width) for line in Content.styled(self.who, "$text-muted").wrap(width)] or [
            Content(" " * width)]
        lines.append(Content(" " * width))  # the menu's top margin
        self._menu_rows = {}
        inner = min(max(max((len(i.text) for i in self.items), default=0), MENU_MIN_WIDTH - 4), max(width - 4, 1))
        box = inner + 4
        left = max((width - box) // 2, 0)
        right = max(width - box - left, 0)
        focused = self.has_focus
        paper = self._box_paper() if focused else "$surface"
        edge = f"$secondary on {paper}"

        def boxed(middle: Content, first: str, last: str) -> Content:
            return Content.assemble(" " * left, (first, edge), middle, (last, edge), " " * right)

        lines.append(boxed(Content.styled("─" * (box - 2), edge), "╭", "╮"))
        for index, item in enumerate(self.items):
            if item.disabled:
                style = f"$foreground 38% on {paper}"
            elif index == self.highlighted:
                style = ("bold $block-cursor-foreground on $block-cursor-background" if focused
                         else "$foreground on $block-cursor-blurred-background")
            else:
                style = f"$foreground on {paper}"
            text = Content.assemble(item.label, *([("  (" + item.note + ")", "italic")] if item.note else []))
            text = text.truncate(inner, ellipsis=True)
            text = text.pad_right(inner - text.cell_length).stylize_before(style)
            self._menu_rows[len(lines)] = index
            lines.append(boxed(Content.assemble((" ", edge), text, (" ", edge)), "│", "│"))
        lines.append(boxed(Content.styled("─" * (box - 2), edge), "╰", "╯"))
        return lines

    def _box_paper(self) -> str:
        """The menu box's background while focused: the surface tinted 5% towards the text, as menus are."""
        theme = self.app.theme
        if self._paper[0] != theme:
            variables = self.app.get_css_variables()
            tinted = Color.parse(variables["surface"]).blend(Color.parse(variables["foreground"]), 0.05)
            self._paper = (theme, tinted.hex)
        return self._paper[1]

    def _page(self, width: int) -> list[Content]:
        """`_lines(width)`, drawn once for both the layout's question (its height) and the render."""
        key = (width, self.has_focus, self.highlighted, tuple(self.items), self.who, self.title, self.blurb,
               self.app.theme)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._lines(width))
        return self._drawn[1]

    def render(self) -> Content:
        return Content("\n").join(self._page(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._page(width))

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_highlighted)  # a terminal too small for the page: the menu stays in view

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------ choosing
    def action_move(self, step: int) -> None:
        enabled = [i for i, item in enumerate(self.items) if not item.disabled]
        if not enabled:
            return
        if abs(step) > 1:
            self.highlighted = enabled[0] if step < 0 else enabled[-1]
        else:
            after = [i for i in enabled if (i - self.highlighted) * step > 0]
            if after:
                self.highlighted = after[0] if step > 0 else after[-1]
        self.refresh()
        self._show_highlighted()

    def _show_highlighted(self) -> None:
        """On a small terminal the screen scrolls: keep the highlighted line (and the box's edge) in view."""
        rows = [row for row, index in self._menu_rows.items() if index == self.highlighted]
        if rows:
            top = self.virtual_region.y + self.styles.padding.top + rows[0]
            self.screen.scroll_to_region(Region(0, top - 1, 1, 3), animate=False)

    def action_select(self) -> None:
        if 0 <= self.highlighted < len(self.items) and not self.items[self.highlighted].disabled:
            self.post_message(self.Chosen(self.items[self.highlighted].id))

    def on_click(self, event: events.Click) -> None:
        index = self._menu_rows.get(event.y - self.styles.padding.top)
        if index is not None and not self.items[index].disabled:
            self.highlighted = index
            self.refresh()
            self.post_message(self.Chosen(self.items[index].id))

    class Chosen(Message):
        """A menu line was taken (Enter or a click)."""

        def __init__(self, item: str) -> None:
            super().__init__()
            self.item = item


def _centre(line: Content, width: int) -> Content:
    line = line.rstrip().truncate(width)
    left = (width - line.cell_length) // 2
    return line.pad(left, width - line.cell_length - left)


class TitleScreen(Screen[None]):
    """The first screen of a fresh start."""

    AUTO_FOCUS = "#title-page"

    BINDINGS = [
        Binding("n", "menu('new')", "New game"),
        Binding("c", "menu('continue')", "Continue"),
        Binding("l", "menu('load')", "Load"),
        Binding("h", "menu('chapters')", "Chapters", show=False),
        Binding("w", "menu('who')", "Someone else (classroom)", show=False),
        Binding("v", "menu('chair')", "Change chair (a story of several)", show=False),
    ]

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        card = self.tauride.title_card()
        yield TitlePage(card.title, card.description, id="title-page")
        yield Widget(id="key-line")  # filled after the first frame (`_add_key_line`)

    @property
    def page(self) -> TitlePage:
        return self.query_one(TitlePage)

    def on_mount(self) -> None:
        self.refresh_menu(glance_only=True)
        # The key line repeats the menu: it follows once the first frame is out, so the title is up sooner.
        self.app.call_after_refresh(self._add_key_line)  # the app's queue: after the start-up batch, so after the frame

    async def _add_key_line(self) -> None:
        from ..widgets.key_bar import KeyBar

        if not self.tauride.finish_loading():
            return  # the story has errors: the app is exiting to list them
        if not self.is_attached:
            return  # left already (a key pressed before the first frame was out)
        # The autosave checked in full (game.save_format), now the first frame is out; and the validated
        # story's own title and chair, where the first frame showed its glance.
        self.refresh_menu()
        # The play screen's key line: Textual's Footer re-built a widget per key whenever the bindings
        # changed, twice more while a new game's content note came up (~25 ms before it was shown).
        # Into its place, not onto the screen: a widget mounted on the screen itself repaints all of it.
        await self.query_one("#key-line").mount(KeyBar())
        if self.tauride.classroom is not None and self.tauride.who is None:
            self.tauride.sign_in(self.refresh_menu)

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def autosave_info(self, glance_only: bool = False) -> SaveInfo | None:
        """The autosave's summary, checked in full; `glance_only`: read without the check, for the first frame
        (the check imports pydantic, ~0.2 s; it follows right after the frame)."""
        if self.tauride.classroom is not None and self.tauride.who is None:
            return None  # nobody signed in yet: no one's saves to offer
        if self.tauride.pending is not None:
            return None  # the story is validated right after the first frame; the menu is refreshed then
        store, story = self.tauride.store, self.tauride.story
        if glance_only:
            path = store.path(autosave_name(story))
            if not path.exists():
                return None
            return glance(path, story) or SaveInfo(path.stem, path, error="the autosave cannot be read")
        return store.info(autosave_name(story), story)

    def menu_items(self, glance_only: bool = False) -> list[MenuItem]:
        """The menu, with "continue" saying where the autosave stands (or why it cannot)."""
        auto = self.autosave_info(glance_only)
        card = self.tauride.title_card()
        if self.tauride.pending is not None:
            cont = MenuItem("continue", "c  Continue", "checking the story…", disabled=True)
        elif auto is None:
            cont = MenuItem("continue", "c  Continue", "no autosave yet", disabled=True)
        elif auto.error:
            from ...save_keep import other_story

            other = other_story(self.tauride.store, self.tauride.story)
            why = "the autosave cannot be read" if other is None else f"a game of {other}: it will be kept"
            cont = MenuItem("continue", "c  Continue", why, disabled=True)
        else:
            cont = MenuItem("continue", "c  Continue", f"{auto.clock} · {auto.scene_title}")
        return [
            MenuItem("new", "n  New game"),
            cont,
            MenuItem("load", "l  Load a save"),
            *([MenuItem("chapters", "h  Start at a chapter", f"{card.chapters} lessons")] if card.chapters else []),
            *([MenuItem("chair", "v  Change chair", f"{card.chairs} points of view")]
              if self.tauride.can_choose_chair() else []),
            *([MenuItem("who", "w  Someone else is playing")] if self._can_switch_student() else []),
            MenuItem("quit", "q  Quit"),
        ]

    def _can_switch_student(self) -> bool:
        """In a classroom on one computer, yes; served, no: the server proved who this is, and only them."""
        room = self.tauride.classroom
        return room is not None and room.student is None

    def refresh_menu(self, glance_only: bool = False) -> None:
        items = self.menu_items(glance_only)
        who = self.tauride.who
        room = self.tauride.classroom
        where = f" · class {room.class_name}" if room is not None and room.class_name else ""
        lines = [f"Playing as {who}{where}"] if who else []
        card = self.tauride.title_card()  # the story's, or while it is loaded, its glance's
        if card.chair is not None:  # (a glance at story.yaml has none: the line follows the check)
            lines.append(f"Chair: {card.chair}")  # which side of the door, before anything is started
        if self.tauride.pending is None:
            self.page.set_heading(card.title, card.description)  # the chair's own
        self.page.set_menu(items, 0 if items[1].disabled else 1, " · ".join(lines))
        self.page.focus()

    def on_title_page_chosen(self, event: TitlePage.Chosen) -> None:
        event.stop()
        self.action_menu(event.item)

    def action_menu(self, what: str) -> None:
        app = self.tauride
        if what == "new":
            app.new_game()
        elif what == "continue":
            app.continue_game()
        elif what == "load":
            app.open_saves()
        elif what == "chapters" and app.story.chapters:
            app.choose_chapter()
        elif what == "chair" and app.can_choose_chair():
            app.choose_chair(self.refresh_menu)
        elif what == "who" and self._can_switch_student():
            app.who = None
            app.sign_in(self.refresh_menu)
        elif what == "quit":
            app.exit(0)
