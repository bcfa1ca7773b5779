"""Operations commands: ``health`` (for container health checks), ``backup``, ``restore``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.db.engine import Database

#: A backup FILE with one of these suffixes is an SQLite database file (SQLite's backup API).
SQLITE_SUFFIXES = (".sqlite3", ".sqlite", ".db")

#: Listen addresses that mean "every interface": the check connects to this machine instead.
_ANY_HOST = {"0.0.0.0", "::", "[::]", "*", ""}


def add_parser(sub: Any) -> None:
    health = sub.add_parser(
        "health",
        help="ask the running bot's /health endpoint; exit 0 when healthy (container checks)",
        description="GET /health of the running bot, at BOT_HEALTH_LISTEN (or, in webhook "
        "mode, BOT_WEBHOOK_LISTEN). Exit status 0 when it answers 200, 1 otherwise.",
    )
    health.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")
    health.set_defaults(func=_cmd_health)
    backup = sub.add_parser(
        "backup",
        help="write a consistent backup of the database while the bot runs",
        description="Write the whole database to FILE (gzip-compressed JSON lines with the "
        "schema revision), from one consistent snapshot; the bot may keep running. FILE '-' "
        "writes to standard output. A FILE ending in .sqlite3 (SQLite only) is a copy of the "
        "database file made with SQLite's online backup API.",
    )
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=_cmd_backup)
    restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty database, then apply newer migrations",
        description="Check that FILE's schema revision is known to this release, restore it "
        "into the empty database of BOT_DATABASE_URL and apply this release's newer "
        "migrations. FILE '-' reads standard input; a FILE ending in .sqlite3 is a database "
        "file made by backup (SQLite only).",
    )
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=_cmd_restore)


def health_url(settings: Settings) -> str | None:
    """Where this machine reaches the running bot's ``/health``, or None when it has none."""
    listen = settings.health_listen or (settings.webhook_listen if settings.webhook_url else None)
    if listen is None:
        return None
    host, _, port = listen.rpartition(":")
    if host in _ANY_HOST:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/health"


def _cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    url = health_url(settings)
    if url is None:
        print("error: no health endpoint: set BOT_HEALTH_LISTEN (host:port)", file=sys.stderr)
        return 2
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            body = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        print(f"unhealthy: {url} answered {exc.code}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    print(f"healthy: {body}")
    return 0


@contextmanager
def _opened(name: str, mode: str) -> Iterator[IO[bytes]]:
    if name == "-":
        yield sys.stdout.buffer if mode == "wb" else sys.stdin.buffer
        return
    with open(name, mode) as fh:
        yield fh


def _cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import backup

    async def work(db: Database) -> str:
        if args.file.endswith(SQLITE_SUFFIXES):
            revision = await backup.copy_sqlite(db, Path(args.file))
            return f"backup: SQLite copy {args.file}, revision {revision}"
        with _opened(args.file, "wb") as out:
            made = await backup.backup(db, out)
        return f"backup: {made.rows} rows of {len(made.counts)} tables, revision {made.revision}"

    return _on_database(settings, work)


def _cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import backup

    async def work(db: Database) -> str:
        if args.file.endswith(SQLITE_SUFFIXES):
            revision = await backup.restore_sqlite(db, Path(args.file))
            what = f"the SQLite copy {args.file}"
        else:
            with _opened(args.file, "rb") as source:
                done = await backup.restore(db, source)
            revision, what = done.revision, f"{done.rows} rows of {len(done.counts)} tables"
        return f"restored {what} (revision {revision}), then upgraded to this release's schema"

    return _on_database(settings, work)


def _on_database(settings: Settings, work: Callable[[Database], Awaitable[str]]) -> int:
    """Run ``work`` on the configured database; print its line, or the error (exit status 1)."""
    from bot.db.backup import BackupError
    from bot.db.engine import Database

    async def run() -> str:
        db = Database.from_url(settings.effective_database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    try:
        message = asyncio.run(run())
    except (BackupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(message, file=sys.stderr)
    return 0
