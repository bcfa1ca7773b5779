"""The delivery worker driving a real Application through the in-process Bot API, both databases."""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.util import await_
from telegram.error import TimedOut
from telegram.ext import Application, ApplicationBuilder

from bot.callbacks.broadcasts import Acknowledge
from bot.db.engine import Database
from bot.db.models import Account, DeliveryWorkerRow, OutboxMessage
from bot.delivery import outbox, workers
from bot.delivery.outbox import Outgoing, document_message, photo_message, text_message
from bot.delivery.pacing import Limits
from bot.delivery.worker import DeliveryConfig, DeliveryWorker
from bot.infra.clock import Clock
from bot.transport.local_api import ApiCall, ApiError, Fault, LocalBotApi

CLOCK = Clock()
FAST = DeliveryConfig(
    limits=Limits(rate=500, burst=5, chat_interval=0.2),
    max_attempts=3,
    backoff_base=0.05,
    poll_interval=0.05,
    lease=30.0,
    batch_size=10,
    flush_interval=0.01,
    progress_interval=0.0,
)


@asynccontextmanager
async def running_worker(
    db: Database,
    fault: Fault | None = None,
    config: DeliveryConfig = FAST,
    worker_id: str = "w1",
) -> AsyncIterator[tuple[DeliveryWorker, LocalBotApi]]:
    api = LocalBotApi(fault=fault)
    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token("1:x").request(api).get_updates_request(api).build()
    )
    await app.initialize()
    worker = DeliveryWorker(db, CLOCK, config, worker_id=worker_id)
    await worker.start(app)
    try:
        yield worker, api
    finally:
        await worker.stop()
        await app.shutdown()


def msg(
    chat_id: int, name: str = "hello", *, text: str | None = None, delay: float = 0.0,
    bid: int | None = 1,
) -> Outgoing:  # fmt: skip
    key = f"test:{chat_id}:{name}"
    return Outgoing(
        key=key,
        kind="broadcast",
        chat_id=chat_id,
        payload=text_message(text or f"Hello <b>{key}</b>"),
        due_at=CLOCK.now() + timedelta(seconds=delay),
        broadcast_id=bid,
    )


async def put(db: Database, items: list[Outgoing], worker: DeliveryWorker | None = None) -> None:
    async with db.session() as s:
        await outbox.enqueue(s, items)
    if worker is not None:
        worker.notify()


async def rows(db: Database) -> dict[str, OutboxMessage]:
    async with db.session() as s:
        return {r.key: r for r in (await s.scalars(select(OutboxMessage))).all()}


async def until(
    db: Database, done: Callable[[dict[str, OutboxMessage]], bool], patience: float = 10.0
) -> dict[str, OutboxMessage]:
    """Wait until ``done(rows)`` holds (the outbox has reached a state, not a moment); return
    the rows."""
    deadline = time.monotonic() + patience
    while True:
        current = await rows(db)
        if done(current):
            return current
        if time.monotonic() > deadline:
            raise AssertionError({k: r.status for k, r in current.items()})
        await asyncio.sleep(0.02)


async def settled(db: Database, patience: float = 10.0) -> dict[str, OutboxMessage]:
    """Wait until no row is pending or being sent; return the rows."""
    return await until(
        db, lambda current: all(r.status not in ("pending", "sending") for r in current.values()),
        patience,
    )  # fmt: skip


async def sent_by(api: LocalBotApi, count: int, patience: float = 10.0) -> None:
    """Wait until ``api`` has taken ``count`` messages (counted from now on)."""
    taken = asyncio.Event()
    seen = 0

    def note(call: ApiCall) -> None:
        nonlocal seen
        if call.method.startswith("send") and call.error is None:
            seen += 1
            if seen >= count:
                taken.set()

    api.on_call = note
    try:
        await asyncio.wait_for(taken.wait(), patience)
    finally:
        api.on_call = None


def sends(api: LocalBotApi, chat_id: int | None = None) -> list[ApiCall]:
    return [
        c
        for c in api.calls
        if c.method.startswith("send") and (chat_id is None or c.chat_id == chat_id)
    ]


