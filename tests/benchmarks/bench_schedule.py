"""Benchmark: the schedule views under load, beside a bare python-telegram-bot echo handler.

Drives the real ``Application`` in-process through :class:`LocalBotApi` (the tests' fake Bot API)
on SQLite, with a programme of 1,000 participants (20 delegations, 20 visits) and 2,000 events.

1. Each of 200 people sends their first /today, /menu, /next, event-card press and /calendar
   after the programme was loaded: the caches are cold (reported apart).
2. Then the timed mix: /menu (30%), /today (25%), /next (20%), event-card buttons (20%, pressed
   on the day screen the bot sent that person, as on Telegram) and /calendar (5%).
3. A bare PTB ``Application`` whose one handler echoes the text, in the same run on the same
   fake API; the ratio of the throughputs (target: ours >= 0.5 of the echo's, p99 < 5 ms).
4. The floor: a bare PTB handler that makes exactly the Bot API calls our bot made for a sample
   of the mix, every keyboard built beforehand. It shows what python-telegram-bot itself costs
   to send our answers (keyboards serialised, answered messages parsed back), which no change
   to the bot's own code can go below.

    python tests/benchmarks/bench_schedule.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.app import build_application
from bot.callbacks.agenda import EventCard
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
from bot.infra.clock import ManualClock
from bot.transport.local_api import BOT_USER, ApiCall, LocalBotApi
from bot.transport.updates import SimUser, callback_update, text_update

TZ = ZoneInfo("Europe/Ljubljana")
DELEGATIONS = 20
PARTICIPANTS = 1000
EVENTS = 2000
DAYS = 20
FIRST_DAY = date(2023, 10, 9)
USER0 = 600_000_000
#: Updates of the mix replayed by the bare "floor" handler (their calls are recorded first).
FLOOR_SAMPLE = 2_000
#: Updates of the mix, then of the echo, in turn.
BLOCK = 500


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


def card_press(
    app: Application,  # type: ignore[type-arg]
    user: SimUser,
    events: dict[int, list[int]],
    screens: dict[int, dict[str, Any]],
    rng: random.Random,
) -> Update:
    """A press on one of the person's events, on their day screen (as on Telegram, a button is
    pressed on a message the bot sent; the card then replaces that message)."""
    visit_id = (user.id - USER0) % DELEGATIONS + 1
    event_id = rng.choice(events[visit_id])
    return callback_update(app.bot, user, EventCard(event_id).pack(), screens[user.id])


def mix(
    app: Application,  # type: ignore[type-arg]
    users: list[SimUser],
    events: dict[int, list[int]],
    screens: dict[int, dict[str, Any]],
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
            updates.append(card_press(app, user, events, screens, rng))
        else:
            updates.append(text_update(app.bot, user, "/calendar"))
    return updates


async def first_requests(
    app: Application,  # type: ignore[type-arg]
    api: LocalBotApi,
    users: list[SimUser],
    events: dict[int, list[int]],
) -> tuple[dict[int, dict[str, Any]], list[Update], list[float]]:
    """Every person's first request of each kind after the programme was loaded (cold caches).

    Returns each person's day screen as the bot sent it (the card buttons are pressed there), the
    updates and their latencies.
    """
    screens: dict[int, dict[str, Any]] = {}

    def keep(call: ApiCall) -> None:
        if call.method == "sendMessage" and call.result:
            screens[call.result["chat"]["id"]] = call.result

    api.on_call = keep
    try:
        todays = [text_update(app.bot, user, "/today") for user in users]
        _rate, latencies = await measure(app, todays)
    finally:
        api.on_call = None
    rng = random.Random(0)
    rest = [
        update
        for user in users
        for update in (
            text_update(app.bot, user, "/menu"),
            text_update(app.bot, user, "/next"),
            card_press(app, user, events, screens, rng),
            text_update(app.bot, user, "/calendar"),
        )
    ]
    _rate, more = await measure(app, rest)
    return screens, todays + rest, latencies + more


async def recorded_calls(
    app: Application,  # type: ignore[type-arg]
    api: LocalBotApi,
    updates: list[Update],
) -> dict[int, list[ApiCall]]:
    """The Bot API calls the bot makes for each update (by update id), in order."""
    calls: dict[int, list[ApiCall]] = {}
    current: list[ApiCall] = []
    api.on_call = current.append
    try:
        for update in updates:
            current.clear()
            api.deliver(update)
            await app.process_update(update)
            calls[update.update_id] = list(current)
    finally:
        api.on_call = None
    return calls


def replayer(api: LocalBotApi, calls: dict[int, list[ApiCall]]) -> Any:
    """A bare PTB handler making exactly the calls our bot made for each update, with every
    keyboard built beforehand: what python-telegram-bot itself costs to send our answers."""
    prepared = {
        update_id: [
            (c, InlineKeyboardMarkup.de_json(c.params["reply_markup"], None))
            if c.params.get("reply_markup")
            else (c, None)
            for c in made
        ]
        for update_id, made in calls.items()
    }
    for made in calls.values():  # the messages our bot edited exist on this fake API too
        for c in made:
            if c.method == "editMessageText":
                chat, message_id = int(c.params["chat_id"]), int(c.params["message_id"])
                api.messages[(chat, message_id)] = {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat, "type": "private", "first_name": "User"},
                    "from": BOT_USER,
                    "text": "",
                }

    async def replay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        bot = context.bot
        for call, markup in prepared[update.update_id]:
            p = call.params
            if call.method == "sendMessage":
                await bot.send_message(p["chat_id"], p["text"], reply_markup=markup)
            elif call.method == "editMessageText":
                with contextlib.suppress(BadRequest):  # "not modified", as for our bot
                    await bot.edit_message_text(
                        p["text"], p["chat_id"], p["message_id"], reply_markup=markup
                    )
            elif call.method == "answerCallbackQuery":
                await bot.answer_callback_query(p["callback_query_id"])
            elif call.method == "sendVenue":
                await bot.send_venue(
                    p["chat_id"], p["latitude"], p["longitude"], p["title"], p["address"]
                )
            elif call.method == "sendDocument":
                filename, data = next(iter(call.files.values()))
                await bot.send_document(
                    p["chat_id"], data, filename=filename, caption=p.get("caption")
                )
            else:
                raise ValueError(f"no replay for {call.method}")

    return replay


@dataclass
class Timing:
    """Wall-clock and CPU time of each update (CPU time of this process: steadier than the wall
    clock on a shared machine, where other processes take the cores in between), and the bot's
    own CPU time: without the fake Bot API's work of checking each call and writing its answer,
    which is Telegram's on the wire."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    own: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.wall) / sum(self.wall)

    @property
    def cpu_rate(self) -> float:
        return len(self.cpu) / sum(self.cpu)

    @property
    def own_rate(self) -> float:
        return len(self.own) / sum(self.own)


