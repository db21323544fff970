"""ui.views.multivariate.default_surface: the shipped pictures are the ones the page draws now, and only the
opening function and point are answered from them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from calc_core.sandbox import shutdown
from ui.i18n import LANGUAGES
from ui.views.multivariate import surface
from ui.views.multivariate.default_surface import asset_path, default_function_key, shipped_png
from ui.views.multivariate.surface import draw_default_png, surface_future

VARIANTS = [(language, projector) for language in LANGUAGES for projector in (False, True)]
REGENERATE = "the shipped surface is out of date: run `.venv/bin/python -m ui.views.multivariate.surface`"


@pytest.fixture(scope="module", autouse=True)
def _stop_the_workers_after():
    yield
    shutdown()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize(("language", "projector"), VARIANTS)
def test_the_shipped_surface_is_the_one_drawn_now(language, projector):
    shipped = pixels(asset_path(language, projector).read_bytes())
    drawn = pixels(draw_default_png(language, projector))
    assert shipped.shape == drawn.shape, REGENERATE
    # Font rasterisation may differ by a shade between machines; a changed word, colour or view changes
    # hundreds of pixels by far more (the other language's legend alone: about 0.6 % of them).
    clearly_different = np.abs(shipped - drawn).max(axis=2) > 64
    assert clearly_different.mean() < 0.001, REGENERATE


def test_each_language_and_mode_has_its_own_picture():
    pictures = {asset_path(language, projector).read_bytes() for language, projector in VARIANTS}
    assert len(pictures) == len(VARIANTS)
    en, en_projector = (pixels(asset_path("en", projector).read_bytes()) for projector in (False, True))
    assert en_projector.shape[1] > en.shape[1]  # the projector's picture is drawn larger


def test_the_opening_function_is_answered_from_the_file_without_drawing(monkeypatch):
    monkeypatch.setattr(surface, "render_surface", lambda *a: pytest.fail("drew the shipped picture"))
    key = (*default_function_key(), "zh", True)
    future = surface_future(key)
    assert future.done() and future.result() == asset_path("zh", True).read_bytes()


@pytest.mark.parametrize(
    "change",
    [
        lambda text, variables, point: ("x1^2*x2 + cos(x2)", variables, point),
        lambda text, variables, point: (text, variables, (1.0, 2.0)),
        lambda text, variables, point: (text, ("x", "y"), point),
    ],
)
def test_any_other_function_or_point_is_drawn(change):
    text, variables, point = default_function_key()
    assert shipped_png(*change(text, variables, point), "en", False) is None


def test_an_unknown_language_is_not_answered_from_a_file():
    assert shipped_png(*default_function_key(), "fr", False) is None
