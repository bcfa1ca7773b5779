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

from bot.broadcasts import following
from bot.i18n import use_locale
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
    now = services.clock.now()
    shown = await following.progress(services.db, broadcast_id, now, services.settings.tz)
    if shown is None:
        return
    with use_locale(shown.language):
        screen = views.progress(shown.figures, shown.tz)
    try:
        await app.bot.edit_message_text(
            screen.text,
            chat_id=shown.chat_id,
            message_id=shown.message_id,
            reply_markup=screen.keyboard,
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            log.warning("progress of broadcast %s not shown: %s", broadcast_id, exc.message)
