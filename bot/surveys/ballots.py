"""The ballot box of anonymous surveys: answers are published in shuffled batches of at least k.

Submitting an anonymous survey seals the person's answers in their own participation row
(``sealed``), exactly where their answers in progress already were. The answers become a
:class:`~bot.db.models.SurveyResponse` only later, in a transaction of their own that publishes
a whole batch: at least ``k`` sealed ballots of one survey (``BOT_ANONYMOUS_BATCH``, default 5),
or whatever is sealed when the survey closes. The batch is shuffled with the system's random
source before it is inserted, every response gets a random key, and the participation rows of
the batch are emptied in the same single statement. So, in the published table:

* no column names a person or a time, and the key is random;
* every response of a batch shares one transaction id (PostgreSQL ``xmin``) with all ``k``
  participation rows of that batch, never with one alone;
* the physical order (PostgreSQL ``ctid``; SQLite stores the table ``WITHOUT ROWID``, ordered by
  the random key) is a random permutation within the batch.

The limits (README, *Security and privacy*): until its batch is complete a sealed ballot sits in
the person's row, as answers in progress do; a batch of ``k`` tells which ``k`` people answered it,
so anonymity is "one of k", and a survey closed with fewer ballots than ``k`` publishes a smaller
batch, whose results are not shown (see :func:`bot.surveys.results.survey_results`). Old row
versions the database keeps until it vacuums, and its write-ahead log and backups, are outside
what a schema can control.
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Survey, SurveyParticipation, SurveyResponse

_random = random.SystemRandom()


async def sealed(session: AsyncSession, survey_id: int) -> int:
    """How many submitted ballots of ``survey_id`` wait for their batch."""
    count = await session.scalar(
        select(func.count()).where(
            SurveyParticipation.survey_id == survey_id, SurveyParticipation.sealed.is_(True)
        )
    )
    return int(count or 0)


async def publish(session: AsyncSession, survey_id: int, k: int, *, force: bool = False) -> int:
    """Publish the sealed ballots of ``survey_id`` as one shuffled batch when there are at least
    ``k`` of them (or any, with ``force``: the survey closes; a last batch smaller than ``k`` is
    mixed with responses published before, taken out and written again with new keys, so that
    it still counts ``k`` rows when the survey has that many). Returns how many were sealed.

    Call it in a transaction of its own, never in the one that sealed a ballot."""
    # A write on the survey row first: concurrent publishers of one survey queue here on both
    # databases (a row lock on PostgreSQL, the write lock on SQLite): no ballot goes out twice.
    await session.execute(
        update(Survey)
        .where(Survey.id == survey_id)
        .values(id=Survey.id)
        .execution_options(synchronize_session=False)
    )
    rows = (
        await session.execute(
            select(SurveyParticipation.id, SurveyParticipation.draft).where(
                SurveyParticipation.survey_id == survey_id, SurveyParticipation.sealed.is_(True)
            )
        )
    ).all()
    if not rows or (len(rows) < k and not force):
        return 0
    ballots = [dict(draft or {}) for _id, draft in rows]
    if len(ballots) < k:
        ballots += await _take_published(session, survey_id, k - len(ballots))
    _random.shuffle(ballots)
    await session.execute(
        insert(SurveyResponse),
        [{"id": secrets.token_hex(16), "survey_id": survey_id, "answers": a} for a in ballots],
    )
    await session.execute(
        update(SurveyParticipation)
        .where(SurveyParticipation.id.in_([row_id for row_id, _draft in rows]))
        .values(sealed=False, draft={})
        .execution_options(synchronize_session=False)
    )
    return len(rows)


async def _take_published(session: AsyncSession, survey_id: int, n: int) -> list[dict[str, Any]]:
    """Up to ``n`` published responses of ``survey_id``, chosen at random and deleted (to be
    written again in the current batch)."""
    keys = list(
        (
            await session.execute(
                select(SurveyResponse.id).where(SurveyResponse.survey_id == survey_id)
            )
        ).scalars()
    )
    chosen = _random.sample(keys, min(n, len(keys)))
    if not chosen:
        return []
    taken = (
        await session.execute(
            delete(SurveyResponse)
            .where(SurveyResponse.id.in_(chosen))
            .returning(SurveyResponse.answers)
        )
    ).scalars()
    return [dict(answers) for answers in taken]
