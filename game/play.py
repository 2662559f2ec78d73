"""`tauride play`: start the game in the terminal (Textual) or in plain mode."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from . import startup
from .locate import add_chair_option, default_story_dir, load_or_explain
from .overrides import parse_overrides
from .saves import default_save_dir

if TYPE_CHECKING:
    from .saves import SaveStore
    from .story.model import Story
    from .story_folder import PendingStory


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story, or $TAURIDE_SCENES)")
    add_chair_option(parser)
    parser.add_argument("--save-dir", metavar="DIR", help="where saves go (default: saves/, or $TAURIDE_SAVE_DIR)")
    parser.add_argument("--from", dest="start", metavar="SCENE", help="start a new game at this scene")
    parser.add_argument("--chapter", type=int, metavar="N",
                        help="start a new game at chapter N, in the state the historical path has there")
    parser.add_argument("--set", dest="overrides", metavar="NAME=VALUE", action="append", default=[],
                        help="set a variable at the start (repeatable)")
    parser.add_argument("--seed", type=int, default=None, help="random seed, for a playthrough that replays exactly")
    parser.add_argument("--load", metavar="NAME", help="continue from this save slot")
    parser.add_argument("--exit-question", metavar="TEXT",
                        help="a question asked when the player quits (a teacher's exit ticket); the answer is kept "
                             "in the save")
    parser.add_argument("--locked", action="store_true",
                        help="an assessed run: undo is locked, and every save says so")
    parser.add_argument("--plain", action="store_true", help="line-based mode on stdin/stdout (screen readers, scripts)")
    parser.add_argument("--classroom", metavar="ROOT",
                        help="classroom play: ask the student's name first and keep their saves in ROOT/[CODE/]NAME/")
    parser.add_argument("--class-code", metavar="CODE",
                        help="with --classroom: the code students must type; saves go to ROOT/CODE/NAME/")
    parser.add_argument("--class", dest="class_name", metavar="NAME",
                        help="with --classroom: the class's folder under ROOT (default: the class code's)")
    parser.add_argument("--student", metavar="NAME",
                        help="with --classroom: play as this student without asking (`tauride serve` passes it once "
                             "the student has signed in); their settings are kept in their own folder")
    parser.add_argument("--replay", metavar="PATH-or-FILE",
                        help="replay choices first: 'scene.choice,scene.choice,…' or a file (a walk finding or report, "
                             "a save, or steps one per line), then play on from there")
    parser.add_argument("--debug", action="store_true",
                        help="show the writer's panel: variables, visits, clock, which conditions hold (F3 hides it, "
                             "F2 jumps to any scene)")
    parser.add_argument("--watch", action="store_true",
                        help="reload the story whenever a file in its folder is saved, keeping your place")


def run(args: argparse.Namespace) -> int:
    startup.pause()  # until the first frame (the app resumes it) or until this returns
    try:
        return _run(args)
    finally:
        startup.resume()


def _run(args: argparse.Namespace) -> int:
    from . import engine
    from .saves import SaveError, SaveStore

    for given, flag in ((args.class_code, "--class-code"), (args.class_name, "--class"), (args.student, "--student")):
        if given and not args.classroom:
            print(f"tauride: {flag} needs --classroom ROOT", file=sys.stderr)
            return 2
    if args.classroom and (args.plain or args.load):
        print("tauride: --classroom starts on the title screen, where the student signs in; "
              "it does not go with --plain or --load", file=sys.stderr)
        return 2
    if args.chapter is not None and (args.start or args.load or args.replay is not None):
        print("tauride: --chapter starts a new game at a chapter; it does not go with --from, --load or --replay",
              file=sys.stderr)
        return 2
    for given, flag in ((args.class_code, "--class-code"), (args.class_name, "--class")):
        if given:
            from .saves import safe_folder_name

            try:
                safe_folder_name(given)
            except ValueError as err:
                print(f"tauride: {flag}: {err}", file=sys.stderr)
                return 2
    if args.student:
        from .classroom.students import student

        try:
            student(args.student)
        except ValueError as err:
            print(f"tauride: --student: {err}", file=sys.stderr)
            return 2
    from .exit_question import from_option

    try:
        exit_question = from_option(args.exit_question)
    except ValueError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 2
    folder = args.scenes or str(default_story_dir())
    store = SaveStore(args.save_dir or default_save_dir())
    hint = load_path_hint(store, args.load)
    if hint:
        print(f"tauride: {hint}", file=sys.stderr)
        return 2
    chair = args.chair
    if args.load and chair is None:
        from .saves import save_chair

        try:
            chair = save_chair(store.path(args.load))  # a save reopens the chair it was played in
        except SaveError:
            chair = None  # the load below says what is wrong with the name
    seed = args.seed if args.seed is not None else _fresh_seed()
    notices: list[str] = []
    fresh = not (args.load or args.start or args.overrides or args.seed is not None or args.replay is not None
                 or args.chapter is not None)
    story: Story | None = None
    pending: PendingStory | None = None
    if fresh and chair is None and not (args.plain or args.classroom or args.debug or args.watch):
        # The title screen first: a story not in the cache is validated after the title's first frame.
        from .locate import explain, open_for_title
        from .story import StoryError
        from .story_folder import PendingStory

        try:
            opened = open_for_title(folder)
        except StoryError as err:
            explain(folder, err)
            return 1
        story, pending = (None, opened) if isinstance(opened, PendingStory) else (opened, None)
    else:
        story = load_or_explain(folder, chair)
        if story is None:
            return 1
        if (args.plain and chair is None and len(story.chairs) > 1 and sys.stdin.isatty()
                and not (args.load or args.start or args.replay is not None)):
            from .plain_chair import ask_chair

            picked = ask_chair(story.chairs, sys.stdin, sys.stdout)  # a person at the keyboard picks; a pipe is never asked
            if picked is None:
                return 0
            if picked != story.chair:
                story = load_or_explain(folder, picked)
                if story is None:
                    return 1
    state = None
    opening = None
    try:
        if story is None:
            pass  # a fresh start on the title: its "New game" makes the game, once the story is validated
        elif args.load:
            state = store.load(args.load, story)
        elif args.replay is not None:
            state, seed, notices = _replay(story, args, seed)
        elif args.chapter is not None and not args.classroom:  # in a classroom the title's "New game" starts it
            state, opening = _chapter(story, args.chapter, seed, parse_overrides(story, args.overrides))
        elif args.plain or not fresh:
            state = engine.new_game(story, seed=seed, start=args.start, overrides=parse_overrides(story, args.overrides))
            from .views.teaching import opening as make_opening

            opening = make_opening(story)
        # else: the title screen comes first, and its "New game" makes the game (not needed for the first frame)
    except (SaveError, engine.ChoiceError, engine.RunError) as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    except _BadChapter as err:
        print(f"tauride: --chapter {args.chapter}: {err}", file=sys.stderr)
        return 2
    from .locate import open_story

    def chair_loader(chair: str) -> Story:
        """Another chair of this folder, through the same cache: the title's chair choice and saves use it."""
        return open_story(folder, chair)

    if args.plain:
        from .plain import run_plain

        startup.resume()  # plain mode has no first frame to wait for
        assert state is not None and story is not None
        return run_plain(story, state, store, fresh=not args.load, opening=opening, locked=args.locked,
                         chair_loader=chair_loader)
    from .tui.app import TaurideApp

    classroom = None
    settings_file = None
    if args.classroom:
        from pathlib import Path

        from .tui.classroom import Classroom

        classroom = Classroom(Path(args.classroom), args.class_code, args.class_name, args.student)
        fresh = True  # the student signs in on the title screen before any play
        if args.student:  # signed in already (served): their folder, their settings
            store = SaveStore(classroom.folder_for(args.student))
            settings_file = classroom.settings_for(args.student)
    if args.debug or args.watch or notices:
        from .tui.writer import WriterApp

        assert story is not None  # a writer's start validates first (see above)
        app: TaurideApp = WriterApp(story, store, state=None if fresh else state, seed=seed, debug=args.debug,
                                    watch=folder if args.watch else None, notices=notices, classroom=classroom,
                                    settings_file=settings_file, new_game=not args.load, start=args.start,
                                    locked=args.locked, chapter=args.chapter, exit_question=exit_question,
                                    chair_loader=chair_loader, chair_fixed=args.chair is not None)
    else:
        app = TaurideApp(story, store, state=None if fresh else state, seed=seed, classroom=classroom, pending=pending,
                         settings_file=settings_file, new_game=not args.load, opening=None if fresh else opening,
                         start=args.start, locked=args.locked, chapter=args.chapter, exit_question=exit_question,
                         chair_loader=chair_loader, chair_fixed=args.chair is not None)
    app.run()
    if app.story_error is not None:  # validated after the title's first frame, and found wrong
        from .locate import explain

        explain(folder, app.story_error)
        return 1
    return app.return_code or 0


