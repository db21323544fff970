"""The chain rule for many variables: y(u₁, …, u_m) with uⱼ(x₁, …, xₙ), and D2L's exercise 4, written out
term by term with the Jacobians."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.service import (
    chain_of_many,
)
from ui import reveal
from ui.errors import show_error
from ui.format import math_name, name_latex, name_text
from ui.inputs import url_option_box
from ui.settings import is_projector
from ui.views.chain.common import (
    formula_box,
    leibniz_sum,
    number,
    number_box,
    number_latex,
    partial,
    separator,
    t,
)

# --- many variables --------------------------------------------------------------------------------------
M_KEY, NX_KEY = "m", "nx"
SIZES = (1, 2, 3)


@dataclass(frozen=True)
class ManySetup:
    """One many-variable chain rule: y(u₁, …, u_m) with uⱼ(x₁, …, xₙ), or exercise 4's u(x, y, z), x(a, b)…"""

    name: str  # "general" or "exercise"
    outer_name: str
    outer_default: str
    outer_variables: tuple[str, ...]
    inner_defaults: tuple[str, ...]
    inner_variables: tuple[str, ...]
    point_defaults: tuple[float, ...]
    sizable: bool  # the reader chooses m and n
    # A box's URL name is the name of what it holds, after this prefix (exercise 4's x, y, z and u would
    # otherwise share the links' keys with the general form's boxes and the page's own).
    key_prefix: str = ""

    @property
    def outer_key(self) -> str:
        return self.key_prefix + self.outer_name

    @property
    def inner_keys(self) -> tuple[str, ...]:
        """The inner functions' boxes, one per variable of the outer function."""
        return tuple(self.key_prefix + name for name in self.outer_variables)

    @property
    def point_keys(self) -> tuple[str, ...]:
        return tuple(self.key_prefix + name for name in self.inner_variables)


GENERAL = ManySetup(
    name="general",
    outer_name="y",
    outer_default="u1^2 + u2^2",
    outer_variables=("u1", "u2", "u3"),
    inner_defaults=("x1*x2", "x1 + x2", "x1 - x2"),
    inner_variables=("x1", "x2", "x3"),
    point_defaults=(1.0, 2.0, 0.5),
    sizable=True,
)
EXERCISE_4 = ManySetup(
    name="exercise",
    outer_name="u",
    outer_default="x^2 + y*z",
    outer_variables=("x", "y", "z"),
    inner_defaults=("a + b", "a*b", "a - b"),
    inner_variables=("a", "b"),
    point_defaults=(1.0, 2.0),
    sizable=False,
    key_prefix="e",
)


# --- many variables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManyInput:
    outer: object
    outer_variables: tuple[str, ...]
    inners: tuple
    inner_variables: tuple[str, ...]
    point: tuple[float, ...]


def _size_box(key: str, label: str, default: int) -> int:
    value = url_option_box(
        key,
        label,
        SIZES,
        default=default,
        format_func=str,
        warning=lambda given, used: t("chain_rule.size_ignored", given=given, used=used),
    )
    return int(value or default)


def many_inputs(setup: ManySetup) -> ManyInput | None:
    """The outer function, an inner function per outer variable, and the point; None if one is unusable."""
    m, n = len(setup.outer_variables), len(setup.inner_variables)
    if setup.sizable:
        with st.container(horizontal=True, gap="large"):
            m = _size_box(M_KEY, t("chain_rule.m_label"), 2)
            n = _size_box(NX_KEY, t("chain_rule.n_label"), 2)
    outer_variables = setup.outer_variables[:m]
    inner_variables = setup.inner_variables[:n]
    outer_label = t(
        "chain_rule.outer_label",
        name=setup.outer_name,
        variables=", ".join(name_text(v) for v in outer_variables),
    )
    example = "+".join(outer_variables)
    outer = formula_box(setup.outer_key, setup.outer_default, outer_variables, outer_label, example)
    inner_list = ", ".join(name_text(v) for v in inner_variables)
    columns = st.columns(1 if is_projector() else m)
    inners = []
    for j, variable in enumerate(outer_variables):
        with columns[0 if is_projector() else j]:
            label = t("chain_rule.inner_label", name=name_text(variable), variables=inner_list)
            inners.append(
                formula_box(
                    setup.inner_keys[j],
                    setup.inner_defaults[j],
                    inner_variables,
                    label,
                    "*".join(inner_variables),
                )
            )
    point_columns = st.columns(max(n, 2))
    point = []
    for i, variable in enumerate(inner_variables):
        with point_columns[i]:
            point.append(
                number_box(
                    setup.point_keys[i],
                    setup.point_defaults[i],
                    t("chain_rule.point_label", name=name_text(variable)),
                )
            )
    if outer is None or any(inner is None for inner in inners):
        return None
    return ManyInput(outer, outer_variables, tuple(inners), inner_variables, tuple(point))


