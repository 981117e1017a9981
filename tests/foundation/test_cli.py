"""The command line: --version, --help on each subcommand, through the real entry point."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app import __version__
from app.cli import build_parser


@pytest.mark.subprocess
def test_version_via_python_m_app() -> None:
    out = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"fieldmat {__version__}"


@pytest.mark.subprocess
def test_help_via_python_m_app() -> None:
    out = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=True)
    assert "usage: fieldmat" in out.stdout


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args([name, "--help"])
        assert exit_info.value.code == 0
