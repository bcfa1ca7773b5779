"""Secrets never reach the log: a filter on every handler replaces them with ``[redacted]``.

The bot token is part of every Bot API URL, and libraries log URLs (python-telegram-bot's
"Set Bot API URL" line at DEBUG, httpx's request lines at INFO). The filter formats each record
once, replaces every secret's value (and the token's bot-id-less secret part) in the message and
in the text of an attached exception, and lets it through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "[redacted]"


class SecretsFilter(logging.Filter):
    """Replaces the given secrets in a record's message and exception text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        values = set()
        for secret in secrets:
            if secret:
                values.add(secret)
                # A token is "<bot id>:<secret part>"; the part alone is still the secret.
                part = secret.partition(":")[2]
                if len(part) >= 8:
                    values.add(part)
        self._secrets = sorted(values, key=len, reverse=True)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def redact_secrets(secrets: Iterable[str], logger: logging.Logger | None = None) -> SecretsFilter:
    """Install the filter on every handler of ``logger`` (the root logger by default), so records
    of every library pass it, whatever their level."""
    target = logger or logging.getLogger()
    flt = SecretsFilter(secrets)
    for handler in target.handlers:
        handler.addFilter(flt)
    return flt
