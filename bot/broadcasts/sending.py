"""Sending a broadcast: one outbox row per recipient, acknowledgements, reminders, cancelling.

Confirming a draft resolves its audience once, stores the recipients and enqueues, for each,
the version in their language with the idempotency key ``broadcast:<id>:<telegram id>``; a
scheduled broadcast's rows are simply due later. Nothing goes out in the quiet hours of
:mod:`bot.agenda.reminders` (programme time) unless the author marks it urgent: a broadcast sent
then waits for their end, and the author is told until when (:class:`Enqueued`). A reminder to
those who have not pressed "I have read this" is keyed ``broadcast:<id>:<telegram id>:n<k>``
for the k-th reminder. The delivery worker (:mod:`bot.delivery`) does the sending.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agenda.reminders import outside_quiet_hours
from bot.broadcasts import content
from bot.broadcasts.audience import Audience, AudienceError, Recipient, Scope, resolve
from bot.broadcasts.drafts import (
    Author,
    DraftStep,
    Reason,
    Refused,
    check_move,
    check_ready,
    move,
)
from bot.callbacks.broadcasts import Acknowledge
from bot.db.models import OutboxMessage
from bot.db.models.broadcasts import CANCELLED, CONFIRMED, Broadcast, BroadcastRecipient
from bot.db.models.outbox import SENT
from bot.delivery import outbox
from bot.delivery.outbox import document_message, outgoing, photo_message, text_message
from bot.i18n import N_, gettext

KIND = "broadcast"

ACK_LABEL = N_("✅ I have read this")
REMINDER = N_("🔔 Reminder: please confirm that you have read this announcement.")


@dataclass(frozen=True)
class Enqueued:
    """What went into the outbox: for how many people, when it goes, and whether that time was
    moved to the end of the quiet hours (``held``)."""

    count: int
    due: datetime
    held: bool


def release(requested: datetime, tz: ZoneInfo, *, urgent: bool = False) -> datetime:
    """When a message asked for at ``requested`` goes: then, or when the quiet hours end
    (an urgent one goes at the time asked)."""
    return requested if urgent else outside_quiet_hours(requested, tz)


def subject(broadcast_id: int) -> str:
    """The outbox subject of a broadcast's messages and of its reminders."""
    return f"b{broadcast_id}"


def payload(broadcast: Broadcast, language: str, *, reminder: bool = False) -> dict[str, Any]:
    """The message ``language`` readers get, as an outbox payload (the preview sends the same)."""
    text, _fallback = content.version(broadcast.texts or {}, language)
    if reminder:
        reminder = gettext(REMINDER, locale=language)
        prefixed = f"<i>{reminder}</i>\n\n{text}"
        limit = content.CAPTION_LIMIT if broadcast.media else content.TEXT_LIMIT
        if len(content.visible_text(prefixed)) <= limit:
            text = prefixed
    markup = None
    if broadcast.ask_ack:
        button = {
            "text": gettext(ACK_LABEL, locale=language),
            "callback_data": Acknowledge(broadcast.id).pack(),
        }
        markup = {"inline_keyboard": [[button]]}
    media = broadcast.media
    if media is None:
        return text_message(text, reply_markup=markup)
    build = photo_message if media["kind"] == "photo" else document_message
    return build(media["file"], caption=text or None, reply_markup=markup)


async def recipients(
    session: AsyncSession, broadcast: Broadcast, scope: Scope, coordinator_ids: Iterable[int]
) -> list[Recipient]:
    try:
        return await resolve(
            session, Audience.from_json(broadcast.audience), coordinator_ids, scope
        )
    except AudienceError:
        raise Refused(Reason.OUT_OF_SCOPE) from None


