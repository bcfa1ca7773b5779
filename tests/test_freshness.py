"""Caches see their own process's changes at once, other processes' within the interval."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.db.engine import Database
from bot.infra.freshness import VersionWatch, bump, read_versions
from bot.people.access import Role, TelegramPerson, grant_role, load_viewer
from bot.people.cache import ViewerCache
from tests.harness import BotHarness


async def test_watch_rereads_at_most_once_per_interval(db: Database) -> None:
    watch = VersionWatch(db, check_every=3600)
    first = await watch.current()
    assert first.access == 0
    # Another process changes the access generation: not seen until the interval passes ...
    async with db.engine.begin() as conn:
        await conn.execute(text("INSERT INTO generation (name, value) VALUES ('access', 41)"))
    assert await watch.current() == first
    # ... but a commit that bumps it in this process is seen at once.
    async with db.session() as session:
        await bump(session)
    assert (await watch.current()).access == 42


async def test_role_change_reaches_the_cached_viewer(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    services = bot.app.bot_data["services"]
    person = TelegramPerson(user.id, user.first_name, None, user.language_code)
    assert (await services.viewers.get(person, frozenset(), bot.clock.now())).role is None
    async with bot.db.session() as session:
        await grant_role(session, user.id, Role.HOST)
    viewer = await services.viewers.get(person, frozenset(), bot.clock.now())
    assert viewer.role is Role.HOST


async def test_viewer_cache_serves_without_queries(db: Database) -> None:
    from datetime import UTC, datetime

    watch = VersionWatch(db, check_every=3600)
    cache = ViewerCache(db, watch)
    person = TelegramPerson(5, "A", None, "uk")
    now = datetime(2023, 10, 9, tzinfo=UTC)
    first = await cache.get(person, frozenset(), now)
    await db.engine.dispose()  # any query now would open a new connection: count them
    opened = 0

    def count(*_: object) -> None:
        nonlocal opened
        opened += 1

    from sqlalchemy import event

    event.listen(db.engine.sync_engine, "connect", count)
    for _ in range(20):
        assert await cache.get(person, frozenset(), now) == first
    await asyncio.sleep(0)
    assert opened == 0
    async with db.session() as session:
        versions = await read_versions(session)
        assert versions == await watch.current()
        assert (await load_viewer(session, person, frozenset(), now)).language == "uk"


async def test_a_persons_own_change_drops_only_their_viewer_in_every_process(
    db: Database,
) -> None:
    from datetime import UTC, datetime

    from bot.people.access import set_awaiting, set_language
    from bot.people.awaiting import SurveyReply

    now = datetime(2023, 10, 9, tzinfo=UTC)
    here = ViewerCache(db, VersionWatch(db, check_every=3600))
    there = ViewerCache(db, VersionWatch(db, check_every=0))  # another process, checking always
    anna, boris = TelegramPerson(11, "Anna", None, "uk"), TelegramPerson(12, "Boris", None, "uk")
    for cache in (here, there):
        for person in (anna, boris):
            assert (await cache.get(person, frozenset(), now)).chosen_language is None
    # Boris's row changes behind every cache's back: whoever re-loads him would see "sl".
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE account SET language = 'sl' WHERE telegram_id = 12"))

    async with db.session() as session:
        await set_language(session, anna.id, "en")
    # This process sees Anna's change at once (its watch would not re-read for an hour) ...
    assert (await here.get(anna, frozenset(), now)).chosen_language == "en"
    # ... the other process at its next check; and neither re-loaded Boris.
    assert (await there.get(anna, frozenset(), now)).chosen_language == "en"
    for cache in (here, there):
        assert (await cache.get(boris, frozenset(), now)).chosen_language is None

    async with db.session() as session:
        await set_awaiting(session, anna.id, SurveyReply(1))
    assert (await there.get(anna, frozenset(), now)).awaiting == SurveyReply(1)
    assert (await there.get(boris, frozenset(), now)).chosen_language is None
    # The same expected reply again is no change: no write, nobody dropped.
    async with db.session() as session:
        before = await read_versions(session)
        await set_awaiting(session, anna.id, SurveyReply(1))
    async with db.session() as session:
        assert await read_versions(session) == before


async def test_joining_by_invite_drops_only_the_joiners_viewer(db: Database) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from bot.db.models import Delegation
    from bot.people.access import RedeemOutcome, create_invite, redeem_invite
    from tests.surveys.world import build

    now = datetime(2023, 10, 9, tzinfo=UTC)
    await build(db, now)
    async with db.session() as session:
        delegation = await session.scalar(select(Delegation.id).where(Delegation.key == "zavodske"))
        _invite, code = await create_invite(
            session, role=Role.MENTEE, now=now, delegation_id=delegation, max_uses=5
        )
    here = ViewerCache(db, VersionWatch(db, check_every=3600))
    there = ViewerCache(db, VersionWatch(db, check_every=0))  # another process, checking always
    anna, boris = TelegramPerson(21, "Anna", None, "uk"), TelegramPerson(22, "Boris", None, "uk")
    for cache in (here, there):
        for person in (anna, boris):
            assert (await cache.get(person, frozenset(), now)).role is None
    async with db.engine.begin() as conn:  # behind every cache's back
        await conn.execute(text("UPDATE account SET language = 'sl' WHERE telegram_id = 22"))
    async with db.session() as session:
        outcome, _participant = await redeem_invite(session, anna, code, now)
    assert outcome is RedeemOutcome.LINKED
    for cache in (here, there):
        assert (await cache.get(anna, frozenset(), now)).role is Role.MENTEE
        assert (await cache.get(boris, frozenset(), now)).chosen_language is None  # not re-loaded


async def test_a_persons_own_change_updates_their_cached_viewer_in_place(db: Database) -> None:
    """No reload after one's own change in this process; but a viewer that missed another
    process's change of the same person is dropped, not patched on top of the stale value."""
    from datetime import UTC, datetime

    from sqlalchemy import event

    from bot.people.access import clear_awaiting, set_awaiting, set_language
    from bot.people.awaiting import SurveyReply

    now = datetime(2023, 10, 9, tzinfo=UTC)
    here = ViewerCache(db, VersionWatch(db, check_every=3600))
    there = ViewerCache(db, VersionWatch(db, check_every=3600))  # another process
    anna = TelegramPerson(31, "Anna", None, "uk")
    for cache in (here, there):
        assert (await cache.get(anna, frozenset(), now)).chosen_language is None
    statements: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    async with db.session() as session:
        await set_language(session, anna.id, "en")
    async with db.session() as session:
        await set_awaiting(session, anna.id, SurveyReply(7))
    changes = len(statements)
    viewer = await here.get(anna, frozenset(), now)
    assert (viewer.language, viewer.chosen_language, viewer.awaiting) == (
        "en",
        "en",
        SurveyReply(7),
    )
    assert len(statements) == changes  # served from memory: patched, not re-loaded
    async with db.session() as session:
        await clear_awaiting(session, anna.id, SurveyReply)
    assert (await here.get(anna, frozenset(), now)).awaiting is None

    # "there" missed those changes (its watch re-reads in an hour): its own next change of Anna
    # finds an account version newer than the one it holds, so it drops her viewer and re-loads.
    from bot.infra import freshness

    caches = list(freshness._PERSON_CACHES)
    freshness._PERSON_CACHES.clear()
    freshness.register_person_cache(there)  # this commit is "there"'s
    try:
        async with db.session() as session:
            await set_awaiting(session, anna.id, SurveyReply(8))
    finally:
        for cache in caches:
            freshness.register_person_cache(cache)
    viewer = await there.get(anna, frozenset(), now)
    assert (viewer.chosen_language, viewer.awaiting) == ("en", SurveyReply(8))


