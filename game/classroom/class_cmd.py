"""`tauride class`: group play for a projected screen, with the class voting at every decision."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..locate import add_chair_option
from .common import CommandError, load

if TYPE_CHECKING:
    from ..saves import SaveStore
    from .live_server import LiveVote


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story)")
    add_chair_option(parser)
    parser.add_argument("--save-dir", metavar="DIR", help="where the class's save goes (default: saves/class/)")
    parser.add_argument("--name", metavar="SLOT",
                        help="save slot for this lesson (default: class-DATE-TIME, or class-DATE-TIME-2, … when an "
                             "earlier lesson of the same minute has that name)")
    parser.add_argument("--load", metavar="SLOT", help="go on with an earlier lesson's save")
    parser.add_argument("--locked", action="store_true", help="an assessed run: undo is locked, and the save says so")
    parser.add_argument("--from", dest="start", metavar="SCENE",
                        help="start at this scene (a lesson may take one or two hours of the story)")
    parser.add_argument("--chapter", type=int, metavar="N",
                        help="start at chapter N (a lesson-sized part), in the state the historical path has there; "
                             "`tauride guide` lists the chapters with their minutes")
    parser.add_argument("--seed", type=int, default=None, help="random seed, for a run that replays exactly")
    parser.add_argument("--class-size", type=int, default=None, metavar="N",
                        help="students in the room: a vote with more than N votes is refused as a counting slip")
    parser.add_argument("--exit-question", metavar="TEXT",
                        help="a question asked when you quit (an exit ticket); the class's answer is kept in the save "
                             "and shown in the report")
    parser.add_argument("--live", action="store_true",
                        help="students vote from their own phones or laptops: a vote page is served from this "
                             "computer, its address, class code and QR code shown on the projected screen")
    parser.add_argument("--host", default=None,
                        help="with --live: address to listen on (default: localhost, this computer only); 0.0.0.0 "
                             "lets in every device that can reach this computer")
    parser.add_argument("--port", type=int, default=8765, help="with --live: port to listen on (default: 8765)")
    parser.add_argument("--class-code", metavar="CODE",
                        help="with --live: the code devices type to join (default: a new code, shown on screen)")


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

    if args.class_size is not None and args.class_size < 1:
        print("tauride: --class-size must be at least 1", file=sys.stderr)
        return 2
    if not args.live and (args.host or args.class_code):
        print("tauride: --host and --class-code are for --live (students voting from their devices)", file=sys.stderr)
        return 2
    from ..exit_question import from_option

    try:
        exit_question = from_option(args.exit_question)
    except ValueError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 2
    live = None
    if args.live:
        live = live_vote(args)
        if live is None:
            return 2
    try:
        story = load(args.scenes, args.chair)
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
            slot = lesson_slot(store, args.name, datetime.now())
            seed = args.seed if args.seed is not None else secrets.randbits(32)
            if args.chapter is not None:
                state = chapter_state(story, args.chapter, seed)
                intro = opening(story, chapter(story, args.chapter))
                meta["chapter"] = args.chapter
                meta["chapter_step"] = len(state.log)  # also marked in the log itself (LogEntry.by_chapter): no view counts them
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
    if live is not None:
        live.title = story.title
    app = ClassApp(story, store, slot, state, locked=args.locked, meta=meta, opening=intro, live=live,
                   class_size=args.class_size, exit_question=exit_question)
    app.run()
    path = store.path(slot)
    if path.exists():
        print(f"The class's save: {path}\nIts transcript: tauride transcript \"{path}\" -o lesson.html")
    return app.return_code or 0


def lesson_slot(store: "SaveStore", name: str | None, now: datetime) -> str:
    """The save slot of a new lesson: the teacher's `--name`, else one made from the time.

    A name the teacher gave that is taken is refused (they may have meant to go on with it). A made
    name is the next free one ('class-2026-12-07-1848-2'): a teacher who restarts within the minute
    (the wrong chapter, say) starts a new lesson, and the earlier one's save is left as it was. The
    made name is said when it is not the plain one, so the teacher knows which save is theirs."""
    from ..save_keep import free_name
    from ..saves import SaveError, check_name

    if name is not None:
        slot = check_name(name)
        if store.exists(slot):
            raise SaveError(f"a save called '{slot}' already exists; go on with it using --load {slot}")
        return slot
    base = check_name(now.strftime("class-%Y-%m-%d-%H%M"))
    slot = free_name(store, base, sep="-")
    if slot != base:
        print(f"This lesson is saved as '{slot}': an earlier lesson this minute has '{base}'.", file=sys.stderr)
    return slot


def live_vote(args: argparse.Namespace) -> "LiveVote | None":
    """The vote server for `--live`, under the same rules as `serve` (None: an option was wrong, and said so)."""
    from .ballot import BallotBox
    from .door import new_class_code, this_server
    from .live_server import LiveVote
    from .serve_cmd import check_code, port_problem

    host = args.host or "localhost"
    code = args.class_code
    if code is not None:
        problem = check_code(code, host)
        if problem:
            print(f"tauride: --class-code: {problem}", file=sys.stderr)
            return None
    else:
        code = new_class_code()
    unusable = port_problem(host, args.port)
    if unusable:
        print(f"tauride: {unusable.message}", file=sys.stderr)
        return None
    return LiveVote(BallotBox(), title="Tauride", code=code, host=host, port=args.port, hosts=this_server())
