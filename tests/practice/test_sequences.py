"""Guided sequences: the JSON format, built-in and user files, progression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import ValidationError
from app.practice.sequences import (
    GuidedRun,
    Sequence,
    SequenceError,
    SequenceStep,
    builtin_sequences,
    parse_sequence,
    single_pose,
    user_sequences,
)
from pose.library import PoseLibrary

IDS = PoseLibrary.load().ids()
GOOD = {"name": "Evening", "steps": [{"pose": "tree", "hold_s": 20}, {"pose": "mountain", "hold_s": 5.5}]}


def test_two_builtin_sequences_use_library_poses() -> None:
    sequences = builtin_sequences(IDS)  # raises if a step names an unknown pose
    assert len(sequences) == 2
    assert all(s.builtin and len(s.steps) >= 5 for s in sequences)
    assert len({s.name for s in sequences}) == 2


def test_parse_good_sequence_round_trips() -> None:
    seq = parse_sequence(GOOD, known_poses=IDS)
    assert seq.name == "Evening"
    assert seq.steps == (SequenceStep("tree", 20.0), SequenceStep("mountain", 5.5))
    assert seq.total_s == 25.5
    assert parse_sequence(seq.to_json(), known_poses=IDS).steps == seq.steps


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([1, 2], "must be a JSON object"),
        ({"steps": GOOD["steps"]}, "'name'"),
        ({"name": "  ", "steps": GOOD["steps"]}, "'name'"),
        ({"name": "x", "steps": []}, "non-empty list"),
        ({"name": "x"}, "non-empty list"),
        ({"name": "x", "steps": [{"pose": "moonwalk", "hold_s": 10}]}, "step 1: unknown pose 'moonwalk'"),
        ({"name": "x", "steps": [{"pose": "tree"}]}, "step 1: 'hold_s' must be a number"),
        ({"name": "x", "steps": [{"pose": "tree", "hold_s": "10"}]}, "'hold_s' must be a number"),
        ({"name": "x", "steps": [{"pose": "tree", "hold_s": True}]}, "'hold_s' must be a number"),
        ({"name": "x", "steps": [{"pose": "tree", "hold_s": 0}]}, "'hold_s' must be 1-600"),
        ({"name": "x", "steps": [{"pose": "tree", "hold_s": 601}]}, "'hold_s' must be 1-600"),
        ({"name": "x", "steps": [{"pose": "tree", "hold": 10}]}, "step 1: unknown key(s) hold"),
        ({"name": "x", "steps": ["tree"]}, "step 1 must be an object"),
        ({"name": "x", "steps": GOOD["steps"], "colour": "red"}, "unknown key(s) colour"),
        ({"format": "other/2", **GOOD}, "format must be"),
    ],
)
def test_invalid_sequences_are_rejected_with_a_reason(doc: object, message: str) -> None:
    with pytest.raises(SequenceError) as info:
        parse_sequence(doc, known_poses=IDS)
    assert message in str(info.value)
    assert isinstance(info.value, ValidationError)


def test_user_sequence_files_load_and_bad_ones_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "sequences"
    assert user_sequences(tmp_path, IDS) == ([], [])  # no folder: nothing, no error
    folder.mkdir()
    (folder / "a_good.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (folder / "b_typo.json").write_text(json.dumps({"name": "T", "steps": [{"pose": "tre", "hold_s": 5}]}))
    (folder / "c_broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    good, errors = user_sequences(tmp_path, IDS)
    assert [s.name for s in good] == ["Evening"]
    assert not good[0].builtin and good[0].path == folder / "a_good.json"
    assert len(errors) == 2
    assert errors[0].startswith("b_typo.json: step 1: unknown pose 'tre'")
    assert errors[1].startswith("c_broken.json: not readable JSON")


def test_guided_run_progresses_only_when_the_target_pose_is_held_long_enough() -> None:
    run = GuidedRun(Sequence("S", (SequenceStep("tree", 10), SequenceStep("mountain", 5))))
    assert run.current == SequenceStep("tree", 10)
    assert not run.is_step_done("tree", 9.9)
    assert not run.is_step_done("mountain", 30)  # the wrong pose never completes a step
    assert not run.is_step_done(None, 30)
    assert run.is_step_done("tree", 10)
    assert run.advance() == SequenceStep("mountain", 5)
    assert run.is_step_done("mountain", 5)
    assert run.advance() is None
    assert run.done
    assert not run.is_step_done("mountain", 100)
    assert run.advance() is None


def test_step_credit_counts_only_time_in_the_steps_own_pose() -> None:
    run = GuidedRun(Sequence("S", (SequenceStep("mountain", 15), SequenceStep("tree", 10))))
    assert run.step_credit("mountain", 2.0) == 2.0
    # A wide-leg stance held 5 s is not Mountain time; nor is standing between poses.
    assert run.step_credit("pyramid", 5.0) == 0.0
    assert run.step_credit(None, 5.0) == 0.0
    run.advance()
    assert run.step_credit("mountain", 20.0) == 0.0 and run.step_credit("tree", 3.5) == 3.5
    run.advance()
    assert run.step_credit("tree", 3.5) == 0.0  # the sequence is done


def test_single_pose_sequence_checks_the_hold_time() -> None:
    assert single_pose("tree", "Tree", 30).steps == (SequenceStep("tree", 30.0),)
    with pytest.raises(SequenceError):
        single_pose("tree", "Tree", 0.2)
