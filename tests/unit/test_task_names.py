"""One name per operation: ``calc_core.service.X`` runs the worker task ``"X"``, which is the topic module's
function ``X``; the registry holds every task under its own name and nothing else."""

from __future__ import annotations

import ast
import inspect

import calc_core.service
from calc_core.tasks import TASKS

# Service helpers that run a task under another name, and why.
CHECKS = {"_check_evaluation": "evaluate_expression"}  # the shared evaluation check before every task


def tasks_run_by_service() -> dict[str, list[str]]:
    """For each function of calc_core.service, the task names it passes to run_task/_expression_task."""
    tree = ast.parse(inspect.getsource(calc_core.service))
    runs: dict[str, list[str]] = {}
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("run_task", "_expression_task")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                runs.setdefault(function.name, []).append(node.args[0].value)
    return runs


def test_every_task_is_registered_under_its_own_name():
    assert all(name == task.__name__ for name, task in TASKS.items())
    assert all(task.__module__.startswith("calc_core.") for task in TASKS.values())
    assert all(task.__module__ != "calc_core.tasks" for task in TASKS.values())  # defined in a topic


def test_each_service_function_runs_the_task_of_its_own_name():
    runs = tasks_run_by_service()
    assert len(runs) >= 15
    for function, names in runs.items():
        assert names == [CHECKS.get(function, function)], function
        assert names[0] in TASKS, names[0]
