"""`tauride validate --history` (and `--strict`): each rule on a story that breaks it, with its place."""

from __future__ import annotations

from game.cli import main
from game.story_folder import load_folder
from game.tools.history import check_history

MANIFEST = """\
title: History test
id: histtest
start: wire
clock: {start: "15:00", end: "23:00"}
variables:
  told: {type: bool, default: false}
sources:
  SP: "W. S. Woytinsky, *Stormy Passage* (New York: Vanguard, 1961), p. 296."
glossary:
  - {id: chkheidze, term: Nikolai Chkheidze, kind: person, match: [Chkheidze], text: Chairman of the Soviet., sources: [SP]}
  - {id: office, term: The office, kind: place, text: A room., invention: true}
history: true
"""

GOOD = """\
scenes:
  - id: wire
    time: "16:00"
    place: office
    title: The wire
    text: Chkheidze hands you the wire.
    history:
      note: The wire reached Chkheidze at about 4 p.m. (SP).
      sources: [SP]
    choices:
      - {id: keep, text: Keep it, goto: session}
      - {id: tell, text: Tell, goto: session, effects: [told = true]}
  - id: session
    time: "17:00"
    title: The session
    text: "{if told}They know.{else}They do not know.{/if}"
    history: {note: "Invented: the session's mood.", invention: true}
    choices:
      - {id: end, text: Go home, goto: home}
  - id: home
    title: Home
    text: Night.
    ending: {title: Home, epilogue: Over., history: As in the memoir (SP)., sources: [SP]}
"""


def check(make_story, scenes: str, manifest: str = MANIFEST) -> list[str]:
    folder = make_story({"story.yaml": manifest, "scenes.yaml": scenes})
    return [str(p) for p in check_history(load_folder(str(folder)))]


def test_a_story_that_keeps_its_promises_passes(make_story, capsys):
    folder = make_story({"story.yaml": MANIFEST, "scenes.yaml": GOOD})
    assert check_history(load_folder(str(folder))) == []
    assert main(["validate", "--history", str(folder)]) == 0
    assert "0 history problem(s)" in capsys.readouterr().out


def test_decision_point_without_a_note(make_story, capsys):
    scenes = GOOD.replace("""    history:
      note: The wire reached Chkheidze at about 4 p.m. (SP).
      sources: [SP]
""", "")
    (p,) = check(make_story, scenes)
    assert p.endswith("scenes.yaml:2:5: scene 'wire' is a decision point (2 choices) but has no history note; "
                      "add 'history: {note: what really happened, sources: [KEY]}'")
    folder = make_story({"story.yaml": MANIFEST, "scenes.yaml": scenes}, name="again")
    assert main(["validate", "--strict", str(folder)]) == 1  # --strict runs the history checks
    assert main(["validate", str(folder)]) == 0  # plain validate does not
    capsys.readouterr()


def test_decision_point_note_without_a_source(make_story):
    (p,) = check(make_story, GOOD.replace("      sources: [SP]\n", "", 1))
    assert "scenes.yaml:8:7: the history note of decision point 'wire' cites no source; add 'sources: [KEY]'" in p
    assert "(SP)" in p


def test_inline_citation_must_resolve(make_story):
    (p,) = check(make_story, GOOD.replace("at about 4 p.m. (SP)", "at about 4 p.m. (SPP, p. 296)"))
    assert "scenes.yaml:8:13: the note of scene 'wire' cites 'SPP', which is not in story.yaml's sources. " \
           "Did you mean 'SP'?" in p


def test_web_address_is_not_a_source(make_story):
    manifest = MANIFEST.replace('"W. S. Woytinsky, *Stormy Passage* (New York: Vanguard, 1961), p. 296."',
                                "https://example.org/stormy-passage.html")
    (p,) = check(make_story, GOOD, manifest)
    assert "story.yaml:8:7: source 'SP' is only a web address; cite the book or article itself" in p


