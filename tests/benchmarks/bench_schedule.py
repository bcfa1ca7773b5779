"""Benchmark: the schedule views under load, beside a bare python-telegram-bot echo handler.

Drives the real ``Application`` in-process through :class:`LocalBotApi` (the tests' fake Bot API)
on SQLite, with a programme of 1,000 participants (20 delegations, 20 visits) and 2,000 events.
Users send a mix of /menu (30%), /today (25%), /next (20%), event-card buttons (20%) and
/calendar (5%). A bare PTB ``Application`` whose one handler echoes the text is measured in the
same run on the same fake API. Prints updates/second and p50/p99 latency per update for both and
the ratio (target: ours >= 0.5 of the echo's throughput, p99 < 5 ms).

    python tests/benchmarks/bench_schedule.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.db import models  # noqa: F401  (registers every table)
from bot.db.base import Base
from bot.db.engine import Database
from bot.db.models import (
    Account,
    Delegation,
    Event,
    Municipality,
    Participant,
    Programme,
    Visit,
)
from bot.transport.local_api import LocalBotApi
from bot.transport.updates import SimUser, callback_update, text_update

TZ = ZoneInfo("Europe/Ljubljana")
DELEGATIONS = 20
PARTICIPANTS = 1000
EVENTS = 2000
DAYS = 20
FIRST_DAY = date(2023, 10, 9)
USER0 = 600_000_000


def _text(en: str) -> dict[str, str]:
    return {"en": en, "uk": f"{en} (uk)", "sl": f"{en} (sl)"}


async def build_programme(db: Database) -> dict[int, list[int]]:
    """The programme; returns each delegation's event ids (for the card presses)."""
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    rng = random.Random(7)
    per_delegation: dict[int, list[int]] = {}
    async with db.session() as s:
        s.add(
            Programme(
                id=1,
                name=_text("Bench programme"),
                timezone=TZ.key,
                default_language="uk",
                content_version=1,
            )
        )
        hosts = [
            Municipality(key=f"si{i}", name=_text(f"Host {i}"), country="SI") for i in range(5)
        ]
        towns = [
            Municipality(key=f"ua{i}", name=_text(f"Hromada {i}"), country="UA")
            for i in range(DELEGATIONS)
        ]
        s.add_all(hosts + towns)
        await s.flush()
        delegations = [
            Delegation(key=f"d{i}", name=_text(f"Delegation {i}"), municipality_id=t.id)
            for i, t in enumerate(towns)
        ]
        s.add_all(delegations)
        await s.flush()
        visits = [
            Visit(
                key=f"v{i}",
                title=_text(f"Visit {i}"),
                delegation_id=d.id,
                host_municipality_id=hosts[i % len(hosts)].id,
                starts_on=FIRST_DAY,
                ends_on=FIRST_DAY + timedelta(days=DAYS),
            )
            for i, d in enumerate(delegations)
        ]
        s.add_all(visits)
        await s.flush()
        for n in range(PARTICIPANTS):
            d = delegations[n % DELEGATIONS]
            s.add(
                Participant(
                    key=f"p{n}",
                    name=f"Person {n}",
                    role="mentee",
                    delegation_id=d.id,
                    language=("uk", "sl", "en")[n % 3],
                )
            )
        events = []
        for n in range(EVENTS):
            visit = visits[n % DELEGATIONS]
            day = FIRST_DAY + timedelta(days=(n // DELEGATIONS) % DAYS)
            start = datetime.combine(day, datetime.min.time(), TZ) + timedelta(
                hours=8 + rng.randrange(10), minutes=rng.choice((0, 15, 30, 45))
            )
            events.append(
                Event(
                    key=f"e{n}",
                    starts_at=start,
                    ends_at=start + timedelta(minutes=90),
                    title=_text(f"Session {n}"),
                    place_name=_text(f"Room {n % 40}"),
                    address=f"Street {n % 40}, Domžale",
                    latitude=46.1 + n % 10 / 100,
                    longitude=14.6,
                    description=_text("What the session is about. " * 3),
                    visit_id=visit.id if n % 7 else None,
                )
            )
        s.add_all(events)
        await s.flush()
        for e in events:
            if e.visit_id is not None:
                per_delegation.setdefault(e.visit_id, []).append(e.id)
    return per_delegation


async def link_users(db: Database, count: int) -> list[SimUser]:
    users = []
    async with db.session() as s:
        for n in range(count):
            user = SimUser(
                id=USER0 + n, first_name=f"U{n}", language_code=("uk", "sl", "en")[n % 3]
            )
            participant = await s.get(Participant, n + 1)
            s.add(
                Account(
                    telegram_id=user.id,
                    first_name=user.first_name,
                    language=user.language_code,
                    participant_id=participant.id,
                    created_at=datetime.now(UTC),
                    last_seen_at=datetime.now(UTC),
                )
            )
            users.append(user)
    return users


def mix(
    app: Application,
    users: list[SimUser],  # type: ignore[type-arg]
    events: dict[int, list[int]],
    count: int,
    seed: int,
) -> list[Update]:
    """``count`` updates of the mix, built before the clock starts."""
    rng = random.Random(seed)
    updates = []
    for i in range(count):
        user = users[i % len(users)]
        r = rng.random()
        if r < 0.30:
            updates.append(text_update(app.bot, user, "/menu"))
        elif r < 0.55:
            updates.append(text_update(app.bot, user, "/today"))
        elif r < 0.75:
            updates.append(text_update(app.bot, user, "/next"))
        elif r < 0.95:
            visit_id = (user.id - USER0) % DELEGATIONS + 1
            event_id = rng.choice(events[visit_id])
            message = {
                "message_id": 1,
                "date": 0,
                "chat": user.private_chat(),
                "text": "…",
                "from": {"id": 1, "is_bot": True, "first_name": "bot"},
            }
            updates.append(callback_update(app.bot, user, f"sch:ev:{event_id}", message))
        else:
            updates.append(text_update(app.bot, user, "/calendar"))
    return updates


async def measure(app: Application, updates: list[Update]) -> tuple[float, list[float]]:  # type: ignore[type-arg]
    latencies = []
    started = time.perf_counter()
    for update in updates:
        t0 = time.perf_counter()
        await app.process_update(update)
        latencies.append(time.perf_counter() - t0)
    return len(updates) / (time.perf_counter() - started), latencies


def kind(update: Update) -> str:
    if update.callback_query is not None:
        return "event card"
    return (update.message.text or "").split()[0] if update.message else "?"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.message is not None
    await context.bot.send_message(update.effective_chat.id, update.message.text or "")


def report(name: str, rate: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    print(f"{name:<18} {rate:9.0f} updates/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")


async def main(quick: bool) -> None:
    count = 2_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        events = await build_programme(db)
        users = await link_users(db, 200)
        settings = Settings(_env_file=None, token="1:bench", data_dir=Path(tmp))  # type: ignore[call-arg]
        clock = ManualClock(
            datetime.combine(FIRST_DAY + timedelta(days=2), datetime.min.time(), TZ)
            + timedelta(hours=9)
        )
        app = build_application(
            settings,
            db,
            clock=clock,
            request=LocalBotApi(keep_calls=False),
            register_bot_commands=False,
        )
        bare = (
            ApplicationBuilder()
            .token("1:echo")
            .request(LocalBotApi(keep_calls=False))
            .get_updates_request(LocalBotApi(keep_calls=False))
            .build()
        )
        bare.add_handler(MessageHandler(filters.TEXT, echo))
        await app.initialize()  # no start(): no JobQueue ticks in the middle of the measurement
        await bare.initialize()
        try:
            await measure(app, mix(app, users, events, 600, seed=1))  # warm-up
            timed = mix(app, users, events, count, 2)
            ours_rate, ours = await measure(app, timed)
            texts = [
                text_update(bare.bot, users[i % len(users)], f"hello {i}") for i in range(count)
            ]
            await measure(bare, texts[:600])
            echo_rate, bare_lat = await measure(bare, texts)
        finally:
            await app.shutdown()
            await bare.shutdown()
            await db.dispose()
    print(f"{count} updates; {PARTICIPANTS} participants, {EVENTS} events; SQLite")
    report("schedule mix", ours_rate, ours)
    for name in sorted({kind(u) for u in timed}):
        own = [lat for u, lat in zip(timed, ours, strict=True) if kind(u) == name]
        report(f"  {name}", len(own) / sum(own), own)
    report("bare PTB echo", echo_rate, bare_lat)
    print(f"ratio (mix / echo throughput): {ours_rate / echo_rate:.2f}   (target >= 0.50)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 updates instead of 20,000")
    asyncio.run(main(parser.parse_args().quick))
