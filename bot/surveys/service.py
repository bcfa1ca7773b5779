"""What the survey and rating handlers call: one transaction per call, plain values in and out.

The handlers (:mod:`bot.handlers.surveys`) parse a button or a message, call one function here
and render its answer; the transaction, the state changes (answers, what the person's next
message is taken as, the audit log, the outbox) and the rules are here and in the modules it uses
(:mod:`flow`, :mod:`ratings`, :mod:`results`, :mod:`due`, :mod:`ballots`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import EVERYTHING, Audience, resolve
from bot.db.engine import Database
from bot.db.models import Survey, Visit
from bot.delivery import outbox
from bot.infra import steps
from bot.people import access, audit
from bot.people.access import Viewer
from bot.people.awaiting import (
    RatingCommentReply,
    SurveyIntroReply,
    SurveyReply,
    SurveyReplyRest,
)
from bot.surveys import ballots, due, flow, ratings, results
from bot.surveys.flow import Outcome, SurveyState
from bot.surveys.ratings import RatingOutcome, RatingState
from bot.surveys.results import EventRatings, SurveyResults

_FINAL = (Outcome.CLOSED, Outcome.NOT_INVITED, Outcome.FINISHED, Outcome.SUBMITTED)

#: One step of :mod:`bot.surveys.flow` (show, answer, toggle, next_question, skip, go_to,
#: submit): ``step(session, survey_id, telegram_id, *args, now)``.
FlowStep = Callable[..., Awaitable[tuple[Outcome, SurveyState | None]]]


async def _await_answer(
    session: AsyncSession, telegram_id: int, outcome: Outcome, state: SurveyState | None
) -> None:
    if state is not None and outcome not in _FINAL:
        await access.set_awaiting(session, telegram_id, SurveyReply(state.survey_id))
    else:
        await access.clear_awaiting(
            session, telegram_id, SurveyReply, SurveyReplyRest, SurveyIntroReply
        )


async def step(
    db: Database,
    flow_step: FlowStep,
    survey_id: int,
    telegram_id: int,
    *args: Any,
    now: datetime,
    batch: int,
) -> tuple[Outcome, SurveyState | None]:
    """One button of a survey: the step, and what the next message is taken as. A submitted
    anonymous ballot is then published, in a transaction of its own, once its batch is full."""
    async with db.session() as s:
        outcome, state = await flow_step(s, survey_id, telegram_id, *args, now)
        await _await_answer(s, telegram_id, outcome, state)
    if outcome is Outcome.SUBMITTED and state is not None and state.anonymous:
        async with db.session() as s:  # a transaction of its own (bot.surveys.ballots)
            await ballots.publish(s, survey_id, batch)
    return outcome, state


async def introduction(
    db: Database, survey_id: int, telegram_id: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """Back to the survey's introduction (from its first question): a message typed while it
    is on screen is not the first question's answer (see :func:`typed_answer`'s caller)."""
    async with db.session() as s:
        outcome, state = await flow.show(s, survey_id, telegram_id, now)
        if outcome is Outcome.OK and state is not None:
            await access.set_awaiting(s, telegram_id, SurveyIntroReply(survey_id))
        else:
            await _await_answer(s, telegram_id, outcome, state)
    return outcome, state


async def typed_answer(
    db: Database, survey_id: int, telegram_id: int, text: str, sent_at: int, now: datetime
) -> tuple[Outcome, SurveyState | None]:
    """A message while a survey question is on screen: the answer to a free-text question;
    ``INVALID`` for any other question (it wants a button); ``TOO_LONG`` keeps the question
    and notes when that text came, so that its other parts (Telegram splits long texts) are
    not taken as answers."""
    async with db.session() as s:
        outcome, state = await flow.show(s, survey_id, telegram_id, now)
        question = state.current if state is not None and outcome is Outcome.OK else None
        if question is not None and question.kind == "text":
            assert state is not None
            outcome, state = await flow.answer_text(
                s, survey_id, telegram_id, state.position, text, now
            )
        elif outcome is Outcome.OK:
            outcome = Outcome.INVALID
        if outcome is Outcome.TOO_LONG:
            await access.set_awaiting(s, telegram_id, SurveyReplyRest(survey_id, sent_at))
        else:
            await _await_answer(s, telegram_id, outcome, state)
    return outcome, state


# ---------------------------------------------------------------------------- session ratings


async def rate(
    db: Database, event_id: int, viewer: Viewer, stars: int, now: datetime
) -> tuple[RatingOutcome, RatingState | None]:
    async with db.session() as s:
        return await ratings.rate(s, event_id, viewer, stars, now)


async def ask_comment(
    db: Database, event_id: int, viewer: Viewer, now: datetime
) -> tuple[RatingOutcome, RatingState | None]:
    """ "Add a comment": the person's next message is the comment on their rating."""
    async with db.session() as s:
        outcome, state = await ratings.current(s, event_id, viewer, now)
        if outcome is RatingOutcome.OK:
            await access.set_awaiting(s, viewer.telegram_id, RatingCommentReply(event_id))
    return outcome, state


