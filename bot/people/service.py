"""What the people handlers call: one transaction each, plain values in, plain values out.

Joining with an invite and the language (:mod:`bot.handlers.onboarding`), the flood limit
(:mod:`bot.handlers.flood`), the expected reply (:mod:`bot.handlers.replies`), /mydata and
/forget (:mod:`bot.handlers.privacy`) and the coordinators' tools: /invite, /invites, /roles,
/audit (:mod:`bot.handlers.people`). The handlers parse, call one function here, render and
send. Issuing an invite is :func:`bot.people.invites.issue`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.agenda.content import Delegation, Municipality, Participant, plain
from bot.db import models
from bot.db.engine import Database
from bot.db.models import Account
from bot.people import access, audit, flood, privacy
from bot.people.access import Member, RedeemOutcome, Role, TelegramPerson, Viewer
from bot.people.invites import Kind


async def redeem(
    db: Database, person: TelegramPerson, code: str, coordinator_ids: frozenset[int], now: datetime
) -> tuple[RedeemOutcome, Participant | None, Viewer]:
    """/start with an invite code: the outcome, the participant linked, and who the person is
    now (see :func:`bot.people.access.redeem_invite`)."""
    async with db.session() as s:
        # Held here, the account is read once: the session's identity map keeps it only while
        # someone refers to it, and the viewer below is made from it as redeemed.
        account = await s.get(Account, person.id)
        outcome, participant = await access.redeem_invite(s, person, code, now)
        viewer = await access.load_viewer(s, person, coordinator_ids, now)
        del account
        linked = plain(Participant, participant) if participant is not None else None
    return outcome, linked, viewer


async def set_language(db: Database, telegram_id: int, language: str) -> None:
    async with db.session() as s:
        await access.set_language(s, telegram_id, language)


async def stop_awaiting(db: Database, telegram_id: int) -> None:
    """The bot expects no particular reply from this person any more."""
    async with db.session() as s:
        await access.set_awaiting(s, telegram_id, None)


async def count_message(db: Database, telegram_id: int, now: datetime) -> flood.Verdict:
    """One free-text message against the person's flood limit (:func:`bot.people.flood.take`)."""
    async with db.session() as s:
        return await flood.take(s, telegram_id, now)


async def export_data(db: Database, telegram_id: int, now: datetime) -> dict[str, Any]:
    """/mydata: everything stored about the person, as a JSON-ready document."""
    async with db.session() as s:
        return await privacy.export_person(s, telegram_id, now)


async def forget(db: Database, telegram_id: int, now: datetime, staff_language: str) -> None:
    """/forget: the person's data deleted in every area."""
    async with db.session() as s:
        await privacy.forget_person(s, telegram_id, now, staff_language)


async def expire(
    db: Database, cutoff: datetime, now: datetime, staff_language: str
) -> dict[str, int]:
    """The retention job: what is older than ``cutoff`` erased; how much per area."""
    async with db.session() as s:
        return await privacy.expire_old_data(s, cutoff, now, staff_language)


@dataclass(frozen=True, slots=True)
class Targets:
    """One page of what an invite can be for: people, or groups (delegations, municipalities)."""

    total: int
    people: list[Participant] = field(default_factory=list)
    groups: list[Delegation | Municipality] = field(default_factory=list)


async def invite_targets(db: Database, kind: Kind, offset: int, limit: int) -> Targets:
    async with db.session() as s:
        rows, total = await access.invite_targets(s, kind, offset, limit)
        return Targets(
            total,
            [plain(Participant, r) for r in rows if isinstance(r, models.Participant)],
            [_group(r) for r in rows if isinstance(r, models.Delegation | models.Municipality)],
        )


def _group(row: models.Delegation | models.Municipality) -> Delegation | Municipality:
    if isinstance(row, models.Delegation):
        return plain(Delegation, row)
    return plain(Municipality, row)


async def invite_person(db: Database, participant_id: int) -> Participant | None:
    """The participant a personal invite would be for; None when there is none."""
    async with db.session() as s:
        found = await access.invite_target(s, "p", participant_id)
        return plain(Participant, found) if isinstance(found, models.Participant) else None


