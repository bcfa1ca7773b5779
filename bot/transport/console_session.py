"""Runs one console conversation: database, demo programme, simulated user, the real bot."""

from __future__ import annotations

import sys
from datetime import datetime

from bot.app import build_application
from bot.config import Settings
from bot.db.engine import Database
from bot.infra.clock import Clock, ShiftedClock
from bot.people.access import Role, TelegramPerson, reset_account
from bot.runtime import prepare_database, running
from bot.transport.console import ConsoleChat, read_lines, stdin_is_interactive
from bot.transport.local_api import LocalBotApi
from bot.transport.updates import SimUser


async def run_console(
    settings: Settings,
    *,
    language: str,
    role: str | None,
    now: datetime | None,
    user_id: int,
    name: str,
) -> int:
    await prepare_database(settings)
    if role == Role.COORDINATOR.value and user_id not in settings.coordinator_ids:
        settings = settings.model_copy(
            update={"coordinator_ids": [*settings.coordinator_ids, user_id]}
        )
    db = Database.from_url(settings.effective_database_url)
    clock: Clock = ShiftedClock(now) if now else Clock()
    user = SimUser(id=user_id, first_name=name, language_code=language)
    async with db.session() as session:
        await reset_account(
            session,
            TelegramPerson(user.id, user.first_name, user.username, user.language_code),
            Role(role) if role else None,
            clock.now(),
        )
    api = LocalBotApi(keep_calls=False)
    app = build_application(settings, db, clock=clock, request=api, register_bot_commands=False)
    interactive = stdin_is_interactive()
    chat = ConsoleChat(api, user, sys.stdout, styles=interactive and sys.stdout.isatty())
    if interactive:
        print(
            "Console chat with the bot. Type /start to begin, a number to press a button, "
            "Ctrl+D to leave."
        )
    try:
        async with running(app):
            async for line in read_lines(sys.stdin, interactive):
                update = chat.update_for(line, app.bot)
                if update is not None:
                    await app.process_update(api.deliver(update))
    finally:
        await db.dispose()
    return 0
