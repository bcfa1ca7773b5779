"""Command-line subcommands of the programme area: ``import``, ``export``, ``schema``.

``add_parser(subparsers)`` adds them to ``python -m bot``; each command returns its exit status
(1 when the file has problems). An applied import (not ``--dry-run``) also queues the change
notices of events still ahead and records an audit entry (actor ``cli``), in its transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.agenda.reminders import enqueue_change_notices
from bot.config import Settings
from bot.i18n import gettext
from bot.infra.clock import Clock
from bot.jobs.agenda import change_text
from bot.programme.export import NothingToExport, export_file
from bot.programme.importer import audit_import, import_file
from bot.programme.schema import json_schema_text
from bot.programme.summary import ChangeSummary


def add_parser(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import",
        help="validate a programme file (YAML or XLSX) and apply it to the database",
        description="Validate the file and, if it has no problems, apply it in one transaction; "
        "prints what changed, or every problem found (exit status 1).",
    )
    imp.add_argument("file", type=Path, help="programme file: .yaml, .yml or .xlsx")
    imp.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    imp.add_argument(
        "--language",
        choices=["uk", "sl", "en"],
        default="en",
        help="language of the report (default en)",
    )
    imp.set_defaults(func=cmd_import)

    exp = subparsers.add_parser(
        "export",
        help="write the programme in the database to a YAML or XLSX file",
        description="Write the programme to FILE; resource files go to a folder beside it.",
    )
    exp.add_argument("file", type=Path, help="target file")
    exp.add_argument(
        "--format", choices=["yaml", "xlsx"], help="file format (default: from the file's suffix)"
    )
    exp.set_defaults(func=cmd_export)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of programme files")
    schema.set_defaults(func=cmd_schema)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_import(args.file, args.dry_run, args.language, settings))


async def _import(path: Path, dry_run: bool, lang: str, settings: Settings) -> int:
    from bot.db import migrate  # Alembic only where the database is opened

    db = await migrate.migrated(settings.effective_database_url)
    clock = Clock()
    now = clock.now()

    async def after(session: AsyncSession, summary: ChangeSummary) -> None:
        """In the import's transaction: change notices (sent by the running bot's delivery
        worker, which polls the outbox) and the audit entry."""
        notices = await enqueue_change_notices(session, summary, now, change_text)
        await audit_import(
            session,
            summary,
            actor_id=None,
            actor_role="cli",
            source=path.name,
            now=now,
            notices=notices,
        )

    try:
        result = await import_file(db, path, dry_run=dry_run, clock=clock, after=after)
    finally:
        await db.dispose()
    if result.summary is None:
        for problem in result.problems:
            print(problem.render(lang), file=sys.stderr)
        return 1
    assert result.timezone is not None
    print(result.summary.render(ZoneInfo(result.timezone), lang))
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_export(args.file, args.format, settings))


async def _export(path: Path, fmt: str | None, settings: Settings) -> int:
    from bot.db import migrate  # Alembic only where the database is opened

    db = await migrate.migrated(settings.effective_database_url)
    try:
        written = await export_file(db, path, fmt)
    except NothingToExport:
        print(gettext("The database holds no programme."), file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(gettext("Written: {path}", path=str(written)))
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    sys.stdout.write(json_schema_text())
    return 0