class ServerTime:
    """CPU time the fake Bot APIs spend answering calls (Telegram's side of each call)."""

    seconds = 0.0

    @classmethod
    def watch(cls, api: LocalBotApi) -> LocalBotApi:
        handle = api.handle

        def timed(*args: Any) -> tuple[int, bytes]:
            started = time.process_time()
            try:
                return handle(*args)
            finally:
                cls.seconds += time.process_time() - started

        api.handle = timed  # type: ignore[method-assign]
        return api


async def measure(
    app: Application,  # type: ignore[type-arg]
    updates: list[Update],
    timing: Timing | None = None,
) -> tuple[float, list[float]]:
    timing = timing if timing is not None else Timing()
    wall, cpu, own = timing.wall, timing.cpu, timing.own
    clock, cpu_clock = time.perf_counter, time.process_time
    api = app.bot.request if isinstance(app.bot.request, LocalBotApi) else None
    started = clock()
    for update in updates:
        if api is not None:
            api.deliver(update)  # Telegram's side: a replayed press is a fresh query
        server = ServerTime.seconds
        t0, c0 = clock(), cpu_clock()
        await app.process_update(update)
        wall.append(clock() - t0)
        spent = cpu_clock() - c0
        cpu.append(spent)
        own.append(spent - (ServerTime.seconds - server))
    return len(updates) / (clock() - started), wall[-len(updates) :]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def kind(update: Update) -> str:
    if update.callback_query is not None:
        return "event card"
    return (update.message.text or "").split()[0] if update.message else "?"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.message is not None
    await context.bot.send_message(update.effective_chat.id, update.message.text or "")


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    """p50, p99 and the maximum, in milliseconds."""
    ordered = sorted(latencies)
    p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


def report(name: str, rate: float, latencies: list[float]) -> None:
    p50, p99, top = percentiles(latencies)
    print(
        f"{name:<18} {rate:9.0f} updates/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms"
        f"   max {top:6.2f} ms"
    )


def report_cpu(name: str, timing: Timing) -> None:
    for rate, times, what in (
        (timing.cpu_rate, timing.cpu, "CPU with the fake Bot API's answers"),
        (timing.own_rate, timing.own, "the bot's own CPU"),
    ):
        p50, p99, top = percentiles(times)
        print(
            f"{name:<18} {rate:9.0f} updates/CPU-s   p50 {p50:6.2f} ms   "
            f"p99 {p99:6.2f} ms   max {top:6.2f} ms ({what})"
        )


