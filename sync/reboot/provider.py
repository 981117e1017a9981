"""The Reboot Motion provider for the sync engine (``sync.registry`` imports this lazily)."""

from __future__ import annotations

import httpx

from app.context import AppContext
from sync.provider import SyncRun
from sync.reboot.client import RebootClient, make_auth
from sync.reboot.config import LABEL, PROVIDER, base_url
from sync.reboot.pull import pull_all


class RebootProvider:
    name = PROVIDER
    label = "Reboot Motion"
    can_push = False

    def __init__(self, ctx: AppContext, client: httpx.Client) -> None:
        self.ctx = ctx
        self.client = client

    def push(self, run: SyncRun) -> None:
        """Reboot Motion is pull-only here: nothing to send."""

    def pull(self, run: SyncRun) -> None:
        base = base_url(self.ctx)
        pull_all(run, RebootClient(run.api(base, LABEL, make_auth(self.ctx, base))))


def create_provider(ctx: AppContext, client: httpx.Client) -> RebootProvider:
    return RebootProvider(ctx, client)
