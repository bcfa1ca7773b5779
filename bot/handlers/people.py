"""Coordinators' tools in the bot: invites with QR codes, roles, the audit log."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks.people import (
    AuditAction,
    AuditLog,
    Form,
    GrantRole,
    InviteExpiry,
    InviteForm,
    InviteKind,
    InviteTarget,
    InviteTargets,
    InviteUses,
    MemberCard,
    MemberForm,
    Members,
    NewInvite,
    RevokeAccess,
    RevokeInvite,
)
from bot.handlers.context import BotContext
from bot.handlers.guard import Access, allow
from bot.handlers.pressed import pressed, pressed_or_none
from bot.handlers.send import answer, pressed_step, show
from bot.handlers.viewing import programme_tz
from bot.i18n import _, get_locale
from bot.infra import steps
from bot.people import invites, service
from bot.people.access import Member, Role
from bot.views import people as views
from bot.views.common import Screen


@allow(Access.COORDINATOR)
async def invite_start(update: Update, context: BotContext) -> None:
    await show(update, views.invite_kinds())


@allow(Access.COORDINATOR)
async def invite_pick_target(update: Update, context: BotContext) -> None:
    targets = pressed(update, InviteTargets)
    kind, page = targets.kind, targets.page
    found = await service.invite_targets(
        context.services.db,
        kind,  # type: ignore[arg-type]  (the button's pattern allows p, d or m only)
        page * views.PAGE,
        views.PAGE,
    )
    if kind is InviteKind.PERSON:
        await show(update, views.pick_participant(found.people, page, found.total))
    else:
        await show(update, views.pick_group(kind, found.groups, page, found.total))


@allow(Access.COORDINATOR)
async def invite_pick_expiry(update: Update, context: BotContext) -> None:
    target = pressed(update, InviteTarget)
    await _expiry_step(update, context, target.kind, target.target_id)


async def _expiry_step(
    update: Update, context: BotContext, kind: InviteKind, target_id: int
) -> None:
    """The validity step; for one person also the form of their role label."""
    person = None
    if kind is InviteKind.PERSON:
        person = await service.invite_person(context.services.db, target_id)
        if person is None:
            await show(update, views.invite_kinds())
            return
    await show(update, views.pick_expiry(kind, target_id, person))


def _gender(form: Form) -> str | None:
    return None if form is Form.GENERAL else form.value


@allow(Access.COORDINATOR)
async def invite_set_form(update: Update, context: BotContext) -> None:
    """The form of the person's role label, then the same validity step."""
    press = pressed(update, InviteForm)
    await service.set_form(context.services.db, press.participant_id, _gender(press.form))
    await _expiry_step(update, context, InviteKind.PERSON, press.participant_id)


@allow(Access.COORDINATOR)
async def invite_pick_uses(update: Update, context: BotContext) -> None:
    step = pressed(update, InviteExpiry)
    if step.kind is InviteKind.PERSON:  # a personal invite is used once
        await _create(update, context, step.kind, step.target_id, step.days, 1)
    else:
        await show(update, views.pick_uses(step.kind, step.target_id, step.days))


@allow(Access.COORDINATOR)
async def invite_create(update: Update, context: BotContext) -> None:
    step = pressed(update, InviteUses)
    await _create(update, context, step.kind, step.target_id, step.days, step.uses)


async def _create(
    update: Update, context: BotContext, kind: InviteKind, target_id: int, days: int, uses: int
) -> None:
    personal = kind is InviteKind.PERSON
    if days not in views.EXPIRY_DAYS or (not personal and uses not in views.GROUP_USES):
        await show(update, views.invite_kinds())
        return
    services = context.services
    viewer = context.viewer
    try:
        issued = await invites.issue(
            services.db,
            kind,  # type: ignore[arg-type]  (the button's pattern allows p, d or m only)
            target_id,
            now=services.clock.now(),
            days=days,
            uses=uses,
            language=get_locale(),
            actor_id=viewer.telegram_id,
            actor_role=str(viewer.role),
            step=pressed_step(update),
        )
    except steps.Used:  # a second tap, on any process or after a restart: no second invite
        await answer(update)
        return
    if issued is None:
        await show(update, views.invite_kinds())
        return
    link = views.invite_link(context.bot.username, issued.code)
    tz = await programme_tz(services)
    text = views.invite_created(
        link, issued.label, issued.role, issued.expires_at, issued.max_uses, tz, issued.gender
    )
    await show(update, Screen(text))  # in place of the step: its buttons are gone
    chat_id = update.effective_chat.id if update.effective_chat else viewer.telegram_id
    await context.bot.send_photo(
        chat_id,
        InputFile(views.qr_png(link), filename=f"invite-{issued.id}.png"),
        caption=issued.label,
    )


