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

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Account,
    AuditEntry,
    Broadcast,
    BroadcastRecipient,
    Event,
    FaqEntry,
    Invite,
    OutboxMessage,
    Participant,
    Programme,
    Question,
    SessionRating,
    Survey,
    SurveyParticipation,
    SurveyResponse,
    UsedStep,
)
from bot.db.models.outbox import SENDING, SENT
from bot.delivery import outbox
from bot.i18n import gettext
from bot.infra.freshness import bump
from bot.questions import service as questions

Exporter = Callable[[AsyncSession, int], Awaitable[Any]]
Eraser = Callable[[AsyncSession, "Forgetting"], Awaitable[None]]
Expirer = Callable[[AsyncSession, "Forgetting"], Awaitable[int]]


@dataclass(frozen=True)
class Forgetting:
    """What erasing needs besides the session: whose data (or which cut-off), when, and the
    language of the staff chat, where copies of questions are replaced by a short notice."""

    now: datetime
    telegram_id: int = 0
    cutoff: datetime | None = None
    staff_language: str = "en"


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


async def _erase_account(session: AsyncSession, who: Forgetting) -> None:
    telegram_id = who.telegram_id
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def _export_questions(session: AsyncSession, telegram_id: int) -> Any:
    rows = await session.execute(
        select(Question).where(Question.asker_id == telegram_id).order_by(Question.id)
    )
    asked = list(rows.scalars())
    faq_ids = [q.faq_entry_id for q in asked if q.faq_entry_id is not None]
    entries = (
        (await session.execute(select(FaqEntry).where(FaqEntry.id.in_(faq_ids)))).scalars()
        if faq_ids
        else []
    )
    answered = await session.execute(
        select(Question.id, Question.answered_at, Question.answered_by_name)
        .where(Question.answered_by == telegram_id)
        .order_by(Question.id)
    )
    return {
        "asked": [
            {
                "asked_at": _iso(q.created_at),
                "text": q.text,
                "language": q.language,
                "status": q.status,
                "answer": q.answer_text,
                "answered_at": _iso(q.answered_at),
                "vote": q.vote,
                "copied_to_staff_chat": q.staff_message_id is not None,
                "made_into_faq_entry": q.faq_entry_id,
            }
            for q in asked
        ],
        "faq_entries_made_from_my_questions": [
            {"id": e.id, "question": e.question, "answer": e.answer} for e in entries
        ],
        "questions_i_answered": [
            {"question": qid, "answered_at": _iso(at), "answered_as": name}
            for qid, at, name in answered.all()
        ],
    }


def staff_notice(language: str) -> str:
    """What a question's message in the staff chat becomes when its words are erased."""
    return gettext(
        "🗑 This question was deleted at the asker’s request or at the end of its retention period.",
        locale=language,
    )


async def _erase_copies(session: AsyncSession, asked: list[Question], who: Forgetting) -> int:
    """The copies of ``asked`` outside the question rows: the staff-chat messages are edited to
    a short notice through the outbox (copies and answers not sent yet are cancelled; a copy
    being sent right now is edited once it is sent), and the FAQ entries made from them are
    deleted."""
    # The questions' rows first: a worker recording a copy as sent writes its question's row
    # before it releases the edits held for it (see bot.questions.service.edit_staff_copy).
    ids = [q.id for q in asked]
    await session.execute(select(Question.id).where(Question.id.in_(ids)).with_for_update())
    for q in asked:
        await outbox.cancel(session, subject=questions.outbox_subject(q.id))
    items = [
        held
        for q in asked
        if q.staff_message_id is None
        and (held := await _erase_when_sent(session, q, who)) is not None
    ]
    items += [
        outbox.outgoing(
            "staff_erase",
            q.staff_chat_id,
            f"m{q.staff_message_id}",
            outbox.edit_text_message(q.staff_message_id, staff_notice(who.staff_language)),
            who.now,
        )
        for q in asked
        if q.staff_chat_id is not None and q.staff_message_id is not None
    ]
    if items:
        await outbox.enqueue(session, items)
    faq_ids = {q.faq_entry_id for q in asked if q.faq_entry_id is not None}
    if faq_ids:
        await session.execute(
            update(Question).where(Question.faq_entry_id.in_(faq_ids)).values(faq_entry_id=None)
        )
        await session.execute(delete(FaqEntry).where(FaqEntry.id.in_(faq_ids)))
        await session.execute(
            update(Programme).values(content_version=Programme.content_version + 1)
        )
    return len(items) + len(faq_ids)


