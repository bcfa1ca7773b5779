"""The monitoring endpoints: ``GET /health`` and, when enabled, ``GET /metrics``.

``/health`` answers 200 when the database is reachable and 503 when it is not. It is served by
the webhook server in webhook mode, and in any mode on ``BOT_HEALTH_LISTEN`` when that is set,
together with ``/metrics`` (Prometheus text format) when ``BOT_METRICS`` is true. The monitoring
server is started and stopped with the application (:func:`start_monitoring`,
:func:`stop_monitoring`), so long polling has it too.
"""

from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING, Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as TornadoApp
from tornado.web import RequestHandler

from bot.infra import metrics
from bot.infra.status import database_ok, refresh_gauges

if TYPE_CHECKING:
    from bot.infra.services import Services

log = logging.getLogger(__name__)

HEALTH_PATH = "/health"
METRICS_PATH = "/metrics"


class HealthHandler(RequestHandler):
    def initialize(self, services: Services) -> None:  # type: ignore[override]
        self.services = services

    async def get(self) -> None:
        if not await database_ok(self.services.db):
            log.error("health check: database unreachable")
            self.set_status(503)
            self.finish({"status": "error", "database": "unreachable"})
            return
        self.finish({"status": "ok", "database": "ok"})


class MetricsHandler(RequestHandler):
    def initialize(self, services: Services) -> None:  # type: ignore[override]
        self.services = services

    async def get(self) -> None:
        try:
            await refresh_gauges(self.services.db, self.services.clock)
        except Exception:  # the counters are still worth serving; the gauges keep old values
            log.exception("metrics: could not read the database gauges")
        body, content_type = metrics.exposition()
        self.set_header("Content-Type", content_type)
        self.finish(body)


def health_route(services: Services) -> tuple[str, type[RequestHandler], dict[str, Any]]:
    return (HEALTH_PATH, HealthHandler, {"services": services})


class MonitoringServer:
    """The HTTP server of ``BOT_HEALTH_LISTEN``; :attr:`port` is the port it bound."""

    def __init__(self, services: Services) -> None:
        routes: list[Any] = [health_route(services)]
        if services.settings.metrics:
            routes.append((METRICS_PATH, MetricsHandler, {"services": services}))
        self.server = HTTPServer(TornadoApp(routes))
        self.port = 0

    def listen(self, host: str, port: int) -> None:
        sockets = bind_sockets(port, address=host, family=socket.AF_UNSPEC)
        self.port = sockets[0].getsockname()[1]
        self.server.add_sockets(sockets)

    async def close(self) -> None:
        self.server.stop()
        await self.server.close_all_connections()


async def start_monitoring(app: Any, services: Services) -> None:
    """Serve ``/health`` (and ``/metrics``) on ``BOT_HEALTH_LISTEN``, when it is set."""
    listen = services.settings.health_listen
    if not listen:
        return
    host, _, port = listen.rpartition(":")
    server = MonitoringServer(services)
    server.listen(host.strip("[]"), int(port))
    services.monitoring = server
    log.info(
        "monitoring on %s:%s (%s)",
        host,
        server.port,
        "health, metrics" if services.settings.metrics else "health",
    )


async def stop_monitoring(app: Any, services: Services) -> None:
    server, services.monitoring = services.monitoring, None
    if server is not None:
        await server.close()


def monitoring_port(services: Services) -> int | None:
    """The port the monitoring server bound (tests listen on port 0)."""
    server = services.monitoring
    return server.port if server is not None else None
