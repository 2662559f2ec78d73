"""The served-classroom rows measure what they say: every game of the room, to its first frame.

No timing is asserted (CI's suite never depends on the machine's load):
only that a sample waits for every student's first frame, counts each
game process (and the fork server) once in the memory sum, and that the
rows print wall and CPU time, both ways of starting games side by side.
"""

from __future__ import annotations

import sys

import pytest

from benchmarks import serve_cases
from benchmarks.__main__ import print_table

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and the fork server are Linux's")


def test_a_room_sample_counts_every_game_and_the_fork_server(monkeypatch) -> None:
    counted: list[int] = []
    real = serve_cases.pss_mib

    def pss(pid: int) -> float:
        counted.append(pid)
        return real(pid)

    monkeypatch.setattr(serve_cases, "pss_mib", pss)
    room = serve_cases.sample(2, zygote=True, choose=True)
    assert len(counted) == 2 + 1 + 1, "two games, the fork server, and the server itself (printed apart)"
    assert room.games_pss > room.per_game > 0
    assert 0 < room.last_game <= room.last
    assert room.cpu > 0
    assert len(room.answers) == 2 * serve_cases.ROUNDS, "each student's answer to each round's choice"
    assert all(a > 0 for a in room.answers) and len(room.answer_cpu) == serve_cases.ROUNDS
    assert all(c > 0 for c in room.answer_cpu)


def test_each_round_leads_to_a_new_scene_title() -> None:
    """A round's answer is told by the next scene's title: the choices must lead to scenes with other titles."""
    titles = serve_cases._rounds_titles()
    assert len(titles) == serve_cases.ROUNDS and len(set(titles)) == len(titles)


def test_a_returning_room_has_played_before(monkeypatch) -> None:
    """The second lesson's students sign in with the PIN they chose, and each title finds their autosave."""
    lessons: list[int] = []
    real = serve_cases._first_lesson

    async def first_lesson(url: str, n: int, saves: str) -> int:
        lessons.append(await real(url, n, saves))
        assert serve_cases.autosaves(saves) == n
        return lessons[-1]

    monkeypatch.setattr(serve_cases, "_first_lesson", first_lesson)
    measured = serve_cases.sample(2, zygote=True, returning=True)
    assert lessons == [2], "each of the two students left an autosave in the first lesson"
    assert 0 < measured.last_game <= measured.last


def test_the_rows_print_both_ways_with_wall_and_cpu(monkeypatch, capsys) -> None:
    def fake(n: int, zygote: bool, returning: bool = False, choose: bool = False) -> serve_cases.Room:
        room = serve_cases.Room((0.3 if returning else 0.2) * n, 0.1 * n, 0.1 * n, (20.0 if zygote else 30.0) * n,
                                40.0, 20.0)
        if choose:
            room.answers = [0.02 * n + 0.001 * k for k in range(n * serve_cases.ROUNDS)]
            room.answer_cpu = [0.03 * n] * serve_cases.ROUNDS
        return room

    monkeypatch.setattr(serve_cases, "sample", fake)
    rows = serve_cases.rows(quick=True)
    assert [r.unit for r in rows] == ["ms", "MiB", "ms", "MiB", "ms", "ms"]
    assert "TAURIDE_FORK_SERVER=0" in rows[0].measure and "fork server" in rows[2].measure
    assert "take a choice at once" in rows[4].measure and rows[4].met is None, "measured, with no target of its own"
    assert rows[4].cpu_figure == pytest.approx(0.03) and rows[4].cpu_floor == pytest.approx(0.03)
    assert "returning" in rows[5].measure and rows[5].ratio == pytest.approx(6.0)
    assert rows[0].cpu_figure is not None and rows[0].ratio == pytest.approx(6.0)
    print_table(rows)
    out = capsys.readouterr().out
    assert "6 sign in at once" in out and "websocket → first frame" in out
    assert "the last of 6" in out
