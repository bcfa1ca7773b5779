"""``python -m bot broadcast FILE --audience SPEC [--at TIME] [--ack] [--urgent] [--dry-run]``.

The file holds the text per language:

- ``.yaml`` / ``.yml``: a mapping with any of ``uk``, ``sl``, ``en`` (Telegram HTML: ``<b>``,
  ``<i>``, ``<a href>`` ...), and optionally ``ack: true`` (the "I have read this" button) and
  ``photo:`` or ``document:`` (a Telegram file_id or an HTTPS URL; the text becomes its caption);
- any other file (``.md``, ``.txt``): plain text, split into versions by lines ``[uk]``, ``[sl]``,
  ``[en]``; text before the first marker (or a file without markers) is the ``--language``
  version. In ``.md`` files ``**bold**``, ``*italic*``/``_italic_``, ```code``` and
  ``[text](https://link)`` become Telegram formatting; everything else is shown as written.

``--audience``: ``everyone``, or ``;``-separated ``dimension=value,value`` filters, e.g.
``delegation=zavodske,bucha;role=mentee``. Dimensions: ``visit``, ``delegation``,
``municipality`` (by their keys in the programme file), ``role`` (mentee, host, coordinator),
``language`` (uk, sl, en). ``--at``: see :mod:`bot.broadcasts.send_time` (programme time zone).

The command enqueues the broadcast; the running bot's delivery worker sends it. Like every
message the bot sends on its own, it waits for the end of the quiet hours (22:00-07:00
programme time) when its time falls in them, unless ``--urgent``; the line printed says when
it goes.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bot.agenda.service import programme_timezone
from bot.broadcasts import audience as audiences
from bot.broadcasts import drafts, sending
from bot.broadcasts.audience import ROLES, Audience, AudienceError, Scope
from bot.broadcasts.drafts import DraftStep, Refused
from bot.broadcasts.send_time import BadTime, PastTime, parse_send_time
from bot.config import Settings
from bot.db.engine import Database
from bot.db.models.broadcasts import DRAFT, Broadcast
from bot.i18n import LANGUAGES
from bot.infra.clock import Clock
from bot.people import audit

_MARKER = re.compile(r"^\[(uk|sl|en)\]\s*$")
_MARKDOWN = [
    (re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)"), r'<a href="\2">\1</a>'),
    (re.compile(r"\*\*(.+?)\*\*"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w*])[*_](?![\s*_])(.+?)(?<![\s*_])[*_](?![\w*])"), r"<i>\1</i>"),
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
]
_DIMENSION_NAMES = {name.rstrip("s"): name for name in audiences.DIMENSIONS}
_DIMENSION_NAMES |= {name: name for name in audiences.DIMENSIONS} | {
    "municipality": "municipalities"
}


class FileError(ValueError):
    """The file or an argument cannot be used; the message says why."""


def markdown_to_html(text: str) -> str:
    """The little Markdown announcements use, as Telegram HTML (everything else escaped)."""
    out = html.escape(text, quote=False)
    for pattern, replacement in _MARKDOWN:
        out = pattern.sub(replacement, out)
    return out


def read_file(path: Path, language: str = "en") -> tuple[dict[str, str], dict[str, Any]]:
    """The versions per language, and the options (``ack``, ``media``) of a broadcast file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror}") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path, raw)
    versions: dict[str, list[str]] = {}
    current = language
    for line in raw.splitlines():
        if match := _MARKER.match(line.strip()):
            current = match[1]
            continue
        versions.setdefault(current, []).append(line)
    convert = markdown_to_html if path.suffix.lower() == ".md" else html.escape
    texts = {lang: convert("\n".join(lines).strip()) for lang, lines in versions.items()}
    return {lang: text for lang, text in texts.items() if text}, {}


def _read_yaml(path: Path, raw: str) -> tuple[dict[str, str], dict[str, Any]]:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise FileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FileError(f"{path}: expected a mapping with uk / sl / en texts")
    unknown = set(data) - {*LANGUAGES, "ack", "photo", "document"}
    if unknown:
        raise FileError(f"{path}: unknown keys: {', '.join(sorted(map(str, unknown)))}")
    texts = {lang: str(data[lang]).strip() for lang in LANGUAGES if data.get(lang)}
    options: dict[str, Any] = {"ack": bool(data.get("ack", False))}
    for kind in ("photo", "document"):
        if data.get(kind):
            options["media"] = {"kind": kind, "file": str(data[kind])}
    return texts, options