@allow(Access.COORDINATOR)
async def invites_command(update: Update, context: BotContext) -> None:
    services = context.services
    active = await service.active_invites(services.db, services.clock.now())
    await show(update, views.invites_list(active, await programme_tz(services)))


@allow(Access.COORDINATOR)
async def invite_revoke(update: Update, context: BotContext) -> None:
    invite_id = pressed(update, RevokeInvite).invite_id
    services = context.services
    active = await service.revoke_invite(
        services.db, invite_id, context.viewer, services.clock.now()
    )
    await show(update, views.invites_list(active, await programme_tz(services)))


@allow(Access.COORDINATOR)
async def roles_command(update: Update, context: BotContext) -> None:
    members = pressed_or_none(update, Members)
    page = members.page if members is not None else 0
    await _members_page(update, context, page)


async def _members_page(update: Update, context: BotContext, page: int) -> None:
    services = context.services
    people, total = await service.members(
        services.db, services.coordinator_ids, page * views.PAGE, views.PAGE
    )
    await show(update, views.members_list(people, page, total))


async def _member(context: BotContext, telegram_id: int) -> Member | None:
    services = context.services
    return await service.member(services.db, services.coordinator_ids, telegram_id)


@allow(Access.COORDINATOR)
async def role_card(update: Update, context: BotContext) -> None:
    member = await _member(context, pressed(update, MemberCard).telegram_id)
    if member is None:
        await _members_page(update, context, 0)
        return
    await show(update, views.member_card(member))


@allow(Access.COORDINATOR)
async def role_grant(update: Update, context: BotContext) -> None:
    grant = pressed(update, GrantRole)
    await _change_role(update, context, grant.telegram_id, grant.role)


@allow(Access.COORDINATOR)
async def role_revoke(update: Update, context: BotContext) -> None:
    await _change_role(update, context, pressed(update, RevokeAccess).telegram_id, None)


async def _change_role(
    update: Update, context: BotContext, telegram_id: int, role: Role | None
) -> None:
    """A new role for a member, or (None) their access revoked."""
    services = context.services
    await service.change_role(services.db, telegram_id, role, context.viewer, services.clock.now())
    if update.callback_query is not None:
        await answer(update, _("Saved."))
    member = await _member(context, telegram_id)
    if member is None:
        await _members_page(update, context, 0)
    else:
        await show(update, views.member_card(member))


@allow(Access.COORDINATOR)
async def role_set_form(update: Update, context: BotContext) -> None:
    """The form of a member's role label (their participant's), then the card again."""
    press = pressed(update, MemberForm)
    services = context.services
    member = await service.set_member_form(
        services.db, services.coordinator_ids, press.telegram_id, _gender(press.form)
    )
    if member is None:
        await _members_page(update, context, 0)
        return
    await show(update, views.member_card(member))


@allow(Access.COORDINATOR)
async def audit_command(update: Update, context: BotContext) -> None:
    entries, names = await service.recent_audit(context.services.db)
    tz = await programme_tz(context.services)
    await show(update, views.audit_screen(entries, names, tz))


@allow(Access.COORDINATOR)
async def audit_export(update: Update, context: BotContext) -> None:
    services = context.services
    content = await service.export_audit(services.db, context.viewer, services.clock.now())
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
    for kind, callback in (
        (NewInvite, invite_start),
        (InviteTargets, invite_pick_target),
        (InviteTarget, invite_pick_expiry),
        (InviteExpiry, invite_pick_uses),
        (InviteUses, invite_create),
        (RevokeInvite, invite_revoke),
        (Members, roles_command),
        (MemberCard, role_card),
        (GrantRole, role_grant),
        (RevokeAccess, role_revoke),
        (InviteForm, invite_set_form),
        (MemberForm, role_set_form),
    ):
        app.add_handler(CallbackQueryHandler(callback, pattern=kind.pattern))
    app.add_handler(
        CallbackQueryHandler(audit_command, pattern=AuditLog.matching(action=AuditAction.SHOW))
    )
    app.add_handler(
        CallbackQueryHandler(audit_export, pattern=AuditLog.matching(action=AuditAction.EXPORT))
    )
