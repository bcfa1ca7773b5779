"""Results: who may see which survey and session ratings, and the figures per question.

Coordinators see everything; a host sees the surveys of visits to their municipality and the
ratings of those visits' events; nobody else sees results.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import host_scope
from bot.db.models import Event, SessionRating, Survey, SurveyParticipation, SurveyResponse
from bot.i18n import gettext, tr
from bot.people.access import Role, Viewer
from bot.surveys import ballots
from bot.surveys.flow import Question, questions_of

SCALES: dict[str, list[int]] = {"rating": list(range(1, 6)), "nps": list(range(11))}


@dataclass(frozen=True)
class Option:
    """One bar of a question's chart: a value and its label (multilingual or plain)."""

    key: Any
    label: dict[str, str] | str
    count: int


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    skipped: int
    options: list[Option] = field(default_factory=list)  # empty for text questions
    mean: float | None = None
    median: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int
    key: str
    title: dict[str, str]
    anonymous: bool
    invited: int
    finished: int
    questions: list[QuestionResult]
    #: The responses as stored (export), oldest first for named surveys.
    responses: list[SurveyResponse]
    #: Anonymous surveys: submitted ballots waiting for their batch (not in the figures yet).
    waiting: int = 0
    #: Anonymous surveys with fewer published responses than this show no figures.
    min_responses: int = 0

    @property
    def withheld(self) -> bool:
        """Too few anonymous responses to show without pointing at the people who gave them."""
        return self.anonymous and len(self.responses) < self.min_responses

    @property
    def response_rate(self) -> float | None:
        return self.finished / self.invited if self.invited else None


@dataclass(frozen=True)
class EventRatings:
    event_id: int
    title: dict[str, str]
    count: int
    mean: float | None
    median: float | None
    distribution: list[int]  # number of 1..5 star ratings
    comments: list[str]


# ------------------------------------------------------------------------------ permissions


async def visible_surveys(session: AsyncSession, viewer: Viewer) -> list[Survey]:
    query = select(Survey).order_by(Survey.id)
    if viewer.role is Role.HOST:
        scope = await host_scope(session, viewer.municipality_id)
        query = query.where(Survey.visit_id.in_(scope.visits or {-1}))
    elif viewer.role is not Role.COORDINATOR:
        return []
    return list((await session.execute(query)).scalars())


async def may_see_survey(session: AsyncSession, viewer: Viewer, survey_id: int) -> bool:
    return any(s.id == survey_id for s in await visible_surveys(session, viewer))


async def _visible_events_query(session: AsyncSession, viewer: Viewer) -> Any:
    query = select(Event.id)
    if viewer.role is Role.HOST:
        scope = await host_scope(session, viewer.municipality_id)
        return query.where(
            or_(
                Event.visit_id.in_(scope.visits or {-1}),
                Event.delegation_id.in_(scope.delegations or {-1}),
            )
        )
    if viewer.role is Role.COORDINATOR:
        return query
    return None


# ---------------------------------------------------------------------------------- figures


def _scale_stats(values: list[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), float(statistics.median(values))


def question_result(question: Question, answers: list[Any]) -> QuestionResult:
    """The figures of one question from the answers of every response (None: skipped)."""
    given = [a for a in answers if a not in (None, [], "")]
    skipped = len(answers) - len(given)
    if question.kind in SCALES:
        values = [int(a) for a in given]
        mean, median = _scale_stats(values)
        options = [Option(v, str(v), values.count(v)) for v in SCALES[question.kind]]
        return QuestionResult(question, len(given), skipped, options, mean, median)
    if question.kind == "yes_no":
        options = [Option(True, "yes", given.count(True)), Option(False, "no", given.count(False))]
        return QuestionResult(question, len(given), skipped, options)
    if question.kind in ("single", "multiple"):
        picked = [k for a in given for k in (a if isinstance(a, list) else [a])]
        options = [Option(c["key"], c["text"], picked.count(c["key"])) for c in question.choices]
        return QuestionResult(question, len(given), skipped, options)
    return QuestionResult(question, len(given), skipped, texts=[str(a) for a in given])


async def survey_results(
    session: AsyncSession, survey_id: int, min_responses: int
) -> SurveyResults | None:
    """The figures of ``survey_id``. An anonymous survey with fewer than ``min_responses``
    published responses has none (``withheld``): with two responses, each person's answers could
    be told from the other's by anyone who knows one of them."""
    survey = await session.get(Survey, survey_id)
    if survey is None:
        return None
    questions = await questions_of(session, survey_id)
    responses = list(
        (
            await session.execute(
                select(SurveyResponse)
                .where(SurveyResponse.survey_id == survey_id)
                .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
            )
        ).scalars()
    )
    counts = (
        await session.execute(
            select(SurveyParticipation.finished, func.count())
            .where(SurveyParticipation.survey_id == survey_id)
            .group_by(SurveyParticipation.finished)
        )
    ).all()
    by_state = {bool(finished): n for finished, n in counts}
    waiting = await ballots.sealed(session, survey_id) if survey.anonymous else 0
    if survey.anonymous and len(responses) < min_responses:
        shown: list[SurveyResponse] = []
    else:
        shown = responses
    return SurveyResults(
        survey.id,
        survey.key,
        survey.title,
        survey.anonymous,
        invited=sum(by_state.values()),
        finished=len(responses) + waiting,
        questions=[question_result(q, [r.answers.get(q.key) for r in shown]) for q in questions],
        responses=shown,
        waiting=waiting,
        min_responses=min_responses,
    )


async def event_ratings(session: AsyncSession, viewer: Viewer) -> list[EventRatings]:
    """Ratings of the events ``viewer`` may see, those with at least one rating, by start."""
    visible = await _visible_events_query(session, viewer)
    if visible is None:
        return []
    rows = (
        await session.execute(
            select(Event, SessionRating)
            .join(SessionRating, SessionRating.event_id == Event.id)
            .where(Event.id.in_(visible))
            .order_by(Event.starts_at, Event.id, SessionRating.id)
        )
    ).all()
    grouped: dict[int, tuple[Event, list[SessionRating]]] = {}
    for event, rating in rows:
        grouped.setdefault(event.id, (event, []))[1].append(rating)
    result = []
    for event, ratings in grouped.values():
        stars = [r.stars for r in ratings]
        mean, median = _scale_stats(stars)
        result.append(
            EventRatings(
                event.id,
                event.title,
                len(stars),
                mean,
                median,
                [stars.count(n) for n in range(1, 6)],
                [r.comment for r in ratings if r.comment],
            )
        )
    return result


def option_label(option: Option, lang: str) -> str:
    """An option's label in ``lang``: choice text, number, or Yes / No."""
    if isinstance(option.label, dict):
        return tr(option.label, lang)
    if option.key is True:
        return gettext("Yes", locale=lang)
    if option.key is False:
        return gettext("No", locale=lang)
    return option.label
