"""TaurideApp: the Textual shell around the engine.

Holds the loaded `Story`, the save store and the player's settings, and
moves between screens. The state of a playthrough lives on the play screen;
everything the player sees is drawn from it, and every choice goes through
`game.engine`.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from .. import engine, startup
from ..active_time import META_KEY, ActiveTime
from ..saves import AUTOSAVE, SaveError, SaveStore, autosave_name, is_autosave_name
from ..settings import Settings, load_settings, save_settings
from . import parsed_css
from .plain_notify import PlainNotify
from .screens.title import TitleScreen
from .themes import THEMES

# Only the title screen is needed for the first frame. Every other screen (and the Markdown
# widget and pygments behind some of them) is imported where it is first shown,
# which keeps ~100 ms of imports off the start; after the first frame they load in the background.
if TYPE_CHECKING:
    from ..engine import State
    from ..story.model import Story  # not at import: a title drawn from the cache's record needs no model
    from ..story.problems import StoryError
    from ..story_folder import PendingStory, TitleGlance
    from ..views.teaching import Opening
    from ..views.terms import TermFinder
    from .classroom import Classroom
    from .screens.play import PlayScreen


CSS_DIR = Path(__file__).parent
"""Where tauride.tcss (shared rules and the title) and screens.tcss (every other screen) are."""

PRELOAD_AFTER_S = 0.15
"""How long after the title is up the play screen's modules are imported: after the first frame is out."""


_THEME_VARIABLES: dict[int, tuple[Any, dict[str, str]]] = {}


def _theme_variables(app: "TaurideApp") -> dict[str, str]:
    """`App.get_css_variables` for the app's theme, worked out once per theme in the process.

    Textual derives every colour of the theme's colour system again each time (~1.5 ms, twice as an app
    is made): one per theme serves every game of a process (a classroom's forked games among them).
    What Textual keeps from it (`theme_variables`) is kept as it would have been
    (`tests/test_framework_pins.py` checks Textual still does so).
    """
    theme = app.current_theme
    kept = _THEME_VARIABLES.get(id(theme))
    if kept is None or kept[0] is not theme:
        kept = _THEME_VARIABLES[id(theme)] = (theme, super(TaurideApp, app).get_css_variables())
    app.theme_variables = dict(kept[1])
    return dict(kept[1])


QUIT_UNSAVED = "Quit without saving?"
"""The question asked before quitting loses choices (an autosave failed)."""


