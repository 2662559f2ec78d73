"""History checks (`tauride validate --history`, on with `--strict`).

A historical story makes claims, so the tools hold it to them:

1. every decision point (a scene with two or more choices) has a history
   note that cites at least one source, every source cited resolves (in
   the `sources:` list and inline as `(KEY)` or `[KEY]`), and no source is
   only a web address;
2. every glossary term used in text exists: a word that is a near miss of a
   glossary `match` word ("Chkeidze" for "Chkheidze") is reported, and so is
   a `match` word no text ever uses (a misspelling on the glossary's side);
3. story times never run backwards along any path: a scene with a `time` is
   never reached after a scene with a later `time`;
4. a scene marked `invention: true` says so in its note's own words.

Pure: a `Story` in, `Problem`s out, each at file:line:col. Positions finer
than a scene's (the `time:` or `history:` key) come from re-reading the
scene files with `yamlsrc`, which is cheap next to loading.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import deque
from functools import cached_property
from typing import Any, Iterator, Sequence

from ..story.model import Scene, SourcePos, Story, format_clock
from ..story.problems import Problem
from ..story.yamlsrc import SourceFile, read_yaml
from ..story_folder import read_story_files

INVENTION_WORDS = re.compile(r"invent|fiction|imagin|made up|composite|counterfactual|hypothetical|no record|"
                             r"not in the sources|did not happen|never happened", re.IGNORECASE)
"""Words by which a note owns up to invention."""
_OWN_HEADING = re.compile(r"\W*invented scene\b", re.IGNORECASE)
"""An invented scene's note opening with the heading the game gives it (`views.notes.make_note`)."""
_CITE_GROUP = re.compile(r"[(\[]([^()\[\]]{1,80})[)\]](?!\()")
_KEY_LIKE = re.compile(r"^[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*$")
_URL_ONLY = re.compile(r"^\s*<?(https?://|www\.)\S*>?\s*$", re.IGNORECASE)
_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*\w|[A-ZÀ-ÖØ-Þ]\w*")
NEAR_MISS = 0.84
"""How alike a word must be to a glossary word to be taken for a misspelling of it."""
_INFLECTION = re.compile(r"(?:'s|’s|s|es|e|a|ist|ists|ism|ian|ians|an|ans)$")


def _stem(word: str) -> str:
    """A word without a common ending: 'Ministers' and 'Minister', 'Internationale' and
    'Internationalist' are different words, not one misspelt."""
    return _INFLECTION.sub("", word)


class _Places:
    """Positions inside the story's files, read on demand."""

    def __init__(self, story: Story):
        self.story = story
        self.files: dict[str, SourceFile] = {}

    @cached_property
    def _sources(self) -> list[SourceFile]:
        out: list[SourceFile] = []
        if self.story.root and os.path.isdir(self.story.root):
            files, _ = read_story_files(self.story.root)
            out.extend(read_yaml(name, data) for name, data in files.items())
        return out

    def _find(self, key: str, item_id: str) -> tuple[SourceFile, int] | None:
        for src in self._sources:
            items = src.data.get(key) if isinstance(src.data, dict) else None
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, dict) and item.get("id") == item_id:
                        return src, i
        return None

    def scene(self, scene: Scene, *loc: Any) -> tuple[str, int, int]:
        found = self._find("scenes", scene.id)
        if found is None:
            pos = scene.pos or SourcePos(self.story.root, 0, 0)
            return pos.file, pos.line, pos.col
        src, i = found
        line, col = src.where(("scenes", i) + loc)
        return src.path, line, col

    def glossary(self, entry_id: str, *loc: Any) -> tuple[str, int, int]:
        found = self._find("glossary", entry_id)
        if found is None:
            return os.path.join(self.story.root, "story.yaml"), 0, 0
        src, i = found
        line, col = src.where(("glossary", i) + loc)
        return src.path, line, col

    def chapter(self, number: int) -> tuple[str, int, int]:
        for src in self._sources:
            chapters = src.data.get("chapters") if isinstance(src.data, dict) else None
            if isinstance(chapters, list) and len(chapters) >= number:
                line, col = src.where(("chapters", number - 1, "start"))
                return src.path, line, col
        return os.path.join(self.story.root, "story.yaml"), 0, 0

    def source(self, key: str) -> tuple[str, int, int]:
        for src in self._sources:
            if isinstance(src.data, dict) and isinstance(src.data.get("sources"), dict) and key in src.data["sources"]:
                line, col = src.where(("sources", key))
                return src.path, line, col
        return os.path.join(self.story.root, "story.yaml"), 0, 0


