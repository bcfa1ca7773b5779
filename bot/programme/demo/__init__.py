"""The demo programme bundled with the bot (``demo.yaml`` and its resource files)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import Programme
from bot.infra.clock import Clock
from bot.programme.importer import import_file
from bot.programme.summary import ChangeSummary

DEMO_PATH = Path(__file__).resolve().parent / "demo.yaml"


class DemoInvalid(Exception):
    """The bundled demo does not validate (a bug: the tests keep it valid)."""


async def ensure_demo(db: Database, clock: Clock | None = None) -> ChangeSummary | None:
    """Load the demo when the database holds no programme; returns its summary, else None."""
    async with db.session() as session:
        if await session.scalar(select(Programme.id).limit(1)) is not None:
            return None
    result = await import_file(db, DEMO_PATH, clock=clock)
    if result.summary is None:
        raise DemoInvalid("; ".join(p.render("en") for p in result.problems))
    return result.summary
