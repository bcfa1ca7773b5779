"""Reminders, morning digests and change notices into the outbox, in each recipient's language.

:func:`tick` runs every minute on the application's JobQueue (:func:`start_reminders` is a start
hook) and inserts the messages that are due; the outbox's idempotency keys make a repeated tick,
or one after a restart, insert nothing twice. :func:`change_text` renders the change notices an
applied import enqueues (:func:`bot.agenda.reminders.enqueue_change_notices`, in the import's
transaction). Selection rules: :mod:`bot.agenda.reminders`; texts: :mod:`bot.views.notices`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.agenda import reminders
from bot.agenda.service import ProgrammeContent
from bot.delivery.outbox import Outgoing, text_message
from bot.i18n import use_locale
from bot.infra.services import Services, services_of
from bot.views import notices

log = logging.getLogger(__name__)

TICK_SECONDS = 60
#: The first tick waits a little so that start-up (and a test's short life) is not crowded.
FIRST_TICK_SECONDS = 10


def due_messages(
    content: ProgrammeContent, people: list[reminders.Recipient], now: datetime
) -> list[Outgoing]:
    """The reminders and digests due at ``now``, rendered for their recipients."""
    items = []
    for r in reminders.due_reminders(content, people, now):
        with use_locale(r.recipient.language):
            text = notices.reminder(content, r.event, r.send_at)
        items.append(r.message(text_message(text)))
    for d in reminders.due_digests(content, people, now):
        with use_locale(d.recipient.language):
            items.append(
                d.message(text_message(notices.digest(content, d.day, d.events, d.send_at)))
            )
    return items


def change_text(content: ProgrammeContent, due: reminders.DueNotice) -> str:
    """A change notice in its recipient's language."""
    with use_locale(due.recipient.language):
        return notices.change_notice(content, due.notice.old, due.notice.new)


async def tick(services: Services) -> int:
    """Insert the reminders and digests due now; returns how many were new."""
    content = await services.current_content()
    new = await reminders.enqueue_due(services.db, content, services.clock.now(), due_messages)
    services.wake_delivery(new)
    return new


async def _run_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await tick(services_of(context.application))
    except Exception:  # a failed tick is retried by the next one; never stop the job
        log.exception("reminder tick failed")


async def start_reminders(
    app: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> None:
    """Start hook: run :func:`tick` every minute on the application's JobQueue."""
    if app.job_queue is None:
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): no reminders")
        return
    app.job_queue.run_repeating(
        _run_tick, interval=TICK_SECONDS, first=FIRST_TICK_SECONDS, name="reminders"
    )
