"""Teams and their players (roster changes are not undoable)."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from app.match.base import ServiceBase
from app.match.records import live_row, save_row
from app.match.rules import check_fields, check_position, check_shirt, clean_name
from app.match.types import Change
from app.models.match import Player, Team
from app.outbox import enqueue


class RosterOps(ServiceBase):
    """create_team, list_teams, add_player, update_player, delete_player, list_players."""

    def create_team(self, name: str) -> Team:
        """Create our team (or any team). Returns the stored row."""
        name = clean_name(name, "team name")
        team = Team(name=name, updated_at=self._now())
        with self.db.write() as s:
            s.add(team)
            enqueue(s, "team", team.id)
        return team

    def list_teams(self) -> list[Team]:
        """Teams that are not deleted, by name."""
        with self.db.session() as s:
            return list(s.exec(select(Team).where(col(Team.deleted).is_(False)).order_by(col(Team.name))).all())

    def add_player(
        self, team_id: str, name: str, shirt_number: int | None = None, position: str | None = None
    ) -> Player:
        """Add a player to a team. ``position``: GK | DF | MF | FW | None; shirt 0..99."""
        player = Player(
            team_id=team_id,
            name=clean_name(name, "player name"),
            shirt_number=check_shirt(shirt_number),
            position=check_position(position),
            updated_at=self._now(),
        )
        with self.db.write() as s:
            live_row(s, Team, team_id, "team")
            s.add(player)
            enqueue(s, "player", player.id)
        return player

    def update_player(self, player_id: str, **fields: Any) -> Player:
        """Change ``name``, ``shirt_number`` and/or ``position`` of a player."""
        check_fields(fields, ("name", "shirt_number", "position"), "player")
        if "name" in fields:
            fields["name"] = clean_name(fields["name"], "player name")
        if "shirt_number" in fields:
            fields["shirt_number"] = check_shirt(fields["shirt_number"])
        if "position" in fields:
            fields["position"] = check_position(fields["position"])
        with self.db.write() as s:
            player = live_row(s, Player, player_id, "player")
            save_row(s, player, "player", fields, self._now())
        return player

    def delete_player(self, player_id: str) -> Change:
        """Soft-delete a player (their past events and stats stay)."""
        with self.db.write() as s:
            player = live_row(s, Player, player_id, "player")
            save_row(s, player, "player", {"deleted": True}, self._now(), "delete")
        return Change("player", team_ids=(player.team_id,), player_ids=(player_id,), description="Player deleted")

    def list_players(self, team_id: str) -> list[Player]:
        """Players of a team that are not deleted, by shirt number then name."""
        with self.db.session() as s:
            rows = s.exec(select(Player).where(Player.team_id == team_id, col(Player.deleted).is_(False))).all()
        return sorted(rows, key=lambda p: (p.shirt_number is None, p.shirt_number or 0, p.name.lower()))
