"""Who is talking to the bot, what they may see, and how invites link them to the programme.

A Telegram account is a *guest* until an invite links it to a participant record, which gives it a
role (mentee, host or coordinator) and a delegation or municipality. Telegram ids listed in the
configuration are coordinators without an invite. Invite codes carry 96 random bits and only their
SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.mirror import mirror
from bot.db.models import Account, Delegation, Invite, Municipality, Participant, Programme
from bot.i18n import LANGUAGES, guess_language
from bot.infra.freshness import bump, person_changed
from bot.infra.text import clean
from bot.people import awaiting
from bot.people.awaiting import Awaited


class Role(StrEnum):
    MENTEE = "mentee"
    HOST = "host"
    COORDINATOR = "coordinator"


#: Wrong invite codes tolerated per account before a pause.
MAX_BAD_CODES = 5
BAD_CODE_PAUSE = timedelta(minutes=15)
#: Wrong invite codes tolerated from all accounts together within ``BAD_CODE_PAUSE``: beyond it,
#: many accounts guessing a few codes each get "too many tries" for every code the database does
#: not know, until the window clears. A code it knows is still answered (linked, expired, used
#: up): with 96 random bits a guess has no practical chance of being one, so letting real codes
#: through gives a guesser nothing, and an attack cannot lock the programme's people out.
MAX_BAD_CODES_GLOBAL = 50

log = logging.getLogger(__name__)
#: Seen-at is refreshed at most this often, so an ordinary update costs no write.
_TOUCH_EVERY = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person behind the update being handled, as far as permissions are concerned."""

    telegram_id: int
    first_name: str
    language: str
    chosen_language: str | None
    role: Role | None
    participant_id: int | None = None
    delegation_id: int | None = None
    municipality_id: int | None = None
    #: The reply the bot expects next (None: none), see :func:`set_awaiting`.
    awaiting: Awaited | None = None
    #: The account's version this reflects (:mod:`bot.infra.freshness`).
    version: int = 0

    @property
    def invited(self) -> bool:
        """Invited people may see the programme's private details."""
        return self.role is not None

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.HOST)

    @property
    def needs_language(self) -> bool:
        return self.chosen_language is None


@dataclass(frozen=True, slots=True)
class TelegramPerson:
    """What Telegram tells us about a user (kept free of the ``telegram`` package)."""

    id: int
    first_name: str
    username: str | None
    language_code: str | None


async def load_viewer(
    session: AsyncSession, person: TelegramPerson, coordinator_ids: frozenset[int], now: datetime
) -> Viewer:
    """Find or create the account of ``person`` and work out their role and language."""
    account = await session.get(Account, person.id)
    if account is None:
        account = Account(
            telegram_id=person.id,
            first_name=clean(person.first_name)[:128],
            username=clean(person.username)[:64] or None,
            language_code=person.language_code,
            created_at=now,
            last_seen_at=now,
        )
        session.add(account)
        await session.flush()
    elif now - account.last_seen_at > _TOUCH_EVERY or account.language_code != person.language_code:
        account.last_seen_at = now
        account.first_name = clean(person.first_name)[:128]
        account.username = clean(person.username)[:64] or None
        account.language_code = person.language_code
    if not account.reachable:  # they write to us again, so they no longer block the bot
        account.reachable = True
    participant = (
        await session.get(Participant, account.participant_id) if account.participant_id else None
    )
    return _viewer(account, participant, coordinator_ids)


def _viewer(
    account: Account, participant: Participant | None, coordinator_ids: frozenset[int]
) -> Viewer:
    role: Role | None = None
    if account.telegram_id in coordinator_ids:
        role = Role.COORDINATOR
    elif account.role_override:
        role = Role(account.role_override)
    elif participant is not None:
        role = Role(participant.role)
    language = account.language or (participant.language if participant else None)
    return Viewer(
        telegram_id=account.telegram_id,
        first_name=account.first_name,
        language=language or guess_language(account.language_code),
        chosen_language=account.language,
        role=role,
        participant_id=participant.id if participant else None,
        delegation_id=participant.delegation_id if participant else None,
        municipality_id=participant.municipality_id if participant else None,
        awaiting=awaiting.parse(account.awaiting),
        version=account.version,
    )


