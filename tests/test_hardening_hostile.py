"""Hostile story files: each gets a clear error with its place, quickly, in bounded memory.

Every case is loaded in its own Python process, as a player or a classroom
server would load it: the process must exit normally (a crash of libyaml
or a RecursionError would not), print the expected `file:line:col: message`,
stay under `MEMORY_LIMIT_MIB` of peak memory (`ru_maxrss`), and leave the
file tree exactly as it was — no file written (not even a cache entry), and
no sentinel that a payload tries to `touch`.

The stored corpus is `tests/hostile/<rule-as-name>.yaml`; its first line is
`# expect: <text the errors must contain>`. Cases too large to keep in git
(a 50 MB file, 100,000 nested brackets) are generated below.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import MINI_MANIFEST, MINI_SCENES

HERE = Path(__file__).parent
REPO = HERE.parent
CORPUS = sorted((HERE / "hostile").glob("*.yaml"))
MEMORY_LIMIT_MIB = 200
"""A bare interpreter with the loader imported peaks near 45 MiB; the largest legal file adds ~90."""
HANG_LIMIT_S = 120
"""Not a speed test: a case still running after this long is hung (the worst legal case takes ~1 s)."""

_RUNNER = """
import json, resource, sys
from game.story import StoryError
from game.story_folder import load_folder
try:
    load_folder(sys.argv[1])
    out = {"loaded": True, "problems": []}
except StoryError as err:
    out = {"loaded": False, "problems": [str(p) for p in err.problems]}
# VmHWM is this process's own high-water mark; ru_maxrss can carry the parent's across exec.
try:
    with open("/proc/self/status") as fh:
        hwm = [line for line in fh if line.startswith("VmHWM:")][0]
    out["peak_mib"] = int(hwm.split()[1]) / 1024
except (OSError, IndexError):
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*")}


def load_in_child(tmp_path: Path, hostile: bytes) -> dict:
    """Load the mini story plus `hostile` as 17.yaml in a fresh process; check it wrote nothing."""
    story = tmp_path / "story"
    story.mkdir()
    (story / "story.yaml").write_text(MINI_MANIFEST)
    (story / "16.yaml").write_text(MINI_SCENES)
    (story / "17.yaml").write_bytes(hostile)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), TAURIDE_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("TAURIDE_NO_CACHE", None)
    before = tree(tmp_path)
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(story)], cwd=work, env=env,
                          capture_output=True, text=True, timeout=HANG_LIMIT_S)
    assert proc.returncode == 0, f"the loader died (exit {proc.returncode}):\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert tree(tmp_path) == before, "loading a hostile file wrote a file"
    return json.loads(proc.stdout)


def check(result: dict, expect: str | tuple[str, ...]) -> None:
    """`expect`: the message, or the messages any one of which will do (they differ between libyaml builds)."""
    expects = (expect,) if isinstance(expect, str) else expect
    assert not result["loaded"], "a hostile file loaded as a story"
    assert any(e in p for e in expects for p in result["problems"]), "\n".join(result["problems"])
    for p in result["problems"]:  # every problem names its place
        assert p.startswith(("17.yaml:", "16.yaml:", "story.yaml:")) or ".yaml:" in p.split(": ")[0], p
    assert result["peak_mib"] < MEMORY_LIMIT_MIB, f"peak memory {result['peak_mib']:.0f} MiB"
    print(f"peak {result['peak_mib']:.0f} MiB")


@pytest.mark.parametrize("case", CORPUS, ids=[c.stem for c in CORPUS])
def test_stored_hostile_file(case: Path, tmp_path: Path) -> None:
    raw = case.read_bytes()
    expect = raw.split(b"\n", 1)[0].decode().removeprefix("# expect: ")
    check(load_in_child(tmp_path, raw), expect)


def _flat_values() -> bytes:
    return b"scenes: [" + b"0," * (4 * 1024 * 1024 - 8) + b"]\n"


