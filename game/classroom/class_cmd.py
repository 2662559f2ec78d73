"""`tauride class`: group play for a projected screen, with the class voting at every decision."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from .common import CommandError, load


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story)")
    parser.add_argument("--save-dir", metavar="DIR", help="where the class's save goes (default: saves/class/)")
    parser.add_argument("--name", metavar="SLOT", help="save slot for this lesson (default: class-DATE-TIME)")
    parser.add_argument("--load", metavar="SLOT", help="go on with an earlier lesson's save")
    parser.add_argument("--locked", action="store_true", help="an assessed run: undo is locked, and the save says so")
    parser.add_argument("--from", dest="start", metavar="SCENE",
                        help="start at this scene (a lesson may take one or two hours of the story)")
    parser.add_argument("--chapter", type=int, metavar="N",
                        help="start at chapter N (a lesson-sized part), in the state the historical path has there; "
                             "`tauride guide` lists the chapters with their minutes")
    parser.add_argument("--seed", type=int, default=None, help="random seed, for a run that replays exactly")


def run(args: argparse.Namespace) -> int:
    import secrets

    from .. import engine
    from ..saves import SaveError, SaveStore, check_name, default_save_dir, read_file
    from ..views.chapters import ChapterError, chapter, chapter_state
    from ..views.teaching import Opening, opening
    from .group.app import ClassApp

    if args.chapter is not None and (args.start or args.load):
        print("tauride: --chapter starts a new lesson at a chapter; it does not go with --from or --load",
              file=sys.stderr)
        return 2

    try:
        story = load(args.scenes)
    except CommandError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    store = SaveStore(args.save_dir or default_save_dir() / "class")
    meta: dict[str, Any] = {}
    intro: Opening | None = None
    try:
        if args.load:
            slot = check_name(args.load)
            state = store.load(slot, story)
            meta = dict(read_file(store.path(slot)).get("meta") or {})
            if meta.get("locked") and not args.locked:
                print("tauride: this save is an assessed run; going on with undo locked", file=sys.stderr)
                args.locked = True
        else:
            slot = check_name(args.name or datetime.now().strftime("class-%Y-%m-%d-%H%M"))
            if store.exists(slot):
                raise SaveError(f"a save called '{slot}' already exists; go on with it using --load {slot}")
            seed = args.seed if args.seed is not None else secrets.randbits(32)
            if args.chapter is not None:
                state = chapter_state(story, args.chapter, seed)
                intro = opening(story, chapter(story, args.chapter))
                meta["chapter"] = args.chapter
                meta["chapter_step"] = len(state.log)  # the log's steps before this one are history's, not the class's
            else:
                state = engine.new_game(story, seed=seed, start=args.start)
                intro = opening(story)
    except (SaveError, engine.ChoiceError) as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    except ChapterError as err:
        print(f"tauride: --chapter {args.chapter}: {err}", file=sys.stderr)
        return 2
    app = ClassApp(story, store, slot, state, locked=args.locked, meta=meta, opening=intro)
    app.run()
    path = store.path(slot)
    if path.exists():
        print(f"The class's save: {path}\nIts transcript: tauride transcript \"{path}\" -o lesson.html")
    return app.return_code or 0
