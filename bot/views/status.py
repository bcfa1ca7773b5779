"""The coordinators' ``/status``: how the bot is doing, in the reader's language."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from bot.i18n import _, format_duration
from bot.infra.status import Snapshot
from bot.questions.service import Status
from bot.views.common import Screen


def _row(label: str, value: object) -> str:
    return f"{label} <b>{escape(str(value))}</b>"


def status(snapshot: Snapshot) -> Screen:
    deliveries, asked = snapshot.deliveries, snapshot.questions
    oldest = snapshot.backlog.oldest_age(snapshot.now)
    lines = [
        _("<b>📊 Bot status</b>"),
        _row(_("Running for:"), format_duration(timedelta(seconds=snapshot.uptime_seconds))),
        _row(_("Database schema:"), snapshot.revision or "—"),
        "",
        _("<b>Outgoing messages</b>"),
        _row(_("Waiting to be sent:"), snapshot.backlog.depth),
        _row(
            _("Longest wait of a due message:"),
            format_duration(timedelta(seconds=oldest)) if oldest else "—",
        ),
        "",
        _("<b>In the last 24 hours</b>"),
        _row(_("Messages sent:"), deliveries.get("sent", 0)),
        _row(_("Messages not delivered:"), deliveries.get("failed", 0)),
        _row(_("Recipients who blocked the bot:"), deliveries.get("unreachable", 0)),
        _row(_("Questions answered by the bot:"), asked.get(Status.AUTO, 0)),
        _row(_("Questions the bot could not answer:"), asked.get(Status.DECLINED, 0)),
        _row(
            _("Questions passed on to the coordinators:"),
            asked.get(Status.OPEN, 0) + asked.get(Status.ANSWERED, 0),
        ),
        "",
        _row(_("Questions waiting for a coordinator’s answer:"), snapshot.waiting_for_staff),
    ]
    return Screen("\n".join(lines))
