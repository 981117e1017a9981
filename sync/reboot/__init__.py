"""Reboot Motion (pull-only): connect with an API key or email+password, sessions, exports.

Public API: ``connect_api_key(ctx, key)``, ``connect_password(ctx, email, password)``,
``disconnect(ctx)``, ``connect_cli(args, ctx) -> int``; the engine uses
``sync.reboot.provider.create_provider(ctx, client)``. Community-reported (unconfirmed)
endpoints live in ``sync.reboot.unconfirmed`` only.
"""

from __future__ import annotations

from sync.reboot.connect import connect_api_key, connect_cli, connect_password, disconnect

__all__ = ["connect_api_key", "connect_cli", "connect_password", "disconnect"]