def check_history(story: Story, others: Sequence[Story] = ()) -> list[Problem]:
    """Every history problem in the story, sorted by place.

    `others` are the story's other chairs (the same folder's): a shared
    glossary entry counts as used when any chair's text uses it."""
    places = _Places(story)
    problems: list[Problem] = []
    problems += _decision_notes(story, places)
    problems += _web_sources(story, places)
    problems += _glossary_words(story, places, others)
    problems += _clock_order(story, places)
    problems += _inventions(story, places)
    problems += _chapters(story, places)
    return sorted(set(problems))


def _chapters(story: Story, places: _Places) -> Iterator[Problem]:
    """A chapter must start on the historical path: its starting state is that path's state there."""
    from ..views.chapters import ChapterError, chapter_state

    for c in story.chapters:
        try:
            chapter_state(story, c.number)
        except ChapterError as err:
            yield _p(places.chapter(c.number), str(err))


def _p(where: tuple[str, int, int], message: str) -> Problem:
    return Problem(where[0], where[1], where[2], message)


# ------------------------------------------------------------------ 1. notes and sources
def _decision_notes(story: Story, places: _Places) -> Iterator[Problem]:
    for scene in story.scenes.values():
        h = scene.history
        if len(scene.choices) >= 2:
            if h is None:
                yield _p(places.scene(scene), f"scene '{scene.id}' is a decision point ({len(scene.choices)} choices) "
                         "but has no history note; add 'history: {note: what really happened, sources: [KEY]}'")
                continue
            if not h.note.strip():
                yield _p(places.scene(scene, "history", "note"),
                         f"the history note of decision point '{scene.id}' is empty; say what really happened here")
            if not h.sources:
                yield _p(places.scene(scene, "history"),
                         f"the history note of decision point '{scene.id}' cites no source; add 'sources: [KEY]' "
                         f"with keys from story.yaml's sources ({_keys(story)})")
        if h is not None:
            yield from _inline_citations(story, places, scene, h.note, ("history", "note"))
        if scene.ending is not None:
            yield from _inline_citations(story, places, scene, scene.ending.history, ("ending", "history"))


def _keys(story: Story) -> str:
    keys = list(story.sources)
    return ", ".join(keys[:6]) + (" …" if len(keys) > 6 else "") if keys else "there are none yet"


def _inline_citations(story: Story, places: _Places, scene: Scene, text: str, loc: tuple[str, ...]) -> Iterator[Problem]:
    """`(KEY)` / `[KEY, p. 3]` in a note must name a source; only key-like words in such a group are read."""
    for m in _CITE_GROUP.finditer(text):
        tokens = [t.strip().split(" ")[0].rstrip(",.;:") for t in re.split(r"[;,]", m.group(1))]
        tokens = [t for t in tokens if t]
        if not any(t in story.sources for t in tokens) and not any(
                _KEY_LIKE.match(t) and difflib.get_close_matches(t, story.sources, 1, 0.6) for t in tokens):
            continue  # not a citation, e.g. "(p. 296)" or "(VTsIK)"
        for t in tokens:
            if _KEY_LIKE.match(t) and t not in story.sources:
                close = difflib.get_close_matches(t, list(story.sources), 1, 0.6)
                hint = f" Did you mean '{close[0]}'?" if close else f" The keys are: {_keys(story)}."
                yield _p(places.scene(scene, *loc), f"the note of scene '{scene.id}' cites '{t}', "
                         f"which is not in story.yaml's sources.{hint}")


def _web_sources(story: Story, places: _Places) -> Iterator[Problem]:
    for key, citation in story.sources.items():
        if _URL_ONLY.match(citation):
            yield _p(places.source(key), f"source '{key}' is only a web address; cite the book or article itself "
                     "(author, *title*, place, year, pages)")


# ------------------------------------------------------------------ 2. glossary words
def _texts(story: Story) -> Iterator[tuple[Scene | None, str]]:
    for scene in story.scenes.values():
        yield scene, scene.text_source
        yield scene, scene.title
        for c in scene.choices:
            yield scene, c.text_source
        if scene.ending is not None:
            yield scene, scene.ending.epilogue
        if scene.history is not None:
            yield scene, scene.history.note
    for h in story.hours:
        if h.summary:
            yield None, h.summary
    for g in story.glossary.values():
        yield None, g.text


