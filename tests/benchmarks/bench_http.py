"""Benchmark: CPU per Bot API call of the HTTP clients, against a Bot API server over real HTTP.

A minimal Bot API server (aiohttp, in its own process, so its CPU is not counted) answers every
``sendMessage`` like Telegram. In this process a bare ``telegram.Bot`` sends N messages with C in
flight, on PTB's default ``HTTPXRequest``, on httpx keeping all connections alive and on our
``AiohttpRequest``, in turns, and
the figures are this process's CPU time (user + system) per message and the messages a second.
The ratios to aiohttp's CPU are the figures to quote: the machine is shared, absolute times drift.

    python tests/benchmarks/bench_http.py [--messages 3000] [--in-flight 8,100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import socket
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TOKEN = "42:bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, ready: Any) -> None:
    """A Bot API server that answers every method with a sent message."""
    import json

    from aiohttp import web

    chat = {"id": 7, "type": "private", "first_name": "A"}
    body = json.dumps(
        {"ok": True, "result": {"message_id": 1, "date": 0, "chat": chat, "text": "hi"}}
    ).encode()

    async def method(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=body, content_type="application/json")

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", method)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


async def send_all(request: Any, base: str, messages: int, in_flight: int) -> tuple[float, float]:
    """(CPU seconds per message, messages a second) of one client."""
    from telegram import Bot

    bot = Bot(TOKEN, base_url=f"{base}/bot", request=request)
    await request.initialize()
    await bot.send_message(7, "warm-up")
    queue = iter(range(messages))

    async def sender() -> None:
        for n in queue:
            await bot.send_message(7, f"message {n}")

    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(in_flight)))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    await request.shutdown()
    return cpu / messages, messages / wall


def clients() -> dict[str, Any]:
    """Each client by name: a function of the number of requests in flight."""
    import httpx
    from telegram.request import HTTPXRequest

    from bot.transport.aiohttp_request import AiohttpRequest

    def tuned(size: int) -> HTTPXRequest:
        """httpx keeping every connection alive (its default keeps 20), HTTP/1.1 only."""
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        return HTTPXRequest(connection_pool_size=size, httpx_kwargs={"limits": limits})

    return {
        "httpx": lambda size: HTTPXRequest(connection_pool_size=size),
        "httpx tuned": tuned,
        "aiohttp": lambda size: AiohttpRequest(connection_pool_size=size),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--in-flight", default="8,100")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    port = _free_port()
    ready = mp.Event()
    server = mp.Process(target=serve, args=(port, ready), daemon=True)
    server.start()
    ready.wait(30)
    base = f"http://127.0.0.1:{port}"
    try:
        for in_flight in (int(n) for n in args.in_flight.split(",")):
            figures: dict[str, list[tuple[float, float]]] = {name: [] for name in clients()}
            for _ in range(args.rounds):
                for name, kind in clients().items():
                    request = kind(max(in_flight, 1))
                    figures[name].append(
                        asyncio.run(send_all(request, base, args.messages, in_flight))
                    )
            cpu = {n: statistics.median(c for c, _ in f) for n, f in figures.items()}
            rate = {n: statistics.median(r for _, r in f) for n, f in figures.items()}
            print(
                f"{in_flight} in flight, {args.messages} messages x {args.rounds} rounds, medians:"
            )
            for name in figures:
                print(
                    f"  {name:<12} {cpu[name] * 1e3:6.3f} ms CPU/msg  {rate[name]:6.0f} msg/s  "
                    f"CPU / aiohttp's {cpu[name] / cpu['aiohttp']:5.2f}x"
                )
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
