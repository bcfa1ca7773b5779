"""Logging: one line per event, as text or JSON lines, with the update's ids, levels per area.

Every record logged while an update is handled carries that update's ``update_id``, ``chat_id``
and ``user_id`` (set by :func:`update_scope`, which the application wraps around each update);
message texts are never added. ``BOT_LOG_FORMAT=json`` writes one JSON object per line (for
journald, Loki, Elasticsearch ...); the text format keeps each event on one line too, with a
traceback's line breaks written as ``\\n``. ``BOT_LOG_LEVELS`` sets levels per logger ("area"),
e.g. ``bot.delivery=DEBUG,telegram=WARNING``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: The ids of the update being handled (empty outside an update).
_update: ContextVar[Mapping[str, int]] = ContextVar("log_update", default={})  # noqa: B039

#: Loggers that are chatty at INFO (every HTTP request): quieter unless BOT_LOG_LEVELS says.
QUIET = {"httpx": "WARNING", "apscheduler": "WARNING"}
FIELDS = ("update_id", "chat_id", "user_id")


@contextmanager
def update_scope(update: object) -> Iterator[None]:
    """Attach ``update``'s ids (never its text) to every record logged inside the block."""
    ids: dict[str, int] = {}
    update_id = getattr(update, "update_id", None)
    if update_id is not None:
        ids["update_id"] = update_id
    chat = getattr(update, "effective_chat", None)
    user = getattr(update, "effective_user", None)
    if chat is not None:
        ids["chat_id"] = chat.id
    if user is not None:
        ids["user_id"] = user.id
    token = _update.set(ids)
    try:
        yield
    finally:
        _update.reset(token)


class _UpdateIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _update.get().items():
            setattr(record, name, value)
        return True


class TextFormatter(logging.Formatter):
    """``time level logger: message [update_id=… chat_id=…]`` on one line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = " ".join(f"{f}={getattr(record, f)}" for f in FIELDS if hasattr(record, f))
        if ids:
            line = f"{line} [{ids}]"
        return line.replace("\n", "\\n")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the update's ids, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def parse_levels(value: str) -> dict[str, str]:
    """``"bot.delivery=DEBUG, telegram=WARNING"`` → ``{"bot.delivery": "DEBUG", ...}``."""
    levels: dict[str, str] = {}
    for part in value.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, level = part.partition("=")
        level = level.strip().upper()
        if not sep or not name.strip() or level not in logging.getLevelNamesMapping():
            raise ValueError(f"expected logger=LEVEL pairs, e.g. bot.delivery=DEBUG; got {part!r}")
        levels[name.strip()] = level
    return levels


class _BotHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler :func:`configure` installs (and replaces on a second call)."""


def configure(
    level: str, *, json_lines: bool = False, levels: Mapping[str, str] | None = None
) -> logging.Handler:
    """Send every record to stderr in the chosen format; returns the handler (tests).

    Like ``logging.basicConfig`` it leaves other handlers alone (a test's capture, an embedding
    program's) and never raises a level someone already lowered; a second call replaces the
    handler of the first."""
    handler = _BotHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(_UpdateIds())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _BotHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    wanted = logging.getLevelNamesMapping()[level]
    root.setLevel(min(root.level, wanted) if root.level else wanted)
    for name, area_level in {**QUIET, **(levels or {})}.items():
        logging.getLogger(name).setLevel(area_level)
    return handler
