"""Every quotation a player or a teacher reads as a real person's words has a page.

The rule of *July Days* (docs/story-research.md): words in quotation marks
that a note, the glossary, a document, the timeline, an epilogue or a prompt
gives to a historical person or a book carry a page a teacher can check
("p." or "pp." beside them, or in the document's citation). Where no page
could be found, the words are given as reported speech, with the book and
its chapter, and the question stays in the writers' research file.

What is not a quotation for this rule, so the test does not cry wolf:

- words in quotation marks of fewer than `MIN_WORDS` words (scare quotes,
  a nickname, a two-word phrase under discussion);
- the slogans of the day on banners (`SLOGANS`), which belong to no one book;
- titles of chapters, articles and newspaper headlines (the quotation marks
  follow the word "chapter", "ch." or "headline");
- words the note itself says the story invented ("invent…" in the sentence).

Scene text is fiction, and its invented characters (and the real ones, in
scenes the notes mark invented) speak in quotation marks. But where the
scene puts in quotation marks the words a note or a document quotes from a
source, or the words the research file lists as still without a page
(`UNPAGED_LINES`), the note must give the page: otherwise the scene reports
the words instead of quoting them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from game.story.model import Story
from game.story_folder import load_folder

REPO = Path(__file__).resolve().parent.parent

MIN_WORDS = 4
"""A quotation of fewer words is a scare quote or a phrase under discussion, not a passage."""

QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”')
PAGE = re.compile(r"\bpp?\.\s*\d")
WINDOW = 300
"""How far back (in characters, within its sentence) a lead-in may give the page of the words that follow."""
WINDOW_AFTER = 160
"""How far after a quotation its bracketed citation may open (another short quotation may come between)."""

SLOGANS = frozenset({
    "all power to the soviets",
    "down with the ten capitalist ministers",
    "long live the revolution",
})
"""Slogans of the day, carried on banners and shouted by thousands: no one book's words."""

TITLE_BEFORE = re.compile(r"(chapter|ch\.|headline|titled|entitled)\W*$", re.IGNORECASE)
"""The quotation marks that follow these words hold a title, not someone's words."""

UNPAGED_LINES = (
    # The seed memoir (Woytinsky, *Stormy Passage*), whose page is still to be found.
    "Preparations completed. The task force is boarding the trains",
    "Premature disclosure might precipitate the attack",
    "Is it true you are bringing front troops to Petrograd",
    "This is true. Our echelons are on their way",
    "That's okay with us. Our regiment is neutral",
    "Our regiment is neutral. All arms have been returned",
    "the Yakor Plaza mob, with drunks in the front row",
    "punctuated by looting and shots at windows",
    "You are the flower and glory of the revolution",
    "Take power, you s.o.b., when you are offered it",
    "The joint session of Executive Committees was resumed",
    # Miéville, *October*, chapter "July", read in a copy without the book's pages.
    "Take power, you son of a bitch, when it's given to you",
    "a tangle of mendacity, invention and tendentiousness",
    # Rabinowitch, as the background research read him in a web copy.
    "You should be thrashed for this",
    # The *History of the Civil War in the U.S.S.R.*, English edition, page unknown.
    "The first unit to come to our aid consisted of armoured cars",
    "Only six men guarded the entrance",
    # Trotsky's deposition of 24 July, in his *History*, ch. 25, read without its page.
    "Do you want them to say Kronstadt arrested Chernov",
    "Who here is for violence",
    # Trotsky, *From October to Brest-Litovsk*, read in a text without the book's pages.
    "with its band playing, had invaded the Tauride Palace",
    # Raskolnikov, ch. VII, read in Russian: any English words for it are the writers'.
    "apparently under Anarchist influence",
    # Martov's remark, as Sukhanov is remembered to give it.
    "classic scene of the beginning of counter-revolution",
    "classic picture of the beginning of a counter-revolution",
)
"""Attributed words the writers' research file lists without a page (docs/story-research.md)."""


@dataclass(frozen=True)
class Text:
    """One piece of text a player or a teacher reads, and where it lives."""

    where: str
    text: str
    citation: str = ""
    """For a document: its citation, whose page locates every quotation in it."""


def _words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", s.lower().replace("’", "'"))


