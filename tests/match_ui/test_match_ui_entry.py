"""The live view's input state machine: every path to an event takes at most two actions."""

from __future__ import annotations

from ui.match.entry import Entry, LogRequest

SHIRTS = {7: "p7", 9: "p9", 12: "p12"}


def entry(our_side: str = "home") -> Entry:
    return Entry(SHIRTS.get, our_side)


def test_digits_then_kind_logs_at_once() -> None:
    e = entry()
    e.digit("7")
    assert e.event_key("goal") == LogRequest("goal", "home", player_id="p7")
    assert e.idle


def test_kind_then_digits_and_enter() -> None:
    e = entry()
    assert e.event_key("save") is None
    e.digit("1")
    e.digit("2")
    assert e.enter() == LogRequest("save", "home", player_id="p12")


def test_kind_then_enter_logs_without_player() -> None:
    e = entry()
    assert e.event_key("ball_out") is None
    assert e.enter() == LogRequest("ball_out", "home")


def test_tap_then_kind_and_kind_then_tap() -> None:
    e = entry()
    assert e.player_tap("p9") is None
    assert e.event_key("tackle") == LogRequest("tackle", "home", player_id="p9")
    assert e.event_key("foul") is None
    assert e.player_tap("p7") == LogRequest("foul", "home", player_id="p7")


def test_tapping_the_picked_player_again_unpicks() -> None:
    e = entry()
    e.player_tap("p9")
    e.player_tap("p9")
    assert e.idle


def test_substitution_off_then_on_by_taps_and_by_digits() -> None:
    e = entry()
    assert e.event_key("substitution") is None
    assert e.player_tap("p9") is None
    assert e.player_tap("p9") is None and "different" in e.error
    assert e.player_tap("p12") == LogRequest("substitution", "home", player_id="p9", related_player_id="p12")
    e.digit("9")
    assert e.event_key("substitution") is None
    e.digit("1")
    e.digit("2")
    assert e.enter() == LogRequest("substitution", "home", player_id="p9", related_player_id="p12")


def test_substitution_needs_both_players() -> None:
    e = entry()
    e.event_key("substitution")
    assert e.enter() is None
    assert "two players" in e.error


def test_unknown_shirt_logs_nothing_and_says_so() -> None:
    e = entry()
    e.digit("5")
    e.digit("5")
    assert e.event_key("goal") is None
    assert e.error == "No #55 in the squad"
    assert e.kind is None


def test_opponent_side_lasts_one_event_and_keeps_the_number_as_note() -> None:
    e = entry(our_side="away")
    assert e.side == "away"
    e.toggle_side()
    assert e.opponent
    e.digit("4")
    assert e.event_key("yellow_card") == LogRequest("yellow_card", "home", note="#4")
    assert e.side == "away" and not e.opponent


def test_escape_clears_and_backspace_deletes_a_digit() -> None:
    e = entry()
    e.digit("1")
    e.digit("2")
    e.backspace()
    assert e.digits == "1"
    e.event_key("goal")
    e.clear()
    assert e.idle
