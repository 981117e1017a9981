"""Matches: create, change, soft-delete, read one, list with scores."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from app.errors import NotFound, ValidationError
from app.match.base import ServiceBase
from app.match.records import live_row, match_row, save_row
from app.match.rules import PERIOD_KINDS, check_aware, check_fields, check_periods, check_side, clean_name, score_of
from app.match.types import Change, MatchSummary
from app.models.match import Match, MatchEvent, Team
from app.outbox import enqueue

MATCH_FIELDS = (
    "home_team",
    "away_team",
    "kickoff_at",
    "venue",
    "our_side",
    "team_id",
    "period_count",
    "period_length_min",
    "extra_time_length_min",
    "home_team_id",
    "away_team_id",
)
SQUAD_FIELDS = ("team_id", "home_team_id", "away_team_id")


class MatchOps(ServiceBase):
    """create_match, update_match, delete_match, get_match, list_matches."""

    def create_match(
        self,
        home_team: str,
        away_team: str,
        kickoff_at: datetime,
        team_id: str | None = None,
        our_side: str = "home",
        venue: str | None = None,
        period_count: int = 2,
        period_length_min: int = 45,
        *,
        extra_time_length_min: int = 15,
        home_team_id: str | None = None,
        away_team_id: str | None = None,
    ) -> Match:
        """Create a scheduled match. ``team_id`` is our team (one of the two sides): it is also
        the squad of ``our_side`` unless that side's ``*_team_id`` is given. The other side's
        ``*_team_id`` keeps the opponent's squad (a team with players); a name alone is enough."""
        check_side(our_side, "our_side")
        check_periods(period_count, period_length_min, extra_time_length_min)
        sides = {"home": home_team_id, "away": away_team_id}
        if team_id is not None and sides[our_side] is None:
            sides[our_side] = team_id
        check_squads(team_id, our_side, sides["home"], sides["away"])
        match = Match(
            team_id=team_id,
            our_side=our_side,
            home_team=clean_name(home_team, "home team"),
            away_team=clean_name(away_team, "away team"),
            kickoff_at=check_aware(kickoff_at, "kickoff_at"),
            venue=(venue or "").strip() or None,
            period_count=period_count,
            period_length_min=period_length_min,
            extra_time_length_min=extra_time_length_min,
            home_team_id=sides["home"],
            away_team_id=sides["away"],
            updated_at=self._now(),
        )
        with self.db.write() as s:
            for tid in {team_id, sides["home"], sides["away"]} - {None}:
                live_row(s, Team, str(tid), "team")
            s.add(match)
            enqueue(s, "match", match.id)
        return match

    def update_match(self, match_id: str, **fields: Any) -> Match:
        """Change the fields in ``MATCH_FIELDS`` (the squads stay consistent: ``check_squads``).

        ``period_count`` cannot drop below the period the match has already reached.
        """
        check_fields(fields, MATCH_FIELDS, "match")
        for key in ("home_team", "away_team"):
            if key in fields:
                fields[key] = clean_name(fields[key], key.replace("_", " "))
        if "kickoff_at" in fields:
            fields["kickoff_at"] = check_aware(fields["kickoff_at"], "kickoff_at")
        if "our_side" in fields:
            check_side(fields["our_side"], "our_side")
        with self.db.write() as s:
            match = match_row(s, match_id)
            check_periods(
                fields.get("period_count", match.period_count),
                fields.get("period_length_min", match.period_length_min),
                fields.get("extra_time_length_min", match.extra_time_length_min),
            )
            merged = {name: fields.get(name, getattr(match, name)) for name in (*SQUAD_FIELDS, "our_side")}
            side_field = f"{merged['our_side']}_team_id"
            if ("team_id" in fields or "our_side" in fields) and side_field not in fields:
                # our team moves with our side: its squad is that side's squad
                other = "away_team_id" if side_field == "home_team_id" else "home_team_id"
                if "our_side" in fields and other not in fields and merged[other] == match.team_id:
                    fields[other] = merged[other] = None
                fields[side_field] = merged[side_field] = merged["team_id"]
            check_squads(merged["team_id"], merged["our_side"], merged["home_team_id"], merged["away_team_id"])
            for name in SQUAD_FIELDS[1:]:
                if fields.get(name) is not None and s.get(Team, fields[name]) is None:
                    raise NotFound(f"team {fields[name]} not found")
            if fields.get("period_count", match.period_count) < match.current_period:
                raise ValidationError(
                    f"the match has already reached period {match.current_period}, "
                    f"so it needs at least {match.current_period} periods"
                )
            if fields.get("team_id") is not None and s.get(Team, fields["team_id"]) is None:
                raise NotFound(f"team {fields['team_id']} not found")
            save_row(s, match, "match", fields, self._now())
        return match

    def delete_match(self, match_id: str) -> Change:
        """Soft-delete a match (its events stay in the database, hidden with it)."""
        with self.db.write() as s:
            save_row(s, match_row(s, match_id), "match", {"deleted": True}, self._now(), "delete")
        return Change("match", match_ids=(match_id,), description="Match deleted")

    def get_match(self, match_id: str) -> Match:
        """The match row (raises NotFound)."""
        with self.db.session() as s:
            return match_row(s, match_id)

    def list_matches(self, team_id: str | None = None) -> list[MatchSummary]:
        """Matches that are not deleted, newest kick-off first, with their scores."""
        with self.db.session() as s:
            query = select(Match).where(col(Match.deleted).is_(False))
            if team_id is not None:
                query = query.where(Match.team_id == team_id)
            matches = list(s.exec(query.order_by(col(Match.kickoff_at).desc())).all())
            counts = s.exec(
                select(MatchEvent.match_id, MatchEvent.kind, MatchEvent.team, func.count())
                .where(col(MatchEvent.deleted).is_(False))
                .group_by(col(MatchEvent.match_id), col(MatchEvent.kind), col(MatchEvent.team))
            ).all()
        pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        totals: dict[str, int] = defaultdict(int)
        for mid, kind, team, n in counts:
            if kind in ("goal", "own_goal"):
                pairs[mid].extend([(kind, team)] * int(n))
            if kind not in PERIOD_KINDS:
                totals[mid] += int(n)
        result = []
        for m in matches:
            home, away = score_of(pairs.get(m.id, []))
            result.append(
                MatchSummary(
                    id=m.id,
                    home_team=m.home_team,
                    away_team=m.away_team,
                    kickoff_at=m.kickoff_at,
                    venue=m.venue,
                    status=m.status,
                    current_period=m.current_period,
                    our_side=m.our_side,
                    team_id=m.team_id,
                    home_score=home,
                    away_score=away,
                    event_count=totals.get(m.id, 0),
                )
            )
        return result


def check_squads(team_id: str | None, our_side: str, home_team_id: str | None, away_team_id: str | None) -> None:
    """The two sides keep different squads, and our team is the squad of our side."""
    if home_team_id is not None and home_team_id == away_team_id:
        raise ValidationError("the home and away sides cannot keep the same squad")
    ours = home_team_id if our_side == "home" else away_team_id
    if team_id is not None and ours is not None and ours != team_id:
        raise ValidationError(f"our team must be the {our_side} side's squad")
