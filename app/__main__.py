"""Entry point for ``fieldmat`` and ``python -m app``.

The one module of ``app`` allowed to import ``ui`` (import-linter exception): it is the
composition root that opens the window and lends the CLI a Qt-based PDF renderer.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any


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


def main() -> int:
    from app.cli import main as cli_main

    return cli_main(sys.argv[1:], open_window=_open_window, pdf_renderer=_render_pdf, route_output=_route_output)


if __name__ == "__main__":
    sys.exit(main())
