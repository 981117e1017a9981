"""``fieldmat match stats MATCH_ID --json``: a match's score and per-player stats as JSON.

Shape (a contract other tools read)::

    {"match_id", "score": {"home", "away", "shootout"},
     "players": [{"player_id", "name", "team" ("home"|"away"), "shirt_number", "minutes_ms",
                  "minutes", "goals", "assists", "shots_on_target", "shots_off_target", "saves",
                  "tackles", "interceptions", "key_passes", "fouls", "yellow_cards", "red_cards",
                  "own_goals"}]}

From the same rule set as the summary (``MatchService.player_stats``): minutes are
``minutes_ms`` rounded to the nearest minute; ``shootout`` is null unless period 5 was played.
"""

from __future__ import annotations

from typing import Any

from app.match.lineups import side_team
from app.match.service import MatchService

COUNTS = (
    "goals",
    "assists",
    "shots_on_target",
    "shots_off_target",
    "saves",
    "tackles",
    "interceptions",
    "key_passes",
    "fouls",
    "yellow_cards",
    "red_cards",
    "own_goals",
)


def match_stats(service: MatchService, match_id: str) -> dict[str, Any]:
    """The ``match stats`` document of one match (see the module docstring)."""
    match = service.get_match(match_id)
    sides = {side_team(match, side): side for side in ("home", "away")}
    score = service.match_score(match_id)
    players = []
    for st in service.player_stats(match_id):
        team = sides.get(st.team_id)
        if team is None:  # a player of neither squad (a lineup from before squads were kept)
            continue
        players.append(
            {
                "player_id": st.player_id,
                "name": st.name,
                "team": team,
                "shirt_number": st.shirt_number,
                "minutes_ms": st.minutes_ms,
                "minutes": st.minutes,
                **{name: getattr(st, name) for name in COUNTS},
            }
        )
    shootout = None if score.shootout is None else {"home": score.shootout[0], "away": score.shootout[1]}
    return {
        "match_id": match_id,
        "score": {"home": score.home, "away": score.away, "shootout": shootout},
        "players": players,
    }
