"""Backup and restore of the whole database, in one portable format for SQLite and PostgreSQL.

A backup is a gzip-compressed file of JSON lines: a header (format version, the Alembic revision
of the schema, the tables with their columns and how each column's values are written), then the
rows of every table in foreign-key order, in chunks, then a trailer with the row counts (so a cut
file is refused). Tables and columns are read from the database itself, not from this release's
models, so a backup always describes the schema it was made at.

Consistency while the bot runs: every table is read inside one transaction that sees a single
snapshot — ``REPEATABLE READ, READ ONLY`` on PostgreSQL (the same guarantee ``pg_dump`` relies on),
an explicit ``BEGIN`` on SQLite in WAL mode. Writers are never blocked.

A restore goes into an empty database only: it checks the backup's revision is one this release
knows, brings the empty schema to exactly that revision, inserts every row in one transaction,
checks the counts against the trailer, moves PostgreSQL's id sequences past the restored ids, and
finally applies this release's newer migrations. The same file restores into either database, so
it also moves a bot from SQLite to PostgreSQL.

An SQLite database can also be copied as a database file (:func:`copy_sqlite`, SQLite's online
backup API, consistent while the bot writes) and put back into an empty SQLite database
(:func:`restore_sqlite`, with the same revision checks).
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db import migrate
from bot.db.engine import Database

FORMAT = "mentoring-bot-backup"
VERSION = 1
CHUNK = 500
#: Alembic's own table: its content is the header's revision.
ALEMBIC_TABLE = "alembic_version"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why, in one line."""


@dataclass(frozen=True)
class Summary:
    revision: str
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


# ------------------------------------------------------------------------------ value codecs


def _codec(column_type: sa.types.TypeEngine[Any]) -> str:
    if isinstance(column_type, sa.JSON):
        return "json"
    if isinstance(column_type, sa.DateTime):
        return "datetime"
    if isinstance(column_type, sa.Date):
        return "date"
    if isinstance(column_type, sa.Time):
        return "time"
    if isinstance(column_type, sa.LargeBinary):
        return "bytes"
    if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Float):
        return "decimal"
    return "plain"


def _encode(codec: str, value: Any) -> Any:
    if value is None or codec in ("plain", "json"):
        return value
    if codec == "bytes":
        return base64.b64encode(value).decode("ascii")
    if codec == "decimal":
        return str(value)
    return value.isoformat()


def _decode(codec: str, value: Any, dialect: str) -> Any:
    if value is None or codec in ("plain", "json"):
        return value
    if codec == "bytes":
        return base64.b64decode(value)
    if codec == "decimal":
        return Decimal(value)
    if codec == "date":
        return date.fromisoformat(value)
    if codec == "time":
        return time.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    # The bot stores every moment in UTC: SQLite keeps it naive, PostgreSQL aware.
    if dialect == "sqlite":
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ------------------------------------------------------------------------------------ backup


