"""The data of the button a person pressed, as its typed kind (see :mod:`bot.callbacks`)."""

from __future__ import annotations

from typing import TypeVar

from telegram import Update

from bot.callbacks.base import CallbackData

D = TypeVar("D", bound=CallbackData)


def pressed(update: Update, kind: type[D]) -> D:
    """The press's data as ``kind``: the handler was registered with ``kind``'s pattern, so the
    data parses (anything else went to the fallback)."""
    query = update.callback_query
    assert query is not None
    data = kind.parse(query.data)
    assert data is not None, (kind, query.data)
    return data


def pressed_or_none(update: Update, kind: type[D]) -> D | None:
    """For a handler that serves a command too: the press's data, or None for a command."""
    return pressed(update, kind) if update.callback_query is not None else None
