"""Prometheus metrics (the official ``prometheus-client``), served on ``/metrics``.

Counters and the latency histogram are updated where things happen (the update processor, the
error handler, the delivery worker, the questions service); the gauges that describe the database
(outbox depth, age of the oldest due row, connection pool) are set by
:func:`bot.infra.status.refresh_gauges` when the endpoint is scraped. This module imports nothing
of the bot, so any layer may count.
Names follow Prometheus' conventions: ``mentoring_bot_`` prefix, base units, ``_total`` counters.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client import generate_latest as _generate

PREFIX = "mentoring_bot"

UPDATES = Counter(f"{PREFIX}_updates", "Updates handled, by kind.", ["kind"])
UPDATE_SECONDS = Histogram(
    f"{PREFIX}_update_seconds",
    "Time to handle one update, from the processor taking it to the last handler's end.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter(f"{PREFIX}_errors", "Updates whose handling raised an error.")
DELIVERIES = Counter(
    f"{PREFIX}_deliveries",
    "Outbox send attempts by result: sent, 429 (held by flood control), blocked, failed, retry.",
    ["result"],
)
QUESTIONS = Counter(
    f"{PREFIX}_questions",
    "Free-text questions by outcome: answered by the bot, declined, passed on to the coordinators.",
    ["outcome"],
)
OUTBOX_DEPTH = Gauge(f"{PREFIX}_outbox_depth", "Outbox rows waiting or in flight.")
OUTBOX_OLDEST_DUE = Gauge(
    f"{PREFIX}_outbox_oldest_due_age_seconds",
    "How long the oldest due outbox row has waited (0 when none is due).",
)
DB_POOL = Gauge(
    f"{PREFIX}_db_pool_connections",
    "Database connection pool: size, checked_out, overflow.",
    ["state"],
)

#: What a worker outcome is called in :data:`DELIVERIES`.
DELIVERY_RESULTS = {
    "sent": "sent",
    "postpone": "429",
    "unreachable": "blocked",
    "failed": "failed",
    "retry": "retry",
}


def update_kind(update: object) -> str:
    """``command``, ``message``, ``callback_query``, ``edited_message``, ``my_chat_member``..."""
    for kind in ("callback_query", "edited_message", "my_chat_member", "message"):
        value = getattr(update, kind, None)
        if value is not None:
            text = getattr(value, "text", None) if kind == "message" else None
            return "command" if text and text.startswith("/") else kind
    return "other"


def exposition() -> tuple[bytes, str]:
    """The text exposition of every registered metric, and its content type."""
    return _generate(REGISTRY), CONTENT_TYPE_LATEST
