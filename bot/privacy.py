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

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Account, Invite, Participant
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


#: Every area that keeps personal data. The account comes first; erasing goes in reverse order,
#: so the account, which the others refer to, goes last.
AREAS: list[PersonalData] = [
    PersonalData("account", _export_account, _erase_account),
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

