"""Guess ∇f first: on the gradient page, the student drags an arrow at the point on the contour map, then
Reveal gives the angle and the length error. The same component as the sketch page (``ui.components.sketch``,
mode "arrow"): the arrow lives in the browser, the server hears of it once per Reveal, as untrusted numbers
(``calc_core.sketch.validate_arrow``, graded by ``grade_arrow``).

The map is f on the page's grid (the one the field is drawn from), shaded in bands; arrows are drawn at a
scale fixed by the grid's typical gradient (not by the gradient at the point, which would give the length
away), and the scale is stated.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import streamlit as st

from calc_core.sketch import ArrowGrade, SketchError, grade_arrow, validate_arrow
from ui.components.sketch import sketch_component
from ui.format import sentence_number
from ui.i18n import t
from ui.settings import is_projector
from ui.sketch_view import sketch_error_message

COMPONENT_KEY = "gradient_arrow_component"
REVEALED_KEY = "_gradient_arrow_revealed"
MAX_MAP_POINTS = 31  # per axis, sent to the browser
BANDS = 8
MAX_REMEMBERED = 16


def arrow_scale(fx: np.ndarray, fy: np.ndarray, width: float) -> float:
    """Map units per unit of gradient: the grid's 90th-percentile |∇f| is drawn about half the map wide
    (a round number at most that).

    >>> arrow_scale(np.array([3.0, 0.0]), np.array([4.0, 0.0]), 6.0) > 0
    True
    """
    lengths = np.hypot(fx, fy)
    lengths = lengths[np.isfinite(lengths)]
    typical = float(np.percentile(lengths, 90)) if lengths.size else 0.0
    typical = typical if typical > 1e-12 else 1.0
    scale = width / 2 / typical
    power = 10 ** math.floor(math.log10(scale))  # a round scale, easy to state
    return next(m * power for m in (5, 2, 1) if m * power <= scale * 1.001)


def _token(function, point) -> str:
    return hashlib.blake2b(repr((function.text, tuple(point))).encode("utf-8"), digest_size=8).hexdigest()


def _map(grid) -> dict:
    step = max(1, math.ceil(grid.x.size / MAX_MAP_POINTS))
    f = grid.f[::step, ::step]
    finite = f[np.isfinite(f)]
    levels = np.quantile(finite, np.linspace(0, 1, BANDS + 1)[1:-1]).tolist() if finite.size else []
    values = [None if not math.isfinite(v) else round(float(v), 9) for v in f.ravel()]
    return {"nx": int(f.shape[1]), "ny": int(f.shape[0]), "values": values, "levels": levels}


def guess(function, point: tuple[float, ...], partials: dict, grid) -> None:
    """The activity: the map, the arrow to drag, Reveal; after it, the angle and the length error."""
    if grid is None or not np.isfinite(grid.f).any():
        return
    values = [entry["value"] for entry in partials["partials"]]
    if any(v is None or not math.isfinite(v) for v in values):
        return
    st.subheader(t("sketch.arrow_title"))
    window = [float(grid.x[0]), float(grid.x[-1]), float(grid.y[0]), float(grid.y[-1])]
    scale = arrow_scale(grid.fx, grid.fy, window[1] - window[0])
    st.markdown(t("sketch.arrow_prompt", scale=sentence_number(scale)))
    token = _token(function, point)
    revealed = st.session_state.get(REVEALED_KEY, {}).get(token)
    data = {
        "mode": "arrow",
        "token": token,
        "projector": is_projector(),
        "window": window,
        "point": [float(point[0]), float(point[1])],
        "map": _map(grid),
        "arrow_scale": scale,
        "revealed": None,
        "text": {
            key: t(f"sketch.ui_{key}")
            for key in ("clear", "reveal", "cleared", "revealing", "arrow_empty", "arrow_now")
        }
        | {"draw_aria": t("sketch.ui_arrow_aria"), "hint": t("sketch.ui_arrow_hint")},
    }
    if revealed is not None and revealed.get("grade") is not None:
        data["revealed"] = {"gradient": values, "guess": revealed["guess"], "nonce": revealed["nonce"]}
    message = sketch_component(data, key=COMPONENT_KEY)
    if message is not None and handle_reveal(token, values, message):
        st.rerun()
    if revealed is None:
        return
    if revealed.get("error") is not None:
        st.error(sketch_error_message(revealed["error"]), icon=":material/error:")
        return
    show_grade(revealed["grade"])


def handle_reveal(token: str, truth: list[float], message) -> bool:
    """Grade an arrow message (untrusted) and remember it; True if it was new (see sketch_view's twin)."""
    if isinstance(message, dict) and isinstance(message.get("token"), str) and message["token"] != token:
        return False
    nonce = message.get("nonce") if isinstance(message, dict) else None
    nonce = nonce[:64] if isinstance(nonce, str) else None
    stored = st.session_state.get(REVEALED_KEY, {})
    if nonce is not None and stored.get(token, {}).get("nonce") == nonce:
        return False
    try:
        arrow = validate_arrow(message)
        result = {
            "nonce": nonce,
            "error": None,
            "grade": grade_arrow(arrow, tuple(truth)),
            "guess": list(arrow),
        }
    except SketchError as err:
        result = {"nonce": nonce, "error": err, "grade": None}
    stored = {k: v for k, v in stored.items() if k != token} | {token: result}
    st.session_state[REVEALED_KEY] = dict(list(stored.items())[-MAX_REMEMBERED:])
    return True


def show_grade(grade: ArrowGrade) -> None:
    lines = []
    if grade.truth_angle is None:
        lines.append(t("sketch.arrow_zero", length=sentence_number(grade.guess_length)))
    else:
        if grade.guess_angle is None:
            lines.append(t("sketch.arrow_no_direction", truth=sentence_number(grade.truth_angle)))
        else:
            lines.append(
                t(
                    "sketch.arrow_angle",
                    truth=sentence_number(grade.truth_angle),
                    guess=sentence_number(grade.guess_angle),
                    error=sentence_number(grade.angle_error, 2),
                )
            )
        error = grade.length_error
        lines.append(
            t(
                "sketch.arrow_length_long" if error > 0 else "sketch.arrow_length_short",
                truth=sentence_number(grade.truth_length),
                guess=sentence_number(grade.guess_length),
                error=f"{abs(100 * error):.0f}%",
            )
        )
    if grade.passed:
        st.success(t("sketch.arrow_pass"), icon=":material/check_circle:")
    else:
        st.warning(t("sketch.arrow_fail"), icon=":material/refresh:")
    st.markdown("\n".join(f"- {line}" for line in lines))
