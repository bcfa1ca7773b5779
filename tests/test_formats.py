"""Dates, times, ranges and countdowns as each language writes them (Babel, British English)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import (
    format_clock,
    format_countdown,
    format_date,
    format_date_range,
    format_datetime,
    format_duration,
    format_time,
)
from bot.transport.local_api import ApiCall
from tests.rendering import LanguageOf, problems

TZ = ZoneInfo("Europe/Ljubljana")
NOW = datetime(2023, 10, 9, 7, 30, tzinfo=TZ)
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("lang", "morning", "evening"), [("uk", "07:30", "22:00"), ("sl", "7.30", "22.00")]
)
def test_slovenian_writes_times_with_a_dot(lang: str, morning: str, evening: str) -> None:
    """Slovenian orthography: "ob 7.30", "19.00" (no colon, no leading zero); Ukrainian and
    English keep CLDR's 07:30."""
    assert format_time(datetime(2023, 10, 10, 7, 30, tzinfo=TZ), TZ, lang) == morning
    assert format_clock(time(22, 0), lang) == evening


def test_english_is_british() -> None:
    # British style: no comma after the weekday (CLDR's en_GB has "Tuesday, 10 October 2023").
    assert format_date(date(2023, 10, 10), TZ, "full", "en") == "Tuesday 10 October 2023"
    assert format_datetime(datetime(2023, 10, 11, 8, tzinfo=TZ), TZ, "en") == "11 Oct 2023, 08:00"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("uk", f"11 жовт. 2023{NNBSP}р., 20:05"),
        ("sl", "11. okt. 2023, 20.05"),
        ("en", "11 Oct 2023, 20:05"),
    ],
)
def test_datetimes_have_a_24_hour_clock_and_no_seconds(lang: str, expected: str) -> None:
    moment = datetime(2023, 10, 11, 20, 5, 42, tzinfo=TZ)
    assert format_datetime(moment, TZ, lang) == expected
    assert format_time(moment, TZ, lang) == ("20.05" if lang == "sl" else "20:05")


@pytest.mark.parametrize(
    ("lang", "same_month", "two_months"),
    [
        ("uk", f"8–28 жовтня 2023{NNBSP}р.", f"8 жовтня{NBSP}— 2 листопада 2023{NNBSP}р."),
        ("sl", "8.–28. oktober 2023", "8. oktober–2. november 2023"),
        ("en", "8–28 October 2023", f"8 October{NBSP}– 2 November 2023"),
    ],
)
def test_ranges_write_the_shared_month_and_year_once(
    lang: str, same_month: str, two_months: str
) -> None:
    assert format_date_range(date(2023, 10, 8), date(2023, 10, 28), lang) == same_month
    assert format_date_range(date(2023, 10, 8), date(2023, 11, 2), lang) == two_months


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("uk", f"через 1{NBSP}год 30{NBSP}хв"),
        ("sl", f"čez 1{NBSP}h 30{NBSP}min"),
        ("en", f"in 1{NBSP}hr 30{NBSP}mins"),
    ],
)
def test_countdowns_never_round_up(lang: str, expected: str) -> None:
    almost_two_hours = NOW + timedelta(hours=1, minutes=30, seconds=59)
    assert format_countdown(almost_two_hours, NOW, TZ, lang) == expected


@pytest.mark.parametrize(
    ("lang", "nine", "eleven"),
    [
        ("uk", "завтра о 09:00", "завтра об 11:00"),
        ("sl", "jutri ob 9.00", "jutri ob 11.00"),
        ("en", "tomorrow at 09:00", "tomorrow at 11:00"),
    ],
)
def test_tomorrow_is_named_with_its_time(lang: str, nine: str, eleven: str) -> None:
    late = datetime(2023, 10, 9, 22, 0, tzinfo=TZ)
    assert format_countdown(datetime(2023, 10, 10, 9, 0, tzinfo=TZ), late, TZ, lang) == nine
    assert format_countdown(datetime(2023, 10, 10, 11, 0, tzinfo=TZ), NOW, TZ, lang) == eleven


def test_later_days_are_named_by_date() -> None:
    later = datetime(2023, 10, 12, 9, 0, tzinfo=TZ)
    assert format_countdown(later, NOW, TZ, "uk") == "чт, 12 жовт. о 09:00"
    assert format_countdown(later, NOW, TZ, "en") == "on Thu 12 Oct at 09:00"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("uk", "менш ніж через хвилину"), ("sl", "v manj kot minuti"), ("en", "in under a minute")],
)
def test_the_last_minute_is_not_zero_minutes(lang: str, expected: str) -> None:
    assert format_countdown(NOW + timedelta(seconds=59), NOW, TZ, lang) == expected


def test_english_ranges_and_durations_are_british() -> None:
    """New Hart's Rules: a closed en dash between numbers, a spaced one (no-break space before
    it) between dates that have spaces; durations in the house style, CLDR's en_GB short units
    ("1 hr", "2 hrs", "1 min", "45 mins": the English review's choice), never "h" or a plural
    without its "s"."""
    assert format_date_range(date(2023, 12, 30), date(2024, 1, 2), "en") == (
        f"30 December 2023{NBSP}– 2 January 2024"
    )
    assert format_date_range(date(2023, 10, 8), date(2023, 10, 8), "en") == "8 October 2023"
    assert format_duration(timedelta(hours=3), "en") == f"3{NBSP}hrs"
    assert format_duration(timedelta(minutes=1), "en") == f"1{NBSP}min"
    assert format_duration(timedelta(minutes=45), "en") == f"45{NBSP}mins"
    assert format_duration(timedelta(hours=2, minutes=5), "en") == f"2{NBSP}hrs 5{NBSP}mins"


def test_the_rendering_rules_catch_non_british_english() -> None:
    """The rules every test applies to every English screen (tests/rendering.py)."""
    bad = [
        "8\u2009–\u200928 October 2023",
        "09:00 – 10:30",
        "in 1 h 30 min",
        f"in 15{NBSP}min",
        "2 hr",
        "1 mins",
        "Tuesday, 10 October 2023",
    ]
    good = [
        "8–28 October 2023",
        "09:00–10:30",
        f"in 1{NBSP}hr 30{NBSP}mins",
        f"1{NBSP}min, 2 hrs",
        "Tuesday 10 October 2023",
        "On Tuesday, the group meets at 09:00.",
        "/menu – the menu",
    ]
    english: LanguageOf = lambda _i, _c: "en"  # noqa: E731
    for text in bad:
        assert problems([ApiCall("sendMessage", {"chat_id": 1, "text": text})], english), text
    for text in good:
        assert not problems([ApiCall("sendMessage", {"chat_id": 1, "text": text})], english), text