def fail_first(n: int, error: Callable[[], Exception], chat_id: int) -> Fault:
    """A fault that makes the first ``n`` sends to ``chat_id`` fail with ``error()``."""
    seen = {"n": 0}

    def fault(method: str, params: dict[str, Any]) -> ApiError | None:
        if method.startswith("send") and int(params["chat_id"]) == chat_id and seen["n"] < n:
            seen["n"] += 1
            raised = error()
            if isinstance(raised, ApiError):
                return raised
            raise raised
        return None

    return fault


async def test_sends_every_payload_kind(db: Database) -> None:
    markup = {
        "inline_keyboard": [[{"text": "I have read this", "callback_data": Acknowledge(1).pack()}]]
    }
    async with running_worker(db) as (worker, api):
        await put(
            db,
            [
                Outgoing("t", "broadcast", 11, text_message("<b>Bus</b> at 9", reply_markup=markup),
                         CLOCK.now()),
                Outgoing("p", "broadcast", 12, photo_message("photo-1", caption="Map"),
                         CLOCK.now()),
                Outgoing("d", "survey", 13, document_message("file-9", caption=None), CLOCK.now()),
            ],
            worker,
        )  # fmt: skip
        done = await settled(db)
    assert {k: r.status for k, r in done.items()} == {"t": "sent", "p": "sent", "d": "sent"}
    methods = {c.chat_id: c.method for c in sends(api)}
    assert methods == {11: "sendMessage", 12: "sendPhoto", 13: "sendDocument"}
    text_call = sends(api, 11)[0]
    assert text_call.params["parse_mode"] == "HTML"
    assert text_call.buttons[0]["callback_data"] == Acknowledge(1).pack()
    stored = api.messages[(11, done["t"].telegram_message_id)]
    assert stored["text"] == "Bus at 9"
    assert sends(api, 12)[0].params["caption"] == "Map"
    assert done["d"].sent_at is not None and done["d"].attempts == 1


async def test_enqueueing_twice_sends_once(db: Database) -> None:
    async with running_worker(db) as (worker, api):
        await put(db, [msg(21), msg(22)], worker)
        await settled(db)
        await put(db, [msg(21), msg(22), msg(23)], worker)
        await settled(db)
    assert sorted(c.chat_id for c in sends(api)) == [21, 22, 23]


def stamping(stamps: dict[int, list[float]], inner: Fault | None = None) -> Fault:
    """A fault that notes when each send to each chat arrived, then defers to ``inner``."""

    def fault(method: str, params: dict[str, Any]) -> ApiError | None:
        if method.startswith("send"):
            stamps.setdefault(int(params["chat_id"]), []).append(time.monotonic())
        return inner(method, params) if inner else None

    return fault


async def test_retry_after_is_honoured(db: Database) -> None:
    stamps: dict[int, list[float]] = {}
    flood = fail_first(1, lambda: ApiError(429, "Too Many Requests: retry after 1", 1), 31)
    async with running_worker(db, stamping(stamps, flood)) as (worker, api):
        await put(db, [msg(31), msg(32)], worker)
        done = await settled(db)
    first, second = sends(api, 31)
    assert first.error is not None and first.error.code == 429 and second.error is None
    assert stamps[31][1] - stamps[31][0] >= 0.95  # waited what Telegram said
    assert stamps[32][0] - stamps[31][0] < 0.5  # other chats did not wait
    assert done["test:31:hello"].status == "sent"
    assert done["test:31:hello"].attempts == 1  # a 429 is not counted as an attempt
    assert done["test:32:hello"].status == "sent"


async def test_blocked_user_is_unreachable_and_not_retried(db: Database) -> None:
    def blocked(method: str, params: dict[str, Any]) -> ApiError | None:
        if int(params.get("chat_id", 0)) == 41:
            return ApiError(403, "Forbidden: bot was blocked by the user")
        return None

    async with db.session() as s:
        s.add(Account(telegram_id=41, first_name="Taras"))
    async with running_worker(db, blocked) as (worker, api):
        await put(db, [msg(41), msg(42)], worker)
        done = await settled(db)
        await asyncio.sleep(0.2)  # a few more polls: nothing is retried
    row = done["test:41:hello"]
    assert (row.status, row.error, row.attempts) == (
        "unreachable", "Forbidden: bot was blocked by the user", 1
    )  # fmt: skip
    assert len(sends(api, 41)) == 1
    assert done["test:42:hello"].status == "sent"
    async with db.session() as s:
        account = await s.get(Account, 41)
    assert account is not None and account.reachable is False


