"""A cache of validated stories, keyed on the exact bytes of their files: the shells' object, at the I/O edge.

Loading reads and checks every YAML file; a player starting the game again
on an unchanged story should not pay for that twice. After a successful
load the validated `Story` is pickled (its compiled parts pickle as checked
source text, see `game/story/lazy.py`) under a key made from:

- the name and bytes of every file of the story (names as problems show
  them), so any edit, added, removed or renamed file means a miss, never a
  stale story;
- the Tauride version and the size and time of the story package's source
  files, so a changed loader never serves what an older one validated.

The story package never sees this object: a shell makes one
(`StoryCache.default()`) and hands it to `game.story_folder.load_folder`.
A story fetched from it is complete in memory: the whole entry is read and
its signature checked at once, and nothing is read later (each scene's
checked bytes become objects when first asked for, see `_Scenes`).

Trust: pickle data can run code when loaded, so an entry is only unpickled
after its HMAC-SHA256 checks out against a random key kept in the cache
folder, readable by the user alone (files planted or altered by anyone
without that key are ignored). A corrupt, truncated or foreign entry is a
miss and is rewritten; failing to write the cache never fails a load.

Beside each entry, a *title record* (`{key}.title`, signed, JSON): what the
title page draws of the story (`game.story_folder.TitleGlance`), made from
the validated story when its entry is written. A warm start draws its first
frame from it and unpickles the story right after, as a cold start validates
after its glance at story.yaml; a missing or damaged record is a miss.

A second, cheaper way in: a *stat record*, also signed, that maps what
`os.stat` says of every file (device, inode, size, modification and change
times, in nanoseconds) to the content key found for exactly those files, so
an unchanged start need not read and hash them (see `stat_key`). It is only
written for files that were last changed a while before they were read, so
a later edit always changes what `os.stat` says.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import tempfile
import time
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

from .story.gcpause import collection_off
from .story_folder import TitleGlance

if TYPE_CHECKING:  # the model is imported with the first story unpickled: a title drawn from its record needs none
    from .story.model import Scene, Story

FORMAT = b"TAURIDE-STORY-CACHE-4\n"
"""Leads every entry; bump when the layout of an entry changes."""
MAX_ENTRIES = 64
"""Entries kept; older ones are removed when a new one is written (writers make many)."""
_MAC_BYTES = 32
STAT_FORMAT = b"TAURIDE-STAT-2\n"
"""Leads every stat record (see `stat_key`)."""
TITLE_FORMAT = b"TAURIDE-TITLE-1\n"
"""Leads every title record (see `StoryCache.fetch_title`)."""
MAX_TITLE_BYTES = 1 << 20
"""A title record larger than this is not read (a story's title and description are a few lines)."""
SETTLED_NS = 5 * 1_000_000_000
"""A stat record is only written when every file was last changed at least this long before it was
looked at: longer than the coarsest timestamp tick of any file system a story may sit on (FAT's 2 s),
so an edit made after the look always gets a newer time than the one recorded."""
_code_digest: bytes | None = None


def code_digest() -> bytes:
    """A digest of the story package's source files: a changed loader is a different cache.

    Each file counts by name, size and modification time, the test CPython
    itself uses to know a `.pyc` is stale (reading the sources would cost a
    cached start a fifth of its time).
    """
    global _code_digest
    if _code_digest is None:
        from . import __version__

        h = hashlib.sha256(__version__.encode())
        story_package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "story")
        with os.scandir(story_package) as entries:
            for entry in sorted((e for e in entries if e.name.endswith(".py")), key=lambda e: e.name):
                st = entry.stat()
                h.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        _code_digest = h.digest()
    return _code_digest


