"""Following sent broadcasts: what the /broadcasts handler calls, one transaction per call.

The list, a broadcast's progress, stopping it, reminding those who have not confirmed, its
per-recipient report, and "I have read this". Each call re-checks that the viewer may manage the
broadcast (:func:`bot.broadcasts.drafts.managed`) and records the audit entry with the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.agenda.service import programme_timezone
from bot.broadcasts import drafts, report, sending
from bot.broadcasts.report import Figures
from bot.broadcasts.sending import Enqueued
from bot.callbacks.broadcasts import ManageAction
from bot.db.engine import Database
from bot.db.models import Account
from bot.db.models.broadcasts import Broadcast
from bot.delivery import outbox
from bot.i18n import guess_language
from bot.people import audit
from bot.people.access import Viewer

#: Management buttons that leave a trace in the audit log.
_AUDITED = {
    ManageAction.STOP: "broadcast.cancel",
    ManageAction.RENOTIFY: "broadcast.renotify",
    ManageAction.EXPORT: "broadcast.export",
}


async def recent(db: Database, viewer: Viewer, now: datetime) -> list[Figures]:
    """The newest broadcasts the viewer may see (refused unless they may broadcast)."""
    async with db.session() as s:
        await drafts.author(s, viewer)
        return await report.recent(s, viewer, now)


@dataclass(frozen=True)
class Managed:
    """What a management button did: the figures after it, and what it stopped (``stopped``),
    enqueued again (``reminded``) or exported (``report``, the CSV)."""

    broadcast_id: int
    figures: Figures
    stopped: int | None = None
    reminded: Enqueued | None = None
    report: bytes | None = None

    @property
    def changed(self) -> bool:
        """Whether the outbox changed (the delivery worker should look)."""
        return self.stopped is not None or self.reminded is not None


async def manage(
    db: Database,
    viewer: Viewer,
    broadcast_id: int,
    action: ManageAction,
    now: datetime,
    tz: ZoneInfo,
) -> Managed:
    """Show, stop, remind or export (raises :class:`~bot.broadcasts.drafts.Refused`)."""
    async with db.session() as s:
        broadcast = await drafts.managed(s, viewer, broadcast_id)
        stopped = reminded = data = None
        if action is ManageAction.STOP:
            stopped = await sending.cancel(s, broadcast, now)
        elif action is ManageAction.RENOTIFY:
            reminded = await sending.renotify(s, broadcast, now, tz)
        elif action is ManageAction.EXPORT:
            data = await report.csv_report(s, broadcast)
        if action in _AUDITED:
            await audit.record_by(s, viewer, _AUDITED[action], f"broadcast {broadcast.id}", now)
        figures = await report.figures(s, broadcast, now)
    return Managed(broadcast.id, figures, stopped, reminded, data)


async def acknowledge(db: Database, broadcast_id: int, telegram_id: int, now: datetime) -> bool:
    """ "I have read this": False when this person is not a recipient of the broadcast."""
    async with db.session() as s:
        return await sending.acknowledge(s, broadcast_id, telegram_id, now)


async def remember_progress(db: Database, broadcast_id: int, chat_id: int, message_id: int) -> None:
    """The message that shows a broadcast's progress (:mod:`bot.jobs.broadcasts` keeps it up
    to date)."""
    async with db.session() as s:
        stored = await s.get(Broadcast, broadcast_id)
        if stored is not None:
            stored.progress_chat_id = chat_id
            stored.progress_message_id = message_id


@dataclass(frozen=True)
class Progress:
    """Where a broadcast's progress message is, and what it should say, in whose language."""

    broadcast_id: int
    chat_id: int
    message_id: int
    figures: Figures
    language: str
    tz: ZoneInfo


async def progress(
    db: Database, broadcast_id: int, now: datetime, default_tz: ZoneInfo
) -> Progress | None:
    """What the progress message (:func:`remember_progress`) should show now, in its author's
    language; None when the broadcast has none."""
    async with db.session() as s:
        broadcast = await s.get(Broadcast, broadcast_id)
        if (
            broadcast is None
            or broadcast.progress_chat_id is None
            or broadcast.progress_message_id is None
        ):
            return None
        account = await s.get(Account, broadcast.author_id) if broadcast.author_id else None
        return Progress(
            broadcast.id,
            broadcast.progress_chat_id,
            broadcast.progress_message_id,
            await report.figures(s, broadcast, now),
            (account.language or guess_language(account.language_code)) if account else "en",
            await programme_timezone(s, default_tz),
        )


#: Outbox kind of the edits of a broadcast's progress message (not a row of the broadcast: its
#: figures count only the messages to the audience).
PROGRESS_KIND = "progress"


async def show_progress(
    db: Database, shown: Progress, text: str, reply_markup: dict[str, Any] | None, now: datetime
) -> bool:
    """Edit the progress message to ``text`` through the outbox, coalesced: only the latest
    edit waits (:func:`bot.delivery.outbox.enqueue_latest`). True when the worker has
    something new to send."""
    edit = outbox.edit_text_message(
        shown.message_id, text, parse_mode="HTML", reply_markup=reply_markup
    )
    async with db.session() as s:
        return await outbox.enqueue_latest(
            s, PROGRESS_KIND, shown.chat_id, f"b{shown.broadcast_id}", edit, now
        )
