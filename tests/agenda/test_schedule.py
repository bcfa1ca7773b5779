"""Today, tomorrow, next, the whole visit by day and the event card, as a mentee sees them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.callbacks.agenda import EventCard
from bot.transport.local_api import ApiError
from tests.agenda.conftest import Demo
from tests.harness import BotHarness, texts


async def test_today_lists_own_events_with_countdown_and_kyiv_time(
    bot: BotHarness, demo: Demo
) -> None:
    user = bot.new_user("en", "Taras")
    await bot.register(user, "taras")
    shown = texts(await bot.send(user, "/today"))
    assert "Opening of the programme" in shown
    assert "Fire brigade visit" in shown
    assert "Mercury mine" not in shown  # another delegation's visit
    assert "in 1\xa0hr" in shown and "in 3\xa0hrs" in shown
    assert "09:00–10:00 (10:00–11:00 Kyiv time)" in shown
    assert "Ljubljana time" in shown


async def test_today_in_ukrainian(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("uk")
    await bot.register(user, "olena")
    shown = texts(await bot.send(user, "/today"))
    assert "Відкриття програми" in shown
    assert "через 1\xa0год" in shown
    assert "за київським часом" in shown
    assert "Ртутна шахта" not in shown


async def test_tomorrow_and_next(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    tomorrow = texts(await bot.send(user, "/tomorrow"))
    assert "Flood response" in tomorrow
    assert "Dropped session" not in tomorrow  # cancelled
    bot.clock.advance(hours=1, minutes=30)  # 09:30: the opening is running
    upcoming = texts(await bot.send(user, "/next"))
    assert upcoming.index("Opening") < upcoming.index("Fire brigade") < upcoming.index("Flood")
    assert "now, until 10:00" in upcoming


async def test_whole_visit_pages_by_day(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    first = texts(await bot.send(user, "/agenda"))
    assert "Opening of the programme" in first
    second = texts(await bot.press(user, "▶"))
    assert "Flood response" in second and "Opening" not in second
    third = texts(await bot.press(user, "▶"))
    assert "Strategic documents" in third
    assert not any(
        "▶" in b["text"] and "◀" not in b["text"]
        for b in bot.last_message(user)["reply_markup"]["inline_keyboard"][-3]
    )
    back = texts(await bot.press(user, "◀"))
    assert "Flood response" in back


async def test_event_card_with_venue(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/today")
    calls = await bot.press(user, "Opening")
    card = texts(calls)
    assert "Ljubljanska cesta 69" in card
    assert "Host: Municipality of Domžale" in card
    assert "Welcome &amp; introductions &lt;all&gt;" in card  # content is escaped for HTML
    venue = [c for c in calls if c.method == "sendVenue"]
    assert len(venue) == 1
    assert float(venue[0].params["latitude"]) == 46.1372
    assert venue[0].params["title"] == "Town hall"


async def test_card_of_an_event_not_for_the_viewer_is_refused(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/today")
    calls = await bot.press_data(user, EventCard(demo.events["idrija"]).pack())
    shown = texts(calls)
    assert "no longer in your programme" in shown
    assert "Secret bunker" not in shown and "Mercury" not in shown
    assert not [c for c in calls if c.method in ("sendVenue", "sendLocation")]
    await bot.send(user, "/today")
    # An id no database holds is not an event's: the button is out of date (never an error).
    junk = texts(await bot.press_data(user, "sch:ev:99999999999999999999"))
    assert "This button is out of date" in junk


async def test_host_sees_the_visit_they_host_and_not_others(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("sl")
    await bot.register(user, "maja")
    shown = texts(await bot.send(user, "/today"))
    assert "Obisk gasilcev" in shown and "Odprtje programa" in shown
    assert "Rudnik" not in shown
    assert "čez 1\xa0h" in shown


async def test_coordinator_sees_every_visit(bot: BotHarness, demo: Demo) -> None:
    from bot.transport.updates import SimUser
    from tests.conftest import COORDINATOR_ID

    user = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    shown = texts(await bot.send(user, "/today"))
    assert "Mercury mine" in shown and "Fire brigade visit" in shown


async def test_menu_leads_to_the_programme(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/menu")
    assert "Opening of the programme" in texts(await bot.press(user, "Today"))


async def test_a_refused_venue_pin_leaves_the_card_and_brings_no_apology(
    bot: BotHarness, demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse_venue(method: str, params: dict[str, Any]) -> ApiError | None:
        return ApiError(400, "Bad Request: wrong latitude") if method == "sendVenue" else None

    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/today")
    bot.api.fault = refuse_venue
    with bot.tolerating():  # the refused pin is on purpose; the update itself must not fail
        calls = await bot.press(user, "Opening")
    assert "Ljubljanska cesta 69" in texts(calls)
    assert "Something went wrong" not in texts(calls)
    assert not bot.failures
    assert "optional part refused" in caplog.text


async def test_a_double_tap_on_an_event_edits_nothing_and_pins_once(
    bot: BotHarness, demo: Demo
) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/today")
    message, data = bot.find_button(user, "Opening")
    first = await bot.press_data(user, data, message)
    assert [c.method for c in first if c.method == "sendVenue"] == ["sendVenue"]
    second = await bot.press_data(user, data, message)  # the same press again, on the same card
    assert [c.method for c in second] == ["answerCallbackQuery"]
