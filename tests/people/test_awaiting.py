"""What the bot waits for next: typed values stored in ``Account.awaiting`` (bot.people.awaiting).

Each kind packs to the text it parses back from; anything else stored (an older format, an id out
of range, another kind's fields) parses as nothing awaited.
"""

from __future__ import annotations

import pytest

from bot.callbacks.base import MAX_BYTES
from bot.callbacks.menu import Language
from bot.db.models import Account
from bot.people import awaiting
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
