"""A Bot API server over real HTTP for the benchmarks: the local Bot API behind an aiohttp server.

Every method call is checked and answered by :class:`~bot.transport.local_api.LocalBotApi` (so the
bot meets Telegram's checks over HTTP too); ``getUpdates`` long-polls a queue that the benchmark
fills through ``POST /control/updates`` (each update noted as Telegram hands it over: a press's
answer window opens, a person's message is known); ``GET /control/stats`` reports when the first
``getUpdates`` and the first and last ``sendMessage`` arrived (``time.time()``), how many calls
of each method were answered and the last ``getUpdates`` offset (the updates the bot has taken);
``GET /control/last`` the bot's newest message in each chat (to press its buttons).
Run it in its own process (:func:`start`) so that its CPU is not counted as the bot's.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _value(raw: str) -> Any:
    """A form value as PTB encodes it: JSON for everything but plain strings."""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    return value if isinstance(value, dict | list | bool) or raw.lstrip("-").isdigit() else raw


async def _serve(port: int) -> None:
    from aiohttp import web
    from telegram import Update
    from telegram.request import RequestData
    from telegram.request._requestparameter import RequestParameter

    from bot.transport.local_api import LocalBotApi

    api = LocalBotApi(keep_calls=False)
    queue: list[dict[str, Any]] = []
    arrived = asyncio.Event()
    stats: dict[str, Any] = {
        "first_get_updates": None,
        "first_send": None,
        "last_send": None,
        "calls": Counter(),
        "offset": 0,
    }

    async def method(request: web.Request) -> web.Response:
        name = request.match_info["method"]
        stats["calls"][name] += 1
        if name == "sendMessage":
            stats["last_send"] = time.time()
            if stats["first_send"] is None:
                stats["first_send"] = stats["last_send"]
        form = await request.post()
        params = {k: _value(v) for k, v in form.items() if isinstance(v, str)}
        if name == "getUpdates":
            return web.json_response({"ok": True, "result": await updates(params)})
        data = RequestData([RequestParameter(k, v, None) for k, v in params.items()])
        status, body = await api.do_request(str(request.url), "POST", data)
        return web.Response(status=status, body=body, content_type="application/json")

    async def updates(params: dict[str, Any]) -> list[dict[str, Any]]:
        if stats["first_get_updates"] is None:
            stats["first_get_updates"] = time.time()
        offset = int(params.get("offset") or 0)
        stats["offset"] = max(stats["offset"], offset)
        del queue[: sum(1 for u in queue if u["update_id"] < offset)]
        if not queue:
            arrived.clear()
            try:
                await asyncio.wait_for(arrived.wait(), float(params.get("timeout") or 0))
            except TimeoutError:
                return []
        return queue[:100]

    async def feed(request: web.Request) -> web.Response:
        fed = await request.json()
        for update in fed:
            api.deliver(Update.de_json(update, None))
        queue.extend(fed)
        arrived.set()
        return web.json_response({"queued": len(queue)})

    async def report(request: web.Request) -> web.Response:
        return web.json_response(stats)

    async def last(request: web.Request) -> web.Response:
        newest: dict[str, dict[str, Any]] = {}
        for (chat, message_id), message in api.messages.items():
            known = newest.get(str(chat))
            if message.get("from", {}).get("is_bot") and (
                known is None or known["message_id"] < message_id
            ):
                newest[str(chat)] = message
        return web.json_response(newest)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/bot{token}/{method}", method)
    app.router.add_post("/control/updates", feed)
    app.router.add_get("/control/stats", report)
    app.router.add_get("/control/last", last)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


def start() -> tuple[subprocess.Popen[str], str]:
    """The server process and its base URL (``BOT_API_BASE_URL``)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, str(port)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise RuntimeError("the Bot API server did not start")
    return process, f"http://127.0.0.1:{port}"


def stats(base: str) -> dict[str, Any]:
    return httpx.get(f"{base}/control/stats").json()


def last_messages(base: str) -> dict[int, dict[str, Any]]:
    """The bot's newest message in each chat."""
    return {int(k): v for k, v in httpx.get(f"{base}/control/last").json().items()}


def feed(base: str, updates: list[dict[str, Any]]) -> None:
    httpx.post(f"{base}/control/updates", json=updates).raise_for_status()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(_serve(int(sys.argv[1])))