async def test_updates_arriving_together_share_one_read_of_the_versions(db: Database) -> None:
    from sqlalchemy import event

    watch = VersionWatch(db, check_every=3600)
    reads: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_: object) -> None:
        reads.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    found = await asyncio.gather(*(watch.current() for _ in range(20)))
    assert len(set(found)) == 1 and len(reads) == 1
    # A commit here during a read: that read's result is not kept, the next caller reads again.
    reading = asyncio.ensure_future(watch.current())
    await asyncio.sleep(0)
    async with db.session() as session:
        await bump(session)
    await reading
    assert (await watch.current()).access == 1


async def test_a_change_shows_on_the_account_its_transaction_holds(db: Database) -> None:
    """The language and the expected reply are written by statements built once, on the table
    (bot.db.mirror): an account object the same transaction holds shows the change and the new
    version, as the ORM's own update did, so a viewer made from it (joining by invite) is the
    new one."""
    from datetime import UTC, datetime

    from bot.db.models import Account
    from bot.people.access import clear_awaiting, set_awaiting, set_language
    from bot.people.awaiting import SurveyReply

    now = datetime(2023, 10, 9, tzinfo=UTC)
    anna = TelegramPerson(41, "Anna", None, "uk")
    async with db.session() as session:
        await load_viewer(session, anna, frozenset(), now)
    async with db.session() as session:
        account = await session.get(Account, anna.id)
        assert account is not None
        await set_language(session, anna.id, "sl")
        await set_awaiting(session, anna.id, SurveyReply(3))
        held = (account.language, account.awaiting, account.awaiting_kind, account.version)
        viewer = await load_viewer(session, anna, frozenset(), now)
        await clear_awaiting(session, anna.id, SurveyReply)
        cleared = (account.awaiting, account.awaiting_kind, account.version)
    async with db.session() as session:
        stored = await session.get(Account, anna.id)
        assert stored is not None
        assert cleared == (None, None, stored.version)
    assert held == ("sl", SurveyReply(3).pack(), SurveyReply.prefix, stored.version - 1)
    assert (viewer.chosen_language, viewer.awaiting, viewer.version) == (
        "sl",
        SurveyReply(3),
        stored.version - 1,
    )
