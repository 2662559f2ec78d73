"""A history note with its sources reads the same in every shell: one view (`game.views.notes`), rendered."""

from __future__ import annotations

import io
from pathlib import Path

from class_story import play, save

from game.classroom.guide import to_html, to_markdown
from game.classroom.page import md
from game.classroom.playthrough import load_playthrough
from game.classroom.transcript import to_markdown as transcript_markdown
from game.plain import PlainGame
from game.plain_text import unmark
from game.story import Story
from game.tui.screens.notes import history_markdown
from game.views.notes import note_lines, note_markdown, scene_note


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def test_every_shell_renders_the_one_note(class_story: Story, tmp_path: Path) -> None:
    scene = class_story.scenes["wire"]
    note = scene_note(class_story, scene.history)
    assert note is not None and note.sources
    markdown = note_markdown(note)
    assert markdown.startswith("**What really happened.**") and "- [SP] W. S. Woytinsky" in markdown
    # the play screen's pop-up
    assert history_markdown(class_story, scene.history) == markdown
    # the teacher's guide, as Markdown and as HTML rendered from that Markdown
    assert _quoted(markdown) in to_markdown(class_story)
    assert md(markdown) in to_html(class_story)
    # a student's transcript
    state = play(class_story, [])
    pt = load_playthrough(class_story, save(tmp_path, class_story, state, "anna"))
    assert _quoted(markdown) in transcript_markdown(pt)
    # plain mode's `history` command
    out = io.StringIO()
    game = PlainGame(class_story, state, None, out=out)  # type: ignore[arg-type]
    game.cmd_history("")
    assert out.getvalue().splitlines() == [unmark(line) for line in note_lines(note)]
