"""`tauride serve`: one laptop serves the game to a room of browsers (textual-serve)."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path
from typing import Callable, NamedTuple
from urllib.parse import urlsplit

from .common import CommandError
from .door import CODE_LENGTH
from .students import Student

PICK = "pick"
"""`--chair pick`: each student picks a chair on the sign-in form (no chair may be called this)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None,
                        help="address to listen on (default: localhost, this computer only); 0.0.0.0 lets in every "
                             "computer that can reach this one")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--class-code", metavar="CODE",
                        help=f"the code students type to sign in (default: a new {CODE_LENGTH}-character code, printed "
                             f"on start); at least {CODE_LENGTH} characters when other computers can reach this one")
    parser.add_argument("--class", dest="class_name", metavar="NAME",
                        help="the class's folder under the saves folder, the same every lesson (default: the "
                             "--class-code you gave, else none: saves go straight under the saves folder)")
    parser.add_argument("--saves", metavar="DIR", help="where students' saves go, one folder per class and student "
                                                        "(default: saves/, or $TAURIDE_SAVE_DIR)")
    parser.add_argument("--scenes", "--story", dest="scenes", metavar="DIR",
                        help="story folder (default: the shipped story)")
    parser.add_argument("--chair", metavar="NAME",
                        help="the chair every student of this class plays, for a story of several (the shipped "
                             "story: committee or sailor); or 'pick': each student picks one on the sign-in form")
    parser.add_argument("--from", dest="start", metavar="SCENE",
                        help="students' new games start at this scene (a lesson may take one or two hours of the story)")
    parser.add_argument("--chapter", type=int, metavar="N",
                        help="students' new games start at chapter N, in the state the historical path has there "
                             "(`tauride guide` lists the chapters)")
    parser.add_argument("--locked", action="store_true",
                        help="an assessed run: students cannot undo, and their saves say so")
    parser.add_argument("--exit-question", metavar="TEXT",
                        help="a question each student is asked when they quit their game; the answer is kept in "
                             "their save and shown in the report")
    parser.add_argument("--idle-timeout", type=float, default=20 * 60, metavar="SECONDS",
                        help="close a student's game after this long with no key or click (default: 1200); "
                             "the autosave stays")
    parser.add_argument("--max-students", type=int, default=40, metavar="N",
                        help="the most games at once (default: 40); each takes about 17 MB of memory (about 30 MB "
                             "with TAURIDE_FORK_SERVER=0)")
    parser.add_argument("--allow-origin", metavar="URL", action="append", default=[],
                        help="another web address allowed to open games here, e.g. a proxy's "
                             "https://class.example.org (repeatable; default: this server's own address only)")
    parser.add_argument("--public-url", metavar="URL", help="the address students use, when behind a proxy")
    parser.add_argument("--log", action="store_true",
                        help="print the server's log lines instead of the live table of the room (the default "
                             "when the output is not a terminal)")
    parser.add_argument("--reset-pin", metavar="NAME",
                        help="forget this student's PIN (with the same --saves and --class); they choose a new one "
                             "at their next sign-in and keep their saves. Serves nothing")


def class_dir(saves: Path, class_name: str | None) -> Path:
    """The class's folder: one home for the server, --reset-pin and the game (`tui.classroom.Classroom`)."""
    from ..tui.classroom import Classroom

    return Classroom(saves, group=class_name).class_dir


def game_command(saves: Path, class_name: str | None, scenes: str | None, *, start: str | None = None,
                 locked: bool = False, chapter: int | None = None,
                 exit_question: str | None = None, chair: str | None = None) -> Callable[[Student], list[str]]:
    """The command a signed-in student's game runs: this Python, this copy of the game, playing as them."""
    argv = [sys.executable, "-m", "game", "play", "--classroom", str(saves)]
    if start:
        argv.append(f"--from={start}")
    if locked:
        argv.append("--locked")
    if chapter is not None:
        argv.append(f"--chapter={chapter}")
    if exit_question is not None:
        argv.append(f"--exit-question={exit_question}")  # one word: no shell, and a leading '-' stays text
    if class_name:
        argv += ["--class", class_name]
    if scenes:
        argv += ["--scenes", str(Path(scenes).resolve())]
    if chair:
        argv.append(f"--chair={chair}")  # the teacher's assignment: every student of this class plays it

    def for_student(who: Student) -> list[str]:
        return [*argv, f"--student={who.name}"]  # one word: a name like '--help' stays a name
    return for_student


def package_root() -> str:
    """The folder holding this `game` package. Games start there (`python -m` looks in the current folder
    first) and with it on PYTHONPATH, so they run the same code as the server, checkout or install."""
    return str(Path(__file__).resolve().parent.parent.parent)


