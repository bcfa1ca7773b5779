"""When to send: the times an author may type, read in the programme's time zone.

Accepted (case and extra spaces ignored):

- ``2023-10-10 08:00`` (also ``2023-10-10T08:00``) and ``10.10.2023 08:00`` — that day;
- ``08:00`` (or ``8.00``) — today;
- ``tomorrow 08:00`` — also ``завтра 08:00`` and ``jutri 08:00``.

A time that is not in the future is refused (:class:`PastTime`), never moved to another day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class BadTime(ValueError):
    """The text is not a time the bot understands."""


class PastTime(ValueError):
    """The time has already passed."""


_TOMORROW = ("tomorrow", "завтра", "jutri")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ t]+(.+)$")
_DOTTED = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(.+)$")


def _clock(text: str) -> time:
    match = _CLOCK.match(text.strip())
    if not match:
        raise BadTime(text)
    try:
        return time(int(match[1]), int(match[2]))
    except ValueError:
        raise BadTime(text) from None


def _day_and_clock(text: str, today: date) -> tuple[date, time]:
    text = " ".join(text.lower().split())
    for word in _TOMORROW:
        if text.startswith(word + " "):
            return today + timedelta(days=1), _clock(text[len(word) :])
    if match := _ISO.match(text):
        year, month, day, rest = int(match[1]), int(match[2]), int(match[3]), match[4]
    elif match := _DOTTED.match(text):
        day, month, year, rest = int(match[1]), int(match[2]), int(match[3]), match[4]
    else:
        return today, _clock(text)
    try:
        return date(year, month, day), _clock(rest)
    except ValueError:
        raise BadTime(text) from None


def parse_send_time(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """The moment ``text`` names, in UTC-aware form; raises BadTime or PastTime."""
    day, clock = _day_and_clock(text, now.astimezone(tz).date())
    moment = datetime.combine(day, clock, tzinfo=tz)
    if moment <= now:
        raise PastTime(text)
    return moment
