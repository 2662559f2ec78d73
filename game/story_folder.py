"""A story folder on disk, read into the pure loader: the I/O edge of `game.story`.

`load_story` (in `game.story`) takes file contents and reads nothing. This
module does the reading every shell needs: it lists a folder's YAML files,
reads their bytes (capped, so a huge file is refused, not parsed), names
them as problems should show them (relative to the working folder when
inside it), and asks the story cache the shell passed in before validating.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .story.problems import NoSuchChair, Problem, StoryError
from .story.schema_light import MAX_FILE_BYTES

if TYPE_CHECKING:
    from .story.model import Story
    from .story_cache import StoryCache

MANIFEST = "story.yaml"
"""The one file every story folder has (the loader reads it first)."""


CHAIR_MANIFEST = "chair.yaml"
"""What makes a subfolder of a story folder a chair (see docs/authoring.md, "Chairs")."""


def _yaml_names(folder: str) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith("."))


def chair_folders(folder: str) -> list[str]:
    """The names of the subfolders holding a chair.yaml: the story's other chairs, by name."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [n for n in names if not n.startswith(".") and os.path.isfile(os.path.join(folder, n, CHAIR_MANIFEST))]


def passed_over(folder: str) -> list[Problem]:
    """Warnings for files in a story folder that look like story files but are not read, so a writer does not
    wonder why a scene never appears: a name ending in '.YAML' (story files end in .yaml or .yml, in small
    letters), and a subfolder of YAML files without a chair.yaml (a subfolder is read only as a chair)."""
    from .story.problems import Severity

    out: list[Problem] = []
    chairs = set(chair_folders(folder))
    for where in [folder] + [os.path.join(folder, c) for c in sorted(chairs)]:
        try:
            names = sorted(os.listdir(where))
        except OSError:
            continue
        for name in names:
            path = os.path.join(where, name)
            if name.startswith("."):
                continue
            if name.lower().endswith((".yaml", ".yml")) and not name.endswith((".yaml", ".yml")):
                out.append(Problem(shown_name(path), 0, 0, "not read: a story file's name ends in .yaml or .yml, "
                                                            "in small letters", Severity.WARNING))
            elif where == folder and name not in chairs and os.path.isdir(path) and _has_yaml(path):
                out.append(Problem(shown_name(path), 0, 0, "not read: a subfolder is read only as a chair, with "
                                                            f"a {CHAIR_MANIFEST} (see docs/authoring.md, \"Chairs\")",
                                   Severity.WARNING))
    return out


def _has_yaml(folder: str) -> bool:
    try:
        return any(n.lower().endswith((".yaml", ".yml")) for n in os.listdir(folder))
    except OSError:
        return False


def story_files(folder: str) -> list[str]:
    """The YAML files of a story folder, story.yaml first, the rest by name; then each chair folder's.

    Every chair's files are read whichever chair is played, so that one
    story's files (and the cache's key) are the same for all its chairs.
    """
    names = _yaml_names(folder)
    if MANIFEST in names:
        names.remove(MANIFEST)
        names.insert(0, MANIFEST)
    paths = [os.path.join(folder, n) for n in names]
    for sub in chair_folders(folder):
        paths += [os.path.join(folder, sub, n) for n in _yaml_names(os.path.join(folder, sub))]
    return paths


