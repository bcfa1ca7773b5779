"""Routing an update to the handlers that may take it, instead of asking every one in turn.

python-telegram-bot asks each handler of a group in registration order whether it takes the
update, and the first that does handles it. With about ninety handlers in group 0 that is the
larger part of a cheap update's own time. :func:`route` puts one :class:`RoutedGroup` in place
of each group's handlers. It keeps PTB's semantics exactly: it asks the same handlers in the
same order and hands the update to the first that takes it, with what that handler's check
returned; it only skips handlers that cannot take the update:

- a ``CommandHandler`` when the message's command is not one of its commands (or there is none);
- a ``CallbackQueryHandler`` when the update is not a button press, and one whose pattern is a
  kind of button data (:class:`~bot.callbacks.base.Pattern`) when the data's first segment is not
  its kind's (a kind's data is its prefix, then ``:`` and its fields).

Every other handler is asked as before. The candidate lists are worked out once per (command,
first segment) pair; commands and segments no handler knows share one list, so the table stays
small whatever people send.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from telegram import MessageEntity, Update
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks.base import SEPARATOR, Pattern

Handler = BaseHandler[Any, Any, Any]

#: Keys for what is not one of the known commands or button kinds.
NONE: Final = "\0none"  # no command / not a button press
OTHER: Final = "\0other"  # a command or button kind no handler names
ANY: Final = "\0any"  # a press without text data: every button handler is asked, as PTB does


def command_of(update: Update) -> str | None:
    """The command of the update's message, lower-cased, as ``CommandHandler`` reads it."""
    message = update.effective_message
    if message is None or not message.entities or not message.text:
        return None
    entity = message.entities[0]
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    return message.text[1 : entity.length].split("@")[0].lower()


def kind_of(update: Update) -> str | None:
    """The first segment of a button press's data; None when the update is not a press."""
    query = update.callback_query
    if not query:
        return None
    data = query.data
    return data.split(SEPARATOR, 1)[0] if isinstance(data, str) and data else ANY


def _segment(handler: Handler) -> str | None:
    """The button kind's first segment a pattern handler is limited to (None: not limited)."""
    if type(handler) is CallbackQueryHandler and isinstance(handler.pattern, Pattern):
        return handler.pattern.kind.prefix.split(SEPARATOR, 1)[0]
    return None


class RoutedGroup(BaseHandler[Update, Any, Any]):
    """One group's handlers behind one handler: asks only those that may take the update."""

    def __init__(self, handlers: Sequence[Handler]) -> None:
        super().__init__(self._unused)
        assert all(h.block is self.block for h in handlers), "a handler with its own block"
        self.handlers: tuple[Handler, ...] = tuple(handlers)
        self._commands = frozenset(
            c for h in handlers if type(h) is CommandHandler for c in h.commands
        )
        self._segments = frozenset(s for h in handlers if (s := _segment(h)) is not None)
        self._table: dict[tuple[str, str], tuple[Handler, ...]] = {}

    @staticmethod
    async def _unused(update: object, context: object) -> None:
        raise AssertionError("RoutedGroup hands updates to its handlers")

    def _key(self, update: object) -> tuple[str, str]:
        if not isinstance(update, Update):
            return NONE, NONE
        command = command_of(update)
        segment = kind_of(update)
        if command is None:
            command = NONE
        elif command not in self._commands:
            command = OTHER
        if segment is None:
            segment = NONE
        elif segment != ANY and segment not in self._segments:
            segment = OTHER
        return command, segment

    def _candidates(self, key: tuple[str, str]) -> tuple[Handler, ...]:
        command, segment = key
        chosen = []
        for handler in self.handlers:
            if type(handler) is CommandHandler:
                if command not in handler.commands:
                    continue
            elif type(handler) is CallbackQueryHandler:
                if segment == NONE:
                    continue
                own = _segment(handler)
                if own is not None and segment != ANY and own != segment:
                    continue
            chosen.append(handler)
        return tuple(chosen)

    def candidates(self, update: object) -> tuple[Handler, ...]:
        key = self._key(update)
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = self._candidates(key)
        return found

    def check_update(self, update: object) -> tuple[Handler, object] | None:
        for handler in self.candidates(update):
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
        return None

    async def handle_update(  # type: ignore[override]
        self,
        update: Update,
        application: Application[Any, Any, Any, Any, Any, Any],
        check_result: tuple[Handler, object],
        context: Any,
    ) -> Any:
        handler, check = check_result
        return await handler.handle_update(update, application, check, context)


def route(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Put a :class:`RoutedGroup` in place of each group of several handlers."""
    for group, handlers in app.handlers.items():
        if len(handlers) > 1:
            app.handlers[group] = [RoutedGroup(handlers)]


def registered(app: Application[Any, Any, Any, Any, Any, Any]) -> list[tuple[int, Handler]]:
    """Every handler of the application with its group, routed groups opened."""
    return [
        (group, inner)
        for group, handlers in app.handlers.items()
        for handler in handlers
        for inner in (handler.handlers if isinstance(handler, RoutedGroup) else (handler,))
    ]
