"""Benchmark: one broadcast through the outbox and the delivery worker, at Telegram's speed limit.

Each worker runs in its own process with its own ``Application`` on a :class:`LocalBotApi` that
enforces the configured rate (a sliding one-second window; over it: 429) and injects
about 1% 429 answers (retry after 1 s), 2% blocked users (403) and 0.5% time-outs. Every call is
appended to a per-process log file (``os.write``, so it survives SIGKILL); the parent counts
deliveries per recipient from those files.

Run 1: clean. Prints achieved rate / configured rate (target >= 0.95), lost (0), duplicated (0).
Run 2: the (first) worker process is killed with SIGKILL half-way and started again. Prints the
in-flight window (rows the killed process had claimed but not recorded), how soon they were
claimed again (the restarted worker sees the dead one's process gone: at once, not after the
60-second lease), lost (0) and duplicated (target: no more than the window).

    python tests/benchmarks/bench_delivery.py [--quick] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import signal
import socket
import sys
import tempfile
import time
import zlib
from collections import Counter, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

PG_URL = os.environ.get(
    "BOT_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/mentoring_bench"
)
CHAT0 = 500_000_000
BLOCKED_PER_MILLE = 20


def blocked(chat_id: int) -> bool:
    """2% of recipients blocked the bot; the same ones in every process."""
    return zlib.crc32(str(chat_id).encode()) % 1000 < BLOCKED_PER_MILLE


# -- the child: one bot process draining the outbox


class FakeTelegram:
    """The fault hook: the rate Telegram enforces, and the answers of a real network."""

    def __init__(self, rate: float, log_path: Path, seed: int) -> None:
        self.rate = rate
        self.window: deque[float] = deque()
        self.random = random.Random(seed)
        self.fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def log(self, kind: str, chat_id: int) -> None:
        os.write(self.fd, f"{kind} {chat_id} {time.time():.6f}\n".encode())

    def __call__(self, method: str, params: dict[str, Any]) -> Any:
        from telegram.error import TimedOut

        from bot.transport.local_api import ApiError

        if method != "sendMessage":
            return None
        chat_id = int(params["chat_id"])
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if len(self.window) >= self.rate:
            self.log("O", chat_id)  # over the rate
            return ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self.window.append(now)
        roll = self.random.random()
        if roll < 0.01:
            self.log("R", chat_id)
            return ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        if blocked(chat_id):
            self.log("B", chat_id)
            return ApiError(403, "Forbidden: bot was blocked by the user")
        if roll < 0.015:
            self.log("T", chat_id)
            raise TimedOut("Timed out")
        return None

    def delivered(self, call: Any) -> None:
        if call.method == "sendMessage" and call.error is None and call.result is not None:
            self.log("D", call.chat_id)


def child(url: str, worker_id: str, rate: float, log_path: str, seed: int, start: Any) -> None:
    asyncio.run(_child(url, worker_id, rate, Path(log_path), seed, start))


async def _child(
    url: str, worker_id: str, rate: float, log_path: Path, seed: int, start: Any
) -> None:
    from telegram.ext import ApplicationBuilder

    from bot.db.engine import Database
    from bot.db.models import OutboxMessage
    from bot.delivery.pacing import Limits
    from bot.delivery.worker import DeliveryConfig, DeliveryWorker
    from bot.infra.clock import Clock
    from bot.transport.local_api import LocalBotApi

    fake = FakeTelegram(rate, log_path, seed)
    api = LocalBotApi(fault=fake, on_call=fake.delivered, keep_calls=False)
    app = ApplicationBuilder().token("1:x").request(api).get_updates_request(api).build()
    await app.initialize()
    db = Database.from_url(url)
    config = DeliveryConfig(
        limits=Limits(rate=rate, burst=max(1.0, rate / 50)),
        max_attempts=5,
        backoff_base=0.2,
        lease=60.0,  # a crashed worker's rows are taken over at once (heartbeat), not after this
        poll_interval=0.2,
        paid_broadcasts=True,
    )
    identity = f"{socket.gethostname()}:{os.getpid()}:{worker_id}"  # as the bot names its worker
    worker = DeliveryWorker(db, Clock(), config, worker_id=identity)
    if start is not None:  # all first processes begin together
        await asyncio.to_thread(start.wait)
    await worker.start(app)
    waiting = select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))
    while True:
        await asyncio.sleep(0.2)
        async with db.session() as s:
            if not await s.scalar(waiting):
                break
    await worker.stop()
    await app.shutdown()
    await db.dispose()


# -- the parent


@dataclass
class Figures:
    calls: int
    delivered: Counter[int]
    kinds: Counter[str]
    first: float
    last: float
    backlog_end: float  # when the last recipient got its first call
    backlog_calls: int  # calls made until then
    busiest_second: int  # the most calls, all processes together, in any one-second window

    @property
    def rate(self) -> float:
        return self.calls / max(1e-9, self.last - self.first)


def read_logs(paths: list[Path]) -> Figures:
    delivered: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    stamps: list[float] = []
    first_call: dict[int, float] = {}
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            kind, chat, stamp = line.split()
            chat_id, t = int(chat), float(stamp)
            kinds[kind] += 1
            stamps.append(t)
            first_call[chat_id] = min(t, first_call.get(chat_id, t))
            if kind == "D":
                delivered[chat_id] += 1
    stamps.sort()
    busiest, start = 0, 0
    for end, t in enumerate(stamps):
        while stamps[start] <= t - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    backlog_end = max(first_call.values()) if first_call else 0.0
    return Figures(
        calls=len(stamps),
        delivered=delivered,
        kinds=kinds,
        first=stamps[0] if stamps else 0.0,
        last=stamps[-1] if stamps else 0.0,
        backlog_end=backlog_end,
        backlog_calls=sum(1 for t in stamps if t <= backlog_end),
        busiest_second=busiest,
    )


async def prepare(url: str, n: int) -> None:
    from bot.db import models  # noqa: F401
    from bot.db.base import Base
    from bot.db.engine import Database
    from bot.delivery.outbox import Outgoing, enqueue, message_key, text_message

    db = Database.from_url(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    now = datetime.now(UTC)
    items = [
        Outgoing(
            key=message_key("broadcast", CHAT0 + i, "b1"),
            kind="broadcast",
            chat_id=CHAT0 + i,
            payload=text_message(f"<b>Bus moved</b> to 9:30, recipient {i}"),
            due_at=now,
            broadcast_id=1,
        )
        for i in range(n)
    ]
    async with db.session() as s:
        await enqueue(s, items)
    await db.dispose()


async def outbox_figures(url: str, claimed_by: str | None = None) -> Counter[str]:
    from bot.db.engine import Database
    from bot.db.models import OutboxMessage

    db = Database.from_url(url)
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if claimed_by is not None:
        query = query.where(OutboxMessage.claimed_by == claimed_by)
    async with db.session() as s:
        result = Counter({status: n for status, n in (await s.execute(query)).all()})
    await db.dispose()
    return result


def ensure_pg_database(url: str) -> bool:
    import asyncpg

    parsed = make_url(url)

    async def create() -> None:
        admin = parsed.set(database="postgres").render_as_string(hide_password=False)
        conn = await asyncpg.connect(admin.replace("postgresql+asyncpg", "postgresql"))
        try:
            exists = await conn.fetchval(
                "SELECT 1 FROM pg_database WHERE datname = $1", parsed.database
            )
            if not exists:
                await conn.execute(f'CREATE DATABASE "{parsed.database}"')
        finally:
            await conn.close()

    try:
        asyncio.run(create())
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL not reachable ({exc}); skipped")
        return False
    return True


def start(ctx: Any, url: str, name: str, rate: float, log: Path, seed: int, go: Any) -> Any:
    process = ctx.Process(target=child, args=(url, name, rate, str(log), seed, go), name=name)
    process.start()
    return process


def run(label: str, url: str, n: int, rate: float, workers: int, crash: bool, tmp: Path) -> bool:
    ctx = mp.get_context("spawn")
    asyncio.run(prepare(url, n))
    # On PostgreSQL the workers share the configured rate through the database (each may use all
    # of it); on SQLite (one process) the one worker has it alone.
    share = rate
    logs = [tmp / f"{label}-{'crash' if crash else 'clean'}-{i}.log" for i in range(workers)]
    go = ctx.Barrier(workers + 1)
    processes = [start(ctx, url, f"w{i}", share, logs[i], i, go) for i in range(workers)]
    go.wait()
    window, taken_after = 0, 0.0
    if crash:
        while sum(read_logs(logs).delivered.values()) < n // 2:
            time.sleep(0.05)
        killed = f"{socket.gethostname()}:{processes[0].pid}:w0"
        os.kill(processes[0].pid, signal.SIGKILL)
        processes[0].join()
        killed_at = time.monotonic()
        window = asyncio.run(outbox_figures(url, claimed_by=killed))["sending"]
        restart_log = tmp / f"{label}-crash-restart.log"
        logs.append(restart_log)
        processes[0] = start(ctx, url, "w0-restarted", share, restart_log, 99, None)
        while asyncio.run(outbox_figures(url, claimed_by=killed))["sending"]:
            time.sleep(0.05)
        taken_after = time.monotonic() - killed_at
    for process in processes:
        process.join(timeout=600)
    figures = read_logs(logs)
    statuses = asyncio.run(outbox_figures(url))
    expected_blocked = sum(blocked(CHAT0 + i) for i in range(n))
    reachable = {CHAT0 + i for i in range(n) if not blocked(CHAT0 + i)}
    lost = len(reachable - set(figures.delivered))
    duplicated = sum(c - 1 for c in figures.delivered.values() if c > 1)
    backlog_rate = figures.backlog_calls / max(1e-9, figures.backlog_end - figures.first)
    title = f"{label}, {workers} worker process{'es' if workers > 1 else ''}"
    print(f"\n== {title}, {'SIGKILL half-way + restart' if crash else 'clean run'} ==")
    print(
        f"recipients {n}, configured rate {rate:.0f}/s (shared by the processes); busiest "
        f"one-second window, all processes together: {figures.busiest_second} calls"
    )
    print(
        f"calls {figures.calls}: delivered {figures.kinds['D']}, 429 injected "
        f"{figures.kinds['R']}, 429 over-rate {figures.kinds['O']}, blocked {figures.kinds['B']}, "
        f"time-outs {figures.kinds['T']}"
    )
    print(f"rows: {dict(sorted(statuses.items()))} (expected unreachable {expected_blocked})")
    print(
        f"achieved/configured: {backlog_rate / rate:.3f} while the backlog lasted "
        f"({figures.backlog_end - figures.first:.2f} s), {figures.rate / rate:.3f} end to end "
        f"({figures.last - figures.first:.2f} s, incl. the retry-after tail)"
    )
    if crash:
        print(
            f"in-flight window at the kill: {window} rows; all of them claimed again "
            f"{taken_after:.1f} s after the kill (restart included; the lease is 60 s)"
        )
    print(f"lost {lost}, duplicated {duplicated}")
    ok = lost == 0 and duplicated <= window and statuses["unreachable"] == expected_blocked
    return ok and (crash or backlog_rate / rate >= 0.95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 recipients instead of 10,000")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rate", type=float, default=1000.0, help="configured messages/s")
    parser.add_argument("--recipients", type=int, default=None)
    args = parser.parse_args()
    n = args.recipients or (2000 if args.quick else 10_000)
    ok = True
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        targets: list[tuple[str, str, int]] = []
        if args.db in ("sqlite", "both"):
            targets.append(("SQLite", f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}", 1))
        if args.db in ("postgresql", "both") and ensure_pg_database(PG_URL):
            targets.append(("PostgreSQL", PG_URL, 2))
        for label, url, workers in targets:
            for crash in (False, True):
                ok = run(label, url, n, args.rate, workers, crash, tmp) and ok
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
