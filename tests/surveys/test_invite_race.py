"""A coordinator's launch and the minute job invite the same person at the same moment: one
invitation, no failure. Before, both read "not invited yet", both inserted a participation row and
the second transaction failed on the unique key (seen once in a benchmark)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.broadcasts.audience import Audience
from bot.db.models import OutboxMessage, SurveyParticipation
from bot.jobs.surveys import payload, tick
from bot.people.access import Role, Viewer
from bot.surveys import service
from tests.harness import BotHarness
from tests.races import meeting
from tests.surveys.world import TZ, VISIT_END, build

COORDINATOR = Viewer(1, "Maja", "en", "en", Role.COORDINATOR)


async def test_a_launch_and_the_minute_job_at_once_invite_once(bot: BotHarness) -> None:
    ids = await build(bot.db, bot.clock.now())
    mentee = bot.new_user("uk")
    await bot.onboard(mentee, "uk")
    await bot.register(mentee, "mentee-1")
    bot.clock.set(VISIT_END + timedelta(hours=2))  # the post-visit survey is due for the job
    services = bot.app.bot_data["services"]
    with meeting(bot.db, "survey_participation") as inserts:
        launched, _ = await asyncio.gather(
            service.launch(
                bot.db, ids["post-visit"], Audience(), frozenset({COORDINATOR.telegram_id}),
                bot.clock.now(), TZ, payload, COORDINATOR, "everyone",
            ),
            tick(services),
        )  # fmt: skip
    assert len(inserts) == 2  # both wrote at the same moment, each having read before
    async with bot.db.session() as s:
        rows = await s.scalar(
            select(func.count())
            .select_from(SurveyParticipation)
            .where(SurveyParticipation.telegram_id == mentee.id)
        )
        invitations = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.chat_id == mentee.id, OutboxMessage.key.contains("invite"))
        )
    assert rows == 1 and invitations == 1
    assert launched is not None and launched.now + launched.held <= 1
