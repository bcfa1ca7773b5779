"""Buttons of the coordinators' people tools: invites, roles, the audit log."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from bot.callbacks.base import Between, CallbackData, Id, TelegramId, callback
from bot.people.access import Role

#: A page of a list (people, delegations, members), from 0.
Page = Annotated[int, Between(0, 9999)]
Days = Annotated[int, Between(1, 366)]
Uses = Annotated[int, Between(1, 9999)]


class InviteKind(StrEnum):
    PERSON = "p"
    DELEGATION = "d"
    MUNICIPALITY = "m"


@callback("inv:new")
class NewInvite(CallbackData):
    pass


@callback("inv:k")
class InviteTargets(CallbackData):
    """A page of the people, delegations or municipalities an invite can be for."""

    kind: InviteKind
    page: Page


@callback("inv")
class InviteTarget(CallbackData):
    kind: InviteKind
    target_id: Id


@callback("inv:x")
class InviteExpiry(CallbackData):
    kind: InviteKind
    target_id: Id
    days: Days


@callback("inv:u")
class InviteUses(CallbackData):
    kind: InviteKind
    target_id: Id
    days: Days
    uses: Uses


@callback("inv:r")
class RevokeInvite(CallbackData):
    invite_id: Id


@callback("role:l")
class Members(CallbackData):
    page: Page


@callback("role:m")
class MemberCard(CallbackData):
    telegram_id: TelegramId


@callback("role:s")
class GrantRole(CallbackData):
    telegram_id: TelegramId
    role: Role


@callback("role:x")
class RevokeAccess(CallbackData):
    telegram_id: TelegramId


class AuditAction(StrEnum):
    SHOW = "show"
    EXPORT = "csv"


@callback("audit")
class AuditLog(CallbackData):
    action: AuditAction


class Form(StrEnum):
    """The form of a person's role label: feminine, masculine, or none (the general form)."""

    FEMININE = "f"
    MASCULINE = "m"
    GENERAL = "n"


@callback("inv:g")
class InviteForm(CallbackData):
    """On a personal invite's validity step: the form of the person's role label."""

    participant_id: Id
    form: Form


@callback("role:g")
class MemberForm(CallbackData):
    """On a member's card: the form of their role label (their participant's)."""

    telegram_id: TelegramId
    form: Form
