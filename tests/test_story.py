"""*July Days* as players and teachers meet it.

The shipped story must load clean, every playthrough must end, every scene and
every ending must be reachable by play (not just by the loader's graph), and
what the text names must be explained in the glossary with sources that
resolve. The random walks use the same public engine calls as the game and
the figures script (`game.tools.walker.playthrough`); a failure prints the seed
that replays it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from game.engine import choices, scene_text
from game.story.model import Story, format_clock
from game.story_folder import load_folder
from game.tools.history import INVENTION_WORDS, check_history
from game.tools.walker import DEFAULT_MAX_STEPS, percentile, playthrough, walk_states
from game.views.reading import scene_text_words

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"
WALKS = 10_000
"""Seeded random playthroughs; seeds 0..WALKS-1, so any failure replays exactly."""
MIN_SHARE = 0.01
"""No ending may be rarer than this among the random playthroughs."""


@pytest.fixture(scope="module")
def story() -> Story:
    return load_folder(str(SCENES))


@pytest.fixture(scope="module")
def walks(story: Story) -> list:
    return [playthrough(story, seed) for seed in range(WALKS)]


# ---------------------------------------------------------------- loading


def test_the_story_loads_without_errors_or_warnings(story: Story) -> None:
    assert [str(w) for w in story.warnings] == []


def test_the_story_starts_with_the_armoured_cars_at_three(story: Story) -> None:
    assert story.start == "armoured_cars"
    assert story.scenes["armoured_cars"].time == story.clock_start


# ---------------------------------------------------------------- playing


def test_every_random_playthrough_reaches_an_ending(walks: list) -> None:
    stuck = [w for w in walks if w.ending is None]
    assert not stuck, f"{len(stuck)} walks stuck; seed {stuck[0].seed}: {stuck[0].stuck}; path {stuck[0].path}"
    assert max(w.steps for w in walks) < DEFAULT_MAX_STEPS


def test_every_ending_is_reached_and_none_is_rarer_than_one_percent(story: Story, walks: list) -> None:
    counts = Counter(w.ending for w in walks)
    print(f"\nendings over {len(walks)} seeded random playthroughs:")
    for scene_id, n in counts.most_common():
        print(f"  {scene_id:<28} {n:>6} {n / len(walks):7.2%}")
    endings = {s.id for s in story.endings}
    assert endings - set(counts) == set(), "never reached"
    rare = {e: counts[e] / len(walks) for e in endings if counts[e] / len(walks) < MIN_SHARE}
    assert rare == {}


def test_every_scene_is_reached_by_some_playthrough(story: Story, walks: list) -> None:
    seen = {scene for w in walks for scene in w.path}
    assert sorted(set(story.scenes) - seen) == []


def test_at_least_six_endings_and_one_of_them_historical(story: Story) -> None:
    endings = story.endings
    assert len(endings) >= 6
    assert any(s.ending is not None and s.ending.historical for s in endings)


def test_the_afternoon_alone_reaches_two_endings(story: Story, walks: list) -> None:
    """The first hours (issue 2) end in the palace stormed or Chernov killed, before the evening."""
    afternoon = {w.ending for w in walks if "downpour" not in w.path}
    assert {"end_palace_stormed", "end_chernov_killed"} <= afternoon


def _hour_order(story: Story) -> list:
    """The scene files in clock order (the 01- and 04- files come after 22-: story minutes pass midnight)."""
    def first_time(hour) -> int:
        return min(t for t in (story.scenes[s].time for s in hour.scenes) if t is not None)
    return sorted(story.hours, key=first_time)


def test_playing_from_the_first_scene_of_any_hour_never_falls_back_into_an_earlier_hour(story: Story) -> None:
    """`tauride play --from SCENE` is how writers and teachers start mid-story: an afternoon event
    (the wire at 16:00, the sailors at 17:00) must not pull a player who starts at 18:00 back to
    a scene of an earlier hour, and the clock must never show a time before the start."""
    order = _hour_order(story)
    rank = {scene: i for i, hour in enumerate(order) for scene in hour.scenes}
    jumps: set[tuple[str, str, str]] = set()
    for hour in order:
        first = hour.scenes[0]
        for seed in range(60):
            start, *later = walk_states(story, seed, start=first, max_steps=6)
            for state in later:
                if rank[state.scene] < rank[first] or state.clock < start.clock:
                    jumps.add((first, state.scene, format_clock(state.clock)))
    assert sorted(jumps) == []


def test_what_the_player_reads_has_no_template_markup_left(story: Story) -> None:
    """Rendered scene text, choice texts, locked reasons and epilogues never show '{if …}' or a stray brace."""
    leaks: set[str] = set()
    for seed in range(300):
        for state in walk_states(story, seed):
            scene = story.scenes[state.scene]
            shown = [scene_text(story, state)]
            for view in choices(story, state):
                shown += [view.text, view.locked_reason or ""]
            if scene.ending is not None:
                shown += [scene.ending.title, scene.ending.epilogue, scene.ending.history]
            if any("{" in t or "}" in t for t in shown):
                leaks.add(scene.id)
    assert sorted(leaks) == []


LENGTH_WALKS = 2_000
"""Walks whose words are counted for the length checks (counting is slower than walking)."""


def test_a_playthrough_fits_a_class_period(story: Story) -> None:
    """3,500 to 7,000 words a playthrough: the mean inside, 19 walks in 20 that reach the evening under
    7,000; the early endings (the palace stormed, Chernov killed) may be shorter, but not a sketch."""
    walks = [playthrough(story, seed, words=True) for seed in range(LENGTH_WALKS)]
    everyone = sorted(w.words for w in walks)
    evening = sorted(w.words for w in walks if "downpour" in w.path)
    mean = sum(everyone) / len(everyone)
    print(f"\nplaythrough words over {len(walks)} walks: mean {mean:.0f}, "
          f"p95 {percentile(everyone, 95)}, evening p95 {percentile(evening, 95)}, "
          f"shortest {everyone[0]}, longest {everyone[-1]}")
    assert 3_500 <= mean <= 7_000
    assert percentile(evening, 95) < 7_000
    assert everyone[0] >= 2_000, "an early ending should still be a scene, not a line"


def test_the_story_is_the_size_the_issue_asks(story: Story) -> None:
    """At least 45 scenes over at least 7 hours of the clock and 20,000 words of scene text: trimming a
    playthrough must not thin the book (branches that few paths read keep the total up)."""
    assert len(story.scenes) >= 45
    assert len(story.hours) >= 7
    assert scene_text_words(story) >= 20_000


def test_percentiles_are_read_from_the_walks_themselves() -> None:
    ordered = list(range(1, 101))
    assert [percentile(ordered, p) for p in (5, 50, 95, 100)] == [5, 50, 95, 100]
    assert percentile([7], 95) == 7


def test_a_walk_replays_exactly_from_its_seed(story: Story) -> None:
    assert playthrough(story, 1917) == playthrough(story, 1917)


# ---------------------------------------------------------------- history and teaching


def test_every_decision_point_has_a_sourced_history_note(story: Story) -> None:
    missing = [
        s.id for s in story.scenes.values()
        if (len(s.choices) > 1 or any(c.historical for c in s.choices))
        and (s.history is None or not s.history.note.strip() or not s.history.sources)
    ]
    assert missing == []


_INTERNAL = re.compile(r"decision points? \d|decision \d|fact sheet|writer [AB]\b|§\s*\d", re.IGNORECASE)
"""How the story's plan numbers things; a player or a teacher has never seen the plan."""