_ACCOUNT = Account.__table__
#: Built once (bot.db.mirror): a person's language, and the reply expected from them.
_SET_LANGUAGE = (
    update(_ACCOUNT)
    .where(_ACCOUNT.c.telegram_id == bindparam("person"))
    .values(language=bindparam("chosen"))
    .returning(_ACCOUNT.c.version)
)
_SET_AWAITING = (
    update(_ACCOUNT)
    .where(
        _ACCOUNT.c.telegram_id == bindparam("person"),
        _ACCOUNT.c.awaiting.is_distinct_from(bindparam("expected")),
    )
    .values(awaiting=bindparam("expected"), awaiting_kind=bindparam("kind"))
    .returning(_ACCOUNT.c.version)
)
_CLEAR_AWAITING = (
    update(_ACCOUNT)
    .where(
        _ACCOUNT.c.telegram_id == bindparam("person"),
        _ACCOUNT.c.awaiting_kind.in_(bindparam("kinds", expanding=True)),
    )
    .values(awaiting=None, awaiting_kind=None)
    .returning(_ACCOUNT.c.version)
)


async def set_language(session: AsyncSession, telegram_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    was = await session.scalar(_SET_LANGUAGE, {"person": telegram_id, "chosen": language})
    mirror(session, Account, telegram_id, language=language)
    await person_changed(
        session,
        telegram_id,
        was=was,
        patch=lambda viewer: replace(viewer, language=language, chosen_language=language),
    )


#: ``session.info`` key: the expected reply (as stored) of each person, as the transaction read
#: it (:func:`note_awaiting`) or last wrote it.
_AWAITING_READ = "access.awaiting"


def note_awaiting(session: AsyncSession, telegram_id: int, stored: str | None) -> None:
    """The person's expected reply as ``session``'s transaction just read it (the stored text):
    setting the same one again in this transaction costs no statement (a survey's every step
    reads it with the person's participation, and most steps expect what was expected)."""
    session.info.setdefault(_AWAITING_READ, {})[telegram_id] = stored


async def set_awaiting(session: AsyncSession, telegram_id: int, expected: Awaited | None) -> None:
    """Remember which reply the bot expects next from this person (None: none).

    Only a real change counts as one, so every process's cached viewer of this person learns it
    (within ``cache_check_seconds``; at once in this process) while the repeated steps of a survey
    or a draft cost no write; nobody else's cached viewer is dropped.
    """
    stored = expected.pack() if expected is not None else None
    read: dict[int, str | None] = session.info.setdefault(_AWAITING_READ, {})
    if telegram_id in read and read[telegram_id] == stored:
        return  # what the transaction read: no change, no statement
    kind = type(expected).prefix if expected is not None else None
    was = await session.scalar(
        _SET_AWAITING, {"person": telegram_id, "expected": stored, "kind": kind}
    )
    read[telegram_id] = stored
    if was is not None:
        mirror(session, Account, telegram_id, awaiting=stored, awaiting_kind=kind)
        await person_changed(session, telegram_id, was=was, patch=_awaiting(expected))


async def clear_awaiting(session: AsyncSession, telegram_id: int, *kinds: type[Awaited]) -> None:
    """Forget the expected reply if it is of one of ``kinds`` (by the kind's own column, so a
    kind whose prefix begins another's is told apart)."""
    was = await session.scalar(
        _CLEAR_AWAITING, {"person": telegram_id, "kinds": [k.prefix for k in kinds]}
    )
    session.info.get(_AWAITING_READ, {}).pop(telegram_id, None)  # cleared or not: unknown here
    if was is not None:
        mirror(session, Account, telegram_id, awaiting=None, awaiting_kind=None)
        await person_changed(session, telegram_id, was=was, patch=_awaiting(None))


def _awaiting(expected: Awaited | None) -> Callable[[Viewer], Viewer]:
    return lambda viewer: replace(viewer, awaiting=expected)


# ------------------------------------------------------------------------------------ invites


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def new_code() -> str:
    """A code for a ``t.me/<bot>?start=<code>`` link: 96 random bits, URL-safe (16 chars)."""
    return secrets.token_urlsafe(12)


async def create_invite(
    session: AsyncSession,
    *,
    role: Role,
    now: datetime,
    participant_id: int | None = None,
    delegation_id: int | None = None,
    municipality_id: int | None = None,
    expires_at: datetime | None = None,
    max_uses: int = 1,
    label: str = "",
    created_by: int | None = None,
) -> tuple[Invite, str]:
    """Create an invite; returns the row and the plain code (shown once, stored only hashed)."""
    code = new_code()
    invite = Invite(
        code_hash=hash_code(code),
        role=role.value,
        participant_id=participant_id,
        delegation_id=delegation_id,
        municipality_id=municipality_id,
        expires_at=expires_at,
        max_uses=max_uses,
        label=label,
        created_by=created_by,
        created_at=now,
    )
    session.add(invite)
    await session.flush()
    return invite, code


class RedeemOutcome(StrEnum):
    LINKED = "linked"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED_UP = "used_up"
    TOO_MANY_TRIES = "too_many_tries"


async def redeem_invite(
    session: AsyncSession, person: TelegramPerson, code: str, now: datetime
) -> tuple[RedeemOutcome, Participant | None]:
    """Link the account to the invite's participant (a delegation invite creates one)."""
    account = await session.get(Account, person.id)
    if account is None:
        raise LookupError("load_viewer() creates the account first")
    if (
        account.bad_code_count >= MAX_BAD_CODES
        and account.last_bad_code_at is not None
        and now - account.last_bad_code_at < BAD_CODE_PAUSE
    ):
        return RedeemOutcome.TOO_MANY_TRIES, None
    invite = (
        await session.execute(select(Invite).where(Invite.code_hash == hash_code(code)))
    ).scalar_one_or_none()
    outcome = _check_invite(invite, now)
    if outcome is RedeemOutcome.USED_UP:
        return outcome, None
    if outcome is not None:
        paused = await _recent_bad_codes(session, now) >= MAX_BAD_CODES_GLOBAL
        account.bad_code_count = (
            account.bad_code_count + 1
            if account.last_bad_code_at and now - account.last_bad_code_at < BAD_CODE_PAUSE
            else 1
        )
        account.last_bad_code_at = now
        await session.flush()
        if not paused and await _recent_bad_codes(session, now) >= MAX_BAD_CODES_GLOBAL:
            log.warning(  # it trips: say so once
                "invite codes paused for everyone: %d wrong codes from all accounts within %s "
                "(unknown codes are refused until the window clears; real codes still work)",
                MAX_BAD_CODES_GLOBAL,
                BAD_CODE_PAUSE,
            )
        if paused and outcome is RedeemOutcome.INVALID:
            return RedeemOutcome.TOO_MANY_TRIES, None
        return outcome, None
    assert invite is not None
    # The use is claimed by one conditional UPDATE, checked by its row count: atomic on both
    # databases (SQLite ignores SELECT ... FOR UPDATE, so a read-then-write would race).
    claimed = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses < Invite.max_uses, Invite.revoked_at.is_(None))
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return RedeemOutcome.USED_UP, None
    participant = await _participant_for(session, invite, person)
    account.participant_id = participant.id
    account.role_override = None
    account.bad_code_count = 0
    # Joining changes what this person may see, nobody else's view: only their viewer is dropped.
    await person_changed(session, person.id)
    return RedeemOutcome.LINKED, participant