def test_glossary_near_miss_in_text(make_story):
    (p,) = check(make_story, GOOD.replace("text: Chkheidze hands you", "text: Chkeidze hands you"))
    assert p.endswith("scenes.yaml:2:5: scene 'wire' mentions 'Chkeidze', which is not in the glossary; did you mean "
                      "'Chkheidze' (entry 'chkheidze')? If 'Chkeidze' is right, add it to that entry's match words "
                      "or give it an entry of its own")


def test_glossary_match_word_no_text_uses(make_story):
    manifest = MANIFEST.replace("match: [Chkheidze]", "match: [Chkheidze, Karlo]")
    (p,) = check(make_story, GOOD, manifest)
    assert p.endswith("story.yaml:10:67: glossary entry 'chkheidze' matches 'Karlo', but no scene, choice or note uses "
                      "that word; check its spelling against the text, or drop it")


def test_clock_running_backwards_along_a_path(make_story):
    scenes = GOOD.replace("""      - {id: end, text: Go home, goto: home}
  - id: home""", """      - {id: end, text: Go home, goto: corridor}
  - id: corridor
    title: Corridor
    text: A corridor.
    choices:
      - {id: on, text: On, goto: early}
  - id: early
    time: "16:30"
    title: Too early
    text: Half past four?
    choices:
      - {id: end, text: Go home, goto: home}
  - id: home""")
    (p,) = check(make_story, scenes)
    assert "the clock would run backwards along 'session' (17:00) → 'corridor' → 'early' (16:30): " \
           "'early' is set at 16:30, after a scene at 17:00" in p
    assert ":26:11:" in p  # at early's `time:`


def test_event_into_an_earlier_scene(make_story):
    scenes = GOOD + """events:
  - {id: late, at: "18:00", goto: session}
"""
    (p,) = check(make_story, scenes)
    assert "event 'late' fires at 18:00 or later and goes to 'session', which is set at 17:00" in p


def test_invention_must_be_owned_up_to(make_story):
    (p,) = check(make_story, GOOD.replace("Invented: the session's mood.", "The session's mood."))
    assert "scene 'session' is marked 'invention: true', but its note does not say so" in p
    assert "scenes.yaml:17:" in p


def test_an_invented_scenes_note_does_not_repeat_the_heading_the_game_gives_it(make_story):
    (p,) = check(make_story, GOOD.replace("Invented: the session's mood.", "**Invented scene.** The session's mood."))
    assert "scene 'session': its note begins 'Invented scene', which the game already puts before" in p
    assert "scenes.yaml:17:" in p


def test_other_forms_of_a_glossary_word_are_not_misspellings(make_story):
    manifest = MANIFEST.replace("match: [Chkheidze]", 'match: [Chkheidze, "Down with the Ministers!"]')
    scenes = GOOD.replace("text: Chkheidze hands you the wire.",
                          "text: Chkheidze hands you the wire. The Minister sighs. Down with the Ministers! "
                          "They sing the Internationale.")
    manifest = manifest.replace("glossary:\n", "glossary:\n  - {id: intl, term: Internationalists, kind: body, "
                                "match: [Internationalist], text: A faction.}\n")
    scenes = scenes.replace("They sing the Internationale.", "They sing the Internationale. An Internationalist.")
    assert check(make_story, scenes, manifest) == []


def test_strict_runs_the_history_checks_only_on_a_history_story(make_story, capsys) -> None:
    """The same gap is a history problem in a history story and nothing at all in fiction."""
    no_note = GOOD.replace("""    history:
      note: The wire reached Chkheidze at about 4 p.m. (SP).
      sources: [SP]
""", "")
    fiction = MANIFEST.replace("history: true\n", "")
    assert fiction != MANIFEST and no_note != GOOD
    folder = make_story({"story.yaml": fiction, "scenes.yaml": no_note}, name="fiction")
    assert main(["validate", "--strict", str(folder)]) == 0
    assert "history problem" not in capsys.readouterr().out
    folder = make_story({"story.yaml": MANIFEST, "scenes.yaml": no_note}, name="history")
    assert main(["validate", "--strict", str(folder)]) == 1
