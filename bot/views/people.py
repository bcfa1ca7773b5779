"""Coordinators' screens: invites (with QR codes), roles, the audit log."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.agenda.content import Delegation, Municipality, Participant
from bot.callbacks.base import CallbackData
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
from bot.i18n import N_, _, capitalised, format_datetime, ngettext, tr
from bot.people.access import Member, Named, Role
from bot.people.service import AuditEntry, Invite
from bot.views.common import Screen, back_to_menu, button, chunk, fit, keyboard, next_line
from bot.views.onboarding import role_name

PAGE = 8
EXPIRY_DAYS = (1, 7, 30)
GROUP_USES = (5, 30, 100)


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def qr_png(link: str) -> bytes:
    """A QR code of the link, large enough to print in a welcome pack."""
    import segno  # only where a code is drawn

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def invite_kinds() -> Screen:
    then = _(
        "Then you choose the person or group and how long the invite is valid, and you get a "
        "link and a QR code to pass on."
    )
    return Screen(
        _("<b>New invite</b>\nWho is it for?") + "\n\n" + next_line(then),
        keyboard(
            [
                [button(_("👤 One person"), InviteTargets(InviteKind.PERSON, 0))],
                [button(_("👥 A delegation"), InviteTargets(InviteKind.DELEGATION, 0))],
                [button(_("🏛 A host municipality"), InviteTargets(InviteKind.MUNICIPALITY, 0))],
                [back_to_menu()],
            ]
        ),
    )


def _pager(page_data: Callable[[int], CallbackData], page: int, total: int) -> list:  # type: ignore[type-arg]
    row = []
    if page > 0:
        row.append(button("◀", page_data(page - 1)))
    if (page + 1) * PAGE < total:
        row.append(button("▶", page_data(page + 1)))
    return row


def pick_participant(people: Sequence[Participant], page: int, total: int) -> Screen:
    rows = [
        [
            button(
                fit(f"{p.name} · {role_name(Role(p.role), p.gender)}"),
                InviteTarget(InviteKind.PERSON, p.id),
            )
        ]
        for p in people
    ]
    rows.append(_pager(lambda n: InviteTargets(InviteKind.PERSON, n), page, total))
    rows.append([button("⬅️ " + _("Back"), NewInvite())])
    then = _("Then you choose how long the invite is valid, and you get its link.")
    text = _("<b>New invite</b>\nChoose the person:") + "\n\n" + next_line(then)
    return Screen(text, keyboard(rows))


def pick_group(
    kind: InviteKind, groups: Sequence[Delegation | Municipality], page: int, total: int
) -> Screen:
    rows = [[button(fit(tr(g.name)), InviteTarget(kind, g.id))] for g in groups]
    rows.append(_pager(lambda n: InviteTargets(kind, n), page, total))
    rows.append([button("⬅️ " + _("Back"), NewInvite())])
    delegation = kind is InviteKind.DELEGATION
    title = _("Choose the delegation:") if delegation else _("Choose the municipality:")
    heading = _("New invite")
    then = next_line(
        _("Then you choose how long the invite is valid and how many people may use it.")
    )
    return Screen(f"<b>{escape(heading)}</b>\n{escape(title)}\n\n{then}", keyboard(rows))


def _form_row(gender: str | None, press: Callable[[Form], CallbackData]) -> list[Any]:
    """The two forms of a person's role label; the ticked one pressed again: the general form."""
    labels = {Form.FEMININE: _("♀ Feminine form"), Form.MASCULINE: _("♂ Masculine form")}
    return [
        button(
            ("✓ " if gender == form.value else "") + label,
            press(Form.GENERAL if gender == form.value else form),
        )
        for form, label in labels.items()
    ]


def _form_line(role: Role, gender: str | None) -> str:
    return _(
        "Role: {role}. In Ukrainian and Slovenian the role name has a feminine and a "
        "masculine form: the ticked one is used, or the general form if none is ticked.",
        role=role_name(role, gender),
    )


