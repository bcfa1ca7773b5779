"""Guests see nothing private by any command or button; reminder settings."""

from __future__ import annotations

from datetime import date

import pytest

from bot.callbacks.agenda import (
    Agenda,
    AgendaDay,
    AgendaScreen,
    EventCard,
    LogisticsCategory,
    LogisticsMenu,
    MyVisit,
    ReminderSettings,
    ResourceCategory,
    ResourceFile,
    ResourcesMenu,
    SetDigest,
    SetReminder,
    Switch,
)
from bot.db.models import Account
from tests.agenda.conftest import Demo
from tests.harness import BotHarness, texts

PRIVATE = ("09:00", "Town hall", "Ljubljanska", "Hotel", "+386", "Fire", "plan.pdf", "Flood")


def _callbacks(demo: Demo) -> list[str]:
    event, resource = demo.events["opening"], demo.resources["plan"]
    categories = ("accommodation", "contact", "transport", "emergency")
    return [
        *(Agenda(screen).pack() for screen in AgendaScreen),
        AgendaDay(date(2023, 10, 9)).pack(),
        EventCard(event).pack(),
        MyVisit().pack(),
        LogisticsMenu().pack(),
        *(LogisticsCategory.of(c).pack() for c in categories),
        ResourcesMenu().pack(),
        ResourceCategory.of("documents").pack(),
        ResourceFile(resource).pack(),
        ReminderSettings().pack(),
        SetReminder(60).pack(),
        SetReminder(0).pack(),
        SetDigest(Switch.OFF).pack(),
    ]


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
    programme = {Agenda(AgendaScreen.TODAY), MyVisit(), LogisticsMenu(), ResourcesMenu()}
    assert not data & {d.pack() for d in programme}
    assert Agenda(AgendaScreen.CALENDAR).pack() not in data


@pytest.mark.parametrize("language", ["uk", "sl", "en"])
async def test_reminder_settings_change_and_switch_off(
    bot: BotHarness, demo: Demo, language: str
) -> None:
    user = bot.new_user(language)
    await bot.register(user, "olena")
    await bot.onboard(user, language)
    shown = texts(await bot.send(user, "/settings"))
    if language == "sl":  # Slovenian writes times with a dot
        assert "22.00–7.00" in shown and "7.30" in shown
    else:
        assert "22:00–07:00" in shown and "07:30" in shown
    await bot.press_data(user, SetReminder(60).pack())
    await bot.press_data(user, SetDigest(Switch.OFF).pack())
    await bot.press_data(user, SetReminder(7).pack())  # not a choice: ignored
    async with bot.db.session() as session:
        account = await session.get(Account, user.id)
        assert account is not None
        assert (account.reminder_minutes, account.digest_enabled) == (60, False)
    await bot.press_data(user, SetReminder(0).pack())
    async with bot.db.session() as session:
        account = await session.get(Account, user.id)
        assert account is not None and account.reminder_minutes is None
