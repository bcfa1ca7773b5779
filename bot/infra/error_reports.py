"""How often a failure of one kind is posted to the error chat: at most once per interval.

The error handler (:mod:`bot.handlers.errors`) posts each failed update to ``BOT_ERROR_CHAT_ID``
(or, without it, the staff chat). A failure that repeats, a broken screen hit by every update,
is posted once per :data:`INTERVAL`; the next post says how many were left out meanwhile.

A post goes through the outbox like every message the bot sends on its own (:func:`enqueue`:
retried, paced to the group's limit, recorded); when the database itself is what fails, the
error handler posts it directly instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.db.engine import Database
from bot.delivery import outbox

#: At most one post per kind of failure in this time.
INTERVAL = timedelta(minutes=5)


@dataclass
class ErrorThrottle:
    """Per kind of failure (the exception's type and where it was raised): the last post and
    how many were held back since."""

    interval: timedelta = INTERVAL
    _last: dict[str, datetime] = field(default_factory=dict)
    _held: dict[str, int] = field(default_factory=dict)

    def admit(self, kind: str, now: datetime) -> int | None:
        """None: hold this one back; otherwise post it, with this many held back before it."""
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self._held[kind] = self._held.get(kind, 0) + 1
            return None
        self._last[kind] = now
        return self._held.pop(kind, 0)


#: Outbox kind of a failure's post.
KIND = "error_report"


async def enqueue(db: Database, chat_id: int, failure: str, text: str, now: datetime) -> None:
    """Put the post about ``failure`` (a kind, as the throttle counts them) in the outbox, as
    plain text; raises when the database fails (the caller then posts directly)."""
    subject = "e" + hashlib.sha256(failure.encode()).hexdigest()[:16]
    post = outbox.text_message(text, parse_mode=None)
    item = outbox.outgoing(KIND, chat_id, subject, post, now, occurrence=now.isoformat())
    async with db.session() as s:
        await outbox.enqueue(s, [item])
