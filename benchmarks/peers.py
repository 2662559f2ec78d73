"""`python -m benchmarks --peers`: Tauride beside inkjs on the same generated story.

The generated story (`gen.py`) is written a second time as ink — one knot
per scene, the same choices with the same conditions (a choice Tauride
shows locked is one ink hides: a random playthrough can take neither), the
same effects clamped to the same ranges, the same clock and the same
event — and both engines are measured in fresh processes:

- **validate vs compile**: Tauride loading and validating the YAML (no
  cache) against inkjs compiling the ink source, CPU time;
- **random playthroughs per CPU-second**: start to an ending, a random
  choice among those available at each step, the scene's text and its
  choices' words produced at every step by both;
- **peak memory** (max RSS) of each process.

Node.js is looked for on PATH; inkjs is found in the peers cache folder or
installed there with npm (`--prefer-offline`, so a filled npm cache needs
no network). Without either, the run says so in one line and goes on.
None of this is part of the test suite's pass or fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

from game.tools.generate import CHAPTER, scene_id, write_story

from .measure import ROOT

INK_VERSION = "inkjs@2"
CLOCK_START = 15 * 60
LATE = (24 + 4) * 60
"""The generated story's event `late`, at 04:00 the next morning, in minutes from midnight of the first day."""


def _clamp(var: str, expr: str) -> str:
    return f"~ {var} = MIN(MAX({expr}, 0), 10)"


def ink_scene(chapter: int, pos: int, chapters: int) -> str:
    """Scene (chapter, pos) of `gen.scene_yaml` as an ink knot, line for line the same story."""
    sid = scene_id(chapter, pos)
    if pos >= CHAPTER - 2:
        return f"""=== {sid} ===
The night ends for you in chapter {chapter}. Resolve stands at {{resolve}};
{{secret: the wire stayed folded in your pocket|everyone heard the wire read aloud}}.
-> END

"""
    nxt, skip = scene_id(chapter, pos + 1), scene_id(chapter, pos + 2)
    across = scene_id((chapter + 1) % chapters, pos)
    return f"""=== {sid} ===
~ clock += 5
{_clamp("temper", "temper + 1")}
The benches fill again for the {chapter}.{pos} sitting; it is {{name}}'s turn to speak.
{{
- resolve > {pos % 9}: The committee holds together.
- temper > {chapter % 10}: The crowd is close to the doors.
- else: Nobody knows what the regiments will do.
}}
Resolve is {{resolve}} and the temper of the street is {{temper}}.
+ [Go on with session {chapter}.{pos} ({{resolve}})]
    {_clamp("resolve", f"resolve + {1 + pos % 3}")}
    {_clamp("temper", f"temper - {chapter % 2}")}
    ~ clock += 5
    -> go(-> {nxt})
+ {{temper < {3 + (chapter + pos) % 7} or secret}} [Hurry to the telephones]
    ~ secret = true
    -> go(-> {skip})
+ {{resolve >= {pos % 2} and not (temper > {8 + chapter % 3})}} [Cross to the other wing]
    {_clamp("resolve", "resolve - 1")}
    ~ name = "Chkheidze"
    -> go(-> {across})

"""


