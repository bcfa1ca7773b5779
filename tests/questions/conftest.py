"""The demo programme loaded into the ``bot`` fixture's database, and people to ask questions."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import TimedOut

from bot.config import Settings
from bot.people.access import Role
from bot.programme.demo import ensure_demo
from bot.transport.local_api import ApiError
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness

STAFF_CHAT = -100_555_000_111


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No pause between two messages to one chat: the staff chat gets a question's copy, then its
    edits, in one test moment, and the pacing's real-time interval (tested in tests/delivery)
    would hold each edit for a second the test clock never passes."""
    settings.delivery_chat_interval = 0.0
    return settings


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


def copy_times_out_once(bot: BotHarness) -> None:
    """The staff chat's copy meets a time-out: it waits in the outbox for its retry."""
    left = {"n": 1}

    def fault(method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "sendMessage" and int(params["chat_id"]) == STAFF_CHAT and left["n"]:
            left["n"] -= 1
            raise TimedOut("Timed out")
        return None

    bot.api.fault = fault
