"""The accessible reading mode of a served game: the scene as HTML, choices as buttons, no canvas.

In the browser the game is a canvas, and a screen reader meets one empty
"Terminal input" box. Beside it the classroom server offers this mode (a
link on the sign-in page): the same game, from the same engine and views
plain mode uses — `engine.scene_text`, `engine.choices`, the shown
variables, `views.TermFinder` for glossary terms, `plain_text.debrief_lines`
at an ending, `views.teaching.opening` before a new game — written as
semantic HTML: one `<h1>` for the scene, the clock,
place and meters as text, glossary terms as links to their entries, each
choice a `<button>` in a form (keyboard and screen reader work with no
script at all), a reflection question as a labelled text box; the journal
and the timeline in plain mode's words (`journal_lines`, `timeline_groups`),
the last choice taken back as the game's undo, and at an ending a new game.

It is not a second story engine: every step goes through `engine.choose`
and the student's own autosave (`SaveStore.autosave`, as the game does), so
the canvas game and the reading mode go on from each other, and the
teacher's view and the report see the same saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import engine
from ..active_time import META_KEY, ActiveTime
from ..engine import ChoiceView, State
from ..errors import ClassroomError
from ..finders import finder_for
from ..plain_text import TIMELINE_INTRO, debrief_lines, journal_lines, timeline_groups, unmark
from ..saves import SaveError, SaveStore, autosave_name
from ..story.model import Story, format_clock
from ..views import TermFinder, debrief, journal, journal_problem, timeline
from ..views.hours import hour_now
from ..views.teaching import Opening
from ..views.teaching import opening as make_opening
from ..words import NOTHING_TO_UNDO, UNDO_LOCKED
from .page import esc, md, page

READ_CSS = """
main { max-width: 42rem; }
nav.where { font: .95rem/1.5 system-ui, "DejaVu Sans", sans-serif; color: var(--muted); }
nav.where a { color: var(--accent); }
.meters { font: .95rem/1.5 system-ui, "DejaVu Sans", sans-serif; }
form.choices { display: grid; gap: .7rem; margin: 1.2rem 0; }
form.choices fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: .7rem; }
form.choices legend { font: 600 1.1rem/1.4 system-ui, "DejaVu Sans", sans-serif; margin-bottom: .5rem; }
form.choices button, form.answer button { font: 1.05rem/1.4 system-ui, "DejaVu Sans", sans-serif; text-align: left;
  padding: .7rem 1rem; border: 2px solid var(--accent); border-radius: 6px; background: #fff; color: var(--ink);
  cursor: pointer; }
form.choices button:focus-visible, form.answer button:focus-visible, form.answer textarea:focus-visible,
  a:focus-visible { outline: 3px solid var(--bar); outline-offset: 2px; }
form.answer { display: grid; gap: .6rem; margin: 1.2rem 0; }
form.undo button, form.new-game button, form.sign-out button { font: .95rem/1.4 system-ui, "DejaVu Sans", sans-serif;
  padding: .4rem .8rem; border: 1px solid var(--rule); border-radius: 6px; background: #fff; color: var(--ink);
  cursor: pointer; }
form.undo button:focus-visible, form.new-game button:focus-visible, form.sign-out button:focus-visible {
  outline: 3px solid var(--bar); outline-offset: 2px; }