async def set_form(db: Database, participant_id: int, gender: str | None) -> None:
    """The form of a participant's role label (see :func:`bot.people.access.set_gender`)."""
    async with db.session() as s:
        await access.set_gender(s, participant_id, gender)


@dataclass(frozen=True, slots=True)
class Invite:
    """An invite as /invites lists it (its code is never stored)."""

    id: int
    label: str
    role: str
    uses: int
    max_uses: int
    expires_at: datetime | None
    gender: str | None = None  # the person's, for the role label (None: a group's invite)


def _invites(rows: list[tuple[models.Invite, str | None]]) -> list[Invite]:
    return [
        Invite(i.id, i.label, i.role, i.uses, i.max_uses, i.expires_at, gender)
        for i, gender in rows
    ]


async def active_invites(db: Database, now: datetime) -> list[Invite]:
    async with db.session() as s:
        return _invites(await access.active_invites(s, now))


async def revoke_invite(
    db: Database, invite_id: int, viewer: Viewer, now: datetime
) -> list[Invite]:
    """Revoke the invite (recorded in the audit log; a second revoke changes nothing) and return
    the invites still active."""
    async with db.session() as s:
        invite = await access.revoke_invite(s, invite_id, now)
        if invite is not None:
            target = f"invite {invite.id}: {invite.label}"
            await audit.record_by(s, viewer, "invite.revoke", target, now)
        return _invites(await access.active_invites(s, now))


async def members(
    db: Database, coordinator_ids: frozenset[int], offset: int, limit: int
) -> tuple[list[Member], int]:
    async with db.session() as s:
        return await access.members(s, coordinator_ids, offset, limit)


async def member(db: Database, coordinator_ids: frozenset[int], telegram_id: int) -> Member | None:
    async with db.session() as s:
        return await access.member(s, coordinator_ids, telegram_id)


async def change_role(
    db: Database, telegram_id: int, role: Role | None, viewer: Viewer, now: datetime
) -> None:
    """A new role for a member, or (None) their access revoked; a real change is audited."""
    async with db.session() as s:
        if role is None:
            changed = await access.revoke_access(s, telegram_id)
            action, detail = "role.revoke", ""
        else:
            changed = await access.grant_role(s, telegram_id, role)
            action, detail = "role.grant", role.value
        if changed:
            target = f"account {telegram_id}"
            await audit.record_by(s, viewer, action, target, now, role=detail)


async def set_member_form(
    db: Database, coordinator_ids: frozenset[int], telegram_id: int, gender: str | None
) -> Member | None:
    """The form of a member's role label (their participant's); the member after it, or None
    when they have no role or no participant (nothing is changed then)."""
    async with db.session() as s:
        found = await access.member(s, coordinator_ids, telegram_id)
        if found is None or found.participant_id is None:
            return None
        await access.set_gender(s, found.participant_id, gender)
        return await access.member(s, coordinator_ids, telegram_id)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log as /audit shows it."""

    at: datetime
    actor_id: int | None  # None: the command line
    actor_role: str
    action: str
    target: str  # "account 123", "invite 5: Olena", a file's name, ...
    role: str = ""  # the role given ("role.grant")


async def recent_audit(db: Database) -> tuple[list[AuditEntry], dict[int, access.Named]]:
    """The newest entries, and the people they name (who acted, whose account) by Telegram id."""
    async with db.session() as s:
        rows = await audit.recent(s)
        entries = [
            AuditEntry(
                e.at, e.actor_id, e.actor_role, e.action, e.target, e.details.get("role", "")
            )
            for e in rows
        ]
        ids = {e.actor_id for e in entries if e.actor_id is not None}
        for e in entries:
            kind, _sep, rest = e.target.partition(" ")
            if kind == "account" and rest.isdigit():
                ids.add(int(rest))
        return entries, await access.names(s, ids)


async def export_audit(db: Database, viewer: Viewer, now: datetime) -> bytes:
    """The whole audit log as CSV; the export itself is recorded in it."""
    async with db.session() as s:
        content = await audit.export_csv(s)
        await audit.record_by(s, viewer, "audit.export", "", now)
    return content