def _shingles(s: str, n: int = MIN_WORDS) -> set[tuple[str, ...]]:
    w = _words(s)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def _quotes(text: str) -> Iterator[tuple[str, int, int]]:
    """Each passage in quotation marks of at least MIN_WORDS words, with its span."""
    for m in QUOTE.finditer(text):
        q = m.group(1) or m.group(2) or ""
        if len(_words(q)) >= MIN_WORDS:
            yield q, m.start(), m.end()


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence holding a quotation, never reaching into the next paragraph."""
    a = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start))
    ends = [i for i in (text.find(". ", end), text.find("\n\n", end)) if i >= 0]
    return text[a + 1 : min(ends) + 1 if ends else len(text)]


def _exempt(text: str, quote: str, start: int, end: int) -> bool:
    if " ".join(_words(quote)) in SLOGANS:
        return True
    if TITLE_BEFORE.search(text[max(0, start - 20) : start]):
        return True
    return "invent" in _sentence(text, start, end).lower()


def _citation_after(text: str, end: int) -> str:
    """The first bracketed citation, "(...)" or "[...]", opening in the same paragraph soon after a quotation."""
    stop = text.find("\n\n", end)
    m = re.compile(r"[(\[]").search(text, end, min(end + WINDOW_AFTER, len(text) if stop < 0 else stop))
    if m is None:
        return ""
    depth, i = 0, m.start()
    for i in range(m.start(), len(text)):
        depth += text[i] in "([" and 1 or (-1 if text[i] in ")]" else 0)
        if depth == 0:
            break
    return text[m.start() : i + 1]


def _lead_in(text: str, start: int) -> str:
    """The words of the sentence before a quotation ("Deutscher, p. 272, quotes Sukhanov: ...")."""
    before = text[max(0, start - WINDOW) : start]
    cut = max((m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z*])|\n\n", before)), default=0)
    return before[cut:]


def _paged(t: Text, start: int, end: int) -> bool:
    """A page in the document's citation, in the citation that follows the words, or in their lead-in.

    A page elsewhere in the paragraph does not count: it may belong to
    another book ("... (Trotsky), and Williams agrees [ARW, p. 63]").
    """
    if PAGE.search(t.citation):
        return True
    return bool(PAGE.search(_citation_after(t.text, end)) or PAGE.search(_lead_in(t.text, start)))


def _chairs() -> list[Story]:
    return [load_folder(str(REPO / "scenes")), load_folder(str(REPO / "scenes"), chair="sailor")]


def _reference_texts(stories: list[Story]) -> list[Text]:
    """Notes, endings, prompts, the glossary, the documents and the timeline of every chair."""
    out: dict[str, Text] = {}
    for story in stories:
        for hour in story.hours:
            out[f"{hour.file}: hour summary"] = Text(f"{hour.file}: hour summary", hour.summary or "")
            for i, p in enumerate(hour.discussion):
                out[f"{hour.file}: hour prompt {i + 1}"] = Text(f"{hour.file}: hour prompt {i + 1}", p)
        for sc in story.scenes.values():
            if sc.history is not None:
                out[f"{sc.id}: history note"] = Text(f"{sc.id}: history note", sc.history.note)
            if sc.ending is not None:
                out[f"{sc.id}: ending history"] = Text(f"{sc.id}: ending history", sc.ending.history)
                out[f"{sc.id}: epilogue"] = Text(f"{sc.id}: epilogue", sc.ending.epilogue)
            for i, p in enumerate(sc.discussion):
                out[f"{sc.id}: prompt {i + 1}"] = Text(f"{sc.id}: prompt {i + 1}", p)
            for c in sc.choices:
                if c.reflect:
                    out[f"{sc.id}.{c.id}: reflection"] = Text(f"{sc.id}.{c.id}: reflection", c.reflect)
        for g in story.glossary.values():
            out[f"glossary {g.id}"] = Text(f"glossary {g.id}", g.text)
        for d in story.documents.values():
            out[f"document {d.id}"] = Text(f"document {d.id}", d.text, d.citation)
            if d.context:
                out[f"document {d.id} (context)"] = Text(f"document {d.id} (context)", d.context)
        for e in story.timeline:
            out[f"timeline {e.id}"] = Text(f"timeline {e.id}", e.text)
    return list(out.values())


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    return _chairs()


def _narrative(stories: list[Story]) -> str:
    """All the scene text, choices and responses of every chair: the words the story itself speaks."""
    parts = []
    for story in stories:
        for sc in story.scenes.values():
            parts.append(sc.text_source)
            parts += [c.text_source for c in sc.choices]
            parts += [c.response_source or "" for c in sc.choices]
    return "\n".join(parts)


def unpaged_quotations(texts: list[Text], narrative: str = "") -> list[str]:
    """Every attributed quotation without a page beside it, as 'where: "words"'.

    A quotation a page locates elsewhere (a prompt quoting words its note
    gives with the page) passes, and so does a prompt that quotes the
    story's own scene (`narrative`): the scene test holds the scene's words.
    """
    paged: set[tuple[str, ...]] = set()
    for t in texts:
        for q, a, b in _quotes(t.text):
            if _paged(t, a, b):
                paged |= _shingles(q)
    plain = " ".join(_words(narrative))
    bad = []
    for t in texts:
        for q, a, b in _quotes(t.text):
            if _exempt(t.text, q, a, b) or _paged(t, a, b) or _shingles(q) <= paged:
                continue
            if "prompt" in t.where and " ".join(_words(q)) in plain:
                continue
            bad.append(f'{t.where}: "{" ".join(q.split())}"')
    return bad


def test_every_quotation_in_notes_glossary_documents_and_timeline_has_a_page(stories: list[Story]) -> None:
    bad = unpaged_quotations(_reference_texts(stories), _narrative(stories))
    assert not bad, "quoted without a page (give the page, or report the words):\n" + "\n".join(bad)


def test_scene_text_quotes_a_source_only_where_its_note_gives_the_page(stories: list[Story]) -> None:
    texts = _reference_texts(stories)
    unpaged = {line: _shingles(line) for line in UNPAGED_LINES}
    for t in texts:
        if "prompt" in t.where:
            continue  # a prompt quotes the scene, not a source
        for q, a, b in _quotes(t.text):
            if not _exempt(t.text, q, a, b) and not _paged(t, a, b):
                unpaged[q] = _shingles(q)
    paged_notes: dict[str, set[tuple[str, ...]]] = {}
    for t in texts:
        if t.where.endswith("history note"):
            sid = t.where.split(":")[0]
            paged_notes[sid] = set().union(*(_shingles(q) for q, a, b in _quotes(t.text) if _paged(t, a, b)))
    bad = []
    seen: set[tuple[str, str]] = set()
    for story in stories:
        for sc in story.scenes.values():
            parts = [("text", sc.text_source)]
            parts += [(f"choice {c.id}", c.text_source) for c in sc.choices]
            parts += [(f"response {c.id}", c.response_source or "") for c in sc.choices]
            for part, text in parts:
                for q, _a, _b in _quotes(text):
                    sh = _shingles(q)
                    hit = next((line for line, lsh in unpaged.items() if sh & lsh), None)
                    if hit is not None and not sh & paged_notes.get(sc.id, set()) and (sc.id, q) not in seen:
                        seen.add((sc.id, q))
                        bad.append(f'{sc.id} ({part}): "{" ".join(q.split())}" quotes "{hit}"')
    assert not bad, "a source's words quoted in a scene without a page in its note:\n" + "\n".join(bad)


# -- the rule itself, on small texts, so it cannot pass by finding nothing --------------------------


def test_the_rule_flags_an_unpaged_quotation_and_passes_a_paged_one() -> None:
    flagged = unpaged_quotations([
        Text("a", 'Trotsky said "you are the flower and glory of the revolution" (Woytinsky, ch. 12).'),
        Text("b", 'Sukhanov has "a group of sailors with quite ugly faces" (Deutscher, p. 272).'),
        Text("c", 'Deutscher writes that "the sailors listened in a sullen mood".', "Deutscher, pp. 271–2."),
        Text("d", 'Deutscher, p. 272, quotes Sukhanov: "a group of sailors with quite ugly faces".'),
        Text("e", 'The Volynsky "with its band playing, had invaded the palace" (Trotsky), as Williams has it [p. 63].'),
    ])
    assert flagged == [
        'a: "you are the flower and glory of the revolution"',
        'e: "with its band playing, had invaded the palace"',
    ]


def test_the_rule_leaves_alone_slogans_titles_scare_quotes_and_invented_words() -> None:
    assert unpaged_quotations([
        Text("slogan", 'The banner says "All Power to the Soviets!" in white paint.'),
        Text("title", 'Trotsky\'s chapter "The Month of the Great Slander" tells it.'),
        Text("scare", 'The sailors he called "the flower" of the revolution.'),
        Text("invented", 'The porter\'s "we have had worse days than this" is invented.'),
    ]) == []