def test_what_players_read_never_cites_our_own_plan(story: Story) -> None:
    """Notes, epilogues and prompts speak of books and events, not of the fact sheet's numbering."""
    texts: list[tuple[str, str]] = []
    for scene in story.scenes.values():
        texts += [(scene.id, scene.text_source)] + [(scene.id, d) for d in scene.discussion]
        if scene.history is not None:
            texts.append((scene.id, scene.history.note))
        if scene.ending is not None:
            texts += [(scene.id, scene.ending.epilogue), (scene.id, scene.ending.history)]
    for hour in story.hours:
        texts += [(hour.file, d) for d in hour.discussion] + [(hour.file, hour.summary or "")]
    assert sorted({where for where, text in texts if _INTERNAL.search(text)}) == []


def test_inline_citations_name_a_key_the_note_lists(story: Story) -> None:
    """'(Miéville [MIE])' in a note: the bracketed key is one of that note's own sources."""
    stray: list[tuple[str, str]] = []
    for scene in story.scenes.values():
        notes = [(scene.history.note, scene.history.sources)] if scene.history else []
        if scene.ending is not None:
            notes.append((scene.ending.history, scene.ending.sources))
        for note, sources in notes:
            stray += [(scene.id, k) for k in re.findall(r"\[([A-Z][A-Z0-9-]*)(?:,[^\]]*)?\]", note) if k not in sources]
    assert stray == []


