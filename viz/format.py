"""Numbers and variable names as text: the one formatter that figures (viz) and views (ui, via ``ui.format``)
share. Pure: no Streamlit, no plotting.

Each page writes numbers its own way on purpose (a readout inside a chart uses the true minus sign U+2212, a
table cell the ASCII hyphen that reads back as Python; a sentence says "—" or a translated word where a value
is undefined); these are named options of :func:`number`, not separate functions.
"""

from __future__ import annotations

import math

MINUS = "\u2212"  # the true minus sign, as typeset text writes it
UNDEFINED = "—"
SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def number(
    value: float | None,
    digits: int = 6,
    *,
    minus: str = "-",
    undefined: str | None = UNDEFINED,
    signed_zero: bool = False,
    zero_below: float = 0.0,
) -> str:
    """``value`` with up to ``digits`` significant digits and no trailing zeros.

    - ``minus``: the character for every minus sign, the exponent's too (``"-"`` or :data:`MINUS`);
    - ``undefined``: the text for None, NaN and ±∞; None writes them as Python does (``nan``, ``inf``);
    - ``signed_zero``: keep −0 as "-0" (else "0");
    - ``zero_below``: sizes below this are written "0" (round-off around an exact zero).

    >>> number(36.945280494653254, 4), number(None), number(-0.0), number(-0.0, signed_zero=True)
    ('36.95', '—', '0', '-0')
    >>> number(-1.5e-05, minus=MINUS), number(float("nan"), undefined=None), number(-1e-17, zero_below=1e-12)
    ('−1.5e−05', 'nan', '0')
    """
    if value is None or not math.isfinite(float(value)):
        if undefined is not None:
            return undefined
        value = float("nan") if value is None else value
    value = float(value)
    if abs(value) < zero_below:
        return "0"
    text = f"{value:.{digits}g}"
    if text == "-0" and not signed_zero:
        text = "0"
    return text.replace("-", minus) if minus != "-" else text


def readout(value: float, digits: int = 4, zero_below: float = 0.0) -> str:
    """A number inside a chart (a readout, a label): the true minus sign, −0 as 0, NaN and ∞ as Python
    writes them.

    >>> readout(-0.95880001), readout(1e-05, 7), readout(-0.0)
    ('−0.9588', '1e−05', '0')
    """
    return number(value, digits, minus=MINUS, undefined=None, zero_below=zero_below)


def number_latex(
    value: float | None, digits: int = 6, *, grouped: bool = False, undefined: str = UNDEFINED
) -> str:
    r"""A number in a formula: ``1e-05`` as ``1 \times 10^{-5}``; a negative one in parentheses when
    ``grouped`` (a factor of a product); ``undefined`` as text.

    >>> number_latex(-1.5e-05, grouped=True), number_latex(2.0), number_latex(None, undefined="undefined")
    ('\\left(-1.5 \\times 10^{-5}\\right)', '2', '\\text{undefined}')
    """
    if value is None or not math.isfinite(value):
        return r"\text{" + undefined + "}"
    text = number(value, digits, signed_zero=True)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return rf"\left({text}\right)" if grouped and value < 0 else text


def subscript(text: str) -> str:
    """Digits as subscript characters: ``12`` as ₁₂.

    >>> subscript("12")
    '₁₂'
    """
    return text.translate(SUBSCRIPT_DIGITS)


def name_text(name: str) -> str:
    """A variable's name for plain text: its trailing digits as subscripts, ``x1`` as x₁.

    >>> name_text("x1"), name_text("y"), name_text("u12")
    ('x₁', 'y', 'u₁₂')
    """
    stem = name.rstrip("0123456789")
    return stem + subscript(name[len(stem) :])


def name_latex(name: str) -> str:
    """A variable's name in LaTeX as SymPy prints it: ``x1`` as x_{1}.

    >>> name_latex("x2"), name_latex("z")
    ('x_{2}', 'z')
    """
    stem = name.rstrip("0123456789")
    return f"{stem}_{{{name[len(stem) :]}}}" if stem != name else name