def write_ink(path: str, scenes: int) -> None:
    """The story `gen.write_story(folder, scenes)` writes, as one ink file."""
    chapters = max(1, scenes // CHAPTER)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"""VAR resolve = 4
VAR temper = 5
VAR secret = false
VAR name = "Tsereteli"
VAR clock = {CLOCK_START}
VAR late = false
-> {scene_id(0, 0)}

=== go(-> target) ===
{{ clock >= {LATE} and not late:
    ~ late = true
    -> night_end
}}
-> target

=== night_end ===
The regiments arrive.
-> END

""")
        for c in range(chapters):
            for p in range(CHAPTER):
                fh.write(ink_scene(c, p, chapters))


_NODE = r"""
const fs = require("fs");
const { Compiler } = require(process.argv[1]);
const source = fs.readFileSync(process.argv[2], "utf8");
const seconds = Number(process.argv[3]);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let t = cpu();
const story = new Compiler(source).Compile();
const compile = cpu() - t;
const json = story.ToJson();
let seed = 1;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
let walks = 0, steps = 0, chars = 0;
t = cpu();
while (cpu() - t < seconds) {
  story.ResetState();
  for (let i = 0; i < 1000; i++) {
    chars += story.ContinueMaximally().length;
    const choices = story.currentChoices;
    if (choices.length === 0) break;
    for (const c of choices) chars += c.text.length;
    story.ChooseChoiceIndex(Math.floor(rand() * choices.length));
    steps++;
  }
  walks++;
}
const play = cpu() - t;
console.log(JSON.stringify({ compile, walks, steps, play, chars, json: json.length,
                             maxrss_mib: process.resourceUsage().maxRSS / 1024 }));
"""

_TAURIDE = r"""
import json, random, resource, sys, time
folder, seconds = sys.argv[1], float(sys.argv[2])
from game.story_folder import load_folder
from game import engine
t = time.process_time()
story = load_folder(folder)
validate = time.process_time() - t
walks = steps = chars = 0
rng = random.Random(1)
t = time.process_time()
while time.process_time() - t < seconds:
    state = engine.new_game(story, seed=walks)
    for _ in range(1000):
        chars += len(engine.scene_text(story, state))
        if engine.is_ending(story, state):
            break
        views = [v for v in engine.choices(story, state) if v.enabled]
        if not views:
            break
        chars += sum(len(v.text) for v in views)
        state = engine.choose(story, state, rng.choice(views).id)
        steps += 1
    walks += 1
play = time.process_time() - t
print(json.dumps({"validate": validate, "walks": walks, "steps": steps, "play": play, "chars": chars,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _inkjs(cache: str) -> tuple[str | None, str]:
    """The path of inkjs's full build (with the compiler), or None and why not."""
    if shutil.which("node") is None:
        return None, "Node.js is not on PATH"
    full = os.path.join(cache, "node_modules", "inkjs", "dist", "ink-full.js")
    if not os.path.exists(os.path.join(cache, "node_modules", "inkjs", "package.json")):
        if shutil.which("npm") is None:
            return None, "npm is not on PATH to install inkjs"
        os.makedirs(cache, exist_ok=True)
        got = subprocess.run(["npm", "install", "--prefix", cache, "--no-audit", "--no-fund", "--prefer-offline",
                              "--no-save", INK_VERSION], capture_output=True, text=True, timeout=300)
        if got.returncode != 0:
            return None, f"npm could not install {INK_VERSION}: {(got.stderr or got.stdout).strip()[-200:]}"
    return full, ""


def peers_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tauride", "peers")


def run(scenes: int, seconds: float) -> int:
    """Measure both engines and print the ratios; returns 0 (a skipped peer is not a failure)."""
    full, why = _inkjs(peers_cache())
    if full is None:
        print(f"peers: skipped — {why}.")
        return 0
    work = tempfile.mkdtemp(prefix="tauride-peers-")
    try:
        folder = os.path.join(work, "story")
        write_story(folder, scenes)
        ink = os.path.join(work, "story.ink")
        write_ink(ink, scenes)
        node = subprocess.run(["node", "-e", _NODE, full, ink, str(seconds)], capture_output=True, text=True,
                              timeout=1800)
        if node.returncode != 0:
            print(f"peers: inkjs failed — {node.stderr.strip()[-400:]}")
            return 0
        ours = subprocess.run([sys.executable, "-c", _TAURIDE, folder, str(seconds)], capture_output=True,
                              text=True, cwd=ROOT, check=True, timeout=1800)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    i = json.loads(node.stdout.strip().splitlines()[-1])
    t = json.loads(ours.stdout.strip().splitlines()[-1])
    t_rate, i_rate = t["walks"] / t["play"], i["walks"] / i["play"]
    print(f"Peers: the generated story of {scenes:,} scenes, as Tauride YAML and as ink ({INK_VERSION}, "
          f"node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()})")
    rows = [
        ("validate (Tauride, no cache) vs compile (inkjs), CPU", f"{t['validate'] * 1000:,.0f} ms",
         f"{i['compile'] * 1000:,.0f} ms", f"Tauride {i['compile'] / t['validate']:.1f}× faster"),
        ("random playthroughs per CPU-second", f"{t_rate:,.0f}/s", f"{i_rate:,.0f}/s",
         f"Tauride {t_rate / i_rate:.2f}× as many"),
        ("choices per playthrough (the same graph: should be close)", f"{t['steps'] / t['walks']:.1f}",
         f"{i['steps'] / i['walks']:.1f}", ""),
        ("peak memory (max RSS of the process)", f"{t['maxrss_mib']:,.1f} MiB", f"{i['maxrss_mib']:,.1f} MiB",
         f"Tauride {t['maxrss_mib'] / i['maxrss_mib']:.2f}× inkjs's"),
    ]
    head = ("measure", "Tauride", "inkjs", "ratio")
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(4)]
    for n, r in enumerate([head, *rows]):
        print("  ".join(c.ljust(w) if k in (0, 3) else c.rjust(w) for k, (c, w) in enumerate(zip(r, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print("note: informational only — never part of CI's pass or fail.")
    return 0
