"""What feedback messages are due: survey invitations and reminders, session rating prompts.

:func:`plan` runs every minute (and after a launch); it writes the bookkeeping (participation
rows, reminders counted, surveys closed at their time) and returns :class:`Planned` messages,
which the caller renders in each recipient's language and puts in the outbox. Outbox keys make
it idempotent: planning the same message twice sends it once. Nothing is sent in the quiet hours
of :mod:`bot.agenda.reminders` (programme time): such messages wait for the morning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agenda.reminders import outside_quiet_hours
from bot.agenda.service import programme_timezone
from bot.broadcasts.audience import EVERYTHING, Audience, Recipient, Scope, everyone, resolve
from bot.db.engine import Database
from bot.db.inserts import insert_new_rows
from bot.db.models import Event, Survey, SurveyParticipation, Visit
from bot.db.models.surveys import OPENS_AT_VISIT_END
from bot.delivery import outbox
from bot.delivery.outbox import Outgoing, outgoing
from bot.surveys import flow

#: A visit without events ends at this local time of its last day.
VISIT_DAY_END = time(18, 0)
#: Rating prompts older than this are not sent any more (e.g. after the bot was down a day).
RATING_LOOKBACK = timedelta(hours=12)
MENTEES = frozenset({"mentee"})


@dataclass(frozen=True)
class Planned:
    """One message to put in the outbox; ``kind`` is invite, reminder or rating; ``occurrence``
    tells a survey's invitation and its reminders apart."""

    kind: str
    occurrence: str
    chat_id: int
    language: str
    due_at: datetime
    survey_id: int | None = None
    event_id: int | None = None

    def message(self, payload: dict[str, Any]) -> Outgoing:
        """The outbox row: one per person and survey occurrence, or per person and session."""
        if self.survey_id is not None:
            subject = flow.outbox_subject(self.survey_id)
            return outgoing(
                "survey", self.chat_id, subject, payload, self.due_at, occurrence=self.occurrence
            )
        return outgoing("rating", self.chat_id, f"e{self.event_id}", payload, self.due_at)


@dataclass(frozen=True, slots=True)
class SurveyFacts:
    """What an invitation or a reminder of a survey says about it."""

    id: int
    title: dict[str, str]
    intro: dict[str, str]
    questions: int
    anonymous: bool


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What a rating prompt says about its session."""

    id: int
    title: dict[str, str]


#: Renders one planned message in its recipient's language as an outbox payload (the survey
#: job's :func:`bot.jobs.surveys.payload`): plain facts in, no database.
Render = Callable[[Planned, SurveyFacts | EventFacts], dict[str, Any]]


async def rendered(session: AsyncSession, planned: list[Planned], render: Render) -> list[Outgoing]:
    """The outbox rows of ``planned``, each rendered by ``render`` from its survey's or event's
    facts (read once per survey or event)."""
    facts: dict[tuple[str, int], SurveyFacts | EventFacts] = {}
    items = []
    for item in planned:
        if item.survey_id is not None:
            key = ("survey", item.survey_id)
            if key not in facts:
                survey = await session.get(Survey, item.survey_id)
                assert survey is not None  # planned in this transaction
                count = len(await flow.questions_of(session, survey.id))
                facts[key] = SurveyFacts(
                    survey.id, survey.title, survey.intro, count, survey.anonymous
                )
        else:
            key = ("event", item.event_id or 0)
            if key not in facts:
                event = await session.get(Event, item.event_id)
                assert event is not None  # planned in this transaction
                facts[key] = EventFacts(event.id, event.title)
        items.append(item.message(render(item, facts[key])))
    return items


async def enqueue_due(
    db: Database,
    now: datetime,
    tz: ZoneInfo,
    coordinator_ids: Iterable[int],
    batch: int,
    render: Render,
) -> int:
    """The minute's work in one transaction: :func:`plan`, then the planned messages rendered
    and put in the outbox; returns how many rows were new."""
    async with db.session() as session:
        planned = await plan(session, now, tz, coordinator_ids, batch)
        return await outbox.enqueue(session, await rendered(session, planned, render))


async def invite(
    session: AsyncSession, survey: Survey, people: Iterable[Recipient], now: datetime, tz: ZoneInfo
) -> list[Planned]:
    """Participation rows and invitations for ``people`` not yet invited to ``survey``.

    The rows are inserted with ``ON CONFLICT DO NOTHING``: when a coordinator's launch and the
    minute job invite the same person at the same moment (or two processes do), one of them
    makes the row and plans the invitation, the other skips that person instead of failing on
    the unique key."""
    due = outside_quiet_hours(now, tz)
    by_id = {person.telegram_id: person for person in people}
    rows = [
        {"survey_id": survey.id, "telegram_id": telegram_id, "invited_at": due}
        for telegram_id in by_id
    ]
    unique = [SurveyParticipation.survey_id, SurveyParticipation.telegram_id]
    made = set(
        await insert_new_rows(
            session, SurveyParticipation, rows, unique, SurveyParticipation.telegram_id
        )
    )
    return [
        Planned("invite", "invite", telegram_id, person.language, due, survey_id=survey.id)
        for telegram_id, person in by_id.items()
        if telegram_id in made
    ]


async def launch(
    session: AsyncSession,
    survey_id: int,
    audience: Audience,
    coordinator_ids: Iterable[int],
    now: datetime,
    tz: ZoneInfo,
    scope: Scope = EVERYTHING,
) -> list[Planned]:
    """A coordinator sends ``survey_id`` to ``audience`` (those already invited are skipped).
    ``tz`` is the default time zone: the programme's, once there is one, governs."""
    tz = await programme_timezone(session, tz)
    survey = await session.get(Survey, survey_id)
    if survey is None or flow.is_closed(survey, now):
        return []
    people = await resolve(session, audience, coordinator_ids, scope)
    return await invite(session, survey, people, now, tz)