async def test_bad_request_is_recorded(db: Database) -> None:
    async with running_worker(db) as (worker, api):
        await put(db, [msg(51, text="<b>unclosed"), msg(52, text="x" * 5000)], worker)
        done = await settled(db)
    broken = done["test:51:hello"]
    assert broken.status == "failed"
    assert broken.error is not None and "can't parse entities" in broken.error.lower()
    long = done["test:52:hello"]
    assert long.status == "failed" and long.error == "Message is too long"
    assert len(sends(api)) == 2  # never retried


async def test_timeouts_are_retried_with_backoff_then_given_up(db: Database) -> None:
    flaky = fail_first(1, lambda: TimedOut("Timed out"), 62)
    always = fail_first(99, lambda: TimedOut("Timed out"), 61)

    def fault(method: str, params: dict[str, Any]) -> ApiError | None:
        return always(method, params) or flaky(method, params)

    async with running_worker(db, fault) as (worker, api):
        await put(db, [msg(61), msg(62)], worker)
        done = await settled(db)
    hopeless = done["test:61:hello"]
    assert (hopeless.status, hopeless.attempts) == ("failed", 3)
    assert hopeless.error == "TimedOut: Timed out (after 3 attempts)"
    assert len(sends(api, 61)) == 3
    recovered = done["test:62:hello"]
    assert (recovered.status, recovered.attempts) == ("sent", 2)
    assert len(sends(api, 62)) == 2


async def test_an_edit_to_what_the_message_shows_is_done_not_failed(db: Database) -> None:
    """Telegram refuses an edit to identical content ("message is not modified"); the message
    shows what the row wanted (another process or the person's 🔄 was first): ``sent``."""
    async with running_worker(db) as (worker, api):
        await put(db, [msg(64, text="Sent 3 of 3")], worker)
        message_id = (await settled(db))["test:64:hello"].telegram_message_id
        assert message_id is not None
        same = Outgoing(
            "same", "progress", 64, outbox.edit_text_message(message_id, "Sent 3 of 3"), CLOCK.now()
        )
        await put(db, [same], worker)
        done = await settled(db)
    (refused,) = [c for c in api.calls if c.method == "editMessageText"]
    assert refused.error is not None and "not modified" in refused.error.description
    assert (done["same"].status, done["same"].error) == ("sent", None)
    assert done["same"].telegram_message_id == message_id


async def test_an_unexpected_error_is_retried_then_recorded(db: Database) -> None:
    broken = Outgoing("photo-without-file", "broadcast", 63, {"method": "sendPhoto"}, CLOCK.now())
    async with running_worker(db) as (worker, api):
        await put(db, [broken], worker)
        done = await settled(db)
    row = done["photo-without-file"]
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.error == "KeyError: 'file' (after 3 attempts)"
    assert sends(api) == []


async def test_resume_after_a_crash(db: Database) -> None:
    """Rows a dead process left in ``sending`` go out again once its lease expires; sent rows
    never do, and rows another live worker holds are left to it."""
    await put(db, [msg(n) for n in (71, 72, 73, 74)])
    now = CLOCK.now()
    async with db.session() as s:
        by_chat = {c.chat_id: c.id for c in await outbox.claim(s, "dead", now, 10, timedelta(0))}
        await outbox.mark_sent(s, {by_chat[71]: 900}, now)
        await s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == by_chat[74])
            .values(claimed_by="alive", claimed_until=now + timedelta(minutes=5),
                    next_attempt_at=now + timedelta(minutes=5))
        )  # fmt: skip
    async with running_worker(db) as (_worker, api):
        # Until the expired rows are sent, not a fixed 0.3 s (at load 10 on PostgreSQL too short).
        sent = ("test:72:hello", "test:73:hello")
        current = await until(db, lambda now: all(now[k].status == "sent" for k in sent))
    assert sorted(c.chat_id for c in sends(api)) == [72, 73]
    assert current["test:71:hello"].telegram_message_id == 900
    assert current["test:72:hello"].status == "sent"
    assert current["test:74:hello"].status == "sending"  # still the live worker's


