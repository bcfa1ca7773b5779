"""Webhook mode: a small Tornado server in front of the ``Application``.

``POST /telegram`` takes updates from Telegram; a request whose ``X-Telegram-Bot-Api-Secret-Token``
header is missing or wrong is refused with 403 before its body is even parsed. ``GET /health``
answers 200 when the database is reachable and 503 when it is not, for load balancers and
monitoring.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

from sqlalchemy import text
from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApp
from tornado.web import RequestHandler

from bot.app import BotApplication, services_of
from bot.runtime import running

log = logging.getLogger(__name__)

UPDATE_PATH = "/telegram"
HEALTH_PATH = "/health"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's updates are small; anything larger is not from Telegram.
MAX_BODY = 1_000_000
ALLOWED_UPDATES: list[str] = ["message", "edited_message", "callback_query", "my_chat_member"]


class _UpdateHandler(RequestHandler):
    def initialize(self, app: BotApplication, secret: str) -> None:  # type: ignore[override]
        self.app = app
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning(
                "webhook request with a missing or wrong secret from %s", self.request.remote_ip
            )
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        await self.app.update_queue.put(update)
        self.set_status(200)


class _HealthHandler(RequestHandler):
    def initialize(self, app: BotApplication) -> None:  # type: ignore[override]
        self.app = app

    async def get(self) -> None:
        db = services_of(self.app).db
        try:
            async with db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means "not healthy"; the reason is reported
            log.error("health check: database unreachable: %s", exc)
            self.set_status(503)
            self.finish({"status": "error", "database": "unreachable"})
            return
        self.finish({"status": "ok", "database": "ok"})


def make_server(app: BotApplication, secret: str) -> HTTPServer:
    web = TornadoApp(
        [
            (UPDATE_PATH, _UpdateHandler, {"app": app, "secret": secret}),
            (HEALTH_PATH, _HealthHandler, {"app": app}),
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
