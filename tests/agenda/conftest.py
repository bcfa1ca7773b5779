"""A small programme written with the ORM: two delegations, their visits, events, logistics.

Times are given in programme time (Europe/Ljubljana, UTC+2 in October 2023; Kyiv is UTC+3).
The ``bot`` fixture's clock starts at 2023-10-09 08:00 programme time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.db.engine import Database
from bot.db.models import (
    Delegation,
    Event,
    LogisticsItem,
    Municipality,
    Participant,
    Programme,
    Resource,
    Visit,
)
from tests.harness import BotHarness

TZ = ZoneInfo("Europe/Ljubljana")
PDF = b"%PDF-1.4 civil protection plan"


def local(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=TZ)


def i18n(en: str, uk: str, sl: str) -> dict[str, str]:
    return {"en": en, "uk": uk, "sl": sl}


@dataclass
class Demo:
    """Ids of the rows the tests refer to."""

    events: dict[str, int]
    resources: dict[str, int]


async def build_programme(db: Database) -> Demo:
    async with db.session() as s:
        s.add(
            Programme(
                id=1,
                name=i18n("Mentoring programme", "Менторська програма", "Mentorski program"),
                timezone="Europe/Ljubljana",
                default_language="uk",
                content_version=1,
            )
        )
        towns = {
            key: Municipality(key=key, name=i18n(en, uk, sl), country=country)
            for key, en, uk, sl, country in [
                ("domzale", "Domžale", "Домжале", "Domžale", "SI"),
                ("idrija", "Idrija", "Ідрія", "Idrija", "SI"),
                ("zavodske", "Zavodske", "Заводське", "Zavodske", "UA"),
                ("bucha", "Bucha", "Буча", "Buča", "UA"),
            ]
        }
        s.add_all(towns.values())
        await s.flush()
        zav = Delegation(
            key="zavodske",
            name=i18n("Zavodske delegation", "Делегація Заводського", "Delegacija Zavodske"),
            municipality_id=towns["zavodske"].id,
        )
        buc = Delegation(
            key="bucha",
            name=i18n("Bucha delegation", "Делегація Бучі", "Delegacija Buče"),
            municipality_id=towns["bucha"].id,
        )
        s.add_all([zav, buc])
        await s.flush()
        v_zav = Visit(
            key="zav-dom",
            title=i18n("Visit to Domžale", "Візит до Домжале", "Obisk v Domžalah"),
            delegation_id=zav.id,
            host_municipality_id=towns["domzale"].id,
            starts_on=date(2023, 10, 8),
            ends_on=date(2023, 10, 28),
        )
        v_buc = Visit(
            key="buc-idr",
            title=i18n("Visit to Idrija", "Візит до Ідрії", "Obisk v Idriji"),
            delegation_id=buc.id,
            host_municipality_id=towns["idrija"].id,
            starts_on=date(2023, 10, 8),
            ends_on=date(2023, 10, 20),
        )
        s.add_all([v_zav, v_buc])
        await s.flush()
        s.add_all(
            [
                Participant(
                    key="olena",
                    name="Олена Коваленко",
                    role="mentee",
                    delegation_id=zav.id,
                    language="uk",
                ),
                Participant(
                    key="taras",
                    name="Taras Bondar",
                    role="mentee",
                    delegation_id=zav.id,
                    language="en",
                ),
                Participant(
                    key="ivan",
                    name="Іван Мельник",
                    role="mentee",
                    delegation_id=buc.id,
                    language="uk",
                ),
                Participant(
                    key="maja",
                    name="Maja Novak",
                    role="host",
                    municipality_id=towns["domzale"].id,
                    language="sl",
                ),
            ]
        )
        events = {
            "opening": Event(
                key="opening",
                starts_at=local("2023-10-09 09:00"),
                ends_at=local("2023-10-09 10:00"),
                title=i18n("Opening of the programme", "Відкриття програми", "Odprtje programa"),
                place_name=i18n("Town hall", "Ратуша", "Občinska stavba"),
                address="Ljubljanska cesta 69, 1230 Domžale",
                latitude=46.1372,
                longitude=14.5946,
                host_organisation=i18n(
                    "Municipality of Domžale", "Муніципалітет Домжале", "Občina Domžale"
                ),
                description=i18n("Welcome & introductions <all>", "Привітання", "Pozdrav"),
            ),
            "firebrigade": Event(
                key="firebrigade",
                starts_at=local("2023-10-09 11:00"),
                ends_at=local("2023-10-09 12:30"),
                visit_id=v_zav.id,
                title=i18n("Fire brigade visit", "Візит до пожежної команди", "Obisk gasilcev"),
                place_name=i18n("Fire station", "Пожежна станція", "Gasilski dom"),
            ),
            "idrija": Event(
                key="idrija",
                starts_at=local("2023-10-09 11:00"),
                ends_at=local("2023-10-09 12:00"),
                visit_id=v_buc.id,
                title=i18n("Mercury mine", "Ртутна шахта", "Rudnik živega srebra"),
                place_name=i18n("Secret bunker", "Секретний бункер", "Skrivni bunker"),
            ),
            "flood": Event(
                key="flood",
                starts_at=local("2023-10-10 08:00"),
                ends_at=local("2023-10-10 10:00"),
                delegation_id=zav.id,
                title=i18n("Flood response", "Реагування на повені", "Odziv na poplave"),
            ),
            "dropped": Event(
                key="dropped",
                starts_at=local("2023-10-10 14:00"),
                ends_at=local("2023-10-10 15:00"),
                visit_id=v_zav.id,
                cancelled=True,
                revision=2,
                title=i18n("Dropped session", "Скасована зустріч", "Odpovedano srečanje"),
            ),
            "strategy": Event(
                key="strategy",
                starts_at=local("2023-10-12 10:00"),
                ends_at=local("2023-10-12 12:00"),
                visit_id=v_zav.id,
                title=i18n("Strategic documents", "Стратегічні документи", "Strateški dokumenti"),
            ),
        }
        s.add_all(events.values())
        s.add_all(
            [
                LogisticsItem(
                    key="hotel",
                    category="accommodation",
                    delegation_id=zav.id,
                    title=i18n("Hotel Krona", "Готель «Крона»", "Hotel Krona"),
                    address="Ljubljanska 61, Domžale",
                    phone="+386 1 555 01 01",
                ),
                LogisticsItem(
                    key="bus",
                    category="transport",
                    visit_id=v_zav.id,
                    title=i18n("Airport shuttle", "Трансфер з аеропорту", "Prevoz z letališča"),
                    departs_at=local("2023-10-08 14:00"),
                    arrives_at=local("2023-10-08 15:00"),
                    meeting_point=i18n("Arrivals hall", "Зала прильоту", "Prihodna dvorana"),
                ),
                LogisticsItem(
                    key="coordinator",
                    category="contact",
                    delegation_id=zav.id,
                    title=i18n("Programme coordinator", "Координаторка", "Koordinatorka"),
                    phone="+386 1 555 02 02",
                ),
                LogisticsItem(
                    key="bucha-hotel",
                    category="accommodation",
                    delegation_id=buc.id,
                    title=i18n("Hotel Idrija", "Готель «Ідрія»", "Hotel Idrija"),
                    phone="+386 5 555 03 03",
                ),
                LogisticsItem(
                    key="sos",
                    category="emergency",
                    public=True,
                    title=i18n("Emergency: 112", "Екстрені служби: 112", "Nujni primer: 112"),
                ),
            ]
        )
        resources = {
            "plan": Resource(
                key="plan",
                category="documents",
                file_name="plan.pdf",
                file_content=PDF,
                title=i18n(
                    "Civil protection plan", "План цивільного захисту", "Načrt civilne zaščite"
                ),
            ),
            "site": Resource(
                key="site",
                category="links",
                url="https://www.domzale.si/",
                title=i18n("Municipality website", "Сайт муніципалітету", "Spletna stran občine"),
            ),
            "bucha-doc": Resource(
                key="bucha-doc",
                category="documents",
                delegation_id=buc.id,
                file_name="bucha.pdf",
                file_content=b"secret",
                title=i18n("Bucha notes", "Нотатки Бучі", "Zapiski Buče"),
            ),
        }
        s.add_all(resources.values())
        await s.flush()
        return Demo(
            events={k: e.id for k, e in events.items()},
            resources={k: r.id for k, r in resources.items()},
        )


@pytest.fixture
async def demo(bot: BotHarness) -> Demo:
    return await build_programme(bot.db)
