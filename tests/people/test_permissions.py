"""The permission matrix: every handler the application registers declares who may use it, and
each is tried by a guest, a mentee, a host and a coordinator to see the guard let exactly the
right ones through. A new handler without ``@allow(...)`` fails this test.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks.base import Pattern
from bot.db.models import Delegation, Municipality, Participant
from bot.handlers.dispatch import registered
from bot.handlers.guard import Access, permits, refusal
from bot.i18n import use_locale
from bot.people.access import Role
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness


def _handlers(bot: BotHarness) -> list[tuple[int, BaseHandler[Any, Any, Any]]]:
    return registered(bot.app)


def _press(handler: BaseHandler[Any, Any, Any]) -> str | None:
    """A press that ``handler`` takes, or None when it takes no button presses."""
    if not isinstance(handler, CallbackQueryHandler) or handler.pattern is None:
        return None
    # Every button handler takes one kind of button data (bot/callbacks/), never a bare regex.
    assert isinstance(handler.pattern, Pattern), handler.pattern
    return handler.pattern.example()


async def test_every_handler_declares_its_access(bot: BotHarness) -> None:
    undeclared = [
        f"group {group}: {h.callback.__module__}.{h.callback.__qualname__}"
        for group, h in _handlers(bot)
        if not isinstance(getattr(h.callback, "__access__", None), Access)
    ]
    assert not undeclared, "handlers without @allow(...):\n" + "\n".join(undeclared)


async def _people(bot: BotHarness) -> dict[str, SimUser]:
    async with bot.db.session() as session:
        ua = Municipality(key="ua", name={"en": "Zavodske"}, country="UA")
        si = Municipality(key="si", name={"en": "Domžale"}, country="SI")
        session.add_all([ua, si])
        await session.flush()
        delegation = Delegation(key="d", name={"en": "Delegation"}, municipality_id=ua.id)
        session.add(delegation)
        await session.flush()
        session.add_all(
            [
                Participant(key="m", name="Mentee", role="mentee", delegation_id=delegation.id),
                Participant(key="h", name="Host", role="host", municipality_id=si.id),
            ]
        )
    people = {
        "guest": bot.new_user("en"),
        "mentee": bot.new_user("en"),
        "host": bot.new_user("en"),
        "coordinator": SimUser(id=COORDINATOR_ID, first_name="Coordinator", language_code="en"),
    }
    for user in people.values():
        await bot.onboard(user, "en")
    await bot.register(people["mentee"], "m")
    await bot.register(people["host"], "h")
    return people


def _viewer_role(name: str) -> Role | None:
    return None if name == "guest" else Role(name)


async def test_permission_matrix(bot: BotHarness) -> None:
    people = await _people(bot)
    with use_locale("en"):
        refusals = {refusal(a)[0] for a in (Access.INVITED, Access.STAFF, Access.COORDINATOR)}
    tried = 0
    for _group, handler in _handlers(bot):
        access = getattr(handler.callback, "__access__", None)
        if access in (None, Access.SYSTEM, Access.ANYONE):
            continue
        for who, user in people.items():
            if isinstance(handler, CommandHandler):
                command = sorted(handler.commands)[0]
                calls = await bot.send(user, f"/{command}")
            elif (data := _press(handler)) is not None:
                calls = await bot.press_data(user, data)
            else:
                continue
            tried += 1
            refused = any(c.text.startswith(tuple(refusals)) for c in calls)
            from bot.people.access import Viewer

            viewer = Viewer(user.id, "", "en", "en", _viewer_role(who))
            name = f"{handler.callback.__module__}.{handler.callback.__qualname__}"
            assert refused != permits(viewer, access), f"{name} ({access}) for {who}"
    assert tried >= 8