def many_result(chosen: ManyInput) -> dict | None:
    try:
        return chain_of_many(
            chosen.outer, chosen.outer_variables, chosen.inners, chosen.inner_variables, chosen.point
        )
    except ExpressionError as err:
        show_error(err)
        return None


def show_many(setup: ManySetup, data: dict) -> None:
    """The composite, then for every input the sum written out, filled in, at the point, and checked."""
    name = setup.outer_name
    us, xs = data["outer_variables"], data["inner_variables"]
    functions = rf"{name} = {data['outer_latex']},\qquad " + r",\quad ".join(
        f"{name_latex(u)} = {tex}" for u, tex in zip(us, data["inner_latex"], strict=True)
    )
    st.latex(rf"\begin{{gathered}} {functions} \\ {name} = {data['composite_latex']} \end{{gathered}}")
    point_text = separator().join(
        f"{name_text(x)} = {number(v)}" for x, v in zip(xs, data["point"], strict=True)
    )
    question = f"chain_rule/{setup.name}"
    inputs = (data["outer_latex"], tuple(data["inner_latex"]), tuple(data["point"]))
    shown = reveal.is_shown(question, inputs)
    for i, x in enumerate(xs):
        filled = " + ".join(
            rf"{_grouped_latex(data['dy_du_latex'][j])} \cdot {_grouped_latex(data['du_dx_latex'][j][i])}"
            for j in range(len(us))
        )
        numbers = " + ".join(
            rf"{number_latex(data['dy_du'][j], True)} \cdot {number_latex(data['du_dx'][j][i], True)}"
            for j in range(len(us))
        )
        at = rf"\left.{partial(name, x)}\right|_{{{_point_latex(xs, data['point'])}}}"
        # gathered, not aligned: the rule's first line stays exactly the formula of the lesson
        lines = (
            leibniz_sum(name, tuple(us), x),
            f"= {filled} = {data['sum_latex'][i]}",
            f"{at} = {numbers} = {number_latex(data['sums'][i])}",
        )[: 3 if shown else 2]
        st.latex(r"\begin{gathered} " + r" \\ ".join(lines) + r" \end{gathered}")
        if not shown:
            continue
        if data["agree"][i]:
            st.success(
                t(
                    "chain_rule.many_agree",
                    name=math_name(name),
                    variable=math_name(x),
                    value=number(data["direct"][i]),
                ),
                icon=":material/check_circle:",
            )
        elif not math.isfinite(data["sums"][i]):
            st.warning(t("chain_rule.many_undefined", point=point_text), icon=":material/warning:")
        else:
            st.error(t("chain_rule.many_disagree", name=math_name(name), variable=math_name(x)))
    if not shown:
        reveal.ask(question, inputs, t("reveal.chain_many_prompt", name=math_name(name), point=point_text))
    show_jacobians(setup, data, shown)


def _grouped_latex(tex: str) -> str:
    return rf"\left({tex}\right)" if tex.startswith("-") or " + " in tex or " - " in tex else tex


def _point_latex(names, values) -> str:
    return ", ".join(f"{name_latex(n)} = {number_latex(v)}" for n, v in zip(names, values, strict=True))


def _matrix_latex(rows: list[list[float]]) -> str:
    body = r" \\ ".join(" & ".join(number_latex(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def show_jacobians(setup: ManySetup, data: dict, shown: bool = True) -> None:
    """The same sums as a product of Jacobians, symbolically and at the point, and one sentence of numbers
    (without the numbers at the point while the class predicts them: ``shown`` False)."""
    name = setup.outer_name
    us, xs = data["outer_variables"], data["inner_variables"]
    st.markdown(t("chain_rule.jacobian_body", name=math_name(name)))
    u_list = ", ".join(name_latex(u) for u in us)
    x_list = ", ".join(name_latex(x) for x in xs)
    j_outer = rf"\frac{{\partial {name}}}{{\partial ({u_list})}}"
    j_inner = rf"\frac{{\partial ({u_list})}}{{\partial ({x_list})}}"
    lines = (
        rf"{j_outer}\,{j_inner} = {data['jacobian_outer_latex']} {data['jacobian_inner_latex']}",
        rf"= {data['jacobian_product_latex']}",  # a line of its own: the row can be long
        rf"{_matrix_latex([data['dy_du']])} {_matrix_latex(data['du_dx'])} = {_matrix_latex([data['sums']])}",
    )[: 3 if shown else 2]
    st.latex(r"\begin{gathered} " + r" \\[1ex] ".join(lines) + r" \end{gathered}")
    if not shown:
        return
    st.caption(
        t(
            "chain_rule.jacobian_caption",
            point=separator().join(
                f"{name_text(x)} = {number(v)}" for x, v in zip(xs, data["point"], strict=True)
            ),
            m=len(us),
            n=len(xs),
            gradient=", ".join(number(v) for v in data["sums"]),
        )
    )
