"""The story as a graph, written as Mermaid or Graphviz DOT.

Pure: a `Story` (and optionally visit counts) in, text out. Scenes are
grouped by hour (one box per scene file), choices are edges labelled with
their text and conditions, events are dashed edges from an event node (an
event can fire after any choice, so it has no single source scene).
Endings, the start and unreachable scenes are marked in words as well as
colour, so the map reads in black and white too.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..story.graph import choice_targets
from ..story.model import Choice, Scene, Story, format_clock

LABEL_WIDTH = 42
"""Longest line of a label before it is shortened: maps stay readable on a page."""


@dataclass
class Heat:
    """How often a walk or a class visited each scene and took each choice."""

    scenes: dict[str, int] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)
    """'scene.choice' -> times taken."""
    source: str = ""
    """What the counts came from, for the map's caption."""

    @property
    def scene_max(self) -> int:
        return max(self.scenes.values(), default=0)

    @property
    def choice_max(self) -> int:
        return max(self.choices.values(), default=0)


def reachable(story: Story) -> set[str]:
    """Scenes some path from the start can reach (choices and events, conditions ignored)."""
    event_targets = [e.goto for e in story.events]
    seen = {story.start}
    queue = deque([story.start])
    while queue:
        scene = story.scenes[queue.popleft()]
        nexts = [c.goto for c in scene.choices if not c.goes_back] + (event_targets if scene.ending is None else [])
        for nxt in nexts:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m or not h else "")


def scene_lines(story: Story, scene: Scene, unreachable: bool, heat: Heat | None) -> list[str]:
    """The lines of a scene's box: title, id and clock, what kind of scene it is, its visits."""
    clock = f" · {format_clock(scene.time)}" if scene.time is not None else (
        f" · +{_duration(scene.advance)}" if scene.advance else "")
    lines = [_short(scene.title), f"{scene.id}{clock}"]
    if scene.id == story.start:
        lines.append("START")
    if scene.ending is not None:
        lines.append(_short(f"ENDING: {scene.ending.title}"))
    if unreachable:
        lines.append("UNREACHABLE")
    if heat is not None:
        n = heat.scenes.get(scene.id, 0)
        lines.append(f"visited {n:,}×" if n else "never visited")
    return lines


def choice_lines(choice: Choice, heat: Heat | None, scene_id: str) -> list[str]:
    """An edge's label: the choice's text, then its conditions, cost and marks."""
    lines = [_short(choice.text_source)]
    if choice.condition_source:
        lines.append(_short(f"if {choice.condition_source}"))
    if choice.selectable_source:
        lines.append(_short(f"locked unless {choice.selectable_source}"))
    marks = []
    if choice.once:
        marks.append("once")
    if choice.cost:
        marks.append(f"+{_duration(choice.cost)}")
    if choice.historical:
        marks.append("historical")
    if heat is not None:
        marks.append(f"taken {heat.choices.get(f'{scene_id}.{choice.id}', 0):,}×")
    if marks:
        lines.append(" · ".join(marks))
    return lines


# ------------------------------------------------------------------ colours
_COLD = (0xFF, 0xF5, 0xEB)
_HOT = (0xD9, 0x48, 0x01)
NEVER = "#d9d9d9"


def heat_colour(n: int, top: int) -> str:
    """Pale to burnt orange by share of the busiest; grey for never."""
    if n <= 0 or top <= 0:
        return NEVER
    f = (n / top) ** 0.5  # square root: rare paths stay visible beside the main road
    r, g, b = (round(c + (h - c) * f) for c, h in zip(_COLD, _HOT))
    return f"#{r:02x}{g:02x}{b:02x}"


