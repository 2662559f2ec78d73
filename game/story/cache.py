"""A cache of validated stories, keyed on the exact bytes of their files.

Loading reads and checks every YAML file; a player starting the game again
on an unchanged story should not pay for that twice. After a successful
load the validated `Story` is pickled (its compiled parts pickle as checked
source text, see `lazy.py`) under a key made from:

- the bytes and names of every file of the story, and the folder as named,
  so any edit, added or removed file means a miss, never a stale story;
- the Tauride version and the size and time of this package's source
  files, so a changed loader never serves what an older one validated.

Trust: pickle data can run code when loaded, so an entry is only unpickled
after its HMAC-SHA256 checks out against a random key kept in the cache
folder, readable by the user alone (files planted or altered by anyone
without that key are ignored). A corrupt, truncated or foreign entry is
ignored and rewritten; failing to write the cache never fails a load. Scenes are stored one pickle
each, with their own HMAC, and checked and unpickled when first asked for
(`_Scenes`): a start pays for the scenes it shows.

A second, cheaper way in: a *stat record*, also signed, that maps what
`os.stat` says of every file (device, inode, size, modification and change
times, in nanoseconds) to the content key found for exactly those files, so
an unchanged start need not read and hash them (see `stat_key`). It is only
written for files that were last changed a while before they were read, so
a later edit always changes what `os.stat` says, and any such change is a
miss that falls back to reading the files.

The folder is `$TAURIDE_CACHE_DIR`, else `$XDG_CACHE_HOME/tauride`, else
`~/.cache/tauride`; `TAURIDE_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import tempfile
import time
import weakref
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Mapping

from .gcpause import collection_off
from .model import Scene, Story

FORMAT = b"TAURIDE-STORY-CACHE-2\n"
"""Leads every entry; bump when the layout of an entry changes."""
MAX_ENTRIES = 64
"""Entries kept; older ones are removed when a new one is written (writers make many)."""
_MAC_BYTES = 32
STAT_FORMAT = b"TAURIDE-STAT-1\n"
"""Leads every stat record (see `stat_key`)."""
SETTLED_NS = 5 * 1_000_000_000
"""A stat record is only written when every file was last changed at least this long before it was
looked at: longer than the coarsest timestamp tick of any file system a story may sit on (FAT's 2 s),
so an edit made after the look always gets a newer time than the one recorded."""
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
    """A digest of the story package's source files: a changed loader is a different cache.

    Each file counts by name, size and modification time, the test CPython
    itself uses to know a `.pyc` is stale (reading the sources would cost a
    cached start a fifth of its time).
    """
    global _code_digest
    if _code_digest is None:
        from .. import __version__

        h = hashlib.sha256(__version__.encode())
        with os.scandir(os.path.dirname(os.path.abspath(__file__))) as entries:
            for entry in sorted((e for e in entries if e.name.endswith(".py")), key=lambda e: e.name):
                st = entry.stat()
                h.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        _code_digest = h.digest()
    return _code_digest


def story_key(folder: str, files: Iterable[tuple[str, bytes]]) -> str:
    """The key for a story folder whose files (path, bytes) are given in load order."""
    h = hashlib.sha256(FORMAT + code_digest())
    h.update(folder.encode("utf-8", "surrogateescape") + b"\0")
    for name, data in files:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def stat_key(where: str, paths: Iterable[str]) -> tuple[str, bool] | None:
    """A key from what `os.stat` says of each file, and whether it may be recorded; None if one is unreadable.

    Why it is safe to trust for an unchanged story: writing a file's bytes
    sets its modification and change times to the current time, and the
    change time cannot be set back from user space (`touch -d`, `cp -p` or
    an editor restoring the modification time all set it anew); replacing a
    file by renaming gives it another inode. The one gap is an edit within
    the same timestamp tick as the one before it, which would leave every
    field equal: that is why `settled` is False (and the loader records
    nothing) unless every file was last changed `SETTLED_NS` before now.
    The stats are taken before the files are read, so a record never pairs
    old stats with newer bytes that could be mistaken for the old ones.
    """
    h = hashlib.sha256(STAT_FORMAT + FORMAT + code_digest())
    h.update(where.encode("utf-8", "surrogateescape") + b"\0")
    newest = 0
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        h.update(path.encode("utf-8", "surrogateescape") + b"\0")
        h.update(f"{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0".encode())
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return h.hexdigest(), newest <= time.time_ns() - SETTLED_NS


def fetch_by_stat(skey: str, reload: Callable[[], Story] | None = None) -> Story | None:
    """The cached story recorded for `skey` (see `stat_key`), if its record is there and signed by us."""
    folder = cache_dir()
    try:
        secret = _secret(folder, create=False)
        if secret is None:
            return None
        blob = _read(folder / f"{skey}.stat", len(STAT_FORMAT) + _MAC_BYTES + 65)
    except OSError:
        return None
    head = len(STAT_FORMAT) + _MAC_BYTES
    key = blob[head:]
    if len(key) != 64 or not blob.startswith(STAT_FORMAT):
        return None
    if not hmac.compare_digest(blob[len(STAT_FORMAT) : head], _mac(secret, b"stat", skey.encode(), key)):
        return None
    return _fetch(folder, secret, key.decode("ascii", "replace"), reload)


def remember_stat(skey: str, key: str) -> None:
    """Record that the files whose stats give `skey` hold the story cached under `key`."""
    folder = cache_dir()
    try:
        secret = _secret(folder, create=False)
        if secret is None:
            return
        data = key.encode("ascii")
        _write(folder, f"{skey}.stat", [STAT_FORMAT + _mac(secret, b"stat", skey.encode(), data) + data])
        _prune(folder, "*.stat", 4 * MAX_ENTRIES)
    except (OSError, UnicodeEncodeError):
        return


def _write(folder: Path, name: str, chunks: Iterable[bytes]) -> None:
    """Write a file atomically: readers see the old one or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None  # someone else could read or have written it: trust nothing signed with it
        secret = os.read(fd, 64)
    finally:
        os.close(fd)
    return secret if len(secret) == 32 else None


def _read(path: Path, most: int) -> bytes:
    """At most `most` bytes of a small file, read with bare system calls (cheaper than `open`)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, most)
    finally:
        os.close(fd)


def _read_fd(fd: int) -> bytes:
    """The rest of an open file."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _mac(secret: bytes, *parts: bytes | memoryview) -> bytes:
    message = b"".join(len(part).to_bytes(8, "big") + bytes(part) for part in parts)
    return hmac.digest(secret, message, "sha256")  # one call into OpenSSL (`hmac.new` is Python)


def fetch(key: str, reload: Callable[[], Story] | None = None) -> Story | None:
    """The cached story for `key`, or None (missing, corrupt, tampered with, or unreadable).

    An entry is the story without its scenes (checked here), then each
    scene on its own (checked when first asked for, see `_Scenes`);
    `reload` reads the files again if a scene's bytes turn out damaged.
    """
    folder = cache_dir()
    try:
        secret = _secret(folder, create=False)
    except OSError:
        return None
    if secret is None:
        return None
    return _fetch(folder, secret, key, reload)


def _fetch(folder: Path, secret: bytes, key: str, reload: Callable[[], Story] | None) -> Story | None:
    blob: _Blob | None
    try:
        blob = _Blob(folder / f"{key}.story")
    except OSError:
        return None
    try:
        head = len(FORMAT) + _MAC_BYTES + 8
        start = blob.read(0, head)
        if len(start) < head or not start.startswith(FORMAT):
            return None
        mac = start[len(FORMAT) : len(FORMAT) + _MAC_BYTES]
        size = int.from_bytes(start[head - 8 : head], "big")
        shell = blob.read(head, size)
        if len(shell) != size or not hmac.compare_digest(mac, _mac(secret, key.encode(), shell)):
            return None
        try:
            with collection_off():  # unpickling makes many objects and no cycles
                state, index = pickle.loads(shell)
                story = Story.__new__(Story)
                story.__setstate__(state)
                scenes = _Scenes(index, blob, head + size, secret, key, reload)
                object.__setattr__(story, "scenes", MappingProxyType(scenes))
        except Exception:  # an authentic entry that no longer unpickles: a miss, never a failed load
            return None
        blob = None  # the scenes read on from it
        return story
    except OSError:
        return None
    finally:
        if blob is not None:
            blob.close()


class _Blob:
    """An entry file, read piece by piece: the start needs its head and the story's shell, not every scene.

    The file stays open until every scene was read or the story is gone
    (`weakref.finalize`), so scenes come from the very entry that was checked,
    even if the file is replaced or removed meanwhile (each scene is checked by
    its own HMAC anyway). Without `os.pread` (Windows) it is read whole at once.
    """

    def __init__(self, path: Path):
        self._fd: int | None = os.open(path, os.O_RDONLY)
        self._data: bytes | None = None
        try:
            self._size = os.fstat(self._fd).st_size
        except OSError:
            os.close(self._fd)
            raise
        if not hasattr(os, "pread"):
            try:
                self._data = _read_fd(self._fd)
            finally:
                self.close()
        else:
            self._closer = weakref.finalize(self, os.close, self._fd)

    def read(self, offset: int, length: int) -> bytes:
        if self._data is not None:
            return self._data[offset : offset + length]
        length = min(length, self._size - offset)  # what a damaged head claims is never allocated
        if self._fd is None or length <= 0:
            return b""
        data = os.pread(self._fd, length, offset)
        while 0 < len(data) < length:  # a regular file gives all at once; just in case
            more = os.pread(self._fd, length - len(data), offset + len(data))
            if not more:
                break
            data += more
        return data

    def close(self) -> None:
        if self._fd is not None:
            if hasattr(self, "_closer"):
                self._closer()
            else:
                os.close(self._fd)
            self._fd = None


class _Scenes(Mapping[str, Scene]):
    """A cached story's scenes, each checked and unpickled when first asked for.

    A player's start needs the title and the first scene, not all of them.
    Every scene was validated before it was stored; its bytes carry their
    own HMAC, checked before they are unpickled. Should one be damaged, the
    scene comes from a fresh load of the (unchanged) files instead.
    """

    def __init__(self, index: dict[str, tuple[int, int, bytes]], blob: _Blob, base: int, secret: bytes, key: str,
                 reload: Callable[[], Story] | None):
        self._index = index
        self._blob = blob
        self._base = base
        self._secret = secret
        self._key = key
        self._reload = reload
        self._scenes: dict[str, Scene] = {}

    def __getitem__(self, scene_id: str) -> Scene:
        scene = self._scenes.get(scene_id)
        if scene is None:
            start, length, mac = self._index[scene_id]
            try:
                raw = self._blob.read(self._base + start, length)
            except OSError:
                raw = b""
            if len(raw) == length and hmac.compare_digest(mac, _mac(self._secret, self._key.encode(), scene_id.encode(), raw)):
                scene = pickle.loads(raw)
            elif self._reload is not None:
                scene = self._reload().scenes[scene_id]
            else:
                raise KeyError(f"scene '{scene_id}' of the cached story is damaged; load it again without the cache")
            self._scenes[scene_id] = scene
            if len(self._scenes) == len(self._index):
                self._blob.close()  # every scene is here: the file is no longer needed
        return scene

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def store(key: str, story: Story) -> None:
    """Write the entry for `key`; any failure leaves the cache as it was."""
    folder = cache_dir()
    try:
        secret = _secret(folder, create=True)
        if secret is None:
            return
        state = story.__getstate__()
        index: dict[str, tuple[int, int, bytes]] = {}
        blobs: list[bytes] = []
        at = 0
        for sid, scene in state.pop("scenes").items():
            raw = pickle.dumps(scene, protocol=pickle.HIGHEST_PROTOCOL)
            index[sid] = (at, len(raw), _mac(secret, key.encode(), sid.encode(), raw))
            blobs.append(raw)
            at += len(raw)
        state["scenes"] = {}
        shell = pickle.dumps((state, index), protocol=pickle.HIGHEST_PROTOCOL)
        mac = _mac(secret, key.encode(), shell)
        _write(folder, f"{key}.story", [FORMAT + mac + len(shell).to_bytes(8, "big") + shell, *blobs])
        _prune(folder, "*.story", MAX_ENTRIES)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return


def _prune(folder: Path, pattern: str, keep: int) -> None:
    entries = []
    for path in folder.glob(pattern):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        try:
            path.unlink()
        except OSError:
            pass
