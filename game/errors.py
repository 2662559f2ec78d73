"""The root of every error Tauride raises on purpose, so a shell can catch them in one place.

Each error lives beside the code that raises it; all of them descend from
`TaurideError`, and each message says what was attempted, what went wrong
and what to do. The tree:

    TaurideError
    ├── StoryError            game.story.problems   a story did not load; `.problems` lists every one, positioned
    ├── ExprError             game.story.expr       an expression is malformed or ill-typed (load time)
    │   └── TemplateError     game.story.template   a `{…}` passage of scene text is malformed
    ├── ExprRuntimeError      game.story.problems   an expression failed while the game ran
    ├── ChoiceError           game.engine.step      the choice asked for is not available now
    ├── RunError              game.engine.step      a run-time expression failure, named by where it was written
    ├── SaveError             game.saves            a save could not be written or read
    ├── SaveFormatError       game.save_json        a save's content is not a valid save (also a ValueError)
    ├── ChapterError          game.views.chapters   a chapter that does not exist or history never reaches
    ├── ReplayError           game.tools.replay     a recorded path could not be read
    ├── HeatError             game.tools.map        the --heat file or folder could not be used
    ├── OutputError           game.output           a command's output file (-o, --html, --json) could not be written
    └── ClassroomError        game.errors           anything a classroom command refuses
        ├── BallotError       game.classroom.ballot a live vote's ballot that cannot be cast (also a ValueError)
        ├── ReaderError       game.classroom.reader what the reading mode tells a student on the page
        ├── CommandError      game.classroom.common a problem printed as `tauride: …`, exit status 1
        ├── PinFileError      game.classroom.students a student's stored PIN cannot be read (the teacher resets it)
        └── VoteError         game.classroom.votes  a vote count or decision that cannot stand (also a ValueError)

This module imports nothing, so the pure core can build on it.
"""

from __future__ import annotations


class TaurideError(Exception):
    """Anything the story, a save, an expression or a classroom command did wrong; catch this to show it."""


class ClassroomError(TaurideError):
    """Anything a classroom command (report, class, guide, serve, transcript) refuses."""
