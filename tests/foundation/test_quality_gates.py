"""ruff, mypy and import-linter are part of the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=900)


def test_ruff() -> None:
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_core() -> None:
    result = _run(str(BIN / "mypy"), "app", "pose", "sync", "server")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_ui() -> None:
    result = _run(str(BIN / "mypy"), "ui")
    assert result.returncode == 0, result.stdout + result.stderr