async def comment(
    db: Database, event_id: int, viewer: Viewer, text: str, now: datetime
) -> tuple[RatingOutcome, RatingState | None]:
    """The comment; a text that is too long keeps the comment awaited."""
    async with db.session() as s:
        outcome, state = await ratings.comment(s, event_id, viewer, text, now)
        if outcome is not RatingOutcome.TOO_LONG:
            await access.set_awaiting(s, viewer.telegram_id, None)
    return outcome, state


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class SurveyItem:
    """A survey as the lists and the manager show it."""

    id: int
    key: str
    title: Any  # the programme file's Text
    closed: bool


def _item(survey: Survey, now: datetime) -> SurveyItem:
    return SurveyItem(survey.id, survey.key, survey.title, flow.is_closed(survey, now))


async def surveys_for(db: Database, viewer: Viewer, now: datetime) -> list[SurveyItem]:
    """The surveys ``viewer`` may see the results of (and, a coordinator, send)."""
    async with db.session() as s:
        return [_item(x, now) for x in await results.visible_surveys(s, viewer)]


async def ratings_for(db: Database, viewer: Viewer) -> list[EventRatings]:
    async with db.session() as s:
        return await results.event_ratings(s, viewer)


async def results_for(
    db: Database,
    viewer: Viewer,
    survey_id: int,
    batch: int,
    now: datetime,
    *,
    export_format: str | None = None,
) -> tuple[SurveyItem, SurveyResults] | None:
    """The survey's figures if ``viewer`` may see them (None otherwise); an export of figures
    that are shown is written to the audit log."""
    async with db.session() as s:
        if not await results.may_see_survey(s, viewer, survey_id):
            return None
        survey = await s.get(Survey, survey_id)
        data = await results.survey_results(s, survey_id, batch) if survey else None
        if survey is None or data is None:
            return None
        if export_format is not None and not data.withheld:
            await audit.record_by(
                s, viewer, "survey.export", f"survey {survey.key}", now, format=export_format
            )
        return _item(survey, now), data


# ------------------------------------------------------------------------ launching, closing


async def open_survey(db: Database, survey_id: int, now: datetime) -> SurveyItem | None:
    """The survey, or None when it does not exist or is closed."""
    async with db.session() as s:
        survey = await s.get(Survey, survey_id)
        return None if survey is None or flow.is_closed(survey, now) else _item(survey, now)


async def visits(db: Database) -> list[tuple[int, Any]]:
    """Every visit (id, title), by start: the audiences a survey can be sent to."""
    async with db.session() as s:
        rows = await s.execute(select(Visit.id, Visit.title).order_by(Visit.starts_on))
        return [(r.id, r.title) for r in rows]


async def audience_size(db: Database, audience: Audience, coordinator_ids: frozenset[int]) -> int:
    async with db.session() as s:
        return len(await resolve(s, audience, coordinator_ids, EVERYTHING))


@dataclass(frozen=True, slots=True)
class Launch:
    """A launched survey: invitations sent now, held for the morning (quiet hours) until when,
    and how many outbox rows are new."""

    now: int
    held: int
    until: datetime | None
    new_rows: int


async def launch(
    db: Database,
    survey_id: int,
    audience: Audience,
    coordinator_ids: frozenset[int],
    now: datetime,
    tz: ZoneInfo,
    render: due.Render,
    by: Viewer,
    target: str,
    step: steps.Step | None = None,
) -> Launch | None:
    """Invite ``audience`` to the survey now (None when it is closed or gone). ``step`` is the
    Send pressed: used up in the same transaction (:class:`bot.infra.steps.Used` when it was
    used before)."""
    async with db.session() as s:
        await steps.take(s, step, now)
        survey = await s.get(Survey, survey_id)
        if survey is None or flow.is_closed(survey, now):
            return None
        planned = await due.launch(s, survey.id, audience, coordinator_ids, now, tz)
        new = await outbox.enqueue(s, await due.rendered(s, planned, render))
        await audit.record_by(
            s,
            by,
            "survey.launch",
            f"survey {survey.key}",
            now,
            audience=target,
            people=len(planned),
        )
    held = [p.due_at for p in planned if p.due_at > now]
    return Launch(len(planned) - len(held), len(held), max(held, default=None), new)


async def close(db: Database, survey_id: int, now: datetime, batch: int, by: Viewer) -> bool:
    """Close the survey now (False when it was closed already or is gone)."""
    async with db.session() as s:
        survey = await s.get(Survey, survey_id)
        if survey is None or not await flow.close(s, survey.id, now, batch):
            return False
        await audit.record_by(s, by, "survey.close", f"survey {survey.key}", now)
    return True
