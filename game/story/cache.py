"""A cache of validated stories, keyed on the exact bytes of their files.

Loading reads and checks every YAML file; a player starting the game again
on an unchanged story should not pay for that twice. After a successful
load the validated `Story` is pickled (its compiled parts pickle as checked
source text, see `lazy.py`) under a key made from:

- the bytes and names of every file of the story, and the folder as named,
  so any edit, added or removed file means a miss, never a stale story;
- the Tauride version and a digest of this package's own source, so a
  changed loader never serves what an older one validated.

Trust: pickle data can run code when loaded, so an entry is only unpickled
after its HMAC-SHA256 checks out against a random key kept in the cache
folder, readable by the user alone (files planted or altered by anyone
without that key are ignored). A corrupt, truncated or foreign entry is
ignored and rewritten; failing to write the cache never fails a load.

The folder is `$TAURIDE_CACHE_DIR`, else `$XDG_CACHE_HOME/tauride`, else
`~/.cache/tauride`; `TAURIDE_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from .model import Story

FORMAT = b"TAURIDE-STORY-CACHE-1\n"
"""Leads every entry; bump when the layout of an entry changes."""
MAX_ENTRIES = 64
"""Entries kept; older ones are removed when a new one is written (writers make many)."""
_MAC_BYTES = 32
_code_digest: bytes | None = None


def enabled(requested: bool | None) -> bool:
    """`load_story(cache=…)` wins; unset means on unless TAURIDE_NO_CACHE is set."""
    if requested is not None:
        return requested
    return os.environ.get("TAURIDE_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    env = os.environ.get("TAURIDE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tauride"


def code_digest() -> bytes:
    """A digest of the story package's source: a different loader is a different cache."""
    global _code_digest
    if _code_digest is None:
        from .. import __version__

        h = hashlib.sha256(__version__.encode())
        here = Path(__file__).resolve().parent
        for path in sorted(here.glob("*.py")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _code_digest = h.digest()
    return _code_digest


def story_key(folder: str, files: Iterable[tuple[str, bytes]]) -> str:
    """The key for a story folder whose files (display name, bytes) are given in load order."""
    h = hashlib.sha256(FORMAT + code_digest())
    h.update(folder.encode("utf-8", "surrogateescape") + b"\0")
    for name, data in files:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _secret(folder: Path, create: bool) -> bytes | None:
    """The cache's HMAC key; None when it is missing (and not to be made) or not private to this user."""
    path = folder / "key"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        if not create:
            return None
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        secret = os.urandom(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return _secret(folder, create=False)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
        return secret
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None  # someone else could read or have written it: trust nothing signed with it
        secret = fh.read(64)
    return secret if len(secret) == 32 else None


def fetch(key: str) -> Story | None:
    """The cached story for `key`, or None (missing, corrupt, tampered with, or unreadable)."""
    folder = cache_dir()
    try:
        secret = _secret(folder, create=False)
        if secret is None:
            return None
        with open(folder / f"{key}.story", "rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    head = len(FORMAT) + _MAC_BYTES
    if len(blob) < head or not blob.startswith(FORMAT):
        return None
    mac, payload = blob[len(FORMAT) : head], blob[head:]
    if not hmac.compare_digest(mac, hmac.new(secret, key.encode() + payload, hashlib.sha256).digest()):
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects and no cycles: collecting would only cost time
    try:
        story = pickle.loads(payload)
    except Exception:  # an authentic entry that no longer unpickles: a miss, never a failed load
        return None
    finally:
        if was_enabled:
            gc.enable()
    return story if isinstance(story, Story) else None


def store(key: str, story: Story) -> None:
    """Write the entry for `key`; any failure leaves the cache as it was."""
    folder = cache_dir()
    try:
        secret = _secret(folder, create=True)
        if secret is None:
            return
        payload = pickle.dumps(story, protocol=pickle.HIGHEST_PROTOCOL)
        mac = hmac.new(secret, key.encode() + payload, hashlib.sha256).digest()
        fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(FORMAT + mac + payload)
            os.replace(tmp, folder / f"{key}.story")
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob("*.story"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[MAX_ENTRIES:]:
        try:
            path.unlink()
        except OSError:
            pass
