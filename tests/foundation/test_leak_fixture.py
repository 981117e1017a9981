"""The leak fixture really fails a test that leaves a QTimer active or a QThread running."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.subprocess

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "t = QtCore.QTimer(); t.start(10000); KEEP.append(t)",
            "QTimer(s) still active",
        ),
        (
            "th = QtCore.QThread(); th.start(); KEEP.append(th)",
            "QThread(s) still running",
        ),
    ],
)
def test_leaks_fail_the_test(pytester: pytest.Pytester, body: str, expected: str) -> None:
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile(
        f"""
        from PySide6 import QtCore
        KEEP = []

        def test_leaky(qtbot):
            {body}
        """
    )
    result = pytester.runpytest_subprocess("-q")
    result.stdout.fnmatch_lines([f"*Qt leak*{expected}*"])
    assert result.ret != 0