async def _erase_when_sent(
    session: AsyncSession, question: Question, who: Forgetting
) -> outbox.Outgoing | None:
    """The notice for the staff-chat copy of ``question`` whose message id the question does
    not hold: a copy being sent right now gets it once sent (held until then); one sent just now
    at once. None when no copy is on its way."""
    subject = questions.outbox_subject(question.id)
    copy = await outbox.original(session, questions.STAFF_KIND, subject)
    if copy is None or copy.status not in (SENDING, SENT):
        return None
    sent = copy.status == SENT
    notice = outbox.edit_text_message(copy.message_id or 0, staff_notice(who.staff_language))
    return outbox.outgoing("staff_erase", copy.chat_id, subject, notice, who.now, held=not sent)


async def _erase_questions(session: AsyncSession, who: Forgetting) -> None:
    asked = list(
        (
            await session.execute(select(Question).where(Question.asker_id == who.telegram_id))
        ).scalars()
    )
    await _erase_copies(session, asked, who)
    await session.execute(delete(Question).where(Question.asker_id == who.telegram_id))
    # A coordinator who answered others' questions: the answers stay, unsigned.
    await session.execute(
        update(Question)
        .where(Question.answered_by == who.telegram_id)
        .values(answered_by=None, answered_by_name=None)
    )


async def _expire_questions(session: AsyncSession, who: Forgetting) -> int:
    """Old questions keep their status and votes (for the FAQ work), not their words, nor the
    copies of their words (staff-chat message, FAQ entry made from them)."""
    old = list(
        (
            await session.execute(
                select(Question).where(Question.created_at < who.cutoff, Question.text != "")
            )
        ).scalars()
    )
    await _erase_copies(session, old, who)
    result = await session.execute(
        update(Question)
        .where(Question.id.in_([q.id for q in old]))
        .values(text="", answer_text=None, asker_name="")
    )
    return result.rowcount or 0


async def _export_feedback(session: AsyncSession, telegram_id: int) -> Any:
    participations = await session.execute(
        select(Survey.key, Survey.anonymous, SurveyParticipation)
        .join(Survey, Survey.id == SurveyParticipation.survey_id)
        .where(SurveyParticipation.telegram_id == telegram_id)
    )
    named = await session.execute(
        select(Survey.key, SurveyResponse)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.telegram_id == telegram_id)
    )
    ratings = await session.execute(
        select(Event.key, SessionRating)
        .join(Event, Event.id == SessionRating.event_id)
        .where(SessionRating.telegram_id == telegram_id)
    )
    return {
        "surveys": [
            {
                "survey": key,
                "anonymous": anonymous,
                "invited_at": _iso(p.invited_at),
                "finished": p.finished,
                "answers_in_progress": p.draft,
            }
            for key, anonymous, p in participations.all()
        ],
        "named_survey_responses": [
            {"survey": key, "answers": r.answers, "submitted_at": _iso(r.submitted_at)}
            for key, r in named.all()
        ],
        "session_ratings": [
            {"event": key, "stars": r.stars, "comment": r.comment, "at": _iso(r.updated_at)}
            for key, r in ratings.all()
        ],
    }


async def _erase_feedback(session: AsyncSession, who: Forgetting) -> None:
    """Named answers stay as anonymous answers (they count in the results); links go."""
    telegram_id = who.telegram_id
    await session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.telegram_id == telegram_id)
        .values(telegram_id=None, participant_name=None, submitted_at=None)
    )
    await session.execute(
        delete(SurveyParticipation).where(SurveyParticipation.telegram_id == telegram_id)
    )
    await session.execute(delete(SessionRating).where(SessionRating.telegram_id == telegram_id))


async def _expire_feedback(session: AsyncSession, who: Forgetting) -> int:
    """Named survey responses and session ratings older than the retention period lose their
    link to the person: a rating keeps its stars (counted in the results) and loses its person,
    its comment and its times (set to the cutoff, which all ratings unlinked together share)."""
    result = await session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.telegram_id.is_not(None), SurveyResponse.submitted_at < who.cutoff)
        .values(telegram_id=None, participant_name=None, submitted_at=None)
    )
    ratings = await session.execute(
        update(SessionRating)
        .where(SessionRating.telegram_id.is_not(None), SessionRating.updated_at < who.cutoff)
        .values(telegram_id=None, comment=None, created_at=who.cutoff, updated_at=who.cutoff)
    )
    return (result.rowcount or 0) + (ratings.rowcount or 0)


