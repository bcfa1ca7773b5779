"""Buttons of the agenda, the visit dossier, logistics, materials and reminder settings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from bot.callbacks.base import Between, CallbackData, Id, Matching, callback


class AgendaScreen(StrEnum):
    TODAY = "today"
    TOMORROW = "tomorrow"
    NEXT = "next"
    WHOLE_VISIT = "visit"
    CALENDAR = "ics"


@callback("sch")
class Agenda(CallbackData):
    screen: AgendaScreen


@callback("sch:day")
class AgendaDay(CallbackData):
    day: date


@callback("sch:ev")
class EventCard(CallbackData):
    event_id: Id


@callback("visit:show")
class MyVisit(CallbackData):
    pass


#: A category is named by a short digest of its name: a name can be longer than a button holds.
CategoryToken = Annotated[str, Matching("[0-9a-f]{8}", "0123abcd")]


def category_token(category: str) -> str:
    return hashlib.blake2s(category.encode(), digest_size=4).hexdigest()


class _Category:
    """What the category buttons share: built from a name, matched against the names shown."""

    __slots__ = ()
    category: str

    @classmethod
    def of(cls, category: str) -> Self:
        return cls(category_token(category))  # type: ignore[call-arg]

    def named(self, categories: Iterable[str]) -> str | None:
        """The one of ``categories`` this button names, or None (gone since it was shown)."""
        return next((c for c in categories if category_token(c) == self.category), None)


@callback("log:menu")
class LogisticsMenu(CallbackData):
    pass


@callback("log:cat")
class LogisticsCategory(_Category, CallbackData):
    category: CategoryToken


@callback("res:menu")
class ResourcesMenu(CallbackData):
    pass


@callback("res:cat")
class ResourceCategory(_Category, CallbackData):
    category: CategoryToken


@callback("res:get")
class ResourceFile(CallbackData):
    resource_id: Id


@callback("set:show")
class ReminderSettings(CallbackData):
    pass


@callback("set:rem")
class SetReminder(CallbackData):
    """Remind this many minutes before each event; 0: no reminders."""

    minutes: Annotated[int, Between(0, 24 * 60)]


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


@callback("set:dig")
class SetDigest(CallbackData):
    digest: Switch
