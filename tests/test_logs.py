"""Logs: one line per event, JSON lines on request, the update's ids but never a message text."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import SettingsError, load_settings
from bot.infra.logs import TextFormatter, configure, parse_levels
from tests.harness import BotHarness

SECRET = "my passport number is AB123456"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The bot's logging set up as ``run`` does (JSON, bot.* at DEBUG), written to a buffer."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("bot").level)
    root.setLevel(logging.NOTSET)
    handler = configure("INFO", json_lines=True, levels={"bot": "DEBUG"})
    buffer = io.StringIO()
    handler.setStream(buffer)
    yield buffer
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.getLogger("bot").setLevel(saved[2])


async def test_json_lines_carry_update_ids_and_no_text(
    bot: BotHarness, captured: io.StringIO
) -> None:
    user = bot.new_user("en")
    await bot.send(user, "/start")
    await bot.send(user, SECRET)
    lines = captured.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    handled = [e for e in entries if e["message"].startswith("update handled")]
    assert len(handled) == 2
    assert all(e["chat_id"] == user.id and e["user_id"] == user.id for e in handled)
    assert len({e["update_id"] for e in handled}) == 2
    assert {"time", "level", "logger"} <= set(handled[0])
    assert not [line for line in lines if "AB123456" in line or "passport" in line]


def test_text_lines_keep_a_traceback_on_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = (type(exc), exc, exc.__traceback__)
    line = TextFormatter().format(record)
    assert "\n" not in line and "ValueError: boom" in line and line.count("\\n") >= 2


def test_levels_per_area() -> None:
    assert parse_levels("bot.delivery=debug, telegram=WARNING") == {
        "bot.delivery": "DEBUG",
        "telegram": "WARNING",
    }
    with pytest.raises(SettingsError, match="BOT_LOG_LEVELS"):
        load_settings(_env_file=None, log_levels="bot.delivery=LOUD")
    with pytest.raises(SettingsError, match="BOT_LOG_FORMAT"):
        load_settings(_env_file=None, log_format="xml")
