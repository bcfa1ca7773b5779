"""Invite use counts hold under concurrency: eight people redeeming the last use at once link one;
wrong codes are limited per account and across all accounts, without locking out a right code.

``uses += 1`` after a read is a race on SQLite, where ``SELECT ... FOR UPDATE`` locks nothing;
the use is now claimed by one conditional ``UPDATE ... WHERE uses < max_uses`` and its row count.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.models import Account, Delegation, Invite, Municipality
from bot.people.access import (
    BAD_CODE_PAUSE,
    MAX_BAD_CODES_GLOBAL,
    RedeemOutcome,
    Role,
    TelegramPerson,
    create_invite,
    redeem_invite,
)

NOW = datetime(2023, 10, 9, 8, 0, tzinfo=UTC)


async def test_eight_people_redeem_the_last_use_at_once(db: Database) -> None:
    async with db.session() as s:
        town = Municipality(key="zav", name={"en": "Zavodske"}, country="UA")
        s.add(town)
        await s.flush()
        delegation = Delegation(key="zav", name={"en": "Zavodske"}, municipality_id=town.id)
        s.add(delegation)
        await s.flush()
        invite, code = await create_invite(
            s, role=Role.MENTEE, now=NOW, delegation_id=delegation.id, max_uses=3
        )
        invite.uses = 2  # one use left
        for n in range(8):
            s.add(Account(telegram_id=1000 + n, first_name=f"P{n}", created_at=NOW))

    async def redeem(n: int) -> RedeemOutcome:
        async with db.session() as s:
            person = TelegramPerson(1000 + n, f"P{n}", None, "uk")
            outcome, _participant = await redeem_invite(s, person, code, NOW)
            return outcome

    outcomes = Counter(await asyncio.gather(*(redeem(n) for n in range(8))))
    assert outcomes == {RedeemOutcome.LINKED: 1, RedeemOutcome.USED_UP: 7}
    async with db.session() as s:
        assert await s.scalar(select(Invite.uses)) == 3
        linked = await s.scalar(
            select(func.count()).select_from(Account).where(Account.participant_id.is_not(None))
        )
        assert linked == 1
        # A real code that is used up is not a wrong guess.
        assert not await s.scalar(select(func.max(Account.bad_code_count)))


async def test_wrong_codes_are_limited_across_accounts(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """20 accounts x 4 guesses stay under each account's limit; the global window stops them."""
    async with db.session() as s:
        town = Municipality(key="zav", name={"en": "Zavodske"}, country="UA")
        s.add(town)
        await s.flush()
        _invite, code = await create_invite(s, role=Role.HOST, now=NOW, municipality_id=town.id)
        for n in range(21):
            s.add(Account(telegram_id=2000 + n, first_name=f"P{n}", created_at=NOW))
    outcomes: Counter[RedeemOutcome] = Counter()
    with caplog.at_level(logging.WARNING, logger="bot.people.access"):
        for guess in range(4):
            for n in range(20):
                async with db.session() as s:
                    person = TelegramPerson(2000 + n, f"P{n}", None, "uk")
                    outcome, _p = await redeem_invite(s, person, f"guess{guess}x{n}", NOW)
                    outcomes[outcome] += 1
    assert outcomes == {
        RedeemOutcome.INVALID: MAX_BAD_CODES_GLOBAL,
        RedeemOutcome.TOO_MANY_TRIES: 80 - MAX_BAD_CODES_GLOBAL,
    }
    tripped = [r for r in caplog.records if "paused for everyone" in r.getMessage()]
    assert len(tripped) == 1
    # While paused, an unknown code waits, but the right code works.
    person = TelegramPerson(2020, "P20", None, "uk")
    async with db.session() as s:
        assert (await redeem_invite(s, person, "guess-x", NOW))[0] is RedeemOutcome.TOO_MANY_TRIES
    async with db.session() as s:
        assert (await redeem_invite(s, person, code, NOW))[0] is RedeemOutcome.LINKED
    assert len([r for r in caplog.records if "paused for everyone" in r.getMessage()]) == 1
    # After the window, unknown codes are answered as such again.
    async with db.session() as s:
        later = NOW + BAD_CODE_PAUSE
        assert (await redeem_invite(s, person, "guess-y", later))[0] is RedeemOutcome.INVALID