def test_invented_scenes_say_what_is_invented(story: Story) -> None:
    silent = [
        s.id for s in story.scenes.values()
        if s.history is not None and s.history.invention and not INVENTION_WORDS.search(s.history.note)
    ]
    assert silent == []


def test_the_history_checks_find_nothing(story: Story) -> None:
    """`tauride validate --history`: notes, citations, glossary near misses, the clock's order, inventions."""
    assert [str(p) for p in check_history(story)] == []


def test_every_ending_says_what_really_happened(story: Story) -> None:
    bare = [s.id for s in story.endings if s.ending is None or len(s.ending.history.split()) < 20]
    assert bare == []


def test_every_hour_has_discussion_prompts(story: Story) -> None:
    assert [h.file for h in story.hours if not h.discussion] == []


def test_trotsky_is_quoted_as_sukhanov_has_him(story: Story) -> None:
    text = " ".join(s.text_source for s in story.scenes.values())
    assert "the glory and the pride" in " ".join(text.split())
    notes = " ".join(s.history.note for s in story.scenes.values() if s.history is not None)
    assert "flower and glory" in " ".join(notes.split()), "the memoir's wording should be noted"


# ---------------------------------------------------------------- glossary and sources


NAMED = [
    # people (fact sheet §3)
    "Chkheidze", "Tsereteli", "Chernov", "Trotsky", "Dan", "Gots", "Lenin", "Zinoviev", "Kamenev",
    "Raskolnikov", "Roshal", "Woytinsky", "Pereverzev", "Polovtsov", "Lvov", "Kerensky", "Vilenkin",
    "Sukhanov", "Lunacharsky", "Saakian", "Spiridonova", "Martov", "Alexinsky", "Stalin", "Bonch-Bruevich",
    "Zhelezniakov", "Yermolenko", "Karinsky",
    # places (fact sheet §4)
    "Tauride", "Catherine Hall", "White Hall", "Mariinsky", "Kshesinskaya", "Nevsky", "Liteiny", "Kronstadt",
    "Peter and Paul", "Champ de Mars", "Finland Station", "Palace Square", "Liteiny Bridge", "Shpalernaya",
    "Anchor Square", "Kresty", "Smolny", "Fontanka",
    # bodies
    "VTsIK", "Petrograd Soviet", "Provisional Government", "Putilov", "Military Organization", "Fifth Army",
    "Volynsky", "Izmailovsky", "Preobrazhensky", "Semyonovsky", "Cossacks", "Mensheviks", "SRs", "Bolsheviks",
    "Kadets",
    # the story's invented people
    "Fedotov", "Sorokina",
]
"""Names from the history sheets: wherever scene text uses one, the glossary must explain it."""

ORDINARY = set("""
    A About After Again All Also An And Another Are As At Behind Between But By Can Comrade Comrades Do Does
    Down Each Either Even Every Everybody Everyone Five For From Give Go He Her Here His How I If In Inside Is
    It Its Just Let Long Maybe More Most My Neither No Nobody None Nor Not Nothing Now Of Off Oh On One Only
    Or Our Out Outside Over Perhaps Say Seven She Six So Some Somebody Someone Something Take Ten Than That The
    Their Them Then There These They This Those Three Through To Too Two Under Up Very Was We Well What When
    Where Whether Which While Who Whoever Why With Yes Yet You Your Who's It's That's There's Don't Won't
    Can't I'm I'll I've You're We're They're Let's He's She's What's Half Four Eight Nine Twenty Thirty Forty
    Fifty Hundred Thousand Thank Thanks Please Sir Madam Mister Yesterday Today Tonight Tomorrow Both Never
    Already Still Instead Soon Quite Sometimes Someday Whatever Wherever However Besides Nor Not Once Twice
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December
    Russia Russian Russians Petrograd Petersburg Moscow Europe German Germans Germany English French Georgian
    God Christ Tsar Tsarina Emperor Duma Minister Ministers Ministry Government Prime Prince General Colonel
    Captain Lieutenant Ensign Admiral Comrade Citizen Citizens Committee Executive Central Soviet Soviets
    Workers Soldiers Peasants Deputies Chairman Presidium Justice Agriculture Interior War Posts Telegraphs
    Street Prospekt Square Bridge Station Palace Hall Fortress Island Side Quay Gate Regiment Division Army
    Front Fleet Guards Works School Staff District Court Section Party Day Days Power Land Peace Bread Appeal
    Revolution Revolutionary Left Right Internationalists Cavalry Don Hussars Dragoons Uhlans Regiments
""".split())
"""Capitalised words that are not names needing a glossary entry (English words, titles, common nouns)."""


