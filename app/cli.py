"""The ``fieldmat`` command line. With no subcommand it opens the window.

Subcommands are contributed by small modules, each exposing ``register(subparsers)``:
``app.cli_pose`` (analyze, eval-poses), ``app.cli_match`` (match), ``app.cli_sync``
(connect, disconnect, sync). Each command's handler receives the parsed arguments and a
``CliEnv`` and returns the process exit status.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import __version__
from app.errors import FieldmatError

# Renders a match report to a PDF file; injected by the entry point (it needs Qt, which the
# core never imports).
PdfRenderer = Callable[[dict[str, Any], Path], None]
Handler = Callable[[argparse.Namespace, "CliEnv"], int]
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
    _context: Any = field(default=None, repr=False)

    def context(self) -> Any:
        from app.context import AppContext

        if self._context is None:
            self._context = AppContext.create()
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.close()


def build_parser() -> argparse.ArgumentParser:
    from app import cli_match, cli_pose, cli_sync

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
    for module in (cli_pose, cli_match, cli_sync):
        module.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    open_window: Callable[[str | None], int] | None = None,
    pdf_renderer: PdfRenderer | None = None,
    route_output: OutputRouter | None = None,
) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    parser = build_parser()
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
