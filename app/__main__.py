"""Entry point for ``fieldmat`` and ``python -m app``: the composition root.

The one module allowed to import every layer (``ui`` > ``sync`` > ``app`` > ``pose``; the
import-linter contracts in pyproject.toml name its imports as their only exceptions): it
composes each area's CLI commands (``COMMANDS``), opens the window and lends the CLI a
Qt-based PDF renderer. In-process callers (tests, the bundle's checks) use ``run(argv)`` and
``build_parser()``, which compose the same commands without the window or the output rewiring.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import cli, cli_match, cli_pose
from sync import cli as sync_cli

# Each area's ``register(subparsers)``, in the order ``fieldmat --help`` lists them.
COMMANDS: tuple[cli.Registrar, ...] = (cli_pose.register, cli_match.register, sync_cli.register)


def _open_window(screenshot: str | None) -> int:
    from ui.launch import run_gui

    return run_gui(Path(screenshot) if screenshot else None)


def _render_pdf(report: dict[str, Any], path: Path) -> None:
    from ui.report_pdf import render_match_pdf

    render_match_pdf(report, path)


def _route_output(verbose: bool) -> None:
    from app.config import data_dir
    from app.terminal import route_output

    # Without a data folder or log file to write, the command itself reports why (AppContext.create).
    with contextlib.suppress(OSError):
        route_output(data_dir(), verbose=verbose)


def build_parser() -> argparse.ArgumentParser:
    """The whole ``fieldmat`` parser: every area's commands."""
    return cli.build_parser(COMMANDS)


def run(
    argv: Sequence[str] | None = None,
    *,
    open_window: Callable[[str | None], int] | None = None,
    pdf_renderer: cli.PdfRenderer | None = None,
    route_output: cli.OutputRouter | None = None,
) -> int:
    """Run one ``fieldmat`` command in this process; returns the exit status."""
    return cli.main(
        argv, registrars=COMMANDS, open_window=open_window, pdf_renderer=pdf_renderer, route_output=route_output
    )


def main() -> int:
    return run(sys.argv[1:], open_window=_open_window, pdf_renderer=_render_pdf, route_output=_route_output)


if __name__ == "__main__":
    sys.exit(main())
