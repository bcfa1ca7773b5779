"""A Bot API server over real HTTP for the benchmarks: the local Bot API behind an aiohttp server.

Every method call is checked and answered by :class:`~bot.transport.local_api.LocalBotApi` (so the
bot meets Telegram's checks over HTTP too); ``getUpdates`` long-polls a queue that the benchmark
fills through ``POST /control/updates``; ``GET /control/stats`` reports when the first
``getUpdates`` arrived (``time.time()``) and how many calls of each method were answered.
Run it in its own process (:func:`start`) so that its CPU is not counted as the bot's.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import socket
import time
from collections import Counter
from typing import Any

import httpx


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


async def _serve(port: int, ready: Any) -> None:
    from aiohttp import web
    from telegram.request import RequestData
    from telegram.request._requestparameter import RequestParameter

    from bot.transport.local_api import LocalBotApi

    api = LocalBotApi(keep_calls=False)
    queue: list[dict[str, Any]] = []
    arrived = asyncio.Event()
    stats: dict[str, Any] = {"first_get_updates": None, "calls": Counter()}

    async def method(request: web.Request) -> web.Response:
        name = request.match_info["method"]
        stats["calls"][name] += 1
        form = await request.post()
        params = {k: _value(v) for k, v in form.items() if isinstance(v, str)}
        if name == "getUpdates":
            return web.json_response({"ok": True, "result": await updates(params)})
        data = RequestData([RequestParameter(k, v) for k, v in params.items()])
        status, body = await api.do_request(str(request.url), "POST", data)
        return web.Response(status=status, body=body, content_type="application/json")

    async def updates(params: dict[str, Any]) -> list[dict[str, Any]]:
        if stats["first_get_updates"] is None:
            stats["first_get_updates"] = time.time()
        offset = int(params.get("offset") or 0)
        del queue[: sum(1 for u in queue if u["update_id"] < offset)]
        if not queue:
            arrived.clear()
            try:
                await asyncio.wait_for(arrived.wait(), float(params.get("timeout") or 0))
            except TimeoutError:
                return []
        return queue[:100]

    async def feed(request: web.Request) -> web.Response:
        queue.extend(await request.json())
        arrived.set()
        return web.json_response({"queued": len(queue)})

    async def report(request: web.Request) -> web.Response:
        return web.json_response(stats)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/bot{token}/{method}", method)
    app.router.add_post("/control/updates", feed)
    app.router.add_get("/control/stats", report)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    ready.set()
    await asyncio.Event().wait()


def _main(port: int, ready: Any) -> None:
    asyncio.run(_serve(port, ready))


def start() -> tuple[Any, str]:
    """The server process and its base URL (``BOT_API_BASE_URL``)."""
    port = free_port()
    ready = mp.get_context("spawn").Event()
    process = mp.get_context("spawn").Process(target=_main, args=(port, ready), daemon=True)
    process.start()
    if not ready.wait(60):
        raise RuntimeError("the Bot API server did not start")
    return process, f"http://127.0.0.1:{port}"


def stats(base: str) -> dict[str, Any]:
    return httpx.get(f"{base}/control/stats").json()


def feed(base: str, updates: list[dict[str, Any]]) -> None:
    httpx.post(f"{base}/control/updates", json=updates).raise_for_status()
