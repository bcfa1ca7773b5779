"""Personal data: everything stored about a person (``/mydata``), forgetting it (``/forget``) and
erasing old personal data after the retention period.

Each area that stores personal data contributes a :class:`PersonalData` entry to :data:`AREAS`:
how to export it, how to erase it and how to expire it. Erasing keeps anonymous aggregates (counts,
anonymous survey responses) and removes everything that points to the person.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Account,
    Broadcast,
    BroadcastRecipient,
    Event,
    Invite,
    OutboxMessage,
    Participant,
    Question,
    SessionRating,
    Survey,
    SurveyParticipation,
    SurveyResponse,
)
from bot.freshness import bump

Exporter = Callable[[AsyncSession, int], Awaitable[Any]]
Eraser = Callable[[AsyncSession, int], Awaitable[None]]
Expirer = Callable[[AsyncSession, datetime], Awaitable[int]]


@dataclass(frozen=True)
class PersonalData:
    name: str
    export: Exporter
    erase: Eraser
    expire: Expirer | None = None


async def _export_account(session: AsyncSession, telegram_id: int) -> Any:
    account = await session.get(Account, telegram_id)
    if account is None:
        return None
    data: dict[str, Any] = {
        "telegram_id": account.telegram_id,
        "first_name": account.first_name,
        "username": account.username,
        "telegram_language_code": account.language_code,
        "chosen_language": account.language,
        "role_granted_in_bot": account.role_override,
        "reminder_minutes_before_events": account.reminder_minutes,
        "morning_digest": account.digest_enabled,
        "reachable": account.reachable,
        "first_seen": account.created_at.isoformat(),
        "last_seen": account.last_seen_at.isoformat(),
        "participant": None,
    }
    if account.participant_id is not None:
        participant = await session.get(Participant, account.participant_id)
        if participant is not None:
            data["participant"] = {
                "name": participant.name,
                "role": participant.role,
                "delegation_id": participant.delegation_id,
                "municipality_id": participant.municipality_id,
                "language": participant.language,
            }
    return data


async def _erase_account(session: AsyncSession, telegram_id: int) -> None:
    account = await session.get(Account, telegram_id)
    if account is None:
        return
    if account.participant_id is not None:
        participant = await session.get(Participant, account.participant_id)
        # A participant made by a delegation invite exists only because of this person.
        if participant is not None and participant.key == f"tg-{telegram_id}":
            await session.execute(
                update(Account)
                .where(Account.participant_id == participant.id)
                .values(participant_id=None)
            )
            await session.execute(delete(Invite).where(Invite.participant_id == participant.id))
            await session.delete(participant)
    await session.execute(
        update(Invite).where(Invite.created_by == telegram_id).values(created_by=None)
    )
    await session.delete(account)
    await bump(session)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def _export_questions(session: AsyncSession, telegram_id: int) -> Any:
    rows = await session.execute(
        select(Question).where(Question.asker_id == telegram_id).order_by(Question.id)
    )
    return [
        {
            "asked_at": _iso(q.created_at),
            "text": q.text,
            "language": q.language,
            "status": q.status,
            "answer": q.answer_text,
            "answered_at": _iso(q.answered_at),
            "vote": q.vote,
        }
        for q in rows.scalars()
    ]


async def _erase_questions(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(delete(Question).where(Question.asker_id == telegram_id))


async def _expire_questions(session: AsyncSession, cutoff: datetime) -> int:
    """Old questions keep their status and votes (for the FAQ work), not their words."""
    result = await session.execute(
        update(Question)
        .where(Question.created_at < cutoff, Question.text != "")
        .values(text="", answer_text=None, asker_name="")
    )
    return result.rowcount or 0


async def _export_feedback(session: AsyncSession, telegram_id: int) -> Any:
    participations = await session.execute(
        select(Survey.key, Survey.anonymous, SurveyParticipation)
        .join(Survey, Survey.id == SurveyParticipation.survey_id)
        .where(SurveyParticipation.telegram_id == telegram_id)
    )
    named = await session.execute(
        select(Survey.key, SurveyResponse)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.telegram_id == telegram_id)
    )
    ratings = await session.execute(
        select(Event.key, SessionRating)
        .join(Event, Event.id == SessionRating.event_id)
        .where(SessionRating.telegram_id == telegram_id)
    )
    return {
        "surveys": [
            {
                "survey": key,
                "anonymous": anonymous,
                "invited_at": _iso(p.invited_at),
                "finished": p.finished,
                "answers_in_progress": p.draft,
            }
            for key, anonymous, p in participations.all()
        ],
        "named_survey_responses": [
            {"survey": key, "answers": r.answers, "submitted_at": _iso(r.submitted_at)}
            for key, r in named.all()
        ],
        "session_ratings": [
            {"event": key, "stars": r.stars, "comment": r.comment, "at": _iso(r.updated_at)}
            for key, r in ratings.all()
        ],
    }


async def _erase_feedback(session: AsyncSession, telegram_id: int) -> None:
    """Named answers stay as anonymous answers (they count in the results); links go."""
    await session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.telegram_id == telegram_id)
        .values(telegram_id=None, participant_name=None, submitted_at=None)
    )
    await session.execute(
        delete(SurveyParticipation).where(SurveyParticipation.telegram_id == telegram_id)
    )
    await session.execute(delete(SessionRating).where(SessionRating.telegram_id == telegram_id))


async def _expire_feedback(session: AsyncSession, cutoff: datetime) -> int:
    """Named survey responses older than the retention period lose their link to the person."""
    result = await session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.telegram_id.is_not(None), SurveyResponse.submitted_at < cutoff)
        .values(telegram_id=None, participant_name=None, submitted_at=None)
    )
    return result.rowcount or 0


async def _export_messages(session: AsyncSession, telegram_id: int) -> Any:
    received = await session.execute(
        select(BroadcastRecipient).where(BroadcastRecipient.telegram_id == telegram_id)
    )
    deliveries = await session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.sent_at)
        .where(OutboxMessage.chat_id == telegram_id)
        .order_by(OutboxMessage.id)
    )
    return {
        "announcements": [
            {"broadcast": r.broadcast_id, "confirmed_read_at": _iso(r.acked_at)}
            for r in received.scalars()
        ],
        "deliveries": [
            {"kind": kind, "status": status, "sent_at": _iso(sent)}
            for kind, status, sent in deliveries.all()
        ],
    }


async def _erase_messages(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(
        delete(BroadcastRecipient).where(BroadcastRecipient.telegram_id == telegram_id)
    )
    await session.execute(delete(OutboxMessage).where(OutboxMessage.chat_id == telegram_id))
    await session.execute(
        update(Broadcast).where(Broadcast.author_id == telegram_id).values(author_id=None)
    )


#: Every area that keeps personal data. The account comes first; erasing goes in reverse order,
#: so the account, which the others refer to, goes last.
AREAS: list[PersonalData] = [
    PersonalData("account", _export_account, _erase_account),
    PersonalData("questions", _export_questions, _erase_questions, _expire_questions),
    PersonalData("feedback", _export_feedback, _erase_feedback, _expire_feedback),
    PersonalData("messages", _export_messages, _erase_messages),
]


async def export_person(session: AsyncSession, telegram_id: int, now: datetime) -> dict[str, Any]:
    """Everything stored about one person, as a JSON-ready document."""
    document: dict[str, Any] = {"exported_at": now.isoformat(), "telegram_id": telegram_id}
    for area in AREAS:
        document[area.name] = await area.export(session, telegram_id)
    return document


async def forget_person(session: AsyncSession, telegram_id: int) -> None:
    """Delete the person's data in every area (in the caller's transaction)."""
    for area in [a for a in AREAS if a.name != "account"] + [
        a for a in AREAS if a.name == "account"
    ]:
        await area.erase(session, telegram_id)


async def expire_old_data(session: AsyncSession, cutoff: datetime) -> dict[str, int]:
    """Erase what the retention period no longer allows; returns how much per area."""
    done: dict[str, int] = {}
    for area in AREAS:
        if area.expire is not None:
            done[area.name] = await area.expire(session, cutoff)
    return done
