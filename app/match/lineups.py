"""A match's lineup (starters, bench, this match's shirt numbers) and the shirt-number lookup."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from app.errors import ValidationError
from app.match.base import ServiceBase
from app.match.records import live_row, match_row
from app.match.rules import check_shirt, check_side
from app.match.types import Change, LineupItem
from app.models.match import LineupEntry, Player
from app.outbox import enqueue


class LineupOps(ServiceBase):
    """set_lineup, lineup, find_player_by_shirt."""

    def set_lineup(self, match_id: str, entries: Iterable[LineupItem]) -> Change:
        """Replace the match lineup (starting players and bench) with ``entries``.

        ``shirt_number`` is this match's number of the player (overrides the roster's); two
        players of the lineup cannot wear the same number (the shirt-number entry needs it).
        """
        items = list(entries)
        seen: set[str] = set()
        numbers: set[int] = set()
        for item in items:
            if item.player_id in seen:
                raise ValidationError(f"player {item.player_id} is in the lineup twice")
            seen.add(item.player_id)
            check_shirt(item.shirt_number)
            if item.shirt_number is not None:
                if item.shirt_number in numbers:
                    raise ValidationError(f"shirt #{item.shirt_number} is given to two players in the lineup")
                numbers.add(item.shirt_number)
        now = self._now()
        with self.db.write() as s:
            match_row(s, match_id)
            for item in items:
                live_row(s, Player, item.player_id, "player")
            for old in s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all():
                s.delete(old)
            s.flush()
            for item in items:
                s.add(
                    LineupEntry(
                        match_id=match_id, player_id=item.player_id, starting=item.starting,
                        shirt_number=item.shirt_number, updated_at=now,
                    )
                )
            enqueue(s, "lineup", match_id)
        return Change("lineup", match_ids=(match_id,), player_ids=tuple(seen), description="Lineup saved")

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

        Looks at the lineup's shirt numbers first, then the team roster's. Only our side has
        players; the opponent side always gives None.
        """
        check_side(team_side, "team_side")
        with self.db.session() as s:
            match = match_row(s, match_id)
            if match.team_id is None or team_side != match.our_side:
                return None
            entries = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            for entry in entries:
                if entry.shirt_number == number:
                    return s.get(Player, entry.player_id)
            overridden = {e.player_id for e in entries if e.shirt_number is not None}
            roster = s.exec(
                select(Player).where(
                    Player.team_id == match.team_id, Player.shirt_number == number, col(Player.deleted).is_(False)
                )
            ).all()
            in_lineup = [p for p in roster if p.id in {e.player_id for e in entries} and p.id not in overridden]
            candidates = in_lineup or [p for p in roster if p.id not in overridden]
            return candidates[0] if candidates else None