async def _recent_bad_codes(session: AsyncSession, now: datetime) -> int:
    """Wrong codes of all accounts within the last ``BAD_CODE_PAUSE``."""
    recent = await session.scalar(
        select(func.coalesce(func.sum(Account.bad_code_count), 0)).where(
            Account.last_bad_code_at > now - BAD_CODE_PAUSE
        )
    )
    return int(recent or 0)


def _check_invite(invite: Invite | None, now: datetime) -> RedeemOutcome | None:
    if invite is None or invite.revoked_at is not None:
        return RedeemOutcome.INVALID
    if invite.expires_at is not None and invite.expires_at <= now:
        return RedeemOutcome.EXPIRED
    if invite.uses >= invite.max_uses:
        return RedeemOutcome.USED_UP
    return None


async def _participant_for(
    session: AsyncSession, invite: Invite, person: TelegramPerson
) -> Participant:
    if invite.participant_id is not None:
        participant = await session.get(Participant, invite.participant_id)
        if participant is not None:
            # Whoever held this participant before is unlinked: one account per person.
            await session.execute(
                update(Account)
                .where(Account.participant_id == participant.id)
                .values(participant_id=None)
            )
            await session.flush()
            return participant
    participant = (
        await session.execute(select(Participant).where(Participant.key == f"tg-{person.id}"))
    ).scalar_one_or_none()
    if participant is None:
        name = clean(person.first_name)[:200]
        participant = Participant(key=f"tg-{person.id}", name=name, role="")
        session.add(participant)
    participant.role = invite.role
    participant.delegation_id = invite.delegation_id
    participant.municipality_id = invite.municipality_id
    await session.flush()
    return participant


