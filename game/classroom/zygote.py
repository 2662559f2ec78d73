"""The classroom server's fork server: one process that has loaded the game, forked once per student.

Started by `game.classroom.forks.ForkServer` as `python -m game.classroom.zygote`.
A game started as a new interpreter spends most of its start importing
Textual and the game and loading the story, about 0.4 CPU-seconds and
~30 MiB of its own each; thirty students signing in together queue for
both cores for seconds. This process does that work once, collects and
freezes its heap (`gc.freeze`: the collector then never writes to those
objects, so their pages stay shared after fork), and then waits on a Unix
socket. For each student the server sends the game's command line, its
environment and folder, and three pipe ends (stdin, stdout, stderr) by
`socket.send_fds`; this process forks, and the child becomes exactly what
`python -m game <args>` would have been: its own pipes, environment,
folder, process group, and the same `tauride` entry point
(`game.cli.main`). Nothing passes between students: each game is its own
process, and the story they share is read-only memory shared copy-on-write.

How a game is handed to the server. The child is forked twice (zygote →
go-between → game) and the go-between exits at once, so the game is
re-parented to the server, which made itself a child subreaper
(`PR_SET_CHILD_SUBREAPER`): the server is the game's parent as it is for a
game started with a plain exec, reaps it, reads its exit status, and the
game takes a parent-death signal against the server itself. A zygote that
dies therefore takes no game with it; the server starts another.

The protocol, one SEQPACKET message each way:
- zygote → server once loaded: `{"ready": true}`;
- server → zygote: `{"argv": [...], "env": {...}, "cwd": "..."}` with the
  three pipe ends; reply `{"pid": N}` or `{"error": "why"}`.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import gc
import json
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

PR_SET_PDEATHSIG = 1
GAME_MODULE = "game"
"""Only `python -m game …` is run here: any other command is refused (the server then starts it plainly)."""
AT_IMPORT = ("TEXTUAL", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "PYTHON", "LANG", "LC_")
"""Environment variables read when modules are imported (Textual's constants among them): a request whose
values differ from this process's is refused, since the modules it imported already read them."""


@dataclass
class Job:
    """What a forked child runs: the game's arguments after `python -m game`."""

    args: list[str]


def preload(scenes: str | None, chairs: list[str] | None) -> None:
    """Import what a served game imports before its first frame and while its title is read (a returning
    student's autosave is checked with pydantic's models), hold the story (each chair's) in memory, and
    run a game's title once (`game.tui.parsed_css.warm`), so each game finds it all done."""
    import queue  # noqa: F401

    import setproctitle

    setproctitle.getproctitle()  # its set-up, once: it moves the environment aside, before anyone changes it
    import textual.app
    import textual.drivers.web_driver
    import textual.layouts.factory
    import textual.layouts.horizontal
    import textual.layouts.stream
    import textual.widgets._footer
    import textual.widgets._label  # noqa: F401

    import game.cli
    import game.play
    import game.save_format  # a returning student's autosave is checked and loaded with it (pydantic: ~0.1 CPU-s)
    import game.tui.app
    import game.tui.classroom
    import game.tui.screens.play
    from game.locate import default_story_dir
    from game.story_cache import StoryCache
    from game.story_folder import hold
    from game.tui.widgets.scene_text import prepare_parser

    prepare_parser()
    game.cli.parser_for("play")  # the command line each game parses (argparse's messages are looked up as it is built)
    try:
        _libc()
    except OSError:
        pass  # each game tries again, and runs without the death signal if it cannot (see `_prctl_pdeathsig`)
    cache = StoryCache.default()
    held: list[str | None] = [*chairs] if chairs else [None]
    stories = [hold(scenes or str(default_story_dir()), cache, chair=chair) for chair in held]
    # Every game's first frame parses the same stylesheets: parsed here once, each game finds them parsed.
    from game.tui.parsed_css import warm

    try:
        warm(stories[0])
    except Exception as err:  # only time is lost: each game parses its own, as a game started plainly does
        print(f"fork server: stylesheets not parsed ahead ({type(err).__name__}: {err})", file=sys.stderr)


def _refusal(env: dict[str, str]) -> str | None:
    """Why a game with environment `env` cannot be forked from here (None: it can)."""
    for key in sorted(set(env) | set(os.environ)):
        if key.startswith(AT_IMPORT) and env.get(key) != os.environ.get(key):
            return f"the environment variable {key} differs from the fork server's"
    return None


def _prctl_pdeathsig() -> None:
    try:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, loaded once, in the fork server: each game only calls it (~4.6 ms a game otherwise)."""
    return ctypes.CDLL(None, use_errno=True)


def _become_game(fds: list[int], env: dict[str, str], cwd: str | None, server: int, go_between: int) -> None:
    """In the game: wait to be the server's child, take the death signal, then the student's pipes and setting."""
    deadline = time.monotonic() + 5.0
    while os.getppid() == go_between and time.monotonic() < deadline:
        time.sleep(0.0005)
    if os.getppid() != server:  # the server is not our parent (not a subreaper, or gone): run nothing
        os._exit(1)
    _prctl_pdeathsig()
    if os.getppid() != server:  # the server died before the signal was armed
        os._exit(1)
    os.setsid()  # its own process group: the server's kill reaches anything the game starts
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.environ.clear()
    os.environ.update(env)
    if cwd:
        os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def fork_game(control: socket.socket, request: dict[str, Any], fds: list[int], server: int) -> int | Job:
    """Fork the student's game; in the zygote, its pid; in the game itself, the Job to run."""
    argv, env, cwd = request["argv"], request["env"], request.get("cwd")
    handoff_r, handoff_w = os.pipe()
    go_between = os.fork()
    if go_between == 0:  # the go-between: fork the game, tell the zygote its pid, leave at once
        try:
            os.close(handoff_r)
            me = os.getpid()  # taken before the fork: by the time the game asks, this process may be gone
            game = os.fork()
            if game == 0:
                os.close(handoff_w)
                control.close()
                from setproctitle import setproctitle

                setproctitle(" ".join(argv))  # `ps` and the teacher see this student's game, not "zygote"
                _become_game(fds, env, cwd, server, me)
                return Job([str(a) for a in argv[3:]])
            os.write(handoff_w, str(game).encode())
        except BaseException as err:  # never back into the zygote's loop: that would be a second zygote
            try:
                os.write(2, f"tauride: the fork server could not start a game: {err}\n".encode())
            finally:
                os._exit(1)
        os._exit(0)
    os.close(handoff_w)
    try:
        raw = b""
        while chunk := os.read(handoff_r, 32):
            raw += chunk
    finally:
        os.close(handoff_r)
        os.waitpid(go_between, 0)
    if not raw.strip().isdigit():
        raise OSError("the game could not be forked")
    return int(raw)


def serve(control: socket.socket, server: int) -> Job | None:
    """Answer requests until the server closes the socket; returns a Job only in a forked game."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 20, 3)
        except InterruptedError:
            continue
        except OSError:
            return None
        if not message:
            return None  # the server closed its end: it is stopping
        try:
            request = json.loads(message)
            argv = request["argv"]
            refusal = None
            if len(fds) != 3:
                refusal = f"{len(fds)} pipe ends came with the request, not 3"
            elif argv[0] != sys.executable or argv[1:3] != ["-m", GAME_MODULE]:
                refusal = "only the game is started here"
            else:
                refusal = _refusal(request["env"])
            if refusal is None and threading.active_count() != 1:
                refusal = "the fork server has started a thread; forking it would not be safe"
            if refusal is not None:
                reply: dict[str, Any] = {"error": refusal}
            else:
                outcome = fork_game(control, request, fds, server)
                if isinstance(outcome, Job):
                    return outcome
                reply = {"pid": outcome}
        except (ValueError, KeyError, TypeError, IndexError) as err:
            reply = {"error": f"a request the fork server cannot read ({err.__class__.__name__})"}
        except OSError as err:
            reply = {"error": f"cannot fork: {err.strerror or err}"}
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        try:
            control.send(json.dumps(reply).encode())
        except OSError:
            return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.classroom.zygote", description=__doc__)
    parser.add_argument("--fd", type=int, required=True, help="the Unix socket shared with the server")
    parser.add_argument("--server", type=int, required=True, help="the server's process id")
    parser.add_argument("--scenes", help="the story folder the server serves")
    parser.add_argument("--chair", action="append", help="a chair the server serves (repeated for each)")
    args = parser.parse_args(argv)
    control = socket.socket(fileno=args.fd)
    gc.disable()  # a few hundred thousand long-lived objects are made here; the collector would walk them all
    try:
        preload(args.scenes, args.chair)
    except Exception as err:  # the server logs this line and starts games the plain way
        control.send(json.dumps({"error": f"cannot load the game: {err}"}).encode())
        return 1
    gc.collect()
    gc.freeze()  # everything above stays in pages the children share: the collector never writes to them
    gc.enable()
    sys.stdout.flush()
    sys.stderr.flush()
    control.send(json.dumps({"ready": True}).encode())
    job = serve(control, args.server)
    if job is None:
        return 0
    sys.argv = ["tauride", *job.args]
    from game.cli import main as tauride

    return tauride(job.args)


if __name__ == "__main__":
    sys.exit(main())
