"""What reaches the terminal: libraries' native output and Qt's warnings go to the log file by
default, and to the terminal with ``--verbose``; an uncaught error is logged with its reason."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.logging_setup import LOG_FILE

# A child process stands in for a run of Fieldmat: route_output rewires its standard error.
CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from app.terminal import route_output

    route_output(Path(sys.argv[1]), verbose=sys.argv[2] == "verbose")
    os.write(2, b"W0000 inference_feedback_manager.cc:114] native chatter\\n")  # as MediaPipe's C++ does
    print("fieldmat: a message for the user", file=sys.stderr)
    if sys.argv[3] == "fail":
        raise RuntimeError("the disk is full")
    """
)


def _child(home: Path, mode: str, outcome: str = "ok") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(home), mode, outcome],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_native_output_goes_to_the_log_and_fieldmat_messages_to_the_terminal(tmp_path: Path) -> None:
    result = _child(tmp_path, "quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "fieldmat: a message for the user\n"
    assert "native chatter" in (tmp_path / LOG_FILE).read_text()


def test_verbose_shows_native_output_on_the_terminal(tmp_path: Path) -> None:
    result = _child(tmp_path, "verbose")
    assert "native chatter" in result.stderr
    assert "fieldmat: a message for the user" in result.stderr


def test_an_uncaught_error_is_logged_with_its_traceback_and_summarised(tmp_path: Path) -> None:
    result = _child(tmp_path, "quiet", "fail")
    assert result.returncode == 1
    log = (tmp_path / LOG_FILE).read_text()
    assert "CRITICAL fieldmat" in log and "unexpected error" in log
    assert "Traceback (most recent call last)" in log and "RuntimeError: the disk is full" in log
    assert "Traceback" not in result.stderr
    assert "unexpected error: RuntimeError: the disk is full" in result.stderr
    assert str(tmp_path / LOG_FILE) in result.stderr


def test_a_fieldmat_error_is_logged_with_its_reason(
    fieldmat_home: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    from app.__main__ import run as cli_main

    with caplog.at_level(logging.ERROR):
        status = cli_main(["match", "export", "no-such-match"])
    assert status == 2
    assert "fieldmat:" in capsys.readouterr().err
    assert any(r.levelno == logging.ERROR and "match failed" in r.getMessage() for r in caplog.records)


def test_qt_warnings_go_to_the_log_not_the_terminal(
    qapp: object, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    from ui.qt_messages import route_qt_messages_to_log

    previous = qInstallMessageHandler(None)
    try:
        route_qt_messages_to_log()
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning('Error loading text-to-speech plug-in "speechd"')
    finally:
        qInstallMessageHandler(previous)
    assert [r.getMessage() for r in caplog.records if r.name == "qt"] == [
        '[default] Error loading text-to-speech plug-in "speechd"'
    ]
    assert "speechd" not in capfd.readouterr().err
