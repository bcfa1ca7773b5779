"""The per-update context: services, the viewer (who is asking) and their locale.

A ``TypeHandler`` in the first group loads the viewer for every update before any other handler
runs, so each handler can read ``context.viewer`` and the current locale is already set.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor, CallbackContext, ExtBot

from bot.handlers.guard import Access, allow
from bot.i18n import DEFAULT_LANGUAGE, guess_language, set_locale, use_locale
from bot.infra.services import SERVICES_KEY, Services
from bot.people.access import TelegramPerson, Viewer


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """``CallbackContext`` with the services and the viewer of the update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._viewer: Viewer | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data[SERVICES_KEY]

    @property
    def viewer(self) -> Viewer:
        if self._viewer is None:
            raise RuntimeError("no viewer: the update has no user")
        return self._viewer

    @viewer.setter
    def viewer(self, value: Viewer) -> None:
        self._viewer = value

    @property
    def has_viewer(self) -> bool:
        return self._viewer is not None


def person_of(update: Update) -> TelegramPerson | None:
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return TelegramPerson(user.id, user.first_name, user.username, user.language_code)


@allow(Access.SYSTEM)
async def load_viewer_handler(update: Update, context: BotContext) -> None:
    """Group -100: who is this, in which language, with which role."""
    person = person_of(update)
    if person is None:
        set_locale(DEFAULT_LANGUAGE)
        return
    set_locale(guess_language(person.language_code))
    services = context.services
    viewer = await services.viewers.get(person, services.coordinator_ids, services.clock.now())
    context.viewer = viewer
    set_locale(viewer.language)


class LocaleScopedProcessor(BaseUpdateProcessor):
    """Runs updates of different chats at the same time, and those of one chat in order.

    python-telegram-bot starts a task per update when concurrent updates are on; here each task
    first queues on its chat's lock (FIFO, so one chat's updates keep their order), then on the
    ``workers`` semaphore that bounds how many run at once. One person's slow update (a heavy
    upload, a flood of messages) therefore never holds up another person's. Each update runs
    with its own locale value, reset when it is done.
    """

    def __init__(self, workers: int) -> None:
        # PTB's own semaphore only bounds the tasks waiting here; ``workers`` bounds the work.
        super().__init__(max_concurrent_updates=max(workers, 4096))
        self._workers = asyncio.Semaphore(workers)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        key = _order_key(update)
        if key is None:
            async with self._workers:
                with use_locale(DEFAULT_LANGUAGE):
                    await coroutine
            return
        lock, users = self._chats.get(key, (asyncio.Lock(), 0))
        self._chats[key] = (lock, users + 1)
        try:
            async with lock, self._workers:
                with use_locale(DEFAULT_LANGUAGE):
                    await coroutine
        finally:
            lock, users = self._chats[key]
            if users == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, users - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _order_key(update: object) -> int | None:
    """The chat whose updates must keep their order (else the user; None: no order needed)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
