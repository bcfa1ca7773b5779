"""The PostgreSQL pool pings a connection before use only when BOT_DB_PRE_PING asks for it."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.db.engine import create_engine

URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/never_connected"


async def test_connections_are_pinged_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).db_pre_ping is False  # type: ignore[call-arg]
    monkeypatch.setenv("BOT_DB_PRE_PING", "true")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    plain = create_engine(URL)
    pinged = create_engine(URL, pool_pre_ping=settings.db_pre_ping)
    try:
        assert plain.pool._pre_ping is False
        assert pinged.pool._pre_ping is True
    finally:
        await plain.dispose()
        await pinged.dispose()
