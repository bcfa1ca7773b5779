"""First contact, language, invites and what a guest may see."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.callbacks.menu import About, AboutPage, LanguagePicker, PrivacyNotice
from bot.callbacks.questions import AskPrompt
from bot.db.models import Account, Delegation, Municipality, Participant
from bot.people.access import Role, create_invite
from tests.harness import BotHarness, texts


async def test_first_start_shows_language_picker_with_guess(bot: BotHarness) -> None:
    user = bot.new_user(language_code="ru")
    calls = await bot.send(user, "/start")
    picker = calls[-1]
    labels = [b["text"] for b in picker.buttons]
    assert any("Українська ✓" in label for label in labels)
    assert not any("English ✓" in label for label in labels)


async def test_choosing_language_shows_privacy_and_menu_in_that_language(bot: BotHarness) -> None:
    user = bot.new_user(language_code="en")
    await bot.send(user, "/start")
    calls = await bot.press(user, "Slovenščina")
    shown = texts(calls)
    assert "Zasebnost" in shown
    assert "Glavni meni" in shown
    async with bot.db.session() as session:
        account = await session.get(Account, user.id)
        assert account is not None and account.language == "sl"


async def test_language_can_be_switched_any_time(bot: BotHarness) -> None:
    user = bot.new_user(language_code="uk")
    await bot.onboard(user, "uk")
    await bot.send(user, "/language")
    calls = await bot.press(user, "English")
    assert "Main menu" in texts(calls)


async def _delegation(bot: BotHarness) -> int:
    async with bot.db.session() as session:
        town = Municipality(key="zavodske", name={"en": "Zavodske"}, country="UA")
        session.add(town)
        await session.flush()
        delegation = Delegation(key="zavodske", name={"en": "Zavodske"}, municipality_id=town.id)
        session.add(delegation)
        await session.flush()
        return delegation.id


async def test_invite_links_account_with_role_and_delegation(bot: BotHarness) -> None:
    delegation_id = await _delegation(bot)
    async with bot.db.session() as session:
        _invite, code = await create_invite(
            session,
            role=Role.MENTEE,
            delegation_id=delegation_id,
            now=bot.clock.now(),
            expires_at=bot.clock.now() + timedelta(days=3),
            max_uses=5,
        )
    user = bot.new_user(language_code="en", first_name="Taras")
    calls = await bot.send(user, f"/start {code}")
    assert "Your role: participant" in texts(calls)
    async with bot.db.session() as session:
        account = await session.get(Account, user.id)
        assert account is not None and account.participant_id is not None
        participant = await session.get(Participant, account.participant_id)
        assert participant is not None
        assert (participant.role, participant.delegation_id) == ("mentee", delegation_id)


async def test_wrong_expired_and_used_invites_are_refused(bot: BotHarness) -> None:
    async with bot.db.session() as session:
        _i, expired = await create_invite(
            session,
            role=Role.MENTEE,
            now=bot.clock.now(),
            expires_at=bot.clock.now() - timedelta(minutes=1),
        )
        _j, single = await create_invite(session, role=Role.MENTEE, now=bot.clock.now())
    first, second = bot.new_user("en"), bot.new_user("en")
    assert "not valid" in texts(await bot.send(first, "/start wrongcode123"))
    assert "expired" in texts(await bot.send(first, f"/start {expired}"))
    await bot.send(first, f"/start {single}")
    assert "already been used" in texts(await bot.send(second, f"/start {single}"))
    async with bot.db.session() as session:
        linked = (
            (
                await session.execute(
                    select(Account.telegram_id).where(Account.participant_id.is_not(None))
                )
            )
            .scalars()
            .all()
        )
    assert linked == [first.id]


async def test_wrong_codes_are_rate_limited(bot: BotHarness) -> None:
    async with bot.db.session() as session:
        _i, good = await create_invite(session, role=Role.MENTEE, now=bot.clock.now())
    user = bot.new_user("en")
    for n in range(5):
        await bot.send(user, f"/start guess{n}")
    calls = await bot.send(user, f"/start {good}")
    assert "Too many wrong invite codes" in texts(calls)
    bot.clock.advance(minutes=16)
    assert "registered" in texts(await bot.send(user, f"/start {good}"))


async def test_configured_coordinator_needs_no_invite(bot: BotHarness) -> None:
    from bot.transport.updates import SimUser
    from tests.conftest import COORDINATOR_ID

    user = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="sl")
    await bot.onboard(user, "sl")
    calls = await bot.send(user, "/menu")
    assert "Niste še prijavljeni" not in texts(calls)


async def test_guest_menu_has_only_public_sections(bot: BotHarness) -> None:
    user = bot.new_user("en")
    await bot.onboard(user, "en")
    calls = await bot.send(user, "/menu")
    data = {b["callback_data"] for b in calls[-1].buttons}
    public = {About(page) for page in AboutPage} | {LanguagePicker(), PrivacyNotice()}
    assert data == {d.pack() for d in public | {AskPrompt()}}


async def test_a_new_persons_first_language_choice_answers_once_and_shows_the_menu(
    bot: BotHarness,
) -> None:
    """The first tap of every new person: privacy notice, then the main menu, one answer."""
    user = bot.new_user(language_code="uk")
    await bot.send(user, "/start")
    calls = await bot.press(user, "Українська")  # the harness checks: one answer, no refusal
    assert [c.method for c in calls].count("answerCallbackQuery") == 1
    assert "Головне меню" in texts(calls)
    assert "Щось пішло не так" not in texts(calls)
