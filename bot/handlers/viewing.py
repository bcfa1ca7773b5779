"""What the programme areas' handlers share: the cached content and the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.agenda import ProgrammeContent, Scope, scope_for
from bot.content_cache import ContentCache
from bot.handlers.context import BotContext
from bot.services import Services

CACHE_KEY = "content"


@dataclass(frozen=True, slots=True)
class Seen:
    """The programme content and what of it the viewer may see."""

    content: ProgrammeContent
    scope: Scope


def content_cache(services: Services) -> ContentCache:
    """This process's content cache (created on first use)."""
    cache = services.extras.get(CACHE_KEY)
    if cache is None:
        cache = services.extras[CACHE_KEY] = ContentCache(services.settings.tz)
    return cache


async def current_content(services: Services) -> ProgrammeContent:
    """The programme content at the newest version this process knows of."""
    versions = await services.versions.current()
    return await content_cache(services).get(services.db, versions.content)


async def seen_by_viewer(context: BotContext) -> Seen:
    content = await current_content(context.services)
    viewer = context.viewer
    return Seen(
        content, scope_for(content, viewer.role, viewer.delegation_id, viewer.municipality_id)
    )


def callback_id(update: Update) -> int | None:
    """The numeric last part of a button's ``area:action:id``, or None when it is not one."""
    query = update.callback_query
    if query is None or not query.data:
        return None
    tail = query.data.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() and len(tail) < 12 else None
