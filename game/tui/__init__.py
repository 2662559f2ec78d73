"""The Textual game: a thin shell over the engine.

Screens render a `State` and pass choice ids back to `game.engine`; none of
them decides story logic. One screen per module in `screens/`, reusable
widgets in `widgets/`, layout and themes in the `.tcss` files beside this one.
"""
