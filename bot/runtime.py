"""Starting and stopping the bot's parts in the right order, for every transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import BotApplication
from bot.config import Settings
from bot.db.engine import Database
from bot.db.schema_state import at_head
from bot.programme.demo import ensure_demo


async def prepare_database(settings: Settings) -> None:
    """Apply the migrations (Alembic only when the schema is not at the newest one), then load
    the demo programme if the database holds none."""
    db = Database.from_url(settings.effective_database_url)
    try:
        if not await at_head(db):
            from bot.db import migrate  # Alembic only where migrations run

            await migrate.upgrade(db)
        await ensure_demo(db)
    finally:
        await db.dispose()


@asynccontextmanager
async def running(app: BotApplication) -> AsyncIterator[BotApplication]:
    """Initialise and start ``app`` without a network update fetcher (console, tests)."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
