"""The ``fieldmat`` command line's machinery. With no subcommand it opens the window.

Each area contributes its subcommands with a ``register(subparsers)`` function (a
``Registrar``): ``app.cli_pose`` (analyze, eval-poses), ``app.cli_match`` (match),
``sync.cli`` (connect, disconnect, sync). This module imports none of them: the entry point
(``app.__main__``, the composition root) passes the list to ``build_parser``/``main``. Each
command's handler (``Handler``) receives the parsed arguments and a ``CliEnv`` and returns the
process exit status.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from app import __version__
from app.errors import FieldmatError

if TYPE_CHECKING:
    from app.context import AppContext

# Renders a match report to a PDF file; injected by the entry point (it needs Qt, which the
# core never imports).
PdfRenderer = Callable[[dict[str, Any], Path], None]
Handler: TypeAlias = Callable[[argparse.Namespace, "CliEnv"], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# Adds one area's subcommands; each sets ``handler=`` (a ``Handler``) with ``set_defaults``.
Registrar: TypeAlias = Callable[[Subparsers], None]
# Decides what the terminal shows, given ``--verbose``; injected by the entry point only (it
# rewires the process's standard error, which an in-process caller such as a test must keep).
OutputRouter = Callable[[bool], None]

log = logging.getLogger(__name__)


class _VersionAction(argparse.Action):
    """``--version``: Fieldmat's version and the pose model it runs, computed only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from pose.bundled_model import describe_pose_model

        print(f"fieldmat {__version__}\n{describe_pose_model()}")  # to stdout, as argparse's own version action
        parser.exit()


@dataclass
class CliEnv:
    """What a command may use beyond its arguments. ``context()`` opens the data folder lazily."""

    pdf_renderer: PdfRenderer | None = None
    _context: AppContext | None = field(default=None, repr=False)

    def context(self) -> AppContext:
        from app.context import AppContext

        if self._context is None:
            self._context = AppContext.create()
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.close()


def build_parser(registrars: Sequence[Registrar] = ()) -> argparse.ArgumentParser:
    """The parser with the ``gui`` command and every area's commands (``registrars``, in order)."""
    parser = argparse.ArgumentParser(
        prog="fieldmat",
        description="Fieldmat: yoga practice coaching and pitch-side match logging, offline first. "
        "Run without a command to open the window.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and the pose model, and exit")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also show the log and the libraries' own messages (MediaPipe, Qt plug-ins) on the terminal",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument(
        "--screenshot",
        metavar="PNG",
        help="save a picture of the window to PNG once it is shown, then quit (for docs and bug reports)",
    )
    gui.set_defaults(handler=None)
    for register in registrars:
        register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    registrars: Sequence[Registrar] = (),
    open_window: Callable[[str | None], int] | None = None,
    pdf_renderer: PdfRenderer | None = None,
    route_output: OutputRouter | None = None,
) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    parser = build_parser(registrars)
    args = parser.parse_args(argv)
    if route_output is not None:
        route_output(args.verbose)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if open_window is None:
            parser.error("the window is not available from this entry point; use `fieldmat` or `python -m app`")
        return open_window(getattr(args, "screenshot", None))
    env = CliEnv(pdf_renderer=pdf_renderer)
    try:
        return handler(args, env)
    except FieldmatError as exc:
        log.error("fieldmat %s failed: %s", args.command, exc)
        print(f"fieldmat: {exc}", file=sys.stderr)
        return 2
    finally:
        env.close()
