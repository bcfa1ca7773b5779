"""Telegram's sending limits as a pure, clock-driven limiter for the delivery worker.

Three limits apply at once (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):

- overall: ``rate`` messages a second (30 by default; up to 1,000 with paid broadcasts), as a
  token bucket that holds at most ``burst`` tokens and refills at ``rate - burst + 1`` a second,
  so sends are spread evenly and no one-second window holds more than ``rate`` of them;
- one private chat: at most one message every ``chat_interval`` seconds (1 s);
- one group (negative chat id): at most ``group_per_minute`` messages in any minute (20), and the
  one-a-second spacing as well.

Telegram's own 429 answers are fed back: :meth:`Pacer.hold_chat` keeps one chat quiet for the
``retry_after`` Telegram gave, and :meth:`Pacer.note_result` pauses everything when 429s are a
large share of recent answers (then the bot as a whole is over its limit, not one chat). One
429 does not stop every other chat: python-telegram-bot's AIORateLimiter does that, which is why
the design has the worker pace itself.

Times are plain ``float`` seconds from any monotonic source, passed in, so tests drive it with a
fake clock. The limiter is per process; on PostgreSQL all processes also share the rate through
:mod:`bot.delivery.budget`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

TELEGRAM_RATE = 30.0
_EPSILON = 1e-9  # float noise in the token count


@dataclass(frozen=True)
class Limits:
    """The numbers the :class:`Pacer` keeps to."""

    rate: float = TELEGRAM_RATE
    burst: float = 1.0
    chat_interval: float = 1.0
    group_per_minute: int = 20
    #: Pause everything when at least ``flood_min`` and at least ``flood_share`` of the last
    #: ``flood_window`` answers were 429.
    flood_min: int = 3
    flood_share: float = 0.1
    flood_window: int = 100


class Pacer:
    """Decides when the next message may go out, overall and to each chat."""

    def __init__(self, limits: Limits, now: float) -> None:
        if limits.rate <= 0 or not 1 <= limits.burst <= max(1.0, limits.rate / 2):
            raise ValueError("rate must be positive, burst between 1 and half the rate")
        self.limits = limits
        self._tokens = limits.burst
        self._refill_rate = limits.rate - limits.burst + 1
        self._refilled_at = now
        self._paused_until = now
        self._chat_ready_at: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}
        self._recent_floods: deque[bool] = deque(maxlen=limits.flood_window)
        self._pruned_at = now

    # -- questions

    def global_wait(self, now: float) -> float:
        """Seconds until the next message may go out to any chat (0: now)."""
        self._refill(now)
        wait = max(0.0, self._paused_until - now)
        if self._tokens < 1 - _EPSILON:
            wait = max(wait, (1 - self._tokens) / self._refill_rate)
        return wait

    def chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may get its next message (0: now)."""
        wait = max(0.0, self._chat_ready_at.get(chat_id, now) - now)
        sends = self._group_sends.get(chat_id)
        if sends is not None and len(sends) >= self.limits.group_per_minute:
            wait = max(wait, sends[0] + 60.0 - now)
        return wait

    @property
    def paused_until(self) -> float:
        return self._paused_until

    # -- events

    def record(self, chat_id: int, now: float) -> None:
        """A message to ``chat_id`` goes out now (call only when both waits are 0)."""
        self._refill(now)
        self._tokens -= 1
        self._chat_ready_at[chat_id] = max(
            self._chat_ready_at.get(chat_id, now), now + self.limits.chat_interval
        )
        if chat_id < 0:
            sends = self._group_sends.setdefault(chat_id, deque())
            sends.append(now)
            while len(sends) > self.limits.group_per_minute:
                sends.popleft()
        self._prune(now)

    def hold_chat(self, chat_id: int, until: float) -> None:
        """Telegram said "retry after" for this chat: send nothing to it before ``until``."""
        self._chat_ready_at[chat_id] = max(self._chat_ready_at.get(chat_id, until), until)

    def pause(self, until: float) -> None:
        """Send nothing at all before ``until``."""
        self._paused_until = max(self._paused_until, until)

    def note_result(self, flooded: bool, retry_at: float | None = None) -> bool:
        """Count one answer (``flooded``: it was a 429 to be retried at ``retry_at``).

        Returns True when the 429s have become a large enough share of recent answers that the
        whole bot is paused until ``retry_at``.
        """
        self._recent_floods.append(flooded)
        if not flooded or retry_at is None:
            return False
        floods = sum(self._recent_floods)
        needed = max(self.limits.flood_min, self.limits.flood_share * len(self._recent_floods))
        if floods < needed:
            return False
        self.pause(retry_at)
        return True

    # -- internals

    def _refill(self, now: float) -> None:
        if now > self._refilled_at:
            elapsed = now - self._refilled_at
            self._tokens = min(self.limits.burst, self._tokens + elapsed * self._refill_rate)
            self._refilled_at = now

    def _prune(self, now: float) -> None:
        # Forget chats whose limits no longer matter, at most once a minute.
        if now - self._pruned_at < 60.0:
            return
        self._pruned_at = now
        self._chat_ready_at = {c: t for c, t in self._chat_ready_at.items() if t > now}
        self._group_sends = {c: s for c, s in self._group_sends.items() if s and s[-1] + 60.0 > now}
