"""Reminders, digests and change notices: enqueued once, in each recipient's language, across a
restart, never inside quiet hours, as each person set them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from apscheduler.schedulers.base import STATE_PAUSED
from sqlalchemy import select, update

from bot.agenda.reminders import enqueue_change_notices
from bot.app import build_application
from bot.db.models import Account, Event, OutboxMessage, Programme
from bot.infra.services import services_of
from bot.jobs.agenda import change_text, tick
from bot.programme.summary import ChangeSummary, EventChange, EventSnapshot
from bot.runtime import running
from bot.transport.local_api import LocalBotApi
from tests.agenda.conftest import TZ, Demo, local
from tests.harness import BotHarness, at


async def _rows(bot: BotHarness, kind: str) -> dict[int, OutboxMessage]:
    async with bot.db.session() as session:
        rows = (
            await session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind))
        ).scalars()
        return {r.chat_id: r for r in rows}


async def _people(bot: BotHarness) -> dict[str, int]:
    ids = {}
    for key, lang in (("olena", "uk"), ("taras", "en"), ("maja", "sl")):
        user = bot.new_user(lang)
        await bot.register(user, key)
        ids[key] = user.id
    return ids


async def test_reminders_once_each_in_own_language_across_a_restart(
    bot: BotHarness, demo: Demo
) -> None:
    people = await _people(bot)
    await tick(services_of(bot.app))  # 08:00: the opening (09:00) is not due yet
    assert await _rows(bot, "reminder") == {}

    # The bot is down at 08:30 when the reminders fall due; a new process starts at 08:45.
    at(bot.clock, "2023-10-09 08:45", TZ)
    restarted = build_application(bot.settings, bot.db, clock=bot.clock, request=LocalBotApi())
    async with running(restarted):
        assert await tick(services_of(restarted)) >= 3
        assert await tick(services_of(restarted)) == 0
    assert await tick(services_of(bot.app)) == 0  # the old process agrees: nothing twice
    rows = await _rows(bot, "reminder")
    assert set(rows) == set(people.values())
    olena = rows[people["olena"]]
    assert olena.key == f"reminder:{people['olena']}:{demo.events['opening']}:r1"
    assert "Відкриття програми" in olena.payload["text"]
    assert "через 15\xa0хв" in olena.payload["text"]
    assert "čez 15\xa0min" in rows[people["maja"]].payload["text"]
    assert "in 15\xa0mins" in rows[people["taras"]].payload["text"]


async def test_reminder_lead_time_and_off_are_respected(bot: BotHarness, demo: Demo) -> None:
    people = await _people(bot)
    async with bot.db.session() as session:
        await session.execute(
            update(Account)
            .where(Account.telegram_id == people["taras"])
            .values(reminder_minutes=None)
        )
        await session.execute(
            update(Account)
            .where(Account.telegram_id == people["maja"])
            .values(reminder_minutes=120)
        )
    at(bot.clock, "2023-10-09 08:35", TZ)  # 25 min before the opening, 2 h 25 before the visit
    await tick(services_of(bot.app))
    rows = await _rows(bot, "reminder")
    assert people["taras"] not in rows
    async with bot.db.session() as session:
        keys = set(
            (
                await session.execute(
                    select(OutboxMessage.key).where(OutboxMessage.kind == "reminder")
                )
            ).scalars()
        )
    maja, fire = people["maja"], demo.events["firebrigade"]
    assert f"reminder:{maja}:{fire}:r1" not in keys  # 2 h 25 min ahead: not yet
    bot.clock.advance(minutes=30)
    await tick(services_of(bot.app))
    async with bot.db.session() as session:
        keys = set((await session.execute(select(OutboxMessage.key))).scalars())
    assert f"reminder:{maja}:{fire}:r1" in keys
    assert f"reminder:{people['olena']}:{fire}:r1" not in keys  # Olena's 30 min are not due


async def _early_events(bot: BotHarness) -> None:
    async with bot.db.session() as session:
        session.add_all(
            [
                Event(
                    key="bus",
                    title={"en": "Early bus"},
                    starts_at=local("2023-10-11 06:30"),
                    ends_at=local("2023-10-11 07:00"),
                ),
                Event(
                    key="breakfast",
                    title={"en": "Breakfast talk"},
                    starts_at=local("2023-10-11 07:15"),
                    ends_at=local("2023-10-11 08:00"),
                ),
            ]
        )
        await session.execute(
            update(Programme).values(content_version=Programme.content_version + 1)
        )


async def test_no_reminder_inside_quiet_hours(bot: BotHarness, demo: Demo) -> None:
    people = await _people(bot)
    await _early_events(bot)
    at(bot.clock, "2023-10-11 06:05", TZ)  # the bus (06:30) falls in quiet hours: dropped
    await tick(services_of(bot.app))
    at(bot.clock, "2023-10-11 06:50", TZ)  # the breakfast reminder waits for 07:00
    await tick(services_of(bot.app))
    rows = await _rows(bot, "reminder")
    assert set(rows) == set(people.values())
    for row in rows.values():
        assert "Breakfast talk" in row.payload["text"]
        assert row.due_at == local("2023-10-11 07:00")


async def test_morning_digest_once_at_0730_unless_switched_off(bot: BotHarness, demo: Demo) -> None:
    people = await _people(bot)
    async with bot.db.session() as session:
        await session.execute(
            update(Account)
            .where(Account.telegram_id == people["taras"])
            .values(digest_enabled=False)
        )
    at(bot.clock, "2023-10-09 07:29", TZ)
    await tick(services_of(bot.app))
    assert await _rows(bot, "digest") == {}
    at(bot.clock, "2023-10-09 07:31", TZ)
    await tick(services_of(bot.app))
    bot.clock.advance(minutes=5)
    await tick(services_of(bot.app))
    rows = await _rows(bot, "digest")
    assert set(rows) == {people["olena"], people["maja"]}
    assert rows[people["olena"]].key == f"digest:{people['olena']}:20231009"
    assert "Доброго ранку" in rows[people["olena"]].payload["text"]
    assert "Dobro jutro" in rows[people["maja"]].payload["text"]
    assert "Obisk gasilcev" in rows[people["maja"]].payload["text"]


async def _move(bot: BotHarness, key: str, **changes: object) -> EventChange:
    async with bot.db.session() as session:
        row = (await session.execute(select(Event).where(Event.key == key))).scalar_one()
        old = EventSnapshot.of(row)
        for name, value in changes.items():
            setattr(row, name, value)
        row.revision += 1
        await session.execute(
            update(Programme).values(content_version=Programme.content_version + 1)
        )
        return EventChange(
            key,
            row.id,
            old,
            EventSnapshot.of(row),
            tuple(changes),
            time_changed="starts_at" in changes,
            revision=row.revision,
        )


async def test_change_notices_in_each_recipients_language(bot: BotHarness, demo: Demo) -> None:
    people = await _people(bot)
    ivan = bot.new_user("uk")
    await bot.register(ivan, "ivan")
    moved = await _move(
        bot, "firebrigade", starts_at=local("2023-10-09 13:00"), ends_at=local("2023-10-09 14:30")
    )
    cancelled = await _move(bot, "strategy", cancelled=True)
    cancelled = replace(cancelled, new=None, time_changed=False)
    summary = ChangeSummary(events_changed=[moved], events_cancelled=[cancelled])
    now = bot.clock.now()
    async with bot.db.session() as session:
        assert await enqueue_change_notices(session, summary, now, change_text) == 6
    async with bot.db.session() as session:
        assert await enqueue_change_notices(session, summary, now, change_text) == 0
        rows = (
            (await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "change")))
            .scalars()
            .all()
        )
    assert ivan.id not in {r.chat_id for r in rows}  # neither event is his
    texts = {(r.chat_id, r.key.split(":")[2]): r.payload["text"] for r in rows}
    fire, strategy = str(demo.events["firebrigade"]), str(demo.events["strategy"])
    assert "Зміна у вашій програмі" in texts[(people["olena"], fire)]
    assert "11:00–12:30" in texts[(people["olena"], fire)]
    assert "13:00–14:30" in texts[(people["olena"], fire)]
    assert "Sprememba v vašem programu" in texts[(people["maja"], fire)]
    assert "Changed in your programme" in texts[(people["taras"], fire)]
    assert "Odpovedano: <b>Strateški dokumenti</b>" in texts[(people["maja"], strategy)]


async def test_change_notice_at_night_waits_for_morning(bot: BotHarness, demo: Demo) -> None:
    await _people(bot)
    moved = await _move(
        bot, "flood", starts_at=local("2023-10-10 09:00"), ends_at=local("2023-10-10 11:00")
    )
    night = at(bot.clock, "2023-10-09 23:10", TZ)
    async with bot.db.session() as session:
        await enqueue_change_notices(
            session, ChangeSummary(events_changed=[moved]), night, change_text
        )
    rows = await _rows(bot, "change")
    assert rows and all(r.due_at == local("2023-10-10 07:00") for r in rows.values())
    past = replace(
        moved,
        old=replace(moved.old, starts_at=night - timedelta(days=2)),
        new=replace(moved.new, starts_at=night - timedelta(days=1)),
    )
    async with bot.db.session() as session:  # events already over get no notice
        assert (
            await enqueue_change_notices(
                session, ChangeSummary(events_changed=[past]), night, change_text
            )
            == 0
        )


async def test_the_harness_stops_the_timer_jobs_clock(bot: BotHarness) -> None:
    """The timer jobs are scheduled as in the bot, but in tests they run only when a test calls
    them (on the test clock), never on real time at load-dependent moments."""
    assert bot.app.job_queue is not None
    assert {"reminders", "feedback"} <= {job.name for job in bot.app.job_queue.jobs()}
    assert bot.app.job_queue.scheduler.state == STATE_PAUSED
