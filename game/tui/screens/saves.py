"""The saves screen: every save with when it was made, its scene and story clock.

Load (Enter), delete (d), rename (r). A save that cannot be read is listed
by name with its error, and the others still list and load. A finished
playthrough (kept at its ending, game.save_keep) is marked so; loading it
shows its ending for review, and the game never writes over it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...engine import State
from ...saves import SaveError, SaveInfo, check_name, save_chair
from ...story.problems import StoryError
from .confirm import ConfirmDialog
from .prompt import PromptDialog

if TYPE_CHECKING:
    from ..app import TaurideApp


def when(saved_at: str | None) -> str:
    """A save's time in the player's local time, to the minute."""
    if not saved_at:
        return "—"
    try:
        return datetime.fromisoformat(saved_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return saved_at


def checked_name(raw: str) -> str:
    try:
        return check_name(raw)
    except SaveError as err:
        raise ValueError(str(err)) from None


class SavesScreen(Screen[State | None]):
    """Dismisses with the loaded state, or None when the player goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "load", "Load", priority=True),
        Binding("d,delete", "delete", "Delete"),
        Binding("r", "rename", "Rename"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.infos: list[SaveInfo] = []

    @property
    def tauride(self) -> "TaurideApp":
        return cast("TaurideApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="saves-page"):
            yield Static("Saves", classes="screen-title")
            yield Static("", id="saves-where", classes="screen-sub", markup=False)
            yield DataTable(id="saves-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="saves-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Most telling first: at 100 columns a finished save's name is long, and what is cut is the date it was saved.
        table.add_columns("Name", "Scene", "Clock", "Choices", "Saved")
        where = "your own, kept on your teacher's computer" if self.tauride.served else f"in {self.tauride.store.folder}"
        self.query_one("#saves-where", Static).update(where)
        self.reload()
        table.focus()

    def reload(self, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.infos = [self._other_chair(info) for info in self.tauride.store.list(self.tauride.story)]
        for info in self.infos:
            # A DataTable reads a str cell as Rich markup; names, errors and titles are not markup, so each is escaped.
            if info.error:
                table.add_row(escape(info.name), escape(f"cannot be read: {info.error}"), "—", "—", "—", key=info.name)
            else:
                scene = info.scene_title or info.scene or "—"
                # a finished save's name already holds its ending, so the column says only that it is over
                table.add_row(
                    escape(info.name), "finished" if info.finished else escape(scene), escape(info.clock or "—"),
                    str(info.steps), when(info.saved_at), key=info.name,
                )
        empty = "" if self.infos else "No saves yet. In play, press s to save to a named slot."
        self.query_one("#saves-empty", Static).update(empty)
        if select is not None:
            for row, info in enumerate(self.infos):
                if info.name == select:
                    table.move_cursor(row=row)

    def _other_chair(self, info: SaveInfo) -> SaveInfo:
        """A save of another chair of this story is not an error: it is summarised by its own chair."""
        if not info.error:
            return info
        chair = save_chair(info.path)
        if chair is None or chair == self.tauride.story.chair:
            return info
        try:
            story = self.tauride.chair_story(chair)
        except StoryError:
            return info
        if story is self.tauride.story:
            return info
        other = self.tauride.store.info(info.name, story)
        if other is None or other.error:
            return info
        title = next((c.title for c in story.chairs if c.id == chair), chair)
        return SaveInfo(**{**other.__dict__, "scene_title": f"{title}: {other.scene_title or other.scene}"})

    def current(self) -> SaveInfo | None:
        table = self.query_one(DataTable)
        if not self.infos or table.cursor_row is None or not 0 <= table.cursor_row < len(self.infos):
            return None
        return self.infos[table.cursor_row]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_load(self) -> None:
        info = self.current()
        if info is None:
            return
        if info.error:
            self.notify(info.error, title=f"'{info.name}' cannot be loaded", severity="error", timeout=10)
            return
        try:
            story = self.tauride.chair_story(save_chair(info.path))  # a save opens the chair it was played in
            state = self.tauride.store.load(info.name, story)
        except (SaveError, StoryError) as err:
            self.notify(str(err), title=f"'{info.name}' cannot be loaded", severity="error", timeout=10)
            return
        self.tauride.play_chair(story)
        if info.finished:
            self.notify("A finished game, shown for review: the save itself stays as it ended.", title=info.name)
        self.dismiss(state)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_load()

    def action_delete(self) -> None:
        info = self.current()
        if info is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.tauride.store.delete(info.name)
            except SaveError as err:
                self.notify(str(err), severity="error")
            else:
                self.notify(f"Deleted '{info.name}'.")
            self.reload()

        detail = ("A finished game: the playthrough a teacher may collect. " if info.finished else "") + "This cannot be undone."
        self.app.push_screen(ConfirmDialog(f"Delete the save '{info.name}'?", detail, "Delete", "Keep"), done)

    def action_rename(self) -> None:
        info = self.current()
        if info is None:
            return
        store = self.tauride.store
        refused = store.rename_problem(info.name)
        if refused is not None:  # said before a name is typed for nothing
            self.notify(refused + ".", severity="warning")
            return

        def check(raw: str) -> str:
            new = checked_name(raw)
            problem = store.rename_problem(info.name, new)
            if problem is not None:
                raise ValueError(problem)
            return new

        def done(new: str | None) -> None:
            if not new or new == info.name:
                return
            try:
                self.tauride.store.rename(info.name, new)
            except SaveError as err:
                self.notify(str(err), severity="error")
                return
            self.notify(f"Renamed '{info.name}' to '{new}'.")
            self.reload(select=new)

        self.app.push_screen(PromptDialog(f"Rename '{info.name}' to:", value=info.name, check=check), done)
