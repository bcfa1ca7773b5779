"""Upgrades keep every row: a database of the first release's schema upgrades to head intact.

``tests/fixtures/release-c411664f4aba.backup`` was made on 1 December 2026 by the bot of that
day (schema revision c411664f4aba, the first release's migrations): the demo programme, its
participants onboarded, questions asked, a broadcast sent and one scheduled, a session rating, an
anonymous survey response and an invite. Restoring it builds the schema with that release's
migrations, inserts its rows, then applies every newer migration; each row must still hold its
values (columns added later are not compared). Keep the file: add a new one at each release.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.db.backup import restore
from bot.db.engine import Database
from bot.db.migrate import current_revision, head_revision
from tests.databases import fresh  # noqa: F401  (fixture)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "release-c411664f4aba.backup"


def _normal(codec: str, value: Any) -> Any:
    if value is None or codec != "datetime":
        return value
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _fixture() -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    lines = gzip.decompress(FIXTURE.read_bytes()).splitlines()
    header = json.loads(lines[0])
    specs = {t["name"]: t for t in header["tables"]}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in specs}
    for line in lines[1:-1]:
        record = json.loads(line)
        spec = specs[record["table"]]
        rows[record["table"]].extend(
            {c: _normal(k, v) for c, k, v in zip(spec["columns"], spec["codecs"], row, strict=True)}
            for row in record["rows"]
        )
    return header, rows


def _reflect(connection: sa.Connection) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return dict(metadata.tables)


async def test_the_first_release_database_upgrades_with_every_row(
    fresh: Callable[[], Awaitable[Database]],  # noqa: F811
) -> None:
    header, expected = _fixture()
    assert header["revision"] == "c411664f4aba" and sum(map(len, expected.values())) > 150
    target = await fresh()
    await restore(target, io.BytesIO(FIXTURE.read_bytes()))
    assert await current_revision(target) == head_revision()

    specs = {t["name"]: t for t in header["tables"]}
    async with target.engine.connect() as conn:
        tables = await conn.run_sync(_reflect)
        for name, rows in expected.items():
            table = tables[name]
            spec = specs[name]
            columns = [table.c[c] for c in spec["columns"]]
            order = [table.c[c] for c in spec["columns"] if table.c[c].primary_key] or columns
            found = [
                {
                    c: _normal(k, v.isoformat() if isinstance(v, date | time) else v)
                    for c, k, v in zip(spec["columns"], spec["codecs"], row, strict=True)
                }
                for row in await conn.execute(sa.select(*columns).order_by(*order))
            ]
            assert len(found) == len(rows), name
            for old, new in zip(rows, found, strict=True):
                assert _comparable(old, spec) == _comparable(new, spec), name
        # Outbox rows of that release (broadcast keys "broadcast:<id>:<chat>") got the subject
        # they are cancelled by: b<broadcast id>.
        outbox = tables["outbox_message"]
        subjects = (
            await conn.execute(sa.select(outbox.c.kind, outbox.c.key, outbox.c.subject))
        ).all()
    broadcasts = [(key, subject) for kind, key, subject in subjects if kind == "broadcast"]
    assert broadcasts and all(subject == f"b{key.split(':')[1]}" for key, subject in broadcasts)


def _comparable(row: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """Bytes are base64 in the file and bytes in the database: compare both as base64."""
    import base64

    return {
        column: base64.b64encode(value).decode() if isinstance(value, bytes) else value
        for column, value in row.items()
        if column in spec["columns"]
    }
