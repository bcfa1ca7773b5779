"""One clock: the programme file's time zone governs every time the bot schedules, shows or
parses; ``BOT_TIMEZONE`` is only the default before any programme exists.

Here the two differ: the programme runs in Ljubljana, ``BOT_TIMEZONE`` says Tokyo (eight hours
ahead in October). 05:15 in Ljubljana is in the quiet hours there, and 12:15 in Tokyo.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.agenda.service import programme_timezone
from bot.config import Settings
from bot.db.models import Broadcast, OutboxMessage, Programme
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts
from tests.surveys.world import TZ, build

TOKYO = "Asia/Tokyo"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        token="1:test",
        data_dir=tmp_path,  # type: ignore[call-arg]
        coordinator_ids=[COORDINATOR_ID],
        cache_check_seconds=0,
        timezone=TOKYO,
    )


async def _programme_in_ljubljana(bot: BotHarness) -> dict[str, int]:
    ids = await build(bot.db, bot.clock.now())
    async with bot.db.session() as s:
        s.add(Programme(name={"en": "P"}, timezone="Europe/Ljubljana", default_language="en"))
    return ids


async def test_bot_timezone_is_only_the_default_before_a_programme(bot: BotHarness) -> None:
    async with bot.db.session() as s:
        assert str(await programme_timezone(s, bot.settings.tz)) == TOKYO
    await _programme_in_ljubljana(bot)
    async with bot.db.session() as s:
        assert await programme_timezone(s, bot.settings.tz) == TZ


async def test_a_survey_launched_at_night_waits_and_the_coordinator_is_told(
    bot: BotHarness,
) -> None:
    ids = await _programme_in_ljubljana(bot)
    people = [bot.new_user("en") for _ in range(2)]
    for n, user in enumerate(people, start=1):
        await bot.onboard(user, "en")
        await bot.register(user, f"mentee-{n}")
    coordinator = bot.new_user("en")
    coordinator.id = COORDINATOR_ID
    await bot.onboard(coordinator, "en")
    bot.clock.set(datetime(2023, 10, 10, 5, 15, tzinfo=TZ))  # quiet hours in Ljubljana
    await bot.press_data(coordinator, f"svm:s:{ids['anon']}")
    await bot.press(coordinator, "Back")  # every step of the launch has Back
    await bot.press_data(coordinator, f"svm:s:{ids['anon']}")
    await bot.press(coordinator, "All participants")
    await bot.press(coordinator, "Back")
    await bot.press(coordinator, "All participants")
    step, send = bot.find_button(coordinator, "Send")
    shown = texts(await bot.press_data(coordinator, send, step))
    again = await bot.press_data(coordinator, send, step)  # a double tap launches nothing more
    assert [c.method for c in again] == ["answerCallbackQuery"]
    async with bot.db.session() as s:
        rows = (await s.execute(select(OutboxMessage))).scalars().all()
    invitations = [r for r in rows if r.key.startswith("survey:")]
    assert len(invitations) == 2
    assert {r.due_at.replace(tzinfo=UTC) for r in invitations} == {
        datetime(2023, 10, 10, 7, 0, tzinfo=TZ).astimezone(UTC)
    }
    assert "on their way" not in shown
    assert "2 invitations wait for the end of the quiet hours: they go at" in shown
    assert "07:00" in shown


async def test_the_broadcast_composer_reads_a_time_in_the_programmes_zone(
    bot: BotHarness,
) -> None:
    await _programme_in_ljubljana(bot)
    mentee = bot.new_user("en")
    await bot.onboard(mentee, "en")
    await bot.register(mentee, "mentee-1")
    coordinator = bot.new_user("en")
    coordinator.id = COORDINATOR_ID
    await bot.onboard(coordinator, "en")
    bot.clock.set(datetime(2023, 10, 10, 6, 0, tzinfo=TZ))
    await bot.send(coordinator, "/broadcast")
    await bot.send(coordinator, "The bus leaves at nine.")
    async with bot.db.session() as s:
        draft = (await s.execute(select(Broadcast))).scalar_one()
    await bot.press_data(coordinator, f"bc:aud:{draft.id}")
    await bot.press_data(coordinator, f"bc:pre:{draft.id}")
    await bot.press(coordinator, "Schedule")
    shown = texts(await bot.send(coordinator, "08:00"))
    async with bot.db.session() as s:
        draft = (await s.execute(select(Broadcast))).scalar_one()
    assert draft.send_at is not None
    assert draft.send_at.replace(tzinfo=UTC) == datetime(2023, 10, 10, 8, 0, tzinfo=TZ)
    assert "08:00" in shown
