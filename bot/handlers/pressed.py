"""The data of the button a person pressed, as its typed kind (see :mod:`bot.callbacks`)."""

from __future__ import annotations

from typing import Any, TypeVar

from telegram import Update

from bot.callbacks.base import CallbackData

D = TypeVar("D", bound=CallbackData)


def pressed(update: Update, kind: type[D]) -> D:
    """The press's data as ``kind``: the handler was registered with ``kind``'s pattern, so the
    data parses (anything else went to the fallback)."""
    data = pressed_any(update, kind)
    assert isinstance(data, kind)
    return data


def pressed_any(update: Update, *kinds: type[CallbackData]) -> Any:
    """The press's data as whichever of ``kinds`` it is, for a handler registered with the
    patterns of several kinds (the caller tells them apart with ``isinstance``)."""
    query = update.callback_query
    assert query is not None
    found = [data for kind in kinds if (data := kind.parse(query.data)) is not None]
    assert len(found) == 1, (kinds, query.data)
    return found[0]


def pressed_or_none(update: Update, kind: type[D]) -> D | None:
    """For a handler that serves a command too: the press's data, or None for a command."""
    return pressed(update, kind) if update.callback_query is not None else None
