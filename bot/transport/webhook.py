"""Webhook mode: a small Tornado server in front of the ``Application``.

``POST /telegram`` takes updates from Telegram. Only the request line and the headers are read
before the ``X-Telegram-Bot-Api-Secret-Token`` header is checked: a request whose secret is
missing or wrong is refused with 403 and its body is never read (the connection is closed). A
body that is not a JSON object, or not an update, gets 400. Both are logged as one warning line,
at most once a minute per kind (with the number of others since), so a flood of bad requests
cannot flood the log. ``GET /health``
(:mod:`bot.infra.http`) answers 200 when the database is reachable and 503 when
it is not, for load balancers and monitoring.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import time

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApp
from tornado.web import RequestHandler, stream_request_body

from bot.app import BotApplication
from bot.infra.http import health_route
from bot.infra.services import services_of
from bot.runtime import running

log = logging.getLogger(__name__)

UPDATE_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's updates are small; anything larger is not from Telegram.
MAX_BODY = 1_000_000
ALLOWED_UPDATES: list[str] = ["message", "edited_message", "callback_query", "my_chat_member"]


class _Warnings:
    """One warning line per kind at most every ``interval`` seconds, counting the others."""

    def __init__(self, interval: float = 60.0) -> None:
        self.interval = interval
        self._last: dict[str, float] = {}
        self._quiet: dict[str, int] = {}

    def warn(self, kind: str, message: str, *args: object) -> None:
        now = time.monotonic()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self._quiet[kind] = self._quiet.get(kind, 0) + 1
            return
        others = self._quiet.pop(kind, 0)
        self._last[kind] = now
        if others:
            message += f" ({others} more since the last such warning)"
        log.warning(message, *args)


@stream_request_body
class _UpdateHandler(RequestHandler):
    def initialize(  # type: ignore[override]
        self, app: BotApplication, secret: str, warnings: _Warnings
    ) -> None:
        self.app = app
        self.secret = secret
        self.warnings = warnings
        self.chunks: list[bytes] = []

    def prepare(self) -> None:
        """Runs on the headers alone: a wrong secret is refused before the body is read."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.warnings.warn(
                "secret",
                "webhook request with a missing or wrong secret from %s",
                self.request.remote_ip,
            )
            self.set_status(403)
            self.finish()

    def data_received(self, chunk: bytes) -> None:
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
            if not isinstance(data, dict):
                raise TypeError(f"a JSON {type(data).__name__}, not an object")
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:
            self.warnings.warn(
                "body", "webhook body is not an update (%s) from %s", exc, self.request.remote_ip
            )
            self.set_status(400)
            return
        await self.app.update_queue.put(update)
        self.set_status(200)


def make_server(app: BotApplication, secret: str) -> HTTPServer:
    web = TornadoApp(
        [
            (UPDATE_PATH, _UpdateHandler, {"app": app, "secret": secret, "warnings": _Warnings()}),
            health_route(services_of(app)),
        ]
    )
    return HTTPServer(web, max_body_size=MAX_BODY)


async def serve(app: BotApplication, *, host: str, port: int, public_url: str, secret: str) -> None:
    """Register the webhook with Telegram and serve until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(app):
        server = make_server(app, secret)
        server.listen(port, address=host)
        await app.bot.set_webhook(
            url=f"{public_url}{UPDATE_PATH}",
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("webhook listening on %s:%s for %s", host, port, public_url)
        await stop.wait()
        server.stop()
        await server.close_all_connections()
    log.info("webhook stopped")
