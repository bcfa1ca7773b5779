"""Issuing an invite: the one way, for the coordinators' /invite and ``python -m bot invite``.

An invite is for one participant (their role, one use), a delegation (mentees) or a Slovenian
host municipality (hosts); it is stored with a label (the name of what it is for), only the hash
of its code, and an entry in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import Delegation, Municipality, Participant
from bot.i18n import localize
from bot.infra import steps
from bot.people import access, audit
from bot.people.access import InviteTarget, Role

#: "p" a participant, "d" a delegation, "m" a host municipality.
Kind = Literal["p", "d", "m"]
#: Uses of a delegation's or municipality's invite when none is given.
GROUP_USES = 30


@dataclass(frozen=True, slots=True)
class Issued:
    """The invite made: ``code`` is shown once (only its hash is stored)."""

    id: int
    code: str
    label: str
    role: Role
    #: The participant's grammatical gender for the role label (None: the general form).
    gender: str | None
    expires_at: datetime
    max_uses: int


async def _by_key(session: AsyncSession, kind: Kind, key: str) -> InviteTarget | None:
    model = {"p": Participant, "d": Delegation, "m": Municipality}[kind]
    query = select(model).where(model.key == key)
    if kind == "m":
        query = query.where(Municipality.country == "SI")
    return (await session.execute(query)).scalar_one_or_none()


async def issue(
    db: Database,
    kind: Kind,
    target: int | str,
    *,
    now: datetime,
    days: int,
    uses: int | None,
    language: str,
    actor_id: int | None,
    actor_role: str,
    role: Role | None = None,
    step: steps.Step | None = None,
) -> Issued | None:
    """Invite to ``target`` (an id, or a key of the programme file) for ``days``; None when there
    is no such participant, delegation or host municipality. ``uses``: None gives one for a
    participant, :data:`GROUP_USES` for a group; ``role`` overrides the target's; the label is
    the target's name in ``language``. ``step`` is the /invite step pressed: used up in the
    same transaction (:class:`bot.infra.steps.Used` when it was used before)."""
    async with db.session() as session:
        await steps.take(session, step, now)
        if isinstance(target, int):
            found = await access.invite_target(session, kind, target)
        else:
            found = await _by_key(session, kind, target)
        if found is None:
            return None
        gender = None  # a group invite's people are not known yet: the general role label
        if isinstance(found, Participant):
            given, label, gender = Role(found.role), found.name, found.gender
            fields = {"participant_id": found.id}
        elif isinstance(found, Delegation):
            given, label = Role.MENTEE, localize(found.name, language)[0]
            fields = {"delegation_id": found.id}
        else:
            given, label = Role.HOST, localize(found.name, language)[0]
            fields = {"municipality_id": found.id}
        role = role or given
        max_uses = uses or (1 if isinstance(found, Participant) else GROUP_USES)
        expires = now + timedelta(days=days)
        invite, code = await access.create_invite(
            session,
            role=role,
            now=now,
            expires_at=expires,
            max_uses=max_uses,
            label=label,
            created_by=actor_id,
            **fields,
        )
        await audit.record(
            session,
            actor_id=actor_id,
            actor_role=actor_role,
            action="invite.create",
            target=f"invite {invite.id}: {label}",
            now=now,
            role=role.value,
            uses=max_uses,
            days=days,
        )
    return Issued(invite.id, code, label, role, gender, expires, max_uses)