def report_kinds(updates: list[Update], latencies: list[float]) -> None:
    for name in sorted({kind(u) for u in updates}):
        own = [lat for u, lat in zip(updates, latencies, strict=True) if kind(u) == name]
        report(f"  {name}", len(own) / sum(own), own)


async def main(quick: bool, updates: int | None) -> None:
    count = updates or (2_000 if quick else 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        events = await build_programme(db)
        users = await link_users(db, 200)
        settings = Settings(_env_file=None, token="1:bench", data_dir=Path(tmp))  # type: ignore[call-arg]
        clock = ManualClock(
            datetime.combine(FIRST_DAY + timedelta(days=2), datetime.min.time(), TZ)
            + timedelta(hours=9)
        )
        api = ServerTime.watch(LocalBotApi(keep_calls=False))
        app = build_application(settings, db, clock=clock, request=api, register_bot_commands=False)
        bare = (
            ApplicationBuilder()
            .token("1:echo")
            .request(ServerTime.watch(LocalBotApi(keep_calls=False)))
            .get_updates_request(LocalBotApi(keep_calls=False))
            .build()
        )
        bare.add_handler(MessageHandler(filters.TEXT, echo))
        floor_api = ServerTime.watch(LocalBotApi(keep_calls=False))
        floor = (
            ApplicationBuilder()
            .token("1:floor")
            .defaults(Defaults(parse_mode=ParseMode.HTML))
            .request(floor_api)
            .get_updates_request(LocalBotApi(keep_calls=False))
            .build()
        )
        await app.initialize()  # no start(): no JobQueue ticks in the middle of the measurement
        await bare.initialize()
        await floor.initialize()
        try:
            screens, cold, cold_lat = await first_requests(app, api, users, events)
            timed = mix(app, users, events, screens, count, 2)
            texts = [
                text_update(bare.bot, users[i % len(users)], f"hello {i}") for i in range(count)
            ]
            await measure(bare, texts[:600])
            # In turns, a block of each, so that both meet the same load of the shared machine.
            ours, echo_timing = Timing(), Timing()
            for start in range(0, count, BLOCK):
                await measure(app, timed[start : start + BLOCK], ours)
                await measure(bare, texts[start : start + BLOCK], echo_timing)
            # The fake Bot API keeps every message it was sent (Telegram's memory, not the
            # bot's): dropped before the bot's memory is read.
            stored = len(api.messages) + len(bare.bot.request.messages)
            api.messages.clear()
            bare.bot.request.messages.clear()
            gc.collect()
            memory = rss_mb(), stored
            sample = timed[:FLOOR_SAMPLE]
            calls = await recorded_calls(app, api, sample)
            floor.add_handler(TypeHandler(Update, replayer(floor_api, calls)))
            await measure(floor, sample[:600])
            floor_rate, floor_lat = await measure(floor, sample)
        finally:
            await app.shutdown()
            await bare.shutdown()
            await floor.shutdown()
            await db.dispose()
    print(f"{count} updates; {PARTICIPANTS} participants, {EVENTS} events; SQLite")
    print(f"first request of each kind per person ({len(users)} people; caches cold):")
    report_kinds(cold, cold_lat)
    print(f"then the mix (caches warm), in blocks of {BLOCK} beside the echo's:")
    report("schedule mix", ours.rate, ours.wall)
    report_kinds(timed, ours.wall)
    report("bare PTB echo", echo_timing.rate, echo_timing.wall)
    report_cpu("schedule mix", ours)
    report_cpu("bare PTB echo", echo_timing)
    print(
        f"ratio (mix / echo throughput): wall clock {ours.rate / echo_timing.rate:.2f}, "
        f"CPU {ours.cpu_rate / echo_timing.cpu_rate:.2f}, the bot's own CPU "
        f"{ours.own_rate / echo_timing.own_rate:.2f}   (target >= 0.60, p99 <= 0.5 ms)"
    )
    print(
        f"RSS after the mix: {memory[0]:.0f} MB ({PARTICIPANTS} participants, {EVENTS} events, "
        f"{len(users)} active people, {len(cold) + count} updates handled; the process also holds "
        f"the echo bot; the fake Bot API's {memory[1]} stored messages dropped first)   "
        "(target <= 200 MB)"
    )
    print(f"floor: bare PTB making our bot's calls for {len(sample)} updates of the mix:")
    report("PTB floor", floor_rate, floor_lat)
    print(
        f"ratio floor / echo: {floor_rate / echo_timing.rate:.2f}   "
        f"mix / floor: {ours.rate / floor_rate:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 updates instead of 20,000")
    parser.add_argument("--updates", type=int, help="updates of the timed mix (default 20,000)")
    args = parser.parse_args()
    asyncio.run(main(args.quick, args.updates))
