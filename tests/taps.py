"""Counting what a person does in a flow: every button pressed and every message typed.

The common staff flows are tested against a budget of actions so that they do not creep back up
(issue 14). Only visible buttons are pressed, by their label, as a person would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.transport.local_api import ApiCall
from bot.transport.updates import SimUser
from tests.harness import BotHarness


@dataclass
class Actions:
    """One person's actions in a flow: ``taps`` buttons, ``typed`` messages and commands."""

    bot: BotHarness
    user: SimUser
    taps: int = 0
    typed: int = 0

    async def press(self, label: str) -> list[ApiCall]:
        self.taps += 1
        return await self.bot.press(self.user, label)

    async def press_under(self, message: dict[str, Any], label: str) -> list[ApiCall]:
        """Press a button under a message of another chat (the staff chat)."""
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
        self.taps += 1
        return await self.bot.press_data(self.user, data, message)

    async def send(self, text: str, **kwargs: Any) -> list[ApiCall]:
        self.typed += 1
        return await self.bot.send(self.user, text, **kwargs)
