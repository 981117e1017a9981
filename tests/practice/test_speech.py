"""Spoken cues with Qt's "mock" TTS engine: one at a time, cooldown, mute, no engine."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from app.config import Settings
from ui.practice.speech import CueSpeaker


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def wait_silent(qtbot: QtBot, speaker: CueSpeaker) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    tts = speaker._tts
    assert tts is not None
    qtbot.waitUntil(lambda: tts.state() == QTextToSpeech.State.Ready, timeout=10_000)


def test_cues_respect_cooldown_one_at_a_time_and_no_quick_repeats(qtbot: QtBot) -> None:
    settings = Settings(speech_cooldown_s=5.0)
    clock = FakeMonotonic()
    speaker = CueSpeaker(settings, engine="mock", clock=clock)
    spoken: list[str] = []
    speaker.spoken.connect(spoken.append)
    assert speaker.available()

    assert speaker.offer("Bend your front knee more")
    clock.now += 60
    assert not speaker.offer("Raise your arms")  # cooldown over, but the first cue is still being spoken
    wait_silent(qtbot, speaker)
    clock.now = 100.0 + 60
    assert speaker.offer("Stand tall")
    wait_silent(qtbot, speaker)
    clock.now += 4.9
    assert not speaker.offer("Raise your arms")  # silent, but the cooldown is not over
    clock.now += 0.2
    assert speaker.offer("Raise your arms")
    wait_silent(qtbot, speaker)
    clock.now += 5.1
    assert not speaker.offer("Raise your arms")  # the same cue waits twice the cooldown
    assert speaker.offer("Lengthen your spine")
    assert spoken == ["Bend your front knee more", "Stand tall", "Raise your arms", "Lengthen your spine"]
    speaker.shutdown()


def test_mute_silences_and_is_a_setting(qtbot: QtBot) -> None:
    settings = Settings(speech_cooldown_s=1.0)
    clock = FakeMonotonic()
    speaker = CueSpeaker(settings, engine="mock", clock=clock)
    spoken: list[str] = []
    speaker.spoken.connect(spoken.append)
    speaker.set_muted(True)
    assert settings.speech_enabled is False
    assert not speaker.offer("Bend your knee")
    assert not speaker.announce("Next: Tree")
    speaker.set_muted(False)
    assert settings.speech_enabled is True
    assert speaker.announce("Next: Tree")
    assert speaker.announce("Next: Mountain")  # step announcements interrupt, no cooldown
    assert spoken == ["Next: Tree", "Next: Mountain"]
    speaker.shutdown()


def test_no_speech_engine_is_handled_quietly(qtbot: QtBot, monkeypatch: Any) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: []))
    speaker = CueSpeaker(Settings())
    assert not speaker.available()
    assert not speaker.offer("Bend your knee")
    assert not speaker.announce("Next: Tree")
    assert "no speech engine" in speaker.status
    speaker.shutdown()