def shown_name(path: str) -> str:
    """How a file is named in problems: relative to the working folder when inside it, else as given."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def read_capped(path: str) -> bytes:
    """A file's bytes, at most MAX_FILE_BYTES + 1 of them (one more than allowed tells "too large").

    Asking the OS for `MAX_FILE_BYTES + 1` bytes up front would allocate
    (and fault in) an 8 MiB buffer per file and shrink it after: on a
    cached start that was a quarter of its time. The file's size comes first;
    a file that grew since is read on to the cap.
    """
    # Not blocking: opening a named pipe called `x.yaml` would wait for a writer (a check, or a game
    # under --watch, hung until someone wrote into it). Only a regular file is a story file.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "it is not a plain file (a pipe, a device or a socket); "
                                        "a story file must be a plain file")
        size = info.st_size
        data = os.read(fd, min(size, MAX_FILE_BYTES) + 1)
        while len(data) <= MAX_FILE_BYTES:
            more = os.read(fd, MAX_FILE_BYTES + 1 - len(data))
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)


def read_story_files(folder: str) -> tuple[dict[str, bytes], list[Problem]]:
    """Every story file's bytes by shown name, and a problem for each file that could not be read.

    Raises StoryError when the folder itself is missing or unreadable.
    """
    try:
        paths = story_files(folder)
    except OSError:
        raise StoryError([Problem(folder, 0, 0, "no such story folder")]) from None
    files: dict[str, bytes] = {}
    unread: list[Problem] = []
    for path in paths:
        name = shown_name(path)
        try:
            files[name] = read_capped(path)
        except OSError as exc:
            unread.append(Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}"))
    return files, unread


def chair_ids(folder: str) -> list[str]:
    """The chairs of the story in `folder`, its own first: [] for a story with one point of view."""
    return [c.id for c in load_folder(folder).chairs]


_HELD: dict[str, Story] = {}
"""Stories kept in memory by `hold`, by the stat key of their files (the cache's own key)."""


def hold(folder: str, cache: StoryCache | None, *, chair: str | None = None) -> Story:
    """Load the story through `cache` and keep it in this process, every scene read in.

    For the classroom's fork server (`game.classroom.zygote`): its children
    then share the story's pages instead of each reading the cache again.
    A later `load_folder` of the same, unchanged files returns this object;
    once a file changes its stat key does too and the folder is read anew.
    Kept only when the files have settled (the cache's own rule, see
    `story_cache.stat_key`), so an edit within the same clock tick is never
    mistaken for the held story.
    """
    story = load_folder(folder, cache, chair=chair)
    paths = story_files(folder)
    from .story_cache import stat_key

    key = stat_key((p, f"{shown_name(p)}\0{chair or ''}") for p in paths) if paths else None
    if key is not None and key[1]:
        for _ in story.scenes.values():  # a cached story's scenes are unpickled when first read: read them now
            pass
        _HELD[key[0]] = story
    return story


@dataclass(frozen=True)
class TitleGlance:
    """What a title page shows of a story, read from its story.yaml without validating the story.

    A start whose story is not in the cache draws its title from this, then
    validates the whole folder before it handles any key (see
    `game.tui.app.TaurideApp`): validating takes longer than starting Textual,
    and the title needs none of it. The validated story replaces the glance;
    a story with errors is never played, and its problems are shown as on
    any other start.
    """

    title: str
    description: str | None
    chapters: int
    """How many chapters story.yaml lists (the menu's "Start at a chapter")."""
    chair: str | None = None
    """The title of the chair played, for the title's "Chair:" line: known from a validated story's
    record (see `of`), not from a glance at story.yaml (the chair line then follows the validation)."""
    chairs: int = 0
    """How many chairs the story's folder holds (the menu's "Change chair"); 0 from a glance at story.yaml."""

    @classmethod
    def of(cls, story: Story) -> TitleGlance:
        """What the title page draws of a validated story: the story cache's title record of it."""
        chair = next((c.title for c in story.chairs if c.id == story.chair), None)
        return cls(story.title, story.description, len(story.chapters), chair, len(story.chairs))

    def record(self) -> dict[str, object]:
        """This glance as JSON-ready data (the story cache's title record; see `from_record`)."""
        return {"title": self.title, "description": self.description, "chapters": self.chapters, "chair": self.chair,
                "chairs": self.chairs}

    @classmethod
    def from_record(cls, data: object) -> TitleGlance | None:
        """The glance `record` made, or None when `data` does not have exactly its shape."""
        if not isinstance(data, dict) or set(data) != {"title", "description", "chapters", "chair", "chairs"}:
            return None
        title, description, chapters, chair, chairs = (data[k] for k in ("title", "description", "chapters", "chair",
                                                                        "chairs"))
        if not (isinstance(title, str) and (description is None or isinstance(description, str))
                and type(chapters) is int and chapters >= 0 and (chair is None or isinstance(chair, str))
                and type(chairs) is int and chairs >= 0):
            return None
        return cls(title, description, chapters, chair, chairs)


@dataclass(frozen=True)
class PendingStory:
    """A story whose title is drawn from its glance while the story itself is loaded after the first frame.

    Loaded means validated (a cold start, its glance read from story.yaml) or unpickled from the
    cache (a warm start, its glance from the cache's title record, see `title_from_cache`).
    """

    glance: TitleGlance
    load: Callable[[], Story]
    """Validates (and caches), or fetches from the cache, the whole story; raises StoryError with every problem found."""


def glance_title(folder: str) -> TitleGlance | None:
    """The title, description and chapter count of story.yaml, or None when they cannot be read plainly.

    Only what the title page draws is read, and only when it has the plain
    shape the format gives it; anything else (no such file, a YAML error, a
    title that is not text) returns None, and the caller validates first.
    """
    import yaml

    try:
        data = read_capped(os.path.join(folder, MANIFEST))
        doc = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if len(data) <= MAX_FILE_BYTES else None
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(doc, dict):
        return None
    title, description, chapters = doc.get("title"), doc.get("description"), doc.get("chapters", [])
    if not isinstance(title, str) or not (description is None or isinstance(description, str)):
        return None
    return TitleGlance(title, description, len(chapters) if isinstance(chapters, list) else 0)


def title_from_cache(folder: str, cache: StoryCache, *, chair: str | None = None) -> TitleGlance | None:
    """The title record the cache keeps beside the story in `folder` for exactly these files, else None.

    Found by the files' stats when their record is there (nothing read), else by their bytes; either
    way the key is the story's own, so a record is never that of another version of the files.
    """
    if not os.path.isdir(folder):
        return None
    try:
        paths = story_files(folder)
    except OSError:
        return None
    if not paths:
        return None
    from .story_cache import stat_key, story_key

    by_stat = stat_key((p, f"{shown_name(p)}\0{chair or ''}") for p in paths)
    key = cache.key_by_stat(by_stat[0]) if by_stat is not None else None
    if key is None:
        files, unread = read_story_files(folder)
        if unread or not files:
            return None
        key = story_key({**files, "\0chair": (chair or "").encode()})
    return cache.fetch_title(key)


def from_cache(folder: str, cache: StoryCache, *, chair: str | None = None) -> Story | None:
    """The story in `folder` if the cache holds it for exactly these files (see `load_folder`), else None."""
    return _cached(folder, cache, chair)[0]


def _cached(folder: str, cache: StoryCache | None, chair: str | None
            ) -> tuple[Story | None, tuple[str, bool] | None, dict[str, bytes] | None, list[Problem], str | None]:
    """A cache lookup: the story found (or None), the stat key, and the files read on the way with their key."""
    by_stat: tuple[str, bool] | None = None
    if cache is not None and os.path.isdir(folder):
        try:
            paths = story_files(folder)
        except OSError:
            paths = []
        from .story_cache import stat_key, story_key

        by_stat = stat_key((p, f"{shown_name(p)}\0{chair or ''}") for p in paths) if paths else None
        if by_stat is not None and (held := _HELD.get(by_stat[0])) is not None:
            return held, by_stat, None, [], None
        if by_stat is not None and (cached := cache.fetch_by_stat(by_stat[0])) is not None:
            return cached, by_stat, None, [], None
        files, unread = read_story_files(folder)
        if not unread and files:
            key = story_key({**files, "\0chair": (chair or "").encode()})
            cached = cache.fetch(key)
            if cached is not None:
                if by_stat is not None and by_stat[1]:
                    cache.remember_stat(by_stat[0], key)
                return cached, by_stat, files, unread, key
            return None, by_stat, files, unread, key
        return None, by_stat, files, unread, None
    return None, None, None, [], None


def load_folder(folder: str, cache: StoryCache | None = None, *, chair: str | None = None) -> Story:
    """Read, validate and return the story in `folder`; raises StoryError with every problem found.

    With a `cache` (a shell's `StoryCache`), an unchanged story comes from it:
    first by the files' stats (nothing read), then by their bytes; a
    validated miss is stored for next time. Without one, the files are
    always validated.
    """
    cached, by_stat, files, unread, key = _cached(folder, cache, chair)
    if cached is not None:
        return cached
    if files is None:
        files, unread = read_story_files(folder)
    from .story.loader import load_story  # only now: a start from the cache never imports the validator

    try:
        story = load_story(files, folder=shown_name(folder), chair=chair)
    except NoSuchChair:
        raise  # a wrong --chair, not a fault in the files: said as such (`locate.explain`)
    except StoryError as err:
        raise StoryError(unread + list(err.problems)) from None
    if unread:
        raise StoryError(unread + list(story.warnings))
    if cache is not None and key is not None:
        cache.store(key, story)
        if by_stat is not None and by_stat[1]:
            cache.remember_stat(by_stat[0], key)
    return story
