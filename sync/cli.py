"""CLI commands of the sync area: ``connect``, ``disconnect``, ``sync`` (``register`` is
composed into the ``fieldmat`` parser by the entry point, ``app.__main__``).

- ``fieldmat connect PROVIDER --url URL [--email E]``: password from the ``FIELDMAT_PASSWORD``
  environment variable or a hidden prompt. ``--signup`` creates the account first (yoga).
  ``whoop``/``reboot`` are delegated to ``sync.whoop.connect_cli`` / ``sync.reboot.connect_cli``
  (options ``--api-key-stdin``, ``--client-id``).
- ``fieldmat disconnect PROVIDER``: forget the sign-in; local data and unsent changes stay.
- ``fieldmat sync [--provider P] [--push-only|--pull-only] [--json]``: exit 0 when every
  provider's status is ``synced``, else 1; the JSON's ``ok`` is the same test (``sync.outcome``).
  ``fieldmat sync --status``.
- Without a terminal, a value that would be asked for exits 2 with one line naming the flag
  or environment variable (``app.prompt``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING

from app.cli import CliEnv, Subparsers
from app.prompt import ask
from sync import specs

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.engine import SyncEngine
    from sync.provider import ProgressEvent

PROVIDERS = specs.names()
# Providers with their own connect steps (``sync.<name>.connect_cli``).
DELEGATED = tuple(n for n in PROVIDERS if (spec := specs.spec(n)) is not None and spec.connect != "password")


def register(subparsers: Subparsers) -> None:
    """Add this area's subcommands to ``subparsers``."""
    p = subparsers.add_parser("connect", help="connect a provider account (team, yoga, whoop, reboot)")
    p.add_argument("provider", choices=PROVIDERS)
    p.add_argument("--url", help="server address, e.g. https://team.example.org (plain http only to this computer)")
    p.add_argument("--email", help="account email (asked when missing)")
    p.add_argument("--signup", action="store_true", help="create the account first (yoga cloud)")
    p.add_argument("--fullname", help="with --signup: your name")
    p.add_argument("--sex", help="with --signup")
    p.add_argument("--dob", help="with --signup: date of birth YYYY-MM-DD")
    p.add_argument("--api-key-stdin", action="store_true", help="reboot: read the API key from standard input")
    p.add_argument("--client-id", help="whoop: your OAuth client id")
    p.add_argument(
        "--port", type=int, help="whoop: the loopback redirect port registered in your WHOOP app (default: any free)"
    )
    p.add_argument("--timeout", type=float, help="whoop: seconds to wait for the browser sign-in (default 300)")
    p.set_defaults(handler=cmd_connect)

    d = subparsers.add_parser("disconnect", help="forget a provider sign-in (local data is kept)")
    d.add_argument("provider", choices=PROVIDERS)
    d.set_defaults(handler=cmd_disconnect)

    s = subparsers.add_parser("sync", help="push local changes and pull the providers' (or --status)")
    s.add_argument("--provider", action="append", choices=PROVIDERS, help="only this provider (repeatable)")
    mode = s.add_mutually_exclusive_group()
    mode.add_argument("--push-only", action="store_true", help="only send local changes")
    mode.add_argument("--pull-only", action="store_true", help="only receive")
    mode.add_argument("--status", action="store_true", help="show accounts, last sync and waiting changes")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(handler=cmd_sync)


def _password() -> str:
    value = os.environ.get("FIELDMAT_PASSWORD")
    if value:
        return value
    return ask("Password: ", what="The password", needs="FIELDMAT_PASSWORD", secret=True)


def _warn_keychain(ctx: AppContext) -> None:
    warning = ctx.secrets.warning
    if warning:
        print(f"fieldmat: {warning}", file=sys.stderr)