def _deep_flow() -> bytes:
    return b"scenes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"


def _deep_block() -> bytes:
    return b"scenes:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 2000)) + b"  " * 2000 + b"- x\n"


def _fifty_mb() -> bytes:
    scene = b"  - {id: s, title: T, text: x, choices: [{id: go, text: Go, goto: fin}]}\n"
    return b"scenes:\n" + scene * (50 * 1024 * 1024 // len(scene))


def _long_expression() -> bytes:
    cond = "secret or " * 100_000 + "secret"
    return f"scenes:\n  - id: h\n    title: A\n    text: x\n    choices: [{{id: go, text: Go, goto: fin, if: '{cond}'}}]\n".encode()


def _nul_byte() -> bytes:
    return b"scenes:\n  - id: h\x00\n"


def _two_documents() -> bytes:
    return b"scenes: []\n---\nscenes: []\n"


def _many_aliases_of_long_text() -> bytes:
    # Each alias repeats 1 MB of text; the text is shared, never copied per alias.
    first = b"  - {id: s0, title: &t '" + b"a" * (1024 * 1024) + b"', text: *t, choices: [{id: go, text: Go, goto: fin}]}\n"
    rest = b"".join(b"  - {id: s%d, title: *t, text: *t, choices: [{id: go, text: Go, goto: fin}]}\n" % i
                    for i in range(1, 200))
    return b"scenes:\n" + first + rest + b"  - {id: last, title: *t, text: *t, choices: [{id: go, text: Go, goto: nowhere}]}\n"


GENERATED: dict[str, tuple[Callable[[], bytes], str | tuple[str, ...]]] = {
    "a-50-MB-file-is-refused-unread": (_fifty_mb, "17.yaml:1:1: file is larger than 8 MiB"),
    "four-million-tiny-values-are-bounded": (_flat_values, "too many values (over 250,000)"),
    # PyYAML 6.0.4's libyaml stops deep flow nesting itself; older builds leave it to the reader's own bound.
    "100000-nested-brackets-are-bounded": (_deep_flow, ("17.yaml:1:57: nested more than 48 levels deep",
                                                        "YAML syntax: exceeded maximum nesting depth")),
    "2000-nested-block-lists-are-bounded": (_deep_block, "nested more than 48 levels deep"),
    "a-million-character-condition-is-refused": (_long_expression, "condition: expression is longer than 1000 characters"),
    "a-nul-byte-is-a-syntax-error": (_nul_byte, "17.yaml:2:10: YAML syntax: control characters are not allowed (found U+0000)"),
    "two-documents-are-refused": (_two_documents, "17.yaml:2:1: YAML syntax: a file holds one document"),
    "aliases-of-long-text-stay-bounded": (_many_aliases_of_long_text, "goes to 'nowhere', which is not a scene"),
}


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_hostile_file(name: str, tmp_path: Path) -> None:
    make, expect = GENERATED[name]
    check(load_in_child(tmp_path, make()), expect)


@pytest.mark.parametrize("name", ["17.yaml", "story.yaml"])
def test_a_named_pipe_called_a_story_file_is_named_not_waited_on(name: str, tmp_path: Path) -> None:
    """Opening a pipe waits for a writer: the check, the title's glance and a game under --watch hung there."""
    story = tmp_path / "story"
    story.mkdir()
    (story / "story.yaml").write_text(MINI_MANIFEST)
    (story / "16.yaml").write_text(MINI_SCENES)
    (story / name).unlink(missing_ok=True)
    os.mkfifo(story / name)
    env = dict(os.environ, PYTHONPATH=str(REPO), TAURIDE_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-m", "game", "validate", str(story)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=HANG_LIMIT_S)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{name}: cannot read the file: it is not a plain file (a pipe, a device or a socket)" in proc.stdout + proc.stderr
    from game.story_folder import glance_title

    assert glance_title(str(story)) is None or name != "story.yaml"  # a glance never waits either