async def _export_messages(session: AsyncSession, telegram_id: int) -> Any:
    received = await session.execute(
        select(BroadcastRecipient).where(BroadcastRecipient.telegram_id == telegram_id)
    )
    deliveries = await session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.sent_at)
        .where(OutboxMessage.chat_id == telegram_id)
        .order_by(OutboxMessage.id)
    )
    actions = await session.execute(
        select(AuditEntry).where(AuditEntry.actor_id == telegram_id).order_by(AuditEntry.id)
    )
    return {
        "my_actions_in_the_audit_log": [
            {"at": _iso(a.at), "action": a.action, "target": a.target} for a in actions.scalars()
        ],
        "announcements": [
            {"broadcast": r.broadcast_id, "confirmed_read_at": _iso(r.acked_at)}
            for r in received.scalars()
        ],
        "deliveries": [
            {"kind": kind, "status": status, "sent_at": _iso(sent)}
            for kind, status, sent in deliveries.all()
        ],
    }


async def _erase_messages(session: AsyncSession, who: Forgetting) -> None:
    telegram_id = who.telegram_id
    await session.execute(
        delete(BroadcastRecipient).where(BroadcastRecipient.telegram_id == telegram_id)
    )
    await session.execute(delete(OutboxMessage).where(OutboxMessage.chat_id == telegram_id))
    await session.execute(delete(UsedStep).where(UsedStep.chat_id == telegram_id))
    await session.execute(
        update(Broadcast).where(Broadcast.author_id == telegram_id).values(author_id=None)
    )


@dataclass(frozen=True)
class Holding:
    """One place where personal data is kept, and what happens to it."""

    table: str  # a table, or a place outside the database (the staff chat)
    columns: tuple[str, ...]
    what: str
    mydata: str  # what /mydata exports of it
    forget: str  # what /forget does to it
    retention: str  # what happens after BOT_RETENTION_DAYS


KEPT = "kept"
#: The personal-data register: every column holding data about a person, copies included.
#: ``tests/test_privacy_register.py`` fails when a model column that refers to a person is in
#: neither this register nor :data:`NOT_PERSONAL`.
REGISTER: tuple[Holding, ...] = (
    Holding(
        "account",
        ("telegram_id", "first_name", "username", "participant_id"),
        "the Telegram account: id, name, username, language, settings, role, participant link",
        "account",
        "deleted (with a participant made by a delegation invite)",
        KEPT + " until /forget",
    ),
    Holding(
        "participant",
        ("name",),
        "a participant of the programme file (name, role, delegation)",
        "account.participant",
        "the link is deleted; a participant made by a delegation invite is deleted",
        "replaced by the next import",
    ),
    Holding(
        "invite",
        ("participant_id", "label", "created_by"),
        "invites for a person, and who made them",
        "—",
        "invites for a participant made by a delegation invite are deleted; created_by cleared",
        KEPT,
    ),
    Holding(
        "question",
        ("asker_id", "asker_name", "text", "answer_text"),
        "questions typed to the bot and their answers",
        "questions.asked",
        "deleted",
        "text, answer and name erased; status and vote stay",
    ),
    Holding(
        "question",
        ("answered_by", "answered_by_name"),
        "the coordinator who answered a question",
        "questions.questions_i_answered",
        "cleared (the answer stays, unsigned)",
        KEPT,
    ),
    Holding(
        "question",
        ("staff_chat_id", "staff_message_id"),
        "where the question was copied to the staff chat",
        "questions.asked.copied_to_staff_chat",
        "the staff-chat message is edited to a short notice (outbox), then the row is deleted",
        "the staff-chat message is edited to a short notice (outbox)",
    ),
    Holding(
        "staff chat (Telegram)",
        (),
        "the copy of a passed-on question in the coordinators' group: name, delegation, text",
        "questions.asked.copied_to_staff_chat",
        "edited to a short notice through the outbox",
        "edited to a short notice through the outbox",
    ),
    Holding(
        "faq_entry",
        ("question", "answer"),
        "a FAQ entry made from a question with ➕ FAQ (question.faq_entry_id records its origin)",
        "questions.faq_entries_made_from_my_questions",
        "deleted",
        "deleted with the question's text",
    ),
    Holding(
        "session_rating",
        ("telegram_id", "comment"),
        "a session rating: person, stars, comment",
        "feedback.session_ratings",
        "deleted",
        "the person, the comment and the times are dropped; the stars stay, anonymous",
    ),
    Holding(
        "survey_participation",
        ("telegram_id", "draft"),
        "a person's place in a survey, answers in progress, a sealed anonymous ballot",
        "feedback.surveys",
        "deleted (a sealed ballot not yet published with it)",
        KEPT + " until the survey closes (drafts of anonymous surveys are deleted then)",
    ),
    Holding(
        "survey_response",
        ("telegram_id", "participant_name", "answers"),
        "a named survey response (anonymous ones have no person)",
        "feedback.named_survey_responses",
        "the link to the person (id, name, time) is erased; the answers stay, anonymous",
        "the link to the person is erased",
    ),
    Holding(
        "broadcast_recipient",
        ("telegram_id", "name"),
        "who received an announcement and when they confirmed reading",
        "messages.announcements",
        "deleted",
        KEPT + " until /forget",
    ),
    Holding(
        "broadcast",
        ("author_id", "texts"),
        "an announcement's author and texts (written by staff)",
        "—",
        "author cleared",
        KEPT,
    ),
    Holding(
        "outbox_message",
        ("chat_id", "payload", "telegram_message_id", "error"),
        "each message the bot sends on its own: recipient, text, delivery outcome",
        "messages.deliveries",
        "deleted",
        KEPT + " until /forget",
    ),
    Holding(
        "used_step",
        ("chat_id", "message_id"),
        "which of the bot's messages in a chat had their step used (an invite made from it)",
        "—",
        "deleted",
        KEPT + " until /forget",
    ),
    Holding(
        "audit_entry",
        ("actor_id", "target", "details"),
        "coordinators' and hosts' actions (who, what, on whom)",
        "messages.my_actions_in_the_audit_log",
        KEPT + " (accountability)",
        KEPT,
    ),
    Holding(
        "pending_import",
        ("uploader_id", "file_name", "decided_by"),
        "a programme file a coordinator sent, waiting for Apply",
        "—",
        KEPT + " (staff action)",
        KEPT,
    ),
)

