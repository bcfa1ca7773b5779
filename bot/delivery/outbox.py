"""The outbox API: how the rest of the bot schedules messages, and the steps the worker takes.

Anything the bot sends on its own initiative is *enqueued* here, one :class:`Outgoing` per
recipient, inside the caller's own transaction::

    async with db.session() as s:
        await enqueue(s, [outgoing("reminder", chat_id, eid, text_message(rendered_html), when,
                                   occurrence="r30")])
    worker.notify()  # optional: wake the delivery worker now instead of at its next poll

Enqueueing is idempotent: a key that is already in the outbox is ignored, whatever became of it,
so scheduling is "insert the rows that should exist" and may be repeated after a restart. Every
key is made by :func:`message_key` (through :func:`outgoing`); what a key is made of is also kept
in columns (``kind``, ``chat_id``, ``subject``, ``broadcast_id``), and :func:`cancel` selects by
those columns, never by parsing keys.

The delivery worker (:mod:`bot.delivery.worker`) then calls :func:`claim` and one of the
``mark_*`` / :func:`postpone` functions for each claimed row. Pure database code: no ``telegram``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.accounts import Account
from bot.db.models.outbox import (
    CANCELLED,
    FAILED,
    HELD,
    PENDING,
    SENDING,
    SENT,
    UNREACHABLE,
    OutboxMessage,
)

METHODS = ("sendMessage", "sendPhoto", "sendDocument", "editMessageText")
KEY_LIMIT = 200
_CHUNK = 500  # rows per INSERT: well under both databases' bound-parameter limits
_T = OutboxMessage.__table__


@dataclass(frozen=True)
class Outgoing:
    """One message to enqueue.

    Made by :func:`outgoing`. ``key`` is the idempotency key (:func:`message_key`); ``kind`` says
    which feature sent it ("broadcast", "reminder", "change", "survey", ...); ``subject`` is the
    object it is about (an event, a survey, a broadcast, a question), the column
    :func:`cancel` selects by; ``payload`` comes from :func:`text_message`,
    :func:`photo_message` or :func:`document_message`, already rendered in the recipient's
    language; ``due_at`` is an aware datetime (send now: ``clock.now()``).
    """

    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any]
    due_at: datetime
    broadcast_id: int | None = None
    subject: str | None = None
    #: An edit of a message that is being sent: it waits (``held``) until
    #: :func:`release_held` gives it that message's id.
    held: bool = False


@dataclass(frozen=True)
class Claimed:
    """A row a worker has claimed and must now send, then mark."""

    id: int
    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any]
    attempts: int
    broadcast_id: int | None
    subject: str | None = None


#: Called in the transaction that records a row of its kind as sent, with the row and Telegram's
#: message id: how a feature learns the id of a message it put in the outbox (the staff chat's
#: copy of a question, which replies and later edits refer to).
SentHook = Callable[[AsyncSession, Claimed, int, datetime], Awaitable[None]]


@dataclass(frozen=True)
class DeliveryStats:
    """How a broadcast's rows stand; ``pending`` includes rows being sent right now."""

    sent: int = 0
    pending: int = 0
    failed: int = 0
    unreachable: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.failed + self.unreachable + self.cancelled

    @property
    def done(self) -> bool:
        return self.pending == 0


def message_key(kind: str, recipient: int, obj: str | int, occurrence: str | int = "") -> str:
    """The idempotency key ``kind:recipient:object[:occurrence]``, e.g. ``reminder:123:event42:r3``.

    Use an occurrence that changes when the message must go out again (a moved event's new
    start time, a reminder's number), and stays the same when the same thing is scheduled twice.
    """
    parts = [kind, str(recipient), str(obj)] + ([str(occurrence)] if occurrence != "" else [])
    return ":".join(parts)


def outgoing(
    kind: str,
    chat_id: int,
    subject: str | int,
    payload: dict[str, Any],
    due_at: datetime,
    *,
    occurrence: str | int = "",
    broadcast_id: int | None = None,
    held: bool = False,
) -> Outgoing:
    """The message ``kind`` about ``subject`` to ``chat_id``, keyed by :func:`message_key`."""
    return Outgoing(
        key=message_key(kind, chat_id, subject, occurrence),
        kind=kind,
        chat_id=chat_id,
        payload=payload,
        due_at=due_at,
        broadcast_id=broadcast_id,
        subject=str(subject),
        held=held,
    )


def _with_markup(payload: dict[str, Any], reply_markup: Mapping[str, Any] | None) -> dict[str, Any]:
    if reply_markup is not None:
        payload["reply_markup"] = dict(reply_markup)
    return payload