def _glossary_words(story: Story, places: _Places, others: Sequence[Story] = ()) -> Iterator[Problem]:
    from ..views.terms import TermFinder, _pattern

    if not story.glossary:
        return
    finder = TermFinder(story.glossary)
    used: set[str] = {s.place for s in story.scenes.values() if s.place}
    words_used: set[str] = set()
    single: dict[str, str] = {}  # match word of one token -> entry id
    for g in story.glossary.values():
        for w in (g.term, *g.match):
            for token in re.findall(r"[\w'’-]+", w):
                token = token.strip("'’-")
                if token[:1].isupper() and len(token) >= 5:
                    single.setdefault(token, g.id)
    known_tokens = set(single)
    reported: set[tuple[str, str]] = set()
    texts = list(_texts(story))
    elsewhere = [text for other in others for _, text in _texts(other)]
    for text in elsewhere:
        words_used.update(" ".join(span.text.split()).lower() for span in finder.find(text))
    for scene, text in texts:
        spans = finder.for_scene(scene).find(text)
        for span in spans:
            used.add(span.entry)
            words_used.add(" ".join(span.text.split()).lower())
        if scene is None:
            continue
        covered = [(s.start, s.end) for s in spans]
        for m in _WORD.finditer(text):
            word = m.group().rstrip("'’")
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            if len(word) < 5 or word in known_tokens or any(a <= m.start() < b for a, b in covered):
                continue
            close = difflib.get_close_matches(word, known_tokens, 1, NEAR_MISS)
            if close and _stem(word) != _stem(close[0]) and not close[0].startswith(word) \
                    and not word.startswith(close[0]) and (scene.id, word) not in reported:
                reported.add((scene.id, word))
                entry = story.glossary[single[close[0]]]
                yield _p(places.scene(scene), f"scene '{scene.id}' mentions '{word}', which is not in the glossary; "
                         f"did you mean '{close[0]}' (entry '{entry.id}')? If '{word}' is right, add it to that "
                         "entry's match words or give it an entry of its own")
    for g in story.glossary.values():
        for w in g.match:
            key = " ".join(w.split()).lower()
            if key in words_used:
                continue
            pattern = re.compile(_pattern(w))
            if not any(pattern.search(text) for text in [t for _, t in texts] + elsewhere):
                yield _p(places.glossary(g.id, "match"), f"glossary entry '{g.id}' matches '{w}', but no scene, choice "
                         "or note uses that word; check its spelling against the text, or drop it")


# ------------------------------------------------------------------ 3. the clock
def _clock_order(story: Story, places: _Places) -> Iterator[Problem]:
    """Forward dataflow: the latest `time` met on some path before each scene, with where it came from."""
    latest: dict[str, int] = {}
    came: dict[str, str] = {}  # scene -> the predecessor that brought `latest`
    queue = deque([story.start])
    latest[story.start] = -1
    for e in story.events:  # events can send play to their scene from anywhere, once their time has come
        target = story.scenes[e.goto]
        at = e.at if e.at is not None and (target.time is None or target.time >= e.at) else -1
        if at > latest.get(e.goto, -2):
            latest[e.goto] = at
            queue.append(e.goto)
    edges = {sid: [c.goto for c in s.choices if not c.goes_back] for sid, s in story.scenes.items()}
    while queue:
        sid = queue.popleft()
        scene = story.scenes[sid]
        out = max(latest[sid], scene.time if scene.time is not None else -1)
        for nxt in edges[sid]:
            if out > latest.get(nxt, -2):
                latest[nxt] = out
                came[nxt] = sid
                queue.append(nxt)
    for e in story.events:  # an event can only fire once its time has come
        target = story.scenes[e.goto]
        if e.at is not None and target.time is not None and target.time < e.at:
            yield _p(places.scene(target, "time"), f"the clock would run backwards: event '{e.id}' fires at "
                     f"{format_clock(e.at)} or later and goes to '{target.id}', which is set at {format_clock(target.time)}")
    for sid, before in latest.items():
        scene = story.scenes[sid]
        if scene.time is None or before <= scene.time:
            continue
        chain = [sid]
        cur = sid
        while cur in came and len(chain) < 50:
            cur = came[cur]
            chain.append(cur)
            t = story.scenes[cur].time
            if t is not None and t == before:
                break
        shown = " → ".join(
            f"'{c}' ({format_clock(story.scenes[c].time)})" if story.scenes[c].time is not None else f"'{c}'"  # type: ignore[arg-type]
            for c in reversed(chain))
        yield _p(places.scene(scene, "time"), f"the clock would run backwards along {shown}: "
                 f"'{sid}' is set at {format_clock(scene.time)}, after a scene at {format_clock(before)}")


# ------------------------------------------------------------------ 4. inventions
def _inventions(story: Story, places: _Places) -> Iterator[Problem]:
    for scene in story.scenes.values():
        h = scene.history
        if h is not None and h.invention and not INVENTION_WORDS.search(h.note):
            yield _p(places.scene(scene, "history", "note"),
                     f"scene '{scene.id}' is marked 'invention: true', but its note does not say so; "
                     "tell the reader in the note, e.g. 'Invented: …'")
        elif h is not None and h.invention and _OWN_HEADING.match(h.note):
            yield _p(places.scene(scene, "history", "note"),
                     f"scene '{scene.id}': its note begins 'Invented scene', which the game already puts "
                     "before the note of every scene marked 'invention: true' (the reader would meet it "
                     "twice); begin with what is invented, e.g. 'The talk with Kamenev is invented.'")
