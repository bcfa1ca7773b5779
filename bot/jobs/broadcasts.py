"""The author's progress message of a broadcast, edited as its messages go out.

The edits go through the outbox like every message the bot sends on its own (retried, paced,
recorded); only the latest waits, and one showing what the message already shows is not made.

The delivery worker calls a :class:`ProgressMessages` listener for each broadcast whose rows
changed; :func:`start_progress` (a ``bot.app`` start hook, after
``bot.delivery.worker.start_delivery``) attaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.broadcasts import following
from bot.i18n import use_locale
from bot.infra.services import Services, services_of
from bot.views import broadcasts as views


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
    markup = screen.keyboard.to_dict() if screen.keyboard else None
    if await following.show_progress(services.db, shown, screen.text, markup, now):
        services.wake_delivery()
