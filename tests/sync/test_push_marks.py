"""Event batches are marked done in the outbox behind the push, by a writer thread, while the
next batch is on the wire (sync.team.provider).

A crash between a batch the server stored and its done mark must lead to a resend that the
server answers "replayed" (idempotent by the client's UUID), never to a loss or a duplicate;
a run that fails still records what the server confirmed before it stopped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.sync import SyncConflict
from sync import accounts
from sync.engine import SyncEngine
from sync.http import no_sleep_policy
from tests.emulators.server import LocalServer, Request, Response
from tests.emulators.team import TeamServer
from tests.sync.conftest import fast_client
from tests.sync.helpers import EMAIL, PASSWORD, add_events, add_match, add_team, assert_team_equal, pending

BATCH_PATH = "/api/sync/events"
EVENTS = 1200  # three batches (of up to 500 events)


class StopAtThirdBatch(TeamServer):
    """With ``victim`` set: stores the second batch, then kills the client process before it
    reads the answer. Without: stores two batches and answers the third 503 for good."""

    def __init__(self) -> None:
        super().__init__()
        self.add_user(EMAIL, PASSWORD)
        self.batches = 0
        self.sizes: list[int] = []  # events per batch request, in order
        self.victim: int | None = None
        self.armed = True

    def batch_events(self, request: Request) -> Response:
        self.batches += 1
        self.sizes.append(len(request.json()["events"]))
        if self.armed and self.victim is not None and self.batches == 2:
            stored = super().batch_events(request)
            os.kill(self.victim, signal.SIGKILL)  # a crash: no finally, no flush
            time.sleep(0.5)
            return stored
        if self.armed and self.victim is None and self.batches >= 3:
            return Response(503, {"detail": "stopped by the test"})
        return super().batch_events(request)


def _events(app: TeamServer) -> dict[str, dict[str, object]]:
    return app.records("event")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.slow
def test_crash_after_pushed_batches_replays_them_without_loss_or_duplicate(tmp_path: Path, fieldmat_home: Path) -> None:
    app = StopAtThirdBatch()
    with LocalServer(app) as server:
        env = dict(os.environ)
        env.update(
            FIELDMAT_HOME=str(fieldmat_home),
            PYTHON_KEYRING_BACKEND="tests.sync.filekeyring.FileKeyring",
            FIELDMAT_TEST_KEYRING=str(tmp_path / "keyring.json"),
            FIELDMAT_PASSWORD=PASSWORD,
            QT_QPA_PLATFORM="offscreen",
        )
        cli = [sys.executable, "-m", "app"]
        connect = subprocess.run(
            [*cli, "connect", "team", "--url", server.url, "--email", EMAIL],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert connect.returncode == 0, connect.stderr
        ctx = AppContext.create(fieldmat_home)
        try:
            match = add_match(ctx, add_team(ctx))
            add_events(ctx, match, EVENTS)
        finally:
            ctx.close()

        proc = subprocess.Popen(
            [*cli, "sync", "--push-only"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        app.victim = proc.pid
        assert proc.wait(timeout=120) == -signal.SIGKILL
        # The server stored two batches; the app died before it read the second's answer (the
        # first's marks may have been written meanwhile): the second's events at least stay queued.
        first, second = app.sizes[:2]
        assert len(app.sizes) == 2 and first + second < EVENTS
        assert len(_events(app)) == first + second

        ctx = AppContext.create(fieldmat_home)
        try:
            queued = pending(ctx, "team")
            assert queued in (EVENTS - first, EVENTS)
        finally:
            ctx.close()

        app.armed = False
        hits_before = len(app.hits)
        again = subprocess.run(
            [*cli, "sync", "--json"], capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL
        )
        assert again.returncode == 0, again.stdout + again.stderr
        (result,) = json.loads(again.stdout)["results"]
        assert result["pushed"]["events"] == queued and result["pending_after"] == 0
        # Nothing lost, nothing twice: the server holds each event once, equal to ours ...
        assert len(_events(app)) == EVENTS
        ctx = AppContext.create(fieldmat_home)
        try:
            assert_team_equal(ctx, app)
            with ctx.db.session() as s:
                assert s.exec(select(SyncConflict)).all() == []
        finally:
            ctx.close()
        # ... and the replayed ones were only compared (GETs), never written again.
        assert not [h for h in app.hits[hits_before:] if h[0] in ("PUT", "DELETE")]


def test_a_failed_run_keeps_the_marks_of_the_batches_the_server_stored(ctx: AppContext) -> None:
    app = StopAtThirdBatch()
    with LocalServer(app) as server:
        with fast_client() as client:
            accounts.connect(ctx, "team", server.url, EMAIL, PASSWORD, client=client)
        match = add_match(ctx, add_team(ctx))
        add_events(ctx, match, EVENTS)
        summary = SyncEngine(ctx, client_factory=fast_client, retry=no_sleep_policy(2)).run(providers=["team"])
        assert not summary.ok
        # The two stored batches are closed although the run failed: only the rest waits.
        stored = sum(app.sizes[:2])
        assert len(app.sizes) >= 3 and stored < EVENTS
        assert pending(ctx, "team") == EVENTS - stored
        assert len(_events(app)) == stored
