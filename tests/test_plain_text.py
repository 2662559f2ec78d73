"""The plain-text rendering of the views for what plain mode cannot produce itself:
class votes and reflection answers (they come from classroom play)."""

from __future__ import annotations

from wire_story import MANIFEST, SCENES

from game import engine
from game.plain_text import debrief_lines, journal_lines, minutes, sentence
from game.story_folder import load_folder
from game.views import debrief, journal


def test_votes_and_answers_are_labelled_lines(make_story) -> None:
    scenes = SCENES.replace('goto: hall, effects: [told = true]}', 'goto: hall, effects: [told = true], reflect: Why tell them?}')
    story = load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": scenes})))
    state = engine.choose(story, engine.new_game(story, seed=1), "read", votes={"keep": 1, "read": 17}, answer="They should know")
    assert journal_lines(story, journal(story, state))[:6] == [
        "Entry 1. 16:00, Tauride Palace. The wire.",
        "Chkheidze hands you the form. Resolve is 2.",
        "You chose: Read it aloud (resolve 2).",
        "The class voted: Keep it secret: 1 vote; Read it aloud (resolve 2): 17 votes.",
        "Asked: Why tell them? Answered: They should know.",
        "",
    ]
    lines = debrief_lines(debrief(story, state))
    assert lines[4:10] == [
        "Decision 1. 16:00, The wire.",
        "You chose: Read it aloud (resolve 2).",
        "History: Keep it secret. Not what history did. Here you left history's path.",
        "The class voted: Keep it secret: 1 vote; Read it aloud (resolve 2): 17 votes.",
        "Your answer: They should know.",
        "What really happened. Chkheidze kept the wire back.",
    ]


def test_small_words() -> None:
    assert [minutes(n) for n in (1, 15, 60, 90, 120)] == ["1 minute", "15 minutes", "1 hour", "90 minutes", "2 hours"]
    assert [sentence(t) for t in ("Go", "Go.", "Go?", "“Go!”", "Read (2)", "")] == [
        "Go.", "Go.", "Go?", "“Go!”", "Read (2).", ""]


def test_markdown_is_read_as_plain_words() -> None:
    from game.plain_text import unmark

    assert unmark("**Decision point 3.** In *Stormy Passage* and _Izvestiia_, see [Pipes](https://example.org).") == (
        "Decision point 3. In Stormy Passage and Izvestiia, see Pipes.")
    # CommonMark, as the full-screen game reads it: `*3*` inside a word is emphasis there too
    assert unmark("# Notes\nsnake_case, 2*3*4 and a * b stay") == "Notes\n\nsnake_case, 234 and a * b stay"


def test_plain_text_follows_commonmark() -> None:
    """The cases a regular expression got wrong: literal asterisks, escapes, quotes, and soft line breaks."""
    from game.plain_text import unmark

    assert unmark("*** spaced ***") == "*** spaced ***"
    assert unmark("\\*\\*\\*") == "***"
    assert unmark("> The crowd shouts.\n> Nobody moves.") == "    The crowd shouts. Nobody moves."
    assert ">" not in unmark("> quoted")
    # a line break in the YAML file is a space; paragraphs stay apart
    assert unmark("One line\nand the next.\n\nA new paragraph.") == "One line and the next.\n\nA new paragraph."
    assert unmark("- tea\n- bread\n\n1. first\n2. second") == "- tea\n- bread\n\n1. first\n2. second"


def test_plain_text_wraps_to_a_width_or_not_at_all() -> None:
    from game.plain_text import unmark

    text = "word " * 30
    assert unmark(text) == ("word " * 30).strip()  # piped: one line a paragraph, for a screen reader or a file
    wrapped = unmark(text, 40).split("\n")
    assert len(wrapped) > 1 and all(len(line) <= 40 for line in wrapped)
    assert unmark("> " + text, 40).split("\n")[1].startswith("    word")


def test_a_reader_that_goes_away_ends_the_session_quietly_and_keeps_the_place(make_story, tmp_path) -> None:
    import io

    from game.plain import run_plain
    from game.saves import SaveStore

    class Closing(io.StringIO):
        def write(self, text: str) -> int:
            if "Scene: The session" in self.getvalue():
                raise BrokenPipeError(32, "Broken pipe")
            return super().write(text)

    story = load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": SCENES})))
    store = SaveStore(tmp_path / "saves")
    code = run_plain(story, engine.new_game(story, seed=1), store, io.StringIO("1\n1\n1\n"), Closing())
    assert code == 0
    assert store.load("autosave", story).scene == "hall"


def test_plain_modes_own_sentences_fold_between_words_on_a_terminal(make_story, tmp_path, monkeypatch) -> None:
    """A question or notice is one line of plain mode's; a terminal cut the long ones mid-word. On a
    terminal they fold between words (a list's line hanging under its words); piped, one line stays one."""
    import io

    from game.plain import run_plain
    from game.plain_text import fold
    from game.saves import SaveStore

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    question = "There is a save called 'mine' already (16:05, The hall, 1 choice). Replace it with this game?"
    assert fold(question, None) == question and fold("short", 10) == "short"
    assert fold(question, 40).split("\n") == ["There is a save called 'mine' already", "(16:05, The hall, 1 choice). Replace it",
                                              "with this game?"]
    assert fold("  3. " + "word " * 12, 30).split("\n")[1].startswith("     word")  # under the words, not the number

    monkeypatch.setenv("COLUMNS", "41")  # (a StringIO has no terminal size: the environment's is read)
    story = load_folder(str(make_story({"story.yaml": MANIFEST, "16.yaml": SCENES})))
    store = SaveStore(tmp_path / "saves")
    out = Terminal()
    run_plain(story, engine.new_game(story, seed=1), store, io.StringIO("1\nsave mine\n1\nsave mine\nno\n"), out)
    lines = out.getvalue().split("\n")
    long = [line for line in lines if len(line) > 40]
    assert lines and all(" " not in line.strip() for line in long), long  # only a word too long for a line: a path
    said = " ".join(" ".join(lines).split())
    assert "Replace it with this game? Type yes to replace it; anything else keeps it." in said
