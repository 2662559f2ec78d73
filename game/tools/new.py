"""`tauride new DIR`: a small, valid, playable story to start writing from.

The files show each part of the format once — the manifest, variables, a
source, a glossary, two hours of scenes, a decision point with its history
note, a locked choice, an event, two endings — and carry the YAML language
server comment with the schema beside them, so an editor completes keys
from the first keystroke. The result passes `tauride validate --strict`
(history checks included, with `--history`) and `tauride walk`, so a writer starts
green. Without `--history` the story is fiction: the same parts, no history.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from pathlib import Path

from ..output import OutputError

SCHEMA_COMMENT = "# yaml-language-server: $schema=schema.json\n"

STORY = """\
{schema}# The manifest: what the story is called, where it starts, its clock and its variables.
# The format is described in docs/authoring.md; `tauride validate --strict` on this folder checks everything.
title: {title}
id: {story_id}                 # written into saves: do not change it once people have saves
{history_line}
start: the_letter
clock: {{start: "09:00", end: "13:00"}}

variables:
  courage:
    type: int
    default: 2
    range: [0, 5]
    label: Courage
    shown: true              # the player sees it beside the text
  letter_read: {{type: bool, default: false, label: You have read the letter}}

sources:
  # One key per book or article you rely on; cite the book, never a web copy.
  GUIDE: "Replace me: Author, *Title of the Book* (City: Publisher, Year), pages."
"""

GLOSSARY = """\
{schema}# People, places and terms the player can look up. Words listed under `match`
# are found in scene text and marked for the player.
glossary:
  - id: study
    term: The study
    kind: place
    match: [study]
    text: A small room at the top of the house, where the letters are kept.
    invention: true
  - id: the_clerk
    term: The clerk
    kind: person
    match: [clerk]
    text: The one person who knows what the letter says. An invented character.
    invention: true
"""

HOUR_1 = """\
{schema}hour:
  title: Nine o'clock
  summary: A letter arrives, and you must decide what to do with it.
  discussion:
    - When is it right to keep news to yourself?

scenes:
  - id: the_letter
    time: "09:00"
    place: study
    title: The letter
    text: |
      A letter lies on the desk in the study. The seal is already broken.
      {{if courage > 2}}You feel ready for whatever it says.{{else}}Your hands are not quite steady.{{/if}}
    history:
      note: |
        Invented: this scene is a scaffold to write over. Say here what really
        happened at this moment and which source says so, e.g. (GUIDE).
      sources: [GUIDE]
      invention: true
    choices:
      - id: read_it
        text: Read the letter
        goto: the_clerk_waits
        effects: [letter_read = true, courage += 1]
        historical: true
      - id: leave_it
        text: Leave it where it lies
        goto: the_clerk_waits
        cost: 15m
"""

HOUR_2 = """\
{schema}hour:
  title: Ten o'clock
  discussion:
    - Was the clerk owed the truth?

scenes:
  - id: the_clerk_waits
    time: "10:00"
    place: study
    title: The clerk waits
    text: |
      The clerk is at the door. "Well?" {{if letter_read}}He can see you have read it.{{/if}}
    history:
      note: |
        Invented: a second decision point. Write the historical note here and
        cite your sources by key (GUIDE).
      sources: [GUIDE]
      invention: true
    choices:
      - id: tell
        text: Tell him what the letter says
        selectable_if: letter_read
        locked: You have not read it.
        goto: told
        effects: [courage += 1]
        historical: true
      - id: send_away
        text: Send him away
        goto: alone
      - id: keep_waiting
        text: Keep him waiting while you think
        goto: the_clerk_waits
        cost: 1h                # time passes; at noon the bell decides for you

  - id: told
    title: Told
    text: The clerk nods slowly, and goes down the stairs to tell the others.
    ending:
      title: The news is out
      epilogue: By noon the whole street knows.
      history: Invented. Say here how close this ending is to what happened.
      historical: true

  - id: alone
    title: Alone
    text: The door closes. Courage {{courage}}. The letter is yours alone.
    ending:
      title: The secret kept
      epilogue: Nobody else ever reads the letter.
      history: Invented. Say here how close this ending is to what happened.

