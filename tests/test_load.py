"""A short run of the load scenario (tests/benchmarks/bench_load.py) on both databases: people
using the bot at once lose nothing and no update fails."""

from __future__ import annotations

from bot.db.engine import Database
from tests.benchmarks.bench_load import run_load


async def test_concurrent_users_lose_nothing(db: Database) -> None:
    result = await run_load(db, users=25, concurrency=16)
    print("\n".join(result.lines()))
    assert result.failures == []
    assert result.questions_stored == 2 * result.users
    assert result.responses_stored == result.users
