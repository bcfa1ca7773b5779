"""The outbox API on both databases: idempotent enqueue, claiming, marking, cancelling, figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import Account, OutboxMessage
from bot.delivery import outbox
from bot.delivery.outbox import Outgoing, message_key, text_message

T0 = datetime(2025, 5, 12, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def item(n: int, *, due: datetime = T0, broadcast_id: int | None = 7) -> Outgoing:
    return Outgoing(
        key=message_key("broadcast", 1000 + n, f"b{broadcast_id}"),
        kind="broadcast",
        chat_id=1000 + n,
        payload=text_message(f"Hello <b>{n}</b>"),
        due_at=due,
        broadcast_id=broadcast_id,
    )


async def rows(db: Database) -> dict[str, OutboxMessage]:
    async with db.session() as s:
        return {r.key: r for r in (await s.scalars(select(OutboxMessage))).all()}


def test_message_key_joins_its_parts() -> None:
    assert message_key("reminder", 123456, "event42", "r3") == "reminder:123456:event42:r3"
    assert message_key("survey", -5, 9) == "survey:-5:9"


async def test_enqueue_is_idempotent(db: Database) -> None:
    async with db.session() as s:
        assert await outbox.enqueue(s, [item(1), item(2), item(2)]) == 2
    async with db.session() as s:
        assert await outbox.enqueue(s, [item(2), item(3)]) == 1
    stored = await rows(db)
    assert sorted(r.chat_id for r in stored.values()) == [1001, 1002, 1003]
    first = stored["broadcast:1001:b7"]
    assert first.status == "pending" and first.next_attempt_at == T0 and first.attempts == 0
    assert first.payload == {
        "method": "sendMessage",
        "text": "Hello <b>1</b>",
        "parse_mode": "HTML",
    }


async def test_enqueue_many_in_chunks(db: Database) -> None:
    async with db.session() as s:
        assert await outbox.enqueue(s, [item(n) for n in range(1200)]) == 1200
    async with db.session() as s:
        assert await outbox.enqueue(s, [item(n) for n in range(1195, 1205)]) == 5


@pytest.mark.parametrize(
    "bad",
    [
        Outgoing("", "x", 1, text_message("a"), T0),
        Outgoing("k", "x", 1, {"method": "sendSticker"}, T0),
        Outgoing("k", "x", 1, text_message("a"), datetime(2025, 5, 12, 8, 0)),
    ],
)
async def test_enqueue_refuses_malformed_items(db: Database, bad: Outgoing) -> None:
    async with db.session() as s:
        with pytest.raises(ValueError):
            await outbox.enqueue(s, [bad])


async def test_claim_takes_due_rows_once_until_the_lease_expires(db: Database) -> None:
    async with db.session() as s:
        await outbox.enqueue(s, [item(1), item(2), item(3, due=T0 + timedelta(hours=1))])
    async with db.session() as s:
        first = await outbox.claim(s, "w1", T0, 10, LEASE)
    assert [c.chat_id for c in first] == [1001, 1002]
    async with db.session() as s:
        assert await outbox.claim(s, "w2", T0 + timedelta(seconds=29), 10, LEASE) == []
    async with db.session() as s:  # w1 crashed: its lease expires and w2 takes the rows
        again = await outbox.claim(s, "w2", T0 + timedelta(seconds=31), 10, LEASE)
    assert [c.chat_id for c in again] == [1001, 1002]
    stored = await rows(db)
    assert stored["broadcast:1001:b7"].claimed_by == "w2"
    assert stored["broadcast:1003:b7"].status == "pending"


async def test_concurrent_claims_never_share_a_row(db: Database) -> None:
    async with db.session() as s:
        await outbox.enqueue(s, [item(n) for n in range(60)])

    async def grab(worker: str) -> list[int]:
        got: list[int] = []
        while True:
            async with db.session() as s:
                batch = await outbox.claim(s, worker, T0, 7, LEASE)
            if not batch:
                return got
            got.extend(c.id for c in batch)

    results = await asyncio.gather(*(grab(f"w{i}") for i in range(3)))
    claimed = [row_id for got in results for row_id in got]
    assert len(claimed) == len(set(claimed)) == 60


async def test_marks_record_each_outcome(db: Database) -> None:
    async with db.session() as s:
        s.add(Account(telegram_id=1004, first_name="Olena"))
        await outbox.enqueue(s, [item(n) for n in range(1, 6)])
    async with db.session() as s:
        ids = {c.chat_id: c.id for c in await outbox.claim(s, "w1", T0, 10, LEASE)}
    later = T0 + timedelta(seconds=5)
    async with db.session() as s:
        await outbox.mark_sent(s, {ids[1001]: 555}, later)
        await outbox.mark_retry(s, ids[1002], "w1", later, "Timed out")
        await outbox.mark_failed(s, ids[1003], "w1", "Bad Request: chat not found")
        await outbox.mark_unreachable(s, ids[1004], "w1", 1004, "Forbidden: bot was blocked")
        await outbox.postpone(s, ids[1005], "w1", later)
        # Another worker's lease is not this worker's to mark.
        await outbox.mark_failed(s, ids[1001], "w2", "late")
    stored = await rows(db)
    sent = stored["broadcast:1001:b7"]
    assert (sent.status, sent.telegram_message_id, sent.sent_at, sent.attempts) == (
        "sent",
        555,
        later,
        1,
    )
    retry = stored["broadcast:1002:b7"]
    assert (retry.status, retry.next_attempt_at, retry.attempts, retry.error) == (
        "pending",
        later,
        1,
        "Timed out",
    )
    assert stored["broadcast:1003:b7"].status == "failed"
    assert stored["broadcast:1003:b7"].error == "Bad Request: chat not found"
    assert stored["broadcast:1004:b7"].status == "unreachable"
    postponed = stored["broadcast:1005:b7"]
    assert (postponed.status, postponed.attempts, postponed.claimed_by) == ("pending", 0, None)
    async with db.session() as s:
        assert (await s.get(Account, 1004)).reachable is False  # type: ignore[union-attr]
        stats = await outbox.broadcast_stats(s, [7, 8])
    assert stats == {7: outbox.DeliveryStats(sent=1, pending=2, failed=1, unreachable=1)}
    assert stats[7].total == 5 and not stats[7].done


async def test_cancel_stops_pending_rows_only(db: Database) -> None:
    async with db.session() as s:
        await outbox.enqueue(s, [item(n) for n in range(4)] + [item(9, broadcast_id=8)])
        reminders = [
            outbox.outgoing("reminder", chat, event, text_message("x"), T0, occurrence="r1")
            for chat, event in ((5, 1), (5, 11), (6, 1))
        ]
        change = outbox.outgoing("change", 5, 1, text_message("moved"), T0, occurrence="r2")
        await outbox.enqueue(s, [*reminders, change])
    async with db.session() as s:
        await outbox.claim(s, "w1", T0, 1, LEASE)
        assert await outbox.cancel(s, broadcast_id=7) == 3
        # By columns: event 1's reminder to chat 5, not event 11's, chat 6's or the change notice.
        assert await outbox.cancel(s, kind="reminder", chat_id=5, subject=1) == 1
        assert await outbox.cancel(s, kind="reminder", chat_id=5, subject=1) == 0
        rows = {r.key: r.status for r in (await s.execute(select(OutboxMessage))).scalars()}
    assert rows["reminder:5:1:r1"] == "cancelled"
    assert rows["reminder:5:11:r1"] == rows["reminder:6:1:r1"] == rows["change:5:1:r2"] == "pending"
    async with db.session() as s:
        stats = await outbox.broadcast_stats(s, [7, 8])
    assert stats[7] == outbox.DeliveryStats(pending=1, cancelled=3)
    assert stats[8] == outbox.DeliveryStats(pending=1)
    with pytest.raises(ValueError):
        async with db.session() as s:
            await outbox.cancel(s)


async def test_next_due_at(db: Database) -> None:
    async with db.session() as s:
        assert await outbox.next_due_at(s) is None
        await outbox.enqueue(s, [item(1, due=T0 + timedelta(minutes=5)), item(2, due=T0)])
    async with db.session() as s:
        assert await outbox.next_due_at(s) == T0


async def test_enqueue_latest_keeps_one_edit_waiting(db: Database) -> None:
    """A message edited again and again (a broadcast's progress): one edit waits, the latest;
    an edit to what the message already shows is not made (Telegram would refuse it)."""

    def edit(text: str) -> dict[str, object]:
        return outbox.edit_text_message(55, text)

    async def latest(text: str) -> bool:
        async with db.session() as s:
            return await outbox.enqueue_latest(s, "progress", 9, "b3", edit(text), T0)

    assert await latest("Sent 1 of 9") and await latest("Sent 2 of 9")
    assert not await latest("Sent 2 of 9")
    waiting = await rows(db)
    assert [(r.status, r.payload["text"]) for r in waiting.values()] == [("pending", "Sent 2 of 9")]
    async with db.session() as s:
        (claimed,) = await outbox.claim(s, "w", T0, 10, LEASE)
    assert not await latest("Sent 2 of 9")  # being sent: the same edit is not made twice
    assert await latest("Sent 3 of 9")  # ... another one waits for its turn
    async with db.session() as s:
        await outbox.mark_sent(s, {claimed.id: 55}, T0)
    assert await latest("Sent 9 of 9, done")
    after = sorted((await rows(db)).values(), key=lambda r: r.id)
    assert [(r.status, r.payload["text"]) for r in after] == [
        ("sent", "Sent 2 of 9"),
        ("pending", "Sent 9 of 9, done"),
    ]
    assert not await latest("Sent 9 of 9, done")
    assert len(await rows(db)) == 2
