"""The random-walk row reports playthroughs per CPU second beside per wall second.

On two cores shared with other work, wall time counts the time spent
waiting for a core; the engine's speed is what the CPU column says.
"""

from __future__ import annotations

from benchmarks.__main__ import print_table
from benchmarks.engine_cases import walk_rows
from game.story import Story


def test_the_walk_row_has_a_cpu_rate_judged_against_the_same_target(mini: Story, capsys) -> None:
    [row] = walk_rows(mini, "the mini story", 0.01)
    assert row.cpu_figure is not None and row.cpu_figure > 0
    assert row.cpu_met == (row.cpu_figure >= 2000)
    print_table([row])
    line = capsys.readouterr().out.splitlines()[-1]
    assert line.count("/s") >= 3 and " ms" not in line  # the target, the wall rate and the CPU rate, all rates
