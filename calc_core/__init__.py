"""Pure calculus: safe parsing, the sandboxed worker, sampling. No Streamlit, no plotting."""

from calc_core.errors import ERROR_CODES, ExpressionError

__all__ = ["ERROR_CODES", "ExpressionError"]
