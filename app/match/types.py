"""Plain result types of the match service (no ORM objects leak to the UI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.changes import ChangeSet

EVENT_ACTIONS = frozenset({"log", "edit", "delete", "undo", "redo"})


@dataclass(frozen=True)
class Change:
    """What a service call changed, so panels know what to refresh.

    ``action``: team | player | match | lineup | clock | log | edit | delete | undo | redo | import.
    ``event_ids``: for ``log`` the first id is the event asked for (a goal's automatic
    ``assist`` follows it). ``kinds`` are the event kinds touched.
    ``description`` is a short human text ("Goal logged", "Undone: goal").
    ``changes`` is the same as the ``app.changes.ChangeSet`` the bus carries.
    """

    action: str
    match_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()
    player_ids: tuple[str, ...] = ()
    description: str = ""

    @property
    def event_id(self) -> str:
        """The main event id of a ``log`` change (raises ValueError when there is none)."""
        if not self.event_ids:
            raise ValueError("this change touched no event")
        return self.event_ids[0]

    @property
    def changes(self) -> ChangeSet:
        """Which records changed, by what a screen shows (see ``app.changes``)."""
        a = self.action
        events = self.event_ids if (a in EVENT_ACTIONS or a in ("clock", "import")) else ()
        return ChangeSet.of(
            matches=self.match_ids if a in ("match", "import") else (),
            clocks=self.match_ids if a in ("clock", "import") else (),
            event_matches=self.match_ids if events or a in EVENT_ACTIONS else (),
            events=events,
            lineups=self.match_ids if a in ("lineup", "import") else (),
            teams=self.team_ids,
            players=self.player_ids if a in ("team", "player", "import") else (),
        )


def roster_change(team_id: str | None, player_id: str | None = None, description: str = "") -> Change:
    """What creating or editing a team (or one of its players) changed; the roster calls that
    return the stored row (``create_team``, ``add_player``, ``update_player``) are described so."""
    return Change(
        "player" if player_id else "team",
        team_ids=(team_id,) if team_id else (),
        player_ids=(player_id,) if player_id else (),
        description=description,
    )


def match_saved(match_id: str, team_id: str | None = None, description: str = "") -> Change:
    """What creating or editing a match (``create_match``, ``update_match``) changed."""
    return Change("match", match_ids=(match_id,), team_ids=(team_id,) if team_id else (), description=description)


@dataclass(frozen=True)
class ClockState:
    """The match clock at one instant, derived from stored marks (survives restarts).

    ``period``: 0 before kick-off, else the current (or last ended) period.
    ``running``: the clock is ticking (period started, not paused, not ended).
    ``elapsed_ms``: match-clock time inside ``period`` (pauses excluded).
    ``display``: "MM:SS" of match time (second half continues from 45:00), or "45+2" /
    "90+3" in stoppage time (added minutes rounded up).
    ``status``: scheduled | live | paused | break | finished.
    """

    period: int
    running: bool
    elapsed_ms: int
    display: str
    status: str
    period_length_ms: int = 0
    stoppage_ms: int = 0
    period_count: int = 2


@dataclass(frozen=True)
class Score:
    """The contract's Match.score: goals of periods 1-4 (own goals for the other side), and
    the shoot-out's (home, away) once period 5 was played, else None."""

    home: int
    away: int
    shootout: tuple[int, int] | None = None


@dataclass(frozen=True)
class LineupItem:
    """One player in a match lineup (input to ``set_lineup`` and output of ``lineup``)."""

    player_id: str
    starting: bool
    shirt_number: int | None = None


@dataclass(frozen=True)
class TimelineEvent:
    """One (not deleted) event of a match, with player names resolved, in match order."""

    id: str
    seq: int
    match_id: str
    kind: str
    team: str | None  # None for period markers (they belong to no team)
    player_id: str | None
    player_name: str | None
    related_player_id: str | None
    related_player_name: str | None
    period: int
    clock_ms: int
    minute: str  # "23'" or "45+2'"
    note: str | None
    logged_at: datetime
    deleted: bool = False
    reason: str | None = None


@dataclass
class PlayerStats:
    """Counts for one player in one match (or a season when ``matches`` > 1)."""

    player_id: str
    name: str
    team_id: str | None
    shirt_number: int | None
    position: str | None
    goals: int = 0
    assists: int = 0
    own_goals: int = 0
    saves: int = 0
    tackles: int = 0
    key_passes: int = 0
    interceptions: int = 0
    fouls: int = 0
    yellow_cards: int = 0
    red_cards: int = 0
    shots_on_target: int = 0
    shots_off_target: int = 0
    minutes: int = 0
    minutes_ms: int = 0
    matches: int = 0
    starts: int = 0


@dataclass(frozen=True)
class MatchSummary:
    """A row of ``list_matches``."""

    id: str
    home_team: str
    away_team: str
    kickoff_at: datetime
    venue: str | None
    status: str
    current_period: int
    our_side: str
    team_id: str | None
    home_score: int
    away_score: int
    event_count: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What ``import_match`` did; ``changed`` is False when the file was already in."""

    match_id: str
    inserted: int
    updated: int
    unchanged: int
    change: Change = field(default_factory=lambda: Change("import"))

    @property
    def changed(self) -> bool:
        return self.inserted + self.updated > 0
