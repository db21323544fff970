"""Pure calculus: safe parsing, the sandboxed worker, sampling. No Streamlit, no plotting."""

from calc_core.errors import ERROR_CODES, ExpressionError
from calc_core.parser import evaluated, format_expression, parse_expression

__all__ = ["ERROR_CODES", "ExpressionError", "evaluated", "format_expression", "parse_expression"]