def story_key(files: Mapping[str, bytes]) -> str:
    """The content key of a story: every file's shown name and bytes, in load order."""
    h = hashlib.sha256(FORMAT + code_digest())
    for name in sorted(files):
        data = files[name]
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def stat_key(paths: Iterable[tuple[str, str]]) -> tuple[str, bool] | None:
    """A key from what `os.stat` says of each (path, shown name), and whether it may be recorded; None if one is unreadable.

    Why it is safe to trust for an unchanged story: writing a file's bytes
    sets its modification and change times to the current time, and the
    change time cannot be set back from user space (`touch -d`, `cp -p` or
    an editor restoring the modification time all set it anew); replacing a
    file by renaming gives it another inode. The one gap is an edit within
    the same timestamp tick as the one before it, which would leave every
    field equal: that is why `settled` is False (and nothing is recorded)
    unless every file was last changed `SETTLED_NS` before now. The stats
    are taken before the files are read, so a record never pairs old stats
    with newer bytes that could be mistaken for the old ones.
    """
    h = hashlib.sha256(STAT_FORMAT + FORMAT + code_digest())
    newest = 0
    for path, name in paths:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        h.update(path.encode("utf-8", "surrogateescape") + b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(f"{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0".encode())
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return h.hexdigest(), newest <= time.time_ns() - SETTLED_NS


class StoryCache:
    """Validated stories in a folder of signed pickles; see the module's docstring."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        """Where the entries, the stat records and the signing key live."""

    @classmethod
    def default(cls) -> StoryCache | None:
        """The user's cache: `$TAURIDE_CACHE_DIR`, else the platform's cache folder; None if `TAURIDE_NO_CACHE=1`."""
        if os.environ.get("TAURIDE_NO_CACHE", "") not in ("", "0"):
            return None
        from .folders import cache_dir

        return cls(cache_dir())

    def fetch(self, key: str) -> Story | None:
        """The cached story for `key`, or None (missing, corrupt, tampered with, or unreadable)."""
        try:
            secret = self._secret(create=False)
            if secret is None:
                return None
            blob = _read(self.folder / f"{key}.story")
        except OSError:
            return None
        head = len(FORMAT) + _MAC_BYTES
        if not blob.startswith(FORMAT) or len(blob) < head:
            return None
        body = memoryview(blob)[head:]
        if not hmac.compare_digest(blob[len(FORMAT):head], _mac(secret, key.encode(), body)):
            return None
        from .story.model import Story  # only for an entry to unpickle: a miss imports no model

        try:
            with collection_off():  # unpickling makes many objects and no cycles
                state, scenes = pickle.loads(body)
                story = Story.__new__(Story)
                story.__setstate__(state)
                object.__setattr__(story, "scenes", MappingProxyType(_Scenes(scenes)))
        except Exception:  # an authentic entry that no longer unpickles: a miss, never a failed load
            return None
        return story

    def fetch_by_stat(self, skey: str) -> Story | None:
        """The cached story recorded for `skey` (see `stat_key`), if its record is there and signed by us."""
        key = self.key_by_stat(skey)
        return self.fetch(key) if key is not None else None

    def key_by_stat(self, skey: str) -> str | None:
        """The content key recorded for `skey` (see `stat_key`), if its record is there and signed by us."""
        try:
            secret = self._secret(create=False)
            if secret is None:
                return None
            blob = _read(self.folder / f"{skey}.stat", len(STAT_FORMAT) + _MAC_BYTES + 65)
        except OSError:
            return None
        head = len(STAT_FORMAT) + _MAC_BYTES
        key = blob[head:]
        if len(key) != 64 or not blob.startswith(STAT_FORMAT):
            return None
        if not hmac.compare_digest(blob[len(STAT_FORMAT):head], _mac(secret, b"stat", skey.encode(), key)):
            return None
        return key.decode("ascii", "replace")

    def fetch_title(self, key: str) -> TitleGlance | None:
        """The title record beside the entry for `key`, or None (missing, damaged, tampered with, or unreadable).

        Read with json alone: no YAML, no model classes, nothing unpickled.
        """
        import json

        try:
            secret = self._secret(create=False)
            if secret is None:
                return None
            blob = _read(self.folder / f"{key}.title", len(TITLE_FORMAT) + _MAC_BYTES + MAX_TITLE_BYTES + 1)
        except OSError:
            return None
        head = len(TITLE_FORMAT) + _MAC_BYTES
        body = blob[head:]
        if not blob.startswith(TITLE_FORMAT) or len(blob) < head or len(body) > MAX_TITLE_BYTES:
            return None
        if not hmac.compare_digest(blob[len(TITLE_FORMAT):head], _mac(secret, b"title", key.encode(), body)):
            return None
        try:
            return TitleGlance.from_record(json.loads(body))
        except ValueError:  # not JSON (or not UTF-8): a miss
            return None

    def remember_stat(self, skey: str, key: str) -> None:
        """Record that the files whose stats give `skey` hold the story cached under `key`."""
        try:
            secret = self._secret(create=False)
            if secret is None:
                return
            data = key.encode("ascii")
            _write(self.folder, f"{skey}.stat", STAT_FORMAT + _mac(secret, b"stat", skey.encode(), data) + data)
            _prune(self.folder, "*.stat", 4 * MAX_ENTRIES)
        except (OSError, UnicodeEncodeError):
            return

    def store(self, key: str, story: Story) -> None:
        """Write the entry for `key`; any failure leaves the cache as it was."""
        try:
            secret = self._secret(create=True)
            if secret is None:
                return
            state = story.__getstate__()
            scenes = {sid: pickle.dumps(scene, protocol=pickle.HIGHEST_PROTOCOL)
                      for sid, scene in state.pop("scenes").items()}
            _write_signed(self.folder, f"{key}.story", FORMAT, secret, key.encode(), (state, scenes))
            _prune(self.folder, "*.story", MAX_ENTRIES)
            self._store_title(secret, key, TitleGlance.of(story))
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError, UnicodeEncodeError):
            return

    def _store_title(self, secret: bytes, key: str, glance: TitleGlance) -> None:
        """Write the title record for `key` (see `fetch_title`); written after the entry, so never without one."""
        import json

        body = json.dumps(glance.record(), ensure_ascii=False, separators=(",", ":")).encode()
        if len(body) <= MAX_TITLE_BYTES:
            _write(self.folder, f"{key}.title", TITLE_FORMAT, _mac(secret, b"title", key.encode(), body), body)
            _prune(self.folder, "*.title", MAX_ENTRIES)

    def _secret(self, create: bool) -> bytes | None:
        """The cache's HMAC key; None when it is missing (and not to be made) or not private to this user."""
        path = self.folder / "key"
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            if not create:
                return None
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            secret = os.urandom(32)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except FileExistsError:  # another process made it first: use theirs
                return self._secret(create=False)
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


class _Scenes(Mapping[str, "Scene"]):
    """A cached story's scenes: every one in memory, checked, and each unpickled when first asked for.

    The whole entry was read and its signature checked before this exists, so
    asking for a scene reads no file and cannot meet damaged bytes: it only
    turns checked bytes into objects, which a start need not do for scenes
    it does not show.
    """

    def __init__(self, pickled: dict[str, bytes]):
        self._pickled = pickled
        self._scenes: dict[str, Scene] = {}

    def __getitem__(self, scene_id: str) -> Scene:
        scene = self._scenes.get(scene_id)
        if scene is None:
            scene = self._scenes[scene_id] = pickle.loads(self._pickled[scene_id])
        return scene

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._pickled

    def __iter__(self) -> Iterator[str]:
        return iter(self._pickled)

    def __len__(self) -> int:
        return len(self._pickled)


def _write(folder: Path, name: str, *parts: bytes) -> None:
    """Write a file atomically: readers see the old one or the whole new one.

    The file is given in parts, written one after the other, so a large entry is never copied
    into one string first."""
    fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            for part in parts:
                fh.write(part)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_signed(folder: Path, name: str, head: bytes, secret: bytes, key: bytes, value: object) -> None:
    """Write `head`, the MAC and `value` pickled, atomically, as `fetch` reads them.

    The pickle goes straight to the file (the pickler writes each frame as it fills), and
    the MAC — `_mac(secret, key, body)` — is worked out by reading the body back in chunks,
    then written in the place kept for it: a large story's entry (megabytes) is never held
    whole in memory beside the scenes it is made of."""
    fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=folder)
    try:
        with os.fdopen(fd, "w+b") as fh:
            fh.write(head + bytes(_MAC_BYTES))
            start = fh.tell()
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            size = fh.tell() - start
            fh.seek(start)
            h = hmac.new(secret, digestmod="sha256")
            for part_head in (len(key).to_bytes(8, "big"), key, size.to_bytes(8, "big")):
                h.update(part_head)
            chunk = bytearray(1 << 16)
            while got := fh.readinto(chunk):
                h.update(memoryview(chunk)[:got])
            fh.seek(len(head))
            fh.write(h.digest())
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read(path: Path, most: int | None = None) -> bytes:
    """A file's bytes (at most `most`), read with bare system calls (cheaper than `open`)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if most is not None:
            return os.read(fd, most)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _mac(secret: bytes, *parts: bytes | memoryview) -> bytes:
    """HMAC-SHA256 over the parts, each prefixed by its length; a large part is hashed in place, never copied."""
    h = hmac.new(secret, digestmod="sha256")
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.digest()


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
