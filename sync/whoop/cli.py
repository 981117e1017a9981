"""``fieldmat connect whoop``: print the authorization URL and wait for the loopback redirect.

Arguments used (``args`` from ``sync.cli``): ``client_id`` (else the one in settings),
``url`` (optional WHOOP base URL, saved to settings), optional ``port`` (the redirect port
registered in the WHOOP dashboard; also env ``FIELDMAT_WHOOP_REDIRECT_PORT``; default: a free
port) and optional ``timeout`` (seconds). The client secret comes from env
``FIELDMAT_WHOOP_CLIENT_SECRET``, else from stdin when ``--api-key-stdin`` is given, else the
one already in the keychain, else a hidden prompt (no terminal: exit 2 naming the flag). It is never echoed or logged.
"""

from __future__ import annotations

import argparse
import os
import sys

from app.context import AppContext
from app.errors import FieldmatError
from app.prompt import NoTerminal, ask
from sync.http import check_base_url
from sync.whoop.config import PROVIDER, SECRET_CLIENT_SECRET
from sync.whoop.oauth import DEFAULT_TIMEOUT_S, begin_authorization


def _port(args: argparse.Namespace) -> int:
    value = getattr(args, "port", None) or os.environ.get("FIELDMAT_WHOOP_REDIRECT_PORT") or 0
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = -1
    if not 0 <= port <= 65535:
        raise FieldmatError(f"“{value}” is not a port number (0-65535).")
    return port


def _client_secret(args: argparse.Namespace, ctx: AppContext, client_id_changed: bool) -> str:
    secret = os.environ.get("FIELDMAT_WHOOP_CLIENT_SECRET", "").strip()
    if secret:
        return secret
    if getattr(args, "api_key_stdin", False):
        return sys.stdin.readline().strip()
    stored = ctx.secrets.get(PROVIDER, SECRET_CLIENT_SECRET)
    if stored and not client_id_changed:
        return stored
    return ask(
        "WHOOP client secret: ",
        what="The WHOOP client secret",
        needs="FIELDMAT_WHOOP_CLIENT_SECRET (or --api-key-stdin with the secret piped in)",
        secret=True,
    )


def connect_cli(args: argparse.Namespace, ctx: AppContext) -> int:
    try:
        url = getattr(args, "url", None)
        if url:
            ctx.settings.provider(PROVIDER).base_url = check_base_url(url)
            ctx.save_settings()
        settings = ctx.settings.provider(PROVIDER)
        client_id = (getattr(args, "client_id", None) or settings.client_id or "").strip()
        if not client_id:
            client_id = ask("WHOOP client id: ", what="The WHOOP client id", needs="--client-id ID")
        secret = _client_secret(args, ctx, client_id != settings.client_id)
        pending = begin_authorization(ctx, client_id, secret, port=_port(args))
        print("Open this address in your browser and allow Fieldmat to read your WHOOP data:")
        print(pending.url)
        print(f"(The redirect URL registered for your WHOOP app must be exactly {pending.redirect_uri})")
        print("Waiting for the browser… (Ctrl+C to stop)", flush=True)
        try:
            account = pending.wait(float(getattr(args, "timeout", None) or DEFAULT_TIMEOUT_S))
        except KeyboardInterrupt:
            pending.cancel()
            print("Cancelled; nothing was changed.", file=sys.stderr)
            return 130
    except NoTerminal:
        raise
    except FieldmatError as exc:
        print(f"WHOOP was not connected: {exc}", file=sys.stderr)
        return 1
    print(f"WHOOP connected ({account}). Press Sync (or run: fieldmat sync) to pull your data.")
    if ctx.secrets.warning:
        print(ctx.secrets.warning, file=sys.stderr)
    return 0
