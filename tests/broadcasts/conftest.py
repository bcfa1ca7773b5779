"""A small programme world for the broadcast tests, and the delivery worker running beside the bot.

Two visits: the Zavodske delegation in Idrija and the Bucha delegation in Kočevje; three
Zavodske mentees (two read Ukrainian, one English), one Bucha mentee, a host in each town, and
the configured coordinator.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from bot.db.models import Delegation, Municipality, Participant, Visit
from bot.delivery.worker import DeliveryWorker, start_delivery, stop_delivery
from bot.infra.services import services_of
from bot.jobs.broadcasts import start_progress
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No pause between two messages to one chat: the manual clock of the tests stands still.
    return Settings(
        _env_file=None,
        token="1:test",
        data_dir=tmp_path,  # type: ignore[call-arg]
        coordinator_ids=[COORDINATOR_ID],
        delivery_chat_interval=0,
        delivery_rate=1000,
        paid_broadcasts=True,
    )


@dataclass
class World:
    coordinator: SimUser
    host_idrija: SimUser
    zavodske: list[SimUser]
    bucha: SimUser
    ids: dict[str, int]


async def _structure(bot: BotHarness) -> dict[str, int]:
    async with bot.db.session() as s:
        towns = {
            key: Municipality(key=key, name=name, country=country)
            for key, name, country in [
                ("idrija", {"en": "Idrija", "sl": "Idrija"}, "SI"),
                ("kocevje", {"en": "Kočevje", "sl": "Kočevje"}, "SI"),
                ("zavodske", {"en": "Zavodske", "uk": "Заводське"}, "UA"),
                ("bucha", {"en": "Bucha", "uk": "Буча"}, "UA"),
            ]
        }
        s.add_all(towns.values())
        await s.flush()
        dz = Delegation(
            key="zavodske",
            name={"en": "Zavodske", "uk": "Заводське"},
            municipality_id=towns["zavodske"].id,
        )
        db_ = Delegation(
            key="bucha", name={"en": "Bucha", "uk": "Буча"}, municipality_id=towns["bucha"].id
        )
        s.add_all([dz, db_])
        await s.flush()
        v1 = Visit(
            key="v-idrija",
            title={"en": "Zavodske in Idrija"},
            delegation_id=dz.id,
            host_municipality_id=towns["idrija"].id,
            starts_on=date(2023, 10, 9),
            ends_on=date(2023, 10, 13),
        )
        v2 = Visit(
            key="v-kocevje",
            title={"en": "Bucha in Kočevje"},
            delegation_id=db_.id,
            host_municipality_id=towns["kocevje"].id,
            starts_on=date(2023, 10, 9),
            ends_on=date(2023, 10, 13),
        )
        s.add_all([v1, v2])
        people = [
            ("z1", "mentee", dz.id, towns["zavodske"].id, "uk"),
            ("z2", "mentee", dz.id, towns["zavodske"].id, "uk"),
            ("z3", "mentee", dz.id, towns["zavodske"].id, "en"),
            ("b1", "mentee", db_.id, towns["bucha"].id, "uk"),
            ("h-idrija", "host", None, towns["idrija"].id, "sl"),
            ("h-kocevje", "host", None, towns["kocevje"].id, "sl"),
        ]
        s.add_all(
            Participant(
                key=k, name=k.upper(), role=r, delegation_id=d, municipality_id=m, language=lang
            )
            for k, r, d, m, lang in people
        )
        await s.flush()
        return {
            "zavodske": dz.id,
            "bucha": db_.id,
            "v-idrija": v1.id,
            "v-kocevje": v2.id,
            "idrija": towns["idrija"].id,
            "zavodske-town": towns["zavodske"].id,
        }


@pytest.fixture
async def world(bot: BotHarness) -> World:
    ids = await _structure(bot)
    users = {}
    for key in ("z1", "z2", "z3", "b1", "h-idrija", "h-kocevje"):
        user = bot.new_user(language_code=None, first_name=key)
        await bot.register(user, key)
        users[key] = user
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    for key in ("h-idrija", "h-kocevje"):
        await bot.onboard(users[key], "en")
    return World(
        coordinator,
        users["h-idrija"],
        [users["z1"], users["z2"], users["z3"]],
        users["b1"],
        ids,
    )


@pytest.fixture
async def delivery(bot: BotHarness) -> AsyncIterator[DeliveryWorker]:
    """This process's delivery worker, with the broadcasts' progress messages attached."""
    services = services_of(bot.app)
    started = services.delivery is None
    if started:
        await start_delivery(bot.app, services)
    await start_progress(bot.app, services)
    worker = services.delivery
    assert worker is not None
    yield worker
    if started:
        await stop_delivery(bot.app, services)


async def eventually(check: Callable[[], object]) -> None:
    """Wait (at most ten seconds) until ``check()`` (sync or async) is true."""
    async with asyncio.timeout(10):
        while True:
            result = check()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return
            await asyncio.sleep(0.05)
