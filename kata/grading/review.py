"""The review word list: names a beginner's answer doesn't need, for a human to look at.

This is **not a defence**.  Renaming walks past it (``getattr(__import__("g" +
"c"), ...)``, ``importlib``), and nothing it catches is needed to cheat: the
sandbox and the signed channel are what hold.  A flag only puts a row in
front of a human; it changes no points.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

# Words in a lesson module that a beginner's answer never needs; a module
# that has one is flagged for a human to look at (it is still graded).
SUSPICIOUS = re.compile(
    r"(?<![A-Za-z0-9])(_?pytest|pluggy|kata\.(?:grade|grading|plugin|report|impl)|sys\.modules|gc|inspect"
    r"|importlib|__import__|ctypes|_getframe|f_locals|f_back|f_globals|__code__|__globals__|os\._exit|subprocess"
    r"|builtins|__builtins__|exec|eval|solutions)(?![A-Za-z0-9_])|/proc/"
)


def review_flags(source: bytes) -> list[str]:
    """Words in a lesson module's code that a beginner's answer doesn't need (``SUSPICIOUS``).

    Docstrings and comments are left out: the stubs' docstrings say "pytest".
    """
    text = _code_only(source.decode("utf-8", errors="replace"))
    return sorted({match.group(0) for match in SUSPICIOUS.finditer(text)})


def _code_only(text: str) -> str:
    lines = text.splitlines(keepends=True)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            for index in range(body[0].lineno - 1, body[0].end_lineno):
                lines[index] = "\n"
    try:
        tokens = tokenize.generate_tokens(io.StringIO("".join(lines)).readline)
        comments = [(t.start[0], t.start[1]) for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        comments = []
    for row, column in comments:
        lines[row - 1] = lines[row - 1][:column] + "\n"
    return "".join(lines)
