"""Benchmark: the acknowledgement burst: 500 people press "I have read this" under an announcement
within 1 second, and within 10 seconds.

The real ``Application`` (concurrent update processing, 64 at a time) on the local Bot API, on
SQLite and on PostgreSQL: each person got the announcement from the bot (a message with the ✅
button, kept by the fake Bot API so the bot can take the button away), then presses it at an
even pace over the window. Per press, the time from its arrival to the end of its handling (the
answer to the press, the confirmation stored, the button removed); every press must be answered
within Telegram's 15 seconds and every confirmation stored once.

    python tests/benchmarks/bench_acks.py [--people 500] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select

from bot.app import build_application
from bot.config import Settings
from bot.db.engine import Database
from bot.db.models.broadcasts import CONFIRMED, Broadcast, BroadcastRecipient
from bot.infra.clock import ManualClock
from bot.runtime import running
from bot.transport.local_api import LocalBotApi
from bot.transport.updates import SimUser, callback_update
from tests.benchmarks.bench_load import NOW, _fresh
from tests.surveys.world import build

USER0 = 800_000_000


async def burst(db: Database, people: int, window: float) -> list[str]:
    """One announcement, ``people`` presses spread over ``window`` seconds; the report lines."""
    users = [SimUser(id=USER0 + n, first_name=f"R{n}", language_code="uk") for n in range(people)]
    async with db.session() as session:
        broadcast = Broadcast(status=CONFIRMED, ask_ack=True, texts={"uk": "Автобус о 8:00"})
        session.add(broadcast)
        await session.flush()
        session.add_all(
            BroadcastRecipient(broadcast_id=broadcast.id, telegram_id=u.id, language="uk")
            for u in users
        )
        broadcast_id = broadcast.id
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, token="1:acks", coordinator_ids=[u.id for u in users]
    )
    api = LocalBotApi(keep_calls=False, clock=ManualClock(NOW))
    app = build_application(
        settings,
        db,
        clock=ManualClock(NOW),
        request=api,
        concurrent_updates=64,
        register_bot_commands=False,
    )
    data = f"bc:ack:{broadcast_id}"
    markup = {"inline_keyboard": [[{"text": "✅ Прочитано", "callback_data": data}]]}
    messages = {}
    for user in users:  # the announcement as the delivery worker sent it
        sent = {"chat_id": user.id, "text": "Автобус о 8:00", "reply_markup": markup}
        _status, body = api.handle("sendMessage", sent, {})
        messages[user.id] = json.loads(body)["result"]
    latencies: list[float] = []

    async with running(app):

        async def press(n: int, user: SimUser, at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            arrived = time.perf_counter()
            update = api.deliver(callback_update(app.bot, user, data, messages[user.id]))
            await app.update_processor.process_update(update, app.process_update(update))
            latencies.append(time.perf_counter() - arrived)

        start = time.perf_counter() + 0.1
        cpu = time.process_time()
        await asyncio.gather(
            *(press(n, u, start + window * n / people) for n, u in enumerate(users))
        )
        cpu = time.process_time() - cpu
        took = time.perf_counter() - start
    async with db.session() as session:
        acked = await session.scalar(
            select(func.count())
            .select_from(BroadcastRecipient)
            .where(
                BroadcastRecipient.broadcast_id == broadcast_id,
                BroadcastRecipient.acked_at.is_not(None),
            )
        )
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return [
        f"  {people} presses over {window:g} s: all handled {took:.2f} s after the first; "
        f"per press p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms; CPU {cpu * 1000 / people:.2f} ms a press",
        f"    unanswered presses {len(api.open_queries)}, over 15 s "
        f"{sum(x > 15 for x in ordered)}; confirmations stored {acked} of {people}",
    ]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BOT_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/mentoring_bench"
        ),
    )
    args = parser.parse_args()
    targets = []
    if args.db in ("sqlite", "both"):
        targets.append(("SQLite", f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/acks.sqlite3"))
    if args.db in ("postgresql", "both"):
        targets.append(("PostgreSQL", args.pg_url))
    for label, url in targets:
        print(f"{label}:")
        for window in (1.0, 10.0):
            db = await _fresh(url)
            try:
                await build(db, NOW)
                print("\n".join(await burst(db, args.people, window)))
            finally:
                await db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
