"""The private Textual names the game relies on are still there, at the version pinned in pyproject.toml.

`game/tui/app.py` sets the first theme without a second parse of every
stylesheet, and adds the screens' stylesheet late, and the play screen and
its widgets skip layouts and redraws Textual would repeat
(`game/tui/widgets/settled.py`, `ChoiceList._on_resize`,
`PlayScreen._compositor_refresh`), and the play screen keeps the callbacks
it asks for after its refresh (`PlayScreen._on_invoke_later`), through names
Textual does not document. Textual is pinned to one exact version for that reason;
if an upgrade moves any of these names, this test says which, before a
player meets an AttributeError.
"""

from __future__ import annotations

import inspect
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from textual._compositor import Compositor
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList

REPO = Path(__file__).resolve().parent.parent

PRIVATE = [
    (App, "_refresh_truecolor_filter"),
    (Stylesheet, "set_variables"),
    (Stylesheet, "has_source"),
    (Stylesheet, "read"),
    (Stylesheet, "reparse"),
    (Stylesheet, "update"),
    # game/tui/widgets/settled.py: a size set by a layout, stored without asking for another layout
    (Widget, "_size_updated"),
    (Widget, "_clear_arrangement_cache"),
    (App, "_start_widget"),  # SettledScroll.vertical_scrollbar makes its bar as Textual's does
    # game/tui/widgets/choice_list.py: a resize of the same width keeps the option list's lines
    (OptionList, "_on_resize"),
    # game/tui/parsed_css.py: each CSS source parsed once per process
    (Stylesheet, "_parse_rules"),
    # game/tui/screens/play.py: what asked for a repaint during a layout is drawn in that layout's frame
    (Screen, "_compositor_refresh"),
    (App, "_display"),  # where tests/test_tui_layouts.py counts the frames written
    # game/tui/screens/play.py: the play screen keeps its own after-refresh callbacks (tests/test_tui_after_refresh.py)
    (MessagePump, "_on_invoke_later"),
    (Screen, "_invoke_later"),
    (Screen, "_invoke_and_clear_callbacks"),
]


@pytest.mark.parametrize(("owner", "name"), PRIVATE, ids=[f"{o.__name__}.{n}" for o, n in PRIVATE])
def test_the_framework_names_used_by_the_app_exist(owner: type, name: str) -> None:
    assert callable(getattr(owner, name, None)), (
        f"textual {version('textual')}: {owner.__name__}.{name} is gone; game/tui/app.py must change with the pin")


def test_the_installed_textual_is_the_exact_version_pinned() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    pinned = re.search(r'"textual==([\d.]+)"', text)
    assert pinned is not None, "pyproject.toml must pin textual to one exact version (private names are used)"
    assert version("textual") == pinned.group(1)


def test_the_app_uses_no_other_private_textual_name() -> None:
    """A new `self._something` of Textual's in app.py must join the list above (and the pin's reason)."""
    source = (REPO / "game" / "tui" / "app.py").read_text(encoding="utf-8")
    used = set(re.findall(r"self\._([a-z]\w*)\(", source))
    ours = set(re.findall(r"def _([a-z]\w*)\(", source))
    theirs = {n for n in used - ours if hasattr(App, f"_{n}")}
    assert theirs <= {n.lstrip("_") for _, n in PRIVATE}, theirs


def test_the_size_update_still_takes_the_layout_flag_the_settled_widgets_pass() -> None:
    """`Settled._size_updated` calls Textual's with `layout=False`: the flag must still mean that."""
    parameters = inspect.signature(Widget._size_updated).parameters
    assert list(parameters)[1:4] == ["size", "virtual_size", "container_size"] and "layout" in parameters
    assert "self.set_reactive(Widget.virtual_size" in inspect.getsource(Widget._size_updated)


def test_the_vertical_scroll_bar_is_still_made_where_the_settled_column_makes_its_own() -> None:
    """`SettledScroll.vertical_scrollbar` replaces Textual's property, which keeps the bar in `_vertical_scrollbar`."""
    source = inspect.getsource(Widget.vertical_scrollbar.fget)  # type: ignore[attr-defined]
    assert "self._vertical_scrollbar = scroll_bar = ScrollBar(" in source and "self.app._start_widget(self, scroll_bar)" in source


def test_a_repaint_request_is_still_a_flag_and_regions_the_play_screen_can_draw_in_the_frame_being_made() -> None:
    """`PlayScreen._compositor_refresh` hands the regions of widgets marked for a repaint
    (`_repaint_required`) to the compositor of the frame being made; the request itself still
    reaches the screen later, finds its regions taken, and draws nothing: no frame is written
    (`tests/test_tui_layouts.py` counts frames at `App._display`)."""
    assert "self._repaint_required = True" in inspect.getsource(Widget.refresh)
    assert "self._compositor = Compositor()" in inspect.getsource(Screen.__init__)
    assert callable(Compositor.update_widgets) and isinstance(Compositor.visible_widgets, property)
    assert "widget._exchange_repaint_regions()" in inspect.getsource(Compositor.update_widgets)
    assert "return None" in inspect.getsource(Compositor.render_partial_update)
    assert "if renderable is None:\n                return" in inspect.getsource(App._display)
    assert "self._compositor_refresh()" in inspect.getsource(Screen._refresh_layout)


def test_an_after_refresh_callback_still_goes_to_the_screen_on_top_unless_the_handler_keeps_it() -> None:
    """`PlayScreen._on_invoke_later` stops Textual's own handler (which hands the callback to the screen
    on top) and queues the callback on the play screen itself, where its refresh or idle runs it."""
    assert "self.app.screen._invoke_later(" in inspect.getsource(MessagePump._on_invoke_later)
    assert "self._callbacks.append((callback, sender))" in inspect.getsource(Screen._invoke_later)
    assert "if message._no_default_action:\n                break" in inspect.getsource(MessagePump._get_dispatch_methods)
    assert "self.call_next(self._invoke_and_clear_callbacks)" in inspect.getsource(Screen._on_timer_update)


def test_the_parse_the_memo_stands_in_for_still_takes_the_same_arguments_and_reads_the_same_variables() -> None:
    """`game.tui.parsed_css` replaces `Stylesheet._parse_rules` and keys on `_variables`: both must keep their shape."""
    from game.tui import parsed_css

    original = parsed_css._textual_parse_rules
    assert list(inspect.signature(original).parameters) == [
        "self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]
    source = inspect.getsource(original)
    assert "cache_key = (css, read_from, is_default_rules, tie_breaker, scope)" in source
    assert "variable_tokens=self._variable_tokens" in source  # the variables: what the memo adds to the key
    assert inspect.getsource(Stylesheet._variable_tokens.fget).count("self._variables") == 1  # type: ignore[attr-defined]
    assert Stylesheet(variables={"a": "1"})._variables == {"a": "1"}


def test_the_web_driver_still_reports_the_page_unfocused_as_it_starts() -> None:
    """A served game starts unfocused (`TaurideApp.__init__`) because the web driver posts `AppBlur` as it
    starts: if it stops doing so, a served game must start focused again."""
    from textual.drivers.web_driver import WebDriver

    source = inspect.getsource(WebDriver.start_application_mode)
    assert "events.AppBlur()" in source


def test_the_css_variables_still_keep_the_theme_variables_the_memo_restores() -> None:
    """`game.tui.app._theme_variables` keeps what `App.get_css_variables` returns and sets as `theme_variables`."""
    app: App[None] = App()
    variables = App.get_css_variables(app)
    assert app.theme_variables == variables and "primary" in variables
    assert "self.theme_variables = combined_variables" in inspect.getsource(App.get_css_variables)
