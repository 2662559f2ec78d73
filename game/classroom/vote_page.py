"""The live vote's pages on students' devices: join with the class code, then vote.

Plain HTML that works with no script at all (each choice is a submit
button in a form), made a little livelier by `VOTE_JS`: it polls the
ballot every second or two and swaps in the new fragment only when the
ballot changed, so a screen reader's place is not lost on every poll. The
script is served from the same server (the page's Content-Security-Policy
allows no inline script and nothing from elsewhere); nothing comes from a
CDN, the page works on a classroom network with no internet.
"""

from __future__ import annotations

from ..plain_text import sentence
from .ballot import Ballot
from .page import esc, page

VOTE_CSS = """
main { max-width: 34rem; }
.status { font: 1.05rem/1.5 system-ui, "DejaVu Sans", sans-serif; padding: .6rem .8rem; background: #fff;
          border-left: 4px solid var(--bar); }
form.vote { display: grid; gap: .8rem; margin: 1rem 0; }
form.vote fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: .8rem; }
form.vote legend { font: 600 1.15rem/1.4 system-ui, "DejaVu Sans", sans-serif; margin-bottom: .6rem; }
form.vote button, form.join button { font: 600 1.15rem/1.35 system-ui, "DejaVu Sans", sans-serif; text-align: left;
          padding: .9rem 1rem; min-height: 3rem; border: 2px solid var(--accent); border-radius: 6px;
          background: #fff; color: var(--ink); cursor: pointer; width: 100%; }
form.vote button:focus-visible, form.join button:focus-visible, form.join input:focus-visible
          { outline: 3px solid var(--bar); outline-offset: 2px; }
form.join { display: grid; gap: .9rem; margin: 1.2rem 0; }
form.join label { display: grid; gap: .3rem; font: 1rem/1.4 system-ui, "DejaVu Sans", sans-serif; }
form.join input { font: 1.3rem/1.4 "DejaVu Sans Mono", monospace; letter-spacing: .15em; padding: .5rem .7rem;
          border: 1px solid var(--muted); border-radius: 4px; }
form.join button { background: var(--accent); color: #fff; text-align: center; }
p.refused { padding: .6rem .8rem; border-left: 4px solid var(--accent); background: #fff; }
"""

VOTE_JS = """'use strict';
(function () {
  var box = document.getElementById('ballot');
  var note = document.getElementById('note');
  if (!box) { return; }
  function say(text) { note.textContent = text; }
  function show(data) {
    if (data.version !== box.getAttribute('data-version')) {
      var focused = document.activeElement && box.contains(document.activeElement);
      box.innerHTML = data.html;
      box.setAttribute('data-version', data.version);
      if (focused) { var first = box.querySelector('button, h2'); if (first) { first.focus(); } }
    }
  }
  var lost = false;  // the note says so while the teacher's computer cannot be reached, and no longer after
  function poll() {
    fetch('/ballot', {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (lost) { lost = false; say(''); }
        if (data) { show(data); }
      })
      .catch(function () { lost = true; say('Lost touch with the teacher\\'s computer; trying again…'); });
  }
  box.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!button || !form.classList.contains('vote')) { return; }
    event.preventDefault();
    var body = new URLSearchParams();
    body.set('ballot', form.elements.ballot.value);
    body.set('choice', button.value);
    Array.prototype.forEach.call(form.querySelectorAll('button'), function (b) { b.disabled = true; });
    fetch('/vote', {method: 'POST', credentials: 'same-origin', body: body,
                    headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.json(); })
      .then(function (data) { say(data.message); show(data); })
      .catch(function () { say('The vote did not reach the teacher\\'s computer; try again.'); poll(); });
  });
  setInterval(poll, 1500);
})();
"""


def ballot_fragment(ballot: Ballot | None, voted: str | None) -> tuple[str, str]:
    """The ballot part of the page and its version (the page swaps it in only when the version changes)."""
    if ballot is None:
        return "wait", ('<h2 tabindex="-1">Waiting for the next decision</h2>\n'
                        '<p class="status">Listen to the story. The choices appear here when it is time to vote.</p>')
    label = {o.id: o.label for o in ballot.options}
    version = f"{ballot.number}:{int(ballot.open)}:{voted or ''}"
    head = f'<h2 tabindex="-1">{esc(ballot.title)}</h2>\n'
    if voted is not None:
        chosen = label.get(voted, voted)
        stop = "" if sentence(chosen) == chosen.strip() else "."  # a choice that ends a sentence gets no second one
        return version, head + (f'<p class="status">Your vote is in: <strong>{esc(chosen)}</strong>{stop} '
                                "One vote per device; wait for the teacher to close the vote.</p>")
    if not ballot.open:
        return version, head + '<p class="status">The vote is closed. Wait for the next decision.</p>'
    buttons = "\n".join(f'<button type="submit" name="choice" value="{esc(o.id)}">{i}. {esc(o.label)}</button>'
                        for i, o in enumerate(ballot.options, 1))
    return version, head + (f'<form class="vote" method="post" action="/vote">\n'
                            f'<input type="hidden" name="ballot" value="{ballot.number}">\n'
                            f'<fieldset><legend>What should we do? Choose one.</legend>\n{buttons}\n</fieldset>\n</form>')


def vote_page(title: str, ballot: Ballot | None, voted: str | None, message: str | None = None) -> str:
    """The whole vote page for one device."""
    version, fragment = ballot_fragment(ballot, voted)
    body = (f"<h1>{esc(title)}</h1>\n<p class=\"sub\">The class votes together. Tap a choice: one vote per device.</p>\n"
            f'<p id="note" role="status" aria-live="polite">{esc(message or "")}</p>\n'
            f'<section id="ballot" aria-live="polite" data-version="{esc(version)}">\n{fragment}\n</section>\n'
            '<script src="/vote.js"></script>')
    return page(f"Vote · {title}", body).replace("</style>", VOTE_CSS + "</style>", 1)


def join_page(title: str, code: str = "", message: str | None = None) -> str:
    """The class-code form (pre-filled when the device came from the QR code)."""
    refused = f'<p class="refused" role="alert">{esc(message)}</p>\n' if message else ""
    body = (f"<h1>{esc(title)}</h1>\n<p class=\"sub\">Join the class's vote. No name, no account: "
            "your device gets one vote at each decision.</p>\n"
            f'{refused}<form class="join" method="post" action="/join">\n'
            f'<label for="code">Class code (on the board)</label>\n'
            f'<input id="code" name="code" value="{esc(code)}" required maxlength="32" autocomplete="off" '
            'autocapitalize="characters">\n<button type="submit">Join the vote</button>\n</form>')
    return page(f"Join the vote · {title}", body).replace("</style>", VOTE_CSS + "</style>", 1)
