"""Load a story from its files' contents: read, check everything, compile, freeze.

`load_story(files)` takes the bytes of every file of a story folder (by the
name each should be shown under) and returns a `Story`, or raises
`StoryError` listing every error in every file with its `file:line:col`.
It is a pure function of its arguments: no file, environment or clock is
read here; `game/story_folder.py` (the I/O edge) reads the folder and keeps
the cache. Warnings (unused variables,
unreachable scenes) ride along on `Story.warnings`. The stages:

1. read each YAML file with positions (`yamlsrc`);
2. check its shape against the format's models (`file_shape`, `shape`, `schema`);
3. gather ids across files and check for duplicates;
4. parse, type-check and compile every expression and template;
5. check references and the story's graph (dead ends, reachability, clock: `graph`).
"""

from __future__ import annotations

import functools
import gc
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import expr as ex
from . import teaching
from . import template as tp
from .file_shape import Parsed, check_file
from .gcpause import collection_off
from .graph import clock_problems, unreachable
from .lazy import CONDITION, EFFECT, EVENT, TEMPLATE, Lazy
from .limits import StoryBudget
from .model import (
    BACK,
    MINUTES_PER_DAY,
    Chair,
    Choice,
    Effect,
    Ending,
    Event,
    GlossaryEntry,
    History,
    Hour,
    Scene,
    SourcePos,
    Story,
    TimelineEntry,
    Variable,
    format_clock,
)
from .problems import NoSuchChair, Problem, Severity, StoryError, did_you_mean
from .schema_light import CHAIR_MANIFEST
from .shape_problems import what as _what

if TYPE_CHECKING:
    from .schema import EventSpec, SceneSpec
    from .yamlsrc import SourceFile

# pydantic, the schema models and PyYAML are imported on the first load that reads files:
# a start that finds the story in the cache (`game/story_cache.py`) never imports this module.


def read_yaml(name: str, text: bytes) -> SourceFile:
    from .yamlsrc import read_yaml as read

    return read(name, text)


_DURATION = re.compile(r"^(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?$")


def parse_time(text: str) -> int:
    """'16:05' -> minutes of the day."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


MAX_COST_MINUTES = 24 * 60
"""The longest cost a choice may have: the clock is a time of day (a longer one wraps round it)."""


@functools.lru_cache(maxsize=256)
def parse_duration(text: str) -> int:
    """'1h30m' -> 90."""
    m = _DURATION.match(text.strip())
    if not m or not (m.group(1) or m.group(2)):
        raise ValueError(f"'{text}' is not a duration such as '10m', '1h' or '1h30m'")
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


class _Env:
    """The checker's view of the story (see `expr.Env`)."""

    def __init__(self, variables: dict[str, Variable], scenes: dict[str, set[str]], clock_start: int,
                 broken: set[str] | None = None):
        self.variables = variables
        self.scenes = scenes
        self.clock_start = clock_start
        self.broken = broken or set()
        """Scenes whose shape is wrong (already reported): any reference to them is let pass."""
        self.history = False
        """The story says `history: true`: its endings owe a history note."""

    def var_type(self, name: str) -> str | None:
        v = self.variables.get(name)
        return v.type if v else None

    def has_ref(self, func: str, ref: str) -> bool:
        scene, _, choice = ref.partition(".")
        if scene in self.broken:
            return True
        if func == "visited":
            return ref in self.scenes
        return scene in self.scenes and choice in self.scenes[scene]

    def names(self) -> list[str]:
        return list(self.variables)

    def time_value(self, minutes_of_day: int) -> int:
        return story_minutes(minutes_of_day, self.clock_start)


def story_minutes(minutes_of_day: int, clock_start: int) -> int:
    """Place a time of day on the story clock: before the start means the next day."""
    return minutes_of_day if minutes_of_day >= clock_start else minutes_of_day + MINUTES_PER_DAY


