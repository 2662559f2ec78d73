"""Generate a large, valid story folder: for the loader and walk benchmarks and the reader tests.

The shape imitates a real story rather than the smallest valid file: every
scene has a title, a templated text with an `{if}` passage, a history note,
discussion prompts and three choices with conditions, effects and costs, so
the loader's every stage (YAML, shape, expressions, templates, references,
clock, reachability) does its share of the work. Scenes sit in chapters of
`CHAPTER` positions; a choice moves one or two positions on, or across to
the next chapter at the same position, so every scene is reachable and a
random walk ends after a few dozen choices.
"""

from __future__ import annotations

import os

CHAPTER = 20
"""Positions per chapter; the last two positions are endings."""
PER_FILE = 100
"""Scenes per scene file, like a long hour of a real story."""

MANIFEST = """\
# yaml-language-server: $schema=schema.json
title: Generated
id: generated
start: s0_0
clock: {start: "15:00", end: "06:00"}
variables:
  resolve: {type: int, default: 4, range: [0, 10], label: Resolve, shown: true}
  temper: {type: int, default: 5, range: [0, 10], label: Temper, shown: true}
  secret: {type: bool, default: false}
  name: {type: str, default: "Tsereteli"}
sources:
  SP: "W. S. Woytinsky, Stormy Passage (New York: Vanguard, 1961)"
glossary:
  - {id: hall, term: Catherine Hall, kind: place, match: [Catherine Hall], text: The great hall., sources: [SP]}
events:
  - {id: late, at: "04:00", goto: night_end}
"""

NIGHT_END = """\
  - id: night_end
    title: Dawn
    text: The regiments arrive.
    ending: {title: Dawn, epilogue: It is over., history: The Volhynians came at dawn., historical: true}
"""


def scene_id(chapter: int, pos: int) -> str:
    return f"s{chapter}_{pos}"


def scene_yaml(chapter: int, pos: int, chapters: int) -> str:
    sid = scene_id(chapter, pos)
    if pos >= CHAPTER - 2:
        return f"""\
  - id: {sid}
    title: Ending {chapter}.{pos}
    place: hall
    text: |
      The night ends for you in chapter {chapter}. Resolve stands at {{resolve}};
      {{if secret}}the wire stayed folded in your pocket{{else}}everyone heard the wire read aloud{{/if}}.
    ending:
      title: Ending {chapter}.{pos}
      epilogue: |
        What became of the committee after this is told elsewhere.
      history: |
        The joint session sat until dawn; the loyal regiments arrived at about four.
      sources: [SP]
"""
    nxt, skip = scene_id(chapter, pos + 1), scene_id(chapter, pos + 2)
    across = scene_id((chapter + 1) % chapters, pos)
    return f"""\
  - id: {sid}
    title: Scene {chapter}.{pos} in the Catherine Hall
    advance: 5m
    place: hall
    text: |
      The benches fill again for the {chapter}.{pos} sitting; it is {{name}}'s turn to speak.
      {{if resolve > {pos % 9}}}The committee holds together.{{elif temper > {chapter % 10}}}The crowd is close to the doors.{{else}}Nobody knows what the regiments will do.{{/if}}
      Resolve is {{resolve}} and the temper of the street is {{temper}}.
    history:
      note: |
        The joint session resumed in the evening. [SP]
      sources: [SP]
    discussion: [Who should decide what the crowd is told?]
    effects: [temper += 1]
    choices:
      - id: go_on
        text: Go on with session {chapter}.{pos} ({{resolve}})
        goto: {nxt}
        effects: [resolve += {1 + pos % 3}, temper -= {chapter % 2}]
        cost: 5m
        historical: true
      - id: hurry
        text: Hurry to the telephones
        goto: {skip}
        if: temper < {3 + (chapter + pos) % 7} or secret
        effects: [secret = true]
      - id: across
        text: Cross to the other wing
        goto: {across}
        selectable_if: resolve >= {pos % 2} and not (temper > {8 + chapter % 3})
        locked: The corridor is full of sailors
        effects: [resolve -= 1, "name = \\"Chkheidze\\""]
"""


def write_story(folder: str, scenes: int = 5000) -> list[str]:
    """Write a story of about `scenes` scenes into `folder`; returns the file paths."""
    chapters = max(1, scenes // CHAPTER)
    os.makedirs(folder, exist_ok=True)
    paths = []
    manifest = os.path.join(folder, "story.yaml")
    with open(manifest, "w", encoding="utf-8") as fh:
        fh.write(MANIFEST)
    paths.append(manifest)
    ids = [(c, p) for c in range(chapters) for p in range(CHAPTER)]
    for f in range(0, len(ids), PER_FILE):
        path = os.path.join(folder, f"part{f // PER_FILE:03d}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f"# yaml-language-server: $schema=schema.json\nhour:\n  title: Part {f // PER_FILE}\nscenes:\n")
            if f == 0:
                fh.write(NIGHT_END)
            for c, p in ids[f : f + PER_FILE]:
                fh.write(scene_yaml(c, p, chapters))
        paths.append(path)
    return paths


RING_MANIFEST = """\
title: Ring
id: ring
start: r0
clock: {start: "15:00", end: "06:00"}
variables:
  laps: {type: int, default: 0, range: [0, 1000000], label: Laps, shown: true}
  luck: {type: int, default: 0, range: [0, 100]}
  bold: {type: bool, default: false}
sources:
  SP: "W. S. Woytinsky, Stormy Passage (New York: Vanguard, 1961)"
"""


def ring_scene_yaml(i: int, scenes: int) -> str:
    """Scene `i` of a ring a playthrough never leaves: every choice leads on, none ends it."""
    return f"""\
  - id: r{i}
    title: Corridor {i}
    text: |
      Lap {{laps}}; {{if visited(r{i}) > 1}}you have been here before{{else}}a new corridor{{/if}}.
    effects: ["luck = random(0, 100)"]
    choices:
      - {{id: on, text: Walk on, goto: r{(i + 1) % scenes}, effects: [laps += 1]}}
      - {{id: skip, text: Run ahead, goto: r{(i + 7) % scenes}, if: luck > 30 or bold}}
      - {{id: dare, text: Dare once, goto: r{(i + 3) % scenes}, once: true, effects: [bold = not bold]}}
"""


def write_ring(folder: str, scenes: int = 1000) -> None:
    """A story of `scenes` corridors in a ring, for playthroughs of any length (undo at 5,000 choices)."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "story.yaml"), "w", encoding="utf-8") as fh:
        fh.write(RING_MANIFEST)
    with open(os.path.join(folder, "ring.yaml"), "w", encoding="utf-8") as fh:
        fh.write("hour:\n  title: The ring\nscenes:\n")
        for i in range(scenes):
            fh.write(ring_scene_yaml(i, scenes))