def _player_text(story: Story, *, titles: bool = True) -> list[str]:
    """Everything a player reads in the story: scene texts, choices, epilogues, and (unless asked not to) titles."""
    out: list[str] = []
    for scene in story.scenes.values():
        out += [scene.title] if titles else []
        out += [scene.text_source]
        out += [c.text_source for c in scene.choices]
        if scene.ending is not None:
            out += ([scene.ending.title] if titles else []) + [scene.ending.epilogue]
    return [re.sub(r"\{[^{}\n]*\}", " ", t) for t in out]


def _matches(story: Story) -> list[str]:
    return [m for entry in story.glossary.values() for m in entry.match]


def _covered(name: str, matches: list[str]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", m) for m in matches)


def test_every_named_person_place_and_body_has_a_glossary_entry(story: Story) -> None:
    text = "\n".join(_player_text(story))
    matches = _matches(story)
    used = [n for n in NAMED if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)]
    assert len(used) > 40, "the curated list should meet most of the story's cast"
    assert [n for n in used if not _covered(n, matches)] == []


def test_every_capitalised_name_in_the_text_is_in_the_glossary(story: Story) -> None:
    """A new proper name in scene text needs a glossary entry (or, if it is an ordinary word, a place in ORDINARY)."""
    matches = _matches(story)
    unknown: Counter[str] = Counter()
    for text in _player_text(story, titles=False):  # titles are in Title Case
        # Capitalised words that do not begin a sentence, a quotation or a line.
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z]+(?:-[A-Z][a-z]+)?)", text):
            word = m.group(1)
            if word in ORDINARY or _covered(word, matches):
                continue
            unknown[word] += 1
    assert sorted(unknown) == []


def test_every_glossary_match_word_is_used_somewhere_or_is_the_term(story: Story) -> None:
    """A match word nobody uses is a typo waiting to hide a missing entry."""
    text = "\n".join(_player_text(story))
    unused = [
        (e.id, m) for e in story.glossary.values() for m in e.match
        if m not in text and m not in e.term
    ]
    assert unused == []


def test_glossary_entries_are_sourced_or_marked_invented(story: Story) -> None:
    bad = [e.id for e in story.glossary.values() if not e.sources and not e.invention]
    assert bad == []
    silent = [e.id for e in story.glossary.values() if e.invention and not re.search(r"invent", e.text, re.I)]
    assert silent == []
    short = [e.id for e in story.glossary.values() if len(e.text.split()) < 12]
    assert short == []


def test_every_source_key_resolves_to_a_book_citation(story: Story) -> None:
    cited: set[str] = set()
    for scene in story.scenes.values():
        if scene.history is not None:
            cited |= set(scene.history.sources)
        if scene.ending is not None:
            cited |= set(scene.ending.sources)
    for entry in story.glossary.values():
        cited |= set(entry.sources)
    assert sorted(cited - set(story.sources)) == []
    web = [k for k, v in story.sources.items() if re.search(r"https?://|www\.|\.com\b|\.org\b", v)]
    assert web == [], "cite books, never web copies"
    untitled = [k for k, v in story.sources.items() if not re.search(r'\*[^*]+\*|"[^"]+"', v)]
    assert untitled == [], "a citation names its book (in *italics*) or its article (in quotes)"


def test_every_place_a_scene_names_is_in_the_glossary(story: Story) -> None:
    assert sorted({s.place for s in story.scenes.values() if s.place and s.place not in story.glossary}) == []