def game_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": package_root() + (os.pathsep + path if path else "")}


def lan_addresses() -> list[str]:
    """This computer's addresses on its networks, best guess first (no packet is sent)."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # UDP connect picks a route; nothing is sent
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not a.startswith("127.")]


def who_can_reach(host: str, port: int, code: str | None) -> list[str]:
    """Plain words for the teacher: who can open the game, at which address, with which code."""
    if host in ("localhost", "127.0.0.1", "::1"):
        lines = [f"Open http://localhost:{port} in a browser on this computer.",
                 "Only this computer can reach it. To let students' computers in, start again with --host 0.0.0.0."]
    elif host in ("0.0.0.0", "::", ""):
        addrs = lan_addresses()
        lines = ["ANYONE on a network this computer is on can open the sign-in page — not only your class — at:"]
        lines += [f"    http://{a}:{port}" for a in addrs] or [f"    http://<this computer's address>:{port}"]
    else:
        lines = [f"Anyone who can reach {host} can open the sign-in page at http://{host}:{port}"]
    if code:
        lines.append(f"Class code: {code}   (write it on the board; students type it with their name and a PIN)")
    else:
        lines.append("No class code: only this computer can reach the server.")
    lines.append("Nothing leaves this computer: no accounts, no internet needed; saves are plain files.")
    return lines


class PortProblem(NamedTuple):
    """Why the server cannot listen, in words for the teacher, and whether an option was wrong (exit status 2)
    or the port is merely taken now (status 1)."""

    message: str
    wrong_option: bool = True


def port_problem(host: str, port: int) -> PortProblem | None:
    """Why the server cannot listen on host:port (None: it can).

    One home for `serve` and `class --live`: a port out of range, an address this
    computer does not have, a port another program holds, or one below 1024
    that needs administrator rights, each said as what to change."""
    import errno

    if not 0 < port < 65536:
        return PortProblem("--port must be between 1 and 65535")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host if host != "localhost" else "127.0.0.1", port))
    except socket.gaierror:
        return PortProblem(f"--host {host}: no such address (give one of this computer's addresses, or 0.0.0.0 for all)")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return PortProblem(f"port {port} on {host} is in use; choose another with --port", wrong_option=False)
        if exc.errno == errno.EACCES:
            return PortProblem(f"port {port} needs administrator rights; choose one above 1023 with --port")
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EINVAL):
            return PortProblem(f"--host {host}: not an address of this computer (give one of its addresses, "
                               "or 0.0.0.0 for all)")
        return PortProblem(f"cannot listen on {host}:{port} ({exc.strerror or exc})", wrong_option=False)
    return None


def check_code(code: str, host: str) -> str | None:
    """Why a teacher's --class-code cannot guard this server (None: it can)."""
    from .door import is_loopback

    if not code.strip():
        return "give a code, or leave --class-code out and one is made for you"
    if len("".join(code.split())) < CODE_LENGTH and not is_loopback(host):
        return (f"'{code}' is too short to keep strangers out: other computers can reach this server, so a code "
                f"needs at least {CODE_LENGTH} characters. Leave --class-code out and one is made for you; name the "
                f"class's folder with --class {code}")
    return None


