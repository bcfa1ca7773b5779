"""The minute job that puts survey invitations, reminders and session rating prompts in the outbox.

What is due is decided in :mod:`bot.surveys.due`; here it is rendered in each recipient's language
and enqueued (the outbox's idempotency keys make a repeated tick insert nothing twice).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.db.models import Event, Survey
from bot.delivery import outbox
from bot.delivery.outbox import Outgoing, text_message
from bot.i18n import use_locale
from bot.infra.services import Services, services_of
from bot.surveys import due, flow, ratings
from bot.views import surveys as views
from bot.views.common import Screen

log = logging.getLogger(__name__)

TICK_SECONDS = 60
FIRST_TICK_SECONDS = 15


def _payload(screen: Screen) -> dict[str, Any]:
    markup = screen.keyboard.to_dict() if screen.keyboard else None
    return text_message(screen.text, reply_markup=markup)


async def outgoing(session: Any, planned: list[due.Planned]) -> list[Outgoing]:
    """Render planned messages in each recipient's language."""
    surveys: dict[int, tuple[Survey, int]] = {}
    items = []
    for item in planned:
        if item.survey_id is not None:
            if item.survey_id not in surveys:
                survey = await session.get(Survey, item.survey_id)
                surveys[item.survey_id] = (survey, len(await flow.questions_of(session, survey.id)))
            survey, count = surveys[item.survey_id]
            with use_locale(item.language):
                screen = (
                    views.invitation(survey.title, survey.intro, survey.id, count, survey.anonymous)
                    if item.kind == "invite"
                    else views.reminder(survey.title, survey.id)
                )
        else:
            event = await session.get(Event, item.event_id)
            with use_locale(item.language):
                screen = views.rating_prompt(ratings.RatingState(event.id, event.title, None, None))
        items.append(item.message(_payload(screen)))
    return items


async def enqueue_planned(session: Any, planned: list[due.Planned]) -> int:
    """Put planned messages in the outbox; returns how many rows were new."""
    return await outbox.enqueue(session, await outgoing(session, planned))


async def tick(services: Services) -> int:
    """Plan and enqueue what is due; returns how many outbox rows were new."""
    now = services.clock.now()
    async with services.db.session() as session:
        planned = await due.plan(
            session,
            now,
            services.settings.tz,
            services.coordinator_ids,
            services.settings.anonymous_batch,
        )
        new = await enqueue_planned(session, planned)
    services.wake_delivery(new)
    return new


async def _run_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await tick(services_of(context.application))
    except Exception:  # the next tick tries again; never stop the job
        log.exception("survey tick failed")


async def start_feedback(app: Application, services: Services) -> None:  # type: ignore[type-arg]
    """Start hook: :func:`tick` every minute on the JobQueue."""
    if app.job_queue is None:
        log.warning("no JobQueue: no survey invitations or rating prompts")
        return
    app.job_queue.run_repeating(
        _run_tick, interval=TICK_SECONDS, first=FIRST_TICK_SECONDS, name="feedback"
    )
