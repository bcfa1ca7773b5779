"""Whether the database is at the newest shipped migration, answered without importing Alembic.

``python -m bot run`` checks the schema at every start; Alembic's import and upgrade check cost a
quarter of a second of CPU when there is nothing to do, which is most starts. The shipped head is
read from the migration files (their ``revision`` and ``down_revision`` lines) and compared with
the database's ``alembic_version``; whenever the answer is not a plain "yes" (a merge migration,
an unreadable file, no version table, another revision) the caller runs Alembic as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.db.engine import Database

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision(?::[^=]*)? = "(\w+)"$', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?::[^=]*)? = (?:None|"(\w+)")$', re.MULTILINE)


def shipped_head() -> str | None:
    """The one newest revision of the shipped migrations (None when it cannot be told simply)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def at_head(db: Database) -> bool:
    """True when the database's schema is certainly at the shipped head."""
    head = shipped_head()
    if head is None:
        return False
    try:
        async with db.engine.connect() as connection:
            result = await connection.execute(text("SELECT version_num FROM alembic_version"))
            current = list(result.scalars())
    except DBAPIError:  # no version table yet: a new database
        return False
    return current == [head]