class TaurideApp(PlainNotify, App[int]):
    """The game. `state=None` opens on the title screen; a state goes straight to play."""

    TITLE = "Tauride"
    CSS_PATH = ["tauride.tcss", "screens.tcss"]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit, even from a text box", show=False, priority=True),
    ]

    def __init__(
        self,
        story: Story | None,
        store: SaveStore,
        state: State | None = None,
        seed: int | None = None,
        *,
        settings: Settings | None = None,
        settings_file: Path | None = None,
        classroom: Classroom | None = None,
        start: str | None = None,
        locked: bool = False,
        chapter: int | None = None,
        exit_question: str | None = None,
        new_game: bool = False,
        opening: Opening | None = None,
        chair_loader: Callable[[str], Story] | None = None,
        chair_fixed: bool = False,
        pending: PendingStory | None = None,
    ) -> None:
        """`settings` None: read them from `settings_file` (None: the user's settings file).

        `story` None: a fresh start whose story is `pending`, drawn on the title from its glance and
        validated right after the first frame, before any key is handled (`finish_loading`).

        `new_game`: `state` is a game started for this run (`--from`, `--set`, `--seed`), not a
        save loaded: its first autosave keeps an unfinished game the autosave holds (game.save_keep).
        `opening`: shown over the first scene when `state` is a game just made (the content note,
        a chapter's story so far); a game started from the title shows it before play instead.
        `chair_loader`: the shell's way to load another chair of the story's folder (through its story
        cache); with it the title offers the chairs (unless `chair_fixed`: `--chair` on the command line,
        a teacher's assignment) and a save from another chair opens in its own chair.
        """
        self.settings_file = settings_file
        """Where changed settings are written; None means the user's settings file (game.settings)."""
        self.settings_warnings: list[str] = []
        if settings is None:
            settings, self.settings_warnings = load_settings(settings_file)
        self.settings = settings
        # A fresh start draws only the title first: the other screens' rules (most of the stylesheet,
        # ~5 ms to parse) are read after that frame, or before any other screen if one comes sooner.
        parsed_css.install()  # each source parsed once per process, not once per stylesheet (see the module)
        super().__init__(css_path=[CSS_DIR / "tauride.tcss"] if state is None else None)
        if story is None and (pending is None or state is not None):
            raise ValueError("a story, or a pending one for a start on the title")
        self._story = story
        self.pending = pending
        """The story still to validate, while the title shows its glance; None once `story` is in place."""
        self.story_error: StoryError | None = None
        """Why the pending story could not be played: the app exits, and `tauride play` prints every problem."""
        self._finder: tuple[Story, TermFinder] | None = None
        self.store = store
        self.initial_state = state
        self.opening = opening
        self.initial_is_new = new_game and state is not None
        """The first state is a new game of its own (see `new_game` above)."""
        self.seed = seed if state is None else None
        """Seed for the first new game of this run (later ones draw a fresh one). A run that starts in play
        has had its first game: a new one draws a fresh seed, so it is a playthrough of its own (game.save_keep)."""
        self.classroom = classroom
        """Set in a classroom: the title screen asks who is playing before anything else."""
        self.who: str | None = classroom.student if classroom is not None else None
        """The student's name in a classroom, shown on the title screen and kept in saves."""
        self.active = ActiveTime(self._saved_active(store, story))
        """Time on task: kept in every save's meta (`active_seconds`), shown in the class report."""
        self.start = start
        """Where a new game starts (`--from`; a lesson may take one or two hours of the story)."""
        self.locked = locked
        """An assessed run (`--locked`): no undo, and every save says so."""
        self.chapter = chapter
        """The chapter a new game starts at (`serve --chapter N` in a classroom), unless one is picked."""
        self.exit_question = exit_question
        """Asked when the player quits (`--exit-question`, `serve --exit-question`); kept in the save's meta."""
        self.exit_answer: tuple[str, str | None] | None = None
        """(question, answer) once asked this session (answer None: skipped)."""
        self.chair_loader = chair_loader
        """Loads a chair of this story's folder by id (game.story_folder through the shell's cache)."""
        self.chair_fixed = chair_fixed
        """The chair was given on the command line: the title shows it but does not offer another."""
        for theme in THEMES.values():
            self.register_theme(theme)
        self._start_theme(THEMES.get(settings.theme, THEMES["dark"]).name)
        if state is None and parsed_css.warmed_for(self.get_css_variables()):
            # Parsed already under these variables (a game forked from a warmed fork server): read with the
            # title's, before the first frame; added after it, they would restyle and redraw the title.
            self.css_path.append(CSS_DIR / "screens.tcss")
        web = sys.modules.get("textual.drivers.web_driver")  # imported by Textual when it is the driver asked for
        if web is not None and issubclass(self.driver_class, web.WebDriver):
            # Served, the driver reports the page unfocused as it starts (AppBlur), which restyled the whole
            # title before its first frame: start unfocused, as the page is until the student's browser says.
            self.set_reactive(App.app_focus, False)

    @property
    def story(self) -> Story:
        """The validated story; a pending one is validated first (see `finish_loading`)."""
        if self._story is None and not self.finish_loading():
            assert self.story_error is not None
            raise self.story_error
        assert self._story is not None
        return self._story

    @story.setter
    def story(self, story: Story) -> None:
        self._story = story

    def finish_loading(self) -> bool:
        """Validate a pending story (once); False, with the app exiting, when it has errors.

        Queued right after the title's first frame, and run before any key or click is handled
        (`on_event`), so nothing the player does acts on the glance. A story with errors
        is never played: the app exits, and the command prints every problem as any start does.
        """
        if self._story is not None:
            return True
        if self.pending is None or self.story_error is not None:
            return False
        from ..story import StoryError

        try:
            self._story = self.pending.load()
        except StoryError as err:
            self.story_error = err
            self.exit(return_code=1)
            return False
        self.pending = None
        return True

    def title_card(self) -> TitleGlance:
        """What the title page shows of the story (title, description, chapters, chair): the story's, or its glance's."""
        from ..story_folder import TitleGlance

        if self._story is None and self.pending is not None:
            return self.pending.glance
        return TitleGlance.of(self.story)

    def _start_theme(self, name: str) -> None:
        """Set the first theme without the reparse of all CSS that setting `theme` queues.

        Nothing is parsed yet when the app is made, and the first parse reads the theme's
        variables, so that reparse would be the whole stylesheet (~25 ms) parsed twice before
        the first frame. What the theme watcher does besides is done here.
        """
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())  # made in App.__init__, before the theme
        dark = self.current_theme.dark
        self.set_class(True, f"-theme-{name}", update=False)
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    @property
    def finder(self) -> "TermFinder":
        """The glossary matcher, the process's for the story (`game.finders.finder_for`); not needed for the title."""
        if self._finder is None or self._finder[0] is not self.story:
            from ..finders import finder_for

            self._finder = (self.story, finder_for(self.story.glossary))
        return self._finder[1]

    @finder.setter
    def finder(self, finder: "TermFinder") -> None:
        self._finder = (self.story, finder)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, how the game uses them, and the reading width from the settings.

        Defined here rather than in a .tcss file, where a variable is seen by that file only.
        """
        variables = _theme_variables(self)
        variables.update(ink=variables["foreground"], paper=variables["background"], rule=variables["secondary"],
                         highlight=variables["primary"])
        variables["side-width"] = "28"
        variables["page-width"] = str(getattr(self, "settings", Settings()).width)
        return variables

    def _read_screens_css(self) -> None:
        """Add the other screens' rules (screens.tcss) to the stylesheet, once (see `__init__`)."""
        path = CSS_DIR / "screens.tcss"
        if self.stylesheet.has_source(str(path), ""):
            return
        self.stylesheet.read(path)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self._read_screens_css()  # a screen before the rest of the stylesheet was read: read it now
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        self._read_screens_css()
        return super().switch_screen(screen)

    def change_settings(self, new: Settings) -> None:
        """Apply new settings at once and remember them for the next run."""
        old, self.settings = self.settings, new
        if new.theme != old.theme:
            self.theme = THEMES[new.theme].name
        if new.width != old.width:
            self.refresh_css()
        try:
            save_settings(new, self.settings_file)
        except OSError as err:
            self.notify(f"The settings apply now but could not be kept: {err}", severity="warning")

    @property
    def served(self) -> bool:
        """A student's game served to their browser (`tauride serve`): the laptop's folders are not theirs to see."""
        return self.classroom is not None and self.classroom.student is not None

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Served, no message shows the laptop's folders to a student (see `tui.classroom.without_paths`)."""
        if self.served:
            from .classroom import without_paths

            message, title = without_paths(message), without_paths(title)
        super().notify(message, title=title, **kwargs)

    @staticmethod
    def _saved_active(store: SaveStore, story: Story | None) -> float:
        """The time on task the autosave (of `story`'s chair) recorded, so a returning student's minutes add up.

        `story` None: a start on the title still checking its story, which plays the folder's own chair.
        """
        from ..saves import saved_active_seconds

        return saved_active_seconds(store, autosave_name(story) if story is not None else AUTOSAVE)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and not event.is_forwarded:
            if self._story is None and not self.finish_loading():
                return  # the story has errors: the app is exiting to list them, and nothing is played
            self.active.touch()
        await super().on_event(event)

    @property
    def save_meta(self) -> dict[str, Any]:
        """Written into every save: who played, in which class (in a classroom), and for how long."""
        meta: dict[str, Any] = {META_KEY: round(self.active.seconds)}
        if self.locked:
            meta["locked"] = True
        if self.exit_answer is not None:
            from ..exit_question import record

            record(meta, *self.exit_answer)
        if self.who:
            meta["student"] = self.who
        if self.classroom is not None and self.classroom.class_name:
            meta["class"] = self.classroom.class_name
        return meta

    def sign_in(self, on_done: Any) -> None:
        """Ask the student's name, the class code if there is one, and their PIN; their saves move to their folder.

        The PIN is the same as a served student's (`game.classroom.students`): chosen at the first
        sign-in, typed twice; asked every later time, so on a shared computer nobody opens
        another's game either. A teacher resets it with `tauride serve --reset-pin NAME`.
        """
        from ..classroom import students
        from .classroom import check_student
        from .screens.prompt import PromptDialog

        room = self.classroom
        if room is None:
            return

        def checked_code(raw: str) -> str:
            if not room.code_matches(raw):
                raise ValueError("that is not this class's code; ask your teacher")
            return raw

        def done(name: str, folder: Path) -> None:
            self.who = name
            self.store = SaveStore(folder)
            self.active.seconds += self._saved_active(self.store, self.story)
            on_done()

        def prove(name: str) -> None:
            folder = room.folder_for(name)
            if students.has_pin(folder):
                def right_pin(raw: str) -> str:
                    try:
                        if students.pin_matches(folder, raw):
                            return raw
                    except students.PinFileError as err:
                        raise ValueError(f"{err}; ask your teacher to reset it (your saves stay)") from None
                    raise ValueError(f"that is not the PIN {name} chose. Forgot it? Your teacher can reset it")

                self.push_screen(PromptDialog("Your PIN:", hint=f"The PIN {name} chose at the first sign-in.",
                                              check=right_pin, password=True, cancellable=False),
                                 lambda _pin: done(name, folder))
                return

            def keep(pin: str | None) -> None:
                if pin is None:
                    return

                def same(raw: str) -> str:
                    if raw.strip() != pin:
                        raise ValueError("not the same PIN; type the one you just chose")
                    try:
                        students.set_pin(folder, pin)
                    except OSError as err:
                        raise ValueError(f"the PIN cannot be kept ({err.strerror or err}); tell your teacher") from None
                    return pin

                self.push_screen(PromptDialog("The same PIN again:", check=same, password=True, cancellable=False),
                                 lambda _pin: done(name, folder))

            self.push_screen(PromptDialog("Choose a PIN (4 to 8 digits):",
                                          hint="You type it every time you sign in: remember it.",
                                          check=students.check_pin_format, password=True, cancellable=False), keep)

        def named(name: str | None) -> None:
            if not name:
                return
            if room.code:
                self.push_screen(
                    PromptDialog("Class code:", hint="Your teacher gave the class a code.", check=checked_code,
                                 cancellable=False),
                    lambda _code: prove(name),
                )
            else:
                prove(name)

        self.push_screen(
            PromptDialog("Your name:", hint="Your saves are kept under this name, for you and your teacher.",
                         check=check_student, cancellable=False),
            named,
        )

    def get_default_screen(self) -> Screen[Any]:
        """A fresh start opens on the title as the base screen, drawn with the app's first frame.

        (A screen pushed from `on_mount` waits one more tick of Textual's update timer, ~16 ms,
        before it is drawn.) Playing goes on top of it, and `show_title` comes back down to it.
        """
        if self.initial_state is None:
            return TitleScreen()
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self.pending is not None:
            self.call_after_refresh(self.finish_loading)  # before any key: see finish_loading
        self.call_after_refresh(startup.resume)  # see game/startup.py: paused for the first frame only
        for warning in self.settings_warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=8)
        if self.initial_state is None:
            self.call_after_refresh(self._read_screens_css)
            self.set_timer(PRELOAD_AFTER_S, self.prepare_new_game)  # the title is the base screen: get_default_screen
        else:
            from .screens.play import PlayScreen

            play = PlayScreen(self.initial_state, new_game=self.initial_is_new)
            self.push_screen(play)
            if self.opening is not None and not self.opening.empty:
                from .screens.notes import NoteDialog

                self.push_screen(NoteDialog(self.opening.TITLE, self.opening.markdown(), id="opening"))

    def prepare_new_game(self) -> None:
        """Get ready for "New game" while the player reads the title, not when they press a key.

        The play screen and what starts a game are imported, the default CSS of the play screen's and
        the content note's widgets added to the stylesheet and parsed,
        the Markdown parser that reads scene text is built, and the glossary's patterns for the
        first scene's words are compiled: at the key, they cost the first scene ~50 ms more than
        any later one. The fork server's warm-up runs it too (`parsed_css.warm`): a forked game
        finds all of it done.
        """
        from ..save_keep import unfinished_autosave  # noqa: F401  (imported now: the modules "New game" uses)
        from ..views import chapters, teaching  # noqa: F401
        from .screens.play import prepare_styles
        from .widgets.scene_text import prepare_parser

        prepare_parser()
        prepare_styles(self)
        if not self.finish_loading():
            return  # a story with errors is never played: the app is exiting to list them
        try:
            first = engine.scene_text(self.story, engine.new_game(self.story))
        except (engine.ChoiceError, engine.RunError):
            return  # the title says so when the player starts: see _start_new
        self.finder.find(first)

    # ------------------------------------------------------------ moving between screens
    def play_screen(self) -> "PlayScreen | None":
        from .screens.play import PlayScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlayScreen):
                return screen
        return None

    def _reset_to(self, screen: Any) -> None:
        """Leave every screen but the base one and show `screen`."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_title(self) -> None:
        if isinstance(self.screen_stack[0], TitleScreen):
            while len(self.screen_stack) > 1:  # down to the base title, which refreshes its menu on resume
                self.pop_screen()
        else:
            self._reset_to(TitleScreen())

    def start_play(self, state: State, new_game: bool = False) -> "PlayScreen":
        from .screens.play import PlayScreen

        play = PlayScreen(state, new_game=new_game)
        self._reset_to(play)
        return play

    def new_game(self, chapter: int | None = None) -> None:
        """Start afresh (at `chapter`, if given), first saying that an unfinished autosaved game will be kept
        under a name, never silently replaced.

        It is kept at the new game's first choice, by that choice's autosave (`new_game=True`: the rule and
        the name are game.save_keep's, shared with plain mode and every autosave), not here: until then the
        autosave still holds it, so backing out at the content note, or quitting before a choice, leaves
        "Continue" on it and no "earlier game" behind.
        """
        from ..save_keep import unfinished_autosave

        old = unfinished_autosave(self.store, self.story)
        if old is None:
            self._start_new(chapter)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._start_new(chapter)

        from ..story.model import format_clock
        from .screens.confirm import ConfirmDialog

        title = engine.scene_title(self.story, old.state)
        self.push_screen(
            ConfirmDialog("Start a new game?",
                          f"Your unfinished game ({format_clock(old.state.clock)} · {title}) will be kept as the save "
                          f"'{old.name}'.", "Start", "Back"),
            answer,
        )

    def _start_new(self, chapter: int | None = None) -> None:
        """Make the new game, show the content note (and a chapter's story so far), then play."""
        from ..views.chapters import ChapterError, chapter_state
        from ..views.chapters import chapter as chapter_of
        from ..views.teaching import opening

        seed = self.seed if self.seed is not None else secrets.randbits(32)
        self.seed = None
        chapter = chapter if chapter is not None else self.chapter
        try:
            if chapter is None:
                state, intro = engine.new_game(self.story, seed=seed, start=self.start), opening(self.story)
            else:
                state, intro = chapter_state(self.story, chapter, seed), opening(self.story, chapter_of(self.story, chapter))
        except (engine.ChoiceError, engine.RunError, ChapterError) as err:  # say so, stay on the title
            self.notify(str(err), title="The story cannot start", severity="error", timeout=10)
            return
        if intro.empty:
            self.start_play(state, new_game=True)
            return
        from .screens.confirm import ConfirmDialog

        # The play screen is built and its first scene drawn under the note while it is read, so "Begin"
        # only uncovers it (composing and styling a play screen was most of a new game's wait); "Back"
        # takes it away unplayed, nothing autosaved; quitting meanwhile treats it as not begun (`under_note`).
        # Typed text types itself out when shown: not behind the note.
        play = self.start_play(state, new_game=True) if self.settings.reveal != "typed" else None
        if play is not None:
            play.under_note = True

        def begin(yes: bool | None) -> None:
            if play is None:  # typed reveal: the game is made now, or not at all
                if yes:
                    self.start_play(state, new_game=True)
            elif yes:
                play.under_note = False
            else:
                self.show_title()  # takes the unbegun play screen away with the note

        self.push_screen(ConfirmDialog(intro.TITLE, intro.markdown(), "Begin", "Back", default_yes=True,
                                       markdown=True), begin)

    def choose_chapter(self) -> None:
        """The story's chapters, each with its hour; the one picked starts a new game there."""
        from ..views.chapters import ChapterError, chapter_plans
        from .screens.notes import PickDialog

        try:
            plans = chapter_plans(self.story)
        except ChapterError as err:
            self.notify(str(err), title="Chapters", severity="error", timeout=10)
            return
        items = {str(p.chapter.number): f"{p.chapter.number}. {p.span}  {p.chapter.title}  "
                                        f"· {p.minutes} min aloud" for p in plans}

        def picked(key: str | None) -> None:
            if key is not None:
                self.new_game(int(key))

        self.push_screen(PickDialog("Start at a chapter", items, "This story has no chapters.", enter="start there"), picked)

    # ------------------------------------------------------------ chairs (a story folder of several)
    def can_choose_chair(self) -> bool:
        """The title offers the chairs: the folder has several, the shell can load them, none was imposed."""
        # (a glance at story.yaml knows no chairs: the menu is refreshed once the story is checked)
        return self.title_card().chairs > 1 and self.chair_loader is not None and not self.chair_fixed

    def chair_story(self, chair: str | None) -> Story:
        """The story of `chair` (this one when it is the chair played now, or none is named or loadable).

        Raises StoryError (from the shell's loader) when that chair's files do not load.
        """
        if chair is None or chair == self.story.chair or self.chair_loader is None:
            return self.story
        if chair not in {c.id for c in self.story.chairs}:
            return self.story  # a save naming no chair of this folder: the load says what is wrong with it
        return self.chair_loader(chair)

    def play_chair(self, story: Story) -> None:
        """Play `story` (another chair of the folder) from now on: its title, its autosave, its time on task."""
        if story is self.story:
            return
        self.story = story
        self.active = ActiveTime(self._saved_active(self.store, story))

    def choose_chair(self, on_done: Callable[[], None]) -> None:
        """Ask which chair to play; `on_done` runs after a change (the title redraws for it)."""
        from ..story.problems import StoryError
        from .screens.notes import PickDialog

        items = {c.id: f"{c.title}{'  (now)' if c.id == self.story.chair else ''}" for c in self.story.chairs}

        def picked(chair: str | None) -> None:
            if chair is None or chair == self.story.chair:
                return
            try:
                story = self.chair_story(chair)
            except StoryError as err:
                self.notify(str(err), title=f"The chair '{chair}' cannot be played", severity="error", timeout=10)
                return
            self.play_chair(story)
            on_done()

        self.push_screen(PickDialog("Choose your chair: whose afternoon to play", items, enter="play this chair"), picked)

    def continue_game(self) -> None:
        try:
            state = self.store.load(autosave_name(self.story), self.story)
        except SaveError as err:
            self.notify(str(err), title="Cannot continue", severity="error", timeout=10)
            return
        self.start_play(state)

    def open_saves(self) -> None:
        from .screens.saves import SavesScreen

        before = self.story

        async def loaded(state: State | None) -> None:
            if state is None:
                return
            play = self.play_screen()
            if play is None or self.story is not before:  # a save of another chair: its own play screen
                self.start_play(state)
                return
            while self.screen is not play:
                await self.pop_screen()
            await play.load(state)
            self.notify("Save loaded.")

        self.push_screen(SavesScreen(), loaded)

    def ask_save(self, state: State) -> None:
        """The save dialog: a name, checked; replacing a save asks first."""
        from .screens.confirm import ConfirmDialog
        from .screens.prompt import PromptDialog
        from .screens.saves import checked_name

        existing = [i.name for i in self.store.list() if not is_autosave_name(i.name)]
        hint = ("Saves: " + ", ".join(existing[:8]) + (" …" if len(existing) > 8 else "")) if existing else ""

        def write(name: str) -> None:
            try:
                path = self.store.write(name, self.story, state, self.save_meta)
            except SaveError as err:
                self.notify(str(err), title="Not saved", severity="error", timeout=10)
                return
            self.notify(f"Saved as '{name}' ({path.name}).")

        def check(raw: str) -> str:
            """The whole rule (`SaveStore.name_problem`), so any name refused keeps the dialog and what was typed."""
            name = checked_name(raw)
            problem = self.store.name_problem(name)
            if problem is not None:
                raise ValueError(problem)
            return name

        def named(name: str | None) -> None:
            if not name:
                return
            if self.store.exists(name):
                self.push_screen(
                    ConfirmDialog(f"Replace the save '{name}'?", "", "Replace", "Keep it"),
                    lambda yes: write(name) if yes else None,
                )
            else:
                write(name)

        self.push_screen(PromptDialog("Save as:", hint=hint, check=check), named)

    def open_journal(self, state: State) -> None:
        from .screens.journal import JournalScreen

        self.push_screen(JournalScreen(state))

    def open_glossary(self, state: State, select: str | None = None) -> None:
        from .screens.glossary import GlossaryScreen

        self.push_screen(GlossaryScreen(state, select))

    def open_timeline(self, state: State) -> None:
        from .screens.timeline import TimelineScreen

        self.push_screen(TimelineScreen(state))

    def open_debrief(self, state: State) -> None:
        from .screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(state))

    def open_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def show_ending(self, play: "PlayScreen") -> None:
        from .screens.ending import EndingScreen

        if self.screen is play:
            self.push_screen(EndingScreen(play.state))

    async def undo_from_ending(self, state: State) -> None:
        play = self.play_screen()
        if play is None or not state.log:
            return
        while self.screen is not play:
            await self.pop_screen()
        await play.advance(engine.undo(self.story, state, 1))

    # ------------------------------------------------------------ leaving
    def ask_exit_question(self, state: State) -> None:
        """The teacher's exit question; the answer goes into the autosave's meta (only the meta changes)."""
        from .screens.prompt import PromptDialog

        question = self.exit_question
        assert question is not None

        async def answered(answer: str | None) -> None:
            self.exit_answer = (question, answer or None)
            try:
                self.store.write(autosave_name(self.story), self.story, state, self.save_meta)
            except SaveError as err:
                self.notify(f"The answer could not be saved: {err}", title="Not saved", severity="error")
                return
            await self.action_quit()

        self.push_screen(PromptDialog(question, hint="Your teacher's exit question. Answer in a sentence or two and "
                                      "press Enter, or Esc to leave without answering.",
                                      check=lambda raw: raw.strip()), answered)

    async def action_quit(self) -> None:
        """Quit at once unless progress would be lost (the autosave failed); the exit question first, if any."""
        if getattr(self.screen, "question", None) == QUIT_UNSAVED:
            return  # asked already: "q" on the question is not its answer
        play = self.play_screen()
        if play is not None and play.under_note:
            play = None  # a new game not begun (its content note is up): nothing to ask about or keep
        if self.exit_question is not None and self.exit_answer is None and play is not None:
            self.ask_exit_question(play.state)
            return
        if play is not None:
            play.save_if_pending()  # a choice made just now: its autosave waits for the frame (PlayScreen.advance)
        if play is None or not play.unsaved:
            self.exit(0)
            return

        from .screens.confirm import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(
            ConfirmDialog(QUIT_UNSAVED, "The last autosave failed: your latest choices would be lost.",
                          "Quit", "Stay"),
            answer,
        )
