"""Quick session ratings: 1-5 stars and an optional comment, one per person and event.

A rating may be changed any time (the row is updated, never duplicated). Only a participant the
event was for may rate it, and only once it has ended and when its rating is not switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Event, SessionRating, Visit
from bot.people.access import Role, Viewer
from bot.surveys.flow import MAX_TEXT


class RatingOutcome(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # no such event, rating off, or not this person's event
    NOT_YET = "not_yet"
    INVALID = "invalid"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class RatingState:
    event_id: int
    title: dict[str, str]
    stars: int | None
    comment: str | None


async def _event_for(session: AsyncSession, event_id: int, viewer: Viewer) -> Event | None:
    event = await session.get(Event, event_id)
    if event is None or event.rating_delay_minutes is None or event.cancelled:
        return None
    if viewer.role is not Role.MENTEE:
        return None
    if event.visit_id is not None:
        visit = await session.get(Visit, event.visit_id)
        return event if visit is not None and visit.delegation_id == viewer.delegation_id else None
    if event.delegation_id is not None and event.delegation_id != viewer.delegation_id:
        return None
    return event


async def _row(session: AsyncSession, event_id: int, telegram_id: int) -> SessionRating | None:
    return (
        await session.execute(
            select(SessionRating)
            .where(SessionRating.event_id == event_id, SessionRating.telegram_id == telegram_id)
            .with_for_update()
        )
    ).scalar_one_or_none()


async def current(
    session: AsyncSession, event_id: int, viewer: Viewer, now: datetime
) -> tuple[RatingOutcome, RatingState | None]:
    event = await _event_for(session, event_id, viewer)
    if event is None:
        return RatingOutcome.UNKNOWN, None
    if event.ends_at > now:
        return RatingOutcome.NOT_YET, None
    row = await _row(session, event_id, viewer.telegram_id)
    return RatingOutcome.OK, RatingState(
        event.id, event.title, row.stars if row else None, row.comment if row else None
    )


async def rate(
    session: AsyncSession, event_id: int, viewer: Viewer, stars: int, now: datetime
) -> tuple[RatingOutcome, RatingState | None]:
    """Give or change the stars of ``event_id``."""
    outcome, state = await current(session, event_id, viewer, now)
    if outcome is not RatingOutcome.OK or state is None:
        return outcome, state
    if not 1 <= stars <= 5:
        return RatingOutcome.INVALID, state
    row = await _row(session, event_id, viewer.telegram_id)
    if row is None:
        session.add(
            SessionRating(
                event_id=event_id,
                telegram_id=viewer.telegram_id,
                stars=stars,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        row.stars, row.updated_at = stars, now
    return RatingOutcome.OK, RatingState(state.event_id, state.title, stars, state.comment)


async def comment(
    session: AsyncSession, event_id: int, viewer: Viewer, text: str, now: datetime
) -> tuple[RatingOutcome, RatingState | None]:
    """Add or replace the comment of a rating already given."""
    outcome, state = await current(session, event_id, viewer, now)
    if outcome is not RatingOutcome.OK or state is None:
        return outcome, state
    text = text.strip()
    if len(text) > MAX_TEXT:
        return RatingOutcome.TOO_LONG, state
    row = await _row(session, event_id, viewer.telegram_id)
    if row is None or not text:
        return RatingOutcome.INVALID, state
    row.comment, row.updated_at = text, now
    return RatingOutcome.OK, RatingState(state.event_id, state.title, row.stars, text)
