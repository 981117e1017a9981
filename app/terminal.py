"""What reaches the terminal: Fieldmat's own messages, not its libraries' chatter.

MediaPipe, TFLite and absl write their C++ log lines straight to the process's standard error
(file descriptor 2), where no Python setting reaches them. So, by default, descriptor 2 is
pointed at the log file and Python's ``sys.stderr`` at a copy of the terminal: Fieldmat's
messages (argparse errors, ``fieldmat: ...``) still show, the libraries' lines land in the log
with a time stamp beside Fieldmat's records, and a Python error that nothing caught is logged
with its traceback before its one-line summary is printed. ``--verbose`` leaves descriptor 2
alone and shows the log's records on the terminal too.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from types import TracebackType

from app.logging_setup import setup_logging

log = logging.getLogger("fieldmat")


def route_output(folder: Path, *, verbose: bool) -> Path:
    """Set up the log file in ``folder`` and decide what the terminal shows; returns the log's path.

    Call once, at start-up, from the entry point (never from a library or a test run in-process:
    it rewires the process's standard error).
    """
    path = setup_logging(folder)
    _log_uncaught_errors(path)
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(console)
        return path
    logging.captureWarnings(True)  # third-party warnings go to the log file, not the terminal
    _send_native_stderr_to(path)
    return path


def _send_native_stderr_to(path: Path) -> None:
    if sys.stderr is None:  # a windowed Windows executable has no terminal at all
        return
    try:
        sys.stderr.flush()
        terminal = os.dup(2)
    except (OSError, ValueError):  # no descriptor 2 to move
        return
    sys.stderr = os.fdopen(terminal, "w", buffering=1, encoding="utf-8", errors="backslashreplace")
    target = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(target, 2)
    os.close(target)


def _log_uncaught_errors(path: Path) -> None:
    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("unexpected error", exc_info=(kind, error, trace))
        if sys.stderr is not None:
            print(f"fieldmat: unexpected error: {kind.__name__}: {error} (details in {path})", file=sys.stderr)

    def thread_hook(info: threading.ExceptHookArgs) -> None:
        log.critical(
            "unexpected error in thread %s",
            info.thread,
            exc_info=(info.exc_type, info.exc_value or info.exc_type(), info.exc_traceback),
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook
