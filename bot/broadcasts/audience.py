"""Who a broadcast reaches: the audience filter, its resolution to people, and hosts' scope.

An :class:`Audience` has five dimensions — visits, delegations, municipalities, roles and
languages. Values within a dimension are alternatives (delegation A *or* B); dimensions combine
(delegation A *and* role mentee). An empty audience is everyone.

- a *visit* reaches the visiting delegation's members and the hosts of the host municipality;
- a *municipality* reaches the people of that municipality: its hosts, and the members of the
  delegation it sends;
- a *role* is the role the bot gives the person (configured coordinator ids count as
  coordinators); a *language* is the language the person reads the bot in.

The people are the accounts linked to a participant, plus the configured coordinators who have
talked to the bot. A host may only reach the delegations visiting their municipality
(:func:`host_scope`): their audience is always narrowed to those delegations' members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Account, Delegation, Municipality, Participant, Visit
from bot.i18n import LANGUAGES, guess_language
from bot.people.access import Role, Viewer

#: Dimension letters as used in callback data and in the stored JSON.
DIMENSIONS = ("visits", "delegations", "municipalities", "roles", "languages")
ROLES = tuple(r.value for r in Role)


class AudienceError(ValueError):
    """An audience names something that does not exist or the author may not reach."""


@dataclass(frozen=True)
class Audience:
    visits: frozenset[int] = frozenset()
    delegations: frozenset[int] = frozenset()
    municipalities: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()

    @property
    def everyone(self) -> bool:
        return not any(getattr(self, d) for d in DIMENSIONS)

    def to_json(self) -> dict[str, Any]:
        return {d: sorted(getattr(self, d)) for d in DIMENSIONS if getattr(self, d)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        data = data or {}
        return cls(**{d: frozenset(data.get(d) or ()) for d in DIMENSIONS})

    def toggled(self, dimension: str, value: int | str) -> Audience:
        """This audience with ``value`` added to or removed from ``dimension``."""
        if dimension not in DIMENSIONS:
            raise AudienceError(f"unknown audience dimension {dimension!r}")
        if dimension == "roles" and value not in ROLES:
            raise AudienceError(f"unknown role {value!r}")
        if dimension == "languages" and value not in LANGUAGES:
            raise AudienceError(f"unknown language {value!r}")
        current: frozenset[Any] = getattr(self, dimension)
        changed = current - {value} if value in current else current | {value}
        return Audience(**{**{d: getattr(self, d) for d in DIMENSIONS}, dimension: changed})


@dataclass(frozen=True)
class Recipient:
    telegram_id: int
    name: str
    role: str
    language: str
    delegation_id: int | None = None
    municipality_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """What an author may reach: everything (coordinators) or some delegations (hosts)."""

    delegations: frozenset[int] | None = None  # None: no limit
    visits: frozenset[int] = field(default_factory=frozenset)

    @property
    def limited(self) -> bool:
        return self.delegations is not None


EVERYTHING = Scope()


async def host_scope(session: AsyncSession, municipality_id: int | None) -> Scope:
    """The delegations (and their visits) that visit a host's municipality."""
    if municipality_id is None:
        return Scope(delegations=frozenset())
    rows = (
        await session.execute(
            select(Visit.id, Visit.delegation_id).where(
                Visit.host_municipality_id == municipality_id
            )
        )
    ).all()
    return Scope(
        delegations=frozenset(r.delegation_id for r in rows), visits=frozenset(r.id for r in rows)
    )


async def scope_of(session: AsyncSession, viewer: Viewer) -> Scope | None:
    """What ``viewer`` may broadcast to; None when they may not broadcast at all."""
    if viewer.role is Role.COORDINATOR:
        return EVERYTHING
    if viewer.role is Role.HOST:
        scope = await host_scope(session, viewer.municipality_id)
        return scope if scope.delegations else None
    return None


def check_scope(audience: Audience, scope: Scope) -> None:
    """Refuse an audience naming a visit or delegation outside a host's scope."""
    if not scope.limited:
        return
    assert scope.delegations is not None
    if not audience.delegations <= scope.delegations or not audience.visits <= scope.visits:
        raise AudienceError("outside the author's delegations")
    if audience.municipalities:
        raise AudienceError("hosts choose delegations or visits, not municipalities")


async def everyone(session: AsyncSession, coordinator_ids: Iterable[int]) -> list[Recipient]:
    """Every person a broadcast can reach, with what the filters look at."""
    coordinators = frozenset(coordinator_ids)
    rows = (
        await session.execute(
            select(Account, Participant)
            .outerjoin(Participant, Participant.id == Account.participant_id)
            .where(
                or_(
                    Account.participant_id.is_not(None),
                    Account.telegram_id.in_(coordinators or {-1}),
                )
            )
            .order_by(Account.telegram_id)
        )
    ).all()
    people = []
    for account, participant in rows:
        if account.telegram_id in coordinators:
            role = Role.COORDINATOR.value
        else:
            role = account.role_override or (participant.role if participant else "")
        if role not in ROLES:
            continue
        language = (
            account.language
            or (participant.language if participant else None)
            or guess_language(account.language_code)
        )
        people.append(
            Recipient(
                telegram_id=account.telegram_id,
                name=participant.name if participant else account.first_name,
                role=role,
                language=language,
                delegation_id=participant.delegation_id if participant else None,
                municipality_id=participant.municipality_id if participant else None,
            )
        )
    return people


