"""`tauride class`: the game on a projected screen, with the class voting at every decision.

A Textual app of its own (the single-player game lives in game/tui/). The
teacher types the show of hands; the engine takes the class's choice with
the counts attached, so votes, overrides and reflection answers all end up
in the save and the transcript.
"""
