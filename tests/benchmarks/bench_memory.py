"""Benchmark: the memory of ``python -m bot run`` alone on a large programme, over HTTP.

The database (SQLite, migrated as ``python -m bot db upgrade`` does) holds the programme of
``bench_schedule.py``: 1,000 participants in 20 delegations, 2,000 events over 20 days around
today, and 200 linked people. The bot runs in its own process against the Bot API server over
HTTP (:mod:`http_bot_api`, another process), and those 200 people send 5,000 updates of the agenda
mix (/menu 30%, /today 25%, /next 20%, an event card pressed on the bot's last message in the
chat 20%, /calendar 5%), a round of one update each at a time. The bot's RSS is read from
``/proc`` at ready (its first ``getUpdates``), after the first round (every cache cold), and once
it has handled everything and is idle; with the peak (``VmHWM``) and the CPU it used.

    python tests/benchmarks/bench_memory.py [--updates 5000] [--root PATH]

``--root`` runs another checkout's bot (the code before a change) against the same scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_schedule  # noqa: E402
import http_bot_api  # noqa: E402
from bench_startup import cpu_s, rss_mb, wait_for, wait_until_idle  # noqa: E402

from bot.callbacks.agenda import EventCard  # noqa: E402
from bot.db.engine import Database  # noqa: E402

TOKEN = "42:memory"
PEOPLE = 200
TARGET_MB = 200


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def fill(url: str) -> dict[int, list[int]]:
    """The programme and the linked people on the migrated database; each visit's events."""
    bench_schedule.FIRST_DAY = date.today() - timedelta(days=3)  # the visit is on now
    db = Database.from_url(url)
    try:
        events = await bench_schedule.build_programme(db)
        await bench_schedule.link_users(db, PEOPLE)
    finally:
        await db.dispose()
    return events


class Updates:
    """Update dicts as Telegram sends them, numbered."""

    def __init__(self) -> None:
        self.next_id = 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def person(self, n: int) -> tuple[dict[str, Any], dict[str, Any]]:
        user_id = bench_schedule.USER0 + n
        language = ("uk", "sl", "en")[n % 3]
        user = {"id": user_id, "is_bot": False, "first_name": f"U{n}", "language_code": language}
        return user, {"id": user_id, "type": "private", "first_name": f"U{n}"}

    def text(self, n: int, text: str) -> dict[str, Any]:
        user, chat = self.person(n)
        update_id = self._id()
        command = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        message = {
            "message_id": 1_000_000 + update_id,
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
            "entities": [command],
        }
        return {"update_id": update_id, "message": message}

    def press(self, n: int, data: str, message: dict[str, Any]) -> dict[str, Any]:
        user, _chat = self.person(n)
        update_id = self._id()
        query = {
            "id": str(update_id),
            "from": user,
            "chat_instance": str(user["id"]),
            "data": data,
            "message": message,
        }
        return {"update_id": update_id, "callback_query": query}


def round_of(
    updates: Updates,
    events: dict[int, list[int]],
    screens: dict[int, dict[str, Any]],
    rng: random.Random,
) -> list[dict[str, Any]]:
    """One update from each person, of the mix."""
    made = []
    for n in range(PEOPLE):
        r = rng.random()
        screen = screens.get(bench_schedule.USER0 + n)
        if r < 0.30 or (0.75 <= r < 0.95 and screen is None):
            made.append(updates.text(n, "/menu"))
        elif r < 0.55:
            made.append(updates.text(n, "/today"))
        elif r < 0.75:
            made.append(updates.text(n, "/next"))
        elif r < 0.95 and screen is not None:
            event = rng.choice(events[n % bench_schedule.DELEGATIONS + 1])
            made.append(updates.press(n, EventCard(event).pack(), screen))
        else:
            made.append(updates.text(n, "/calendar"))
    return made


def run(root: Path, total: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    with tempfile.TemporaryDirectory() as tmp:
        env.update(BOT_TOKEN=TOKEN, BOT_LOG_LEVEL="WARNING", BOT_DATA_DIR=tmp)
        bot_cmd = [sys.executable, "-m", "bot"]
        subprocess.run([*bot_cmd, "db", "upgrade"], env=env, cwd=root, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        events = asyncio.run(fill(f"sqlite+aiosqlite:///{tmp}/bot.sqlite3"))
        server, base = http_bot_api.start()
        bot = subprocess.Popen(
            [*bot_cmd, "run"],
            env={**env, "BOT_API_BASE_URL": base},
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for(lambda: http_bot_api.stats(base)["first_get_updates"], "getUpdates")
            figures = {"ready_mb": rss_mb(bot.pid)}
            updates, rng, sent = Updates(), random.Random(2), 0
            first = True
            while sent < total:
                screens = http_bot_api.last_messages(base)
                batch = round_of(updates, events, screens, rng)[: total - sent]
                http_bot_api.feed(base, batch)
                sent += len(batch)
                last_id = batch[-1]["update_id"]
                wait_for(lambda: http_bot_api.stats(base)["offset"] > last_id, "the round")  # noqa: B023
                if first:
                    wait_until_idle(bot.pid, quiet=0.5)
                    figures["cold_mb"] = rss_mb(bot.pid)
                    first = False
            wait_until_idle(bot.pid)
            figures.update(after_mb=rss_mb(bot.pid), peak_mb=peak_mb(bot.pid), cpu_s=cpu_s(bot.pid))
            calls = http_bot_api.stats(base)["calls"]
            figures["answers"] = sum(calls.get(m, 0) for m in ("sendMessage", "editMessageText"))
        finally:
            bot.terminate()
            _, err = bot.communicate(timeout=60)
            server.terminate()
            server.wait()
        if bot.returncode not in (0, -15):
            raise RuntimeError(f"the bot failed:\n{err.decode()[-2000:]}")
        failures = [line for line in err.decode().splitlines() if "ERROR" in line]
        figures["errors"] = len(failures)
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose bot runs")
    args = parser.parse_args()
    f = run(args.root.resolve(), args.updates)
    print(
        f"python -m bot run ({args.root}), {bench_schedule.PARTICIPANTS} participants, "
        f"{bench_schedule.EVENTS} events, {PEOPLE} people, {args.updates} updates over HTTP "
        f"(load {os.getloadavg()[0]:.1f}): RSS at ready {f['ready_mb']:.0f} MB, after the first "
        f"round {f['cold_mb']:.0f} MB, after all {f['after_mb']:.0f} MB (peak {f['peak_mb']:.0f} "
        f"MB; target <= {TARGET_MB} MB); CPU {f['cpu_s']:.1f} s; {f['answers']:.0f} messages "
        f"sent or edited; {f['errors']:.0f} errors logged"
    )
    return 0 if f["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