async def link_account(session: AsyncSession, telegram_id: int, participant_id: int) -> None:
    """Link an account to a participant directly (console demo, coordinators' tools)."""
    await session.execute(
        update(Account).where(Account.participant_id == participant_id).values(participant_id=None)
    )
    await session.execute(
        update(Account)
        .where(Account.telegram_id == telegram_id)
        .values(participant_id=participant_id)
    )
    await bump(session)


async def reset_account(
    session: AsyncSession, person: TelegramPerson, role: Role | None, now: datetime
) -> Participant | None:
    """Start a fresh account for ``person`` linked to the first participant with ``role``.

    The console uses it so that every demo starts as a first contact with the chosen role.
    """
    existing = await session.get(Account, person.id)
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    session.add(
        Account(
            telegram_id=person.id,
            first_name=clean(person.first_name)[:128],
            username=clean(person.username)[:64] or None,
            language_code=person.language_code,
            created_at=now,
            last_seen_at=now,
        )
    )
    await session.flush()
    await bump(session)
    if role is None:
        return None
    participant = (
        (
            await session.execute(
                select(Participant).where(Participant.role == role.value).order_by(Participant.id)
            )
        )
        .scalars()
        .first()
    )
    if participant is not None:
        await link_account(session, person.id, participant.id)
    return participant


# ----------------------------------------------------------------- coordinators' tools


async def active_invites(session: AsyncSession, now: datetime) -> list[tuple[Invite, str | None]]:
    """Invites that can still be used, newest first, each with the grammatical gender of its
    person's role label (None: a group's invite, or not given)."""
    rows = await session.execute(
        select(Invite, Participant.gender)
        .outerjoin(Participant, Participant.id == Invite.participant_id)
        .where(Invite.revoked_at.is_(None), Invite.uses < Invite.max_uses)
        .order_by(Invite.id.desc())
    )
    return [(i, g) for i, g in rows.all() if i.expires_at is None or i.expires_at > now]


async def revoke_invite(session: AsyncSession, invite_id: int, now: datetime) -> Invite | None:
    invite = await session.get(Invite, invite_id)
    if invite is None or invite.revoked_at is not None:
        return None
    invite.revoked_at = now
    return invite


@dataclass(frozen=True, slots=True)
class Member:
    """A linked account as coordinators see it in the roles screen."""

    telegram_id: int
    name: str
    role: Role | None
    delegation_id: int | None
    municipality_id: int | None
    gender: str | None = None  # of the role label, from the programme file
    participant_id: int | None = None


#: The grammatical forms of a role label a participant may have (None: the general form).
GENDERS = ("f", "m")


async def set_gender(
    session: AsyncSession, participant_id: int, gender: str | None
) -> Participant | None:
    """Set the form of a participant's role label ("f", "m", or None for the general form), as
    the programme file's ``gender`` does; None when there is no such participant. It is
    programme content: the content version is bumped, and an export carries it."""
    if gender is not None and gender not in GENDERS:
        raise ValueError(f"gender must be one of {GENDERS} or None")
    participant = await session.get(Participant, participant_id)
    if participant is None:
        return None
    if participant.gender != gender:
        participant.gender = gender
        await session.execute(
            update(Programme).values(content_version=Programme.content_version + 1)
        )
    return participant