async def resolve(
    session: AsyncSession, audience: Audience, coordinator_ids: Iterable[int], scope: Scope
) -> list[Recipient]:
    """The people ``audience`` reaches within ``scope``, ordered by Telegram id."""
    check_scope(audience, scope)
    visits = (
        (await session.execute(select(Visit).where(Visit.id.in_(audience.visits)))).scalars().all()
        if audience.visits
        else []
    )
    sending = {  # municipality -> the delegations it sends
        m: set(
            (
                await session.execute(select(Delegation.id).where(Delegation.municipality_id == m))
            ).scalars()
        )
        for m in audience.municipalities
    }

    def in_visits(p: Recipient) -> bool:
        return any(
            p.delegation_id == v.delegation_id
            or (p.role == Role.HOST.value and p.municipality_id == v.host_municipality_id)
            for v in visits
        )

    def in_municipalities(p: Recipient) -> bool:
        return any(
            p.municipality_id == m or p.delegation_id in sending[m] for m in audience.municipalities
        )

    chosen = []
    for person in await everyone(session, coordinator_ids):
        if scope.delegations is not None and person.delegation_id not in scope.delegations:
            continue
        if audience.visits and not in_visits(person):
            continue
        if audience.delegations and person.delegation_id not in audience.delegations:
            continue
        if audience.municipalities and not in_municipalities(person):
            continue
        if audience.roles and person.role not in audience.roles:
            continue
        if audience.languages and person.language not in audience.languages:
            continue
        chosen.append(person)
    return chosen


# -------------------------------------------------------------------- choices and their names


@dataclass(frozen=True)
class Choice:
    """One value the author can pick in a dimension, with its multilingual name."""

    value: int | str
    name: dict[str, Any] | str


async def choices(session: AsyncSession, dimension: str, scope: Scope) -> list[Choice]:
    """The values of ``dimension`` the author may pick (names are multilingual dicts)."""
    if dimension == "visits":
        query = select(Visit).where(Visit.archived_at.is_(None)).order_by(Visit.starts_on, Visit.id)
        if scope.limited:
            query = query.where(Visit.id.in_(scope.visits))
        return [Choice(v.id, v.title) for v in (await session.execute(query)).scalars()]
    if dimension == "delegations":
        dq = select(Delegation).order_by(Delegation.key)
        if scope.delegations is not None:
            dq = dq.where(Delegation.id.in_(scope.delegations))
        return [Choice(d.id, d.name) for d in (await session.execute(dq)).scalars()]
    if dimension == "municipalities":
        if scope.limited:
            return []
        mq = select(Municipality).order_by(Municipality.country, Municipality.key)
        return [Choice(m.id, m.name) for m in (await session.execute(mq)).scalars()]
    if dimension == "roles":
        return [Choice(r, r) for r in ROLES]
    if dimension == "languages":
        return [Choice(lang, lang) for lang in LANGUAGES]
    raise AudienceError(f"unknown audience dimension {dimension!r}")


async def names(session: AsyncSession, audience: Audience) -> dict[str, list[dict[str, Any] | str]]:
    """The names of what ``audience`` picks, per dimension (for the summary)."""
    out: dict[str, list[dict[str, Any] | str]] = {}
    for dimension, model, column in (
        ("visits", Visit, Visit.title),
        ("delegations", Delegation, Delegation.name),
        ("municipalities", Municipality, Municipality.name),
    ):
        ids = getattr(audience, dimension)
        if ids:
            rows = await session.execute(select(column).where(model.id.in_(ids)).order_by(model.id))
            out[dimension] = list(rows.scalars())
    for dimension in ("roles", "languages"):
        values = getattr(audience, dimension)
        if values:
            out[dimension] = sorted(values)
    return out


async def find_by_keys(
    session: AsyncSession, dimension: str, keys: Iterable[str]
) -> frozenset[int]:
    """Ids of visits / delegations / municipalities by their programme-file keys (command line)."""
    model = {"visits": Visit, "delegations": Delegation, "municipalities": Municipality}[dimension]
    wanted = set(keys)
    rows = (await session.execute(select(model.id, model.key).where(model.key.in_(wanted)))).all()
    missing = wanted - {r.key for r in rows}
    if missing:
        raise AudienceError(f"unknown {dimension}: {', '.join(sorted(missing))}")
    return frozenset(r.id for r in rows)
