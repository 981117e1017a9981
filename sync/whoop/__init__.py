"""WHOOP v2 (pull-only): OAuth connect/disconnect, paced client, and the sync provider.

Public API:
- ``begin_authorization(ctx, client_id, client_secret, port=0) -> PendingAuthorization``
  (``.url``, ``.redirect_uri``, ``.wait(timeout) -> account name``, ``.cancel()``)
- ``disconnect(ctx) -> bool`` (revokes at WHOOP, forgets secrets and the account)
- ``connect_cli(args, ctx) -> int`` for ``fieldmat connect whoop``
- ``sync.whoop.provider.create_provider(ctx, client)`` for ``sync.registry``
"""

from __future__ import annotations

from sync.whoop.cli import connect_cli
from sync.whoop.oauth import PendingAuthorization, begin_authorization, disconnect

__all__ = ["PendingAuthorization", "begin_authorization", "connect_cli", "disconnect"]
