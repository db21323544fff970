"""Entry point: page config, the reader's settings (language, projector and predict mode), and navigation.

Run with ``streamlit run streamlit_app.py``.
"""

import streamlit as st

from calc_core.sandbox import warm_up
from ui.i18n import language_switch, resolve_language, t
from ui.lesson_header import clear_share_placed, share_placed
from ui.navigation import build_navigation
from ui.settings import (
    apply_projector_style,
    navigation_position,
    predict_switch,
    projector_switch,
    resolve_predict_mode,
    resolve_projector_mode,
    say_unusable_setting_values,
    unusable_setting_values,
)
from ui.share import share_control
from ui.url_state import guard_url_seeded_numbers


@st.cache_resource(show_spinner=False)
def start_sandbox_workers() -> bool:
    """Start the sandbox's worker processes once per server, so the first reader does not wait for them."""
    warm_up()
    return True


def settings_sidebar() -> None:
    with st.sidebar:
        st.subheader(t("settings.heading"))
        language_switch()
        projector_switch()
        predict_switch()


def main() -> None:
    guard_url_seeded_numbers()
    start_sandbox_workers()
    unusable = unusable_setting_values()
    resolve_language()
    projector = resolve_projector_mode()
    resolve_predict_mode()
    st.set_page_config(
        page_title=t("app.title"),
        page_icon=":material/functions:",
        layout="wide",
        # On a projector the page needs the whole width; the sidebar's arrow still opens the settings.
        initial_sidebar_state="collapsed" if projector else "auto",
    )
    apply_projector_style()
    say_unusable_setting_values(unusable)
    settings_sidebar()
    page = st.navigation(build_navigation(), position=navigation_position())
    share_slot = st.container()
    clear_share_placed()
    page.run()
    if not share_placed():  # in projector mode a topic page puts it beside its title (ui/lesson_header.py)
        with share_slot:  # Copy link, at the top right; it makes the link when pressed (ui/share.py)
            share_control(page.url_path)


# Worker processes started with spawn or forkserver re-execute this file as __mp_main__; the guard keeps
# them from running the app. `streamlit run` and AppTest both execute it as __main__ (ScriptRunner
# installs a module named "__main__"), so the app itself is not blocked.
if __name__ == "__main__":
    main()
