"""What the bot should tell people on its own: reminders, morning digests, change notices.

Pure selection over the programme content and the accounts; rendering is done by
:mod:`bot.views.notices` and the rows go to the outbox from :mod:`bot.jobs.agenda`.

Rules (documented in the README's reminders section):

- A **reminder** goes ``Account.reminder_minutes`` before each active event that concerns a
  mentee or a host (default 30; None switches reminders off). It is selected from the moment it
  is due until the event starts, so a bot that was down at the due time still sends it when it
  comes back before the event. Its key is ``reminder:<telegram id>:<event id>:r<revision>``: the
  same reminder is never enqueued twice, and a moved event (new revision) is reminded afresh.
- The **morning digest** lists the day's events at :data:`DIGEST_AT` programme time (07:30), for
  people who have events that day and have not switched it off; it is selected within
  :data:`DIGEST_WINDOW` after that time, key ``digest:<telegram id>:<YYYYMMDD>``.
- **Quiet hours** are :data:`QUIET_START`-:data:`QUIET_END` (22:00-07:00) programme time: nothing
  is scheduled to arrive inside them. A reminder due then is moved to the end of the quiet hours
  if the event has not started by then, otherwise dropped (the digest covers the morning).
- A **change notice** goes to the mentees and hosts concerned by an event still ahead whose time
  or place changed, or that was cancelled, key ``change:<telegram id>:<event id>:r<revision>``.
- Coordinators get neither reminders nor notices: they see every event and make the changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agenda import service as agenda
from bot.agenda.cache import current_version
from bot.agenda.content import Event
from bot.agenda.service import ProgrammeContent, Scope
from bot.db.engine import Database
from bot.db.models import Account, Participant
from bot.delivery import outbox
from bot.delivery.outbox import Outgoing, outgoing, text_message
from bot.i18n import guess_language
from bot.people.access import Role

QUIET_START = time(22, 0)
QUIET_END = time(7, 0)
DIGEST_AT = time(7, 30)
DIGEST_WINDOW = timedelta(hours=3)
DEFAULT_REMINDER_MINUTES = 30
#: The lead times a person can choose in the settings.
REMINDER_CHOICES = (10, 15, 30, 60, 120)


@dataclass(frozen=True, slots=True)
class Recipient:
    """A mentee or host with a linked Telegram account, and their notification settings."""

    telegram_id: int
    language: str
    role: Role
    delegation_id: int | None
    municipality_id: int | None
    reminder_minutes: int | None
    digest_enabled: bool

    def scope(self, content: ProgrammeContent) -> Scope:
        return agenda.scope_for(content, self.role, self.delegation_id, self.municipality_id)


async def recipients(session: AsyncSession) -> list[Recipient]:
    """Every reachable mentee and host account (coordinators are left out on purpose)."""
    rows = await session.execute(
        select(Account, Participant)
        .join(Participant, Account.participant_id == Participant.id)
        .where(Account.reachable.is_(True))
    )
    found = []
    for account, participant in rows:
        role_name = account.role_override or participant.role
        if role_name not in (Role.MENTEE.value, Role.HOST.value):
            continue
        found.append(
            Recipient(
                telegram_id=account.telegram_id,
                language=account.language
                or participant.language
                or guess_language(account.language_code),
                role=Role(role_name),
                delegation_id=participant.delegation_id,
                municipality_id=participant.municipality_id,
                reminder_minutes=account.reminder_minutes,
                digest_enabled=account.digest_enabled,
            )
        )
    return found


# --------------------------------------------------------------------------- quiet hours


def in_quiet_hours(moment: datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    if QUIET_START <= QUIET_END:
        return QUIET_START <= local < QUIET_END
    return local >= QUIET_START or local < QUIET_END


def outside_quiet_hours(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` itself, or the end of the quiet hours it falls in."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tz)


# ------------------------------------------------------------------------------- selection


@dataclass(frozen=True, slots=True)
class DueReminder:
    recipient: Recipient
    event: Event
    send_at: datetime

    def message(self, payload: dict[str, Any]) -> Outgoing:
        """The outbox row: one per person, event and revision of the event."""
        tg, revision = self.recipient.telegram_id, self.event.revision
        return outgoing(
            "reminder", tg, self.event.id, payload, self.send_at, occurrence=f"r{revision}"
        )


@dataclass(frozen=True, slots=True)
class DueDigest:
    recipient: Recipient
    day: date
    events: list[Event]
    send_at: datetime

    def message(self, payload: dict[str, Any]) -> Outgoing:
        """The outbox row: one per person and day."""
        tg = self.recipient.telegram_id
        return outgoing("digest", tg, f"{self.day:%Y%m%d}", payload, self.send_at)


def due_reminders(
    content: ProgrammeContent, people: Iterable[Recipient], now: datetime
) -> list[DueReminder]:
    """Reminders whose time has come, for events not started yet."""
    people = [p for p in people if p.reminder_minutes]
    if not people:
        return []
    longest = max(p.reminder_minutes or 0 for p in people)
    everything = agenda.agenda(content, Scope(invited=True, everything=True))
    soon = agenda.events_between(
        everything,
        now + timedelta(microseconds=1),
        now + timedelta(minutes=longest, microseconds=1),
    )
    due = []
    for person in people:
        scope = person.scope(content)
        lead = timedelta(minutes=person.reminder_minutes or 0)
        for event in soon:
            if event.starts_at - lead > now or not scope.sees_event(event):
                continue
            send_at = outside_quiet_hours(now, content.tz)
            if send_at < event.starts_at:
                due.append(DueReminder(person, event, send_at))
    return due


def due_digests(
    content: ProgrammeContent, people: Iterable[Recipient], now: datetime
) -> list[DueDigest]:
    """Morning digests of today, from :data:`DIGEST_AT` until the window closes."""
    today = content.local_date(now)
    opens = datetime.combine(today, DIGEST_AT, content.tz)
    if not opens <= now < opens + DIGEST_WINDOW or in_quiet_hours(now, content.tz):
        return []
    due = []
    for person in people:
        if not person.digest_enabled:
            continue
        events = agenda.day_events(content, person.scope(content), today)
        if events:
            due.append(DueDigest(person, today, events, now))
    return due


# -------------------------------------------------------------------------- change notices


@dataclass(frozen=True, slots=True)
class EventNotice:
    """What a change notice needs to say: the event's state before and after."""

    event_id: int
    revision: int
    old: Any  # bot.programme.summary.EventSnapshot (title, starts_at, ends_at, place_name ...)
    new: Any | None  # None: cancelled