@dataclass
class _Loader:
    folder: str
    """The folder as it should be named in a problem about the folder itself."""
    files: Mapping[str, bytes]
    chair: str | None = None
    """The chair asked for (`--chair`); None for the folder's own."""
    """Every file's bytes, by the name positions show (see `load_story`)."""
    problems: list[Problem] = field(default_factory=list)
    _memo: dict[tuple[str, str], tuple[Any, list[ex.ExprError]]] = field(default_factory=dict)
    """Compiled expressions and templates by (kind, source text), for this load only."""
    _checked: dict[int, tuple[ex.Node, str | ex.ExprError]] = field(default_factory=dict)
    """Types of template expressions by tree (see `_check_node`), for this load only."""
    budget: StoryBudget = field(default_factory=StoryBudget)
    """What this load has read and checked so far, against the story-wide limits."""

    # ------------------------------------------------------------ helpers
    def error(self, src: SourceFile, loc: tuple[Any, ...], message: str, *, at_key: bool = False) -> None:
        self.problems.append(src.problem(loc, message, at_key=at_key))

    def warn(self, src: SourceFile, loc: tuple[Any, ...], message: str) -> None:
        line, col = src.where(loc)
        self.problems.append(Problem(src.path, line, col, message, Severity.WARNING))

    def expr_error(self, src: SourceFile, loc: tuple[Any, ...], err: ex.ExprError, what: str) -> None:
        line, col = self.offset_pos(src, loc, err.offset)
        self.problems.append(Problem(src.path, line, col, f"{what}: {err.message}"))

    def offset_pos(self, src: SourceFile, loc: tuple[Any, ...], offset: int) -> tuple[int, int]:
        """Position of a character inside a string value (for expression errors)."""
        line, col = src.where(loc)
        style = src.styles.get(tuple(loc))
        if style in ("|", ">"):
            text = src.data_at(loc)
            before = text[:offset] if isinstance(text, str) else ""
            line_no = line + 1 + before.count("\n")
            indent = src.indent_of(line_no)
            return line_no, indent + len(before) - (before.rfind("\n") + 1) + 1
        return line, col + offset + (1 if style in ("'", '"') else 0)

    # ------------------------------------------------------------ stages
    def read(self) -> list[Parsed]:
        names = load_order(self.files)
        if not names or _basename(names[0]) != MANIFEST:
            raise StoryError([Problem(posixpath.join(self.folder, MANIFEST), 0, 0,
                                      "every story folder needs a story.yaml (title, id, start, clock, variables)")])
        root = _dirname(names[0])
        own = [n for n in names if _dirname(n) == root]
        chair_dirs = {_basename(d): d for d in sorted({_dirname(n) for n in names})
                      if d != root and _dirname(d) == root and posixpath.join(d, CHAIR_MANIFEST) in self.files}
        manifest = self._parse(names[0], True)
        own_chair = manifest.spec.chair if manifest.spec is not None else None
        self.chairs = [Chair(own_chair.id, own_chair.title)] if own_chair is not None and chair_dirs else []
        for name, folder in chair_dirs.items():
            self.chairs.append(Chair(name, _chair_title(self.files[posixpath.join(folder, CHAIR_MANIFEST)]) or name))
        self.chair_id = own_chair.id if own_chair is not None and chair_dirs else None
        if self.chair is None or (own_chair is not None and self.chair == own_chair.id):
            return [manifest] + [self._parse(n, False) for n in own[1:]]
        if self.chair not in chair_dirs:
            raise NoSuchChair(names[0], self.chair, [c.id for c in self.chairs])
        # Another chair: its own chair.yaml and scene files, and the story's shared files with the
        # folder's own chair's scenes, events and hours left out.
        self.chair_id = self.chair
        folder = chair_dirs[self.chair]
        chair_name = posixpath.join(folder, CHAIR_MANIFEST)
        chair = self._parse(chair_name, False, chair=True)
        if chair.spec is not None and chair.spec.chair is not None and chair.spec.chair.id != self.chair:
            self.error(chair.src, ("chair", "id"),
                       f"the chair in folder '{self.chair}' must be called '{self.chair}' (the folder's name), "
                       f"not '{chair.spec.chair.id}'")
        if chair.spec is not None and manifest.spec is not None:
            m = manifest.spec
            chair.spec = chair.spec.model_copy(update={"clock": m.clock, "author": m.author, "history": m.history})
        elif chair.spec is not None:
            chair.spec = None  # the story's own manifest is broken: its problems are reported
        shared = [_shared_only(manifest)] + [_shared_only(self._parse(n, False)) for n in own[1:]]
        mine = [self._parse(n, False) for n in names if _dirname(n) == folder and n != chair_name]
        return [chair] + shared + mine

    def _parse(self, name: str, is_manifest: bool, *, chair: bool = False) -> Parsed:
        src = read_yaml(name, self.files[name])
        self.problems.extend(src.problems)
        over = self.budget.add_file(len(src.raw), src.values)
        if over is not None:
            self.problems.append(Problem(src.path, 1, 1, over))
            raise StoryError(self.problems)
        parsed = check_file(src, is_manifest, self.problems, chair=chair)
        # The models hold what later stages need: the data tree goes now, file by file, not at the
        # end of the load (a message that names an item reads it again: `SourceFile.release`).
        src.release()
        return parsed

    def build(self, parsed: list[Parsed]) -> Story | None:
        manifest = parsed[0]
        if manifest.spec is None:
            return None
        m = manifest.spec
        msrc = manifest.src
        clock_start = parse_time(m.clock.start) if m.clock else 0
        clock_end = story_minutes(parse_time(m.clock.end), clock_start) if m.clock else MINUTES_PER_DAY
        if clock_end == clock_start:
            clock_end += MINUTES_PER_DAY

        variables: dict[str, Variable] = {}
        for name, v in m.variables.items():
            loc: tuple[Any, ...] = ("variables", name)
            ok_type = {"int": int, "bool": bool, "str": str}[v.type]
            if type(v.default) is not ok_type:
                self.error(msrc, loc + ("default",), f"variable '{name}' is {v.type}, but its default is {v.default!r}")
            bound = ex.MAX_INT
            if type(v.default) is int and not -bound <= v.default <= bound:
                self.error(msrc, loc + ("default",), f"default {v.default} is beyond ±{bound:,}, the bound of every number in a story")
            if v.range is not None and not all(-bound <= end <= bound for end in v.range):
                self.error(msrc, loc + ("range",), f"range {list(v.range)} reaches beyond ±{bound:,}, the bound of every number in a story")
            elif v.range is not None:
                if v.type != "int":
                    self.error(msrc, loc + ("range",), f"only int variables take a range; '{name}' is {v.type}")
                elif v.range[0] > v.range[1]:
                    self.error(msrc, loc + ("range",), f"range [{v.range[0]}, {v.range[1]}] is empty; give [min, max]")
                elif type(v.default) is int and not v.range[0] <= v.default <= v.range[1]:
                    self.error(msrc, loc + ("default",), f"default {v.default} is outside the range {list(v.range)}")
            if v.clamp and v.range is None:
                self.error(msrc, loc + ("clamp",), f"'clamp' keeps '{name}' inside its range; give it a 'range: [min, max]'")
            variables[name] = Variable(name, v.type, v.default, v.range, v.label, v.shown, v.description, v.clamp)

        # Ids across all files, first occurrence wins; duplicates are errors.
        scene_at: dict[str, tuple[SourceFile, int]] = {}
        sources: dict[str, str] = {}
        glossary: dict[str, GlossaryEntry] = {}
        glossary_at: dict[str, tuple[SourceFile, tuple[Any, ...]]] = {}
        known_scenes: set[str] = set()
        self.broken_glossary: set[str] = set()
        for p in parsed:
            known_scenes |= p.broken_scene_ids
            self.broken_glossary |= p.broken_glossary_ids
            for i, s in p.scenes:
                if s.id in scene_at:
                    first, fi = scene_at[s.id]
                    line = first.where(("scenes", fi))[0]
                    self.error(p.src, ("scenes", i, "id"), f"duplicate scene id '{s.id}' (first defined at {first.path}:{line})")
                elif s.id == BACK:
                    self.error(p.src, ("scenes", i, "id"), f"'{BACK}' is kept for 'goto: {BACK}' (return to the scene the "
                                                            "player came from); give this scene another id")
                else:
                    scene_at[s.id] = (p.src, i)
            for key, cite in (p.spec.sources.items() if p.spec else ()):
                if key in sources:
                    self.error(p.src, ("sources", key), f"source key '{key}' is defined twice", at_key=True)
                sources[key] = cite
            for i, g in p.glossary:
                if g.id in glossary:
                    self.error(p.src, ("glossary", i, "id"), f"duplicate glossary id '{g.id}'")
                    continue
                glossary[g.id] = GlossaryEntry(g.id, g.term, g.kind, g.text.strip(), tuple(g.match), tuple(g.sources), g.invention)
                glossary_at[g.id] = (p.src, ("glossary", i))

        known_scenes |= set(scene_at)
        self.timeline = self.gather_timeline(parsed, sources)
        choice_ids: dict[str, set[str]] = {}
        specs = {(id(p.src), i): spec for p in parsed for i, spec in p.scenes}
        for sid, (src, i) in scene_at.items():
            spec = specs[(id(src), i)]
            ids = set()
            for j, c in enumerate(spec.choices):
                if c.id in ids:
                    self.error(src, ("scenes", i, "choices", j, "id"), f"duplicate choice id '{c.id}' in scene '{sid}'")
                ids.add(c.id)
            choice_ids[sid] = ids
        del specs

        env = _Env(variables, choice_ids, clock_start, known_scenes - set(scene_at))
        env.history = bool(m.history)
        self.used: set[str] = set()
        self.documents = teaching.documents(parsed, self.error)

        for gid, (src, loc) in glossary_at.items():
            self.check_sources(src, loc + ("sources",), glossary[gid].sources, sources)

        scenes: dict[str, Scene] = {}
        hours: list[Hour] = []
        events: list[Event] = []
        event_ids: set[str] = set()
        for p in parsed:
            src = p.src
            hour_id = posixpath.splitext(_basename(src.path))[0]
            hour_scenes = []
            for i, s in p.scenes:
                if scene_at.get(s.id, (None,))[0] is not src or scene_at[s.id][1] != i:
                    if s.id in scene_at:  # a duplicate: reported, and checked all the same (every problem at once)
                        self.scene(src, ("scenes", i), s, hour_id, env, known_scenes, glossary, sources)
                    continue
                scene = self.scene(src, ("scenes", i), s, hour_id, env, known_scenes, glossary, sources)
                scenes[s.id] = scene
                hour_scenes.append(s.id)
            # Each file's scene models go once its scenes are built, so a large story never holds both in full.
            p.scenes = []
            h = p.spec.hour if p.spec else None
            if h or hour_scenes:
                hours.append(Hour(hour_id, src.path, tp.outline(h.title) if h else hour_id, h.summary if h else None,
                                  teaching.prompts(src, ("hour", "discussion"), h.discussion, self.documents,
                                                   self.error) if h else (), tuple(hour_scenes),
                                  self.player_text(src, ("hour", "title"), h.title, env) if h else None))
            for i, e in p.events:
                loc = ("events", i)
                if e.id in event_ids:
                    self.error(src, loc + ("id",), f"duplicate event id '{e.id}'")
                event_ids.add(e.id)
                self.check_target(src, loc + ("goto",), e.goto, known_scenes)
                event = self.event(src, loc, e, env)
                if event and event.at is not None and not clock_start <= event.at <= clock_end:
                    self.error(src, loc + ("at",), f"'at' is outside the story clock ({format_clock(clock_start)} to "
                                                   f"{format_clock(clock_end)}): the event could never fire")
                if event:
                    events.append(event)

        if m.start not in known_scenes and all(p.src.read for p in parsed):
            self.error(msrc, ("start",), f"start scene '{m.start}' is not a scene.{did_you_mean(str(m.start), scene_at)}")

        chapters = teaching.chapters(msrc, m, known_scenes, self.error)
        for src, loc, message in clock_problems(scenes, scene_at, clock_start, clock_end):
            self.error(src, loc, message)
        if any(p.severity is Severity.ERROR for p in self.problems):
            return None

        story = Story(
            id=str(m.id), title=str(m.title), start=str(m.start), clock_start=clock_start, clock_end=clock_end,
            variables=variables, scenes=scenes, events=tuple(events), glossary=glossary, sources=sources,
            hours=tuple(hours), root=self.folder, author=m.author, description=m.description,
            history=bool(m.history),
            content_note=teaching.content_note(m), chapters=chapters, documents=self.documents,
            timeline=tuple(sorted(self.timeline.values(), key=lambda t: (t.time, t.id))),
            chair=self.chair_id, chairs=tuple(self.chairs),
        )
        for src, loc, message in unreachable(story, scene_at):
            self.warn(src, loc, message)
        for name in variables:
            if name not in self.used:
                self.warn(msrc, ("variables", name), f"variable '{name}' is declared but never used")
        return story

    # ------------------------------------------------------------ pieces
    def gather_timeline(self, parsed: list[Parsed], sources: dict[str, str]) -> dict[str, TimelineEntry]:
        """The story's one timeline, from whichever shared file holds it; ids are unique."""
        clock_start = 0
        if parsed[0].spec is not None and parsed[0].spec.clock is not None:
            clock_start = parse_time(parsed[0].spec.clock.start)
        out: dict[str, TimelineEntry] = {}
        for p in parsed:
            for i, t in enumerate(p.spec.timeline if p.spec else ()):
                loc = ("timeline", i)
                if t.id in out:
                    self.error(p.src, loc + ("id",), f"duplicate timeline id '{t.id}'")
                    continue
                self.check_sources(p.src, loc + ("sources",), t.sources, sources)
                out[t.id] = TimelineEntry(t.id, story_minutes(parse_time(t.time), clock_start), t.title,
                                          t.text.strip(), tuple(t.sources))
        return out

    def witness_time(self, src: SourceFile, loc: tuple[Any, ...], s: SceneSpec, clock_start: int) -> int | None:
        """The scene's time: its timeline moment's when it is a witness (a `time` given too must agree)."""
        time = story_minutes(parse_time(s.time), clock_start) if s.time else None
        if s.witness is None:
            return time
        moment = self.timeline.get(s.witness)
        if moment is None:
            self.error(src, loc + ("witness",),
                       f"witness '{s.witness}' is not a moment of the timeline.{did_you_mean(s.witness, self.timeline)}")
            return time
        if s.advance is not None:
            self.error(src, loc + ("advance",), "a witness takes its time from the timeline; drop 'advance'")
        if time is not None and time != moment.time:
            self.error(src, loc + ("time",),
                       f"scene '{s.id}' says {s.time}, but the timeline puts '{s.witness}' at "
                       f"{format_clock(moment.time)}: a moment every chair witnesses has one time; "
                       "drop 'time' or make it agree")
        return moment.time

    def check_sources(self, src: SourceFile, loc: tuple[Any, ...], keys: Iterable[str], sources: dict[str, str]) -> None:
        for k, key in enumerate(keys):
            if key not in sources:
                self.error(src, loc + (k,), f"source key '{key}' is not in story.yaml's sources.{did_you_mean(key, sources)}")

    def check_target(self, src: SourceFile, loc: tuple[Any, ...], target: str, known: set[str]) -> None:
        if target not in known:
            what = _what(loc[:-1], src)
            self.error(src, loc, f"{what} goes to '{target}', which is not a scene.{did_you_mean(target, known)}")

    def _compiled(self, kind: str, text: str, make: Any) -> tuple[Any, list[ex.ExprError]]:
        """Parse, check and compile a source text once per load, however often it is written.

        Stories repeat the same effects and conditions (`resolve += 1`) many
        times; the result depends only on the text and the story's
        declarations, which are fixed for the whole load.
        """
        key = (kind, text)
        hit = self._memo.get(key)
        if hit is None:
            if self.budget.expressions_spent:
                return None, []  # past the story's limit (reported once): checking more would be the cost it bounds
            over = self.budget.add_expression(kind, text)
            if over is not None:
                return None, [ex.ExprError(*over)]
            try:
                hit = make(text)
            except ex.ExprError as err:
                hit = (None, [err])
            self._memo[key] = hit
        return hit

    def _make_condition(self, env: _Env) -> Any:
        def make(text: str) -> tuple[Any, list[ex.ExprError]]:
            node = ex.parse_expr(text)
            t = ex.check(node, env)
            if t != ex.BOOL:
                raise ex.ExprError(f"a condition must be true/false, but this is {'a number' if t == ex.INT else 'text'}", 0)
            self.used.update(ex.names_in(node))
            return Lazy(CONDITION, text, env.clock_start, node), []
        return make

    def _make_effect(self, env: _Env) -> Any:
        def make(text: str) -> tuple[Any, list[ex.ExprError]]:
            try:
                node = ex.parse_assignment(text)
            except ex.ExprError as err:
                if text.count("(") != text.count(")"):
                    raise ex.ExprError(err.message + " (a comma inside [ … ] splits the list in YAML: quote this"
                                       " effect, or write the effects as a block list with '- ')", err.offset) from None
                raise
            ex.check(node, env, effects=True)
            self.used.update(ex.names_in(node))
            return Effect(node.target, node.op, Lazy(EFFECT, text, env.clock_start, node.value), text), []
        return make

    def _make_template(self, env: _Env) -> Any:
        def make(text: str) -> tuple[Any, list[ex.ExprError]]:
            parts = tp.parse_template(text)
            errors = tp.check_template(parts, env, self._check_node)
            if errors:
                return None, errors
            return Lazy(TEMPLATE, text, env.clock_start, parts), []
        return make

    def _check_node(self, node: ex.Node, env: Any) -> str:
        """`expr.check` once per expression tree (parsing shares the tree of equal texts); notes its names as used.

        A name is noted even when its text has an error elsewhere: unused-variable
        warnings are only given for stories without errors.
        """
        hit = self._checked.get(id(node))
        if hit is None:
            try:
                result: str | ex.ExprError = ex.check(node, env)
            except ex.ExprError as err:
                result = err
            self._checked[id(node)] = hit = (node, result)  # the node is kept, so its id stays its own
            self.used.update(ex.names_in(node))
        if isinstance(hit[1], ex.ExprError):
            raise ex.ExprError(hit[1].message, hit[1].offset)
        return hit[1]

    def condition(self, src: SourceFile, loc: tuple[Any, ...], text: str, env: _Env, what: str) -> Any:
        fn, errors = self._compiled("condition", text, self._make_condition(env))
        for err in errors:
            self.expr_error(src, loc, err, what)
        return fn

    def effects(self, src: SourceFile, loc: tuple[Any, ...], items: list[str], env: _Env) -> tuple[Effect, ...]:
        out = []
        for k, text in enumerate(items):
            effect, errors = self._compiled("effect", text, self._make_effect(env))
            for err in errors:
                self.expr_error(src, loc + (k,), err, "effect")
            if effect is not None:
                out.append(effect)
        return tuple(out)

    def template(self, src: SourceFile, loc: tuple[Any, ...], text: str, env: _Env) -> Any:
        fn, errors = self._compiled("template", text, self._make_template(env))
        label = loc[-1] if loc and isinstance(loc[-1], str) else "text"  # 'title', 'epilogue', 'locked'…, as written
        for err in errors:
            self.expr_error(src, loc, err, label)
        return fn

    def player_text(self, src: SourceFile, loc: tuple[Any, ...], text: str | None, env: _Env) -> Any:
        """A text the player reads besides the scene's (a title, an epilogue, a locked reason, a question):
        type-checked like scene text; None when it has no {expressions} (it is shown as written)."""
        if text is None or ("{" not in text and "}" not in text):
            return None
        return self.template(src, loc, text, env)

    def duration(self, src: SourceFile, loc: tuple[Any, ...], text: str | None) -> int:
        if text is None:
            return 0
        try:
            minutes = parse_duration(text)
        except ValueError as err:
            self.error(src, loc, str(err))
            return 0
        if minutes > MAX_COST_MINUTES:
            self.error(src, loc, f"cost '{text}' is more than a day: the story clock is a time of day, and a cost "
                                 "longer than 24 hours would go round it (25h would read as an hour later)")
            return 0
        return minutes

    def scene(self, src: SourceFile, loc: tuple[Any, ...], s: SceneSpec, hour_id: str, env: _Env,
              known: set[str], glossary: dict[str, GlossaryEntry], sources: dict[str, str]) -> Scene:
        if s.place is not None and s.place not in glossary and s.place not in self.broken_glossary:
            self.error(src, loc + ("place",), f"place '{s.place}' is not a glossary id.{did_you_mean(s.place, glossary)}")
        if s.time is not None and s.advance is not None:
            self.error(src, loc + ("advance",), "give either 'time' or 'advance', not both")
        history = None
        if s.history:
            self.check_sources(src, loc + ("history", "sources"), s.history.sources, sources)
            history = History(s.history.note.strip(), tuple(s.history.sources), s.history.invention,
                              teaching.check_documents(src, loc + ("history", "documents"), s.history.documents,
                                                       self.documents, self.error))
        ending = None
        if s.ending:
            self.check_sources(src, loc + ("ending", "sources"), s.ending.sources, sources)
            if s.ending.history is None and env.history:
                self.error(src, loc + ("ending",), f"ending '{s.id}' needs 'history:' (how close it is to what really "
                                                   "happened): this story says `history: true`")
            ending = Ending(tp.outline(s.ending.title), s.ending.epilogue.strip(), (s.ending.history or "").strip(),
                            tuple(s.ending.sources), s.ending.historical,
                            self.player_text(src, loc + ("ending", "title"), s.ending.title, env),
                            self.player_text(src, loc + ("ending", "epilogue"), s.ending.epilogue.strip(), env))
            if s.choices:
                self.error(src, loc + ("choices",), f"scene '{s.id}' is an ending, so it cannot have choices")
        elif not s.choices:
            self.error(src, loc, f"scene '{s.id}' has no choices and is not an ending; add choices or an 'ending:' block")
        choices = []
        for j, c in enumerate(s.choices):
            cl = loc + ("choices", j)
            if c.response is not None and c.goto is not None:
                self.error(src, cl + ("goto",), f"choice '{c.id}' has a 'response', so the player stays in the scene; "
                                                "remove 'goto', or move the response into the scene it goes to")
            elif c.response is None and c.goto is None:
                self.error(src, cl, f"choice '{c.id}' needs 'goto' (a scene, or back) or a 'response' (to stay here)")
            goto = s.id if c.goto is None else c.goto
            if goto != BACK:
                self.check_target(src, cl + ("goto",), goto, known)
            if c.locked is not None and c.selectable_if is None:
                self.error(src, cl + ("locked",), "'locked' gives the reason for 'selectable_if'; add the condition")
            choices.append(Choice(
                id=c.id,
                text=self.template(src, cl + ("text",), c.text, env),
                text_source=c.text,
                goto=goto,
                condition=self.condition(src, cl + ("if",), c.if_, env, "condition") if c.if_ is not None else None,
                condition_source=c.if_,
                selectable=self.condition(src, cl + ("selectable_if",), c.selectable_if, env, "selectable_if")
                if c.selectable_if is not None else None,
                selectable_source=c.selectable_if,
                locked_reason=c.locked,
                effects=self.effects(src, cl + ("effects",), c.effects, env),
                once=c.once,
                cost=self.duration(src, cl + ("cost",), c.cost),
                historical=c.historical,
                reflect=c.reflect,
                pos=_pos(src, cl),
                response=self.template(src, cl + ("response",), c.response, env) if c.response is not None else None,
                response_source=c.response,
                locked_template=self.player_text(src, cl + ("locked",), c.locked, env),
                reflect_template=self.player_text(src, cl + ("reflect",), c.reflect, env),
            ))
        return Scene(
            id=s.id, title=tp.outline(s.title), text=self.template(src, loc + ("text",), s.text, env), text_source=s.text,
            hour=hour_id,
            time=self.witness_time(src, loc, s, env.clock_start), witness=s.witness,
            advance=self.duration(src, loc + ("advance",), s.advance),
            place=s.place, effects=self.effects(src, loc + ("effects",), s.effects, env), history=history,
            discussion=teaching.prompts(src, loc + ("discussion",), s.discussion, self.documents, self.error),
            choices=tuple(choices), ending=ending, pos=_pos(src, loc),
            title_template=self.player_text(src, loc + ("title",), s.title, env),
            terms=self.scene_terms(src, loc + ("terms",), s, glossary),
        )

    def scene_terms(self, src: SourceFile, loc: tuple[Any, ...], s: SceneSpec,
                    glossary: dict[str, GlossaryEntry]) -> tuple[tuple[str, str | None], ...]:
        """A scene's own links (`terms:`): each to a glossary id (or null), each found in the scene's text."""
        out: list[tuple[str, str | None]] = []
        flat = " ".join(s.text.split())
        for words, gid in s.terms.items():
            key = " ".join(words.split())
            if not any(ch.isalnum() for ch in key):
                self.error(src, loc + (words,), f"terms: '{words}' has no letter or digit to find in the text",
                           at_key=True)
                continue
            if gid is not None and gid not in glossary:
                self.error(src, loc + (words,), f"terms: '{words}' links to '{gid}', which is not a glossary id."
                                                 f"{did_you_mean(gid, glossary)}")
                continue
            if key not in flat and (key[:1].upper() + key[1:]) not in flat:
                self.warn(src, loc + (words,), f"terms: '{words}' does not occur in the text of scene '{s.id}'")
            out.append((key, gid))
        return tuple(out)

    def event(self, src: SourceFile, loc: tuple[Any, ...], e: EventSpec, env: _Env) -> Event | None:
        if e.at is None and e.when is None:
            self.error(src, loc, f"event '{e.id}' needs 'at' (a time) or 'when' (a condition)")
            return None
        at = story_minutes(parse_time(e.at), env.clock_start) if e.at else None
        cond = self.condition(src, loc + ("when",), e.when, env, "event condition") if e.when is not None else None
        if e.when and cond is None:
            return None
        fn = Lazy(EVENT, (at, e.when), env.clock_start)
        source = " and ".join(x for x in (f"clock >= {e.at}" if e.at else None, e.when) if x)
        return Event(e.id, e.goto, fn, source, e.once, at, _pos(src, loc))