def reset_pin(saves: Path, class_name: str | None, name: str) -> int:
    from . import students

    try:
        who = students.student(name)
    except ValueError as err:
        print(f"tauride: --reset-pin: {err}", file=sys.stderr)
        return 2
    folder = students.claim_folder(class_dir(saves, class_name), who)
    if students.reset_pin(folder):
        print(f"The PIN of {who.name} is forgotten ({students.pin_file(folder)} removed). At their next sign-in they "
              "choose a new one; their saves stay.")
        return 0
    print(f"tauride: --reset-pin: {who.name} has no PIN in {folder.parent} (never signed in there, or reset already); "
          "check --saves and --class", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    from ..saves import default_save_dir, safe_folder_name
    from .common import load
    from .door import new_class_code, this_server

    host = args.host or "localhost"
    saves = Path(args.saves) if args.saves else default_save_dir()
    class_name = args.class_name or args.class_code
    if class_name is not None:
        try:  # checked here once, rather than failing in every student's browser
            safe_folder_name(class_name)
        except ValueError as err:
            print(f"tauride: {'--class' if args.class_name else '--class-code'}: {err}", file=sys.stderr)
            return 2
    if args.reset_pin is not None:
        return reset_pin(saves, class_name, args.reset_pin)
    try:
        from .serve import ClassroomServer
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        print(f"tauride: serving needs textual-serve ({exc}); install it with: pip install 'textual-serve==1.1.3'",
              file=sys.stderr)
        return 1
    code = args.class_code
    if code is not None:
        problem = check_code(code, host)
        if problem:
            print(f"tauride: --class-code: {problem}", file=sys.stderr)
            return 2
    else:
        code = new_class_code()
    if args.idle_timeout <= 0:
        print("tauride: --idle-timeout must be a positive number of seconds", file=sys.stderr)
        return 2
    if args.max_students < 1:
        print("tauride: --max-students must be at least 1", file=sys.stderr)
        return 2
    origins: set[str] = set()
    for url in args.allow_origin:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
            print(f"tauride: --allow-origin: '{url}' is not an origin like https://class.example.org", file=sys.stderr)
            return 2
        origins.add(f"{parts.scheme}://{parts.netloc.lower()}")
    picking = args.chair == PICK
    try:
        story = load(args.scenes, None if picking else args.chair)  # a broken story: said here, once, not to every student
        chairs = [load(args.scenes, c.id) for c in story.chairs] if picking else []
        saves.mkdir(parents=True, exist_ok=True)
    except CommandError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tauride: cannot use '{saves}' for saves ({exc.strerror or exc})", file=sys.stderr)
        return 1
    if picking and len(chairs) < 2:
        print(f"tauride: --chair pick: {story.title} has one point of view, so there is no chair to pick; "
              "leave out --chair", file=sys.stderr)
        return 2
    if picking and (args.chapter is not None or args.start is not None):
        print("tauride: --chair pick lets each student choose a chair, and --chapter/--from name a place in one "
              "chair: give a chair (--chair NAME) for a lesson that starts part-way", file=sys.stderr)
        return 2
    if args.chapter is not None:
        from ..views.chapters import ChapterError, chapter_state

        if args.start is not None:
            print("tauride: --chapter and --from both say where games start: give one", file=sys.stderr)
            return 2
        try:
            chapter_state(story, args.chapter, 0)  # checked once here, not in every student's game
        except ChapterError as err:
            print(f"tauride: --chapter {args.chapter}: {err}", file=sys.stderr)
            return 2
    if args.start is not None and args.start not in story.scenes:
        print(f"tauride: --from: there is no scene '{args.start}' in {story.title} (scene ids are in the story "
              "files, and in `tauride map`)", file=sys.stderr)
        return 2
    unusable = port_problem(host, args.port)
    if unusable:
        print(f"tauride: {unusable.message}", file=sys.stderr)
        return 2 if unusable.wrong_option else 1
    saves = saves.resolve()
    where = class_dir(saves, class_name)
    served = (f"{story.title}, each student picking a chair ({', '.join(c.id for c in story.chairs)})" if picking
              else story.title)
    intro = [f"Serving {served} to browsers. Saves go to {where}/<student>/", *who_can_reach(host, args.port, code),
             f"At most {args.max_students} students at once. A game with no key or click for {args.idle_timeout:g} s "
             "is closed (its autosave stays)."]
    from ..exit_question import from_option

    try:
        exit_question = from_option(args.exit_question)
    except ValueError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 2
    argv_for = game_command(saves, class_name, args.scenes, start=args.start, locked=args.locked,
                            chapter=args.chapter, exit_question=exit_question, chair=None if picking else args.chair)
    from . import forks
    from .serve import served_environment

    extra_env = game_env()
    fork_server = None
    if forks.wanted():  # it holds the story of every chair a game here may open
        held: list[str | None] = [c.id for c in story.chairs] if picking else [args.chair]
        fork_server = forks.ForkServer(str(Path(args.scenes).resolve()) if args.scenes else None, held,
                                       lambda: served_environment(extra_env), package_root())
    server = ClassroomServer(argv_for, class_dir=where, code=code, host=host,
                             port=args.port, title=story.title, env=extra_env, cwd=package_root(),
                             idle_timeout=args.idle_timeout, public_url=args.public_url,
                             max_students=args.max_students, hosts=this_server(origins, args.public_url),
                             story=story, start=args.start, chapter=args.chapter, chairs=chairs,
                             forks=fork_server, locked=args.locked)
    if args.log or not (sys.stdout.isatty() and sys.stdin.isatty()):
        print("\n".join(intro) + " Ctrl+C stops.", flush=True)
        server.serve()
        return 0
    from .room_view import RoomApp

    view = RoomApp(story, where, server=server, intro=[*intro, "q stops serving; the saves stay."], chairs=chairs)
    view.run()
    print(f"Stopped serving. The class's saves: {where}")
    return view.return_code or 0
