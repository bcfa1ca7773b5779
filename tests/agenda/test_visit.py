"""My visit, logistics, resources (documents sent and re-sent by file_id), the .ics calendar."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import update

from bot.callbacks.agenda import ResourceFile
from bot.db.models import Event, Programme, Resource
from tests.agenda.conftest import PDF, Demo
from tests.harness import BotHarness, texts


async def test_dossier_shows_hosts_dates_hotel_transport_contacts(
    bot: BotHarness, demo: Demo
) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    shown = texts(await bot.send(user, "/myvisit"))
    assert "Visit to Domžale" in shown
    assert "Host municipality: Domžale" in shown and "Hosts: Maja Novak" in shown
    assert "8–28 October 2023" in shown
    assert "Hotel Krona" in shown and "+386 1 555 01 01" in shown
    assert "Airport shuttle" in shown and "Arrivals hall" in shown
    assert "14:00–15:00 (15:00–16:00 Kyiv time)" in shown
    assert "+386 1 555 02 02" in shown
    assert "Hotel Idrija" not in shown


async def test_dossier_in_slovenian_for_the_host(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("sl")
    await bot.register(user, "maja")
    shown = texts(await bot.send(user, "/myvisit"))
    assert "Obisk v Domžalah" in shown and "Delegacija Zavodske" in shown
    assert "Nastanitev" in shown and "Hotel Krona" in shown


async def test_logistics_by_category(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("uk")
    await bot.register(user, "olena")
    await bot.send(user, "/logistics")
    shown = texts(await bot.press(user, "Проживання"))
    assert "Готель «Крона»" in shown and "+386 1 555 01 01" in shown
    assert "Ідрія" not in shown


async def test_file_resource_is_sent_as_document_then_by_file_id(
    bot: BotHarness, demo: Demo
) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/resources")
    listing = texts(await bot.press(user, "Documents"))
    assert "Civil protection plan" in listing and "Bucha notes" not in listing
    first = [
        c for c in await bot.press(user, "Civil protection plan") if c.method == "sendDocument"
    ]
    assert len(first) == 1
    assert next(iter(first[0].files.values())) == ("plan.pdf", PDF)
    async with bot.db.session() as session:
        file_id = (await session.get(Resource, demo.resources["plan"])).telegram_file_id
    assert file_id
    again = [
        c for c in await bot.press(user, "Civil protection plan") if c.method == "sendDocument"
    ]
    assert again[0].files == {} and again[0].params["document"] == file_id
    assert bot.api.files[file_id] == ("plan.pdf", PDF)  # the id names the very same file


async def test_link_resource_is_a_link(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/resources")
    shown = texts(await bot.press(user, "Links"))
    assert '<a href="https://www.domzale.si/">Municipality website</a>' in shown


async def test_other_delegations_resource_is_refused(bot: BotHarness, demo: Demo) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    await bot.send(user, "/resources")
    calls = await bot.press_data(user, ResourceFile(demo.resources["bucha-doc"]).pack())
    assert not [c for c in calls if c.method == "sendDocument"]
    assert "not available to you" in texts(calls)


async def _ics(bot: BotHarness, user) -> Calendar:  # type: ignore[no-untyped-def]
    calls = [c for c in await bot.send(user, "/calendar") if c.method == "sendDocument"]
    assert len(calls) == 1
    name, data = next(iter(calls[0].files.values()))
    assert name == "programme.ics"
    return data


async def test_calendar_has_stable_uids_sequence_and_cancelled_status(
    bot: BotHarness, demo: Demo
) -> None:
    user = bot.new_user("en")
    await bot.register(user, "taras")
    first = await _ics(bot, user)
    assert first == await _ics(bot, user)  # nothing changed: the same file
    events = {str(e["uid"]): e for e in Calendar.from_ical(first).walk("VEVENT")}
    assert set(events) == {
        f"{k}@mentoring-bot" for k in ("opening", "firebrigade", "flood", "dropped", "strategy")
    }
    assert str(events["dropped@mentoring-bot"]["status"]) == "CANCELLED"
    assert str(events["opening@mentoring-bot"]["status"]) == "CONFIRMED"
    assert events["opening@mentoring-bot"]["location"].startswith("Town hall, Ljubljanska")

    async with bot.db.session() as session:  # an import moves the opening: same UID, SEQUENCE up
        await session.execute(
            update(Event)
            .where(Event.key == "opening")
            .values(starts_at=Event.starts_at, revision=2, title={"en": "Opening (moved)"})
        )
        await session.execute(update(Programme).values(content_version=2))
    moved = {str(e["uid"]): e for e in Calendar.from_ical(await _ics(bot, user)).walk("VEVENT")}
    assert set(moved) == set(events)
    assert int(moved["opening@mentoring-bot"]["sequence"]) == 2
    assert str(moved["opening@mentoring-bot"]["summary"]) == "Opening (moved)"