def _pos(src: SourceFile, loc: tuple[Any, ...]) -> SourcePos:
    line, col = src.where(loc)
    return SourcePos(src.path, line, col)


MANIFEST = "story.yaml"
"""The one file every story folder has: title, variables, start, hours."""


def _basename(name: str) -> str:
    """A file's own name, whichever separator its shown name uses."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _dirname(name: str) -> str:
    """The folder part of a file's shown name ('' for a bare name), whichever separator it uses."""
    path = name.replace("\\", "/")
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _shared_only(p: Parsed) -> Parsed:
    """A file of the folder's own chair as another chair sees it: its glossary, sources, documents
    and timeline, without the own chair's scenes, events, hour or manifest keys."""
    spec = None
    if p.spec is not None:
        spec = p.spec.model_copy(update={"hour": None, "scenes": [], "events": [], "variables": {}, "chapters": [],
                                         "content_note": None, "start": None})
    return Parsed(p.src, spec, [], [], p.glossary, set())


def _chair_title(data: bytes) -> str | None:
    """A chair.yaml's `chair: {title: …}`, read for the list of chairs (its problems are reported when
    that chair is loaded)."""
    import yaml

    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError:
        return None
    chair = doc.get("chair") if isinstance(doc, dict) else None
    title = chair.get("title") if isinstance(chair, dict) else None
    return title if isinstance(title, str) else None


