"""Invite use counts hold under concurrency: eight people redeeming the last use at once link one.

``uses += 1`` after a read is a race on SQLite, where ``SELECT ... FOR UPDATE`` locks nothing;
the use is now claimed by one conditional ``UPDATE ... WHERE uses < max_uses`` and its row count.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.access import RedeemOutcome, Role, TelegramPerson, create_invite, redeem_invite
from bot.db.engine import Database
from bot.db.models import Account, Delegation, Invite, Municipality

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