@dataclass(frozen=True, slots=True)
class DueNotice:
    recipient: Recipient
    notice: EventNotice
    send_at: datetime

    def message(self, payload: dict[str, Any]) -> Outgoing:
        """The outbox row: one per person, event and revision of the event."""
        tg, notice = self.recipient.telegram_id, self.notice
        return outgoing(
            "change", tg, notice.event_id, payload, self.send_at, occurrence=f"r{notice.revision}"
        )


def notices_of(summary: Any, now: datetime) -> list[EventNotice]:
    """The changes of an import (a ``ChangeSummary``) worth a notice: time, place or cancelled,
    for events still ahead."""
    found = []
    for change in summary.events_changed:
        now_cancelled = change.new is not None and change.new.cancelled and not change.old.cancelled
        if not (change.time_changed or change.place_changed or now_cancelled):
            continue
        if change.event_id is None:
            continue
        if now_cancelled:
            if change.old.starts_at > now:
                found.append(EventNotice(change.event_id, change.revision, change.old, None))
        elif max(change.old.starts_at, change.new.starts_at) > now:
            found.append(EventNotice(change.event_id, change.revision, change.old, change.new))
    for change in summary.events_cancelled:
        if change.event_id is not None and change.old.starts_at > now:
            found.append(EventNotice(change.event_id, change.revision, change.old, None))
    return found


def due_notices(
    content: ProgrammeContent,
    people: Sequence[Recipient],
    notices: Iterable[EventNotice],
    now: datetime,
) -> list[DueNotice]:
    """One notice per person concerned by the event before or after the change."""
    send_at = outside_quiet_hours(now, content.tz)
    due = []
    for notice in notices:
        audiences = [(notice.old.visit_id, notice.old.delegation_id)]
        if notice.new is not None:
            audiences.append((notice.new.visit_id, notice.new.delegation_id))
        for person in people:
            scope = person.scope(content)
            if any(scope.concerns(v, d) for v, d in audiences):
                due.append(DueNotice(person, notice, send_at))
    return due


# ------------------------------------------------------------------------------- the outbox

#: Renders what is due for its recipients (in their languages) as outbox rows.
RenderDue = Callable[[ProgrammeContent, list["Recipient"], datetime], list[Outgoing]]
#: Renders one change notice in its recipient's language.
RenderNotice = Callable[[ProgrammeContent, DueNotice], str]


async def enqueue_due(
    db: Database, content: ProgrammeContent, now: datetime, render: RenderDue
) -> int:
    """Put the reminders and digests due at ``now`` in the outbox; returns how many were new."""
    async with db.session() as session:
        people = await recipients(session)
        return await outbox.enqueue(session, render(content, people, now))


async def enqueue_change_notices(
    session: AsyncSession,
    summary: Any,
    now: datetime,
    render: RenderNotice,
    default_tz: ZoneInfo | None = None,
) -> int:
    """After an import is applied: tell the people concerned what changed, in their language.

    ``summary`` is the importer's ``ChangeSummary``; runs in the caller's transaction (the same
    as the import's, or right after it). Pending reminders of a changed event are cancelled; the
    next tick reminds of the new time. ``default_tz`` only matters when no programme is loaded.
    Returns how many notices were new.
    """
    changes = notices_of(summary, now)
    if not changes:
        return 0
    version = await current_version(session)
    content = await agenda.load_content(session, version, default_tz or ZoneInfo("UTC"))
    items = []
    for due in due_notices(content, await recipients(session), changes, now):
        tg = due.recipient.telegram_id
        await outbox.cancel(session, kind="reminder", chat_id=tg, subject=due.notice.event_id)
        items.append(due.message(text_message(render(content, due))))
    return await outbox.enqueue(session, items)


# -------------------------------------------------------------------------- personal settings


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    reminder_minutes: int | None  # None: no reminders
    digest_enabled: bool


async def notification_settings(db: Database, telegram_id: int) -> NotificationSettings:
    async with db.session() as session:
        account = await session.get(Account, telegram_id)
    if account is None:
        return NotificationSettings(DEFAULT_REMINDER_MINUTES, True)
    return NotificationSettings(account.reminder_minutes, account.digest_enabled)


async def set_reminder_minutes(db: Database, telegram_id: int, minutes: int | None) -> None:
    """Remind ``minutes`` before each event (one of :data:`REMINDER_CHOICES`), or never (None)."""
    if minutes is not None and minutes not in REMINDER_CHOICES:
        raise ValueError(f"reminder lead time must be one of {REMINDER_CHOICES}")
    async with db.session() as session:
        await session.execute(
            update(Account)
            .where(Account.telegram_id == telegram_id)
            .values(reminder_minutes=minutes)
        )


async def set_digest(db: Database, telegram_id: int, enabled: bool) -> None:
    async with db.session() as session:
        await session.execute(
            update(Account).where(Account.telegram_id == telegram_id).values(digest_enabled=enabled)
        )