def pick_expiry(kind: InviteKind, target_id: int, person: Participant | None = None) -> Screen:
    """How long the invite is valid; for one person, also the form of their role label."""
    buttons = [
        button(ngettext("{n} day", "{n} days", days), InviteExpiry(kind, target_id, days))
        for days in EXPIRY_DAYS
    ]
    back = button("⬅️ " + _("Back"), InviteTargets(kind, 0))
    text = _("How long should the invite be valid?")
    rows = [buttons]
    if person is None:
        text += "\n\n" + next_line(_("Then you choose how many people may use it."))
    else:
        made = _("Pressing a duration creates the invite: you get its link and QR code here.")
        text = _form_line(Role(person.role), person.gender) + "\n\n" + text
        text += "\n\n" + next_line(made)
        pid = person.id
        rows.append(_form_row(person.gender, lambda form: InviteForm(pid, form)))
    return Screen(text, keyboard([*rows, [back]]))


def pick_uses(kind: InviteKind, target_id: int, days: int) -> Screen:
    buttons = [
        button(ngettext("{n} person", "{n} people", uses), InviteUses(kind, target_id, days, uses))
        for uses in GROUP_USES
    ]
    back = button("⬅️ " + _("Back"), InviteTarget(kind, target_id))
    made = _("Pressing a number creates the invite: you get its link and QR code here.")
    text = _("How many people may use it?") + "\n\n" + next_line(made)
    return Screen(text, keyboard([buttons, [back]]))


def invite_created(
    link: str,
    label: str,
    role: Role,
    expires: datetime,
    uses: int,
    tz: ZoneInfo,
    gender: str | None = None,
) -> str:
    made = _(
        "✅ <b>Invite for {label}</b>\nRole: {role}\nValid until: {expires}\nMaximum uses: "
        "{uses}\n\n{link}\n\nSend the link, or print the QR code for the welcome pack. The link "
        "and QR code are shown only once: save them now.",
        label=escape(label),
        role=role_name(role, gender),
        expires=format_datetime(expires, tz),
        uses=uses,
        link=escape(link),
    )
    then = _(
        "Whoever opens the link is registered at once and sees their programme in the bot. "
        "/invites lists the invites that are still valid."
    )
    return made + "\n\n" + next_line(then)


def invites_list(invites: Sequence[Invite], tz: ZoneInfo) -> Screen:
    if not invites:
        text = (
            _("There are no active invites.") + "\n\n" + next_line(_("/invite creates a new one."))
        )
        return Screen(text, keyboard([[back_to_menu()]]))
    heading = _("Active invites")
    lines = [f"<b>{escape(heading)}</b>"]
    rows = []
    for invite in invites[:20]:
        expires = format_datetime(invite.expires_at, tz) if invite.expires_at else "—"
        lines.append(
            _(
                "#{id} {label} · {role} · used {uses} of {max} · until {expires}",
                id=invite.id,
                label=escape(invite.label),
                role=role_name(Role(invite.role), invite.gender),
                uses=invite.uses,
                max=invite.max_uses,
                expires=expires,
            )
        )
        rows.append(button(_("Revoke #{id}", id=invite.id), RevokeInvite(invite.id)))
    then = _("Revoking stops a link at once; whoever has already joined with it stays registered.")
    lines += ["", next_line(then)]
    return Screen("\n".join(lines), keyboard([*chunk(rows, 2), [back_to_menu()]]))


def members_list(people: Sequence[Member], page: int, total: int) -> Screen:
    if not people:
        then = next_line(_("/invite makes an invite link; whoever joins with it is listed here."))
        return Screen(_("Nobody is registered yet.") + "\n\n" + then, keyboard([[back_to_menu()]]))
    rows = [
        [button(fit(f"{m.name} · {_role_or_dash(m)}"), MemberCard(m.telegram_id))] for m in people
    ]
    rows.append(_pager(Members, page, total))
    rows.append([back_to_menu()])
    then = next_line(_("Pressing a name shows that person’s role and the roles you can give."))
    text = _("<b>Roles</b>\nChoose a person to change their role:") + "\n\n" + then
    return Screen(text, keyboard(rows))


def _role_or_dash(member: Member) -> str:
    return role_name(member.role, member.gender) if member.role else "—"


