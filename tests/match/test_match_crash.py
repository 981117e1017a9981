"""Killing the process while events are logged loses nothing that was acknowledged."""

from __future__ import annotations

import os
import select as select_module
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.context import AppContext
from app.match import MatchService
from app.models.match import MatchEvent

pytestmark = pytest.mark.subprocess

HERE = Path(__file__).resolve().parent


def _run_and_kill(home: Path, acknowledged_before_kill: int) -> tuple[str, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "crash_logger.py"), str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "FIELDMAT_HOME": str(home)},
    )
    assert proc.stdout is not None
    lines: list[str] = []
    buffer = b""
    deadline = time.monotonic() + 120
    try:
        while len(lines) < acknowledged_before_kill + 1:
            if time.monotonic() > deadline or proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"logger stopped early or too slow ({len(lines)} lines): {err[-2000:]}")
            ready, _, _ = select_module.select([proc.stdout], [], [], 1.0)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                buffer += chunk
                *done, buffer = buffer.split(b"\n")
                lines.extend(line.decode() for line in done)
        os.kill(proc.pid, signal.SIGKILL)  # in the middle of logging
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    buffer += rest
    # only complete lines were acknowledged; a partial last line is not
    lines.extend(line.decode() for line in buffer.split(b"\n")[:-1])
    assert lines[0].startswith("match ")
    return lines[0].split()[1], lines[1:]


@pytest.mark.slow
@pytest.mark.parametrize("after", [25, 400])
def test_sigkill_while_logging_loses_no_acknowledged_event(tmp_path: Path, after: int) -> None:
    home = tmp_path / "crash-home"
    home.mkdir()
    match_id, acknowledged = _run_and_kill(home, after)
    assert len(acknowledged) >= after

    ctx = AppContext.create(home)  # reopen: integrity check and migrations run
    try:
        with ctx.db.session() as s:
            stored = set(s.exec(select(MatchEvent.id).where(col(MatchEvent.match_id) == match_id)).all())
        missing = [event_id for event_id in acknowledged if event_id not in stored]
        assert not missing, f"{len(missing)} acknowledged events lost, e.g. {missing[:3]}"
        # the app keeps working on the recovered database
        svc = MatchService(ctx.db)
        assert svc.clock_state(match_id).status == "live"
        svc.log_event(match_id, "tackle", "home")
    finally:
        ctx.close()
