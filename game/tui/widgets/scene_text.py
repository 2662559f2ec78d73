"""The scene's text: Markdown with glossary names as links, shown at once or typed out.

Scene text is mostly paragraphs, with emphasis, glossary links and now and
then a quotation. The text is parsed with markdown-it under the rules
Textual's Markdown widget uses, and those parts are drawn as Textual
`Content` (with the widget's styles for emphasis and links) in a handful of
`Static`s — one for each run of paragraphs, one for each quotation — that
stay on screen from scene to scene and are only given new content: a new
scene costs no widgets, no restyling and no parsing thread. Textual's
`Markdown` widget (a widget per paragraph, re-built for every scene) cost
most of a keypress. Anything else Markdown can say (headings, lists,
tables, code) is rare in a scene and is shown by Textual's `Markdown`
widget, imported only when a text needs it, so the look of every text stays
what Markdown gives.

Typed reveal adds a few words at a time and never cuts a link's markup in
half; `finish()` (any key, in the play screen) shows the rest at once. The
widget posts `Revealed` when the whole text is on screen, which is when the
play screen lets the player choose (text shown at once needs no message:
`show` says so), and `LinkClicked` when a link is clicked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, cast

from textual.content import Content, Span
from textual.message import Message
from textual.style import Style
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from ..marking import reveal_points
from .settled import Settled

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

WORDS_PER_TICK = 5
TICK_SECONDS = 0.04

Kind = Literal["text", "quote"]
Block = tuple[Kind, Content]
"""A piece of the page: a run of paragraphs, or one quotation, and what it says."""

_SPACES = re.compile(r"\s+")
_ADDRESS = re.compile(r"://|www\.|@", re.I)
"""What linkify could turn into a link: without any of these, it would find nothing."""


@lru_cache(maxsize=2)
def _parser(linkify: bool) -> "MarkdownIt":
    # Imported when first needed or prepared (`prepare_parser`), not with this module: a
    # start straight into another screen never pays for it.
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like") if linkify else MarkdownIt("commonmark").enable(["table", "strikethrough"])


def prepare_parser() -> None:
    """Import and build the parser for plain scene text now (the title does, while the player reads
    it), so the first scene after "New game" does not wait ~30 ms for it."""
    _parser(False)


def _parse(markdown: str) -> "list[Token]":
    """Tokens as Textual's Markdown widget parses them ("gfm-like": CommonMark with tables,
    strikethrough and bare addresses made links); only a text with an address in it needs
    the slower linkify pass."""
    return _parser(bool(_ADDRESS.search(markdown))).parse(markdown)


def _inline(token: "Token") -> Content:
    """One paragraph's words with their styles and links (as Textual's Markdown draws them)."""
    parts: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[str | Style, int]] = []
    at = 0

    def add(text: str) -> None:
        nonlocal at
        parts.append(text)
        at += len(text)

    def close() -> None:
        style, start = opened.pop()
        spans.append(Span(start, at, style))

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            add(_SPACES.sub(" ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            opened.append((".code_inline", at))
            add(child.content)
            close()
        elif kind in ("em_open", "strong_open", "s_open"):
            opened.append(("." + kind[:-5], at))
        elif kind == "link_open":
            opened.append((Style.from_meta({"@click": f"link({child.attrs.get('href', '')!r})"}), at))
        elif kind == "image":
            opened.append((Style.from_meta({"@click": f"link({child.attrs.get('src', '')!r})"}), at))
            add("🖼  ")
            if child.content:
                add(f"({child.content})")
            close()
        elif kind == "html_inline":
            add(child.content)
        elif kind.endswith("_close") and opened:
            close()
    return Content("".join(parts), spans=spans)


def blocks_of(markdown: str) -> list[Block] | None:
    """The text as runs of paragraphs and quotations; None when it holds anything else Markdown draws."""
    tokens = _parse(markdown)
    out: list[Block] = []
    run: list[Content] = []
    quote: list[Content] | None = None
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            if quote is not None:
                return None  # a quotation inside a quotation
            if run:
                out.append(("text", Content("\n\n").join(run)))
                run = []
            quote = []
        elif kind == "blockquote_close":
            out.append(("quote", Content("\n").join(quote or [])))
            quote = None
        elif kind == "inline":
            (run if quote is None else quote).append(_inline(token))
        elif kind not in ("paragraph_open", "paragraph_close"):
            return None
    if run:
        out.append(("text", Content("\n\n").join(run)))
    return out


class TextBlock(Static, Settled):
    """A run of paragraphs or one quotation; a click on a link in it is reported by the scene text."""

    COMPONENT_CLASSES = {"em", "strong", "s", "code_inline"}
    DEFAULT_CSS = """
    TextBlock {
        width: 1fr;
        height: auto;
        margin: 0 0 1 0;
        &.-quote {
            background: $boost;
            border-left: outer $text-primary 50%;
            margin: 1 0;
            padding: 0 1;
        }
        &.-quote:light {
            border-left: outer $text-secondary;
        }
        & > .em { text-style: italic; }
        & > .strong { text-style: bold; }
        & > .s { text-style: strike; }
        &:dark > .code_inline {
            background: $warning 10%;
            color: $text-warning 95%;
        }
        &:light > .code_inline {
            background: $error 5%;
            color: $text-error 95%;
        }
        &:ansi > .code_inline {
            background: ansi_default;
        }
    }
    """

    def __init__(self, kind: Kind, content: Content) -> None:
        super().__init__(content, expand=True, classes=f"-{kind}")
        self.kind: Kind = kind

    def become(self, kind: Kind, content: Content) -> None:
        """Show `content` as a block of `kind`, on screen: the widget a page before had, reused."""
        if kind != self.kind:
            self.set_class(False, f"-{self.kind}")
            self.set_class(True, f"-{kind}")
            self.kind = kind
        self.update(content)
        self.display = True

    def action_link(self, href: str) -> None:
        self.post_message(SceneText.LinkClicked(href))


class SceneText(Settled):
    """The scene's words, drawn from Markdown; see the module's docstring."""

    DEFAULT_CSS = """
    SceneText {
        height: auto;
        layout: vertical;
        & > Markdown {
            padding: 0;
        }
    }
    """

    class Revealed(Message):
        """The whole text is on screen, after typing it out."""

    class LinkClicked(Message):
        """A link in the text was clicked."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.full = ""
        """The whole text being shown (Markdown with glossary links)."""
        self.source = ""
        """The Markdown on screen now (a part of `full` while it is being typed out)."""
        self._blocks: list[Widget] = []
        """The widgets showing the text, in order (children being removed are no longer here); text blocks
        past the page's own are hidden, kept for a longer page."""
        self._points: list[int] = []
        self._shown = 0
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    def show(self, text: str, typed: bool = False) -> bool:
        """Show `text`; True if it is all on screen now, False if it is being typed out (`Revealed` follows)."""
        self._stop()
        self.full = text
        if not typed or not text.strip():
            self._replace(text)
            return True
        self._points = reveal_points(text)
        self._shown = 0
        self._replace("")
        self._timer = self.set_interval(TICK_SECONDS, self._tick)
        return False

    def _tick(self) -> None:
        self._shown = min(self._shown + WORDS_PER_TICK, len(self._points) - 1)
        self._replace(self.full[: self._points[self._shown]])
        if self._shown >= len(self._points) - 1:
            self._stop()
            self.post_message(self.Revealed())

    def finish(self) -> None:
        """Show the rest of the text now."""
        if self._timer is None:
            return
        self._stop()
        self._replace(self.full)
        self.post_message(self.Revealed())

    def _replace(self, markdown: str) -> None:
        """Show `markdown`: new content for the blocks on screen, new widgets only where the shape changed."""
        self.source = markdown
        blocks = blocks_of(markdown)
        if blocks is None:
            self._show_markdown(markdown)
            return
        old = self._blocks
        if not all(isinstance(w, TextBlock) for w in old):  # Textual's Markdown widget was showing the text
            self._rebuild([TextBlock(kind, content) for kind, content in blocks])
            return
        # The blocks on screen take the new page's, whatever their kind; spare ones are hidden, not removed,
        # and widgets are mounted only for more blocks than any page had: mounting and removing cost a
        # second layout after the frame (the new widgets are laid out once they are mounted).
        with self.app.batch_update():
            for widget, (kind, content) in zip(old, blocks):
                cast(TextBlock, widget).become(kind, content)
            for widget in old[len(blocks):]:
                widget.display = False  # (one hidden already stays as it is: no refresh)
            if len(blocks) > len(old):
                new = [TextBlock(kind, content) for kind, content in blocks[len(old):]]
                self._blocks = [*old, *new]
                self.mount_all(new)

    def _show_markdown(self, markdown: str) -> None:
        from textual.widgets import Markdown

        if len(self._blocks) == 1 and isinstance(self._blocks[0], Markdown):
            self._blocks[0].update(markdown)
        else:
            self._rebuild([Markdown(markdown, open_links=False)])

    def _rebuild(self, new: list[Widget]) -> None:
        with self.app.batch_update():
            if self._blocks:
                self.remove_children(self._blocks)
            self._blocks = new
            if new:
                self.mount_all(new)

    def on_markdown_link_clicked(self, event: Message) -> None:
        """A link in a text shown by Textual's Markdown widget: reported like any other."""
        event.stop()
        self.post_message(self.LinkClicked(getattr(event, "href", "")))

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
