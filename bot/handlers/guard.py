"""Who may use a handler: every callback declares it, and the check runs on every update.

``@allow(Access.COORDINATOR)`` wraps a handler callback so that it runs only for people with that
access; others get a polite refusal (a button press gets an alert). The declared level is kept on
the wrapper as ``__access__`` so the permission test can enumerate every registered handler.
Callback data is never trusted: handlers still check that the *object* named in the data belongs to
what the person may see.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Update

from bot.handlers.send import answer
from bot.i18n import _
from bot.people.access import Viewer
from bot.views.common import next_line

if TYPE_CHECKING:
    from bot.handlers.context import BotContext


class Access(StrEnum):
    ANYONE = "anyone"  # guests included
    INVITED = "invited"  # mentees, hosts, coordinators
    STAFF = "staff"  # hosts and coordinators
    COORDINATOR = "coordinator"
    SYSTEM = "system"  # not a person's action (the viewer loader, the error handler)


def permits(viewer: Viewer | None, access: Access) -> bool:
    if access in (Access.ANYONE, Access.SYSTEM):
        return True
    if viewer is None:
        return False
    if access is Access.INVITED:
        return viewer.invited
    if access is Access.STAFF:
        return viewer.is_staff
    return viewer.is_coordinator


Callback = Callable[[Update, "BotContext"], Awaitable[Any]]
F = TypeVar("F", bound=Callback)


def refusal(access: Access) -> tuple[str, str]:
    """Why the person may not, and what they can do instead."""
    if access is Access.INVITED:
        return (
            _("🔒 This is for registered participants only."),
            _("Open the invite link the coordinators sent you."),
        )
    instead = _("Your /menu shows what you can use.")
    if access is Access.STAFF:
        return _("🔒 This is for hosts and coordinators only."), instead
    return _("🔒 This is for coordinators only."), instead


async def deny(update: Update, access: Access) -> None:
    why, instead = refusal(access)
    if update.callback_query is not None:
        await answer(update, f"{why} {instead}", alert=True)
        return
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await update.get_bot().send_message(chat.id, why + "\n\n" + next_line(instead))


def allow(access: Access) -> Callable[[F], F]:
    def decorate(callback: F) -> F:
        @functools.wraps(callback)
        async def guarded(update: Update, context: BotContext) -> Any:
            viewer = context.viewer if context.has_viewer else None
            if not permits(viewer, access):
                await deny(update, access)
                return None
            return await callback(update, context)

        guarded.__access__ = access  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
