"""Guests see nothing private by any command or button; reminder settings."""

from __future__ import annotations

import pytest

from bot.db.models import Account
from tests.agenda.conftest import Demo
from tests.harness import BotHarness, texts

PRIVATE = ("09:00", "Town hall", "Ljubljanska", "Hotel", "+386", "Fire", "plan.pdf", "Flood")


def _callbacks(demo: Demo) -> list[str]:
    event, resource = demo.events["opening"], demo.resources["plan"]
    return [
        "sch:today", "sch:tomorrow", "sch:next", "sch:visit", "sch:day:20231009",
        f"sch:ev:{event}", "sch:ics", "visit:show", "log:menu", "log:cat:accommodation",
        "log:cat:contact", "log:cat:transport", "log:cat:emergency", "res:menu",
        "res:cat:documents", f"res:get:{resource}", "set:show", "set:rem:60", "set:rem:off",
        "set:dig:off",
    ]  # fmt: skip


async def test_guest_sees_nothing_private_by_any_button_or_command(
    bot: BotHarness, demo: Demo
) -> None:
    guest = bot.new_user("en")
    await bot.onboard(guest, "en")
    calls = []
    for data in _callbacks(demo):
        await bot.send(guest, "/menu")  # a fresh message, so every answer is a visible change
        calls += await bot.press_data(guest, data)
    for command in (
        "/today",
        "/tomorrow",
        "/next",
        "/agenda",
        "/calendar",
        "/myvisit",
        "/logistics",
        "/resources",
        "/settings",
    ):
        calls += await bot.send(guest, command)
    shown = texts(calls)
    for secret in PRIVATE:
        assert secret not in shown, secret
    assert not [c for c in calls if c.method in ("sendDocument", "sendVenue", "sendLocation")]
    assert "for registered participants only" in shown
    assert "Emergency: 112" in shown  # the one public item is fine to show
    async with bot.db.session() as session:
        account = await session.get(Account, guest.id)
        assert account is not None and account.reminder_minutes == 30 and account.digest_enabled


async def test_guest_menu_has_no_programme_entries(bot: BotHarness, demo: Demo) -> None:
    guest = bot.new_user("en")
    await bot.onboard(guest, "en")
    data = {b["callback_data"] for b in (await bot.send(guest, "/menu"))[-1].buttons}
    assert not data & {"sch:today", "visit:show", "log:menu", "res:menu", "sch:ics"}


@pytest.mark.parametrize("language", ["uk", "sl", "en"])
async def test_reminder_settings_change_and_switch_off(
    bot: BotHarness, demo: Demo, language: str
) -> None:
    user = bot.new_user(language)
    await bot.register(user, "olena")
    await bot.onboard(user, language)
    shown = texts(await bot.send(user, "/settings"))
    assert "22:00–07:00" in shown and "07:30" in shown
    await bot.press_data(user, "set:rem:60")
    await bot.press_data(user, "set:dig:off")
    await bot.press_data(user, "set:rem:7")  # not a choice: ignored
    async with bot.db.session() as session:
        account = await session.get(Account, user.id)
        assert account is not None
        assert (account.reminder_minutes, account.digest_enabled) == (60, False)
    await bot.press_data(user, "set:rem:off")
    async with bot.db.session() as session:
        account = await session.get(Account, user.id)
        assert account is not None and account.reminder_minutes is None