async def plan(
    session: AsyncSession,
    now: datetime,
    tz: ZoneInfo,
    coordinator_ids: Iterable[int],
    batch: int,
) -> list[Planned]:
    """Everything due by ``now``: close surveys past their time (publishing their last anonymous
    ballots in batches of ``batch``), invite, remind, ask ratings. ``tz`` is the default time
    zone: the programme's, once there is one, governs."""
    tz = await programme_timezone(session, tz)
    coordinators = list(coordinator_ids)
    planned: list[Planned] = []
    surveys = (await session.execute(select(Survey).where(Survey.closed_at.is_(None)))).scalars()
    for survey in list(surveys):
        if flow.is_closed(survey, now):
            await flow.close(session, survey.id, now, batch)
            continue
        if survey.opens == OPENS_AT_VISIT_END:
            planned += await _visit_end_invitations(session, survey, coordinators, now, tz)
        planned += await _reminders(session, survey, now, tz)
    planned += await _rating_prompts(session, coordinators, now, tz)
    return planned


async def visit_end(session: AsyncSession, visit: Visit, tz: ZoneInfo) -> datetime:
    """When a visit ends: the end of its last event, else the evening of its last day."""
    last = (
        await session.execute(
            select(func.max(Event.ends_at)).where(
                Event.visit_id == visit.id, Event.cancelled.is_(False)
            )
        )
    ).scalar_one_or_none()
    return last or datetime.combine(visit.ends_on, VISIT_DAY_END, tzinfo=tz)


async def _visit_end_invitations(
    session: AsyncSession, survey: Survey, coordinators: list[int], now: datetime, tz: ZoneInfo
) -> list[Planned]:
    query = select(Visit)
    if survey.visit_id is not None:
        query = query.where(Visit.id == survey.visit_id)
    planned = []
    for visit in (await session.execute(query)).scalars().all():
        opens = await visit_end(session, visit, tz) + timedelta(minutes=survey.open_delay_minutes)
        if opens > now:
            continue
        audience = Audience(visits=frozenset({visit.id}), roles=MENTEES)
        people = await resolve(session, audience, coordinators, EVERYTHING)
        planned += await invite(session, survey, people, now, tz)
    return planned


async def _reminders(
    session: AsyncSession, survey: Survey, now: datetime, tz: ZoneInfo
) -> list[Planned]:
    hours = list(survey.reminder_hours or [])[:2]
    if not hours:
        return []
    parts = (
        (
            await session.execute(
                select(SurveyParticipation).where(
                    SurveyParticipation.survey_id == survey.id,
                    SurveyParticipation.finished.is_(False),
                    SurveyParticipation.reminders_sent < len(hours),
                )
            )
        )
        .scalars()
        .all()
    )
    if not parts:
        return []
    languages = await _languages(session, [p.telegram_id for p in parts])
    planned = []
    for part in parts:
        due_count = sum(1 for h in hours if part.invited_at + timedelta(hours=h) <= now)
        if due_count <= part.reminders_sent:
            continue
        part.reminders_sent = due_count  # after a long pause: one reminder, not several at once
        planned.append(
            Planned(
                "reminder",
                f"r{due_count}",
                part.telegram_id,
                languages.get(part.telegram_id, "en"),
                outside_quiet_hours(now, tz),
                survey_id=survey.id,
            )
        )
    return planned


async def _languages(session: AsyncSession, telegram_ids: list[int]) -> dict[int, str]:
    wanted = set(telegram_ids)
    people = await everyone(session, [])
    return {p.telegram_id: p.language for p in people if p.telegram_id in wanted}


def _event_audience(event: Event) -> Audience:
    if event.visit_id is not None:
        return Audience(visits=frozenset({event.visit_id}), roles=MENTEES)
    if event.delegation_id is not None:
        return Audience(delegations=frozenset({event.delegation_id}), roles=MENTEES)
    return Audience(roles=MENTEES)


async def _rating_prompts(
    session: AsyncSession, coordinators: list[int], now: datetime, tz: ZoneInfo
) -> list[Planned]:
    events = (
        (
            await session.execute(
                select(Event).where(
                    Event.rating_delay_minutes.is_not(None),
                    Event.cancelled.is_(False),
                    Event.ends_at <= now,
                    Event.ends_at >= now - RATING_LOOKBACK - timedelta(days=1),
                )
            )
        )
        .scalars()
        .all()
    )
    planned = []
    for event in events:
        asks_at = event.ends_at + timedelta(minutes=event.rating_delay_minutes or 0)
        if not now - RATING_LOOKBACK <= asks_at <= now:
            continue
        audience = _event_audience(event)
        for person in await resolve(session, audience, coordinators, EVERYTHING):
            planned.append(
                Planned(
                    "rating",
                    "",
                    person.telegram_id,
                    person.language,
                    outside_quiet_hours(now, tz),
                    event_id=event.id,
                )
            )
    return planned
