"""A derivation, step by step: the step engine's tree (``calc_core.steps``' ``Step.to_dict()``) on the page.

Each step gets its number (1, 1.1, 1.2, 1.2.1 …, from ``number_steps``), the rule's name in the reader's
language (catalogue table ``[steps]``, one key per rule id), the rule's general formula and its application
to the reader's function, both LaTeX printed by the sandboxed worker or fixed in ``calc_core.steps``.
A chain step also says what it substitutes; a step whose result may not exist somewhere says where.

Long trees stay readable: the first two levels (1, 1.1, 1.2 …) are always shown, each deeper level sits in
an expander under its level-2 step (one flat list of expanders: expanders are not nested). Short trees open
every expander. Reusable by the partial-derivative page with ``partial=True`` (∂ instead of d).
"""

from __future__ import annotations

import streamlit as st

from calc_core.steps import number_steps
from ui.i18n import t

# A tree of at most this many steps opens all its levels.
SHORT_TREE = 12
# At most this many steps are drawn (a tree of hundreds says nothing more, and each costs a rerun time).
MAX_STEPS = 120
# Steps up to this depth (0 for "1", 1 for "1.1") are always visible.
VISIBLE_DEPTH = 1


def rule_name(rule: str) -> str:
    """The rule's name in the reader's language (``[steps]`` table of the catalogues)."""
    return t(f"steps.{rule}")


def general_formula(step: dict, partial: bool = False) -> str:
    r"""The rule's general formula; with ``partial``, written with ∂ (d/dx becomes ∂/∂x).

    >>> general_formula({"formula": r"\frac{d}{dx} C = 0"}, partial=True)
    '\\frac{\\partial}{\\partial x} C = 0'
    """
    formula = step.get("formula") or ""
    if partial:
        formula = formula.replace(r"\frac{d}{dx}", r"\frac{\partial}{\partial x}")
    return formula


def group_steps(data: dict, limit: int = MAX_STEPS) -> list[tuple[str, dict, list[tuple[str, dict]]]]:
    """The numbered steps as (label, step, deeper steps) for each step of depth <= VISIBLE_DEPTH.

    >>> leaf = {"rule": "power", "substeps": []}
    >>> tree = {"rule": "sum", "substeps": [{"rule": "constant_multiple", "substeps": [leaf]}]}
    >>> [(label, step["rule"], [d for d, _ in deeper]) for label, step, deeper in group_steps(tree)]
    [('1', 'sum', []), ('1.1', 'constant_multiple', ['1.1.1'])]
    """
    groups: list[tuple[str, dict, list[tuple[str, dict]]]] = []
    for label, step in number_steps(data)[:limit]:
        if label.count(".") <= VISIBLE_DEPTH or not groups:
            groups.append((label, step, []))
        else:
            groups[-1][2].append((label, step))
    return groups


def show_steps(data: dict, *, partial: bool = False, expanded: bool | None = None) -> None:
    """The derivation ``data`` (a ``Step.to_dict()``), numbered, with deeper levels in expanders.

    ``expanded`` opens (True) or closes (False) every expander; by default short trees are open.
    """
    total = len(number_steps(data))
    open_all = total <= SHORT_TREE if expanded is None else expanded
    for label, step, deeper in group_steps(data):
        with st.container(border=True):
            show_step(label, step, partial)
            if deeper:
                title = t("steps.deeper", label=label, count=len(deeper))
                with st.expander(title, expanded=open_all, icon=":material/account_tree:"):
                    for deeper_label, deeper_step in deeper:
                        show_step(deeper_label, deeper_step, partial)
    if total > MAX_STEPS:
        st.caption(t("steps.truncated", shown=MAX_STEPS, total=total))


def display_math(tex: str) -> str:
    """LaTeX as a display formula inside Markdown: ``$$`` on lines of their own (on one line it is inline).

    >>> display_math("x^2")
    '$$\\nx^2\\n$$'
    """
    return f"$$\n{tex}\n$$"


def show_step(label: str, step: dict, partial: bool = False) -> None:
    """One step, as one Markdown element (a rerun's cost grows with the number of elements)."""
    st.markdown(step_markdown(label, step, partial))


def step_markdown(label: str, step: dict, partial: bool = False) -> str:
    r"""One step: its number and rule, the general formula, the application, and its notes, as Markdown.

    The label is digits and dots, the words come from the catalogue and the formulas are LaTeX from
    ``calc_core.steps`` or the worker, as display math: no user text reaches the Markdown.

    >>> step = {"rule": "variable", "formula": "", "application": r"\frac{d}{d x}\left(x\right) = 1"}
    >>> print(step_markdown("1.2.1", step).replace(rule_name("variable"), "NAME"))
    **1.2.1** · NAME
    <BLANKLINE>
    $$
    \frac{d}{d x}\left(x\right) = 1
    $$
    """
    parts = [f"**{label}** · {rule_name(step['rule'])}"]
    formula = general_formula(step, partial)
    if formula:
        parts += [f":small[{t('steps.rule_says')}]", display_math(formula)]
    if step["rule"] == "chain" and step.get("substitution") and step.get("inner_latex"):
        parts.append(
            t("steps.chain_let", substitution=f"${step['substitution']}$", inner=f"${step['inner_latex']}$")
        )
    if formula:
        parts.append(f":small[{t('steps.applied')}]")
    parts.append(display_math(step["application"]))
    if step.get("undefined_where_latex"):
        parts.append(t("steps.undefined_where", expression=f"${step['undefined_where_latex']}$"))
    return "\n\n".join(parts)
