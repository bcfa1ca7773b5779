"""Forged button data with ids beyond the database's integers is refused where it is parsed.

Before, ``bc:ack:<21 digits>``, ``bc:show:…`` and ``role:s:…`` reached the database and ended in
``OverflowError`` / "value out of int32 range"; now no handler takes them, nothing fails, and
the person is told that the button is out of date.
"""

from __future__ import annotations

import logging

import pytest

from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts

HUGE = "9" * 21
INT32_PLUS = str(2**31)
FORGED = [
    f"bc:ack:{HUGE}",
    f"bc:ack:{INT32_PLUS}",
    f"bc:show:{HUGE}",
    f"bc:csv:{INT32_PLUS}",
    f"bc:pre:{INT32_PLUS}",
    f"bc:tg:1:d:{INT32_PLUS}",
    f"role:s:{HUGE}:m",
    f"role:m:{HUGE}",
    f"q:vote:{INT32_PLUS}:up",
    f"res:get:{INT32_PLUS}",
    f"imp:ok:{INT32_PLUS}",
    f"inv:r:{INT32_PLUS}",
    f"srv:o:{INT32_PLUS}",
]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_oversized_ids_fail_nothing(
    bot: BotHarness, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    with caplog.at_level(logging.ERROR):
        calls = await bot.press_data(coordinator, data)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "Something went wrong" not in texts(calls)
    # No area takes it; the fallback for buttons nobody handles says it is out of date.
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "out of date" in str(answer.params.get("text"))