def _ink(fill: str) -> str:
    """Black or white text, whichever reads on the fill."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def _node_id(prefix: str, name: str) -> str:
    # Prefixed, so a scene called 'end' or 'graph' cannot clash with Mermaid or DOT words.
    return prefix + re.sub(r"[^A-Za-z0-9_]", "_", name)


def _hours(story: Story) -> list[tuple[str, str, list[Scene]]]:
    """Hours in the order of the story clock (a file called 01-small-hours.yaml comes after 22-night.yaml)."""
    def earliest(scenes: list[Scene]) -> int:
        times = [s.time for s in scenes if s.time is not None]
        return min(times) if times else 10**9

    groups = [(h.id, h.title, [story.scenes[s] for s in h.scenes]) for h in story.hours if h.scenes]
    return sorted(groups, key=lambda g: earliest(g[2]))


# ------------------------------------------------------------------ Mermaid
def _mm(text: str) -> str:
    """Escape for a quoted Mermaid label (entity codes; Mermaid has no backslash escapes)."""
    return (text.replace("&", "#38;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("{", "#123;").replace("}", "#125;").replace("|", "#124;"))


def to_mermaid(story: Story, heat: Heat | None = None) -> str:
    """A Mermaid flowchart, to paste into Markdown (GitHub, GitLab and most editors draw it)."""
    live = reachable(story)
    out = ["flowchart TD"]
    w = out.append
    for hid, title, scenes in _hours(story):
        w(f'  subgraph {_node_id("h_", hid)}["{_mm(title)}"]')
        for s in scenes:
            label = "<br/>".join(_mm(x) for x in scene_lines(story, s, s.id not in live, heat))
            opening, closing = ("([", "])") if s.ending is not None else ("[", "]")
            w(f'    {_node_id("s_", s.id)}{opening}"{label}"{closing}')
        w("  end")
    links: list[tuple[int, str]] = []
    for s in story.scenes.values():
        for c in s.choices:
            label = "<br/>".join(_mm(x) for x in choice_lines(c, heat, s.id))
            for target in choice_targets(story, s, c):  # `goto: back`: an arrow to each scene it may return to
                w(f'  {_node_id("s_", s.id)} -->|"{label}"| {_node_id("s_", target)}')
                links.append((len(links), f"{s.id}.{c.id}"))
    for e in story.events:
        cond = e.condition_source
        w(f'  {_node_id("e_", e.id)}{{{{"event {_mm(e.id)}<br/>{_mm(_short(cond))}"}}}}')
        w(f'  {_node_id("e_", e.id)} -.-> {_node_id("s_", e.goto)}')
        links.append((len(links), ""))
    w("  classDef ending fill:#e5f5e0,stroke:#31a354,stroke-width:3px")
    w("  classDef start stroke:#08519c,stroke-width:3px")
    w("  classDef unreachable fill:#f0f0f0,stroke:#969696,stroke-dasharray:5 5,color:#636363")
    w("  classDef event fill:#fff7bc,stroke:#d95f0e,stroke-dasharray:4 3")
    for sid, s in story.scenes.items():
        classes = []
        if s.ending is not None:
            classes.append("ending")
        if sid == story.start:
            classes.append("start")
        if sid not in live:
            classes.append("unreachable")
        if classes:
            w(f"  class {_node_id('s_', sid)} {','.join(classes)}")
    for e in story.events:
        w(f"  class {_node_id('e_', e.id)} event")
    if heat is not None:
        top = heat.scene_max
        for sid in story.scenes:
            fill = heat_colour(heat.scenes.get(sid, 0), top)
            w(f"  style {_node_id('s_', sid)} fill:{fill},color:{_ink(fill)}")
        ctop = heat.choice_max
        for i, key in links:
            if key:
                n = heat.choices.get(key, 0)
                width = 1 + round(5 * n / ctop) if ctop and n else 1
                w(f"  linkStyle {i} stroke:{heat_colour(n, ctop)},stroke-width:{width}px")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ DOT
def _dq(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(lines: list[str]) -> str:
    return "\\n".join(_dq(x) for x in lines)


def to_dot(story: Story, heat: Heat | None = None) -> str:
    """A Graphviz digraph; `dot -Tsvg` draws it."""
    live = reachable(story)
    title = story.title + (f" — heat: {heat.source}" if heat is not None and heat.source else "")
    out = [
        "digraph story {",
        f'  graph [label="{_dq(title)}", labelloc=t, fontsize=20, fontname="Helvetica", rankdir=TB, '
        'newrank=true, nodesep=0.35, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#525252"];',
    ]
    w = out.append
    stop = heat.scene_max if heat else 0
    for hid, htitle, scenes in _hours(story):
        w(f'  subgraph "cluster_{_dq(hid)}" {{')
        w(f'    label="{_dq(htitle)}"; style="rounded"; color="#bdbdbd"; fontname="Helvetica";')
        for s in scenes:
            attrs = [f'label="{_dot_label(scene_lines(story, s, s.id not in live, heat))}"']
            style = ["rounded", "filled"]
            fill = "#ffffff"
            if s.ending is not None:
                attrs.append("peripheries=2")
                fill = "#e5f5e0"
            if s.id == story.start:
                attrs.append("penwidth=3")
            if s.id not in live:
                style.append("dashed")
                fill = "#f0f0f0"
                attrs.append('fontcolor="#636363"')
            if heat is not None:
                fill = heat_colour(heat.scenes.get(s.id, 0), stop)
                attrs.append(f'fontcolor="{_ink(fill)}"')
            attrs.append(f'style="{",".join(style)}"')
            attrs.append(f'fillcolor="{fill}"')
            w(f'    {_node_id("s_", s.id)} [{", ".join(attrs)}];')
        w("  }")
    ctop = heat.choice_max if heat else 0
    for s in story.scenes.values():
        for c in s.choices:
            attrs = [f'label="{_dot_label(choice_lines(c, heat, s.id))}"']
            if c.condition_source or c.selectable_source:
                attrs.append("style=bold" if c.historical else 'arrowhead=empty')
            elif c.historical:
                attrs.append("style=bold")
            if heat is not None:
                n = heat.choices.get(f"{s.id}.{c.id}", 0)
                attrs.append(f'color="{heat_colour(n, ctop)}"')
                attrs.append(f"penwidth={1 + round(5 * n / ctop, 1) if ctop and n else 1}")
            for target in choice_targets(story, s, c):
                w(f'  {_node_id("s_", s.id)} -> {_node_id("s_", target)} [{", ".join(attrs)}];')
    for e in story.events:
        label = _dot_label(["event " + e.id, _short(e.condition_source)] + ([] if e.once else ["repeats"]))
        w(f'  {_node_id("e_", e.id)} [shape=hexagon, style="dashed,filled", fillcolor="#fff7bc", label="{label}"];')
        w(f'  {_node_id("e_", e.id)} -> {_node_id("s_", e.goto)} [style=dashed, color="#d95f0e"];')
    w("}")
    return "\n".join(out) + "\n"


def heat_from_walk(data: Mapping[str, Any], source: str = "") -> Heat:
    """Visit counts from a `tauride walk --json` report."""
    return Heat({str(k): int(v) for k, v in dict(data.get("scenes") or {}).items()},
                {str(k): int(v) for k, v in dict(data.get("choices") or {}).items()},
                source or f"{data.get('runs', 0):,} walk playthroughs")
