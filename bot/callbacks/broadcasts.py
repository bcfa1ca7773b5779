"""Buttons of announcements: composing a draft, following a sent one, "I have read this"."""

from __future__ import annotations

from enum import StrEnum

from bot.callbacks.base import CallbackData, Id, callback
from bot.callbacks.menu import Language
from bot.people.access import Role


@callback("bc:list")
class BroadcastList(CallbackData):
    pass


@callback("bc:new")
class NewBroadcast(CallbackData):
    pass


class DraftAction(StrEnum):
    VERSIONS = "ver"  # the languages screen
    TEXT = "txt"  # back from the languages to the text step (the text kept)
    AUDIENCE = "aud"
    EVERYONE = "all"  # no limits on the audience
    PREVIEW = "pre"
    ASK_ACK = "ask"  # "I have read this" on or off
    SCHEDULE = "at"  # ask for a sending time
    SEND = "ok"  # send now (from the preview; in the quiet hours: at their end) or as scheduled
    URGENT = "urg"  # send now, even in the quiet hours
    DISCARD = "drop"


@callback("bc")
class DraftButton(CallbackData):
    action: DraftAction
    draft_id: Id


@callback("bc:v")
class DraftVersion(CallbackData):
    """Write (or rewrite) the draft's text in one language."""

    draft_id: Id
    language: Language


class Dimension(StrEnum):
    """An audience dimension (its field in :class:`~bot.broadcasts.audience.Audience`)."""

    VISITS = "v"
    DELEGATIONS = "d"
    MUNICIPALITIES = "m"
    ROLES = "r"
    LANGUAGES = "l"

    @property
    def field(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, field: str) -> Dimension:
        return cls[field.upper()]


class GroupDimension(StrEnum):
    """The dimensions whose values are database ids."""

    VISITS = Dimension.VISITS.value
    DELEGATIONS = Dimension.DELEGATIONS.value
    MUNICIPALITIES = Dimension.MUNICIPALITIES.value


@callback("bc:dim")
class DraftDimension(CallbackData):
    draft_id: Id
    dimension: Dimension


@callback("bc:tg")
class ToggleGroup(CallbackData):
    """Tick or untick a visit, delegation or municipality in the audience."""

    draft_id: Id
    dimension: GroupDimension
    value: Id


@callback("bc:tr")
class ToggleRole(CallbackData):
    draft_id: Id
    role: Role


@callback("bc:tl")
class ToggleLanguage(CallbackData):
    draft_id: Id
    language: Language


class ManageAction(StrEnum):
    SHOW = "show"  # the progress or report
    STOP = "stop"  # cancel what is not sent yet
    EXPORT = "csv"  # the per-recipient report
    RENOTIFY = "re"  # remind those who have not confirmed


@callback("bc")
class ManageButton(CallbackData):
    action: ManageAction
    broadcast_id: Id


@callback("bc:ack")
class Acknowledge(CallbackData):
    """ "I have read this" under an announcement (the handler re-checks the presser)."""

    broadcast_id: Id
