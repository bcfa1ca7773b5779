"""Placeholders that fit their sentence: languages named as each language names them in a
sentence, cities instead of time-zone ids, counts inside sentences with plural forms."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.i18n import use_locale
from bot.views import broadcasts

TZ = ZoneInfo("Europe/Ljubljana")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("uk", "Надішліть текст оголошення словенською."),
        ("sl", "Pošljite besedilo obvestila v ukrajinščini."),
        ("en", "Send the text of the announcement in Slovenian."),
    ],
)
def test_a_texts_language_reads_as_part_of_the_sentence(lang: str, expected: str) -> None:
    other = "uk" if lang == "sl" else "sl"
    with use_locale(lang):
        assert broadcasts.ask_version(1, other).text.startswith(expected + "\n")


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        (
            "uk",
            {
                1: "Оголошення отримає 1 особа.",
                3: "Оголошення отримають 3 особи.",
                5: "Оголошення отримають 5 осіб.",
            },
        ),
        (
            "sl",
            {
                1: "Obvestilo bo prejela 1 oseba.",
                2: "Obvestilo bosta prejeli 2 osebi.",
                3: "Obvestilo bodo prejele 3 osebe.",
                5: "Obvestilo bo prejelo 5 oseb.",
            },
        ),
        (
            "en",
            {
                1: "The announcement will reach 1 person.",
                5: "The announcement will reach 5 people.",
            },
        ),
    ],
)
def test_counts_are_sentences_with_plural_forms(lang: str, counts: dict[int, str]) -> None:
    with use_locale(lang):
        for n, expected in counts.items():
            assert expected in broadcasts.audience(1, {}, n, [], False).text


@pytest.mark.parametrize(
    ("lang", "city"), [("uk", "Любляна"), ("sl", "Ljubljana"), ("en", "Ljubljana")]
)
def test_times_are_asked_for_in_a_city_not_a_zone_id(lang: str, city: str) -> None:
    with use_locale(lang):
        for text in (broadcasts.ask_time(1, TZ).text, broadcasts.bad_time(TZ)):
            assert city in text and "Europe/" not in text


def test_who_gets_it_is_on_the_same_line_or_followed_by_the_limits() -> None:
    with use_locale("en"):
        text = broadcasts.audience(1, {"roles": ["host"]}, 2, [], False).text
    assert "Who gets it:\n🎭 Roles: hosts" in text and "\n\n\n" not in text


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("uk", ("координаторка", "координатор", "координатор")),
        ("sl", ("gostiteljica", "gostitelj", "gostitelj")),
    ],
)
def test_role_labels_take_the_persons_gender(lang: str, forms: tuple[str, str, str]) -> None:
    from bot.people.access import Role
    from bot.views.onboarding import role_name

    role = Role.COORDINATOR if lang == "uk" else Role.HOST
    with use_locale(lang):
        assert (role_name(role, "f"), role_name(role, "m"), role_name(role)) == forms
        assert "/" not in role_name(Role.MENTEE)


def test_the_demo_gives_its_people_a_gender() -> None:
    from pathlib import Path

    import yaml

    demo = Path(__file__).resolve().parent.parent / "bot" / "programme" / "demo" / "demo.yaml"
    people = yaml.safe_load(demo.read_text(encoding="utf-8"))["participants"]
    assert {p["key"]: p.get("gender") for p in people}["host-maja"] == "f"


def test_an_invite_for_a_person_names_the_role_in_their_form() -> None:
    from datetime import datetime

    from bot.people.access import Role
    from bot.views.people import invite_created

    expires = datetime(2023, 10, 16, 8, tzinfo=TZ)
    with use_locale("uk"):
        text = invite_created("https://t.me/x", "Ірина", Role.MENTEE, expires, 1, TZ, "f")
    assert "Роль: учасниця програми" in text and "16 жовт. 2023" in text


def test_the_roles_screen_names_each_role_in_the_persons_form() -> None:
    from bot.people.access import Member, Role
    from bot.views.people import member_card, members_list

    maja = Member(1, "Maja Novak", Role.HOST, None, 2, gender="f")
    with use_locale("sl"):
        markup = members_list([maja], 0, 1).keyboard
        assert markup is not None
        labels = [b.text for row in markup.inline_keyboard for b in row]
        assert "Maja Novak · gostiteljica" in labels
        assert "Trenutna vloga: gostiteljica" in member_card(maja).text
