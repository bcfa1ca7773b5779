"""Programme screens are made once per content version, language, key and minute, and the main
menu once per role and language: the screens people ask for most are served ready."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.agenda.service import EVERYTHING, GUEST, ProgrammeContent
from bot.handlers.viewing import Seen, screen_of_minute
from bot.i18n import use_locale
from bot.people.access import Role, Viewer
from bot.views.common import Screen
from bot.views.menu import main_menu


def _content() -> ProgrammeContent:
    return ProgrammeContent(
        version=1,
        tz=ZoneInfo("Europe/Ljubljana"),
        programme=None,
        events=[],
        visits={},
        delegations={},
        municipalities={},
        participants=[],
        logistics=[],
        resources=[],
    )


def test_a_screen_is_made_once_a_minute_per_language_and_key() -> None:
    seen = Seen(_content(), EVERYTHING)
    made: list[datetime] = []

    def build(minute: datetime) -> Screen:
        made.append(minute)
        return Screen(f"made for {minute:%H:%M:%S}")

    at = datetime(2023, 10, 9, 8, 0, 5, tzinfo=UTC)
    with use_locale("uk"):
        first = screen_of_minute(seen, at, build, "day", seen.scope)
        assert screen_of_minute(seen, at + timedelta(seconds=50), build, "day", seen.scope) is first
        assert first.text == "made for 08:00:00"  # the view sees the minute, not the second
        other_key = screen_of_minute(seen, at, build, "day", GUEST)
    with use_locale("sl"):
        other_language = screen_of_minute(seen, at, build, "day", seen.scope)
    with use_locale("uk"):
        next_minute = screen_of_minute(seen, at + timedelta(seconds=55), build, "day", seen.scope)
    assert len({id(first), id(other_key), id(other_language), id(next_minute)}) == 4
    assert next_minute.text == "made for 08:01:00"
    assert len(made) == 4


def test_a_new_content_version_makes_its_screens_anew() -> None:
    at = datetime(2023, 10, 9, 8, 0, tzinfo=UTC)
    with use_locale("en"):
        old = screen_of_minute(Seen(_content(), EVERYTHING), at, lambda m: Screen("old"), "next")
        new = screen_of_minute(Seen(_content(), EVERYTHING), at, lambda m: Screen("new"), "next")
    assert (old.text, new.text) == ("old", "new")


def _viewer(telegram_id: int, role: Role | None) -> Viewer:
    return Viewer(telegram_id, "Ana", "uk", "uk", role)


def test_the_main_menu_is_one_screen_per_role_and_language() -> None:
    with use_locale("uk"):
        mentee = main_menu(_viewer(1, Role.MENTEE))
        assert main_menu(_viewer(2, Role.MENTEE)) is mentee
        coordinator = main_menu(_viewer(3, Role.COORDINATOR))
        guest = main_menu(_viewer(4, None))
    with use_locale("sl"):
        slovenian = main_menu(_viewer(1, Role.MENTEE))
    assert len({id(mentee), id(coordinator), id(guest), id(slovenian)}) == 4
    assert "inv:new" in str(coordinator.keyboard) and "inv:new" not in str(mentee.keyboard)
    assert "about:join" in str(guest.keyboard) and "sch:today" not in str(guest.keyboard)
    assert mentee.text != slovenian.text
