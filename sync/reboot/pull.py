"""Pull Reboot Motion players, sessions and biomechanics exports (pull-only, upsert by id).

- players: ``GET /players`` (unconfirmed; skipped quietly when it does not exist).
- sessions: ``GET /sessions?updated_since=..&offset=..&limit=..``. First sync: updated in the
  last ``settings.backfill_days``; later: since the cursor minus one day. All pages are read
  first, then written in one transaction (nothing half-written). The cursor moves only after
  the batch's exports are stored (a failed download is retried next sync; an export Reboot
  refuses with a 4xx is reported with ``run.warn`` and skipped).
- exports: for each processed session of this pull, and each (player, movement type) it
  has, ``POST /data_export`` (CSV), download each URL without Reboot's credentials, store
  the file under ``<home>/reboot/<session>/`` (temp file + rename) and a ``RebootExport``
  row (path relative to the data folder). An export already fetched after the session's
  last update is not fetched again, so pulling twice changes nothing.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.changes import ChangeSet
from app.models.providers import RebootExport, RebootPlayer, RebootSession
from sync.errors import ProtocolError, Rejected
from sync.http import iso, parse_dt
from sync.provider import SyncRun
from sync.reboot import unconfirmed
from sync.reboot.client import RebootClient
from sync.reboot.config import DEFAULT_DATA_TYPE, EXPORT_DIR, UPDATED_OVERLAP_DAYS
from sync.whoop.pull import upsert

log = logging.getLogger(__name__)

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe(text: str) -> str:
    return _SAFE.sub("_", text)[:80] or "x"


def _dt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return parse_dt(value)
    except ProtocolError:
        return None


def pull_players(run: SyncRun, client: RebootClient) -> None:
    run.check_cancelled()
    players = client.players()
    if players is None:
        log.info("Reboot /players is not available; players skipped")
        return
    rows = [
        RebootPlayer(
            org_player_id=str(p["org_player_id"]),
            first_name=str(p.get("first_name") or ""),
            last_name=str(p.get("last_name") or ""),
            raw=p,
        )
        for p in players
        if p.get("org_player_id")
    ]
    with run.ctx.db.write() as s:
        n = upsert(s, rows)
    run.pulled("players", n)
    if n:
        run.store(ChangeSet.of(providers=[run.provider]))


def pull_sessions(run: SyncRun, client: RebootClient) -> list[RebootSession]:
    """Upsert sessions updated since the cursor; returns those of this pull.

    The cursor is NOT advanced here: ``pull_all`` advances it only after this batch's exports
    were fetched, so an export that failed (network, expired link) is retried next sync.
    """
    now = run.ctx.clock()
    cursor = run.get_cursor("sessions")
    since = _dt(cursor) if cursor else None
    if since is None:
        since = now - timedelta(days=run.ctx.settings.backfill_days)
    else:
        since = min(since, now) - timedelta(days=UPDATED_OVERLAP_DAYS)
    rows: list[RebootSession] = []
    for page in client.session_pages(since):
        run.check_cancelled()
        for raw in page:
            rows.append(
                RebootSession(
                    id=str(raw["id"]),
                    session_date=str(raw["session_date"]) if raw.get("session_date") else None,
                    session_name=str(raw.get("session_name") or ""),
                    status=str(raw.get("status") or ""),
                    updated_at=_dt(raw.get("updated_at")),
                    raw=raw,
                )
            )
        run.progress("sessions", len(rows), None)
    run.check_cancelled()
    with run.ctx.db.write() as s:
        n = upsert(s, rows)
    run.pulled("sessions", n)
    if n:
        run.store(ChangeSet.of(providers=[run.provider]))
    return rows


def _write_file(home: Path, relative: Path, data: bytes) -> None:
    target = home / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _exports_of(session_id: str, player: str, movement: int, data_type: str) -> SelectOfScalar[RebootExport]:
    """The stored exports of one session/player/movement/data type."""
    return select(RebootExport).where(
        col(RebootExport.session_id) == session_id,
        col(RebootExport.org_player_id) == player,
        col(RebootExport.movement_type_id) == movement,
        col(RebootExport.data_type) == data_type,
    )


def _already_fetched(run: SyncRun, session: RebootSession, player: str, movement: int, data_type: str) -> bool:
    with run.ctx.db.session() as s:
        rows = s.exec(_exports_of(session.id, player, movement, data_type)).all()
    if not rows:
        return False
    if session.updated_at is None:
        return True
    return all(r.fetched_at >= session.updated_at for r in rows)


def export_session(
    run: SyncRun, client: RebootClient, session: RebootSession, data_type: str = DEFAULT_DATA_TYPE
) -> int:
    """Download this session's exports that are missing or older than the session; returns files stored."""
    if not unconfirmed.is_processed(session.raw):
        return 0
    movement = unconfirmed.movement_type_id(session.raw, None)
    players = unconfirmed.player_ids(session.raw, None)
    if movement is None or not players:
        detail = client.session_detail(session.id)
        movement = unconfirmed.movement_type_id(session.raw, detail) if movement is None else movement
        players = unconfirmed.player_ids(session.raw, detail)
    if movement is None or not players:
        log.info("Reboot session %s: no player or movement type known; export skipped", session.id)
        return 0
    stored = 0
    for player in players:
        run.check_cancelled()
        if _already_fetched(run, session, player, movement, data_type):
            continue
        urls = client.data_export(session.id, movement, player, data_type, "csv")
        files: list[Path] = []
        for i, url in enumerate(urls):
            run.check_cancelled()
            data, kind = client.download(url)
            name = f"{_safe(player)}_{movement}_{_safe(data_type)}_{i}.{kind}"
            relative = Path(EXPORT_DIR) / _safe(session.id) / name
            _write_file(run.ctx.home, relative, data)
            files.append(relative)
        with run.ctx.db.write() as s:
            old = s.exec(_exports_of(session.id, player, movement, data_type)).all()
            for row in old:
                s.delete(row)
            for relative in files:
                s.add(
                    RebootExport(
                        session_id=session.id,
                        org_player_id=player,
                        movement_type_id=movement,
                        data_type=data_type,
                        path=relative.as_posix(),
                        fetched_at=run.ctx.clock(),
                    )
                )
        stored += len(files)
    return stored


def pull_all(run: SyncRun, client: RebootClient) -> None:
    pull_players(run, client)
    started = run.ctx.clock()
    sessions = pull_sessions(run, client)
    total = len(sessions)
    for done, session in enumerate(sessions, start=1):
        try:
            n = export_session(run, client, session)
        except Rejected as exc:  # Reboot refused this one export (4xx): note it, go on
            run.warn(f"Biomechanics of session {session.session_name or session.id} were not exported: {exc}")
            n = 0
        if n:
            run.pulled("exports", n)
            run.store(ChangeSet.of(providers=[run.provider]))
        run.progress("exports", done, total)
    run.set_cursor("sessions", iso(started))
