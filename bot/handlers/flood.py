"""A flood limit on one person's text messages: a short burst is fine, beyond it one "slow down".

One account once sent 1,000 messages in a row: 1,000 question rows were stored and everyone's
answers waited behind them. Each person has a bucket of ``BURST`` messages that refills by one
every ``REFILL`` (the programme's clock); a private text message (not a command) that finds it
empty is dropped before any area sees it — not stored, not answered — except the first, which
gets one "slow down" answer. Kept in the process's memory: it protects this process, and a
restart forgets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import say
from bot.i18n import _

BURST = 8
REFILL = timedelta(seconds=3)
#: Handlers in this group run after the viewer is loaded and before awaited replies are routed.
GROUP = -60
_KEPT = 10_000  # people remembered at most (oldest forgotten first)
_KEY = "flood_limiter"


@dataclass
class _Bucket:
    tokens: float
    at: datetime
    warned: bool = False


class Limiter:
    """The buckets of one application (one per process and bot)."""

    def __init__(self) -> None:
        self._buckets: dict[int, _Bucket] = {}

    def take(self, person: int, now: datetime) -> bool | None:
        """True: the message may go on; None: refused, say "slow down"; False: refused silently."""
        bucket = self._buckets.pop(person, None) or _Bucket(float(BURST), now)
        self._buckets[person] = bucket  # most recent last
        if len(self._buckets) > _KEPT:
            del self._buckets[next(iter(self._buckets))]
        refill = max((now - bucket.at) / REFILL, 0.0)
        bucket.tokens, bucket.at = min(float(BURST), bucket.tokens + refill), now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True
        if bucket.warned:
            return False
        bucket.warned = True
        return None


@allow(Access.SYSTEM)
async def limit(update: Update, context: BotContext) -> None:
    message = update.message
    chat = update.effective_chat
    if message is None or message.text is None or chat is None or chat.type != "private":
        return
    if message.text.startswith("/"):  # commands: cheap, and what a person uses to get unstuck
        return
    if update.effective_user is None:
        return
    limiter = context.bot_data.setdefault(_KEY, Limiter())
    verdict = limiter.take(update.effective_user.id, context.services.clock.now())
    if verdict is True:
        return
    if verdict is None:
        await say(
            update,
            _(
                "⏳ You are sending messages faster than I can read them. Please wait a "
                "moment: what you sent meanwhile was not kept."
            ),
        )
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, limit), group=GROUP)
