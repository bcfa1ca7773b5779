"""Coordinators' invites (link and QR code), roles, the audit log; /mydata and /forget."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import func, select

from bot.callbacks.people import (
    AuditAction,
    AuditLog,
    GrantRole,
    InviteExpiry,
    InviteKind,
    InviteUses,
    RevokeAccess,
)
from bot.db.models import Account, AuditEntry, Delegation, Invite, Municipality, Participant
from bot.people.access import Role
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts
from tests.taps import speaking


async def _structure(bot: BotHarness) -> None:
    async with bot.db.session() as session:
        ua = Municipality(key="zavodske", name={"en": "Zavodske", "uk": "Заводське"}, country="UA")
        si = Municipality(key="domzale", name={"en": "Domžale"}, country="SI")
        session.add_all([ua, si])
        await session.flush()
        delegation = Delegation(
            key="zav", name={"en": "Zavodske delegation"}, municipality_id=ua.id
        )
        session.add(delegation)
        await session.flush()
        session.add(
            Participant(key="p1", name="Iryna Koval", role="mentee", delegation_id=delegation.id)
        )


async def _coordinator(bot: BotHarness) -> SimUser:
    user = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(user, "en")
    return user


async def delegation_invite_last_step(
    bot: BotHarness, coordinator: SimUser
) -> tuple[dict[str, Any], str]:
    """/invite for the Zavodske delegation, 7 days: the last step's message and its
    "30 people" button data."""
    await bot.send(coordinator, "/invite")
    await bot.press(coordinator, "A delegation")
    await bot.press(coordinator, "Zavodske delegation")
    await bot.press(coordinator, "7 days")
    return bot.find_button(coordinator, "30 people")


async def test_delegation_invite_with_link_qr_and_audit(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    step, data = await delegation_invite_last_step(bot, coordinator)
    calls = await bot.press_data(coordinator, data, step)
    message = next(c for c in calls if c.method == "editMessageText")  # the step becomes the link
    assert message.buttons == []
    link = next(w for w in message.text.split() if w.startswith("https://t.me/"))
    photo = next(c for c in calls if c.method == "sendPhoto")
    png = next(iter(photo.files.values()))[1]
    assert png.startswith(b"\x89PNG")
    code = link.split("start=")[1]
    assert len(code) >= 16  # 96 random bits, URL-safe
    async with bot.db.session() as session:
        stored = (await session.execute(select(Invite))).scalar_one()
        assert stored.code_hash != code and len(stored.code_hash) == 64
        assert (stored.max_uses, stored.role) == (30, "mentee")
        actions = (await session.execute(select(AuditEntry.action))).scalars().all()
        assert actions == ["invite.create"]
    mentee = bot.new_user("uk")
    assert "Ваша роль: учасник" in texts(await bot.send(mentee, f"/start {code}"))
    async with bot.db.session() as session:
        account = await session.get(Account, mentee.id)
        assert account is not None and account.participant_id is not None


async def test_every_invite_step_has_back_and_a_used_step_creates_nothing_more(
    bot: BotHarness,
) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    await bot.send(coordinator, "/invite")
    await bot.press(coordinator, "A delegation")
    await bot.press(coordinator, "Zavodske delegation")
    await bot.press(coordinator, "Back")  # from the validity step to the delegations
    await bot.press(coordinator, "Zavodske delegation")
    await bot.press(coordinator, "7 days")
    await bot.press(coordinator, "Back")  # from the uses step to the validity step
    await bot.press(coordinator, "7 days")
    step, data = bot.find_button(coordinator, "30 people")
    await bot.press_data(coordinator, data, step)
    again = await bot.press_data(coordinator, data, step)  # a second tap on the used step
    assert [c.method for c in again] == ["answerCallbackQuery"]
    async with bot.db.session() as session:
        assert len((await session.execute(select(Invite))).scalars().all()) == 1


async def test_invites_can_be_listed_and_revoked(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    await bot.send(coordinator, "/invite")
    await bot.press(coordinator, "One person")
    await bot.press(coordinator, "Iryna Koval")
    calls = await bot.press(coordinator, "1 day")
    code = next(w for c in calls for w in c.text.split() if "start=" in w).split("start=")[1]
    listing = await bot.send(coordinator, "/invites")
    assert "Iryna Koval" in texts(listing)
    await bot.press(coordinator, "Revoke #")
    mentee = bot.new_user("en")
    assert "not valid" in texts(await bot.send(mentee, f"/start {code}"))


async def test_roles_grant_and_revoke(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    host = bot.new_user("sl", first_name="Luka")
    await bot.onboard(host, "sl")
    await bot.register(host, "p1")
    await bot.send(coordinator, "/roles")
    await bot.press(coordinator, "Iryna Koval")
    await bot.press(coordinator, "Host")
    async with bot.db.session() as session:
        assert (await session.get(Account, host.id)).role_override == "host"  # type: ignore[union-attr]
    await bot.press(coordinator, "Revoke access")
    async with bot.db.session() as session:
        account = await session.get(Account, host.id)
        assert account is not None and account.participant_id is None
        assert account.role_override is None
        count = await session.scalar(select(func.count()).select_from(AuditEntry))
        assert count == 2


async def test_non_coordinators_are_refused_everywhere(bot: BotHarness) -> None:
    await _structure(bot)
    mentee = bot.new_user("uk")
    await bot.onboard(mentee, "uk")
    await bot.register(mentee, "p1")
    for command in ("/invite", "/invites", "/roles", "/audit"):
        calls = await bot.send(mentee, command)
        assert "координаторів" in texts(calls), command
    for data in (
        InviteUses(InviteKind.DELEGATION, 1, 7, 30).pack(),
        InviteExpiry(InviteKind.PERSON, 1, 1).pack(),
        GrantRole(1, Role.COORDINATOR).pack(),
        RevokeAccess(1).pack(),
        AuditLog(AuditAction.EXPORT).pack(),
    ):
        calls = await bot.press_data(mentee, data)
        alert = next(c for c in calls if c.method == "answerCallbackQuery")
        assert alert.params.get("show_alert") is True, data
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == 0
        account = await session.get(Account, mentee.id)
        assert account is not None and account.role_override is None


async def test_audit_log_export(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    await bot.send(coordinator, "/invite")
    await bot.press(coordinator, "One person")
    await bot.press(coordinator, "Iryna Koval")
    await bot.press(coordinator, "7 days")
    shown = texts(await bot.send(coordinator, "/audit"))
    assert "Maja (coordinator) · invite created: #1 " in shown  # by name, not Telegram id
    assert "invite.create" not in shown
    calls = await bot.press(coordinator, "Export CSV")
    document = next(c for c in calls if c.method == "sendDocument")
    content = next(iter(document.files.values()))[1].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [r["action"] for r in rows] == ["invite.create", "audit.export"][: len(rows)]
    assert rows[0]["actor_id"] == str(COORDINATOR_ID)


async def test_mydata_and_forget(bot: BotHarness) -> None:
    await _structure(bot)
    user = bot.new_user("uk", first_name="Iryna")
    await bot.onboard(user, "uk")
    participant = await bot.register(user, "p1")
    calls = await bot.send(user, "/mydata")
    document = next(c for c in calls if c.method == "sendDocument")
    data = json.loads(next(iter(document.files.values()))[1])
    assert data["account"]["telegram_id"] == user.id
    assert data["account"]["participant"]["name"] == participant.name
    await bot.send(user, "/forget")
    await bot.press(user, "Так, видалити")
    async with bot.db.session() as session:
        assert await session.get(Account, user.id) is None
        # The programme's own participant record stays (the coordinator's data), unlinked.
        assert await session.get(Participant, participant.id) is not None


async def test_the_invite_sets_the_form_of_the_persons_role_label(bot: BotHarness) -> None:
    await _structure(bot)
    coordinator = await _coordinator(bot)
    await bot.send(coordinator, "/invite")
    await bot.press(coordinator, "One person")
    step = texts(await bot.press(coordinator, "Iryna Koval"))
    assert "Role: participant" in step and "general form" in step
    shown = await bot.press(coordinator, "Feminine form")
    assert any(b["text"] == "✓ ♀ Feminine form" for c in shown for b in c.buttons)
    async with bot.db.session() as session:
        iryna = (await session.execute(select(Participant))).scalar_one()
        assert iryna.gender == "f"
    await bot.press(coordinator, "✓ ♀ Feminine form")  # pressed again: the general form
    async with bot.db.session() as session:
        assert (await session.execute(select(Participant.gender))).scalar_one() is None
    await bot.press(coordinator, "Feminine form")
    calls = await bot.press(coordinator, "1 day")
    code = next(w for c in calls for w in c.text.split() if "start=" in w).split("start=")[1]
    await speaking(bot, coordinator, "uk")  # /invites names the role in the person's form
    assert "· учасниця програми ·" in texts(await bot.send(coordinator, "/invites"))
    await speaking(bot, coordinator, "en")
    mentee = bot.new_user("uk")
    assert "Ваша роль: учасниця програми" in texts(await bot.send(mentee, f"/start {code}"))
    # The roles screen sets it too, for a person linked to the programme.
    await bot.send(coordinator, "/roles")
    await bot.press(coordinator, "Iryna Koval")
    await bot.press(coordinator, "Masculine form")
    async with bot.db.session() as session:
        assert (await session.execute(select(Participant.gender))).scalar_one() == "m"
