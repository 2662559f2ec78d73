"""One self-contained HTML page: inline CSS, no scripts, no fonts or images fetched.

Transcripts, the class report and the teacher's guide are handed in,
printed, projected or mailed; a page that needs the internet, or breaks when
saved to a USB stick, fails a teacher in the room. So every page is one file
built here: the style sheet is inline, charts are inline SVG, and story text
(Markdown written by the story's author, answers typed by students) is
escaped — raw HTML in it is shown, never run.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

CSS = """
:root { --ink: #1d1b19; --muted: #6a645c; --rule: #d8d1c4; --paper: #fdfbf6; --accent: #7a1f1f;
        --hist: #22573a; --left: #8a4b00; --bar: #5b6f8c; --bar-hist: #2f7a4f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
       font: 16px/1.55 Georgia, "Times New Roman", "DejaVu Serif", serif; }
main { max-width: 48rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
main.wide { max-width: 62rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .3rem; }
.sub { color: var(--muted); margin: 0 0 1.2rem; }
.clock { font: 600 .85rem/1 "DejaVu Sans Mono", "Liberation Mono", monospace; color: var(--muted);
         letter-spacing: .03em; }
.scene { margin: 0 0 1.4rem; }
.text p { margin: .4rem 0; }
.choice { margin: .6rem 0; padding: .45rem .7rem; border-left: 4px solid var(--bar); background: #f3efe6; }
.choice.historical { border-color: var(--hist); }
.choice.left { border-color: var(--left); }
.mark { font: 600 .75rem/1 system-ui, "DejaVu Sans", sans-serif; text-transform: uppercase;
        letter-spacing: .05em; padding: .12rem .35rem; border-radius: 3px; white-space: nowrap; }
.mark.hist { color: #fff; background: var(--hist); }
.mark.left { color: #fff; background: var(--left); }
.mark.inv { color: var(--ink); background: #e8e0cf; }
.note { margin: .6rem 0; padding: .5rem .8rem; border: 1px solid var(--rule); border-radius: 4px;
        background: #fff; font-size: .95rem; }
.note h4 { margin: 0 0 .2rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .06em;
           color: var(--muted); font-family: system-ui, "DejaVu Sans", sans-serif; }
.note p { margin: .3rem 0; }
.cite { color: var(--muted); font-size: .85rem; }
.answer { margin: .5rem 0; padding: .5rem .8rem; border: 1px dashed var(--muted); background: #fff; }
.answer .q { font-style: italic; color: var(--muted); }
.answer blockquote { margin: .3rem 0 0; white-space: pre-wrap; }
blockquote { margin: .6rem 0; padding: .4rem .8rem; border-left: 4px solid var(--rule); background: #faf7f0; }
blockquote p, blockquote ul { margin: .3rem 0; }
td.answer-text { white-space: pre-wrap; }
.prompts { margin: .8rem 0; padding: .6rem 1rem; background: #efe8d8; border-radius: 4px; }
.prompts h4 { margin: 0 0 .3rem; }
.prompts ul { margin: .2rem 0; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); }
th { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: .8rem; text-transform: uppercase;
     letter-spacing: .04em; color: var(--muted); }
table.gloss td:first-child { width: 30%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: inline-block; height: .7rem; background: var(--bar); vertical-align: middle; }
.bar.hist { background: var(--bar-hist); }
.ending { margin: 1rem 0; padding: .8rem 1rem; border: 2px solid var(--accent); border-radius: 6px; background: #fff; }
.ending h3 { margin-top: 0; color: var(--accent); }
.stats { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.stat { flex: 1 1 9rem; padding: .6rem .8rem; background: #fff; border: 1px solid var(--rule); border-radius: 6px; }
.stat b { display: block; font-size: 1.5rem; color: var(--accent); }
.stat span { color: var(--muted); font-size: .85rem; }
.skipped { color: var(--left); }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .85rem; }
svg text { font-family: system-ui, "DejaVu Sans", sans-serif; }
ol.sources li { margin: .2rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); padding-top: .6rem; }
@page { margin: 16mm 14mm; }
@media print {
  /* Bars and marks are backgrounds, which browsers leave out of print unless told. */
  .bar, .mark, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .scene, .choice, .note, .answer, .ending, table, figure { break-inside: avoid; }
  .choice, .prompts { background: #fff; }
  a { color: inherit; text-decoration: none; }
}
"""


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    # "html": False turns raw HTML in story text into visible text: a story file cannot inject markup.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@lru_cache(maxsize=1)
def _md_document() -> MarkdownIt:
    # A whole document (a transcript, the guide) also has tables; raw HTML stays text, as above.
    # Headings get ids (`views.notes.anchor`), so a note's link to a document of the packet lands on it.
    from mdit_py_plugins.anchors import anchors_plugin

    from ..views.notes import anchor

    return (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
            .use(anchors_plugin, min_level=2, max_level=4, slug_func=anchor))


def render_document(markdown: str) -> str:
    """A whole Markdown document (tables, heading ids) as HTML, raw HTML in it escaped."""
    return str(_md_document().render(markdown))


def document(title: str, markdown: str, *, wide: bool = False) -> str:
    """A Markdown document as one self-contained HTML page: the HTML twin of a Markdown output, made from it."""
    return page(title, render_document(markdown), wide=wide)


def md(text: str) -> str:
    """Story Markdown as HTML (raw HTML escaped)."""
    return str(_md().render(text or ""))


def md_inline(text: str) -> str:
    """One line of story Markdown (a title, a choice) as inline HTML."""
    return str(_md().renderInline(text or ""))


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&!#~])")


def md_escape(text: str) -> str:
    """Plain text (a name, an answer, a date as a save wrote it) made literal inside Markdown.

    Every character CommonMark could read as markup is backslash-escaped, so
    `<img onerror=…>` stays text in any renderer and `*x*` stays asterisks.
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


def page(title: str, body: str, *, lang: str = "en", wide: bool = False) -> str:
    """A whole HTML document around `body`, with the shared style sheet inline."""
    main_tag = '<main class="wide">' if wide else "<main>"
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{main_tag}\n{body}\n</main>\n</body>\n</html>\n"
    )


def hbar(fraction: float, *, historical: bool = False, width_rem: float = 10.0) -> str:
    """A horizontal bar, drawn with CSS so it prints; the number beside it carries the meaning."""
    fraction = max(0.0, min(1.0, fraction))
    cls = "bar hist" if historical else "bar"
    return f'<span class="{cls}" style="width:{fraction * width_rem:.2f}rem"></span>'


def text_bar(fraction: float, width: int = 20) -> str:
    """The same bar in Markdown or a terminal: eighths of a block for a smooth end."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("" if part == 0 else " ▏▎▍▌▋▊▉"[part])
