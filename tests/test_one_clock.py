"""One clock: the programme file's time zone governs every time the bot schedules, shows or
parses; ``BOT_TIMEZONE`` is only the default before any programme exists.

Here the two differ: the programme runs in Ljubljana, ``BOT_TIMEZONE`` says Tokyo (seven hours
ahead in October). 05:15 in Ljubljana is in the quiet hours there, and 12:15 in Tokyo; 15:05 in
Ljubljana is 22:05 in Tokyo, quiet there only. Every scheduled message (event reminders, the
morning digest, rating prompts, survey invitations) and every time they show follow Ljubljana.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.agenda.service import programme_timezone
from bot.callbacks.broadcasts import DraftAction, DraftButton
from bot.callbacks.surveys import (
    ManageAction,
    SurveyManage,
)
from bot.config import Settings
from bot.db.models import Broadcast, Event, OutboxMessage, Programme
from bot.infra.services import services_of
from bot.jobs import agenda as agenda_job
from bot.jobs import surveys as feedback_job
from tests.agenda.conftest import build_programme, local
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, at, texts
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
    await bot.press_data(coordinator, SurveyManage(ManageAction.PICK_AUDIENCE, ids["anon"]).pack())
    await bot.press(coordinator, "Back")  # every step of the launch has Back
    await bot.press_data(coordinator, SurveyManage(ManageAction.PICK_AUDIENCE, ids["anon"]).pack())
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
    assert "2 invitations wait for the end of the quiet hours: they go out on" in shown
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
    await bot.press_data(coordinator, DraftButton(DraftAction.AUDIENCE, draft.id).pack())
    await bot.press_data(coordinator, DraftButton(DraftAction.PREVIEW, draft.id).pack())
    await bot.press(coordinator, "Schedule")
    shown = texts(await bot.send(coordinator, "08:00"))
    async with bot.db.session() as s:
        draft = (await s.execute(select(Broadcast))).scalar_one()
    assert draft.send_at is not None
    assert draft.send_at.replace(tzinfo=UTC) == datetime(2023, 10, 10, 8, 0, tzinfo=TZ)
    assert "08:00" in shown


async def _outbox(bot: BotHarness, kind: str) -> list[OutboxMessage]:
    async with bot.db.session() as s:
        query = select(OutboxMessage).where(OutboxMessage.kind == kind)
        return list((await s.execute(query)).scalars())


async def test_event_reminders_follow_the_programmes_quiet_hours_and_show_its_times(
    bot: BotHarness,
) -> None:
    await build_programme(bot.db)
    taras = bot.new_user("en")
    await bot.register(taras, "taras")  # reminds 30 minutes ahead
    async with bot.db.session() as s:
        s.add_all(
            [
                Event(
                    key="breakfast",
                    title={"en": "Breakfast talk"},
                    starts_at=local("2023-10-11 07:15"),  # 14:15 in Tokyo
                    ends_at=local("2023-10-11 08:00"),
                ),
                Event(
                    key="tea",
                    title={"en": "Afternoon tea"},
                    starts_at=local("2023-10-11 15:30"),  # 22:30 in Tokyo
                    ends_at=local("2023-10-11 16:00"),
                ),
            ]
        )
        await s.execute(update(Programme).values(content_version=Programme.content_version + 1))
    services = services_of(bot.app)
    at(bot.clock, "2023-10-11 06:50", TZ)  # quiet in Ljubljana (13:50 in Tokyo): waits for 07:00
    await agenda_job.tick(services)
    at(bot.clock, "2023-10-11 15:05", TZ)  # quiet in Tokyo only (22:05): goes at once
    await agenda_job.tick(services)
    reminders = await _outbox(bot, "reminder")
    [breakfast] = [r for r in reminders if "Breakfast talk" in r.payload["text"]]
    [tea] = [r for r in reminders if "Afternoon tea" in r.payload["text"]]
    assert len(reminders) == 2 and {breakfast.chat_id, tea.chat_id} == {taras.id}
    assert breakfast.due_at.replace(tzinfo=UTC) == local("2023-10-11 07:00")
    assert tea.due_at.replace(tzinfo=UTC) == local("2023-10-11 15:05")
    assert "07:15" in breakfast.payload["text"] and "14:15" not in breakfast.payload["text"]
    assert "15:30" in tea.payload["text"] and "22:30" not in tea.payload["text"]
    assert "Ljubljana" in tea.payload["text"] and "Tokyo" not in tea.payload["text"]


async def test_the_morning_digest_comes_at_0730_in_the_programmes_zone(bot: BotHarness) -> None:
    await build_programme(bot.db)
    taras = bot.new_user("en")
    await bot.register(taras, "taras")
    services = services_of(bot.app)
    at(bot.clock, "2023-10-09 01:00", TZ)  # 08:00 in Tokyo: no digest at night in Ljubljana
    await agenda_job.tick(services)
    at(bot.clock, "2023-10-09 07:29", TZ)
    await agenda_job.tick(services)
    assert await _outbox(bot, "digest") == []
    at(bot.clock, "2023-10-09 07:31", TZ)
    await agenda_job.tick(services)
    [digest] = await _outbox(bot, "digest")
    assert digest.chat_id == taras.id and digest.key == f"digest:{taras.id}:20231009"
    assert digest.due_at.replace(tzinfo=UTC) == local("2023-10-09 07:31")
    text = digest.payload["text"]
    assert "Monday 9 October 2023" in text
    assert "09:00" in text and "11:00" in text  # the opening and the fire brigade
    assert "16:00" not in text and "18:00" not in text  # their Tokyo times
    assert "Ljubljana" in text


async def test_rating_prompts_follow_the_programmes_quiet_hours(bot: BotHarness) -> None:
    ids = await _programme_in_ljubljana(bot)
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    await bot.register(user, "mentee-1")
    async with bot.db.session() as s:
        early = Event(
            key="sunrise",
            title={"en": "Sunrise walk"},
            starts_at=datetime(2023, 10, 10, 5, 0, tzinfo=TZ),
            ends_at=datetime(2023, 10, 10, 6, 0, tzinfo=TZ),  # 13:00 in Tokyo
            visit_id=ids["visit"],
            rating_delay_minutes=0,
        )
        s.add(early)
        await s.flush()
        early_id = early.id
    services = services_of(bot.app)
    bot.clock.set(datetime(2023, 10, 10, 6, 0, tzinfo=TZ))  # quiet in Ljubljana: waits
    await feedback_job.tick(services)
    bot.clock.set(datetime(2023, 10, 12, 16, 0, tzinfo=TZ))  # the closing ends; 23:00 in Tokyo
    await feedback_job.tick(services)
    prompts = {r.key: r for r in await _outbox(bot, "rating")}
    assert set(prompts) == {f"rating:{user.id}:e{early_id}", f"rating:{user.id}:e{ids['closing']}"}
    sunrise = prompts[f"rating:{user.id}:e{early_id}"]
    closing = prompts[f"rating:{user.id}:e{ids['closing']}"]
    assert sunrise.due_at.replace(tzinfo=UTC) == datetime(2023, 10, 10, 7, 0, tzinfo=TZ)
    assert closing.due_at.replace(tzinfo=UTC) == datetime(2023, 10, 12, 16, 0, tzinfo=TZ)
    assert "Sunrise walk" in sunrise.payload["text"] and "Closing" in closing.payload["text"]
