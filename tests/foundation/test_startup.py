"""Start-up stays light: the window opens without importing mediapipe, OpenCV, numpy (pose
maths), pyqtgraph (charts), httpx (sync) or keyring (the keychain probe)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess

REPO = Path(__file__).resolve().parents[2]


def test_window_opens_without_heavy_imports(fieldmat_home: Path) -> None:
    env = {**os.environ, "FIELDMAT_HOME": str(fieldmat_home), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "startup.py"), "--child"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = out.stdout.strip()
    assert line.startswith("shown heavy_modules="), out.stdout + out.stderr
    heavy = set(line.split("=", 1)[1].split(","))
    assert heavy == {"none"}, line
