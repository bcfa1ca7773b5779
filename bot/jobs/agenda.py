"""Reminders, morning digests and change notices into the outbox, in each recipient's language.

:func:`tick` runs every minute on the application's JobQueue (:func:`start_reminders` is a start
hook) and inserts the messages that are due; the outbox's idempotency keys make a repeated tick,
or one after a restart, insert nothing twice. :func:`enqueue_change_notices` is called after an
import is applied. Selection rules: :mod:`bot.agenda.reminders`; texts: :mod:`bot.views.notices`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, ContextTypes

from bot.agenda import reminders
from bot.agenda.cache import current_version
from bot.agenda.service import ProgrammeContent, load_content
from bot.delivery import outbox
from bot.delivery.outbox import Outgoing, text_message
from bot.i18n import use_locale
from bot.infra.services import Services, services_of
from bot.views import notices

log = logging.getLogger(__name__)

TICK_SECONDS = 60
#: The first tick waits a little so that start-up (and a test's short life) is not crowded.
FIRST_TICK_SECONDS = 10


def _outgoing(kind: str, key: str, chat_id: int, text: str, due_at: datetime) -> Outgoing:
    return Outgoing(key=key, kind=kind, chat_id=chat_id, payload=text_message(text), due_at=due_at)


def due_messages(
    content: ProgrammeContent, people: list[reminders.Recipient], now: datetime
) -> list[Outgoing]:
    """The reminders and digests due at ``now``, rendered for their recipients."""
    items = []
    for r in reminders.due_reminders(content, people, now):
        with use_locale(r.recipient.language):
            text = notices.reminder(content, r.event, r.send_at)
        items.append(_outgoing("reminder", r.key, r.recipient.telegram_id, text, r.send_at))
    for d in reminders.due_digests(content, people, now):
        with use_locale(d.recipient.language):
            text = notices.digest(content, d.day, d.events, d.send_at)
        items.append(_outgoing("digest", d.key, d.recipient.telegram_id, text, d.send_at))
    return items


async def tick(services: Services) -> int:
    """Insert the reminders and digests due now; returns how many were new."""
    now = services.clock.now()
    content = await services.current_content()
    async with services.db.session() as session:
        people = await reminders.recipients(session)
        new = await outbox.enqueue(session, due_messages(content, people, now))
    services.wake_delivery(new)
    return new


async def enqueue_change_notices(
    session: AsyncSession, summary: Any, now: datetime, default_tz: ZoneInfo | None = None
) -> int:
    """After an import is applied: tell the people concerned what changed, in their language.

    ``summary`` is the importer's ``ChangeSummary``; runs in the caller's transaction (the same
    as the import's, or right after it). Pending reminders of a changed event are cancelled; the
    next tick reminds of the new time. ``default_tz`` only matters when no programme is loaded.
    Returns how many notices were new.
    """
    changes = reminders.notices_of(summary, now)
    if not changes:
        return 0
    content = await load_content(
        session, await current_version(session), default_tz or ZoneInfo("UTC")
    )
    people = await reminders.recipients(session)
    items = []
    for due in reminders.due_notices(content, people, changes, now):
        with use_locale(due.recipient.language):
            text = notices.change_notice(content, due.notice.old, due.notice.new)
        await outbox.cancel(
            session, key_prefix=f"reminder:{due.recipient.telegram_id}:{due.notice.event_id}:r"
        )
        items.append(_outgoing("change", due.key, due.recipient.telegram_id, text, due.send_at))
    return await outbox.enqueue(session, items)


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
