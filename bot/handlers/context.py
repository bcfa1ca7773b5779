"""The per-update context: services, the viewer (who is asking) and their locale.

A ``TypeHandler`` in the first group loads the viewer for every update before any other handler
runs, so each handler can read ``context.viewer`` and the current locale is already set.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, SimpleUpdateProcessor

from bot.access import TelegramPerson, Viewer
from bot.handlers.guard import Access, allow
from bot.i18n import DEFAULT_LANGUAGE, guess_language, set_locale, use_locale
from bot.services import Services

SERVICES_KEY = "services"


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


class LocaleScopedProcessor(SimpleUpdateProcessor):
    """Runs each update with its own locale value, reset when the update is done."""

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        with use_locale(DEFAULT_LANGUAGE):
            await coroutine
