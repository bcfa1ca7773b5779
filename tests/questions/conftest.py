"""The demo programme loaded into the ``bot`` fixture's database, and people to ask questions."""

from __future__ import annotations

import pytest

from bot.people.access import Role
from bot.programme.demo import ensure_demo
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness

STAFF_CHAT = -100_555_000_111


@pytest.fixture
async def demo(bot: BotHarness) -> BotHarness:
    await ensure_demo(bot.db, bot.clock)
    bot.settings.staff_chat_id = STAFF_CHAT
    return bot


async def mentee(bot: BotHarness, language: str = "uk") -> SimUser:
    user = bot.new_user(language_code=language, first_name="Olena")
    await bot.onboard(user, language)
    await bot.register(user, "mentee-olena", Role.MENTEE)
    return user


async def coordinator(bot: BotHarness) -> SimUser:
    user = SimUser(id=COORDINATOR_ID, first_name="Ana", language_code="en")
    await bot.onboard(user, "en")
    return user
