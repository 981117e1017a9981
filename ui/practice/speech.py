"""Spoken cues through Qt's QTextToSpeech: one at a time, with a cooldown, easy to mute.

Rules of :meth:`CueSpeaker.offer`: nothing is said while muted (``settings.speech_enabled``
False), while something is still being spoken, or within ``settings.speech_cooldown_s`` of the
last cue; the same cue is not repeated within twice the cooldown. :meth:`announce` (guided
step changes) interrupts and ignores the cooldown but still respects mute.

The engine is created lazily on first use: ``engine`` argument, else ``FIELDMAT_TTS_ENGINE``,
else "speechd" when Qt offers it. No engine (or one in error) means silent cues and a
``status`` message, never an exception. GUI thread only.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.config import Settings

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)
PREFERRED_ENGINE = "speechd"


class CueSpeaker(QObject):
    """See the module docstring. ``clock`` (monotonic seconds) is injectable for tests."""

    spoken = Signal(str)

    def __init__(
        self,
        settings: Settings,
        *,
        engine: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._engine_name = engine
        self._clock = clock
        self._tts: QTextToSpeech | None = None
        self._tried = False
        self.status = ""
        self._last_at: float | None = None
        self._last_text = ""
        self._last_text_at: float | None = None

    @property
    def muted(self) -> bool:
        return not self.settings.speech_enabled

    def set_muted(self, muted: bool) -> None:
        """Mute/unmute (the caller saves the settings); muting silences the current cue."""
        self.settings.speech_enabled = not muted
        if muted:
            self.stop()

    def available(self) -> bool:
        """Whether a speech engine works (creates it on first call)."""
        return self._engine() is not None

    def offer(self, text: str) -> bool:
        """Say ``text`` if the rules allow it now; returns whether it was said."""
        if self.muted or not text:
            return False
        tts = self._engine()
        if tts is None or self._speaking(tts):
            return False
        now = self._clock()
        cooldown = self.settings.speech_cooldown_s
        if self._last_at is not None and now - self._last_at < cooldown:
            return False
        if text == self._last_text and self._last_text_at is not None and now - self._last_text_at < 2 * cooldown:
            return False
        self._say(tts, text, now)
        return True

    def announce(self, text: str) -> bool:
        """Say ``text`` now (interrupting a cue), unless muted or no engine."""
        if self.muted or not text:
            return False
        tts = self._engine()
        if tts is None:
            return False
        tts.stop()
        self._say(tts, text, self._clock())
        return True

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()

    def shutdown(self) -> None:
        """Silence and release the engine."""
        self.stop()
        if self._tts is not None:
            self._tts.deleteLater()
            self._tts = None

    def _say(self, tts: QTextToSpeech, text: str, now: float) -> None:
        tts.say(text)
        self._last_at = now
        self._last_text, self._last_text_at = text, now
        self.spoken.emit(text)

    @staticmethod
    def _speaking(tts: QTextToSpeech) -> bool:
        from PySide6.QtTextToSpeech import QTextToSpeech

        return tts.state() in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing)

    def _engine(self) -> QTextToSpeech | None:
        if self._tried:
            return self._tts
        self._tried = True
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            self.status = "Spoken cues are unavailable: Qt Text-to-Speech is not installed."
            return None
        engines = QTextToSpeech.availableEngines()
        name = (
            self._engine_name
            or os.environ.get("FIELDMAT_TTS_ENGINE")
            or (PREFERRED_ENGINE if PREFERRED_ENGINE in engines else None)
        )
        if name is None or name not in engines:
            self.status = "Spoken cues are unavailable: no speech engine found (install speech-dispatcher)."
            return None
        tts = QTextToSpeech(name, self)
        if tts.state() == QTextToSpeech.State.Error:
            self.status = f"Spoken cues are unavailable: {tts.errorString() or 'the speech engine failed'}."
            log.warning("speech engine %s failed: %s", name, tts.errorString())
            tts.deleteLater()
            return None
        self._tts = tts
        self.status = ""
        return tts
