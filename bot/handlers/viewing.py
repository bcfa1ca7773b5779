"""What the programme areas' handlers share: the cached content and the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.agenda.service import ProgrammeContent, Scope, scope_for
from bot.handlers.context import BotContext
from bot.infra.services import Services


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
