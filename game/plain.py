"""Plain mode: the game as lines of text on stdin and stdout.

For screen readers, scripts and pipes. A number chooses; words do the rest
(`help` lists them). End of input autosaves and exits 0; reaching an ending
prints the epilogue and exits 0. Story logic stays in the engine: this
module only prints what the engine returns and passes choices back.
"""

from __future__ import annotations

import sys
from typing import Callable, TextIO

from . import engine
from .engine import State
from .saves import SaveError, SaveStore
from .story.model import Story, format_clock

HELP = """\
Commands:
  1, 2, 3 …      take that choice
  look           show the scene again
  history        what really happened here, with sources
  undo [N]       take back the last choice (or N choices)
  save NAME      save to a named slot
  load NAME      load a named slot (or 'autosave')
  saves          list the saves
  help           this list
  quit           save automatically and leave"""


class PlainGame:
    """One plain-mode session: reads commands, writes text."""

    def __init__(self, story: Story, state: State, store: SaveStore, out: TextIO, meta: dict | None = None):
        self.story = story
        self.state = state
        self.store = store
        self.out = out
        self.meta = meta or {}
        self.commands: dict[str, Callable[[str], bool]] = {
            "look": self.cmd_look, "history": self.cmd_history, "undo": self.cmd_undo, "save": self.cmd_save,
            "load": self.cmd_load, "saves": self.cmd_saves, "help": self.cmd_help, "quit": self.cmd_quit,
        }

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def show(self) -> None:
        story, state = self.story, self.state
        scene = engine.scene_of(story, state)
        place = story.glossary[scene.place].term if scene.place and scene.place in story.glossary else None
        self.say(f"== {format_clock(state.clock)}" + (f" · {place}" if place else "") + " ==")
        self.say(f"# {scene.title}")
        self.say()
        self.say(engine.scene_text(story, state).strip())
        self.say()
        if scene.ending:
            self.say(f"THE END: {scene.ending.title}")
            self.say()
            self.say(scene.ending.epilogue)
            self.say()
            self.say("What really happened: " + scene.ending.history)
            return
        shown = [v for v in story.variables.values() if v.shown]
        if shown:
            self.say(" · ".join(f"{v.display_name}: {_fmt(state.vars[v.name])}" for v in shown))
        for i, c in enumerate(engine.choices(story, state), 1):
            cost = f" ({c.cost} min)" if c.cost else ""
            if c.enabled:
                self.say(f"  {i}. {c.text}{cost}")
            else:
                self.say(f"  {i}. [locked] {c.text} — {c.locked_reason or 'not possible now'}")

    def autosave(self) -> None:
        try:
            self.store.autosave(self.story, self.state, self.meta)
        except SaveError as exc:
            self.say(f"! {exc}")

    def handle(self, line: str) -> bool:
        """Act on one line; returns False when the session should end."""
        word, _, rest = line.strip().partition(" ")
        if not word:
            return True
        if word.isdigit():
            return self.pick(int(word))
        cmd = self.commands.get(word.lower())
        if cmd is None:
            self.say(f"? '{word}' is not a command; type a choice's number, or 'help'")
            return True
        return cmd(rest.strip())

    def pick(self, number: int) -> bool:
        options = engine.choices(self.story, self.state)
        if not 1 <= number <= len(options):
            self.say(f"? there is no choice {number}; choose 1 to {len(options)}")
            return True
        c = options[number - 1]
        if not c.enabled:
            self.say(f"? that choice is locked: {c.locked_reason or 'not possible now'}")
            return True
        self.state = engine.choose(self.story, self.state, c.id)
        self.autosave()
        self.say()
        self.show()
        return not engine.is_ending(self.story, self.state)

    def cmd_look(self, _: str) -> bool:
        self.show()
        return True

    def cmd_history(self, _: str) -> bool:
        scene = engine.scene_of(self.story, self.state)
        h = scene.history
        if not h:
            self.say("No historical note for this scene.")
            return True
        self.say(("[Invented scene] " if h.invention else "") + h.note)
        for key in h.sources:
            self.say(f"  [{key}] {self.story.sources.get(key, '')}")
        return True

    def cmd_undo(self, arg: str) -> bool:
        n = int(arg) if arg.isdigit() else 1
        if not self.state.log:
            self.say("? nothing to undo")
            return True
        self.state = engine.undo(self.story, self.state, n)
        self.autosave()
        self.show()
        return True

    def cmd_save(self, arg: str) -> bool:
        if not arg:
            self.say("? give a name: save NAME")
            return True
        try:
            path = self.store.write(arg, self.story, self.state, self.meta)
            self.say(f"Saved to {path}")
        except SaveError as exc:
            self.say(f"! {exc}")
        return True

    def cmd_load(self, arg: str) -> bool:
        try:
            self.state = self.store.load(arg or "autosave", self.story)
        except SaveError as exc:
            self.say(f"! {exc}")
            return True
        self.show()
        return not engine.is_ending(self.story, self.state)

    def cmd_saves(self, _: str) -> bool:
        saves = self.store.list(self.story)
        if not saves:
            self.say("No saves yet.")
        for s in saves:
            if s.error:
                self.say(f"  {s.name}: unreadable — {s.error}")
            else:
                self.say(f"  {s.name}: {s.clock} {s.scene_title} ({s.steps} choices, saved {s.saved_at})")
        return True

    def cmd_help(self, _: str) -> bool:
        self.say(HELP)
        return True

    def cmd_quit(self, _: str) -> bool:
        self.autosave()
        return False


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def run_plain(story: Story, state: State, store: SaveStore, inp: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    game = PlainGame(story, state, store, out)
    game.show()
    if engine.is_ending(story, state):
        return 0
    out.write("> ")
    out.flush()
    for line in inp:
        if not game.handle(line):
            out.flush()
            return 0
        out.write("> ")
        out.flush()
    out.write("\n")
    game.autosave()
    return 0
