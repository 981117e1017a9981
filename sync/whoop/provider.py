"""The WHOOP provider for the sync engine (``sync.registry`` imports this lazily).

``create_provider(ctx, client)`` builds a pull-only provider; ``pull(run)`` reads profile,
body measurements, cycles, recoveries, sleeps and workouts (see ``sync.whoop.pull``).
"""

from __future__ import annotations

import httpx

from app.context import AppContext
from sync.errors import NotConnected
from sync.provider import SyncRun
from sync.whoop.client import WhoopClient
from sync.whoop.config import PROVIDER, SECRET_CLIENT_SECRET, SECRET_REFRESH_TOKEN, WhoopEndpoints
from sync.whoop.pull import pull_all
from sync.whoop.ratelimit import TokenBucket
from sync.whoop.tokens import WhoopAuth, WhoopTokens


class WhoopProvider:
    name = PROVIDER
    label = "WHOOP"
    can_push = False

    def __init__(self, ctx: AppContext, client: httpx.Client, *, bucket: TokenBucket | None = None) -> None:
        self.ctx = ctx
        self.client = client
        self.bucket = bucket

    def push(self, run: SyncRun) -> None:
        """WHOOP is pull-only: nothing to send."""

    def make_client(self, run: SyncRun) -> WhoopClient:
        if not self.ctx.secrets.get(PROVIDER, SECRET_REFRESH_TOKEN) or not self.ctx.secrets.get(
            PROVIDER, SECRET_CLIENT_SECRET
        ):
            raise NotConnected("WHOOP is not connected. Connect it in Accounts (or: fieldmat connect whoop).")
        endpoints = WhoopEndpoints.from_context(self.ctx)
        return WhoopClient(
            run.client,
            endpoints.api_base,
            WhoopAuth(WhoopTokens(self.ctx, endpoints)),
            bucket=self.bucket,
            retry=run.retry,
            budget=run.budget,
            cancelled=run.is_cancelled,
        )

    def pull(self, run: SyncRun) -> None:
        pull_all(run, self.make_client(run))


def create_provider(ctx: AppContext, client: httpx.Client) -> WhoopProvider:
    return WhoopProvider(ctx, client)
