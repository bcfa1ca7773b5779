"""Command-line subcommand of the feedback area: ``results`` (export a survey's responses).

``python -m bot results --survey post-visit --format xlsx -o results.xlsx`` writes one row per
response and one column per question, with texts in ``--language``; exit status 1 when there is
no survey with that key.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.db.models import Survey
from bot.infra.clock import Clock
from bot.people import audit
from bot.surveys import export, results


def add_parser(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "results",
        help="export a survey's responses as CSV or XLSX",
        description="Write one row per response and one column per question of the survey "
        "KEY (its key in the programme file).",
    )
    cmd.add_argument("--survey", required=True, metavar="KEY", help="the survey's key")
    cmd.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file's suffix")
    cmd.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    cmd.add_argument(
        "--language",
        choices=["uk", "sl", "en"],
        default="en",
        help="language of the column titles and choices (default en)",
    )
    cmd.set_defaults(func=cmd_results)


def cmd_results(args: argparse.Namespace, settings: Settings) -> int:
    fmt = args.format or ("xlsx" if args.output.suffix.lower() == ".xlsx" else "csv")
    data = asyncio.run(_results(args.survey, settings))
    if data is None:
        print(f"error: no survey with the key {args.survey!r}", file=sys.stderr)
        return 1
    if data.withheld:
        print(
            f"error: {len(data.responses)} responses; an anonymous survey's answers are exported "
            f"once there are at least {data.min_responses} (BOT_ANONYMOUS_BATCH)",
            file=sys.stderr,
        )
        return 1
    make = export.to_xlsx if fmt == "xlsx" else export.to_csv
    args.output.write_bytes(make(data, args.language, settings.tz))
    print(f"{args.output}: {data.finished} responses of {data.invited} invited")
    return 0


async def _results(key: str, settings: Settings) -> results.SurveyResults | None:
    from bot.db import migrate  # Alembic only where the database is opened

    db = await migrate.migrated(settings.effective_database_url)
    try:
        async with db.session() as session:
            survey_id = await session.scalar(select(Survey.id).where(Survey.key == key))
            if survey_id is None:
                return None
            await audit.record(
                session,
                actor_id=None,
                actor_role="cli",
                action="survey.export",
                target=f"survey {key}",
                now=Clock().now(),
            )
            return await results.survey_results(session, survey_id, settings.anonymous_batch)
    finally:
        await db.dispose()
