"""Crash-test helper, run as a subprocess: logs events in a loop until killed.

Usage: python tests/match/crash_logger.py FIELDMAT_HOME
Prints ``match <id>`` first, then each event id ONLY after ``log_event`` returned (acknowledged),
flushing stdout each time.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from app.context import AppContext  # noqa: E402
from app.match import MatchService  # noqa: E402


def main() -> None:
    ctx = AppContext.create(Path(sys.argv[1]))
    svc = MatchService(ctx.db)
    team = svc.create_team("Crashers")
    player = svc.add_player(team.id, "Busy", 8, "MF")
    helper = svc.add_player(team.id, "Helper", 10, "FW")
    match = svc.create_match("Crashers", "Killers", datetime.now(UTC), team_id=team.id)
    svc.start_period(match.id)
    print(f"match {match.id}", flush=True)
    kinds = ("tackle", "key_pass", "goal", "interception", "save", "foul")
    i = 0
    while True:
        kind = kinds[i % len(kinds)]
        change = svc.log_event(match.id, kind, "home", player.id, helper.id if kind == "goal" else None)
        for event_id in change.event_ids:
            sys.stdout.write(event_id + "\n")
        sys.stdout.flush()
        i += 1


if __name__ == "__main__":
    main()
