"""Glossary links in a chair's text: "the Soviet" on Kronstadt is the Kronstadt Soviet, not Petrograd's.

Two rules, both in `game.views.terms`: the longest match wins ("the Kronstadt
Soviet" links to the Kronstadt Soviet, not to Kronstadt), and a scene's own
`terms:` win in that scene ({the Soviet: kronstadt_soviet}; null for no link).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.story import StoryError
from game.story_folder import load_folder
from game.views.terms import TermFinder, terms_met

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"


@pytest.fixture(scope="module")
def sailor():  # type: ignore[no-untyped-def]
    return load_folder(str(SCENES), chair="sailor")


def _links(finder: TermFinder, text: str) -> dict[str, str]:
    return {" ".join(s.text.split()): s.entry for s in finder.find(text)}


def test_on_the_island_the_soviet_is_kronstadts_own(sailor) -> None:  # type: ignore[no-untyped-def]
    finder = TermFinder(sailor.glossary)
    for scene_id in ("anchor_square", "island_day"):
        scene = sailor.scenes[scene_id]
        links = _links(finder.for_scene(scene), scene.text_source)
        soviet = {k: v for k, v in links.items() if "Soviet" in k}
        assert soviet and set(soviet.values()) == {"kronstadt_soviet"}, (scene_id, soviet)


def test_in_petrograd_the_soviet_is_still_the_petrograd_soviet(sailor) -> None:  # type: ignore[no-untyped-def]
    finder = TermFinder(sailor.glossary)
    said = re.compile(r"(?<!\w)[Tt]he\s+Soviet(?!\w)")
    petrograd = [s for s in sailor.scenes.values() if not s.terms and said.search(s.text_source)]
    assert petrograd, "the sailor's Petrograd scenes speak of the Soviet"
    for scene in petrograd:
        links = _links(finder.for_scene(scene), scene.text_source)
        assert {v for k, v in links.items() if k.lower() == "the soviet"} == {"petrograd_soviet"}, scene.id


def test_the_longest_match_wins_the_kronstadt_soviet_is_not_kronstadt(sailor) -> None:  # type: ignore[no-untyped-def]
    links = _links(TermFinder(sailor.glossary), "He met them at the Kronstadt Soviet, then left Kronstadt.")
    assert links == {"Kronstadt Soviet": "kronstadt_soviet", "Kronstadt": "kronstadt"}


def test_the_glossary_the_player_has_met_follows_the_scene(sailor) -> None:  # type: ignore[no-untyped-def]
    from game import engine

    met = {e.id for e in terms_met(sailor, engine.new_game(sailor, seed=1))}
    assert "kronstadt_soviet" in met and "petrograd_soviet" not in met


def test_plain_mode_names_the_kronstadt_soviet_on_anchor_square(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--chair", "sailor", "--seed", "1",
                           "--save-dir", str(tmp_path)], cwd=REPO, input="quit\n", capture_output=True, text=True,
                          timeout=60)
    line = next(x for x in done.stdout.splitlines() if x.startswith("In the glossary:"))
    assert "Kronstadt Soviet" in line and "Petrograd Soviet" not in line


STORY = """\
id: t
title: T
start: a
clock: {start: "15:00", end: "18:00"}
glossary:
  - {id: big, term: The big Soviet, kind: body, match: [the Soviet], text: The capital's.}
  - {id: small, term: The small Soviet, kind: body, text: The island's.}
"""


def _scene(terms: str) -> str:
    return ("hour: {title: One}\nscenes:\n  - id: a\n    title: A\n    text: Word came from the Soviet.\n"
            f"    terms: {terms}\n    ending: {{title: End, epilogue: Over.}}\n")


def test_a_scene_links_words_to_another_entry_or_to_none(make_story) -> None:  # type: ignore[no-untyped-def]
    for terms, expected in (("{the Soviet: small}", {"the Soviet": "small"}), ("{the Soviet: null}", {})):
        story = load_folder(str(make_story({"story.yaml": STORY, "15.yaml": _scene(terms)})))
        scene = story.scenes["a"]
        assert _links(TermFinder(story.glossary).for_scene(scene), scene.text_source) == expected
        assert _links(TermFinder(story.glossary), scene.text_source) == {"the Soviet": "big"}, "other scenes: as before"


def test_a_link_to_no_entry_is_an_error_at_its_line(make_story) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoryError) as err:
        load_folder(str(make_story({"story.yaml": STORY, "15.yaml": _scene("{the Soviet: smal}")})))
    text = str(err.value)
    assert "15.yaml:6:" in text and "terms: 'the Soviet' links to 'smal', which is not a glossary id" in text
    assert "Did you mean 'small'?" in text


def test_words_the_scene_does_not_say_are_a_warning(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_folder(str(make_story({"story.yaml": STORY, "15.yaml": _scene("{the Duma: small}")})))
    assert any("terms: 'the Duma' does not occur in the text of scene 'a'" in w.message for w in story.warnings)


def test_a_glossary_has_one_finder_per_process(sailor) -> None:  # type: ignore[no-untyped-def]
    """Every shell of a process shares one finder per glossary (the fork server's is every student's)."""
    from game import finders as terms

    petrograd = load_folder(str(SCENES))
    finder = terms.finder_for(sailor.glossary)
    assert terms.finder_for(sailor.glossary) is finder
    assert terms.finder_for(petrograd.glossary) is not finder
    assert _links(finder, "the Kronstadt Soviet") == _links(TermFinder(sailor.glossary), "the Kronstadt Soviet")
    for _ in range(terms.KEPT + 2):  # a writer's reloads: each a new glossary, the oldest let go
        terms.finder_for(dict(sailor.glossary))
    assert len(terms._finders) == terms.KEPT
    assert terms.finder_for(sailor.glossary) is not finder, "let go, then built again"