def member_card(member: Member) -> Screen:
    current = _role_or_dash(member)
    rows = [
        [button(capitalised(role_name(r)), GrantRole(member.telegram_id, r)) for r in Role],
        [button(_("🚫 Revoke access"), RevokeAccess(member.telegram_id))],
    ]
    if member.participant_id is not None:  # the form is the programme participant's
        tid = member.telegram_id
        rows.append(_form_row(member.gender, lambda form: MemberForm(tid, form)))
    rows.append([button("⬅️ " + _("Back"), Members(0))])
    text = _(
        "<b>{name}</b>\nRole now: {role}\nGrant a new role, or revoke access:",
        name=escape(member.name),
        role=current,
    )
    then = _(
        "A role you press applies from the person’s next message; revoking access makes them "
        "a guest, who sees only the public information."
    )
    return Screen(text + "\n\n" + next_line(then), keyboard(rows))


#: Audit action codes -> what happened, in words (a code the table does not know is shown as is).
AUDIT_ACTIONS = {
    "invite.create": N_("invite created"),
    "invite.revoke": N_("invite revoked"),
    "role.grant": N_("role granted"),
    "role.revoke": N_("access revoked"),
    "programme.import": N_("programme imported"),
    "survey.launch": N_("survey sent"),
    "survey.close": N_("survey closed"),
    "survey.export": N_("survey results exported"),
    "broadcast.send": N_("announcement sent"),
    "broadcast.cancel": N_("announcement cancelled"),
    "broadcast.renotify": N_("announcement reminder sent"),
    "broadcast.export": N_("announcement report exported"),
    "audit.export": N_("audit log exported"),
}


def _audit_role(value: str, gender: str | None) -> str:
    role = value.removeprefix("Role.").lower()
    return role_name(Role(role), gender) if role in {r.value for r in Role} else value


def _audit_target(entry: AuditEntry, names: Mapping[int, Named]) -> str:
    """What the entry acted on, in words: a person's account by their name (and the role given
    them), an invite or an announcement by its number as /invites and /broadcasts show it
    ("#1 Ana Zupan"; the action already says which kind), a survey by its key, a file by its
    name."""
    kind, _sep, rest = entry.target.partition(" ")
    if kind == "account" and rest.isdigit():
        person = names.get(int(rest), Named(rest, None))
        if entry.role:
            role = _audit_role(entry.role, person.gender)
            return _("{name}, now {role}", name=person.name, role=role)
        return person.name
    if kind == "invite":
        number, _sep, label = rest.partition(": ")
        if number.isdigit():
            return _("#{id} {label}", id=number, label=label).rstrip()
    if kind == "broadcast" and rest.isdigit():
        return _("#{id}", id=rest)
    if kind == "survey" and rest:
        return rest
    return entry.target


def _audit_actor(entry: AuditEntry, names: Mapping[int, Named]) -> str:
    if entry.actor_id is None:
        return _("command line")
    who = names.get(entry.actor_id, Named(str(entry.actor_id), None))
    if not entry.actor_role:
        return who.name
    return f"{who.name} ({_audit_role(entry.actor_role, who.gender)})"


def audit_screen(entries: Sequence[AuditEntry], names: Mapping[int, Named], tz: ZoneInfo) -> Screen:
    """The newest entries; ``names``: the people's names by Telegram id (who acted, whose role
    changed)."""
    heading = _("Audit log")
    lines = [f"<b>{escape(heading)}</b>"]
    if not entries:
        lines.append(_("Nothing has been recorded yet."))
    for entry in entries:
        code = AUDIT_ACTIONS.get(entry.action)
        action = escape(_(code) if code else entry.action)
        target = _audit_target(entry, names)
        what = f"{action}: {escape(target)}" if target else action
        when = format_datetime(entry.at, tz)
        lines.append(f"{when} · {escape(_audit_actor(entry, names))} · {what}")
    then = _("“⬇️ Export CSV” sends the whole log as a file (the export is recorded in it too).")
    lines += ["", next_line(then)]
    return Screen(
        "\n".join(lines),
        keyboard([[button(_("⬇️ Export CSV"), AuditLog(AuditAction.EXPORT))], [back_to_menu()]]),
    )
