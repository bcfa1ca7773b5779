"""Steps of a flow that make something, used once.

A coordinator's step (the last step of ``/invite``, the Send of a survey launch) is the message
its buttons are on. The service that makes the thing calls :func:`take` first, in the
transaction that makes it: the message is recorded as used, so the thing is made once — a double
tap, a press on another bot process, or a press after a restart finds the step used
(:class:`Used` is raised, the transaction rolls back, nothing is made). If making the thing
fails, the claim goes with it and the step can be used again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.inserts import insert_new
from bot.db.models import UsedStep


@dataclass(frozen=True, slots=True)
class Step:
    """The message a step's buttons are on."""

    chat_id: int
    message_id: int


class Used(Exception):
    """The step was used before: nothing is made."""


async def claim(session: AsyncSession, chat_id: int, message_id: int, now: datetime) -> bool:
    """True the first time the step on ``message_id`` in ``chat_id`` is used, False after."""
    values = {"chat_id": chat_id, "message_id": message_id, "used_at": now}
    unique = [UsedStep.chat_id, UsedStep.message_id]
    return await insert_new(session, UsedStep, values, unique, UsedStep.chat_id) is not None


async def take(session: AsyncSession, step: Step | None, now: datetime) -> None:
    """Use ``step`` up in the caller's transaction (None: not a step, e.g. the command line);
    :class:`Used` when it was used before."""
    if step is not None and not await claim(session, step.chat_id, step.message_id, now):
        raise Used(step)
