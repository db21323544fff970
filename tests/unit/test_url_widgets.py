"""Every widget bound to the URL goes through one place: a link's value that cannot be used is said there.

Text boxes (functions, points) are bound directly: their text goes through the parser or parse_point, whose
refusals the box shows. Every other widget bound to the URL is made by ui/inputs.py (number boxes, choices
of numbers, switches), which checks the link's value and says what it used instead; the one exception is the
limits page's h slider, which checks its own value against its options (ui/views/limits/common.py).
"""

from __future__ import annotations

import ast

from tests.conftest import PROJECT_ROOT

ONE_PLACE = "ui/inputs.py"
CHECKED_ON_THEIR_OWN = {("ui/views/limits/common.py", "select_slider")}


def bound_widgets() -> list[tuple[str, str]]:
    """(file, widget) for every call with ``bind="query-params"`` in the pages and ui/."""
    found = []
    files = [*(PROJECT_ROOT / "app_pages").rglob("*.py"), *(PROJECT_ROOT / "ui").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            binds = any(
                keyword.arg == "bind" and getattr(keyword.value, "value", None) == "query-params"
                for keyword in node.keywords
            )
            if binds:
                found.append((path.relative_to(PROJECT_ROOT).as_posix(), node.func.attr))
    return found


def test_the_scan_finds_the_bound_widgets():
    widgets = bound_widgets()
    assert (ONE_PLACE, "number_input") in widgets and (ONE_PLACE, "text_input") in widgets


def test_every_bound_widget_but_a_text_box_is_made_in_one_place():
    elsewhere = {
        (path, widget)
        for path, widget in bound_widgets()
        if widget != "text_input" and path != ONE_PLACE and (path, widget) not in CHECKED_ON_THEIR_OWN
    }
    assert not elsewhere, elsewhere


def test_no_page_makes_a_number_box_of_its_own():
    for path in [*(PROJECT_ROOT / "app_pages").rglob("*.py"), *(PROJECT_ROOT / "ui").rglob("*.py")]:
        if path.relative_to(PROJECT_ROOT).as_posix() != ONE_PLACE:
            assert "st.number_input(" not in path.read_text(encoding="utf-8"), path
