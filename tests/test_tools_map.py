"""`tauride map`: the story graph as Mermaid, DOT and SVG, with heat from a walk or a class."""

from __future__ import annotations

import json
import shutil

import pytest

from game import engine
from game.cli import main
from game.saves import SaveStore
from game.story_folder import load_folder

MANIFEST = """\
title: Map test
id: maptest
start: gate
clock: {start: "15:00", end: "23:00"}
variables:
  brave: {type: bool, default: false}
  n: {type: int, default: 0}
"""

HOUR_16 = """\
hour: {title: Four o'clock}
scenes:
  - id: gate
    title: "The gate & the \\"crowd\\""
    time: "16:00"
    text: A crowd.
    choices:
      - {id: open, text: Open the gate, goto: yard, effects: [brave = true], historical: true}
      - {id: wait, text: "Wait ({n} times)", goto: gate, if: n < 3, effects: [n += 1], cost: 10m}
      - {id: flee, text: Flee, goto: end, selectable_if: not brave, locked: Too late}
  - id: attic
    title: The attic
    text: Nobody comes here.
    choices:
      - {id: down, text: Down, goto: gate}
"""

HOUR_17 = """\
hour: {title: Five o'clock}
scenes:
  - id: yard
    title: The yard
    time: "17:00"
    text: The yard.
    choices:
      - {id: stay, text: Stay, goto: end, once: true}
  - id: end
    title: The end
    text: Over.
    ending: {title: Home at last, epilogue: Done., history: None.}
events:
  - {id: night, at: "20:00", goto: end}
"""


@pytest.fixture
def folder(make_story):
    return make_story({"story.yaml": MANIFEST, "16.yaml": HOUR_16, "17.yaml": HOUR_17})


def test_mermaid_groups_by_hour_and_labels_edges(folder, capsys):
    assert main(["map", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD\n")
    # hours are subgraphs holding their scenes, in file order
    h16 = out.index('subgraph h_16["Four o\'clock"]')
    h17 = out.index('subgraph h_17["Five o\'clock"]')
    assert h16 < out.index("    s_gate[") < h17 < out.index("    s_yard[")
    # a scene called 'end' (a Mermaid keyword) is prefixed, and drawn as an ending
    assert '    s_end(["The end<br/>end<br/>ENDING: Home at last"])' in out
    # labels: text, conditions, cost, marks; quotes and braces escaped for Mermaid
    assert 's_gate -->|"Open the gate<br/>historical"| s_yard' in out
    assert 's_gate -->|"Wait (#123;n#125; times)<br/>if n #lt; 3<br/>+10m"| s_gate' in out
    assert 's_gate -->|"Flee<br/>locked unless not brave"| s_end' in out
    assert 's_yard -->|"Stay<br/>once"| s_end' in out
    assert 'The gate #38; the #quot;crowd#quot;' in out
    # events: a node and a dashed edge
    assert 'e_night{{"event night<br/>clock #gt;= 20:00"}}' in out and "e_night -.-> s_end" in out
    # the unreachable scene says so in words and in style
    assert 's_attic["The attic<br/>attic<br/>UNREACHABLE"]' in out
    assert "class s_attic unreachable" in out and "class s_end ending" in out and "class s_gate start" in out


def test_dot_output_is_valid_graphviz(folder, tmp_path):
    out = tmp_path / "map.dot"
    assert main(["map", str(folder), "-o", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("digraph story {")
    assert 'subgraph "cluster_16"' in text and 'subgraph "cluster_17"' in text
    assert 's_gate -> s_end [label="Flee\\nlocked unless not brave", arrowhead=empty];' in text
    assert "e_night -> s_end [style=dashed" in text
    assert 'label="The gate & the \\"crowd\\"\\ngate · 16:00\\nSTART"' in text
    if shutil.which("dot"):
        import subprocess

        done = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_and_png_through_graphviz(folder, tmp_path, capsys):
    assert main(["map", str(folder), "--format", "svg"]) == 0
    svg = capsys.readouterr().out
    assert svg.lstrip().startswith("<?xml") and "The yard" in svg and "UNREACHABLE" in svg
    png = tmp_path / "map.png"
    assert main(["map", str(folder), "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_graphviz_says_how_to_install(folder, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["map", str(folder), "--format", "svg"]) == 1
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and "--format mermaid" in err


def test_heat_from_a_walk_report(folder, tmp_path, capsys):
    report = tmp_path / "walk.json"
    main(["walk", str(folder), "-n", "100", "--json", str(report)])
    data = json.loads(report.read_text())
    capsys.readouterr()
    assert main(["map", str(folder), "--heat", str(report)]) == 0
    out = capsys.readouterr().out
    assert f"visited {data['scenes']['gate']:,}×" in out
    assert "never visited" in out  # the attic
    assert "style s_attic fill:#d9d9d9" in out
    busiest = max(data["scenes"], key=data["scenes"].get)
    assert f"style s_{busiest} fill:#d94801,color:#ffffff" in out  # the hottest colour, white text
    assert f"taken {data['choices']['gate.open']:,}×" in out
    assert "linkStyle 0 stroke:" in out


def test_heat_from_a_folder_of_saves(folder, tmp_path, capsys):
    story = load_folder(str(folder))
    store = SaveStore(tmp_path / "class")
    for i, path in enumerate([["open", "stay"], ["wait", "open"], ["open"]]):
        state = engine.new_game(story, seed=i)
        for cid in path:
            state = engine.choose(story, state, cid)
        store.write(f"student {i}", story, state)
    (tmp_path / "class" / "notes.json").write_text("{not a save")
    assert main(["map", str(folder), "--format", "dot", "--heat", str(tmp_path / "class")]) == 0
    out = capsys.readouterr().out
    assert "heat: 3 saves in class" in out
    assert "yard · 17:00\\nvisited 3×" in out  # all three reached the yard
    assert "Open the gate\\nhistorical · taken 3×" in out and "Stay\\nonce · taken 1×" in out


def test_heat_rejects_what_it_cannot_use(folder, tmp_path, capsys):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "tauride-walk", "story": "someone-else"}))
    assert main(["map", str(folder), "--heat", str(other)]) == 1
    assert "a walk of the story 'someone-else', not 'maptest'" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["map", str(folder), "--heat", str(tmp_path / "empty")]) == 1
    assert "no saves of 'maptest'" in capsys.readouterr().err
