"""Asking the user something on the terminal, or saying which flag to use when there is none.

``ask(prompt, needs=...)`` reads a line (``secret=True``: without echo). When standard input
is not a terminal (a script, ``</dev/null``, a closed stdin) it never blocks and never shows a
traceback: it raises ``NoTerminal``, whose one-line message names the flag or environment
variable to give instead; ``app.cli.main`` prints it and exits 2.
"""

from __future__ import annotations

import getpass
import sys

from app.errors import FieldmatError


class NoTerminal(FieldmatError):
    """A value was needed, stdin is no terminal, and no flag or variable gave it."""


def has_terminal() -> bool:
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        return False
    try:
        return stdin.isatty()
    except (OSError, ValueError):
        return False


def ask(prompt: str, *, what: str, needs: str, secret: bool = False) -> str:
    """The stripped answer to ``prompt``. ``what`` names the value, ``needs`` the way to give it
    without a terminal (e.g. ``"--client-id ID"``)."""
    if not has_terminal():
        raise NoTerminal(f"{what} is needed and there is no terminal to ask for it: give {needs}.")
    try:
        answer = getpass.getpass(prompt) if secret else input(prompt)
    except EOFError as exc:
        raise NoTerminal(f"{what} is needed and standard input ended: give {needs}.") from exc
    return answer.strip()
