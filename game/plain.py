"""Plain mode: the game as lines of text on stdin and stdout.

For screen readers, scripts and pipes: plain linear text, every line
labelled, every list numbered, no box drawing, nothing conveyed by colour.
A number chooses; words do the rest (`help` lists them). End of input
autosaves (once a choice has been made) and exits 0. A new game never
replaces the autosave's game: it is offered with `continue`, and kept as the
save 'earlier game' at the new game's first choice (game.save_keep, the same
rule as the full-screen game). Reaching an ending prints the epilogue and the
debrief; the session then stays open for `journal`, `timeline`, `undo` or
`load` until `quit` or end of input. Story logic stays in the engine and
the views: this module only prints what they return and passes choices back.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, TextIO

from . import engine
from .engine import State
from .finders import finder_for
from .plain_input import MAX_LINE, Line, clean, looks_like_number, number, read_lines, why_not_a_number
from .plain_text import (
    debrief_lines,
    fold,
    glossary_entry_lines,
    glossary_list_lines,
    journal_lines,
    minutes,
    sentence,
    timeline_lines,
    unmark,
)
from .saves import SaveError, SaveInfo, SaveStore, autosave_name
from .story.model import GlossaryEntry, Story, format_clock
from .views import debrief, journal, journal_problem, search, terms_met, timeline
from .views.notes import ending_note, note_lines, scene_note
from .views.teaching import Opening, document_lines, ending_verdict, meter_value, meters
from .words import NOTHING_TO_UNDO, UNDO_LOCKED

HELP = """\
Commands:
  1, 2, 3 and so on: take that choice.
  look: show the scene again.
  history: what really happened here, with sources and the documents it rests on.
  meters: what each number measures, and whether high is good.
  documents: the source packet. documents N: read document N.
  journal: everything so far, scene by scene. journal WORDS: only the entries with those words.
  timeline: the day as history records it, beside your afternoon.
  glossary: the people, places and bodies met so far. glossary TERM, or glossary NUMBER: read one entry.
  undo: take back the last choice. undo N: take back N choices.
  continue: go on with the game in the autosave (the last game played).
  new: a new game from the beginning (the game you leave is kept, as the saves list will show).
  save NAME: save to a named slot (replacing a save asks first).
  load NAME: load a named slot, or the autosave.
  saves: list the saves, finished games included.
  help: this list.
  quit: save automatically and leave."""


MAX_LINE_SHOWN = f"{MAX_LINE:,}"


class PlainGame:
    """One plain-mode session: reads commands, writes text."""

    def __init__(self, story: Story, state: State, store: SaveStore, out: TextIO, meta: dict[str, Any] | None = None,
                 *, fresh: bool = True, chair_loader: Callable[[str], Story] | None = None):
        """`fresh`: `state` is a new game (not loaded from a save), so the autosave holds some other game.
        `chair_loader`: the shell's way to load another chair of the folder, so `load NAME` opens a save
        of another chair in that chair."""
        self.story = story
        self.chair_loader = chair_loader
        self.state = state
        self.store = store
        self.out = out
        self.meta = meta or {}
        self.fresh = fresh
        """True until this session's game is the autosave's own (a choice made, continue or load)."""
        self.touched = bool(state.log) or not fresh
        """Something worth autosaving: a choice made, or a game loaded. A new game with no choice is not saved."""
        self.finder = finder_for(story.glossary)
        self.meters_hinted = False
        """The first line of meters says how to have them explained; later ones need not repeat it."""
        self.commands: dict[str, Callable[[str], bool]] = {
            "look": self.cmd_look, "history": self.cmd_history, "journal": self.cmd_journal,
            "timeline": self.cmd_timeline, "glossary": self.cmd_glossary, "undo": self.cmd_undo,
            "save": self.cmd_save, "load": self.cmd_load, "saves": self.cmd_saves, "help": self.cmd_help,
            "quit": self.cmd_quit, "continue": self.cmd_continue, "meters": self.cmd_meters,
            "documents": self.cmd_documents, "new": self.cmd_new,
        }
        self.asking: str | None = None
        """The choice whose reflection question was just asked: the next line is its answer."""
        self.replacing: str | None = None
        """The save `save NAME` would replace: the next line says whether to (only "yes" or "y" does)."""

    @property
    def ended(self) -> bool:
        return engine.is_ending(self.story, self.state)

    def say(self, text: str = "") -> None:
        self.out.write(fold(text, self.width()) + "\n")

    def width(self) -> int | None:
        """The terminal's width for wrapping scene text; None when the output is piped (one line a paragraph)."""
        isatty = getattr(self.out, "isatty", None)
        if isatty is None or not isatty():
            return None
        import os
        import shutil

        try:  # the terminal itself: a COLUMNS left in the environment may be stale
            columns = os.get_terminal_size(self.out.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = shutil.get_terminal_size().columns
        return max(20, columns - 1)

    def lines(self, lines: list[str]) -> None:
        for line in lines:
            self.say(line)

    def show(self) -> None:
        """The current scene: where and when, its text, and what can be done."""
        story, state = self.story, self.state
        scene = engine.scene_of(story, state)
        place = story.glossary[scene.place].term if scene.place and scene.place in story.glossary else None
        self.say(f"Time: {format_clock(state.clock)}." + (f" Place: {place}." if place else ""))
        self.say(f"Scene: {engine.scene_title(story, state)}")
        self.say()
        try:
            text = engine.scene_text(story, state).strip()
        except engine.RunError as err:
            text = ""
            self.say(f"This scene's text cannot be shown: {err}. That is a fault in the story; its writer can fix it.")
        else:
            self.say(unmark(text, self.width()))
        self.say()
        if scene.ending:
            self.say(f"Ending: {sentence(engine.ending_title(story, state))}")
            self.say()
            self.say(unmark(engine.epilogue(story, state), self.width()))
            if story.history:  # only a history story measures its endings against what happened
                self.say()
                self.say(ending_verdict(scene.ending))
            self.say()
            if story.history:  # the debrief sets the choices beside what happened: fiction has no such record
                self.lines(debrief_lines(debrief(story, state)))
                self.say()
            self.say("The story is over. Type new for a new game, or journal, timeline, undo, load NAME, or quit.")
            return
        shown = [v for v in story.variables.values() if v.shown]
        if shown:
            hint = "" if self.meters_hinted else " (Type meters for what they measure.)"
            self.meters_hinted = True
            self.say("; ".join(f"{v.display_name}: {_fmt(state.vars[v.name])}" for v in shown) + "." + hint)
        terms = []
        for span in self.finder.for_scene(story.scenes.get(state.scene)).find(text):
            term = story.glossary[span.entry].term
            if term not in terms and term != place:
                terms.append(term)
        if terms:
            self.say("In the glossary: " + "; ".join(terms) + ".")  # terms may hold commas
        try:
            options = engine.choices(story, state)
        except engine.RunError as err:
            self.say(f"The choices here cannot be worked out: {err}. That is a fault in the story. "
                     "Type undo to step back, load NAME, or quit.")
            return
        if not options:
            # Only a broken story gets here (the validator and the walker report dead ends).
            self.say("No choice can be taken here: the story has a dead end. Type undo, load NAME or quit.")
            return
        self.say("Choices:")
        for i, c in enumerate(options, 1):
            cost = f" (takes {minutes(c.cost)})" if c.cost else ""
            if c.enabled:
                self.say(f"  {i}. {c.text}{cost}")
            else:
                self.say(f"  {i}. {c.text} (locked: {c.locked_reason or 'not possible now'})")

    def autosave(self) -> None:
        """Autosave the game, once it is worth it; a new game first keeps the autosave's unfinished one."""
        if not self.touched:
            return
        try:  # the full-screen game's rule for what is kept (game.save_keep)
            done = self.store.autosave(self.story, self.state, self.meta, new_game=self.fresh)
        except SaveError as exc:
            self.say(f"Could not autosave: {exc}")
            return
        self.fresh = False
        for name in done.kept:
            self.say(f"Your earlier game is kept as the save '{name}'.")
        if done.finished:
            self.say(f"This playthrough is kept as the save '{done.finished}'. New games never replace it.")

    def greet(self) -> None:
        """Before a new game: say what the autosave holds and how to go on with it."""
        if not self.fresh:
            return
        path = self.store.path(autosave_name(self.story))
        if not path.exists():
            return
        info = self.store.info(autosave_name(self.story), self.story)
        if info is None:
            return
        if info.error:
            from .save_keep import free_name, unreadable_name

            kept = free_name(self.store, unreadable_name(self.store, self.story))
            self.say(f"The autosave cannot be read: {info.error}")
            self.say(f"It is left as it is, and kept as the save '{kept}' at your first choice. A new game begins.")
        elif info.steps:
            self.say(f"Your last game is waiting: {info.clock}, {info.scene_title}, after {_choices(info.steps)}. "
                     "Type continue to go on with it.")
            ended = info.scene is not None and self.story.scenes[info.scene].ending is not None
            self.say("Below is a new game; the last one ended, and is kept among the saves." if ended else
                     "Below is a new game. Your first choice in it keeps the last game as the save 'earlier game'.")
        else:
            return
        self.say()

    def handle(self, line: str | Line) -> bool:
        """Act on one line; returns False when the session should end. Nothing typed is echoed unclean."""
        if isinstance(line, str):
            text, removed = clean(line.rstrip("\r\n"))
            line = Line(text, controls=removed)
        if line.too_long:
            self.say(f"That line was {line.too_long:,} characters long and was not read: "
                     f"lines of up to {MAX_LINE_SHOWN} characters are. Type a choice's number, or help.")
            return True
        if line.controls:
            self.say(f"(Left out {line.controls} control character{'s' if line.controls != 1 else ''} from that line.)")
        if self.replacing is not None:
            name, self.replacing = self.replacing, None
            if line.text.strip().lower() in ("yes", "y"):
                return self.save_as(name)
            self.say(f"Kept the save '{name}' as it was; this game was not saved. Type save with another name.")
            return True
        if self.asking is not None:  # the answer to a reflection question, whatever it says (an empty line skips)
            choice_id, self.asking = self.asking, None
            return self.take(choice_id, line.text.strip() or None)
        word, _, rest = line.text.strip().partition(" ")
        if not word:
            return True
        try:
            if looks_like_number(word):
                n = number(word)
                if n is None:
                    self.say(f"There is no such choice: {why_not_a_number(word)}.")
                    return True
                return self.pick(n)
            cmd = self.commands.get(word.lower())
            if cmd is None:
                self.say(f"'{word[:60]}' is not a command. Type a choice's number, or help.")
                return True
            return cmd(rest.strip())
        except (engine.RunError, engine.ChoiceError) as err:  # a fault in the story met by a command
            self.say(f"That could not be done: {err}. The game is as it was.")
            return True

    def pick(self, number: int) -> bool:
        if self.ended:
            self.say("The story is over. Type new for a new game, undo to step back, load NAME, journal, timeline, "
                     "or quit.")
            return True
        options = engine.choices(self.story, self.state)
        if not options:
            self.say("No choice can be taken here. Type undo, load NAME or quit.")
            return True
        if not 1 <= number <= len(options):
            self.say(f"There is no choice {number}. Choose 1 to {len(options)}.")
            return True
        c = options[number - 1]
        if not c.enabled:
            self.say(f"That choice is locked: {c.locked_reason or 'not possible now'}")
            return True
        if c.reflect:
            self.asking = c.id
            self.say(f"{c.reflect}\n(Answer in a few words and press Enter; an empty line goes on without.)")
            return True
        return self.take(c.id, None)

    def take(self, choice_id: str, answer: str | None) -> bool:
        """Make the choice (with the reflection's answer, kept in the log and the save), show what follows, save."""
        try:
            self.state = engine.choose(self.story, self.state, choice_id, answer=answer)
        except (engine.RunError, engine.ChoiceError) as err:
            self.say(f"That choice cannot be taken: {err}. That is a fault in the story; nothing has changed. "
                     "Choose another, type undo, or quit.")
            return True
        self.touched = True
        self.say()
        self.show()
        self.autosave()  # after the scene: what it kept is said last, beside the prompt
        return True

    def cmd_look(self, _: str) -> bool:
        self.show()
        return True

    def cmd_history(self, _: str) -> bool:
        scene = engine.scene_of(self.story, self.state)
        note = ending_note(self.story, scene.ending) if scene.ending else scene_note(self.story, scene.history)
        self.lines([unmark(line) for line in note_lines(note)])
        return True

    def cmd_meters(self, _: str) -> bool:
        shown = meters(self.story, self.state.vars)
        if not shown:
            self.say("This story shows no meters.")
            return True
        self.say(f"Meters: {len(shown)}.")
        for n, m in enumerate(shown, 1):
            self.say(f"  {n}. {m.label}: {meter_value(m)}. {sentence(m.meaning)}")
        return True

    def cmd_documents(self, arg: str) -> bool:
        docs = list(self.story.documents.values())
        if not docs:
            self.say("This story has no source packet.")
            return True
        if not arg:
            self.say(f"Source packet: {len(docs)} documents. Type documents N to read one.")
            for doc in docs:
                self.say(f"  {doc.number}. {doc.title}. {doc.author}, {doc.date}.")
            return True
        if not arg.isdigit() or not 1 <= int(arg) <= len(docs):
            self.say(f"There is no document {arg}. Choose 1 to {len(docs)}, for example: documents 1")
            return True
        self.lines(document_lines(docs[int(arg) - 1]))
        return True

    def cmd_journal(self, arg: str) -> bool:
        entries = journal(self.story, self.state)
        problem = journal_problem(self.story, self.state)
        if problem:
            self.say(f"Note: {problem}.")
        if not arg:
            self.say(f"Journal: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}.")
            self.lines(journal_lines(self.story, entries))
            return True
        found = sorted({h.index for h in search(entries, arg)})
        if not found:
            self.say(f"The journal does not mention '{arg}'.")
            return True
        self.say(f"Journal: {len(found)} entr{'y' if len(found) == 1 else 'ies'} mention '{arg}'.")
        self.lines(journal_lines(self.story, [entries[i] for i in found], [i + 1 for i in found]))
        return True

    def cmd_timeline(self, _: str) -> bool:
        self.lines(timeline_lines(timeline(self.story, self.state)))
        return True

    def cmd_glossary(self, arg: str) -> bool:
        met = terms_met(self.story, self.state, self.finder)
        if not arg:
            self.lines(glossary_list_lines(met))
            return True
        if looks_like_number(arg) and (number(arg) is None or not 1 <= (number(arg) or 0) <= len(met)):
            why = why_not_a_number(arg) if number(arg) is None else f"there is no term {arg} in the list"
            self.say(f"{why[0].upper()}{why[1:]}: {len(met)} met so far. Type glossary to list them.")
            return True
        found = self.lookup(arg, met)
        if isinstance(found, GlossaryEntry):
            self.lines(glossary_entry_lines(self.story, found))
        elif found:
            self.say(f"'{arg}' could be: " + "; ".join(g.term for g in found) + ". Type more of the name.")
        else:
            self.say(f"The glossary has no entry for '{arg}'. Type glossary to list the terms met so far.")
        return True

    def lookup(self, query: str, met: list[GlossaryEntry]) -> GlossaryEntry | list[GlossaryEntry]:
        """One entry by number (in the met list), id, term or match word; else the entries whose term contains it."""
        n = number(query)
        if n is not None:
            return met[n - 1] if 1 <= n <= len(met) else []
        q = " ".join(query.split()).casefold()
        for g in self.story.glossary.values():
            if q in (g.id.casefold(), g.term.casefold(), *(m.casefold() for m in g.match)):
                return g
        spans = self.finder.find(query)
        if len(spans) == 1:
            return self.story.glossary[spans[0].entry]
        partial = [g for g in self.story.glossary.values() if q in g.term.casefold()]
        return partial[0] if len(partial) == 1 else partial

    def cmd_undo(self, arg: str) -> bool:
        if self.meta.get("locked"):
            self.say(UNDO_LOCKED)
            return True
        n = number(arg) if arg else 1
        if n is None:
            why = f" ({why_not_a_number(arg)})" if looks_like_number(arg) else ""
            self.say(f"Undo takes a number of choices, for example: undo 2{why}")
            return True
        if not self.state.own_steps:
            self.say(NOTHING_TO_UNDO)
            return True
        n = min(n, self.state.own_steps)
        try:
            self.state = engine.undo(self.story, self.state, n)
        except (engine.ChoiceError, engine.RunError) as err:
            self.say(f"Cannot undo: the choices made no longer fit the story, which has changed since ({err}). "
                     "The game is as it was: play on, load NAME, or quit.")
            return True
        self.touched = True
        self.autosave()
        self.say(f"Took back {n} choice{'s' if n != 1 else ''}.")
        self.say()
        self.show()
        return True

    def cmd_save(self, arg: str) -> bool:
        if not arg:
            self.say("Give a name: save NAME")
            return True
        problem = self.store.name_problem(arg)
        if problem is not None:
            self.say(f"Not saved: {problem}.")
            return True
        info = self.store.info(arg, self.story)
        if info is not None:  # as the full-screen game's save dialog does: replacing a save asks first
            held = f" ({info.clock}, {info.scene_title}, after {_choices(info.steps)})" if not info.error else ""
            self.replacing = arg
            self.say(f"There is a save called '{arg}' already{held}. Replace it with this game? "
                     "Type yes to replace it; anything else keeps it.")
            return True
        return self.save_as(arg)

    def save_as(self, name: str) -> bool:
        try:
            path = self.store.write(name, self.story, self.state, self.meta)
            self.say(f"Saved as '{name}', in {path}")
        except SaveError as exc:
            self.say(f"Could not save: {exc}")
        return True

    def _story_of(self, slot: str) -> Story:
        """The chair a save was played in (this one unless it names another chair of the folder)."""
        if self.chair_loader is None:
            return self.story
        from .saves import save_chair

        chair = save_chair(self.store.path(slot))
        if chair is None or chair == self.story.chair or chair not in {c.id for c in self.story.chairs}:
            return self.story
        return self.chair_loader(chair)

    def cmd_load(self, arg: str) -> bool:
        from .story.problems import StoryError

        slot = arg or autosave_name(self.story)
        try:
            story = self._story_of(slot)
            self.state = self.store.load(slot, story)
        except (SaveError, StoryError) as exc:
            self.say(f"Could not load: {exc}")
            return True
        if story is not self.story:
            self.story, self.finder = story, finder_for(story.glossary)
            title = next((c.title for c in story.chairs if c.id == story.chair), story.title)
            self.say(f"That game was played in another chair: {title}. Playing it there.")
        if slot == autosave_name(self.story):
            self.fresh = False  # the autosave's own game: nothing of it to keep aside
        self.touched = True
        self.say(f"Loaded '{slot}'." + (" A finished game, for review: the save stays as it ended."
                                        if self.store.is_finished(slot) else ""))
        self.say()
        self.show()
        return True

    def cmd_new(self, _: str) -> bool:
        """A new game from the story's start, as the title's "New game": its content note first. The game left
        stays in the autosave until the new game's first choice, whose autosave keeps it (game.save_keep:
        unfinished as 'earlier game', finished among the finished saves), so quitting at once loses nothing."""
        import secrets

        from .views.teaching import opening

        self.autosave()  # the game left, as it stands (its time on task, a game loaded but not yet saved)
        left, ended = bool(self.state.log), self.ended
        self.state = engine.new_game(self.story, seed=secrets.randbits(32))
        self.fresh, self.touched, self.asking = True, False, None
        self.lines(opening(self.story).lines())
        if left:
            self.say("A new game. The last one ended, and is kept among the saves." if ended else
                     "A new game. Your first choice in it keeps the last game as the save 'earlier game'.")
        self.say()
        self.show()
        return True

    def cmd_continue(self, _: str) -> bool:
        if not self.fresh:
            self.say("This is the autosaved game already: play on.")
            return True
        return self.cmd_load(autosave_name(self.story))

    def cmd_saves(self, _: str) -> bool:
        saves = self.store.list(self.story)
        if not saves:
            self.say("No saves yet.")
            return True
        self.say(f"Saves: {len(saves)}, newest first.")
        for n, s in enumerate(saves, 1):
            self.say(f"  {n}. {_save_line(s)}")
        return True

    def cmd_help(self, _: str) -> bool:
        self.say(HELP)
        return True

    def cmd_quit(self, _: str) -> bool:
        if not self.touched:
            self.say("No choice made, so nothing to save; the autosave is as it was. Goodbye.")
            return False
        self.autosave()
        self.say("Saved automatically. Goodbye.")
        return False


def _choices(n: int) -> str:
    return f"{n} choice{'s' if n != 1 else ''}"


def _save_line(s: SaveInfo) -> str:
    """One save in the `saves` list, as a sentence."""
    if s.error:
        return f"{s.name}: unreadable. {s.error}"
    kind = "finished game, kept as it ended: " if s.finished else ""
    return f"{s.name}: {kind}{s.clock}, {s.scene_title}, after {_choices(s.steps)}. Saved {_when(s.saved_at)}."


def _when(iso: str | None) -> str:
    """A save's time as a voice reads it well: '2026-11-25 16:59 UTC'."""
    if not iso:
        return "at an unknown time"
    day, _, rest = iso.partition("T")
    return f"{day} {rest[:5]} UTC" if rest.endswith("+00:00") else iso


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def run_plain(story: Story, state: State, store: SaveStore, inp: TextIO = sys.stdin, out: TextIO = sys.stdout,
              *, fresh: bool = True, opening: Opening | None = None, locked: bool = False,
              chair_loader: Callable[[str], Story] | None = None) -> int:
    """Play on stdin/stdout; `fresh`: `state` is a new game, not one loaded from a save; `locked`: no undo.

    `opening`: a new game's content note (and a chapter's story so far), said before anything else.
    """
    game = PlainGame(story, state, store, out, {"locked": True} if locked else None, fresh=fresh,
                     chair_loader=chair_loader)
    try:
        if opening is not None:
            game.lines(opening.lines())
        game.greet()
        game.show()
        out.write("> ")
        out.flush()
        for line in read_lines(inp):
            if not game.handle(line):
                out.flush()
                return 0
            out.write("> ")
            out.flush()
        out.write("\n")
    except BrokenPipeError:
        # The reader went away (`| head`): keep the place, and do not let the exit flush fail again.
        game.out = _Discard()  # type: ignore[assignment]
        game.autosave()
        if out is sys.stdout:
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
        return 0
    game.autosave()
    return 0


class _Discard:
    """An output that swallows text, for after the reader has gone."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