async def confirm(
    session: AsyncSession,
    who: Author | None,
    broadcast: Broadcast,
    now: datetime,
    coordinator_ids: Iterable[int],
    tz: ZoneInfo,
    *,
    urgent: bool = False,
) -> Enqueued:
    """Check everything once more, then enqueue the broadcast for its time (now, or
    ``send_at``), moved to the end of the quiet hours of ``tz`` unless ``urgent``.

    ``who`` is None for the command line (no scope limit). A held broadcast is scheduled for
    the end of the quiet hours, so lists and progress show when it goes.
    """
    check_ready(broadcast)
    check_move(broadcast, DraftStep.SENT)
    if broadcast.send_at is not None and broadcast.send_at <= now:
        raise Refused(Reason.PAST)
    scope = who.scope if who is not None else Scope()
    people = await recipients(session, broadcast, scope, coordinator_ids)
    if not people:
        raise Refused(Reason.NOBODY)
    requested = broadcast.send_at or now
    due = release(requested, tz, urgent=urgent)
    if due != requested:
        broadcast.send_at = due
    session.add_all(
        BroadcastRecipient(
            broadcast_id=broadcast.id,
            telegram_id=p.telegram_id,
            name=p.name[:200],
            role=p.role,
            language=p.language,
        )
        for p in people
    )
    payloads = {lang: payload(broadcast, lang) for lang in {p.language for p in people}}
    await outbox.enqueue(
        session,
        [
            outgoing(
                KIND,
                p.telegram_id,
                subject(broadcast.id),
                payloads[p.language],
                due,
                broadcast_id=broadcast.id,
            )
            for p in people
        ],
    )
    broadcast.status = CONFIRMED
    move(broadcast, DraftStep.SENT)
    broadcast.confirmed_at = now
    return Enqueued(len(people), due, held=due != requested)


async def cancel(session: AsyncSession, broadcast: Broadcast, now: datetime) -> int:
    """Stop what has not been sent yet (messages already on their way still arrive)."""
    stopped = await outbox.cancel(session, kind=KIND, subject=subject(broadcast.id))
    if broadcast.status == CONFIRMED:
        broadcast.status = CANCELLED
        broadcast.cancelled_at = now
    return stopped


async def acknowledge(
    session: AsyncSession, broadcast_id: int, telegram_id: int, now: datetime
) -> bool:
    """Record "I have read this"; False when this person is not a recipient of the broadcast."""
    recipient = await session.get(BroadcastRecipient, (broadcast_id, telegram_id))
    if recipient is None:
        return False
    if recipient.acked_at is None:
        recipient.acked_at = now
    return True


async def renotify(
    session: AsyncSession, broadcast: Broadcast, now: datetime, tz: ZoneInfo
) -> Enqueued:
    """Send it again, with a reminder line, to those who got it and have not confirmed (when
    the quiet hours of ``tz`` end, if they are on)."""
    due = release(now, tz)
    nobody = Enqueued(0, due, held=due != now)
    if not broadcast.ask_ack or broadcast.status != CONFIRMED:
        return nobody
    delivered = select(OutboxMessage.chat_id).where(
        OutboxMessage.broadcast_id == broadcast.id, OutboxMessage.status == SENT
    )
    pending = (
        (
            await session.execute(
                select(BroadcastRecipient).where(
                    BroadcastRecipient.broadcast_id == broadcast.id,
                    BroadcastRecipient.acked_at.is_(None),
                    BroadcastRecipient.telegram_id.in_(delivered),
                )
            )
        )
        .scalars()
        .all()
    )
    if not pending:
        return nobody
    # Claim the reminder's number atomically so two presses cannot make the same one twice.
    number = broadcast.renotified + 1
    claimed = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.renotified == broadcast.renotified)
        .values(renotified=number)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return nobody
    payloads = {
        lang: payload(broadcast, lang, reminder=True) for lang in {p.language for p in pending}
    }
    await outbox.enqueue(
        session,
        [
            outgoing(
                KIND,
                p.telegram_id,
                subject(broadcast.id),
                payloads[p.language],
                due,
                occurrence=f"n{number}",
            )
            for p in pending
        ],
    )
    return Enqueued(len(pending), due, nobody.held)
