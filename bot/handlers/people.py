"""Coordinators' tools in the bot: invites with QR codes, roles, the audit log."""

from __future__ import annotations

from datetime import timedelta

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.db.models import Delegation, Municipality, Participant
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.send import answer, consume, show
from bot.handlers.viewing import programme_tz
from bot.i18n import _, tr
from bot.people import access, audit
from bot.people.access import Role
from bot.views import people as views
from bot.views.common import Screen

_ROLE_BY_LETTER = {r.value[0]: r for r in Role}


def _parts(update: Update) -> list[str]:
    assert update.callback_query is not None and update.callback_query.data is not None
    return update.callback_query.data.split(":")


@allow(Access.COORDINATOR)
async def invite_start(update: Update, context: BotContext) -> None:
    await show(update, views.invite_kinds())


@allow(Access.COORDINATOR)
async def invite_pick_target(update: Update, context: BotContext) -> None:
    _area, _k, kind, page_text = _parts(update)
    page = int(page_text)
    async with context.services.db.session() as session:
        rows, total = await access.invite_targets(session, kind, page * views.PAGE, views.PAGE)
    if kind == "p":
        people = [r for r in rows if isinstance(r, Participant)]
        await show(update, views.pick_participant(people, page, total))
    else:
        groups = [r for r in rows if isinstance(r, Delegation | Municipality)]
        await show(update, views.pick_group(kind, groups, page, total))


@allow(Access.COORDINATOR)
async def invite_pick_expiry(update: Update, context: BotContext) -> None:
    _area, kind, target_id = _parts(update)
    await show(update, views.pick_expiry(kind, int(target_id)))


@allow(Access.COORDINATOR)
async def invite_pick_uses(update: Update, context: BotContext) -> None:
    _area, _x, kind, target_id, days = _parts(update)
    if kind == "p":  # a personal invite is used once
        await _create(update, context, kind, int(target_id), int(days), 1)
    else:
        await show(update, views.pick_uses(kind, int(target_id), int(days)))


@allow(Access.COORDINATOR)
async def invite_create(update: Update, context: BotContext) -> None:
    _area, _u, kind, target_id, days, uses = _parts(update)
    await _create(update, context, kind, int(target_id), int(days), int(uses))


async def _create(
    update: Update, context: BotContext, kind: str, target_id: int, days: int, uses: int
) -> None:
    if days not in views.EXPIRY_DAYS or (kind != "p" and uses not in views.GROUP_USES):
        await show(update, views.invite_kinds())
        return
    if not await consume(update):  # a second tap on the same step: the invite exists already
        return
    services = context.services
    now = services.clock.now()
    viewer = context.viewer
    async with services.db.session() as session:
        target = await access.invite_target(session, kind, target_id)
        if target is None:
            await show(update, views.invite_kinds())
            return
        gender = None  # a group invite's people are not known yet: the general role label
        if isinstance(target, Participant):
            role, label, gender = Role(target.role), target.name, target.gender
            fields = {"participant_id": target.id}
        elif isinstance(target, Delegation):
            role, label = Role.MENTEE, tr(target.name)
            fields = {"delegation_id": target.id}
        else:
            role, label = Role.HOST, tr(target.name)
            fields = {"municipality_id": target.id}
        expires = now + timedelta(days=days)
        invite, code = await access.create_invite(
            session,
            role=role,
            now=now,
            expires_at=expires,
            max_uses=uses,
            label=label,
            created_by=viewer.telegram_id,
            **fields,
        )
        await audit.record(
            session,
            actor_id=viewer.telegram_id,
            actor_role=str(viewer.role),
            action="invite.create",
            target=f"invite {invite.id}: {label}",
            now=now,
            role=role.value,
            uses=uses,
            days=days,
        )
    link = views.invite_link(context.bot.username, code)
    tz = await programme_tz(services)
    text = views.invite_created(link, label, role, expires, uses, tz, gender)
    await show(update, Screen(text))  # in place of the step: its buttons are gone
    chat_id = update.effective_chat.id if update.effective_chat else viewer.telegram_id
    await context.bot.send_photo(
        chat_id,
        InputFile(views.qr_png(link), filename=f"invite-{invite.id}.png"),
        caption=label,
    )


@allow(Access.COORDINATOR)
async def invites_command(update: Update, context: BotContext) -> None:
    services = context.services
    async with services.db.session() as session:
        invites = await access.active_invites(session, services.clock.now())
    await show(update, views.invites_list(invites, await programme_tz(services)))


