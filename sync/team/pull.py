"""Pull from the team server: teams, players per team, matches, events per match (each with
a cursor in ``SyncCursor``, ``updated_since`` + paging), and lineups per match.

A page is applied in one transaction. Records with a local unsent change are conflicts: the
newer edit wins and the other version is kept in ``SyncConflict``. A record that refers to
something Fieldmat does not have is skipped with a warning and the cursor is not moved past
it, so the next sync tries again. Runs on the sync worker thread.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import col, delete, select

from app.changes import ChangeSet
from app.models.match import LineupEntry, Match, Player, Team
from app.models.sync import OutboxEntry
from sync import state
from sync.errors import ProtocolError
from sync.http import Api, parse_dt
from sync.provider import SyncRun
from sync.team.api import PAGE, PROVIDER, RESOURCE, SENT, team_api, unexpected
from sync.team.known import known_versions
from sync.team.records import (
    MODELS,
    apply_remote,
    check_record,
    local_snapshot,
    missing_refs,
    payload,
    remote_updated_at,
    same_content,
)

if TYPE_CHECKING:
    from app.context import AppContext


class TeamPull:
    """Pulls everything the team server has changed since the last cursors."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def pull(self, run: SyncRun) -> None:
        api = team_api(self.ctx, run)
        self._pull_list(run, api, "teams", "/api/teams", "team")
        with self.ctx.db.session() as s:
            team_ids = list(s.exec(select(Team.id).where(col(Team.deleted).is_(False))).all())
        for tid in team_ids:
            self._pull_list(run, api, f"players:{tid}", f"/api/teams/{tid}/players", "player")
        self._pull_list(run, api, "matches", "/api/matches", "match")
        with self.ctx.db.session() as s:
            match_ids = list(
                s.exec(select(Match.id).where(col(Match.deleted).is_(False)).order_by(col(Match.kickoff_at))).all()
            )
        for n, mid in enumerate(match_ids, 1):
            self._pull_list(run, api, f"events:{mid}", f"/api/matches/{mid}/events", "event")
            self._pull_lineup(run, api, mid)
            run.progress("matches", n, len(match_ids))

    def _pull_list(self, run: SyncRun, api: Api, cursor_key: str, path: str, entity: str) -> None:
        since = run.get_cursor(cursor_key)
        newest: tuple[datetime, str] | None = (parse_dt(since), since) if since else None
        page_cursor: str | None = None
        complete = True
        pages = 0
        while True:
            run.check_cancelled()
            params = {"limit": str(PAGE)}
            if since:
                params["updated_since"] = since
            if page_cursor:
                params["cursor"] = page_cursor
            response = api.request("GET", path, params=params)
            if response.status_code == 404 and entity in ("player", "event"):
                return  # the parent is not on the server (yet): nothing to pull
            if response.status_code != 200:
                raise unexpected(response)
            data = api.json(response)
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                raise ProtocolError(f"The team server sent a malformed list for {path}.")
            items = [check_record(entity, r) for r in data["items"]]
            ok, page_newest = self._apply_page(run, entity, items)
            complete = complete and ok
            if page_newest is not None and (newest is None or page_newest[0] > newest[0]):
                newest = page_newest
            pages += 1
            run.progress(RESOURCE[entity], pages, None)
            nxt = data.get("next_cursor")
            if not nxt:
                break
            if not isinstance(nxt, str):
                raise ProtocolError("The team server sent a malformed page cursor.")
            page_cursor = nxt
        if complete and newest is not None and newest[1] != since:
            run.set_cursor(cursor_key, newest[1])

    def _apply_page(
        self, run: SyncRun, entity: str, items: list[dict[str, Any]]
    ) -> tuple[bool, tuple[datetime, str] | None]:
        """Upsert one page in one transaction. Returns (all applied, newest updated_at)."""
        if not items:
            return True, None
        model = MODELS[entity]
        now = self.ctx.clock()
        complete = True
        newest: tuple[datetime, str] | None = None
        applied: list[dict[str, Any]] = []
        with self.ctx.db.write() as s:
            ids = [r["id"] for r in items]
            pending = state.pending_ids(s, PROVIDER, entity, ids)
            versions = known_versions(s, entity, ids)
            new_versions: dict[str, str] = {}
            for rec in items:
                rid = rec["id"]
                rv = remote_updated_at(rec)
                stamp = parse_dt(rv)
                if newest is None or stamp > newest[0]:
                    newest = (stamp, rv)
                version = versions.get(rid)
                if version == rv:
                    continue  # nothing new (our own push coming back, or seen before)
                if rid in pending and version is not None and version.startswith(SENT):
                    # Our batch-pushed version coming back while a newer local edit waits: keep ours.
                    new_versions[rid] = rv
                    continue
                missing = missing_refs(s, entity, rec)
                if missing:
                    complete = False
                    run.warn(
                        f"Skipped {entity} {rid[:8]} from the server: it refers to {', '.join(missing)} "
                        "that Fieldmat does not have. It will be tried again next sync."
                    )
                    continue
                row: Any = s.get(model, rid)
                if (
                    row is not None
                    and bool(row.deleted) == bool(rec.get("deleted"))
                    and same_content(entity, rec, payload(entity, row))
                ):
                    new_versions[rid] = rv  # already identical here (e.g. our own push coming back)
                    continue
                if rid in pending and row is not None:
                    if row.updated_at > stamp:
                        run.conflict(s, entity, rid, "local", rec)  # ours goes out next push
                        new_versions[rid] = rv
                        continue
                    run.conflict(s, entity, rid, "remote", local_snapshot(entity, row))
                    state.supersede(s, PROVIDER, entity, rid, now)
                apply_remote(s, entity, rec)
                new_versions[rid] = rv
                applied.append(rec)
            state.set_versions(s, PROVIDER, entity, new_versions, now)
        run.pulled(RESOURCE[entity], len(applied))
        run.store(stored_changes(entity, applied))
        return complete, newest

    def _pull_lineup(self, run: SyncRun, api: Api, match_id: str) -> None:
        response = api.request("GET", f"/api/matches/{match_id}/lineup")
        if response.status_code == 404:
            return
        if response.status_code != 200:
            raise unexpected(response)
        data = api.json(response)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ProtocolError("The team server sent a malformed lineup.")
        with self.ctx.db.write() as s:
            if (
                s.exec(
                    select(OutboxEntry.seq).where(
                        OutboxEntry.provider == PROVIDER,
                        OutboxEntry.entity == "lineup",
                        OutboxEntry.status == "pending",
                        col(OutboxEntry.entity_id).startswith(match_id),
                    )
                ).first()
                is not None
            ):
                return  # our unsent lineup goes out next push
            local = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            current = {(r.player_id, r.starting, r.shirt_number) for r in local}
            wanted = set()
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("player_id"), str):
                    raise ProtocolError("The team server sent a malformed lineup entry.")
                wanted.add((item["player_id"], bool(item.get("starting")), item.get("shirt_number")))
            if current == wanted:
                return
            missing = [p for p, _, _ in wanted if s.get(Player, p) is None]
            if missing:
                run.warn(f"The lineup of match {match_id[:8]} names players Fieldmat does not have; skipped for now.")
                return
            s.exec(delete(LineupEntry).where(col(LineupEntry.match_id) == match_id))
            s.flush()
            now = self.ctx.clock()
            for player_id, starting, shirt in wanted:
                s.add(
                    LineupEntry(
                        match_id=match_id, player_id=player_id, starting=starting, shirt_number=shirt, updated_at=now
                    )
                )
        run.pulled("lineups", 1)
        run.store(ChangeSet.of(lineups=[match_id]))


def stored_changes(entity: str, records: list[dict[str, Any]]) -> ChangeSet:
    """What storing these pulled records of ``entity`` changed locally. A pulled match may have
    a new status, and pulled events may start or end periods: both count as clock changes."""
    ids = [r["id"] for r in records]
    if entity == "team":
        return ChangeSet.of(teams=ids)
    if entity == "player":
        return ChangeSet.of(players=ids, teams=[r.get("team_id") for r in records])
    if entity == "match":
        return ChangeSet.of(matches=ids, clocks=ids)
    if entity == "event":
        match_ids = [r.get("match_id") for r in records]
        return ChangeSet.of(events=ids, event_matches=match_ids, clocks=match_ids)
    if entity == "lineup":  # a lineup's id is its match's
        return ChangeSet.of(lineups=ids)
    return ChangeSet.topic("match")  # nothing finer known
