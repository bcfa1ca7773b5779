"""Benchmark: delivery over real HTTP from ``python -m bot run`` pinned to one core, beside a bare
python-telegram-bot sender pinned the same way.

A Bot API server (:mod:`http_bot_api`, its own process, pinned to the other core when there is
one) answers every call through the local Bot API's rules. ``N`` messages are put in the outbox of
a prepared SQLite database while ``taskset -c 0 python -m bot run`` (paid broadcasts, 1,000
messages a second, the default aiohttp client) runs, once it is idle (its start-up work, the
search index built a second after start, done: the steady figure), and it drains them; "bot, at
start" puts them there before the bot starts, so that its start-up work falls in the span. Then
a bare ``telegram.Bot`` on the same client, pinned to the same core, sends ``N`` messages with as
many in flight as the worker (``DeliveryConfig.concurrency``). For each: messages a second from
the first to the last ``sendMessage`` the server saw, and the sending process's CPU per message
over that span (read from /proc, 10 ms ticks). The machine is shared: CPU per message is the
steadier figure.

    python tests/benchmarks/bench_wire_delivery.py [--messages 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import http_bot_api  # noqa: E402
from bench_startup import cpu_s, wait_for, wait_until_idle  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.db.engine import Database  # noqa: E402
from bot.delivery import outbox  # noqa: E402
from bot.delivery.worker import DeliveryConfig  # noqa: E402
from bot.runtime import prepare_database  # noqa: E402

TOKEN = "42:wire"
CHAT0 = 700_000_000
CORE = "0"

BARE = f"""
import asyncio, sys
CHAT0 = {CHAT0}
from telegram import Bot
from bot.transport.aiohttp_request import AiohttpRequest
async def main(base, n, in_flight):
    gate = asyncio.Semaphore(in_flight)
    async with Bot(sys.argv[1], base_url=base + "/bot", request=AiohttpRequest()) as bot:
        async def one(i):
            async with gate:
                await bot.send_message(CHAT0 + i, f"<b>Bus moved</b> to 9:30, recipient {{i}}",
                                       parse_mode="HTML")
        await asyncio.gather(*(one(i) for i in range(n)))
asyncio.run(main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
"""


async def fill_outbox(settings: Settings, n: int) -> None:
    db = Database.from_url(settings.effective_database_url)
    now = datetime.now(UTC)
    try:
        async with db.session() as session:
            await outbox.enqueue(
                session,
                [
                    outbox.Outgoing(
                        key=outbox.message_key("broadcast", CHAT0 + i, "wire"),
                        kind="broadcast",
                        chat_id=CHAT0 + i,
                        payload=outbox.text_message(f"<b>Bus moved</b> to 9:30, recipient {i}"),
                        due_at=now,
                    )
                    for i in range(n)
                ],
            )
    finally:
        await db.dispose()


def pinned(command: list[str]) -> list[str]:
    return ["taskset", "-c", CORE, *command]


def measure(process: subprocess.Popen[bytes], base: str, n: int) -> dict[str, float]:
    """Watch the server until it has seen ``n`` sendMessage calls."""
    deadline = time.monotonic() + 300
    cpu_first = None
    while True:
        stats = http_bot_api.stats(base)
        sent = stats["calls"].get("sendMessage", 0)
        if cpu_first is None and sent:
            cpu_first, sent_first = cpu_s(process.pid), sent
        if sent >= n:
            cpu_last = cpu_s(process.pid)
            break
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the sender stopped after {sent} of {n} messages")
        time.sleep(0.02)
    span = stats["last_send"] - stats["first_send"]
    counted = n - sent_first
    return {"rate": n / span, "cpu_ms": (cpu_last - cpu_first) * 1000 / counted}


def run_bot(n: int, env: dict[str, str], steady: bool) -> dict[str, float]:
    server, base = http_bot_api.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bot_env = {**env, "BOT_DATA_DIR": tmp, "BOT_API_BASE_URL": base}
            settings = Settings(_env_file=None, data_dir=Path(tmp))  # type: ignore[call-arg]
            asyncio.run(prepare_database(settings))
            bot = subprocess.Popen(
                pinned([sys.executable, "-m", "bot", "run"]),
                env=bot_env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                if steady:  # start-up work (the search index a second after start) done first
                    wait_for(lambda: http_bot_api.stats(base)["first_get_updates"], "getUpdates")
                    wait_until_idle(bot.pid)
                asyncio.run(fill_outbox(settings, n))
                return measure(bot, base, n)
            finally:
                bot.terminate()
                bot.wait(timeout=60)
    finally:
        server.terminate()
        server.wait()


def run_bare(n: int, env: dict[str, str], in_flight: int) -> dict[str, float]:
    server, base = http_bot_api.start()
    try:
        sender = subprocess.Popen(
            pinned([sys.executable, "-c", BARE, TOKEN, base, str(n), str(in_flight)]),
            env=env,
            cwd=ROOT,
        )
        try:
            return measure(sender, base, n)
        finally:
            sender.wait(timeout=120)
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_PAID_BROADCASTS="true",
        BOT_DELIVERY_RATE="1000",
        BOT_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    in_flight = DeliveryConfig().concurrency
    rows: dict[str, list[dict[str, float]]] = {
        "python -m bot run": [],
        "bot, at start": [],
        "bare PTB sender": [],
    }
    for _ in range(args.rounds):
        rows["python -m bot run"].append(run_bot(args.messages, env, steady=True))
        rows["bot, at start"].append(run_bot(args.messages, env, steady=False))
        rows["bare PTB sender"].append(run_bare(args.messages, env, in_flight))
    print(
        f"{args.messages} messages over HTTP on 127.0.0.1, sender pinned to core {CORE} "
        f"(taskset), {in_flight} in flight, {args.rounds} rounds (best of each):"
    )
    for name, runs in rows.items():
        best = min(runs, key=lambda r: r["cpu_ms"])
        print(
            f"  {name:<18} {max(r['rate'] for r in runs):7.0f} msg/s   "
            f"CPU {best['cpu_ms']:.3f} ms per message"
        )
    ours = min(r["cpu_ms"] for r in rows["python -m bot run"])
    bare = min(r["cpu_ms"] for r in rows["bare PTB sender"])
    print(f"  CPU per message, bot / bare sender: {ours / bare:.2f}x")
    print("targets: >= 950 msg/s at the 1,000/s setting, <= 0.7 ms CPU per message")
    return 0


if __name__ == "__main__":
    sys.exit(main())
