"""What the bot waits for next: typed values stored in ``Account.awaiting`` (bot.people.awaiting).

Each kind packs to the text it parses back from; anything else stored (an older format, an id out
of range, another kind's fields) parses as nothing awaited.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.callbacks.base import MAX_BYTES
from bot.callbacks.menu import Language
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import Account
from bot.people import access, awaiting
from bot.people.awaiting import (
    KINDS,
    DraftInput,
    DraftReply,
    DraftVersionReply,
    QuestionReply,
    RatingCommentReply,
    StaffInput,
    SurveyIntroReply,
    SurveyReply,
    SurveyReplyRest,
)
from tests.databases import fresh  # noqa: F401  (fixture)

LARGEST = 2**31 - 1
EVERY_KIND = [
    DraftReply(DraftInput.TEXT, 7),
    DraftReply(DraftInput.TIME, LARGEST),
    DraftVersionReply(7, Language.SL),
    SurveyReply(3),
    SurveyReplyRest(3, 1_696_838_400),
    SurveyIntroReply(LARGEST),
    RatingCommentReply(LARGEST),
    QuestionReply(StaffInput.ANSWER, 12),
    QuestionReply(StaffInput.FAQ, LARGEST),
]


def test_every_kind_is_tried() -> None:
    assert {type(v) for v in EVERY_KIND} == set(KINDS)


@pytest.mark.parametrize("value", EVERY_KIND, ids=lambda v: v.pack())
def test_a_stored_value_reads_back_as_exactly_its_kind(value: awaiting.Awaited) -> None:
    stored = value.pack()
    assert len(stored) <= Account.__table__.c.awaiting.type.length == MAX_BYTES
    assert awaiting.parse(stored) == value
    assert [k for k in KINDS if k.parse(stored) is not None] == [type(value)]


def test_the_stored_form_is_the_one_written_before_the_types() -> None:
    # Values stored by earlier versions ("area:step:id") read back as the same expectation.
    assert awaiting.parse("bc:text:5") == DraftReply(DraftInput.TEXT, 5)
    assert awaiting.parse("bc:v:5:uk") == DraftVersionReply(5, Language.UK)
    assert awaiting.parse("surveys:x:2:1696838400") == SurveyReplyRest(2, 1_696_838_400)
    assert awaiting.parse("rate:c:9") == RatingCommentReply(9)
    assert awaiting.parse("questions:faq:4") == QuestionReply(StaffInput.FAQ, 4)


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "bc",
        "bc:text",
        "bc:text:0",
        "bc:text:01",
        "bc:text:2147483648",
        "bc:text:99999999999999999999",
        "bc:text:5:extra",
        "bc:send:5",
        "bc:v:5:ru",
        "bc:v:5",
        "surveys:q:-1",
        "surveys:x:2",
        "surveys:x:2:99999999999999",
        "rate:c:x",
        "questions:delete:3",
        "questions:answer:3 ",
        "srv:q:1",
        "area:step:id",
    ],
)
def test_anything_else_is_nothing_awaited(stored: str | None) -> None:
    assert awaiting.parse(stored) is None


async def _awaited(db: Database, telegram_id: int) -> tuple[str | None, str | None]:
    async with db.session() as s:
        account = await s.get(Account, telegram_id)
        assert account is not None
        return account.awaiting, account.awaiting_kind


async def test_an_expected_reply_is_cancelled_by_its_kind_not_a_prefix(db: Database) -> None:
    """``bc`` (a draft's text) begins ``bc:v`` (one language's version): cancelling the one
    must leave the other, which a match on the stored text's prefix did not."""
    async with db.session() as s:
        s.add(Account(telegram_id=77, first_name="Ana"))
    async with db.session() as s:
        await access.set_awaiting(s, 77, DraftVersionReply(7, Language.SL))
        await access.clear_awaiting(s, 77, DraftReply)
    assert await _awaited(db, 77) == ("bc:v:7:sl", "bc:v")
    async with db.session() as s:
        await access.clear_awaiting(s, 77, DraftVersionReply, SurveyReply)
    assert await _awaited(db, 77) == (None, None)
    async with db.session() as s:
        await access.set_awaiting(s, 77, DraftReply(DraftInput.TEXT, 7))
    assert await _awaited(db, 77) == ("bc:text:7", "bc")
    async with db.session() as s:
        await access.set_awaiting(s, 77, None)
    assert await _awaited(db, 77) == (None, None)


async def test_the_migration_gives_stored_replies_their_kind(
    fresh: Callable[[], Awaitable[Database]],  # noqa: F811
) -> None:
    """Replies expected before the kind had a column get it from the stored text (the longest
    prefix: ``bc:v:…`` is ``bc:v``, not ``bc``)."""
    target = await fresh()
    await upgrade(target, "a7c3e5f1b9d2")
    stored = {n: value.pack() for n, value in enumerate(EVERY_KIND, 1)} | {50: None}
    columns = (
        "telegram_id, first_name, awaiting, reminder_minutes, digest_enabled, reachable, "
        "bad_code_count, created_at, last_seen_at, version, flood_warned"
    )
    values = ":id, 'A', :value, 30, true, true, 0, :at, :at, 0, false"
    async with target.engine.begin() as conn:
        for telegram_id, value in stored.items():
            await conn.execute(
                sa.text(f"INSERT INTO account ({columns}) VALUES ({values})"),
                {"id": telegram_id, "value": value, "at": datetime(2026, 12, 1, tzinfo=UTC)},
            )
    await upgrade(target)
    for n, value in enumerate(EVERY_KIND, 1):
        assert await _awaited(target, n) == (value.pack(), type(value).prefix)
    assert await _awaited(target, 50) == (None, None)
