"""The staff screens off the common flows, walked in each language through the real
Application: /roles and a person's card, /audit, and the screens of something gone wrong (an
unknown command, a message the bot cannot read, a command or button someone may not use, a
button left by an older screen, a programme file that cannot be read; an answer that could not
be delivered is in tests/questions/test_taps.py). Every one says what happens next
(tests/taps.py), and none shows a raw code, a Telegram id in place of a name, or the YAML
parser's English."""

from __future__ import annotations

import pytest

from bot.callbacks.people import AuditAction, AuditLog, Form, GrantRole, MemberCard, MemberForm
from bot.i18n import LANGUAGES, use_locale
from bot.people.access import Role
from bot.views.onboarding import role_name
from tests.harness import BotHarness, texts
from tests.people.test_admin import _coordinator, _structure
from tests.taps import Actions, speaking


async def _coordinator_speaking(bot: BotHarness, language: str) -> Actions:
    """A coordinator of the admin tests' programme, walking the screens in ``language``."""
    await _structure(bot)
    return Actions(bot, await speaking(bot, await _coordinator(bot), language), language)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_roles_and_the_audit_log_name_people_and_say_what_happens_next(
    bot: BotHarness, language: str
) -> None:
    me = await _coordinator_speaking(bot, language)
    mentee = bot.new_user("uk")
    await bot.onboard(mentee, "uk")
    await bot.register(mentee, "p1")

    await me.send("/roles")
    await me.press(MemberCard.matching(telegram_id=mentee.id))
    await me.press(MemberForm.matching(form=Form.FEMININE))
    await me.press(GrantRole.matching(role=Role.HOST))
    shown = texts(await me.press(AuditLog.matching(action=AuditAction.SHOW)))
    entry = next(line for line in shown.splitlines() if " · " in line)
    with use_locale(language):
        host = role_name(Role.HOST, "f")
    # Who acted and whose role changed, by name; the role given, in the reader's language and
    # in the person's form.
    assert "Maja (" in entry and "Iryna Koval, " in entry and entry.endswith(host), entry
    assert str(mentee.id) not in shown
    await me.press("⬇️ Export CSV")
    shown = texts(await me.send("/audit"))  # the export is an entry too, with nothing after it
    entry = next(line for line in shown.splitlines() if " · " in line)
    assert entry.endswith(" · " + me.label("audit log exported")), entry


@pytest.mark.parametrize("language", LANGUAGES)
async def test_screens_of_something_gone_wrong_say_what_to_do_next(
    bot: BotHarness, language: str
) -> None:
    me = await _coordinator_speaking(bot, language)
    await me.send("/frobnicate")
    await me.send_content({"sticker": _STICKER})
    calls = await bot.press_data(me.user, "zz:1")  # a button no version of the bot knows
    me.taps += 1
    assert me.label("<b>Main menu</b>\nWhat would you like to see?") in texts(me.look(calls))

    mentee = Actions(bot, bot.new_user(language), language)
    await bot.onboard(mentee.user, language)
    await bot.register(mentee.user, "p1")
    assert me.label("🔒 This is for coordinators only.") in texts(await mentee.send("/roles"))

    guest = Actions(bot, bot.new_user(language), language)
    await bot.onboard(guest.user, language)
    refused = texts(await guest.send("/settings"))
    assert me.label("🔒 This is for registered participants only.") in refused


#: A programme file that YAML cannot read, one kind of mistake at a time: what is said of it.
BAD_YAML = [
    (b"programme:\n  name: x\n\tvisits: []\n", "a tab character: YAML indents with spaces only"),
    (b"programme:\n  name: [x\n", "a quotation mark or bracket opened here is never closed"),
    (
        b"programme:\n  name: x: y\n",
        "the YAML cannot be read here: check the indentation and the colons on this line and the "
        "line above",
    ),
    (
        b"programme:\n  name: \x07\n",
        "a control character, which YAML does not allow: delete it, or save the file again as "
        "plain text",
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_unreadable_programme_file_is_explained_in_the_readers_words(
    bot: BotHarness, language: str
) -> None:
    me = Actions(bot, await speaking(bot, await _coordinator(bot), language), language)
    for content, reason in BAD_YAML:
        shown = texts(await me.upload("programme.yaml", content))
        assert me.label(reason) in shown
        for parser_word in ("expected", "but found", "while ", "token", "stream", "#x"):
            assert parser_word not in shown.lower().replace(me.label(reason).lower(), "")


_STICKER = {
    "file_id": "sticker",
    "file_unique_id": "sticker",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