def load_order(names: Iterable[str]) -> list[str]:
    """The order files are read in: story.yaml first, the rest by their own names."""
    return sorted(names, key=lambda n: (_basename(n) != MANIFEST, _basename(n), n))


def load_story(files: Mapping[str, bytes], *, folder: str = ".", chair: str | None = None) -> Story:
    """Validate a story given every file's bytes; raises StoryError with every problem found.

    `files` maps the name each file is shown under in problems and source
    positions (e.g. `scenes/16.yaml`) to its bytes; `folder` names the
    folder in a problem about the folder itself (no story.yaml).
    """
    # Collection comes back on only after the block: the files' data and positions (dropped with
    # `_load`'s frame) are gone by then.
    with collection_off():
        story, problems = _load(folder, files, chair)
        if story is not None:
            _settle(story)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if story is None and not errors:  # every stage that gives up says why; this is the net under them
        problems.append(Problem(posixpath.join(folder, MANIFEST), 1, 1, "the story could not be built from these files"))
    if errors or story is None:
        raise StoryError(problems)
    warnings = tuple(sorted(p for p in problems if p.severity is Severity.WARNING))
    object.__setattr__(story, "warnings", warnings)
    return story


def _settle(story: Story) -> None:
    """Put the new story's objects straight into the oldest garbage-collector generation.

    Made while collection was off, they all sit in the youngest generation,
    and the first collection after it is back on would walk every one of
    them (then the middle generation would, again): a tenth of a 5,000-scene
    load, for objects that live as long as the game. `freeze` moves every
    tracked object to the permanent generation and `unfreeze` puts them all
    in the oldest one, where the rare full collections still look at them;
    nothing becomes uncollectable. Skipped if the program froze objects of
    its own (`unfreeze` would thaw those too).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _load(folder: str, files: Mapping[str, bytes], chair: str | None = None) -> tuple[Story | None, list[Problem]]:
    """Read and check the files; what was read is dropped on return, only the story and problems stay."""
    loader = _Loader(folder, files, chair)
    return loader.build(loader.read()), loader.problems
