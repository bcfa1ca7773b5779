"""The command line: ``python -m bot run | console | db upgrade | ...``.

Thin: parse arguments, load the settings, call the part that does the work. Each area adds its
own subcommands with an ``add_parser(subparsers)`` function listed in :data:`AREA_COMMANDS`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.cli.broadcasts import add_parser as broadcast_commands
from bot.cli.ops import add_parser as ops_commands
from bot.cli.people import add_parser as admin_commands
from bot.cli.programme import add_parser as programme_commands
from bot.cli.search import add_parser as search_commands
from bot.cli.surveys import add_parser as survey_commands
from bot.config import Settings, SettingsError, load_settings
from bot.log_redaction import redact_secrets

#: ``add_parser(subparsers)`` functions of the areas that have commands of their own.
AREA_COMMANDS: list[Callable[[Any], None]] = [
    admin_commands,
    broadcast_commands,
    ops_commands,
    programme_commands,
    search_commands,
    survey_commands,
]

TOKEN_HELP = """\
No Telegram token is set (BOT_TOKEN).
To run the bot on Telegram:
  1. In Telegram, open @BotFather, send /newbot and follow the questions.
  2. Copy the token it gives you and put it in .env as BOT_TOKEN=123456:ABC...
  3. Run `python -m bot run` again.
To try the bot without Telegram, run `python -m bot console`."""


class UsageError(Exception):
    """A wrong argument: reported in one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Trilingual Telegram bot for municipal mentoring programmes "
        "(agenda, logistics, questions, announcements, surveys). "
        "Settings come from BOT_* environment variables or a .env file (see README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run the bot on Telegram (long polling, or a webhook when BOT_WEBHOOK_URL is set)",
        description="Run the bot on Telegram. Applies database migrations and loads the demo "
        "programme into an empty database first. Stops cleanly on Ctrl+C or SIGTERM.",
    )
    run.set_defaults(func=_cmd_run)

    console = sub.add_parser(
        "console",
        help="chat with the bot in this terminal, no Telegram needed",
        description="Chat with the bot in the terminal as one Telegram user. Type text or "
        "commands; type a number to press that button. Piped input is processed line by line "
        "and the console exits at its end. Every run starts a fresh conversation.",
    )
    console.add_argument(
        "--language",
        choices=["uk", "sl", "en", "ru", "hr"],
        default="en",
        help="the language the simulated Telegram app reports (default en)",
    )
    console.add_argument(
        "--role",
        choices=["guest", "mentee", "host", "coordinator"],
        default="mentee",
        help="who you are: an uninvited guest, or the demo's first mentee, "
        "host or coordinator (default mentee)",
    )
    console.add_argument(
        "--now",
        metavar="'YYYY-MM-DD HH:MM'",
        help="pretend it is this time (programme time zone), e.g. "
        "'2023-10-09 08:00'; the clock then runs on from there",
    )
    console.add_argument(
        "--user-id",
        type=int,
        default=100000001,
        help="the simulated Telegram user id (default 100000001)",
    )
    console.add_argument("--name", default="Olena", help="the simulated user's first name")
    console.set_defaults(func=_cmd_console)

    db = sub.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser(
        "upgrade",
        help="apply the migrations (also done on start)",
        description="Apply all database migrations.",
    )
    upgrade.set_defaults(func=_cmd_db_upgrade)
    revision = db_sub.add_parser(
        "revision",
        help="(developers) write a new migration from the models",
        description="Compare the models with the database and write a new migration file.",
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration does")
    revision.set_defaults(func=_cmd_db_revision)

    for add in AREA_COMMANDS:
        add(sub)
    return parser


def _configure_logging(settings: Settings) -> None:
    from bot.infra.logs import configure, parse_levels

    configure(
        settings.log_level,
        json_lines=settings.log_format == "json",
        levels=parse_levels(settings.log_levels),
    )
    redact_secrets(settings.secrets)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        result = args.func(args, settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


# --------------------------------------------------------------------------------- commands


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_application
    from bot.db.engine import Database
    from bot.runtime import prepare_database

    if not settings.token:
        print(TOKEN_HELP, file=sys.stderr)
        return 2
    from bot.transport.webhook import ALLOWED_UPDATES, serve

    _configure_logging(settings)
    asyncio.run(prepare_database(settings))
    db = Database.from_url(settings.effective_database_url, pool_pre_ping=settings.db_pre_ping)
    app = build_application(settings, db, tune_gc=True)
    if settings.webhook_url and settings.webhook_secret:
        asyncio.run(
            serve(
                app,
                host=settings.listen_host,
                port=settings.listen_port,
                public_url=settings.webhook_url,
                secret=settings.webhook_secret.get_secret_value(),
            )
        )
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)  # stops cleanly on SIGINT/SIGTERM
    return 0


def _parse_now(value: str, settings: Settings) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now: expected 'YYYY-MM-DD HH:MM', got {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.tz)


def _cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.transport.console_session import run_console

    now = _parse_now(args.now, settings) if args.now else None
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    redact_secrets(settings.secrets)
    return asyncio.run(
        run_console(
            settings,
            language=args.language,
            role=None if args.role == "guest" else args.role,
            now=now,
            user_id=args.user_id,
            name=args.name,
        )
    )


def _cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate
    from bot.db.engine import Database

    async def upgrade() -> None:
        db = Database.from_url(settings.effective_database_url)
        try:
            await migrate.upgrade(db)
            print(f"database at revision {await migrate.current_revision(db)}")
        finally:
            await db.dispose()

    asyncio.run(upgrade())
    return 0


def _cmd_db_revision(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate
    from bot.db.engine import Database

    async def revision() -> None:
        db = Database.from_url(settings.effective_database_url)
        try:
            await migrate.upgrade(db)
            await migrate.new_revision(db, args.message)
        finally:
            await db.dispose()

    asyncio.run(revision())
    return 0
