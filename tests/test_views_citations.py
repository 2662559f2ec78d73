"""A note's sources read as a run of sentences, not "partisan.; Leon …"."""

from __future__ import annotations

from pathlib import Path

from game.story_folder import load_folder
from game.views.refs import SourceRef, citation_list, sources_of

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def test_citations_that_end_with_a_full_stop_are_not_followed_by_a_semicolon() -> None:
    story = load_folder(str(SCENES))
    text = citation_list(sources_of(story, ["MIE", "TROT-HRR"]))
    assert ".;" not in text
    assert "partisan by its own account. Leon Trotsky" in text
    assert text.endswith("partisan.")


def test_a_citation_without_its_own_full_stop_gets_one_and_a_missing_key_shows_as_the_key() -> None:
    assert citation_list([SourceRef("A", "Author, Book (1930)"), SourceRef("ZZ", "")]) == "Author, Book (1930). ZZ."
    assert citation_list([]) == ""


def test_the_ending_screen_uses_the_one_rule() -> None:
    from game.tui.screens import debrief, ending, notes
    for module in (ending, debrief, notes):
        assert '"; ".join' not in Path(module.__file__ or "").read_text()