def _replay(story: Any, args: argparse.Namespace, seed: int) -> tuple[Any, int, list[str]]:
    """Play the --replay path and say on stderr what happened on the way (as the walker saw it)."""
    from .tools.replay import ReplayError, read_replay, replay_steps

    try:
        spec = read_replay(args.replay)
    except ReplayError as err:
        raise SystemExit(f"tauride: --replay: {err}") from None
    if args.seed is None and spec.seed is not None:
        seed = spec.seed
    overrides = {**spec.overrides, **parse_overrides(story, args.overrides)}
    result = replay_steps(story, spec.steps, seed=seed, start=args.start or spec.start, overrides=overrides)
    print(f"replay: {result.done} of {len(spec.steps)} choice(s) replayed (seed {seed})", file=sys.stderr)
    for note in result.notes:
        print(f"replay: {note}", file=sys.stderr)
    return result.state, seed, result.notes


class _BadChapter(Exception):
    """--chapter named a chapter the story does not have, or one the historical path cannot reach."""


def _chapter(story: Any, number: int, seed: int, overrides: dict[str, Any]) -> tuple[Any, Any]:
    """A new game at chapter `number`, and the opening (content note, story so far) to show before it."""
    from .views.chapters import ChapterError, chapter, chapter_state
    from .views.teaching import opening

    if overrides:
        raise _BadChapter("a chapter starts in the state history gives it; leave out --set")
    try:
        return chapter_state(story, number, seed), opening(story, chapter(story, number))
    except ChapterError as err:
        raise _BadChapter(str(err)) from None


def _fresh_seed() -> int:
    """A new seed for a new game: the shell's job, since the engine never reads the clock or the OS."""
    import secrets

    return secrets.randbits(32)


def load_path_hint(store: SaveStore, load: str | None) -> str | None:
    """What to type instead when `--load` was given a save file's path rather than a save's name (None: it was not).

    `--load` names a slot in the save folder; a path to a file elsewhere (a save
    a teacher handed out, `saves/9B/Anna/autosave.json`) used to end in "no such
    save" for a name with `.json` added twice."""
    import shlex
    from pathlib import Path

    from .saves import SaveError

    if not load or not Path(load).is_file():
        return None
    try:
        if store.path(load).is_file():
            return None  # a slot of that name: the slot wins, as it always has
    except SaveError:
        pass
    given = Path(load)
    return (f"--load takes a save's name from the save folder ({store.folder}), not a file's path. To play "
            f"{given}: tauride play --save-dir {shlex.quote(str(given.parent))} --load {shlex.quote(given.stem)}")
