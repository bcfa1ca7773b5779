"""The author's progress message of a broadcast, edited as its messages go out.

The delivery worker calls a :class:`ProgressMessages` listener for each broadcast whose rows
changed; :func:`start_progress` (a ``bot.app`` start hook, after
``bot.delivery.worker.start_delivery``) attaches it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest

from bot.agenda.service import programme_timezone
from bot.broadcasts import report
from bot.db.models import Account
from bot.db.models.broadcasts import Broadcast
from bot.i18n import guess_language, use_locale
from bot.infra.services import Services, services_of
from bot.views import broadcasts as views

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgressMessages:
    """A progress listener for one application (equal listeners are attached once)."""

    app: Any

    async def __call__(self, broadcast_id: int) -> None:
        await on_progress(self.app, broadcast_id)


async def start_progress(app: Any, services: Services) -> None:
    """Start hook (after ``start_delivery``): progress messages follow every broadcast."""
    if services.delivery is not None:
        services.delivery.add_progress_listener(ProgressMessages(app))


async def on_progress(app: Any, broadcast_id: int) -> None:
    """Edit the author's progress message with the broadcast's current figures."""
    services = services_of(app)
    async with services.db.session() as s:
        broadcast = await s.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.progress_message_id is None:
            return
        figures = await report.figures(s, broadcast, services.clock.now())
        account = await s.get(Account, broadcast.author_id) if broadcast.author_id else None
        tz = await programme_timezone(s, services.settings.tz)
    language = (account.language or guess_language(account.language_code)) if account else "en"
    with use_locale(language):
        screen = views.progress(figures, tz)
    try:
        await app.bot.edit_message_text(
            screen.text,
            chat_id=broadcast.progress_chat_id,
            message_id=broadcast.progress_message_id,
            reply_markup=screen.keyboard,
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            log.warning("progress of broadcast %s not shown: %s", broadcast_id, exc.message)
