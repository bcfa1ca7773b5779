"""Coordinators' command-line tools: ``invite`` (link and QR code) and ``audit`` (export)."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.db.engine import Database
from bot.people import audit, invites
from bot.people.access import Role
from bot.runtime import prepare_database


def add_parser(subparsers: Any) -> None:
    invite = subparsers.add_parser(
        "invite",
        help="create an invite link and its QR code (PNG or SVG)",
        description="Create an invite for one participant, a delegation or a host municipality. "
        "Prints the t.me link; --qr writes the QR code for printed welcome packs.",
    )
    target = invite.add_mutually_exclusive_group(required=True)
    target.add_argument("--participant", metavar="KEY", help="participant key in the programme")
    target.add_argument("--delegation", metavar="KEY", help="delegation key (role mentee)")
    target.add_argument("--municipality", metavar="KEY", help="host municipality key (role host)")
    invite.add_argument(
        "--role",
        choices=[r.value for r in Role],
        help="role given by the invite (default: the participant's, mentee for a "
        "delegation, host for a municipality)",
    )
    invite.add_argument("--days", type=int, default=14, help="days the invite is valid (14)")
    invite.add_argument(
        "--uses", type=int, help="how many people may use it (1 for a participant, 30 otherwise)"
    )
    invite.add_argument("--qr", type=Path, metavar="FILE", help="write the QR code (.png or .svg)")
    invite.set_defaults(func=cmd_invite)

    log = subparsers.add_parser(
        "audit",
        help="export the audit log as CSV",
        description="Write the audit log of coordinators' and hosts' "
        "actions as CSV to FILE (or standard output with -).",
    )
    log.add_argument("file", help="target file, or - for standard output")
    log.set_defaults(func=cmd_audit)


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    if args.days < 1 or (args.uses is not None and args.uses < 1):
        print("error: --days and --uses must be at least 1", file=sys.stderr)
        return 2
    if args.qr is not None and args.qr.suffix.lower() not in (".png", ".svg"):
        print("error: --qr must name a .png or .svg file", file=sys.stderr)
        return 2
    return asyncio.run(_invite(args, settings))


async def _invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.infra.clock import Clock

    await prepare_database(settings)  # migrations, and the demo in an empty database
    db = Database.from_url(settings.effective_database_url)
    kind: invites.Kind = "p" if args.participant else "d" if args.delegation else "m"
    target = args.participant or args.delegation or args.municipality
    try:
        issued = await invites.issue(
            db,
            kind,
            target,
            now=Clock().now(),
            days=args.days,
            uses=args.uses,
            language="en",
            actor_id=None,
            actor_role="cli",
            role=Role(args.role) if args.role else None,
        )
    finally:
        await db.dispose()
    if issued is None:
        print("error: no such participant, delegation or host municipality", file=sys.stderr)
        return 1
    link = f"https://t.me/{settings.username}?start={issued.code}"
    print(
        f"Invite for {issued.label} ({issued.role.value}), valid {args.days} days, "
        f"{issued.max_uses} use(s):\n{link}"
    )
    if args.qr is not None:
        import segno  # only where a code is drawn

        qr = segno.make(link, error="m")
        buffer = io.BytesIO()
        qr.save(buffer, kind=args.qr.suffix.lower().lstrip("."), scale=10, border=4)
        args.qr.write_bytes(buffer.getvalue())
        print(f"QR code written to {args.qr}")
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    async def export() -> bytes:
        await prepare_database(settings)
        db = Database.from_url(settings.effective_database_url)
        try:
            async with db.session() as session:
                return await audit.export_csv(session)
        finally:
            await db.dispose()

    content = asyncio.run(export())
    if args.file == "-":
        sys.stdout.write(content.decode("utf-8-sig"))
    else:
        Path(args.file).write_bytes(content)
    return 0
