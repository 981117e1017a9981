"""``fieldmat-server``: run the team or yoga API, add clubs and users.

    fieldmat-server run [--api team|yoga] [--host 127.0.0.1] [--port 8000] [--workers N] [--db URL]
    fieldmat-server club add NAME [--db URL]
    fieldmat-server user add --club NAME --email E [--db URL]

``--db`` defaults to FIELDMAT_SERVER_DB, else an SQLite file in the server's data folder. The
password of ``user add`` comes from FIELDMAT_SERVER_PASSWORD, else a prompt on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.db import open_engine
from server.models import Club, User
from server.security import hash_password
from server.settings import Settings

PASSWORD_VAR = "FIELDMAT_SERVER_PASSWORD"


def _parser() -> argparse.ArgumentParser:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db", metavar="URL", help="database URL (default: FIELDMAT_SERVER_DB, else SQLite in the data folder)"
    )
    parser = argparse.ArgumentParser(prog="fieldmat-server", description="Fieldmat's club server.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[db], help="serve the team or yoga API")
    run.add_argument("--api", choices=("team", "yoga"), default=None)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1, help="processes (PostgreSQL shares live updates among them)")
    club = sub.add_parser("club", help="clubs").add_subparsers(dest="action", required=True)
    club_add = club.add_parser("add", parents=[db], help="create a club")
    club_add.add_argument("name")
    user = sub.add_parser("user", help="users of a club").add_subparsers(dest="action", required=True)
    user_add = user.add_parser("add", parents=[db], help="create a user (password from FIELDMAT_SERVER_PASSWORD)")
    user_add.add_argument("--club", required=True)
    user_add.add_argument("--email", required=True)
    return parser


def app_from_env() -> FastAPI:
    """The factory each uvicorn worker process calls (settings come through the environment)."""
    from server.app import create_app

    return create_app(Settings.from_env())


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    if args.db:
        os.environ["FIELDMAT_SERVER_DB"] = args.db
    if args.api:
        os.environ["FIELDMAT_SERVER_API"] = args.api
    settings = Settings.from_env()
    open_engine(settings.db_url).dispose()  # create or upgrade the schema once, before the workers start
    if args.workers > 1 and settings.db_url and settings.db_url.startswith("sqlite"):
        print("Several workers need PostgreSQL (live updates go between processes through it).", file=sys.stderr)
        return 2
    uvicorn.run(
        "server.cli:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # uvicorn's access log would print query strings (live viewers' tokens)
        log_level="info",
        proxy_headers=False,
    )
    return 0


def _club_add(args: argparse.Namespace) -> int:
    engine = open_engine(args.db or Settings.from_env().db_url)
    with Session(engine) as s:
        s.add(Club(name=args.name, last_stamp=0))
        try:
            s.commit()
        except IntegrityError:
            print(f"A club named {args.name!r} exists already.", file=sys.stderr)
            return 1
    print(f"Club {args.name!r} added.")
    return 0


def _password() -> str | None:
    password = os.environ.get(PASSWORD_VAR)
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Password: ")
    return first if first and getpass.getpass("Again: ") == first else ""


def _user_add(args: argparse.Namespace) -> int:
    password = _password()
    if password is None:
        print(f"No terminal to ask for the password: set {PASSWORD_VAR}.", file=sys.stderr)
        return 2
    if len(password) < 8:
        print("The password must have at least 8 characters (and both entries must match).", file=sys.stderr)
        return 2
    engine = open_engine(args.db or Settings.from_env().db_url)
    with Session(engine) as s:
        club = s.execute(select(Club).where(Club.name == args.club)).scalar_one_or_none()
        if club is None:
            print(f"No club named {args.club!r}: add it with `fieldmat-server club add NAME`.", file=sys.stderr)
            return 1
        s.add(User(club_id=club.id, email=args.email.strip().lower(), password_hash=hash_password(password)))
        try:
            s.commit()
        except IntegrityError:
            print(f"A user {args.email!r} exists already.", file=sys.stderr)
            return 1
    print(f"User {args.email!r} added to {args.club!r}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return _run(args)
    if args.command == "club":
        return _club_add(args)
    return _user_add(args)


if __name__ == "__main__":
    sys.exit(main())