async def members(
    session: AsyncSession, coordinator_ids: frozenset[int], offset: int = 0, limit: int = 8
) -> tuple[list[Member], int]:
    """Accounts with a role (by invite or granted), paged; returns the page and the total."""
    query = (
        select(Account, Participant)
        .outerjoin(Participant, Participant.id == Account.participant_id)
        .where((Account.participant_id.is_not(None)) | (Account.role_override.is_not(None)))
        .order_by(Account.first_name, Account.telegram_id)
    )
    rows = (await session.execute(query)).all()
    page = [
        _member(account, participant, coordinator_ids)
        for account, participant in rows[offset : offset + limit]
    ]
    return page, len(rows)


async def member(
    session: AsyncSession, coordinator_ids: frozenset[int], telegram_id: int
) -> Member | None:
    """The account ``telegram_id`` as :func:`members` lists it; None when it has no role."""
    row = (
        await session.execute(
            select(Account, Participant)
            .outerjoin(Participant, Participant.id == Account.participant_id)
            .where(
                Account.telegram_id == telegram_id,
                (Account.participant_id.is_not(None)) | (Account.role_override.is_not(None)),
            )
        )
    ).first()
    return None if row is None else _member(row[0], row[1], coordinator_ids)


@dataclass(frozen=True, slots=True)
class Named:
    """A person as the audit log names them: the name /roles shows, the role label's form."""

    name: str
    gender: str | None


async def names(session: AsyncSession, telegram_ids: set[int]) -> dict[int, Named]:
    """These accounts by name, as /roles shows them (the participant's name, else Telegram's),
    with their participant's grammatical gender."""
    if not telegram_ids:
        return {}
    rows = await session.execute(
        select(Account.telegram_id, Participant.name, Account.first_name, Participant.gender)
        .outerjoin(Participant, Participant.id == Account.participant_id)
        .where(Account.telegram_id.in_(telegram_ids))
    )
    return {
        tid: Named(participant or first, gender)
        for tid, participant, first, gender in rows.all()
        if participant or first
    }


def _member(
    account: Account, participant: Participant | None, coordinator_ids: frozenset[int]
) -> Member:
    return Member(
        telegram_id=account.telegram_id,
        name=participant.name if participant else account.first_name,
        role=_viewer(account, participant, coordinator_ids).role,
        delegation_id=participant.delegation_id if participant else None,
        municipality_id=participant.municipality_id if participant else None,
        gender=participant.gender if participant else None,
        participant_id=participant.id if participant else None,
    )


async def grant_role(session: AsyncSession, telegram_id: int, role: Role) -> bool:
    """Give an existing account a role in the bot (overrides the participant's role); False
    when it has that role already (a double tap changes nothing, on any process)."""
    changed = await session.execute(
        update(Account)
        .where(
            Account.telegram_id == telegram_id,
            Account.role_override.is_distinct_from(role.value),
        )
        .values(role_override=role.value)
        .execution_options(synchronize_session=False)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        return False
    await bump(session)
    return True


async def revoke_access(session: AsyncSession, telegram_id: int) -> bool:
    """Take every role away: the account becomes a guest again; False when it is one already."""
    changed = await session.execute(
        update(Account)
        .where(
            Account.telegram_id == telegram_id,
            or_(Account.role_override.is_not(None), Account.participant_id.is_not(None)),
        )
        .values(role_override=None, participant_id=None)
        .execution_options(synchronize_session=False)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        return False
    await bump(session)
    return True


InviteTarget = Participant | Delegation | Municipality


async def invite_targets(
    session: AsyncSession, kind: str, offset: int, limit: int
) -> tuple[list[InviteTarget], int]:
    """People ("p"), delegations ("d") or Slovenian host municipalities ("m"), paged."""
    query: Any
    if kind == "p":
        query = (
            select(Participant).where(~Participant.key.startswith("tg-")).order_by(Participant.name)
        )
    elif kind == "d":
        query = select(Delegation).order_by(Delegation.key)
    elif kind == "m":
        query = select(Municipality).where(Municipality.country == "SI").order_by(Municipality.key)
    else:
        raise ValueError(kind)
    rows = list((await session.execute(query)).scalars())
    return rows[offset : offset + limit], len(rows)


async def invite_target(session: AsyncSession, kind: str, target_id: int) -> InviteTarget | None:
    model = {"p": Participant, "d": Delegation, "m": Municipality}.get(kind)
    if model is None:
        return None
    target = await session.get(model, target_id)
    if isinstance(target, Municipality) and target.country != "SI":
        return None
    return target