#: Columns that look personal to the register's test but are not: why not.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("broadcast", "progress_chat_id"): "the author's chat of the progress message (staff)",
    ("broadcast", "progress_message_id"): "a message id",
    ("outbox_message", "claimed_by"): "a bot process",
    ("delivery_worker", "pid"): "a bot process's id",
    ("delivery_budget", "name"): "the shared delivery rate's name",
    ("account", "version"): "a counter of changes (cache freshness), no data",
    ("generation", "name"): "a cache's name",
    ("generation", "value"): "a counter",
    ("municipality", "name"): "a municipality",
    ("delegation", "name"): "a delegation",
    ("programme", "name"): "the programme",
    ("event", "place_name"): "a venue",
    ("resource", "file_name"): "a document of the programme",
    ("survey_question", "text"): "the programme's question",
    ("survey_question", "low_label"): "the programme's label",
    ("survey_question", "high_label"): "the programme's label",
}


#: Every area that keeps personal data. The account comes first; erasing goes in reverse order,
#: so the account, which the others refer to, goes last.
AREAS: list[PersonalData] = [
    PersonalData("account", _export_account, _erase_account),
    PersonalData("questions", _export_questions, _erase_questions, _expire_questions),
    PersonalData("feedback", _export_feedback, _erase_feedback, _expire_feedback),
    PersonalData("messages", _export_messages, _erase_messages),
]


async def export_person(session: AsyncSession, telegram_id: int, now: datetime) -> dict[str, Any]:
    """Everything stored about one person, as a JSON-ready document."""
    document: dict[str, Any] = {"exported_at": now.isoformat(), "telegram_id": telegram_id}
    for area in AREAS:
        document[area.name] = await area.export(session, telegram_id)
    return document


async def forget_person(
    session: AsyncSession, telegram_id: int, now: datetime, staff_language: str = "en"
) -> None:
    """Delete the person's data in every area (in the caller's transaction)."""
    who = Forgetting(now, telegram_id, staff_language=staff_language)
    for area in [a for a in AREAS if a.name != "account"] + [
        a for a in AREAS if a.name == "account"
    ]:
        await area.erase(session, who)


async def expire_old_data(
    session: AsyncSession, cutoff: datetime, now: datetime | None = None, staff_language: str = "en"
) -> dict[str, int]:
    """Erase what the retention period no longer allows; returns how much per area."""
    who = Forgetting(now or cutoff, cutoff=cutoff, staff_language=staff_language)
    done: dict[str, int] = {}
    for area in AREAS:
        if area.expire is not None:
            done[area.name] = await area.expire(session, who)
    return done
