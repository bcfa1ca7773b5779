"""The delivery worker: the one loop that drains the outbox through ``application.bot``.

It claims due rows (:func:`bot.delivery.outbox.claim`), paces them (:mod:`bot.delivery.pacing`),
sends each with ``sendMessage`` / ``sendPhoto`` / ``sendDocument`` and records every outcome on
its row, in small batches:

- sent: ``sent`` with Telegram's message id;
- ``RetryAfter`` (429): the chat is held and the row given back untried for the time Telegram
  said; when 429s pile up across chats, all sending pauses for that long;
- ``Forbidden`` (403, the person blocked the bot): ``unreachable``, the account too; never retried;
- ``BadRequest`` (400) and any other refusal: ``failed`` with Telegram's reason (an edit refused
  as "message is not modified" is ``sent``: the message already shows it);
- ``TimedOut`` / ``NetworkError``, and errors that are not Telegram's answer at all: retried
  with exponential back-off, ``failed`` after ``max_attempts``.

This is the Telegram-facing edge of the delivery area, so it may import ``telegram``.
Wire it into the application with :func:`start_delivery` / :func:`stop_delivery`, and wake it
after enqueueing with ``services.wake_delivery()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import socket
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.db.engine import Database
from bot.delivery import budget, outbox, workers
from bot.delivery.outbox import Claimed
from bot.delivery.pacing import Limits, Pacer
from bot.delivery.send import quiet_generic_calls, send_payload
from bot.infra import metrics
from bot.infra.clock import Clock

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.config import Settings
    from bot.infra.services import Services

log = logging.getLogger(__name__)

#: Called with a broadcast id after rows of that broadcast changed (at most every
#: ``progress_interval`` seconds per broadcast, and once more after the last change).
ProgressListener = Callable[[int], Awaitable[None] | None]


@dataclass(frozen=True)
class DeliveryConfig:
    """How the worker paces, retries and batches; :meth:`from_settings` for the bot's own."""

    limits: Limits = field(default_factory=Limits)
    max_attempts: int = 5
    #: Retry ``n`` (1-based) of a time-out waits ``backoff_base * 2 ** (n - 1)``, capped.
    backoff_base: float = 2.0
    backoff_cap: float = 300.0
    #: Longest sleep between looks at the outbox (rows scheduled for later, other processes).
    poll_interval: float = 1.0
    #: How long a claim holds a row; a crashed process's rows are sent again after this at the
    #: latest (at once when its death is noticed: see :mod:`bot.delivery.workers`).
    lease: float = 60.0
    #: How often the worker renews its heartbeat and looks for dead workers' rows.
    heartbeat_interval: float = 2.0
    #: A worker on another host whose heartbeat is this old is dead (same host: when its
    #: process is gone).
    dead_after: float = 15.0
    #: Rows per claim; default about half a second of sending, 1..200.
    batch_size: int | None = None
    #: Sends awaiting Telegram's answer at once.
    concurrency: int = 32
    #: How often finished outcomes are written, and the longest a broadcast's progress waits.
    flush_interval: float = 0.05
    progress_interval: float = 1.0
    #: Send with ``allow_paid_broadcast`` (Telegram Stars) to go beyond 30 messages a second.
    paid_broadcasts: bool = False
    #: Share ``limits.rate`` with every process on the database (:mod:`bot.delivery.budget`);
    #: None: on PostgreSQL, where several processes can drain one outbox.
    shared_rate: bool | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        rate = settings.effective_delivery_rate
        limits = Limits(
            rate=rate,
            burst=max(1.0, rate / 50),
            chat_interval=settings.delivery_chat_interval,
            group_per_minute=settings.delivery_group_per_minute,
        )
        return cls(
            limits=limits,
            max_attempts=settings.delivery_max_attempts,
            paid_broadcasts=settings.paid_broadcasts,
        )

    @property
    def claim_size(self) -> int:
        if self.batch_size is not None:
            return self.batch_size
        return max(1, min(200, int(self.limits.rate / 2)))

    def backoff(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff_base * 2 ** max(0, attempt - 1))


@dataclass(frozen=True)
class _Outcome:
    """What happened to one claimed row, waiting to be written."""

    row: Claimed
    status: str  # "sent" | "retry" | "postpone" | "failed" | "unreachable"
    message_id: int | None = None
    at: datetime | None = None
    reason: str = ""


