"""What the programme areas' handlers share: the cached content and the viewer's scope."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.agenda.service import ProgrammeContent, Scope, scope_for
from bot.handlers.context import BotContext
from bot.i18n import get_locale
from bot.infra.services import Services
from bot.views.common import Screen


@dataclass(frozen=True, slots=True)
class Seen:
    """The programme content and what of it the viewer may see."""

    content: ProgrammeContent
    scope: Scope


async def programme_tz(services: Services) -> ZoneInfo:
    """The time zone of everything shown, scheduled or parsed: the programme file's (the
    ``BOT_TIMEZONE`` default only while no programme exists)."""
    return (await services.current_content()).tz


async def seen_by_viewer(context: BotContext) -> Seen:
    content = await context.services.current_content()
    viewer = context.viewer
    return Seen(
        content, scope_for(content, viewer.role, viewer.delegation_id, viewer.municipality_id)
    )


@dataclass
class _MinuteScreens:
    """The screens made in one minute for one content version."""

    minute: datetime | None = None
    screens: dict[Hashable, Screen] = field(default_factory=dict)


def screen_of_minute(
    seen: Seen, now: datetime, build: Callable[[datetime], Screen], *key: Hashable
) -> Screen:
    """The screen ``build`` makes for the minute of ``now`` (it gets the minute as its "now").

    A programme screen is a pure function of the content version, the language, the minute
    (countdowns are counted from its start) and what ``key`` names — the audience (scope) too
    when the screen depends on it — so it is made once for everyone asking within that minute,
    and sent as the same ready payload (:func:`bot.handlers.send.payload`). Only the current
    minute's screens are kept.
    """
    minute = now.replace(second=0, microsecond=0)
    kept = seen.content.memo(("minute-screens",), _MinuteScreens)
    if kept.minute != minute:
        kept.minute, kept.screens = minute, {}
    full = (get_locale(), *key)
    screen = kept.screens.get(full)
    if screen is None:
        screen = kept.screens[full] = build(minute)
    return screen