def cmd_connect(args: argparse.Namespace, env: CliEnv) -> int:
    ctx = env.context()
    if args.provider in DELEGATED:
        try:
            module = importlib.import_module(f"sync.{args.provider}")
            connect_cli = module.connect_cli
        except (ImportError, AttributeError):
            print(f"fieldmat: connecting {args.provider} is not available in this build.", file=sys.stderr)
            return 2
        return int(connect_cli(args, ctx))

    from sync import accounts

    if not args.url:
        print(f"fieldmat: connect {args.provider} needs --url (the server address).", file=sys.stderr)
        return 2
    email = args.email or ask("Email: ", what="The account email", needs="--email E")
    password = _password()
    if args.signup:
        if not accounts.can_sign_up(args.provider):
            print(f"fieldmat: accounts for {args.provider} cannot be created from Fieldmat.", file=sys.stderr)
            return 2
        missing = [n for n in ("fullname", "sex", "dob") if not getattr(args, n)]
        if missing:
            print(f"fieldmat: --signup needs {', '.join('--' + m for m in missing)}.", file=sys.stderr)
            return 2
        info = accounts.signup(ctx, args.provider, args.url, args.fullname, email, password, args.sex, args.dob)
        print(f"Created and connected {args.provider} account {info.account} at {info.base_url}.")
    else:
        info = accounts.connect(ctx, args.provider, args.url, email, password)
        print(f"Connected {args.provider} as {info.account} at {info.base_url}.")
    _warn_keychain(ctx)
    return 0


def cmd_disconnect(args: argparse.Namespace, env: CliEnv) -> int:
    from app.models.sync import ProviderAccount
    from app.outbox import pending_count
    from sync import accounts

    ctx = env.context()
    label = specs.label(args.provider)
    with ctx.db.session() as s:
        connected = s.get(ProviderAccount, args.provider) is not None
    if not connected:
        accounts.disconnect(ctx, args.provider)  # forgets any half-stored secret all the same
        print(f"{label} was not connected; nothing to disconnect.")
        return 0
    if args.provider == "whoop":
        # WHOOP access is revoked at WHOOP too (DELETE /v2/user/access), not only forgotten here.
        from sync.whoop import disconnect as whoop_disconnect

        if not whoop_disconnect(ctx):
            print("WHOOP could not confirm the revocation; the sign-in was forgotten here anyway.")
    else:
        accounts.disconnect(ctx, args.provider)
    with ctx.db.session() as s:
        waiting = pending_count(s, args.provider)
    extra = f" {waiting} local change(s) wait and will be sent after connecting again." if waiting else ""
    print(f"Disconnected {args.provider}. Your local data is kept.{extra}")
    return 0


def _print_status(engine: SyncEngine, as_json: bool) -> None:
    rows = engine.status()
    if as_json:
        print(json.dumps({"providers": [r.to_dict() for r in rows]}, indent=2))
        return
    for r in rows:
        if not r.connected:
            state = "not connected" if r.available else "not available"
        elif r.needs_reconnect:
            state = "needs reconnect"
        else:
            state = "connected"
        last = r.last_success_at.strftime("%Y-%m-%d %H:%M UTC") if r.last_success_at else "never"
        print(
            f"{r.provider:7} {state:16} {r.account or '-':28} last success: {last}; "
            f"waiting: {r.pending}; refused: {r.rejected}; conflicts: {r.open_conflicts}"
        )
        if r.base_url and r.connected:
            print(f"        {r.base_url}")
        if r.last_error and r.connected:
            print(f"        last problem: {r.last_error.splitlines()[0]}")
    if rows and rows[0].keychain_warning:
        print(rows[0].keychain_warning)


def cmd_sync(args: argparse.Namespace, env: CliEnv) -> int:
    from sync.engine import SyncEngine

    ctx = env.context()
    engine = SyncEngine(ctx)
    if args.status:
        _print_status(engine, args.json)
        return 0
    stop = threading.Event()
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("fieldmat: cancelling after the current step (Ctrl+C again to abort)…", file=sys.stderr)

    def on_progress(event: ProgressEvent) -> None:
        if not args.json and event.total and (event.done == event.total or event.done % 2000 == 0):
            print(f"  {event.provider} {event.phase} {event.resource}: {event.done}/{event.total}", file=sys.stderr)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_interrupt)
    try:
        summary = engine.run(
            providers=args.provider,
            push=not args.pull_only,
            pull=not args.push_only,
            progress=on_progress,
            cancelled=stop.is_set,
        )
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, previous)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    else:
        print(summary.describe())
        _warn_keychain(ctx)
    return summary.exit_code
