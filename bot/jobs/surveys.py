"""The minute job that puts survey invitations, reminders and session rating prompts in the outbox.

What is due is decided in :mod:`bot.surveys.due`; here it is rendered in each recipient's language
and enqueued (the outbox's idempotency keys make a repeated tick insert nothing twice).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.delivery.outbox import text_message
from bot.i18n import use_locale
from bot.infra.services import Services, services_of
from bot.surveys import due, ratings
from bot.views import surveys as views

log = logging.getLogger(__name__)

TICK_SECONDS = 60
FIRST_TICK_SECONDS = 15


def payload(item: due.Planned, about: due.SurveyFacts | due.EventFacts) -> dict[str, Any]:
    """A planned invitation, reminder or rating prompt in its recipient's language."""
    with use_locale(item.language):
        if isinstance(about, due.EventFacts):
            screen = views.rating_prompt(ratings.RatingState(about.id, about.title, None, None))
        elif item.kind == "invite":
            screen = views.invitation(
                about.title, about.intro, about.id, about.questions, about.anonymous
            )
        else:
            screen = views.reminder(about.title, about.id)
    markup = screen.keyboard.to_dict() if screen.keyboard else None
    return text_message(screen.text, reply_markup=markup)


async def tick(services: Services) -> int:
    """Plan, render and enqueue what is due; returns how many outbox rows were new."""
    settings = services.settings
    new = await due.enqueue_due(
        services.db,
        services.clock.now(),
        settings.tz,
        services.coordinator_ids,
        settings.anonymous_batch,
        payload,
    )
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
