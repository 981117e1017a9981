"""A match's lineup (starters, bench, this match's shirt numbers) and the shirt-number lookup."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from app.errors import ValidationError
from app.match.base import ServiceBase
from app.match.records import live_row, match_row
from app.match.rules import check_shirt, check_side
from app.match.types import Change, LineupItem
from app.models.match import LineupEntry, Match, Player
from app.outbox import enqueue


class LineupOps(ServiceBase):
    """set_lineup, lineup, find_player_by_shirt."""

    def set_lineup(self, match_id: str, entries: Iterable[LineupItem]) -> Change:
        """Replace the match lineup (starting players and bench) of both sides with ``entries``.

        ``check_lineup`` holds the rules (every player of a side's squad, a shirt number once
        per side); ``shirt_number`` is this match's number (overrides the roster's).
        """
        items = list(entries)
        now = self._now()
        with self.db.write() as s:
            match = match_row(s, match_id)
            players = {item.player_id: live_row(s, Player, item.player_id, "player") for item in items}
            check_lineup(match, items, {pid: (p.team_id, p.name) for pid, p in players.items()})
            for old in s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all():
                s.delete(old)
            s.flush()
            for item in items:
                s.add(
                    LineupEntry(
                        match_id=match_id,
                        player_id=item.player_id,
                        starting=item.starting,
                        shirt_number=item.shirt_number,
                        updated_at=now,
                    )
                )
            enqueue(s, "lineup", match_id)
        return Change("lineup", match_ids=(match_id,), player_ids=tuple(players), description="Lineup saved")

    def lineup(self, match_id: str) -> list[LineupItem]:
        """The lineup: starters first, then bench, by shirt number."""
        with self.db.session() as s:
            rows = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            wanted = [r.player_id for r in rows]
            players = {p.id: p for p in s.exec(select(Player).where(col(Player.id).in_(wanted))).all()}
        items = [LineupItem(r.player_id, r.starting, r.shirt_number) for r in rows]

        def key(item: LineupItem) -> tuple[bool, int, str]:
            p = players.get(item.player_id)
            number = item.shirt_number if item.shirt_number is not None else (p.shirt_number if p else None)
            return (not item.starting, 999 if number is None else number, p.name if p else "")

        return sorted(items, key=key)

    def find_player_by_shirt(self, match_id: str, team_side: str, number: int) -> Player | None:
        """The player wearing ``number`` for ``team_side`` (home|away) in this match, or None.

        Only that side's squad is searched: its lineup's shirt numbers first, then its roster's.
        A side whose squad is not kept (a name only) always gives None.
        """
        check_side(team_side, "team_side")
        with self.db.session() as s:
            match = match_row(s, match_id)
            team_id = side_team(match, team_side)
            if team_id is None:
                return None
            roster_ids = set(s.exec(select(Player.id).where(Player.team_id == team_id)).all())
            entries = [
                e
                for e in s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
                if e.player_id in roster_ids
            ]
            for entry in entries:
                if entry.shirt_number == number:
                    return s.get(Player, entry.player_id)
            overridden = {e.player_id for e in entries if e.shirt_number is not None}
            roster = s.exec(
                select(Player).where(
                    Player.team_id == team_id, Player.shirt_number == number, col(Player.deleted).is_(False)
                )
            ).all()
            in_lineup = [p for p in roster if p.id in {e.player_id for e in entries} and p.id not in overridden]
            candidates = in_lineup or [p for p in roster if p.id not in overridden]
            return candidates[0] if candidates else None


def side_team(match: Match, side: str) -> str | None:
    """The Team whose squad plays on ``side`` (None: a name only)."""
    team_id = match.home_team_id if side == "home" else match.away_team_id
    if team_id is None and side == match.our_side:
        team_id = match.team_id
    return team_id


def check_lineup(match: Match, items: list[LineupItem], players: dict[str, tuple[str, str]]) -> None:
    """The lineup rules (``set_lineup`` and the import): each player once, of a side's squad,
    and a shirt number given once per side. ``players``: player id -> (team id, name).
    Raises ValidationError naming the player."""
    squads = {side_team(match, side): side for side in ("home", "away")}
    squads.pop(None, None)
    seen: set[str] = set()
    numbers: dict[tuple[str, int], str] = {}
    for item in items:
        team_id, name = players[item.player_id]
        if item.player_id in seen:
            raise ValidationError(f"{name} is in the lineup twice")
        seen.add(item.player_id)
        check_shirt(item.shirt_number)
        side = squads.get(team_id)
        if side is None:
            raise ValidationError(f"{name} plays for neither side's squad of this match")
        if item.shirt_number is not None:
            other = numbers.get((side, item.shirt_number))
            if other is not None:
                raise ValidationError(
                    f"shirt #{item.shirt_number} is given to two {side} players in the lineup: {other} and {name}"
                )
            numbers[(side, item.shirt_number)] = name