def text_message(
    text: str, *, parse_mode: str | None = "HTML", reply_markup: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A ``sendMessage`` payload; ``reply_markup`` is Bot API JSON (``markup.to_dict()``)."""
    return _with_markup(
        {"method": "sendMessage", "text": text, "parse_mode": parse_mode}, reply_markup
    )


def edit_text_message(
    message_id: int,
    text: str,
    *,
    parse_mode: str | None = None,
    reply_markup: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``editMessageText`` payload: replaces the text of a message the bot sent earlier and
    its buttons (none without ``reply_markup``), e.g. a staff-chat question once answered, or
    deleted at the asker's request."""
    payload = {
        "method": "editMessageText",
        "message_id": message_id,
        "text": text,
        "parse_mode": parse_mode,
    }
    return _with_markup(payload, reply_markup)


def _media_message(
    method: str,
    file: str,
    caption: str | None,
    parse_mode: str | None,
    reply_markup: Mapping[str, Any] | None,
) -> dict[str, Any]:
    payload = {"method": method, "file": file, "caption": caption, "parse_mode": parse_mode}
    return _with_markup(payload, reply_markup)


def photo_message(
    file: str,
    *,
    caption: str | None = None,
    parse_mode: str | None = "HTML",
    reply_markup: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``sendPhoto`` payload; ``file`` is a Telegram ``file_id`` or an HTTPS URL."""
    return _media_message("sendPhoto", file, caption, parse_mode, reply_markup)


def document_message(
    file: str,
    *,
    caption: str | None = None,
    parse_mode: str | None = "HTML",
    reply_markup: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``sendDocument`` payload; ``file`` is a Telegram ``file_id`` or an HTTPS URL."""
    return _media_message("sendDocument", file, caption, parse_mode, reply_markup)


def _row(item: Outgoing) -> dict[str, Any]:
    if not item.key or len(item.key) > KEY_LIMIT:
        raise ValueError(f"outbox key must be 1-{KEY_LIMIT} characters: {item.key!r}")
    if item.payload.get("method") not in METHODS:
        raise ValueError(f"outbox payload method must be one of {METHODS}: {item.key!r}")
    if item.due_at.tzinfo is None:
        raise ValueError(f"outbox due_at must be an aware datetime: {item.key!r}")
    return {
        "key": item.key,
        "kind": item.kind,
        "chat_id": item.chat_id,
        "payload": item.payload,
        "due_at": item.due_at,
        "next_attempt_at": item.due_at,
        "status": HELD if item.held else PENDING,
        "attempts": 0,
        "broadcast_id": item.broadcast_id,
        "subject": item.subject,
    }


async def enqueue(session: AsyncSession, items: Iterable[Outgoing]) -> int:
    """Insert the messages whose key is not in the outbox yet; return how many were new.

    Runs in the caller's transaction (commit it, then :meth:`DeliveryWorker.notify`). Raises
    ``ValueError`` for a malformed item (empty or over-long key, unknown method, naive time).
    """
    rows = [_row(item) for item in items]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = 0
    for start in range(0, len(rows), _CHUNK):
        stmt = (
            insert(_T)
            .values(rows[start : start + _CHUNK])
            .on_conflict_do_nothing(index_elements=[_T.c.key])
            .returning(_T.c.id)
        )
        new += len((await session.execute(stmt)).all())
    return new


async def enqueue_latest(
    session: AsyncSession,
    kind: str,
    chat_id: int,
    subject: str | int,
    payload: dict[str, Any],
    now: datetime,
) -> bool:
    """The latest version of a message edited again and again (a broadcast's progress): only
    one edit of ``kind`` about ``subject`` in ``chat_id`` waits at a time.

    A waiting edit takes ``payload`` in its place; without one a new row is enqueued, unless the
    newest (sent or being sent) already carries ``payload``: Telegram refuses an edit to
    identical content. Returns whether the outbox changed (wake the worker).
    """
    subject = str(subject)
    mine = and_(_T.c.kind == kind, _T.c.chat_id == chat_id, _T.c.subject == subject)
    newest = (
        await session.execute(
            select(_T.c.id, _T.c.status, _T.c.payload).where(mine).order_by(_T.c.id.desc()).limit(1)
        )
    ).first()
    if newest is not None:
        if newest.payload == payload and newest.status in (PENDING, SENDING, SENT):
            return False
        if newest.status == PENDING:
            replaced = await session.execute(
                update(_T)
                .where(_T.c.id == newest.id, _T.c.status == PENDING)
                .values(payload=payload)
            )
            if replaced.rowcount:  # type: ignore[attr-defined]
                return True
    occurrence = "" if newest is None else f"after{newest.id}"
    item = outgoing(kind, chat_id, subject, payload, now, occurrence=occurrence)
    return bool(await enqueue(session, [item]))


@dataclass(frozen=True)
class Original:
    """The newest row of a kind about a subject (a message later edited): where it stands."""

    id: int
    chat_id: int
    status: str
    message_id: int | None


async def original(session: AsyncSession, kind: str, subject: str | int) -> Original | None:
    """The newest row of ``kind`` about ``subject`` (None: there is none)."""
    row = (
        await session.execute(
            select(_T.c.id, _T.c.chat_id, _T.c.status, _T.c.telegram_message_id)
            .where(_T.c.kind == kind, _T.c.subject == str(subject))
            .order_by(_T.c.id.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else Original(*row)


async def rewrite(session: AsyncSession, row_id: int, payload: dict[str, Any]) -> bool:
    """A row that still waits is sent as ``payload`` instead; False when a worker has claimed
    it meanwhile (or it is gone)."""
    done = await session.execute(
        update(_T).where(_T.c.id == row_id, _T.c.status == PENDING).values(payload=payload)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


async def release_held(
    session: AsyncSession, subject: str, chat_id: int, message_id: int, now: datetime
) -> int:
    """The message about ``subject`` in ``chat_id`` was sent as ``message_id``: the edits held
    for it (:attr:`Outgoing.held`) edit that message and are due now. Returns how many."""
    held = (
        await session.execute(
            select(_T.c.id, _T.c.payload).where(
                _T.c.status == HELD, _T.c.subject == subject, _T.c.chat_id == chat_id
            )
        )
    ).all()
    for row_id, payload in held:
        await session.execute(
            update(_T)
            .where(_T.c.id == row_id, _T.c.status == HELD)
            .values(
                status=PENDING, payload={**payload, "message_id": message_id}, next_attempt_at=now
            )
        )
    return len(held)


def _due(now: datetime) -> Any:
    # A "sending" row is due again once its lease has expired (next_attempt_at = claimed_until).
    return and_(_T.c.status.in_((PENDING, SENDING)), _T.c.next_attempt_at <= now)


async def claim(
    session: AsyncSession, worker_id: str, now: datetime, limit: int, lease: timedelta
) -> list[Claimed]:
    """Take up to ``limit`` due rows for ``worker_id`` until ``now + lease``, oldest first.

    Due means pending with ``next_attempt_at <= now``, or left in ``sending`` by a worker whose
    lease has expired (a crashed process: those rows are sent again, the in-flight window).
    Two workers never get the same row: PostgreSQL locks the candidates with
    ``FOR UPDATE SKIP LOCKED``; SQLite runs one ``UPDATE ... RETURNING`` under its write lock;
    and on both the UPDATE re-checks that each row is still due. Commit promptly.
    """
    until = now + lease
    candidates: Select[Any] = (
        select(_T.c.id).where(_due(now)).order_by(_T.c.next_attempt_at, _T.c.id).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        ids = list((await session.execute(candidates.with_for_update(skip_locked=True))).scalars())
        if not ids:
            return []
        target: Any = _T.c.id.in_(ids)
    else:
        target = _T.c.id.in_(candidates.scalar_subquery())
    stmt = (
        update(_T)
        .where(target, _due(now))
        .values(status=SENDING, claimed_by=worker_id, claimed_until=until, next_attempt_at=until)
        .returning(
            *(_T.c[name] for name in ("id", "key", "kind", "chat_id", "payload", "attempts")),
            _T.c.broadcast_id,
            _T.c.subject,
            _T.c.next_attempt_at,
        )
    )
    rows = (await session.execute(stmt)).all()
    rows.sort(key=lambda r: (r.next_attempt_at, r.id))
    return [
        Claimed(r.id, r.key, r.kind, r.chat_id, r.payload, r.attempts, r.broadcast_id, r.subject)
        for r in rows
    ]


def _mine(row_id: int, worker_id: str) -> Any:
    return and_(_T.c.id == row_id, _T.c.status == SENDING, _T.c.claimed_by == worker_id)


_RELEASE = {"claimed_by": None, "claimed_until": None}


async def mark_sent(session: AsyncSession, sent: Mapping[int, int | None], now: datetime) -> None:
    """Record rows as sent: ``sent`` maps row id -> Telegram's message id.

    Applies to a row still in ``sending`` whoever holds it, so a row a second worker re-claimed
    after a lease expiry is not sent once more by that worker's later attempt being lost.
    """
    if not sent:
        return
    stmt = (
        update(_T)
        .where(_T.c.id == bindparam("row_id"), _T.c.status == SENDING)
        .values(
            status=SENT,
            sent_at=now,
            telegram_message_id=bindparam("message_id"),
            attempts=_T.c.attempts + 1,
            error=None,
            **_RELEASE,
        )
    )
    await session.execute(stmt, [{"row_id": k, "message_id": v} for k, v in sent.items()])


async def mark_retry(
    session: AsyncSession, row_id: int, worker_id: str, at: datetime, error: str
) -> None:
    """A transient failure (time-out, network): count the attempt and try again at ``at``."""
    await session.execute(
        update(_T)
        .where(_mine(row_id, worker_id))
        .values(
            status=PENDING, next_attempt_at=at, attempts=_T.c.attempts + 1, error=error, **_RELEASE
        )
    )


async def postpone(session: AsyncSession, row_id: int, worker_id: str, at: datetime) -> None:
    """Give the row back untried, due at ``at`` (pacing, or Telegram's ``retry_after``)."""
    await session.execute(
        update(_T)
        .where(_mine(row_id, worker_id))
        .values(status=PENDING, next_attempt_at=at, **_RELEASE)
    )


async def mark_failed(session: AsyncSession, row_id: int, worker_id: str, reason: str) -> None:
    """Telegram refused the message (bad request) or retries ran out: final, with the reason."""
    await session.execute(
        update(_T)
        .where(_mine(row_id, worker_id))
        .values(status=FAILED, attempts=_T.c.attempts + 1, error=reason, **_RELEASE)
    )


async def mark_unreachable(
    session: AsyncSession, row_id: int, worker_id: str, chat_id: int, reason: str
) -> None:
    """The recipient blocked the bot: final, never retried; the account is marked unreachable."""
    await session.execute(
        update(_T)
        .where(_mine(row_id, worker_id))
        .values(status=UNREACHABLE, attempts=_T.c.attempts + 1, error=reason, **_RELEASE)
    )
    await session.execute(
        update(Account).where(Account.telegram_id == chat_id).values(reachable=False)
    )


async def cancel(
    session: AsyncSession,
    *,
    subject: str | int | None = None,
    kind: str | None = None,
    chat_id: int | None = None,
    broadcast_id: int | None = None,
) -> int:
    """Cancel the pending (and held) rows about ``subject`` (of that ``kind``, to that
    ``chat_id``, when given), or of a broadcast. Rows already being sent are not stopped.
    Returns how many rows were cancelled."""
    if subject is None and broadcast_id is None:
        raise ValueError("cancel needs a subject or a broadcast_id")
    conditions = [_T.c.status.in_((PENDING, HELD))]
    for column, value in (
        ("subject", None if subject is None else str(subject)),
        ("kind", kind),
        ("chat_id", chat_id),
        ("broadcast_id", broadcast_id),
    ):
        if value is not None:
            conditions.append(_T.c[column] == value)
    result = await session.execute(update(_T).where(*conditions).values(status=CANCELLED))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def broadcast_stats(
    session: AsyncSession, broadcast_ids: Iterable[int]
) -> dict[int, DeliveryStats]:
    """Figures per broadcast id (ids without rows are absent from the answer)."""
    ids = list(broadcast_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(_T.c.broadcast_id, _T.c.status, func.count())
        .where(_T.c.broadcast_id.in_(ids))
        .group_by(_T.c.broadcast_id, _T.c.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for broadcast_id, status, n in rows:
        field = "pending" if status in (PENDING, SENDING) else status
        per = counts.setdefault(broadcast_id, {})
        per[field] = per.get(field, 0) + n
    return {bid: DeliveryStats(**per) for bid, per in counts.items()}


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending or leased row becomes due (None when nothing is waiting)."""
    return await session.scalar(
        select(func.min(_T.c.next_attempt_at)).where(_T.c.status.in_((PENDING, SENDING)))
    )


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox: rows not yet final, and the oldest due moment among them."""

    depth: int
    oldest_due: datetime | None

    def oldest_age(self, now: datetime) -> float:
        """Seconds the oldest due row has waited (0 when none is due)."""
        if self.oldest_due is None or self.oldest_due > now:
            return 0.0
        return (now - self.oldest_due).total_seconds()


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    """The outbox's depth (pending and in flight) and its oldest row due by ``now``."""
    waiting = _T.c.status.in_((PENDING, SENDING))
    depth = await session.scalar(select(func.count()).select_from(_T).where(waiting))
    oldest = await session.scalar(select(func.min(_T.c.due_at)).where(_due(now)))
    return Backlog(depth=int(depth or 0), oldest_due=oldest)


async def outcomes_since(session: AsyncSession, since: datetime) -> dict[str, int]:
    """Rows created since ``since`` by status (``pending`` includes rows in flight)."""
    rows = await session.execute(
        select(_T.c.status, func.count()).where(_T.c.created_at >= since).group_by(_T.c.status)
    )
    counts: dict[str, int] = {}
    for status, n in rows:
        key = PENDING if status == SENDING else status
        counts[key] = counts.get(key, 0) + int(n)
    return counts