def _reflect(connection: sa.Connection) -> list[sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return [t for t in metadata.sorted_tables if t.name != ALEMBIC_TABLE]


async def _snapshot(conn: AsyncConnection) -> None:
    """Make every following read of ``conn`` see one consistent snapshot."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN")
    else:
        await conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _line(out: IO[bytes], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")


async def backup(db: Database, out: IO[bytes], *, now: datetime | None = None) -> Summary:
    """Write a consistent backup of ``db`` to ``out`` (a binary stream; compressed here)."""
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=out, mode="wb") as gz:
        async with db.engine.connect() as conn:
            await _snapshot(conn)
            revision = await conn.run_sync(migrate.revision_of)
            if revision is None:
                raise BackupError("the database has no schema yet (run `python -m bot db upgrade`)")
            tables = await conn.run_sync(_reflect)
            codecs = {t.name: [_codec(c.type) for c in t.columns] for t in tables}
            _line(
                gz,
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "revision": revision,
                    "dialect": db.dialect,
                    "created_at": (now or datetime.now(UTC)).isoformat(),
                    "tables": [
                        {
                            "name": t.name,
                            "columns": [c.name for c in t.columns],
                            "codecs": codecs[t.name],
                        }
                        for t in tables
                    ],
                },
            )
            for table in tables:
                counts[table.name] = 0
                order = list(table.primary_key.columns) or list(table.columns)
                result = await conn.stream(sa.select(table).order_by(*order))
                async for chunk in result.partitions(CHUNK):
                    rows = [
                        [_encode(c, v) for c, v in zip(codecs[table.name], row, strict=True)]
                        for row in chunk
                    ]
                    _line(gz, {"table": table.name, "rows": rows})
                    counts[table.name] += len(rows)
            await conn.rollback()
        _line(gz, {"end": True, "counts": counts})
    return Summary(revision=revision, counts=counts)


# ----------------------------------------------------------------------------------- restore


def _records(source: IO[bytes]) -> Iterator[dict[str, Any]]:
    try:
        with gzip.GzipFile(fileobj=source, mode="rb") as gz:
            for raw in gz:
                yield json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise BackupError(f"not a readable backup file: {exc}") from None


def _check_header(header: dict[str, Any]) -> str:
    if header.get("format") != FORMAT:
        raise BackupError("not a backup of this bot (python -m bot backup makes one)")
    if header.get("version") != VERSION:
        raise BackupError(f"backup format version {header.get('version')} is not supported")
    return _known(str(header["revision"]))


def _known(revision: str) -> str:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    if revision not in {rev.revision for rev in script.walk_revisions()}:
        raise BackupError(
            f"the backup's schema revision {revision} is unknown to this release "
            "(made by a newer one?): restore it with the release that made it"
        )
    return revision


async def _require_empty(db: Database, revision: str) -> None:
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_reflect)
        for table in tables:
            if await conn.scalar(sa.select(sa.func.count()).select_from(table)):
                raise BackupError(
                    f"the database is not empty (table {table.name} has rows): "
                    "restore into a new, empty database"
                )
        current = await conn.run_sync(migrate.revision_of)
    if tables and current is None:
        raise BackupError("the database has tables but no migration revision: use an empty one")
    if current is not None and current != revision:
        raise BackupError(
            f"the empty database is at revision {current}, the backup at {revision}: "
            "restore into a database without tables"
        )


async def _reset_sequences(conn: AsyncConnection, tables: list[sa.Table]) -> None:
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        sequence = await conn.scalar(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        )
        if sequence:
            highest = f'SELECT MAX("{pk[0].name}") FROM "{table.name}"'
            await conn.execute(
                sa.text(f"SELECT setval(:s, COALESCE(({highest}), 0) + 1, false)"), {"s": sequence}
            )


async def restore(db: Database, source: IO[bytes]) -> Summary:
    """Restore the backup in ``source`` into the empty database ``db``, then upgrade it."""
    records = _records(source)
    header = next(records, None)
    if header is None:
        raise BackupError("the backup file is empty")
    revision = _check_header(header)
    await _require_empty(db, revision)
    await migrate.upgrade(db, revision)
    described = {t["name"]: t for t in header["tables"]}
    counts = dict.fromkeys(described, 0)
    trailer: dict[str, Any] | None = None
    async with db.engine.begin() as conn:
        tables = {t.name: t for t in await conn.run_sync(_reflect)}
        missing = sorted(set(described) - set(tables))
        if missing:
            raise BackupError(f"tables of the backup missing after migration: {missing}")
        for record in records:
            if record.get("end"):
                trailer = record
                break
            name = record["table"]
            spec = described[name]
            rows = [
                {
                    column: _decode(codec, value, db.dialect)
                    for column, codec, value in zip(
                        spec["columns"], spec["codecs"], row, strict=True
                    )
                }
                for row in record["rows"]
            ]
            await conn.execute(tables[name].insert(), rows)
            counts[name] += len(rows)
        if trailer is None:
            raise BackupError("the backup file is cut short (no end record): nothing restored")
        if trailer["counts"] != counts:
            raise BackupError("the backup's row counts do not match its rows: nothing restored")
        if db.dialect == "postgresql":
            await _reset_sequences(conn, list(tables.values()))
    await migrate.upgrade(db)
    return Summary(revision=revision, counts=counts)


# ------------------------------------------------------------------------ SQLite file copies


def sqlite_file(db: Database) -> Path | None:
    """The file of an SQLite database (None for PostgreSQL or an in-memory database)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while other connections write."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _revision_in(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"not a database of this bot: {exc}") from None
    if row is None:
        raise BackupError("the database file has no schema revision")
    return str(row[0])


async def copy_sqlite(db: Database, target: Path) -> str:
    """Copy the SQLite database of ``db`` to the new file ``target``; returns its revision."""
    source = sqlite_file(db)
    if source is None:
        raise BackupError("an .sqlite3 copy needs an SQLite database; use another file name")
    if await asyncio.to_thread(target.exists):
        raise BackupError(f"{target} exists: choose a new file")
    await asyncio.to_thread(_copy, source, target)
    return await asyncio.to_thread(_revision_in, target)


async def restore_sqlite(db: Database, source: Path) -> str:
    """Put the SQLite copy ``source`` in place of the empty database of ``db``, then upgrade."""
    target = sqlite_file(db)
    if target is None:
        raise BackupError("an .sqlite3 copy restores into an SQLite database only")
    revision = _known(await asyncio.to_thread(_revision_in, source))
    await _require_empty(db, revision)
    await db.engine.dispose()  # no connection of ours holds the file while it is replaced
    await asyncio.to_thread(_copy, source, target)
    await migrate.upgrade(db)
    return revision
