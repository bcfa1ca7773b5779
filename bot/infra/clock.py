"""The bot's idea of "now": real time, or a pretended time for demos and tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    """Real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock(Clock):
    """Starts at a pretended moment and then runs at the speed of real time."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the pretended start needs a time zone")
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


class ManualClock(Clock):
    """Stands still until moved (tests)."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, value: datetime) -> None:
        self._now = value.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)
