"""Student text meets terminals, Rich, Markdown and HTML as plain text (issue 11, student text).

Before: a student named `[/]` (or an answer holding it) raised MarkupError
in `tauride report` before the HTML page was written; `[sic]` vanished and
`[bold]` applied in the terminal report; escape sequences typed or pasted
into a name or answer reached the teacher's terminal; a name such as
`<img onerror=…>` was copied raw into Markdown transcripts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from class_story import play, save

from game.classroom.playthrough import load_playthrough
from game.classroom.transcript import to_html, to_markdown
from game.cli import main
from game.story import Story
from game.tui.classroom import check_student
from game.views import journal
from game.views.typed_text import clean_answer, clean_block, clean_line, clean_name

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"
"""Retitle the window, clear the screen, turn the text red."""
NAME = "[/] <img src=x onerror=alert(1)>" + ESCAPES + " [bold]Anna[/bold]"
ANSWER = "We kept it [sic] quiet [/] *now*\x1b[5m\x07 <b>really</b>"


@pytest.fixture
def klass(tmp_path: Path, class_story: Story) -> Path:
    root = tmp_path / "saves" / "9B"
    state = play(class_story, ["keep", "wait", "speak"], answers={"keep": ANSWER})
    save(root, class_story, state, "s1", {"student": NAME, "class": "9B [x]"})
    return root


def test_report_shows_markup_as_typed_and_writes_the_html(klass: Path, class_story: Story, tmp_path: Path,
                                                          capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "report.html"
    assert main(["report", str(klass), "--scenes", class_story.root, "--html", str(out)]) == 0
    terminal = capsys.readouterr().out
    assert "\x1b" not in terminal and "\x07" not in terminal
    assert "[/] <img src=x onerror=alert(1)> [bold]Anna[/bold] (9B [x])" in terminal
    assert "We kept it [sic] quiet [/] *now* <b>really</b>" in terminal
    page = out.read_text(encoding="utf-8")
    assert "[/] &lt;img src=x onerror=alert(1)&gt; [bold]Anna[/bold] (9B [x])" in page
    assert "We kept it [sic] quiet [/] *now* &lt;b&gt;really&lt;/b&gt;" in page
    assert "\x1b" not in page and "<img" not in page


def test_markdown_transcript_escapes_a_name_and_drops_escapes(klass: Path, class_story: Story) -> None:
    pt = load_playthrough(class_story, next(klass.rglob("autosave.json")))
    md = to_markdown(pt)
    facts = next(line for line in md.splitlines() if line.startswith("*") and "Anna" in line)
    assert facts.startswith(r"*\[/\] \<img src=x onerror=alert(1)\> \[bold\]Anna\[/bold\] · class 9B \[x\]")
    assert not re.search(r"(?<!\\)<", md), "every '<' in the Markdown is escaped"
    assert "\x1b" not in md and "\x07" not in md
    assert r"> We kept it \[sic\] quiet \[/\] \*now\* \<b\>really\</b\>" in md
    html = to_html(pt)
    assert "<img" not in html and "\x1b" not in html
    assert "[/] &lt;img src=x onerror=alert(1)&gt; [bold]Anna[/bold]" in html


def test_the_journal_gives_the_answer_without_escape_sequences(klass: Path, class_story: Story) -> None:
    pt = load_playthrough(class_story, next(klass.rglob("autosave.json")))
    answers = [e.answer for e in journal(class_story, pt.state) if e.answer]
    assert answers == ["We kept it [sic] quiet [/] *now* <b>really</b>"]
    assert pt.student == "[/] <img src=x onerror=alert(1)> [bold]Anna[/bold]"


def test_a_typed_student_name_with_escapes_is_refused_and_markup_is_kept_as_text() -> None:
    with pytest.raises(ValueError, match=r"character 5 of the name is a control character \(U\+001B\)"):
        check_student("Anna\x1b[2J")
    assert check_student("[/] Anna") == "[/] Anna"  # markup is text: escaped where it is shown, not refused


@pytest.mark.parametrize(
    ("raw", "line", "block"),
    [
        ("Anna\x1b[2J\x1b[31mred\x1b[0m", "Annared", "Annared"),
        ("\x1b]0;pwned\x07Bob", "Bob", "Bob"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link", "link"),
        ("a\u202eb\u2066c", "abc", "abc"),
        ("x\x00y\x7fz\x85w\x9b31mq", "xyzwq", "xyzwq"),
        ("one\r\ntwo\tthree\rfour", "one two three four", "one\ntwo three\nfour"),
        ("Анна José 李", "Анна José 李", "Анна José 李"),
        ("trailing escape\x1b", "trailing escape", "trailing escape"),
    ],
)
def test_clean_line_and_block(raw: str, line: str, block: str) -> None:
    assert clean_line(raw) == line
    assert clean_block(raw) == block


def test_clean_name_and_answer_keep_none_for_nothing() -> None:
    assert clean_name(None) is None and clean_name("") is None and clean_name("\x1b[2J") is None
    assert clean_name(42) == "42"
    assert clean_answer(None) is None and clean_answer(" \x07 ") is None and clean_answer("a\nb") == "a\nb"


def test_no_control_character_survives_either_cleaner() -> None:
    every = "".join(chr(c) for c in range(0x00, 0xA0)) + "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069"
    for cleaned in (clean_line(every), clean_block(every)):
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", cleaned)