events:
  - id: noon_bell           # events interrupt play when the clock (or a condition) says so
    at: "12:00"
    goto: alone
"""


FICTION_LINE = ("history: false             # fiction: no history notes, sources or debrief "
                "(`tauride new --history` for a history story)")
HISTORY_LINE = "history: true              # a history story: notes with sources, the history checks, the debrief"

_HISTORY_ONLY = [
    re.compile(r"\n    history:\n      note: \|\n(?:        .*\n)+      sources: \[GUIDE\]\n      invention: true"),
    re.compile(r"\n +historical: true(?= *\n)"),
    re.compile(r"\n      history: Invented\..*(?=\n)"),
    re.compile(r"\n    invention: true(?=\n)"),
    re.compile(r"(?<=\n)\nsources:\n(?:  .*\n)+"),
]
"""What only a history story carries: history notes, `historical` marks, ending notes, invention flags, sources."""


def fiction(text: str) -> str:
    """A template with the history taken out: the starter for a story that is not history."""
    for pattern in _HISTORY_ONLY:
        text = pattern.sub("", text)
    return text


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="the folder to create (it must not exist, or be empty)")
    parser.add_argument("--history", action="store_true",
                        help="a history story (history notes with sources, the history checks, the debrief); "
                             "without it, fiction")
    parser.add_argument("--title", help="the story's title (default: from the folder's name)")


_OWN_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l",
                              "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "TH"})
"""Latin letters of their own, with no accent to drop, written as the letters they are spelt with."""


def slug(name: str) -> str:
    """A story id from a folder name: 'My Story!' -> 'my_story', 'Ünïcødé' -> 'unicode' (valid whatever the
    id rules allow: accents are dropped from their letters, not the letters with them)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name.translate(_OWN_LETTERS))
                    if not unicodedata.combining(ch))
    s = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    return s if s and not s[0].isdigit() else "story_" + s if s else "my_story"


def scaffold(folder: Path, title: str | None = None, history: bool = False) -> list[Path]:
    """Write the starter story into `folder`; returns the files written."""
    from ..story.schema import json_schema_text

    folder.mkdir(parents=True, exist_ok=True)
    name = folder.resolve().name
    title = title or name.replace("-", " ").replace("_", " ").strip().title() or "My Story"
    fields = {"schema": SCHEMA_COMMENT, "title": _yaml_text(title), "story_id": slug(name),
              "history_line": HISTORY_LINE if history else FICTION_LINE}
    # Nothing of the writer's machine goes into the files: no folder path, so the story moves and is shared as it is.
    files = {
        "story.yaml": STORY,
        "glossary.yaml": GLOSSARY,
        "09-letter.yaml": HOUR_1,
        "10-clerk.yaml": HOUR_2,
    }
    written = []
    for fname, text in files.items():
        path = folder / fname
        path.write_text((text if history else fiction(text)).format(**fields), encoding="utf-8")
        written.append(path)
    schema = folder / "schema.json"
    schema.write_text(json_schema_text(), encoding="utf-8")
    written.append(schema)
    return written


def _yaml_text(text: str) -> str:
    """Quote a title when YAML would otherwise misread it."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 '.,!?()-]*", text) and ": " not in text and " #" not in text
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"tauride: {folder} already exists and is not empty; give a new folder", file=sys.stderr)
        return 1
    try:
        files = scaffold(folder, args.title, history=args.history)
    except OSError as exc:
        raise OutputError(f"{folder}: could not write the new story there ({exc.strerror or exc})") from None
    for path in files:
        print(f"  wrote {path}")
    q = _shell(str(folder))
    print(f"""
A new story is ready in {folder}. Next:
  tauride play --scenes {q}              play it
  tauride validate --strict {q}          check it (every problem with file:line:col)
  tauride walk {q}                       play it thousands of times to find dead ends
  tauride map {q} -o map.svg             draw it (Mermaid without -o)
Open the .yaml files in an editor with the YAML language server for completion;
docs/authoring.md describes every key.""")
    return 0


def _shell(text: str) -> str:
    import shlex

    return shlex.quote(text) if os.name != "nt" else text
