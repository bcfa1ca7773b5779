"""Benchmark: start-up time and memory of ``python -m bot run`` against a Bot API server over HTTP.

The Bot API server (:mod:`http_bot_api`, its own process) answers every call; "ready" is the
moment the bot's first ``getUpdates`` arrives, counted from the moment the process was started,
and the RSS is read from ``/proc`` then. After that, four coordinators ask a question each in
Ukrainian, Slovenian, English and Russian: the first alone (the time until its answer arrives is
the first answer's latency: the search index is built then), the others after its answer; the RSS
is read again once the four answers were sent. "restart, idle" asks the first question only once
the process has used no CPU for a second (its start-up work done), as a person would ask a while
after a restart; CPU figures come from /proc (10 ms ticks).
Three starts each, in turns: the bot with an empty data folder (migrations and the demo programme
first), the bot again on that database (a restart), and a bare python-telegram-bot echo bot on the
same server as the baseline of the same run. Medians and ratios are printed (the machine is shared).

    python tests/benchmarks/bench_startup.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import http_bot_api  # noqa: E402

TOKEN = "42:startup"
USERS = {1001: ("uk", "Де наш готель?"), 1002: ("sl", "Kje je hotel?"),
         1003: ("en", "Where is the hotel?"), 1004: ("ru", "Где гостиница?")}  # fmt: skip

ECHO = """
from telegram.ext import ApplicationBuilder, MessageHandler, filters
import sys
async def echo(update, context):
    await update.message.reply_text(update.message.text)
app = ApplicationBuilder().token(sys.argv[1]).base_url(sys.argv[2] + "/bot").build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling()
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far: not stretched by a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def questions(first_id: int) -> list[dict[str, Any]]:
    updates = []
    for n, (user_id, (lang, text)) in enumerate(USERS.items()):
        user = {"id": user_id, "is_bot": False, "first_name": f"C{n}", "language_code": lang}
        chat = {"id": user_id, "type": "private", "first_name": f"C{n}"}
        message = {"message_id": n + 1, "date": int(time.time()), "chat": chat, "from": user}
        updates.append({"update_id": first_id + n, "message": {**message, "text": text}})
    return updates


def wait_for(condition: Any, what: str, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.01)


def wait_until_idle(pid: int, quiet: float = 1.0, limit: float = 60.0) -> None:
    """Until the process has used no CPU for ``quiet`` seconds (its start-up work is done)."""
    deadline = time.monotonic() + limit
    last = cpu_s(pid)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu_s(pid)
        if now - last < 0.02:
            return
        last = now


def one_start(
    command: list[str], env: dict[str, str], ask: bool, settle: bool = False
) -> dict[str, float]:
    server, base = http_bot_api.start()
    try:
        started = time.time()
        bot = subprocess.Popen(
            [*command, base] if command[1] == "-c" else command,
            env={**env, "BOT_API_BASE_URL": base},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for(lambda: http_bot_api.stats(base)["first_get_updates"], "getUpdates")
            figures = {
                "ready_s": http_bot_api.stats(base)["first_get_updates"] - started,
                "rss_mb": rss_mb(bot.pid),
                "cpu_s": cpu_s(bot.pid),
            }
            if ask:
                first, *others = questions(1)
                if settle:
                    wait_until_idle(bot.pid)
                asked, cpu_before = time.time(), cpu_s(bot.pid)
                http_bot_api.feed(base, [first])
                wait_for(lambda: http_bot_api.stats(base)["first_send"], "the first answer")
                figures["first_answer_ms"] = (http_bot_api.stats(base)["first_send"] - asked) * 1000
                figures["first_answer_cpu_ms"] = (cpu_s(bot.pid) - cpu_before) * 1000
                http_bot_api.feed(base, others)
                wait_for(
                    lambda: http_bot_api.stats(base)["calls"].get("sendMessage", 0) >= len(USERS),
                    "the answers",
                )
                figures["rss_after_mb"] = rss_mb(bot.pid)
        finally:
            bot.terminate()
            _, err = bot.communicate(timeout=60)
        if bot.returncode not in (0, -15):
            raise RuntimeError(f"the bot failed:\n{err.decode()[-2000:]}")
        return figures
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TOKEN=TOKEN, BOT_COORDINATOR_IDS=",".join(map(str, USERS)), BOT_LOG_LEVEL="WARNING"
    )
    runs: dict[str, list[dict[str, float]]] = {
        "first start": [],
        "restart": [],
        "restart, idle": [],
        "PTB echo": [],
    }
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            bot_env = {**env, "BOT_DATA_DIR": tmp}
            bot = [sys.executable, "-m", "bot", "run"]
            runs["first start"].append(one_start(bot, bot_env, ask=False))
            runs["restart"].append(one_start(bot, bot_env, ask=True))
            runs["restart, idle"].append(one_start(bot, bot_env, ask=True, settle=True))
        runs["PTB echo"].append(one_start([sys.executable, "-c", ECHO, TOKEN], env, ask=False))
    medians = {
        name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()
    }
    print(
        f"python -m bot run against a Bot API server over HTTP, {args.rounds} starts each, medians:"
    )
    for name, m in medians.items():
        after = (
            f"   after 4 questions (uk, sl, en, ru) {m['rss_after_mb']:.0f} MB; "
            f"first answer {m['first_answer_ms']:.0f} ms after the question "
            f"(CPU {m['first_answer_cpu_ms']:.0f} ms)"
            if "rss_after_mb" in m
            else ""
        )
        print(
            f"  {name:<13} ready {m['ready_s']:.2f} s (CPU {m['cpu_s']:.2f} s)   "
            f"RSS {m['rss_mb']:.0f} MB{after}"
        )
    echo = medians["PTB echo"]
    for name in ("first start", "restart"):
        print(
            f"  {name} / PTB echo: ready {medians[name]['ready_s'] / echo['ready_s']:.2f}x, "
            f"CPU {medians[name]['cpu_s'] / echo['cpu_s']:.2f}x, "
            f"RSS {medians[name]['rss_mb'] / echo['rss_mb']:.2f}x"
        )
    print(
        "targets: ready <= 1.5 s, RSS <= 120 MB, <= 150 MB after the questions, "
        "first answer <= 100 ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