@allow(Access.COORDINATOR)
async def invite_revoke(update: Update, context: BotContext) -> None:
    invite_id = int(_parts(update)[2])
    services = context.services
    now = services.clock.now()
    async with services.db.session() as session:
        invite = await access.revoke_invite(session, invite_id, now)
        if invite is not None:
            await audit.record(
                session,
                actor_id=context.viewer.telegram_id,
                actor_role=str(context.viewer.role),
                action="invite.revoke",
                target=f"invite {invite.id}: {invite.label}",
                now=now,
            )
        invites = await access.active_invites(session, now)
    await show(update, views.invites_list(invites, await programme_tz(services)))


@allow(Access.COORDINATOR)
async def roles_command(update: Update, context: BotContext) -> None:
    page = int(_parts(update)[2]) if update.callback_query is not None else 0
    await _members_page(update, context, page)


async def _members_page(update: Update, context: BotContext, page: int) -> None:
    services = context.services
    async with services.db.session() as session:
        people, total = await access.members(
            session, services.coordinator_ids, page * views.PAGE, views.PAGE
        )
    await show(update, views.members_list(people, page, total))


async def _member(context: BotContext, telegram_id: int) -> access.Member | None:
    services = context.services
    async with services.db.session() as session:
        people, _total = await access.members(session, services.coordinator_ids, 0, 10_000)
    return next((m for m in people if m.telegram_id == telegram_id), None)


@allow(Access.COORDINATOR)
async def role_card(update: Update, context: BotContext) -> None:
    member = await _member(context, int(_parts(update)[2]))
    if member is None:
        await _members_page(update, context, 0)
        return
    await show(update, views.member_card(member))


@allow(Access.COORDINATOR)
async def role_set(update: Update, context: BotContext) -> None:
    parts = _parts(update)
    telegram_id = int(parts[2])
    now = context.services.clock.now()
    async with context.services.db.session() as session:
        if parts[1] == "x":
            changed = await access.revoke_access(session, telegram_id)
            action, detail = "role.revoke", ""
        else:
            role = _ROLE_BY_LETTER.get(parts[3])
            if role is None:
                return
            changed = await access.grant_role(session, telegram_id, role)
            action, detail = "role.grant", role.value
        if changed:
            await audit.record(
                session,
                actor_id=context.viewer.telegram_id,
                actor_role=str(context.viewer.role),
                action=action,
                target=f"account {telegram_id}",
                now=now,
                role=detail,
            )
    if update.callback_query is not None:
        await answer(update, _("Saved."))
    member = await _member(context, telegram_id)
    if member is None:
        await _members_page(update, context, 0)
    else:
        await show(update, views.member_card(member))


@allow(Access.COORDINATOR)
async def audit_command(update: Update, context: BotContext) -> None:
    async with context.services.db.session() as session:
        entries = await audit.recent(session)
    await show(update, views.audit_screen(entries, await programme_tz(context.services)))


@allow(Access.COORDINATOR)
async def audit_export(update: Update, context: BotContext) -> None:
    services = context.services
    async with services.db.session() as session:
        content = await audit.export_csv(session)
        await audit.record(
            session,
            actor_id=context.viewer.telegram_id,
            actor_role=str(context.viewer.role),
            action="audit.export",
            now=services.clock.now(),
        )
    if update.callback_query is not None:
        await answer(update)
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_document(chat.id, InputFile(content, filename="audit-log.csv"))


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("invite", invite_start, filters=private))
    app.add_handler(CommandHandler("invites", invites_command, filters=private))
    app.add_handler(CommandHandler("roles", roles_command, filters=private))
    app.add_handler(CommandHandler("audit", audit_command, filters=private))
    app.add_handler(CallbackQueryHandler(invite_start, pattern=r"^inv:new$"))
    app.add_handler(CallbackQueryHandler(invite_pick_target, pattern=r"^inv:k:[pdm]:\d{1,5}$"))
    app.add_handler(CallbackQueryHandler(invite_pick_expiry, pattern=r"^inv:[pdm]:\d{1,9}$"))
    app.add_handler(
        CallbackQueryHandler(invite_pick_uses, pattern=r"^inv:x:[pdm]:\d{1,9}:\d{1,3}$")
    )
    app.add_handler(
        CallbackQueryHandler(invite_create, pattern=r"^inv:u:[dm]:\d{1,9}:\d{1,3}:\d{1,4}$")
    )
    app.add_handler(CallbackQueryHandler(invite_revoke, pattern=r"^inv:r:\d{1,9}$"))
    app.add_handler(CallbackQueryHandler(roles_command, pattern=r"^role:l:\d{1,5}$"))
    app.add_handler(CallbackQueryHandler(role_card, pattern=r"^role:m:\d{1,18}$"))
    app.add_handler(CallbackQueryHandler(role_set, pattern=r"^role:(s:\d{1,18}:[mhc]|x:\d{1,18})$"))
    app.add_handler(CallbackQueryHandler(audit_command, pattern=r"^audit:show$"))
    app.add_handler(CallbackQueryHandler(audit_export, pattern=r"^audit:csv$"))
