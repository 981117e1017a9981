"""ChangeSet: which records of which area changed (what services return and the bus carries).

No Qt; immutable; safe to pass between threads. A service call (or a sync run) says what it
wrote as a ``ChangeSet``; the panel that called it announces the set on the bus; every
panel refreshes only what the set touches.

Areas: ``practice``, ``match``, ``providers`` (provider records such as WHOOP cycles),
``sync`` (outbox, conflicts, accounts) and ``settings``. A set names records per kind
(match ids, event ids, ...) where they are known; ``whole`` names the areas where anything
may have changed and nothing finer is known (``ChangeSet.topic("settings")``). Two sets
merge with ``|``.

The match area is split by what a screen shows, so that a screen reads only what changed:

===================  ============================================================
``matches``          match records: created, details edited, deleted, imported
``clocks``           matches whose clock or status changed (kick-off, pause, ...)
``event_matches``    matches whose events changed (log, edit, delete, undo, redo)
``events``           the events themselves
``lineups``          matches whose lineup changed
``teams``            teams (created, renamed, a player added or removed)
``players``          players
===================  ============================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

AREAS = ("practice", "match", "providers", "sync", "settings")

# which area each kind of record belongs to (one place: ``touches`` and ``areas`` read it)
AREA_OF_FIELD = {
    "matches": "match",
    "clocks": "match",
    "event_matches": "match",
    "events": "match",
    "lineups": "match",
    "teams": "match",
    "players": "match",
    "practice_sessions": "practice",
    "providers": "providers",
}


def _ids(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(v for v in values if v)


@dataclass(frozen=True)
class ChangeSet:
    """What changed. Every field is a frozenset; the empty set means "nothing changed"."""

    whole: frozenset[str] = field(default_factory=frozenset)  # areas changed with nothing finer known
    matches: frozenset[str] = field(default_factory=frozenset)
    clocks: frozenset[str] = field(default_factory=frozenset)
    event_matches: frozenset[str] = field(default_factory=frozenset)
    events: frozenset[str] = field(default_factory=frozenset)
    lineups: frozenset[str] = field(default_factory=frozenset)
    teams: frozenset[str] = field(default_factory=frozenset)
    players: frozenset[str] = field(default_factory=frozenset)
    practice_sessions: frozenset[str] = field(default_factory=frozenset)
    providers: frozenset[str] = field(default_factory=frozenset)  # providers whose stored records changed

    def __post_init__(self) -> None:
        unknown = set(self.whole) - set(AREAS)
        if unknown:
            raise ValueError(f"unknown change area(s): {sorted(unknown)}")

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def topic(cls, *areas: str) -> ChangeSet:
        """Anything in ``areas`` may have changed (nothing finer is known), e.g. ``"settings"``."""
        return cls(whole=frozenset(areas))

    @classmethod
    def of(
        cls,
        *,
        matches: Iterable[str | None] = (),
        clocks: Iterable[str | None] = (),
        event_matches: Iterable[str | None] = (),
        events: Iterable[str | None] = (),
        lineups: Iterable[str | None] = (),
        teams: Iterable[str | None] = (),
        players: Iterable[str | None] = (),
        practice_sessions: Iterable[str | None] = (),
        providers: Iterable[str | None] = (),
    ) -> ChangeSet:
        """A set from any iterables of ids (None and "" are left out)."""
        return cls(
            matches=_ids(matches),
            clocks=_ids(clocks),
            event_matches=_ids(event_matches),
            events=_ids(events),
            lineups=_ids(lineups),
            teams=_ids(teams),
            players=_ids(players),
            practice_sessions=_ids(practice_sessions),
            providers=_ids(providers),
        )

    def __or__(self, other: ChangeSet) -> ChangeSet:
        """Both sets' changes."""
        if not isinstance(other, ChangeSet):
            return NotImplemented
        return ChangeSet(**{f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)})

    @staticmethod
    def merge(changes: Iterable[ChangeSet]) -> ChangeSet:
        merged = ChangeSet()
        for change in changes:
            merged = merged | change
        return merged

    # -- reading --------------------------------------------------------------------------------
    @property
    def areas(self) -> frozenset[str]:
        """Every area the set touches."""
        named = {area for name, area in AREA_OF_FIELD.items() if getattr(self, name)}
        return frozenset(named | self.whole)

    def touches(self, *areas: str) -> bool:
        """True when the set touches any of ``areas``."""
        return not self.areas.isdisjoint(areas)

    def is_whole(self, area: str) -> bool:
        """True when anything in ``area`` may have changed (a reader must re-read all of it)."""
        return area in self.whole

    def touches_match(self, match_id: str | None) -> bool:
        """True when anything of match ``match_id`` may have changed (its teams or players aside)."""
        if match_id is None:
            return False
        return self.is_whole("match") or any(
            match_id in ids for ids in (self.matches, self.clocks, self.event_matches, self.lineups)
        )

    def touches_roster(self, team_ids: Iterable[str | None], player_ids: Iterable[str]) -> bool:
        """True when a team of ``team_ids`` or a player of ``player_ids`` changed (or the whole area)."""
        return (
            self.is_whole("match")
            or not self.teams.isdisjoint(_ids(team_ids))
            or not self.players.isdisjoint(player_ids)
        )

    def __bool__(self) -> bool:
        return bool(self.areas)
