"""The pages a student sees before their game: the sign-in form, and plain refusals.

Plain HTML with the report pages' inline style sheet: no script, nothing
fetched, every value a student typed escaped. No page says anything about
the laptop (no file path, no traceback): a refusal says what to do next.
"""

from __future__ import annotations

from typing import Sequence

from .page import esc, page

FORM_CSS = """
form.signin { display: grid; gap: .9rem; max-width: 24rem; margin: 1.5rem 0; }
form.signin label { display: grid; gap: .25rem; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: .95rem; }
form.signin input { font: 1.1rem/1.4 system-ui, "DejaVu Sans", sans-serif; padding: .45rem .6rem;
                    border: 1px solid var(--muted); border-radius: 4px; background: #fff; color: var(--ink); }
form.signin small { color: var(--muted); }
form.signin button { font: 600 1.05rem/1 system-ui, "DejaVu Sans", sans-serif; padding: .7rem 1rem; border: 0;
                     border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; justify-self: start; }
form.signin button.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
form.signin fieldset { border: 1px solid var(--muted); border-radius: 4px; padding: .5rem .8rem .7rem; margin: 0;
                       font-family: system-ui, "DejaVu Sans", sans-serif; }
form.signin fieldset label { display: flex; gap: .5rem; align-items: baseline; padding: .3rem 0; }
form.signin fieldset input { padding: 0; }
form.signin legend { font-size: .95rem; padding: 0 .3rem; }
p.refused { padding: .6rem .8rem; border-left: 4px solid var(--accent); background: #fff; }
"""


def chair_choice(chairs: Sequence[tuple[str, str, str]], chosen: str = "") -> str:
    """The form's chair question: one radio button per (id, who the player is, that chair's story title).

    No chair is ticked before the student ticks one (unless the form comes back after a refusal): which
    side of the door they stand on is the student's choice, not a default they may not notice.
    """
    if not chairs:
        return ""
    rows = "".join(
        f'<label><input type="radio" name="chair" id="chair-{esc(cid)}" value="{esc(cid)}" required'
        f'{" checked" if cid == chosen else ""}><span><strong>{esc(who)}</strong><br>'
        f'<small>{esc(story)}</small></span></label>\n'
        for cid, who, story in chairs)
    return (f'<fieldset id="chairs"><legend>Your chair: whose afternoon you play</legend>\n{rows}'
            '<small>Your teacher may have told you which. Each chair keeps its own game.</small></fieldset>\n')


def signin_page(title: str, *, needs_code: bool, message: str | None = None, name: str = "",
                reading: bool = False, chairs: Sequence[tuple[str, str, str]] = (), chair: str = "") -> str:
    """The sign-in form; `message` (a refusal, plain words) shows above it, `name` is kept as typed.

    `chairs`: the story's chairs to pick from (`serve --chair pick`), `chair` the one picked before a refusal."""
    refused = f'<p class="refused" role="alert" id="refused">{esc(message)}</p>\n' if message else ""
    code = ('<label>Class code<input name="code" id="code" autocomplete="off" autocapitalize="characters" '
            'required maxlength="32"><small>On the board, or ask your teacher.</small></label>\n') if needs_code else ""
    read = ('<button type="submit" id="read" name="mode" value="read" class="secondary">Read it instead '
            '(for screen readers and keyboards: the story as a web page)</button>\n') if reading else ""
    body = f"""<h1>{esc(title)}</h1>
<p class="sub">Sign in to play. Your saves are kept under your name, for you and your teacher.</p>
{refused}<form class="signin" method="post" action="/sign-in">
<label>Your name<input name="name" id="name" value="{esc(name)}" required maxlength="64" autocomplete="name"
 autofocus></label>
{code}<label>Your PIN<input name="pin" id="pin" type="password" inputmode="numeric" required maxlength="8"
 autocomplete="current-password"><small>4 to 8 digits. The first time, choose one and remember it.</small></label>
<label>PIN again (first time only)<input name="pin2" id="pin2" type="password" inputmode="numeric" maxlength="8"
 autocomplete="new-password"><small>Leave empty when you have signed in before.</small></label>
{chair_choice(chairs, chair)}<button type="submit" id="go">Play</button>
{read}</form>
<p class="sub">Forgot your PIN? Your teacher can reset it; your saves stay.</p>"""
    return page(f"Sign in · {title}", body).replace("</style>", FORM_CSS + "</style>", 1)


def refusal_page(title: str, message: str) -> str:
    """A page that only says why, and the way back to the sign-in form."""
    body = f'<h1>{esc(title)}</h1>\n<p class="refused" role="alert">{esc(message)}</p>\n<p><a href="/">Back to sign in</a></p>'
    return page(title, body).replace("</style>", FORM_CSS + "</style>", 1)
