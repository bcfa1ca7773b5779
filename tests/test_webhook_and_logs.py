"""Webhook: bodies that are not updates get 400 and one log line; wrong secrets are refused on
the headers alone, and their warnings are rate-limited. The token never reaches the log."""

from __future__ import annotations

import asyncio
import logging
import socket

import httpx
import pytest

from bot.app import build_application
from bot.cli.main import _configure_logging
from bot.config import Settings
from bot.db.engine import Database
from bot.transport.local_api import LocalBotApi
from bot.transport.webhook import SECRET_HEADER, make_server
from tests.harness import BotHarness

SECRET = "s3cret-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _warnings(caplog: pytest.LogCaptureFixture, words: str) -> int:
    return sum(1 for r in caplog.records if r.levelno == logging.WARNING and words in r.message)


async def test_bodies_that_are_not_updates_get_400(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()
    server = make_server(bot.app, SECRET)
    server.listen(port, address="127.0.0.1")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            with caplog.at_level(logging.WARNING):
                for body in ("[]", "1", "null", '"x"', '{"message": 5}', "{", "\xff"):
                    answer = await client.post(
                        "/telegram", content=body.encode(), headers={SECRET_HEADER: SECRET}
                    )
                    assert answer.status_code == 400, body
    finally:
        server.stop()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert _warnings(caplog, "webhook body is not an update") == 1  # then quiet for a minute


async def test_wrong_secrets_are_refused_unread_and_warned_about_once(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()
    server = make_server(bot.app, SECRET)
    server.listen(port, address="127.0.0.1")
    big = b"x" * 900_000
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            with caplog.at_level(logging.WARNING):
                answers = await asyncio.gather(
                    *(
                        client.post("/telegram", content=b"{}", headers={SECRET_HEADER: "guess"})
                        for _ in range(200)
                    )
                )
                refused = await client.post(
                    "/telegram", content=big, headers={SECRET_HEADER: "guess"}
                )
    finally:
        server.stop()
    assert {a.status_code for a in answers} == {403} and refused.status_code == 403
    assert _warnings(caplog, "missing or wrong secret") == 1


async def test_the_token_is_never_logged(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    token = "123456789:AAHsecretSECRETsecretSECRETsecret12"
    secrets = settings.model_copy(update={"token": Settings(token=token).token})
    assert token not in repr(secrets) and token not in str(secrets.model_dump())
    caplog.set_level(logging.DEBUG)
    _configure_logging(secrets)  # what `python -m bot run` does
    build_application(secrets, db, request=LocalBotApi())
    logging.getLogger("telegram").debug("failed: https://api.telegram.org/bot%s/getMe", token)
    assert "Set Bot API URL" in caplog.text  # python-telegram-bot's line is there ...
    assert token not in caplog.text and token.partition(":")[2] not in caplog.text
    assert "[redacted]" in caplog.text  # ... with the token replaced
