"""Learning from use: taps, votes and staff answers feed the next ranking; nothing personal."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.main import main
from bot.db.models import Phrasing, Question
from bot.people.access import Role
from bot.search import learning
from bot.search.learning import phrasing_terms
from tests.harness import BotHarness, texts
from tests.questions.conftest import mentee


def test_phrasing_terms_are_sorted_lemmas_without_function_words() -> None:
    assert phrasing_terms("Where can I smoke on the balcony?") == "balcony smoke"
    assert phrasing_terms("де можна палити на балконі") == "балкон палити"


async def test_a_tapped_choice_answers_the_same_wording_next_time(demo: BotHarness) -> None:
    first = await mentee(demo, "en")
    calls = await demo.send(first, "smoking balcony")
    assert "not sure I understood" in texts(calls)
    await demo.press(first, "➡️")
    async with demo.db.session() as session:
        (row,) = (await session.execute(select(Phrasing))).scalars()
        tapped = (await session.execute(select(Question))).scalar_one().answer_key
        exported = learning.to_csv(await learning.export_rows(session)).decode("utf-8-sig")
    assert (row.entry_key, row.source, row.signal) == (tapped, "tap", 1)
    assert "Olena" not in exported and "smoking balcony" not in exported  # no person, no text

    second = demo.new_user(language_code="en", first_name="Iryna")
    await demo.onboard(second, "en")
    await demo.register(second, "mentee-iryna", Role.MENTEE)
    shown = texts(await demo.send(second, "smoking balcony"))
    assert "not sure I understood" not in shown


async def test_a_vote_down_takes_back_a_vote_up(demo: BotHarness) -> None:
    user = await mentee(demo, "en")
    await demo.send(user, "Where can I smoke?")
    await demo.press(user, "👍")
    await demo.press(user, "👎")
    async with demo.db.session() as session:
        signals = [p.signal for p in (await session.execute(select(Phrasing))).scalars()]
        assert await learning.learnt(session) == {}
    assert signals == [1, -1, -1]


async def test_command_line_export(
    demo: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await mentee(demo, "en")
    await demo.send(user, "Where can I smoke?")
    await demo.press(user, "👍")
    monkeypatch.setenv("BOT_DATABASE_URL", demo.db.engine.url.render_as_string(hide_password=False))
    target = tmp_path / "learnt.csv"
    assert await asyncio.to_thread(main, ["phrasings", "-o", str(target)]) == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "entry,words,signal,source,at"
    assert lines[1].startswith("faq:smoking,smoke,1,vote,")
