"""Tap budget of inviting a person or a group: /invite to a link and QR code; every screen of the
way, and the invitee's first screens, say what happens next, in each language."""

from __future__ import annotations

import re

import pytest

from bot.callbacks.menu import Language, SetLanguage
from bot.callbacks.people import InviteExpiry, InviteKind, InviteTarget, InviteUses
from bot.i18n import LANGUAGES
from tests.harness import BotHarness, texts
from tests.people.test_admin import _coordinator, _structure
from tests.taps import Actions, speaking


@pytest.mark.parametrize("language", LANGUAGES)
async def test_inviting_one_person_takes_three_taps(bot: BotHarness, language: str) -> None:
    await _structure(bot)
    me = Actions(bot, await speaking(bot, await _coordinator(bot), language), language)
    await me.send("/invite")
    await me.press("👤 One person")
    await me.press(InviteTarget.matching(kind=InviteKind.PERSON))
    shown = texts(await me.press(InviteExpiry.matching(days=7)))
    assert (me.taps, me.typed) == (3, 1)
    await me.send("/invites")  # the invites still valid, to revoke

    # The invitee opens the link: welcome, language, privacy notice and menu.
    code = re.search(r"https://t\.me/\w+\?start=([\w-]+)", shown)
    assert code is not None
    invitee = Actions(bot, bot.new_user(language_code=language), language)
    await invitee.send(f"/start {code[1]}")
    shown = texts(await invitee.press(SetLanguage.matching(language=Language(language))))
    assert invitee.label("<b>Main menu</b>\nWhat would you like to see?") in shown


@pytest.mark.parametrize("language", LANGUAGES)
async def test_inviting_a_delegation_takes_four_taps(bot: BotHarness, language: str) -> None:
    await _structure(bot)
    me = Actions(bot, await speaking(bot, await _coordinator(bot), language), language)
    await me.send("/invite")
    await me.press("👥 A delegation")
    await me.press(InviteTarget.matching(kind=InviteKind.DELEGATION))
    await me.press(InviteExpiry.matching(days=7))
    shown = texts(await me.press(InviteUses.matching(uses=30)))
    assert "https://t.me/" in shown
    assert (me.taps, me.typed) == (4, 1)
