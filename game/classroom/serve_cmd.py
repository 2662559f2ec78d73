"""`tauride serve`: one laptop serves the game to a room of browsers (textual-serve)."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from .common import CommandError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None,
                        help="address to listen on (default: localhost, this computer only); 0.0.0.0 lets in every "
                             "computer that can reach this one")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--class-code", metavar="CODE", help="a code students must type with their name")
    parser.add_argument("--saves", metavar="DIR", help="where students' saves go, one folder per class and student "
                                                        "(default: saves/, or $TAURIDE_SAVE_DIR)")
    parser.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story)")
    parser.add_argument("--idle-timeout", type=float, default=20 * 60, metavar="SECONDS",
                        help="close a student's game after this long with no key or click (default: 1200); "
                             "the autosave stays")
    parser.add_argument("--public-url", metavar="URL", help="the address students use, when behind a proxy")


def game_command(saves: Path, code: str | None, scenes: str | None) -> list[str]:
    """The command each browser's game runs: this Python, this copy of the game."""
    argv = [sys.executable, "-m", "game", "play", "--classroom", str(saves)]
    if code:
        argv += ["--class-code", code]
    if scenes:
        argv += ["--scenes", str(Path(scenes).resolve())]
    return argv


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
    """Plain words for the teacher: who can open the game, at which address."""
    if host in ("localhost", "127.0.0.1", "::1"):
        return [f"Open http://localhost:{port} in a browser on this computer.",
                "Only this computer can reach it. To let students' computers in, start again with "
                "--host 0.0.0.0" + ("." if code else " (and a --class-code).")]
    if host in ("0.0.0.0", "::", ""):
        addrs = lan_addresses()
        lines = ["ANYONE on a network this computer is on can open the game — not only your class — at:"]
        lines += [f"    http://{a}:{port}" for a in addrs] or [f"    http://<this computer's address>:{port}"]
    else:
        lines = [f"Anyone who can reach {host} can open the game at http://{host}:{port}"]
    lines.append(f"Students type the class code '{code}' with their name." if code else
                 "No class code is set: anyone who reaches the address can play and write saves here "
                 "(set one with --class-code).")
    lines.append("Nothing leaves this computer: no accounts, no internet needed; saves are plain files.")
    return lines


def port_free(host: str, port: int) -> bool:
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host if host != "localhost" else "127.0.0.1", port))
        return True
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from ..saves import default_save_dir
    from .common import load

    try:
        from .serve import ClassroomServer
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        print(f"tauride: serving needs textual-serve ({exc}); install it with: pip install 'textual-serve>=1.1,<2'",
              file=sys.stderr)
        return 1
    host = args.host or "localhost"
    saves = Path(args.saves) if args.saves else default_save_dir()
    try:
        story = load(args.scenes)  # a broken story is reported here, once, not in every student's browser
        saves.mkdir(parents=True, exist_ok=True)
    except CommandError as err:
        print(f"tauride: {err}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tauride: cannot use '{saves}' for saves ({exc.strerror or exc})", file=sys.stderr)
        return 1
    if args.class_code is not None:
        from ..saves import safe_folder_name

        try:  # checked here once, rather than failing in every student's browser
            safe_folder_name(args.class_code)
        except ValueError as err:
            print(f"tauride: --class-code: {err}", file=sys.stderr)
            return 2
    if args.idle_timeout <= 0:
        print("tauride: --idle-timeout must be a positive number of seconds", file=sys.stderr)
        return 2
    if not port_free(host, args.port):
        print(f"tauride: port {args.port} on {host} is in use; choose another with --port", file=sys.stderr)
        return 1
    print(f"Serving {story.title} to browsers. Saves go to {saves.resolve()}/<class>/<student>/")
    for line in who_can_reach(host, args.port, args.class_code):
        print(line)
    print(f"A game with no key or click for {args.idle_timeout:g} s is closed (its autosave stays). Ctrl+C stops.",
          flush=True)
    server = ClassroomServer(game_command(saves.resolve(), args.class_code, args.scenes), host=host, port=args.port,
                             title=story.title, env=game_env(), cwd=package_root(), idle_timeout=args.idle_timeout,
                             public_url=args.public_url)
    server.serve()
    return 0