async def test_two_workers_never_send_a_row_twice(db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    other_db = Database.from_url(url)
    config = replace(FAST, batch_size=5, concurrency=4)
    try:
        async with (
            running_worker(db, config=config, worker_id="a") as (worker_a, api_a),
            running_worker(other_db, config=config, worker_id="b") as (worker_b, api_b),
        ):
            await put(db, [msg(1000 + n) for n in range(200)])
            worker_a.notify()
            worker_b.notify()
            done = await settled(db)
    finally:
        await other_db.dispose()
    delivered = [c.params["text"] for c in sends(api_a) + sends(api_b) if c.error is None]
    assert len(delivered) == len(set(delivered)) == 200
    assert sends(api_a) and sends(api_b)  # both took part
    assert {r.claimed_by for r in done.values()} == {None}
    assert all(r.status == "sent" for r in done.values())


async def test_one_chat_is_paced(db: Database) -> None:
    stamps: dict[int, list[float]] = {}
    items = [msg(chat, f"m{n}") for chat in (81, 82) for n in range(3)]
    async with running_worker(db, stamping(stamps)) as (worker, _api):
        await put(db, items, worker)
        done = await settled(db)
    assert all(r.status == "sent" for r in done.values())
    for chat in (81, 82):
        gaps = [b - a for a, b in itertools.pairwise(stamps[chat])]
        assert len(gaps) == 2 and min(gaps) >= 0.19  # FAST: one message per 0.2 s and chat
    assert stamps[82][0] - stamps[81][0] < 0.1  # another chat does not wait for the first


async def test_scheduled_rows_go_out_when_due(db: Database) -> None:
    async with running_worker(db) as (worker, api):
        # Due 2 s from now: the check below 0.2 s later holds even when a loaded machine is slow to
        # commit the row (0.4 s was once not enough at load 7).
        await put(db, [msg(91, delay=2.0)], worker)
        await asyncio.sleep(0.2)
        assert sends(api) == []
        done = await settled(db)
    row = done["test:91:hello"]
    assert row.status == "sent" and row.sent_at is not None and row.sent_at >= row.due_at


async def test_notify_wakes_the_worker_before_the_next_poll(db: Database) -> None:
    async with running_worker(db, config=replace(FAST, poll_interval=30.0)) as (worker, api):
        await asyncio.sleep(0.1)  # the worker is now idle for up to 30 s
        await put(db, [msg(95)], worker)
        await settled(db, patience=5.0)
    assert len(sends(api)) == 1


async def test_stop_leaves_no_row_in_flight(db: Database) -> None:
    slow = replace(FAST, limits=Limits(rate=20), batch_size=5)
    async with running_worker(db, config=slow) as (worker, api):
        await put(db, [msg(2000 + n) for n in range(40)], worker)
        # Stopped once some went out (at 20 a second the 40 take 2 s): waiting for the first
        # send, not a fixed 0.4 s, which at load 10 on PostgreSQL once saw none sent.
        first_send = asyncio.Event()
        api.on_call = lambda call: first_send.set() if call.method == "sendMessage" else None
        await asyncio.wait_for(first_send.wait(), 10)
        await asyncio.sleep(0.2)
    current = await rows(db)
    statuses = [r.status for r in current.values()]
    assert "sending" not in statuses
    assert 0 < statuses.count("sent") < 40
    assert statuses.count("sent") == len(sends(api))


async def test_progress_listener_hears_about_each_broadcast(db: Database) -> None:
    heard: list[int] = []

    async def listener(broadcast_id: int) -> None:
        heard.append(broadcast_id)

    async with running_worker(db) as (worker, _api):
        worker.add_progress_listener(listener)
        worker.add_progress_listener(lambda _bid: 1 / 0)  # a broken listener is only logged
        await put(db, [msg(3001, bid=5), msg(3002, bid=6), msg(3003, bid=None)], worker)
        await settled(db)
        await asyncio.sleep(0.05)
    assert set(heard) == {5, 6}
    async with db.session() as s:
        stats = await outbox.broadcast_stats(s, [5, 6])
    assert stats[5] == outbox.DeliveryStats(sent=1)


async def _claimed_by_a_dead_worker(db: Database, worker_id: str, heartbeat_age: float) -> None:
    """Rows 81..83 claimed for a minute by ``worker_id``, whose last heartbeat was that old."""
    await put(db, [msg(n) for n in (81, 82, 83)])
    now = CLOCK.now()
    async with db.session() as s:
        await workers.beat(s, worker_id, now - timedelta(seconds=heartbeat_age))
        await outbox.claim(s, worker_id, now, 10, timedelta(minutes=1))


async def test_a_dead_process_on_this_host_is_taken_over_at_once(db: Database) -> None:
    """Its process is gone: its rows go out now, not when its one-minute lease expires."""
    gone = f"{socket.gethostname()}:{2**22 + 4321}:0a1b2c"  # beyond Linux's largest pid
    await _claimed_by_a_dead_worker(db, gone, heartbeat_age=0)
    async with running_worker(db) as (worker, api):
        current = await settled(db, patience=5)
    assert sorted(c.chat_id for c in sends(api)) == [81, 82, 83]
    assert all(r.status == "sent" for r in current.values())
    assert worker.taken_over == {gone: 3}
    async with db.session() as s:  # the dead worker's row went; the stopped worker removed its own
        assert (await s.scalars(select(DeliveryWorkerRow.id))).all() == []


async def test_a_worker_elsewhere_is_dead_only_when_its_heartbeat_stops(db: Database) -> None:
    config = replace(FAST, dead_after=5.0, heartbeat_interval=0.05)
    await _claimed_by_a_dead_worker(db, "otherhost:17:aaaaaa", heartbeat_age=1)
    async with running_worker(db, config=config) as (worker, api):
        await asyncio.sleep(0.3)
        assert sends(api) == [] and worker.taken_over == {}  # alive a second ago: left to it
        async with db.session() as s:  # ... and now silent for longer than dead_after
            await s.execute(
                update(DeliveryWorkerRow).values(heartbeat_at=CLOCK.now() - timedelta(seconds=6))
            )
        await settled(db, patience=5)
    assert sorted(c.chat_id for c in sends(api)) == [81, 82, 83]
    assert worker.taken_over == {"otherhost:17:aaaaaa": 3}
    assert worker.duplicate_window == FAST.concurrency + int(500 * 0.01) + 1


async def test_a_stop_during_a_heartbeat_leaves_the_database_writable(db: Database) -> None:
    """The stop used to cancel the heartbeat task wherever it was, also inside its transaction:
    on SQLite a cancel that lands in the connection's rollback leaves that connection holding
    the write lock, and the worker's removal from the table then waited 30 s for it and failed
    ("database is locked", seen in test_load under load). Now a beat under way is finished,
    never cut short. A slow database (the heartbeat's write takes half a second, as under load)
    puts the stop inside a beat; no transaction may be rolled back."""
    beats: list[str] = []
    in_a_beat = asyncio.Event()
    rolled_back: list[object] = []

    def slow_heartbeat(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE DELIVERY_WORKER "):
            beats.append(statement)
            if len(beats) > 1:  # the first beat registers the worker at its start
                in_a_beat.set()
                await_(asyncio.sleep(0.5))

    def rollback(connection: object) -> None:
        rolled_back.append(connection)

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", slow_heartbeat)
    event.listen(engine, "rollback", rollback)
    try:
        async with running_worker(db, config=replace(FAST, heartbeat_interval=0.0)):
            await in_a_beat.wait()
    finally:
        event.remove(engine, "before_cursor_execute", slow_heartbeat)
        event.remove(engine, "rollback", rollback)
    assert rolled_back == []
    async with db.session() as s:  # the stopped worker removed its own row
        assert (await s.scalars(select(DeliveryWorkerRow.id))).all() == []