async def parse_audience(session: Any, spec: str) -> Audience:
    """``everyone`` or ``dimension=a,b;dimension=c`` (keys for visits, delegations, towns)."""
    if spec.strip().lower() in ("", "everyone", "all"):
        return Audience()
    picked: dict[str, frozenset[Any]] = {}
    for part in spec.split(";"):
        name, sep, values = part.partition("=")
        dimension = _DIMENSION_NAMES.get(name.strip().lower())
        items = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or dimension is None or not items:
            raise FileError(f"--audience: cannot read {part.strip()!r}")
        if dimension == "roles" and not set(items) <= set(ROLES):
            raise FileError(f"--audience: roles are {', '.join(ROLES)}")
        if dimension == "languages" and not set(items) <= set(LANGUAGES):
            raise FileError(f"--audience: languages are {', '.join(LANGUAGES)}")
        if dimension in ("roles", "languages"):
            picked[dimension] = frozenset(items)
        else:
            try:
                picked[dimension] = await audiences.find_by_keys(session, dimension, items)
            except AudienceError as exc:
                raise FileError(f"--audience: {exc}") from None
    return Audience(**picked)


async def broadcast_file(
    db: Database,
    settings: Settings,
    path: Path,
    audience_spec: str,
    *,
    at: str | None = None,
    ack: bool = False,
    language: str = "en",
    dry_run: bool = False,
    urgent: bool = False,
    clock: Clock | None = None,
) -> str:
    """Enqueue the broadcast in ``path``; returns the summary line (raises FileError, Refused)."""
    texts, options = read_file(path, language)
    now = (clock or Clock()).now()
    async with db.session() as s:
        draft = Broadcast(
            author_id=None,
            status=DRAFT,
            step=DraftStep.CONFIRM,
            texts=texts,
            media=options.get("media"),
            ask_ack=ack or options.get("ack", False),
            created_at=now,
        )
        drafts.check_ready(draft)
        draft.audience = (await parse_audience(s, audience_spec)).to_json()
        tz = await programme_timezone(s, settings.tz)
        if at:
            try:
                draft.send_at = parse_send_time(at, now, tz)
            except BadTime:
                raise FileError(f"--at: cannot read {at!r}") from None
            except PastTime:
                raise FileError(f"--at: {at!r} has already passed") from None
        people = await sending.recipients(s, draft, Scope(), settings.coordinator_ids)
        by_language = Counter(p.language for p in people)
        if not people:
            raise Refused(drafts.Reason.NOBODY)
        requested = draft.send_at or now
        due = sending.release(requested, tz, urgent=urgent)
        if not dry_run:
            s.add(draft)
            await s.flush()
            await sending.confirm(s, None, draft, now, settings.coordinator_ids, tz, urgent=urgent)
            await audit.record(
                s,
                actor_id=None,
                actor_role="cli",
                action="broadcast.send",
                target=f"broadcast {draft.id}",
                now=now,
                people=len(people),
            )
    split = ", ".join(f"{lang} {n}" for lang, n in sorted(by_language.items()))
    when = f"at {due.astimezone(tz):%Y-%m-%d %H:%M}" if due > now else "now"
    if due != requested:
        when += " (the end of the quiet hours; --urgent sends in them)"
    what = "would go" if dry_run else f"broadcast #{draft.id} goes"
    return f"{what} to {len(people)} people ({split}), {when}"


def add_parser(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "broadcast",
        help="send an announcement from a file (YAML, Markdown or plain text)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument("file", type=Path, help="the announcement: .yaml, .md or .txt")
    cmd.add_argument(
        "--audience", required=True, help="everyone, or e.g. 'delegation=zavodske;role=mentee'"
    )
    cmd.add_argument("--at", help="when: '2023-10-10 08:00', '08:00' or 'tomorrow 08:00'")
    cmd.add_argument("--ack", action="store_true", help="add an 'I have read this' button")
    cmd.add_argument(
        "--urgent",
        action="store_true",
        help="send now even in the quiet hours (22:00-07:00 programme time); otherwise it waits",
    )
    cmd.add_argument(
        "--language",
        choices=list(LANGUAGES),
        default="en",
        help="language of a text file without [uk]/[sl]/[en] markers (default en)",
    )
    cmd.add_argument("--dry-run", action="store_true", help="count the recipients, send nothing")
    cmd.set_defaults(func=cmd_broadcast)


def cmd_broadcast(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db import migrate  # Alembic only where the database is opened

    db = await migrate.migrated(settings.effective_database_url)
    try:
        line = await broadcast_file(
            db,
            settings,
            args.file,
            args.audience,
            at=args.at,
            ack=args.ack,
            language=args.language,
            dry_run=args.dry_run,
            urgent=args.urgent,
        )
    except FileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Refused as exc:
        print(f"error: refused ({exc.reason.value}) {exc.details or ''}".rstrip(), file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(line)
    return 0
