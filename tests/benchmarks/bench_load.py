"""Load: many people using the bot at once, with concurrent update processing on.

Each simulated user joins with a delegation invite, picks a language, looks at the menu and the
agenda, asks two questions, and fills in the post-visit survey (rating, score, choice, several
choices, yes/no, two skips, submit) — 20 updates each, one after another as a person on a phone
would, all users at the same time through the Application's concurrent update processor. Then it
checks that no update failed ("database is locked" or anything else), that every question and
every survey response was stored exactly once, and prints throughput and latency.

    python tests/benchmarks/bench_load.py [--users 200] [--db sqlite|postgresql|both]
        [--rates 25,50,100,200]

With ``--rates`` it is an open loop instead: updates arrive at a fixed rate whatever the bot
does, person by person in turn, and latency counts from each update's arrival; for each rate (a
fresh database each) it prints p50 and p99, up to the first rate whose p99 is over 100 ms, and
the highest rate that held p99 within 100 ms. (In the closed loop p99 is about the number of
people divided by the throughput, whatever the bot does.)

``tests/test_load.py`` runs a short version of the same scenario in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event, func, select

from bot.app import build_application
from bot.broadcasts.audience import Audience
from bot.callbacks.surveys import (
    AnswerAction,
    MoveAction,
    SurveyAction,
    SurveyAnswer,
    SurveyButton,
    SurveyMove,
)
from bot.config import Settings
from bot.db.base import Base
from bot.db.engine import Database
from bot.db.models import Question, Survey, SurveyResponse
from bot.infra.clock import ManualClock
from bot.jobs.search import build_index
from bot.people.access import Role, create_invite
from bot.runtime import running
from bot.surveys.due import launch
from bot.transport.local_api import LocalBotApi
from bot.transport.updates import SimUser, callback_update, text_update
from tests.surveys.world import TZ, build

UPDATES_PER_USER = 20
#: The kind of the update being handled, for counting its SQL statements and transactions.
_KIND: ContextVar[str | None] = ContextVar("bench_load_kind", default=None)


def kind_of(kind: str, value: str) -> str:
    """ "/menu", "question", "sch:today", "srv:a" ...: what the statement table groups by."""
    if kind == "text":
        return value.split()[0] if value.startswith("/") else "question"
    return ":".join(value.split(":")[:2])


@dataclass
class StatementCount:
    """SQL statements and transactions per update kind, counted at the engine."""

    updates: Counter[str] = field(default_factory=Counter)
    statements: Counter[str] = field(default_factory=Counter)
    transactions: Counter[str] = field(default_factory=Counter)

    def attach(self, db: Database) -> None:
        engine = db.engine.sync_engine

        def statement(*_: Any) -> None:
            kind = _KIND.get()
            if kind is not None:
                self.statements[kind] += 1

        def begin(*_: Any) -> None:
            kind = _KIND.get()
            if kind is not None:
                self.transactions[kind] += 1

        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine, "begin", begin)

    def lines(self) -> list[str]:
        total = sum(self.updates.values())
        statements = sum(self.statements.values()) / total
        transactions = sum(self.transactions.values()) / total
        rows = [f"  per update: {statements:.2f} statements, {transactions:.2f} transactions"]
        for kind in sorted(self.updates):
            n = self.updates[kind]
            rows.append(
                f"    {kind:<12} {n:5d} updates  {self.statements[kind] / n:5.2f} statements"
                f"  {self.transactions[kind] / n:5.2f} transactions"
            )
        return rows


NOW = datetime(2023, 10, 12, 16, 0, tzinfo=UTC)  # after the visit: the survey is open


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        detail = f" {record.exc_info[1]!r}" if record.exc_info else ""
        self.messages.append(record.getMessage() + detail)


@dataclass
class LoadResult:
    database: str
    users: int
    updates: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    questions_stored: int = 0
    responses_stored: int = 0
    counted: StatementCount = field(default_factory=StatementCount)
    rate: float | None = None  # arrivals a second (open loop); None: closed loop
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # of the whole process (the SQLite driver's thread included)

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0

    def lines(self) -> list[str]:
        loop = "closed loop" if self.rate is None else f"open loop, {self.rate:g} arriving a second"
        return [
            f"{self.database} ({loop}): {self.users} users x {UPDATES_PER_USER} updates = "
            f"{self.updates} updates in {self.seconds:.2f} s: {self.throughput:.0f} updates/s; "
            f"latency from arrival to answer (queueing included): "
            f"p50 {statistics.median(self.latencies_ms):.1f} ms, p99 {self.percentile(99):.1f} ms",
            f"  CPU {self.cpu_seconds / self.updates * 1000:.2f} ms an update: "
            f"{self.updates / self.cpu_seconds:.0f} updates per CPU second",
            f"  failed updates: {len(self.failures)}"
            + (f" (first: {self.failures[0][:200]})" if self.failures else "")
            + f"; 'database is locked': {sum('locked' in f for f in self.failures)}",
            f"  questions stored {self.questions_stored} of {2 * self.users}; survey responses "
            f"stored {self.responses_stored} of {self.users}",
            *self.counted.lines(),
            "  p99 by kind (ms): "
            + ", ".join(f"{k} {_p99(v):.0f}" for k, v in sorted(self.by_kind.items())),
        ]

    @property
    def ok(self) -> bool:
        return (
            not self.failures
            and self.questions_stored == 2 * self.users
            and self.responses_stored == self.users
        )


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def _script(user: SimUser, n: int, code: str, survey_id: int) -> list[tuple[str, str]]:
    """The 20 updates of one person: ("text", ...) or ("press", callback data)."""
    s = survey_id
    return [
        ("text", f"/start {code}"),
        ("press", "lang:set:uk"),
        ("text", "/menu"),
        ("press", "sch:today"),
        ("text", f"Де наш готель? (#{n})"),
        ("press", "sch:next"),
        ("text", f"Коли автобус до Любляни? (#{n})"),
        ("text", "/help"),
        ("press", SurveyButton(SurveyAction.OPEN, s).pack()),
        ("press", SurveyAnswer(AnswerAction.ANSWER, s, 0, 1 + n % 5).pack()),
        ("press", SurveyAnswer(AnswerAction.ANSWER, s, 1, n % 11).pack()),
        ("press", SurveyAnswer(AnswerAction.ANSWER, s, 2, n % 3).pack()),
        ("press", SurveyAnswer(AnswerAction.TOGGLE, s, 3, 0).pack()),
        ("press", SurveyAnswer(AnswerAction.TOGGLE, s, 3, 1 + n % 2).pack()),
        ("press", SurveyMove(MoveAction.NEXT, s, 3).pack()),
        ("press", SurveyAnswer(AnswerAction.ANSWER, s, 4, n % 2).pack()),
        ("press", SurveyMove(MoveAction.SKIP, s, 5).pack()),
        ("press", SurveyMove(MoveAction.SKIP, s, 6).pack()),
        ("press", SurveyButton(SurveyAction.SUBMIT, s).pack()),
        ("text", "/menu"),
    ]


async def run_load(
    db: Database,
    *,
    users: int,
    concurrency: int = 64,
    label: str = "",
    rate: float | None = None,
) -> LoadResult:
    """Run the scenario on an empty database (every table created); returns the figures.

    Without ``rate`` a closed loop: each person sends their next update once the last is
    answered, all at once. With ``rate`` an open loop: updates arrive at that many a second
    whatever the bot does (person by person in turn, so each person's updates come
    ``users / rate`` seconds apart), and latency counts from the moment an update arrived.
    """
    clock = ManualClock(NOW)
    await build(db, NOW)
    async with db.session() as session:
        delegation_id = (await build_ids(session))["delegation"]
        _invite, code = await create_invite(
            session, role=Role.MENTEE, now=NOW, delegation_id=delegation_id, max_uses=users
        )
        survey_id = await session.scalar(select(Survey.id).where(Survey.key == "post-visit"))
    settings = Settings(_env_file=None, token="1:load", coordinator_ids=[1])  # type: ignore[call-arg]
    api = LocalBotApi(keep_calls=False)
    app = build_application(
        settings,
        db,
        clock=clock,
        request=api,
        concurrent_updates=concurrency,
        register_bot_commands=False,
        tune_gc=True,  # as python -m bot run: the heap frozen after start-up
    )
    failures = _Failures()
    logging.getLogger("bot").addHandler(failures)
    people = [
        SimUser(id=500_000_000 + n, first_name=f"U{n}", language_code="uk") for n in range(users)
    ]
    result = LoadResult(label or db.dialect, users, users * UPDATES_PER_USER, 0.0, rate=rate)
    result.counted.attach(db)
    message = {
        "message_id": 1,
        "date": 0,
        "text": "x",
        "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
    }
    try:
        async with running(app):
            # As python -m bot run a second after start: the first question finds the index.
            await build_index(SimpleNamespace(application=app))  # type: ignore[arg-type]

            # Everyone joins first; then the coordinator sends the survey to all of them.
            async def step(
                user: SimUser, kind: str, value: str, arrived: float | None = None
            ) -> None:
                if kind == "text":
                    update = text_update(app.bot, user, value)
                else:
                    update = callback_update(
                        app.bot, user, value, {**message, "chat": user.private_chat()}
                    )
                label = kind_of(kind, value)
                result.counted.updates[label] += 1
                token = _KIND.set(label)
                started = time.perf_counter() if arrived is None else arrived
                api.deliver(update)
                try:
                    await app.update_processor.process_update(update, app.process_update(update))
                finally:
                    _KIND.reset(token)
                latency = (time.perf_counter() - started) * 1000
                result.latencies_ms.append(latency)
                result.by_kind.setdefault(label, []).append(latency)

            async def person(user: SimUser, n: int, steps: list[tuple[str, str]]) -> None:
                for kind, value in steps:
                    await step(user, kind, value)

            async def paced(steps: list[tuple[SimUser, str, str]], rate: float) -> None:
                """Each update at its arrival time, answered or not the one before."""
                begun = time.perf_counter()
                tasks = []
                for i, (user, kind, value) in enumerate(steps):
                    arrival = begun + i / rate
                    await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
                    tasks.append(asyncio.create_task(step(user, kind, value, arrival)))
                await asyncio.gather(*tasks)

            async def phase(first: int, last: int | None) -> None:
                if rate is None:
                    await asyncio.gather(
                        *(person(u, n, s[first:last]) for n, (u, s) in enumerate(pairs))
                    )
                    return
                rounds = [s[first:last] for _u, s in pairs]
                in_turn = [
                    (user, *steps[i])
                    for i in range(max(map(len, rounds)))
                    for (user, _s), steps in zip(pairs, rounds, strict=True)
                    if i < len(steps)
                ]
                await paced(in_turn, rate)

            scripts = [_script(u, n, code, survey_id or 0) for n, u in enumerate(people)]
            pairs = list(zip(people, scripts, strict=True))
            started, cpu = time.perf_counter(), time.process_time()
            await phase(0, 1)
            async with db.session() as session:
                await launch(session, survey_id or 0, Audience(), [], NOW, TZ)
            await phase(1, None)
            result.seconds = time.perf_counter() - started
            result.cpu_seconds = time.process_time() - cpu
    finally:
        logging.getLogger("bot").removeHandler(failures)
    result.failures = failures.messages
    async with db.session() as session:
        result.questions_stored = (
            await session.scalar(
                select(func.count()).select_from(Question).where(Question.text.like("%(#%)"))
            )
            or 0
        )
        result.responses_stored = (
            await session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.survey_id == survey_id)
            )
            or 0
        )
    return result


async def build_ids(session: Any) -> dict[str, int]:
    from bot.db.models import Delegation

    delegation = await session.scalar(select(Delegation.id).where(Delegation.key == "zavodske"))
    return {"delegation": delegation}


async def _fresh(url: str) -> Database:
    db = (
        Database.from_url(url, pool_size=20, max_overflow=20)
        if "postgresql" in url
        else Database.from_url(url)
    )
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    return db


#: The open loop's latency target: p99 from arrival to answer.
P99_TARGET_MS = 100.0


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--rates",
        help="open loop: arrival rates (updates a second, comma-separated, rising), each on a "
        "fresh database, up to the first whose p99 is over 100 ms; default: the closed loop",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BOT_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/mentoring_bench"
        ),
    )
    args = parser.parse_args()
    ok = True
    targets = []
    if args.db in ("sqlite", "both"):
        folder = tempfile.mkdtemp()
        targets.append(("SQLite", f"sqlite+aiosqlite:///{folder}/load.sqlite3"))
    if args.db in ("postgresql", "both"):
        targets.append(("PostgreSQL", args.pg_url))
    rates: list[float | None] = [float(r) for r in args.rates.split(",")] if args.rates else [None]
    for label, url in targets:
        held: float | None = None
        for rate in rates:
            db = await _fresh(url)
            try:
                result = await run_load(
                    db, users=args.users, concurrency=args.concurrency, label=label, rate=rate
                )
            finally:
                await db.dispose()
            print("\n".join(result.lines()), flush=True)
            ok = ok and result.ok
            if rate is not None:
                if result.percentile(99) > P99_TARGET_MS:
                    break
                held = rate
        if args.rates:
            print(
                f"{label}: highest arrival rate with p99 <= {P99_TARGET_MS:g} ms: "
                + (f"{held:g} updates/s" if held else "none of those tried")
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
