"""The delivery rate shared by every process: one token bucket in the database, both databases."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from bot.db.engine import Database
from bot.delivery import budget
from bot.delivery.pacing import Limits
from tests.delivery.test_worker import FAST, msg, put, running_worker, sends, settled


async def test_the_bucket_refills_at_the_rate_up_to_its_capacity(db: Database) -> None:
    async def take(want: int, now: float) -> budget.Grant:
        async with db.session() as s:
            return await budget.take(s, want, rate=10.0, capacity=5.0, now=now)

    assert await take(10, now=100.0) == budget.Grant(5, 0.0)  # a new bucket starts full
    assert await take(10, now=100.3) == budget.Grant(3, 0.0)  # 0.3 s at 10/s
    empty = await take(10, now=100.3)
    assert empty.count == 0 and empty.wait == pytest.approx(0.5)  # 5 tokens take 0.5 s
    async with db.session() as s:
        await budget.give_back(s, 2, capacity=5.0)
    assert await take(1, now=100.3) == budget.Grant(1, 0.0)
    assert await take(10, now=200.0) == budget.Grant(5, 0.0)  # never more than the capacity


async def test_two_workers_together_keep_one_rate(db: Database) -> None:
    """Each worker alone may send 100 a second; sharing the budget, both together do."""
    url = db.engine.url.render_as_string(hide_password=False)
    other_db = Database.from_url(url)
    limits = Limits(rate=100, burst=5, chat_interval=0.2)
    config = replace(FAST, limits=limits, shared_rate=True, batch_size=20)
    try:
        async with (
            running_worker(db, config=config, worker_id="a") as (worker_a, api_a),
            running_worker(other_db, config=config, worker_id="b") as (worker_b, api_b),
        ):
            await put(db, [msg(3000 + n) for n in range(120)])
            started = time.monotonic()
            worker_a.notify()
            worker_b.notify()
            await settled(db, patience=20)
            elapsed = time.monotonic() - started
    finally:
        await other_db.dispose()
    assert len(sends(api_a)) + len(sends(api_b)) == 120
    # 120 messages at 100 a second, 10 at once at most: at least 1.1 s (alone each: 0.6 s)
    assert elapsed >= 1.0
