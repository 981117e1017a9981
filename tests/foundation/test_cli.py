"""The command line: --version, --help on each subcommand, through the real entry point."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.__main__ import build_parser


@pytest.mark.subprocess
def test_version_via_python_m_app() -> None:
    out = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=True)
    first, model = out.stdout.strip().splitlines()
    assert first == f"fieldmat {__version__}"
    mediapipe = importlib.metadata.version("mediapipe")
    assert model.startswith(f"MediaPipe {mediapipe}, pose model pose_landmark_full.tflite")
    assert "(bundled, " in model and out.stderr == ""


def test_version_reports_a_missing_pose_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pose import bundled_model

    (tmp_path / "modules").mkdir()
    monkeypatch.setattr(bundled_model, "mediapipe_folder", lambda: tmp_path)
    line = bundled_model.describe_pose_model()
    assert "pose model missing" in line and "pose_landmark_full.tflite" in line


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
