"""Command-line subcommand of question answering: ``phrasings`` (export what was learnt from use).

``python -m bot phrasings -o learnt.csv`` writes every signal the ranking learnt from (entry, the
question's content words as lemmas, +1/-1, source, time; no person), oldest first, for audit.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.db.engine import Database
from bot.search import learning


def add_parser(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "phrasings",
        help="export the wordings the answering learnt from 👍/👎, choice taps and staff answers",
        description="Write every learnt signal as CSV: entry, words (sorted lemmas), signal, "
        "source, time. Nobody's name and no question as typed is in it.",
    )
    cmd.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")
    cmd.set_defaults(func=cmd_phrasings)


def cmd_phrasings(args: argparse.Namespace, settings: Settings) -> int:
    data, count = asyncio.run(_export(settings))
    args.output.write_bytes(data)
    print(f"{args.output}: {count} signals")
    return 0


async def _export(settings: Settings) -> tuple[bytes, int]:
    db = Database.from_url(settings.effective_database_url)
    try:
        async with db.session() as session:
            rows = await learning.export_rows(session)
    finally:
        await db.dispose()
    return learning.to_csv(rows), len(rows)
