"""Tap budget of changing the programme by sending its file: one file and one tap to apply it;
every screen of the way (the summary, the result, problems, no change, a cancelled import) says
what happens next, in each language."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import LANGUAGES
from tests.harness import BotHarness, texts
from tests.programme.test_upload import MOVED, WITH_MENTEE, coordinator, loaded_with_mentee
from tests.taps import Actions, speaking


@pytest.mark.parametrize("language", LANGUAGES)
async def test_changing_the_programme_takes_a_file_and_one_tap(
    bot: BotHarness, tmp_path: Path, language: str
) -> None:
    await loaded_with_mentee(bot, tmp_path)
    me = Actions(bot, await speaking(bot, await coordinator(bot), language), language)
    await me.upload("programme.yaml", MOVED.encode())
    shown = texts(await me.press("✅ Apply"))
    assert me.label("✅ <b>{file}</b> has been imported.").split("<b>")[0] in shown
    assert (me.taps, me.typed) == (1, 1)

    await me.upload("programme.yaml", MOVED.encode())  # nothing to change
    bad = WITH_MENTEE.replace("zav, host", "nobody, host").encode()
    assert "❌" in texts(await me.upload("programme.yaml", bad))
    await me.upload("programme.yaml", WITH_MENTEE.encode())
    shown = texts(await me.press("✖️ Cancel"))
    assert me.label("Import of <b>{file}</b> cancelled. Nothing was changed.")[:6] in shown