form.sign-out { margin-top: 2rem; }
form.answer label { font: 600 1.05rem/1.45 system-ui, "DejaVu Sans", sans-serif; }
form.answer textarea { font: 1rem/1.5 system-ui, "DejaVu Sans", sans-serif; padding: .5rem; min-height: 5rem; }
p.locked { color: var(--muted); }
dl.gloss dt { font-weight: 600; margin-top: .8rem; }
p.refused { padding: .6rem .8rem; border-left: 4px solid var(--accent); background: #fff; }
section.opening { margin: 0 0 1.6rem; padding: .8rem 1.1rem; border: 1px solid var(--rule);
  border-left: 6px solid var(--accent); border-radius: 4px; background: #fff; }
section.opening h2 { font: 600 1.1rem/1.4 system-ui, "DejaVu Sans", sans-serif; margin: 0 0 .3rem; padding: 0;
  border: 0; color: var(--accent); }
section.opening p { margin: .5rem 0; }
"""


_BACK = '<nav class="where" aria-label="Back"><p><a href="/read">Back to the story</a></p></nav>'
"""The first thing on every page but the scene's: the way back to it."""
_SIGN_OUT = ('<form class="sign-out" method="post" action="/read/sign-out">'
             '<button type="submit">Sign out (your game is saved)</button></form>')
"""The last thing on the scene's page: a shared computer's next student must not go on as this one."""


@dataclass
class ReaderSession:
    """One student reading: who, their save folder, and the question waiting for an answer, if any."""

    name: str
    store: SaveStore
    meta: dict[str, Any] = field(default_factory=dict)
    asking: str | None = None
    """The choice whose reflection question is on the page: the next post answers it."""
    story: Story | None = None
    """The chair the student picked (`serve --chair pick`); None: the server's story."""
    anew: bool = False
    """A new game asked for at an ending, not yet saved: the autosave holds the finished game (kept as a
    finished save as well) until the new game's first choice, whose autosave replaces it, as in the game."""
    active: ActiveTime = field(default_factory=ActiveTime)
    """Time on task, as the game keeps it: every page asked for is an input (`touch`), gaps capped; written
    into every autosave's meta, so the teacher's view and the report count a reader's minutes too."""

    saved_seconds: float = field(init=False, default=0.0)
    """The time on task the autosave holds (`save_meta` notes it): what `keep_time` has yet to write is above it."""

    def __post_init__(self) -> None:
        self.saved_seconds = self.active.seconds  # what the session was started from is the autosave's

    def save_meta(self) -> dict[str, Any]:
        """What every autosave of this session records beside the game (its time on task then noted as saved)."""
        self.saved_seconds = self.active.seconds
        return {**self.meta, "mode": "reading", META_KEY: round(self.active.seconds)}


TIME_KEPT_EVERY = 60.0
"""A reader's time on task is written into the autosave once it has grown by this much since the last write."""


def keep_time(story: Story, session: ReaderSession, every: float = TIME_KEPT_EVERY) -> None:
    """Write the reader's time on task into their autosave once it has grown by `every` seconds unsaved.

    A choice's autosave writes it anyway; this keeps the minutes spent reading after the last choice
    (a long scene, the ending and its history, the journal) for a student who then closes the page: the
    game writes them as it closes, a web page never says it is closing. The state written is the
    autosave's own, so nothing of the game changes. A game not yet begun (`is_new_game`) has no autosave
    of its own to write into: its first choice counts them.
    """
    if is_new_game(story, session) or session.active.seconds - session.saved_seconds < every:
        return
    try:
        state = session.store.load(autosave_name(story), story)
        session.store.autosave(story, state, session.save_meta())
    except SaveError:
        pass  # the next choice writes them, or tells the student why their game cannot be saved


class ReaderError(ClassroomError):
    """Something the student should be told on the page (plain words, no laptop paths)."""


def is_new_game(story: Story, session: ReaderSession) -> bool:
    """The student has no game of this story going on: none yet, or a new one begun at an ending (`anew`).
    A game is new until its first choice is autosaved."""
    return session.anew or not session.store.exists(autosave_name(story))


def current_state(story: Story, session: ReaderSession, start: str | None = None,
                  chapter: int | None = None) -> State:
    """The student's game: their autosave, or a new game (from `start`, or at `chapter`) when they have none
    going on (`is_new_game`)."""
    if not is_new_game(story, session):
        try:
            return session.store.load(autosave_name(story), story)
        except SaveError:
            raise ReaderError("Your autosave cannot be read. Tell your teacher; nothing has been changed.") from None
    if chapter is not None:
        from ..views.chapters import ChapterError, chapter_state

        try:
            return chapter_state(story, chapter)
        except ChapterError as err:
            raise ReaderError(f"The lesson's chapter cannot start: {err}.") from None
    return engine.new_game(story, start=start)


def new_game_opening(story: Story, session: ReaderSession, chapter: int | None = None) -> Opening | None:
    """What a new game says before its first scene: the content note and, at a chapter, the story so far.

    The same `opening` the terminal game, plain mode and the class screen show, for a new game
    (`is_new_game`); a student going on with their autosave, from here or from the canvas game, has
    read it already: None.
    """
    if not is_new_game(story, session):
        return None
    if chapter is None:
        return make_opening(story)
    from ..views.chapters import ChapterError
    from ..views.chapters import chapter as chapter_of

    try:
        return make_opening(story, chapter_of(story, chapter))
    except ChapterError as err:
        raise ReaderError(f"The lesson's chapter cannot start: {err}.") from None


def choose(story: Story, session: ReaderSession, state: State, choice_id: str, answer: str | None,
           *, new_game: bool) -> State:
    """One step through the engine, then the autosave, as the game itself does."""
    try:
        new = engine.choose(story, state, choice_id, answer=answer)
    except (engine.ChoiceError, engine.RunError) as err:
        raise ReaderError(f"That choice cannot be taken: {err}.") from None
    try:
        session.store.autosave(story, new, session.save_meta(), new_game=new_game)
    except SaveError:
        raise ReaderError("Your choice could not be saved. Tell your teacher.") from None
    session.anew = False  # the new game is the autosave's now
    return new


def take_back(story: Story, session: ReaderSession, state: State) -> State:
    """The last choice taken back, as the game's undo does (randomness replayed), then the autosave.

    The caller has checked that there is a choice to take back and that undo is not locked (`undo_refusal`)."""
    try:
        new = engine.undo(story, state, 1)
    except (engine.ChoiceError, engine.RunError) as err:
        raise ReaderError(f"That choice cannot be taken back: {err}.") from None
    try:
        session.store.autosave(story, new, session.save_meta())
    except SaveError:
        raise ReaderError("Taking the choice back could not be saved. Tell your teacher.") from None
    return new


def undo_refusal(state: State, locked: bool) -> str | None:
    """Why the last choice cannot be taken back here, in the terminal game's words; None when it can."""
    if locked:
        return UNDO_LOCKED
    if not state.own_steps:
        return NOTHING_TO_UNDO
    return None


def _undo_form(state: State, locked: bool) -> str:
    """The button that takes the last choice back: only where there is one to take back and undo is not locked."""
    if undo_refusal(state, locked) is not None:
        return ""
    return ('<form class="undo" method="post" action="/read/undo">'
            '<button type="submit">Take back your last choice</button></form>')


def _terms(story: Story, text: str, finder: TermFinder, place: str | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for span in finder.find(text):
        entry = story.glossary[span.entry]
        if entry.term != place and (entry.id, entry.term) not in out:
            out.append((entry.id, entry.term))
    return out


def scene_page(story: Story, state: State, session: ReaderSession, *, message: str | None = None,
               finder: TermFinder | None = None, opening: Opening | None = None, locked: bool = False) -> str:
    """The scene the student stands in, as a page: heading, where and when, text, meters, terms, choices.

    `opening` (`new_game_opening`): shown first, above the scene's heading, as plain mode says it before
    anything else; the student reads on past it to the scene, with nothing to click away. `locked`: an
    assessed run (`serve --locked`), whose page offers no undo.
    """
    finder = finder or finder_for(story.glossary)
    scene = engine.scene_of(story, state)
    place = story.glossary[scene.place].term if scene.place and scene.place in story.glossary else None
    hour = hour_now(story, state)
    try:
        text = engine.scene_text(story, state).strip()
    except engine.RunError as err:
        text = f"This scene's text cannot be shown: {err}."
    title = engine.scene_title(story, state)
    where = " · ".join(b for b in (format_clock(state.clock), place, engine.hour_title(story, state, hour) if hour else None)
                       if b)
    parts = [f'<nav class="where" aria-label="Where and when"><p>{esc(where)} · playing as {esc(session.name)} · '
             '<a href="/read/journal">Your journal</a> · <a href="/read/timeline">Timeline</a> · '
             '<a href="/read/glossary">Glossary</a> · <a href="/read/history">What really happened</a></p></nav>',
             *_opening(opening), f"<h1>{esc(title)}</h1>"]
    if message:
        parts.append(f'<p class="refused" role="alert">{esc(message)}</p>')
    parts.append(f'<div class="text">{md(text)}</div>')
    if scene.ending:
        parts.append(f"<h2>Ending: {esc(engine.ending_title(story, state))}</h2>")
        parts.append(f'<div class="text">{md(engine.epilogue(story, state))}</div>')
        lines = [unmark(line) for line in debrief_lines(debrief(story, state)) if line.strip()]
        parts.append("<h2>Your choices and history</h2>\n<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
        parts.append("<p>The story is over. Your teacher has your save.</p>")
        parts.append('<form class="new-game" method="post" action="/read/new">'
                     '<button type="submit">Start a new game</button></form>')
        parts.append(_undo_form(state, locked))
        parts.append(_SIGN_OUT)
        return _page(story, title, "\n".join(parts))
    shown = [v for v in story.variables.values() if v.shown]
    if shown:
        meters = "; ".join(f"{v.display_name}: {state.vars[v.name]}" for v in shown)
        parts.append(f'<p class="meters"><strong>Where things stand:</strong> {esc(meters)}.</p>')
    terms = _terms(story, text, finder.for_scene(scene), place)
    if terms:
        links = ", ".join(f'<a href="/read/glossary#{esc(tid)}">{esc(term)}</a>' for tid, term in terms)
        parts.append(f"<p>In the glossary: {links}.</p>")
    options = engine.choices(story, state)
    if session.asking is not None:
        view = next((c for c in options if c.id == session.asking), None)
        if view is not None and view.reflect:
            parts.append(_question(view))
            return _page(story, title, "\n".join(parts))
        session.asking = None
    parts.append(_choices(options))
    parts.append(_undo_form(state, locked))
    parts.append(_SIGN_OUT)
    return _page(story, title, "\n".join(parts))


def _opening(intro: Opening | None) -> list[str]:
    if intro is None or intro.empty:
        return []
    return ['<section class="opening" aria-labelledby="before-you-begin">\n'
            f'<h2 id="before-you-begin">{esc(intro.TITLE)}</h2>\n{md(intro.markdown())}\n</section>']


def _choices(options: list[ChoiceView]) -> str:
    rows = []
    for i, c in enumerate(options, 1):
        cost = f" ({c.cost} min)" if c.cost else ""
        if c.enabled:
            rows.append(f'<button type="submit" name="choice" value="{esc(c.id)}">{i}. {esc(c.text)}{esc(cost)}</button>')
        else:
            rows.append(f'<p class="locked">{i}. {esc(c.text)} — not possible now: '
                        f"{esc(c.locked_reason or 'not possible now')}</p>")
    return ('<form class="choices" method="post" action="/read/choose">\n<fieldset>'
            "<legend>What do you do?</legend>\n" + "\n".join(rows) + "\n</fieldset>\n</form>")


def _question(view: ChoiceView) -> str:
    return (f'<form class="answer" method="post" action="/read/answer">\n'
            f'<p>You chose: <strong>{esc(view.text)}</strong>.</p>\n'
            f'<label for="answer">{esc(view.reflect or "")}</label>\n'
            '<textarea id="answer" name="answer" maxlength="2000"></textarea>\n'
            '<button type="submit">Answer and go on</button>\n'
            '<button type="submit" name="skip" value="1">Go on without answering</button>\n</form>')


def glossary_page(story: Story) -> str:
    items = "\n".join(f'<dt id="{esc(g.id)}">{esc(g.term)}</dt><dd>{md(g.text.strip())}</dd>'
                      for g in sorted(story.glossary.values(), key=lambda g: g.term.casefold()))
    body = f"{_BACK}\n<h1>Glossary</h1>\n<dl class=\"gloss\">\n{items}\n</dl>"
    return _page(story, "Glossary", body)


def history_page(story: Story, state: State) -> str:
    scene = engine.scene_of(story, state)
    title = engine.scene_title(story, state)
    parts = [_BACK, f"<h1>What really happened: {esc(title)}</h1>"]
    if scene.history:
        label = "An invented scene" if scene.history.invention else "What really happened"
        parts.append(f"<h2>{label}</h2>\n{md(scene.history.note.strip())}")
    elif scene.ending:
        parts.append(md(scene.ending.history.strip()))
    else:
        parts.append("<p>The writer left no historical note for this scene.</p>")
    return _page(story, f"What really happened · {title}", "\n".join(parts))


def journal_page(story: Story, state: State) -> str:
    """Every scene the student has been through, what they chose and answered: plain mode's `journal`, an
    entry a heading, so a screen reader can go from entry to entry."""
    entries = journal(story, state)
    parts = [_BACK, "<h1>Your journal</h1>",
             f"<p>{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, the first scene first.</p>"]
    problem = journal_problem(story, state)
    if problem:
        parts.append(f'<p class="refused" role="note">Note: {esc(problem)}.</p>')
    for n, entry in enumerate(entries, 1):
        head, *said = [line for line in journal_lines(story, [entry], [n]) if line]
        parts.append(f"<h2>{esc(head)}</h2>")
        parts += [f"<p>{esc(paragraph)}</p>" for line in said for paragraph in line.split("\n\n")]
    return _page(story, "Your journal", "\n".join(parts))


def timeline_page(story: Story, state: State) -> str:
    """The day as history records it beside the student's afternoon: plain mode's `timeline`, a time a heading."""
    groups, after = timeline_groups(timeline(story, state))
    about = TIMELINE_INTRO.removeprefix("Timeline: ")  # (the heading says "Timeline")
    parts = [_BACK, "<h1>Timeline</h1>", f"<p>{esc(about[:1].upper() + about[1:])}</p>"]
    for clock, said in groups:
        parts.append(f"<h2>{esc(clock)}</h2>\n<ul>" + "".join(f"<li>{esc(line)}</li>" for line in said) + "</ul>")
    parts += [f"<p>{esc(line)}</p>" for line in after]
    return _page(story, "Timeline", "\n".join(parts))


def _page(story: Story, title: str, body: str) -> str:
    return page(f"{title} · {story.title}", body).replace("</style>", READ_CSS + "</style>", 1)