class DeliveryWorker:
    """Drains the outbox of one database through one bot; one per process is enough."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: DeliveryConfig | None = None,
        *,
        worker_id: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sent_hooks: Mapping[str, outbox.SentHook] | None = None,
    ) -> None:
        self.db = db
        #: Per kind of row: what else to record once a row of that kind is sent.
        self.sent_hooks = dict(sent_hooks or {})
        self.clock = clock
        self.config = config or DeliveryConfig()
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._monotonic = monotonic
        self.pacer = Pacer(self.config.limits, monotonic())
        self._bot: Bot | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        #: Set when the loop has ended: the heartbeat finishes its beat and stops.
        self._stopped = asyncio.Event()
        self._slots = asyncio.Semaphore(self.config.concurrency)
        self._sending: set[asyncio.Task[None]] = set()
        self._outcomes: list[_Outcome] = []
        self._listeners: list[ProgressListener] = []
        self._dirty: set[int] = set()
        self._progress_at: dict[int, float] = {}
        #: Rows taken over from dead workers, per dead worker (for the log and the benchmark).
        self.taken_over: dict[str, int] = {}

    # -- life cycle

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Start draining through ``application.bot`` (call after ``application.initialize()``)."""
        if self.running:
            raise RuntimeError("the delivery worker is already running")
        self._bot = application.bot
        quiet_generic_calls()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"delivery-worker {self.worker_id}")
        self._task.add_done_callback(self._log_crash)
        log.info(
            "delivery worker %s started (%.0f messages/s)", self.worker_id, self.config.limits.rate
        )

    async def stop(self) -> None:
        """Stop claiming, finish the sends under way, record every outcome, give back the rest."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        log.info("delivery worker %s stopped", self.worker_id)

    def notify(self) -> None:
        """Something was enqueued: look at the outbox now rather than at the next poll."""
        self._wake.set()

    def add_progress_listener(self, listener: ProgressListener) -> None:
        """Call ``listener(broadcast_id)`` as that broadcast's rows change (equal ones once)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def _log_crash(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery worker %s died", self.worker_id, exc_info=task.exception())

    # -- the loop

    @property
    def shares_rate(self) -> bool:
        shared = self.config.shared_rate
        return self.db.dialect == "postgresql" if shared is None else shared

    async def _claim(self) -> list[Claimed] | float:
        """Due rows for this worker, or how long to wait for the shared rate's next tokens."""
        want, lease = self.config.claim_size, timedelta(seconds=self.config.lease)
        capacity = max(1.0, self.config.limits.burst, self.config.limits.rate / 10)
        if self.shares_rate:
            async with self.db.session() as s:
                due = await outbox.next_due_at(s)
                if due is None or due > self.clock.now():
                    return []  # nothing to send: the shared budget is left alone
                grant = await budget.take(s, want, self.config.limits.rate, capacity, time.time())
            if not grant.count:
                return grant.wait
            want = grant.count
        async with self.db.session() as s:
            batch = await outbox.claim(s, self.worker_id, self.clock.now(), want, lease)
            if self.shares_rate and len(batch) < want:
                await budget.give_back(s, want - len(batch), capacity)
        return batch

    async def _run(self) -> None:
        self._stopped.clear()
        await self._beat()
        flusher = asyncio.create_task(self._flush_loop(), name="delivery-flush")
        heart = asyncio.create_task(self._heartbeat_loop(), name="delivery-heartbeat")
        try:
            while not self._stopping:
                self._wake.clear()
                try:
                    batch = await self._claim()
                except Exception:
                    log.exception("delivery: claiming from the outbox failed")
                    await self._idle(self.config.poll_interval)
                    continue
                if isinstance(batch, float):
                    await self._idle(batch)
                elif batch:
                    await self._dispatch(batch)
                else:
                    await self._idle(await self._until_next_due())
        finally:
            self._stopping = True
            if self._sending:
                await asyncio.gather(*self._sending, return_exceptions=True)
            await flusher  # not cancelled: a write cut short would lose its outcomes
            await self._flush()
            await self._report_progress(final=True)
            self._stopped.set()
            await heart  # not cancelled: a beat cut short in its transaction can leave SQLite's
            await self._retire()  # write lock held (the removal then waited 30 s and failed)

    # -- identity and heartbeat

    async def _heartbeat_loop(self) -> None:
        while not self._stopped.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self.config.heartbeat_interval)
            if not self._stopped.is_set():
                await self._beat()

    async def _beat(self) -> None:
        """Renew this worker's heartbeat; make every dead worker's claimed rows due now."""
        dead_after = timedelta(seconds=self.config.dead_after)
        try:
            async with self.db.session() as s:
                await workers.beat(s, self.worker_id, self.clock.now())
                taken = await workers.take_over_dead(
                    s, self.worker_id, self.clock.now(), dead_after
                )
        except Exception:
            log.exception("delivery: heartbeat failed")
            return
        for dead, rows in taken.items():
            self.taken_over[dead] = self.taken_over.get(dead, 0) + rows
            log.warning(
                "delivery: worker %s is gone; its %d claimed messages are due again now "
                "(at most %d of them can have been sent already: those it had in flight or sent "
                "in its last %.2f s, not yet recorded)",
                dead,
                rows,
                min(rows, self.duplicate_window),
                self.config.flush_interval,
            )
        if any(taken.values()):
            self._wake.set()

    @property
    def duplicate_window(self) -> int:
        """The most messages a crash of this worker can leave sent but unrecorded."""
        recent = int(self.config.limits.rate * self.config.flush_interval) + 1
        return self.config.concurrency + recent

    async def _retire(self) -> None:
        try:
            async with self.db.session() as s:
                await workers.retire(s, self.worker_id)
        except Exception:
            log.exception("delivery: could not remove worker %s from the table", self.worker_id)

    async def _idle(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def _until_next_due(self) -> float:
        try:
            async with self.db.session() as s:
                due = await outbox.next_due_at(s)
        except Exception:
            log.exception("delivery: reading the outbox failed")
            return self.config.poll_interval
        if due is None:
            return self.config.poll_interval
        wait = (due - self.clock.now()).total_seconds()
        return min(self.config.poll_interval, max(0.01, wait))

    async def _dispatch(self, batch: Sequence[Claimed]) -> None:
        for index, row in enumerate(batch):
            if self._stopping:
                self._give_back(batch[index:], 0.0)
                return
            if self._hold_for_chat(row):
                continue
            await self._slots.acquire()
            pause = await self._wait_for_global_turn()
            if pause:
                self._slots.release()
                self._give_back(batch[index:], pause)
                return
            if self._hold_for_chat(row):  # a 429 for this chat may have come in meanwhile
                self._slots.release()
                continue
            self.pacer.record(row.chat_id, self._monotonic())
            task = asyncio.create_task(self._send(row))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    def _hold_for_chat(self, row: Claimed) -> bool:
        wait = self.pacer.chat_wait(row.chat_id, self._monotonic())
        if wait <= 0:
            return False
        self._record(_Outcome(row, "postpone", at=self.clock.now() + timedelta(seconds=wait)))
        return True

    async def _wait_for_global_turn(self) -> float:
        """Sleep until the overall rate allows a send; a long pause (a 429 flood) is returned
        instead, so that the rest of the batch goes back to the outbox rather than sit leased."""
        while (wait := self.pacer.global_wait(self._monotonic())) > 0:
            if wait > 1.0:
                return wait
            await asyncio.sleep(wait)
        return 0.0

    def _give_back(self, rows: Sequence[Claimed], after: float) -> None:
        at = self.clock.now() + timedelta(seconds=after)
        for row in rows:
            self._record(_Outcome(row, "postpone", at=at))

    # -- one send

    async def _send(self, row: Claimed) -> None:
        try:
            outcome = await self._attempt(row)
        finally:
            self._slots.release()
        metrics.DELIVERIES.labels(metrics.DELIVERY_RESULTS[outcome.status]).inc()
        self._record(outcome)

    async def _attempt(self, row: Claimed) -> _Outcome:
        attempt = row.attempts + 1
        try:
            message_id = await self._call(row)
        except RetryAfter as exc:
            seconds = _retry_after_seconds(exc)
            until = self._monotonic() + seconds
            self.pacer.hold_chat(row.chat_id, until)
            if self.pacer.note_result(True, until):
                log.warning("delivery: flood control, all sending paused for %ss", seconds)
            log.info("delivery: %s: retry after %ss", row.key, seconds)
            return _Outcome(row, "postpone", at=self.clock.now() + timedelta(seconds=seconds))
        except Forbidden as exc:
            self.pacer.note_result(False)
            log.info("delivery: %s: recipient unreachable: %s", row.key, exc.message)
            return _Outcome(row, "unreachable", reason=exc.message)
        except ChatMigrated as exc:
            return self._refused(row, f"group moved to supergroup {exc.new_chat_id}")
        except BadRequest as exc:  # before NetworkError, its base class
            if _already_shown(row, exc):
                self.pacer.note_result(False)
                return _Outcome(row, "sent", message_id=row.payload["message_id"])
            return self._refused(row, exc.message)
        except NetworkError as exc:  # TimedOut included
            self.pacer.note_result(False)
            return self._transient(row, attempt, f"{type(exc).__name__}: {exc.message}")
        except TelegramError as exc:
            return self._refused(row, exc.message)
        except Exception as exc:
            # Not an answer from Telegram: the transport (a request object already shut down)
            # or a bad payload. Retried like a network error, so it ends as "failed" if it lasts.
            log.exception("delivery: %s: unexpected error", row.key)
            return self._transient(row, attempt, f"{type(exc).__name__}: {exc}")
        self.pacer.note_result(False)
        return _Outcome(row, "sent", message_id=message_id)

    def _refused(self, row: Claimed, reason: str) -> _Outcome:
        self.pacer.note_result(False)
        log.warning("delivery: %s failed: %s", row.key, reason)
        return _Outcome(row, "failed", reason=reason)

    def _transient(self, row: Claimed, attempt: int, reason: str) -> _Outcome:
        if attempt >= self.config.max_attempts:
            log.warning("delivery: %s failed after %d attempts: %s", row.key, attempt, reason)
            return _Outcome(row, "failed", reason=f"{reason} (after {attempt} attempts)")
        delay = self.config.backoff(attempt)
        log.info("delivery: %s: %s, retry %d in %.1fs", row.key, reason, attempt, delay)
        at = self.clock.now() + timedelta(seconds=delay)
        return _Outcome(row, "retry", at=at, reason=reason)

    async def _call(self, row: Claimed) -> int:
        if self._bot is None:
            raise RuntimeError("the delivery worker has not been started")
        paid = self.config.paid_broadcasts
        return await send_payload(self._bot, row.chat_id, row.payload, paid_broadcast=paid)

    # -- writing outcomes

    def _record(self, outcome: _Outcome) -> None:
        self._outcomes.append(outcome)

    async def _flush_loop(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.config.flush_interval)
            await self._flush()
            await self._report_progress(final=False)

    async def _flush(self) -> None:
        if not self._outcomes:
            return
        outcomes, self._outcomes = self._outcomes, []
        try:
            async with self.db.session() as s:
                await self._write(s, outcomes)
        except Exception:
            log.exception("delivery: recording %d outcomes failed; will retry", len(outcomes))
            self._outcomes[:0] = outcomes
            return
        self._dirty.update(o.row.broadcast_id for o in outcomes if o.row.broadcast_id is not None)

    async def _write(self, s: Any, outcomes: Sequence[_Outcome]) -> None:
        me = self.worker_id
        now = self.clock.now()
        sent = [o for o in outcomes if o.status == "sent"]
        await outbox.mark_sent(s, {o.row.id: o.message_id for o in sent}, now)
        for o in sent:
            hook = self.sent_hooks.get(o.row.kind)
            if hook is None or o.message_id is None:
                continue
            try:
                async with s.begin_nested():  # a failing hook loses only what it would add
                    await hook(s, o.row, o.message_id, now)
            except Exception:
                log.exception(
                    "delivery: %s sent, but recording it for its feature failed", o.row.key
                )
        for o in outcomes:
            if o.status == "postpone":
                await outbox.postpone(s, o.row.id, me, o.at or self.clock.now())
            elif o.status == "retry":
                await outbox.mark_retry(s, o.row.id, me, o.at or self.clock.now(), o.reason)
            elif o.status == "failed":
                await outbox.mark_failed(s, o.row.id, me, o.reason)
            elif o.status == "unreachable":
                await outbox.mark_unreachable(s, o.row.id, me, o.row.chat_id, o.reason)

    async def _report_progress(self, *, final: bool) -> None:
        if not self._listeners:
            self._dirty.clear()
            return
        now = self._monotonic()
        for broadcast_id in sorted(self._dirty):
            last = self._progress_at.get(broadcast_id)
            if not final and last is not None and now - last < self.config.progress_interval:
                continue
            self._dirty.discard(broadcast_id)
            self._progress_at[broadcast_id] = now
            for listener in self._listeners:
                try:
                    result = listener(broadcast_id)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    log.exception(
                        "delivery: progress listener failed for broadcast %s", broadcast_id
                    )


def _already_shown(row: Claimed, exc: BadRequest) -> bool:
    """An edit Telegram refused because the message shows just that already (another process,
    or the person's own 🔄, made the same edit first): what the row wanted is done."""
    return row.payload.get("method") == "editMessageText" and "not modified" in exc.message.lower()


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# -- wiring into the application (bot.app START_HOOKS / STOP_HOOKS)


async def start_delivery(
    app: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> None:
    """Start hook: create this process's worker, keep it in ``services.delivery``, start it."""
    worker = DeliveryWorker(
        services.db,
        services.clock,
        DeliveryConfig.from_settings(services.settings),
        sent_hooks=services.sent_hooks,
    )
    services.delivery = worker
    await worker.start(app)


async def stop_delivery(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Stop hook: stop the worker cleanly (every outcome recorded)."""
    worker = services.delivery
    if worker is not None:
        await worker.stop()
