"""The one error type of calc_core: what went wrong, where, and the details a message needs."""

from __future__ import annotations

# Every code an ExpressionError can carry. The UI has one catalogue message per code
# (locales/*.toml, table [error]); a test checks that both catalogues cover this set.
ERROR_CODES = frozenset(
    {
        # parser
        "empty",
        "too_long",
        "control_character",
        "unexpected_character",
        "unknown_name",
        "function_needs_parentheses",
        "unexpected_token",
        "unexpected_end",
        "missing_closing_parenthesis",
        "unmatched_closing_parenthesis",
        "wrong_argument_count",
        "bad_number",
        "number_too_large",
        "power_too_large",
        "too_many_nodes",
        "too_deep",
        "plus_minus",
        "numbers_side_by_side",
        "unmatched_bar",
        "function_argument_unclear",
        "ambiguous_function_power",
        "number_out_of_range",
        "log_base_unknown",
        # sandbox
        "timeout",
        "busy",
        "memory_limit",
        "worker_failed",
        # numbers
        "bad_range",
    }
)


class ExpressionError(ValueError):
    """A user's input could not be handled; ``code`` is stable, ``position`` is a 0-based index.

    >>> err = ExpressionError("unknown_name", position=0, name="sinx", suggestion="sin(x)")
    >>> err.code, err.position, err.params["suggestion"]
    ('unknown_name', 0, 'sin(x)')
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, code: str, position: int | None = None, **params):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.position = position
        self.params = params
        where = "" if position is None else f" at {position + 1}"
        details = ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
        super().__init__(f"{code}{where}" + (f" ({details})" if details else ""))

    def to_dict(self) -> dict:
        """Plain data, to cross a process boundary or sit in a cache."""
        return {"code": self.code, "position": self.position, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict) -> ExpressionError:
        return cls(data["code"], data.get("position"), **data.get("params", {}))

    def __eq__(self, other):
        return isinstance(other, ExpressionError) and self.to_dict() == other.to_dict()

    def __hash__(self):
        return hash((self.code, self.position))

    def __reduce__(self):
        return (_rebuild, (self.to_dict(),))


def _rebuild(data: dict) -> ExpressionError:
    return ExpressionError.from_dict(data)
