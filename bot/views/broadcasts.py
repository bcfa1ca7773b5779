"""Screens of composing and following broadcasts: pure functions of domain data and locale.

Callback data: ``bc:<action>:<broadcast id>[:...]`` — the handler re-checks role and ownership
on every press.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.broadcasts import content
from bot.broadcasts.audience import DIMENSIONS, Audience, Choice
from bot.broadcasts.composing import (
    AskText,
    AskTime,
    AskVersion,
    AudienceStep,
    Choices,
    Confirm,
    Controls,
    Discarded,
    Draft,
    OneScreen,
    Versions,
)
from bot.broadcasts.drafts import Reason, Refused
from bot.broadcasts.report import Figures, State
from bot.broadcasts.sending import Enqueued
from bot.callbacks.base import CallbackData
from bot.callbacks.broadcasts import (
    BroadcastList,
    Dimension,
    DraftAction,
    DraftButton,
    DraftDimension,
    DraftVersion,
    GroupDimension,
    ManageAction,
    ManageButton,
    NewBroadcast,
    ToggleGroup,
    ToggleLanguage,
    ToggleRole,
)
from bot.callbacks.menu import Language
from bot.i18n import (
    LANGUAGES,
    N_,
    _,
    format_datetime,
    format_time,
    get_locale,
    in_language,
    language_name,
    ngettext,
    quote,
    tr,
    zone_city,
)
from bot.people.access import Role
from bot.views.common import Screen, button, chunk, fit, keyboard, next_line

_FLAGS = {"uk": "🇺🇦", "sl": "🇸🇮", "en": "🇬🇧"}


def _role_label(role: str) -> str:
    labels = {"mentee": _("participants"), "host": _("hosts"), "coordinator": _("coordinators")}
    return labels[role]


def _dimension_label(dimension: str) -> str:
    labels = {
        "visits": _("🏛 Visits"),
        "delegations": _("👥 Delegations"),
        "municipalities": _("📍 Municipalities"),
        "roles": _("🎭 Roles"),
        "languages": _("🌐 Languages"),
    }
    return labels[dimension]


def _when(moment: datetime, tz: ZoneInfo) -> str:
    """A date and a 24-hour time in the programme's time zone, e.g. "10 Oct 2023, 08:00"."""
    return format_datetime(moment, tz)


def _reaches(count: int) -> str:
    return ngettext(
        "The announcement will reach {n} person.", "The announcement will reach {n} people.", count
    )


def refusal(exc: Refused) -> str:
    """What was refused, and on a ➡️ line what to do instead."""
    d = exc.details

    def too_long() -> str:
        return ngettext(
            "⚠️ The text {language} has {n} character; Telegram allows at most {limit} in a "
            "message.",
            "⚠️ The text {language} has {n} characters; Telegram allows at most {limit} in a "
            "message.",
            d["length"],
            language=in_language(d["language"]),
            limit=d["limit"],
        )

    def caption_too_long() -> str:
        return ngettext(
            "⚠️ The text {language} has {n} character; with a photo or document Telegram "
            "allows at most {limit}.",
            "⚠️ The text {language} has {n} characters; with a photo or document Telegram "
            "allows at most {limit}.",
            d["length"],
            language=in_language(d["language"]),
            limit=d["limit"],
        )

    shorter = N_("Shorten it and send it again; nothing has been sent.")
    texts: dict[Reason, tuple[Callable[[], str], str]] = {
        Reason.NOT_ALLOWED: (
            lambda: _(
                "⛔ Only coordinators, and hosts for the delegations visiting their "
                "municipality, can send announcements."
            ),
            N_("Your /menu shows what you can use."),
        ),
        Reason.NOT_FOUND: (
            lambda: _("⛔ This announcement is not available to you."),
            N_("/broadcasts lists the announcements you can see."),
        ),
        Reason.NOT_DRAFT: (
            lambda: _("This announcement has already been sent or cancelled."),
            N_("/broadcasts shows how it went; /broadcast starts a new one."),
        ),
        Reason.EMPTY: (
            lambda: _("⚠️ The message is empty."),
            N_("Send the text of the announcement."),
        ),
        Reason.TOO_LONG: (too_long, shorter),
        Reason.CAPTION_TOO_LONG: (caption_too_long, shorter),
        Reason.NOBODY: (lambda: _("⚠️ This audience reaches nobody."), N_("Choose other people.")),
        Reason.PAST: (
            lambda: _("⚠️ This time has already passed."),
            N_("Give a time in the future."),
        ),
        Reason.OUT_OF_SCOPE: (
            lambda: _(
                "⛔ You can send announcements only to the delegations visiting your municipality."
            ),
            N_("Choose one of those delegations."),
        ),
    }
    why, then = texts[exc.reason]
    return why() + "\n\n" + next_line(_(then))


def bad_time(tz: ZoneInfo) -> str:
    then = _(
        "Write, for example, 2023-10-10 08:00, 08:00 or tomorrow 08:00, in {city} time.",
        city=zone_city(tz),
    )
    return _("⚠️ I did not understand this time.") + "\n\n" + next_line(then)


def _preview_button(draft_id: int) -> Any:
    return button(_("Preview") + " ➡️", DraftButton(DraftAction.PREVIEW, draft_id))


def _cancel_button(draft_id: int) -> Any:
    return button("✖️ " + _("Cancel"), DraftButton(DraftAction.DISCARD, draft_id))


def ask_text(draft_id: int, written: bool = False) -> Screen:
    """The first step; ``written``: Back from the languages, the text given is kept unless a
    new one comes, and the languages are one tap away."""
    text = _(
        "<b>📢 New announcement</b>\nSend the text of the announcement; bold, italics and links "
        "are kept. You can also send a photo or a document with the text as its caption."
    )
    text += "\n\n" + next_line(_("Then you add the other languages and choose who gets it."))
    rows = [[_cancel_button(draft_id)]]
    if written:
        forward = DraftButton(DraftAction.VERSIONS, draft_id)
        rows.insert(0, [button(_("Languages") + " ➡️", forward)])
    return Screen(text, keyboard(rows))


def ask_version(draft_id: int, language: str) -> Screen:
    text = _("Send the text of the announcement {language}.", language=in_language(language))
    text += "\n\n" + next_line(_("You will then return to the list of languages."))
    return Screen(
        text, keyboard([[button("⬅️ " + _("Back"), DraftButton(DraftAction.VERSIONS, draft_id))]])
    )


def _version_lines(texts: Mapping[str, str]) -> list[str]:
    lines = []
    for lang in LANGUAGES:
        _text, fallback = content.version(texts, lang)
        if fallback is None:
            lines.append(f"{_FLAGS[lang]} {language_name(lang)}: ✓")
        else:
            lines.append(
                f"{_FLAGS[lang]} "
                + _(
                    "{language}: missing; readers get the text {fallback}",
                    language=language_name(lang),
                    fallback=in_language(fallback),
                )
            )
    return lines


def versions(draft: Draft) -> Screen:
    media = ""
    if draft.media:
        media = "\n" + (
            _("📎 With a photo") if draft.media["kind"] == "photo" else _("📎 With a document")
        )
    text = (
        _("<b>📢 Languages</b>\nEach person gets the announcement in their language:")
        + "\n"
        + "\n".join(_version_lines(draft.texts or {}))
        + media
        + "\n\n"
        + next_line(_("Choose who gets it, or go straight to the preview (then everyone gets it)."))
    )
    edit = [
        button(f"✏️ {_FLAGS[lang]} {language_name(lang)}", DraftVersion(draft.id, Language(lang)))
        for lang in LANGUAGES
    ]
    rows = [
        edit,
        [button(_("Choose the audience") + " ➡️", DraftButton(DraftAction.AUDIENCE, draft.id))],
        [_preview_button(draft.id), _cancel_button(draft.id)],
        [button("⬅️ " + _("Back"), DraftButton(DraftAction.TEXT, draft.id))],
    ]
    return Screen(text, keyboard(rows))


def _summary(names: Mapping[str, Sequence[Any]]) -> str:
    """ "Who gets it: everyone", or "Who gets it:" and a line per limit."""
    if not names:
        return _("Who gets it: everyone")
    parts = [_("Who gets it:")]
    for dimension in DIMENSIONS:
        if dimension not in names:
            continue
        values = names[dimension]
        if not values:
            # every pick of this limit was removed from the programme since: it reaches nobody
            gone = _("no longer in the programme")
            parts.append(f"{_dimension_label(dimension)}: {gone}")
            continue
        if dimension == "roles":
            shown = [_role_label(v) for v in values]
        elif dimension == "languages":
            shown = [language_name(v) for v in values]
        else:
            shown = [tr(v) for v in values]
        parts.append(f"{_dimension_label(dimension)}: {escape(', '.join(shown))}")
    return "\n".join(parts)


def audience(
    draft_id: int,
    names: Mapping[str, Sequence[Any]],
    count: int,
    dimensions: Sequence[str],
    limited: bool,
) -> Screen:
    text = _("<b>📢 Audience</b>") + "\n" + _summary(names)
    if limited:
        text += "\n" + _("(only the delegations visiting your municipality)")
    text += "\n\n" + _reaches(count)
    text += "\n\n" + next_line(_("Then the preview, where you can send it now or choose a time."))
    dims = [
        button(_dimension_label(d), DraftDimension(draft_id, Dimension.of(d))) for d in dimensions
    ]
    rows = [
        *chunk(dims, 2),
        [button("♻️ " + _("Everyone"), DraftButton(DraftAction.EVERYONE, draft_id))],
        [
            button("⬅️ " + _("Languages"), DraftButton(DraftAction.VERSIONS, draft_id)),
            _preview_button(draft_id),
        ],
        [_cancel_button(draft_id)],
    ]
    return Screen(text, keyboard(rows))


def _toggle(draft_id: int, dimension: str, value: int | str) -> CallbackData:
    if dimension == "roles":
        return ToggleRole(draft_id, Role(value))
    if dimension == "languages":
        return ToggleLanguage(draft_id, Language(value))
    return ToggleGroup(draft_id, GroupDimension(Dimension.of(dimension).value), int(value))


def _choice_label(dimension: str, choice: Choice) -> str:
    if dimension == "roles":
        return _role_label(str(choice.value))
    if dimension == "languages":
        return language_name(str(choice.value))
    return tr(choice.name)


def choices(draft_id: int, dimension: str, options: Sequence[Choice], audience: Audience) -> Screen:
    picked = getattr(audience, dimension)
    buttons = [
        button(
            fit(("✓ " if c.value in picked else "") + _choice_label(dimension, c)),
            _toggle(draft_id, dimension, c.value),
        )
        for c in options
    ]
    text = (
        _dimension_label(dimension)
        + "\n"
        + _("Tick one or more. If you tick none, this does not limit who gets it.")
    )
    if not options:
        text += "\n" + _("Nothing to choose from.")
    text += "\n\n" + next_line(_("Then go back to the audience, or on to the preview."))
    rows = [
        *chunk(buttons, 2),
        [
            button("⬅️ " + _("Audience"), DraftButton(DraftAction.AUDIENCE, draft_id)),
            _preview_button(draft_id),
        ],
    ]
    return Screen(text, keyboard(rows))


def preview_header(language: str, count: int, fallback: str | None) -> str:
    text = ngettext(
        "👁 <b>Preview: {language}</b> — {n} person will see exactly this:",
        "👁 <b>Preview: {language}</b> — {n} people will see exactly this:",
        count,
        language=language_name(language),
    )
    if fallback is not None:
        text += "\n" + _(
            "(No text {language}: they get the text {fallback}.)",
            language=in_language(language),
            fallback=in_language(fallback),
        )
    return text


def preview_controls(
    draft: Draft, count: int, quiet_until: datetime | None, tz: ZoneInfo
) -> Screen:
    """The send options under the preview. In the quiet hours (``quiet_until``: when they end)
    "Send at 07:00" waits for their end, and "Send now anyway" is there for something urgent."""
    ack = ("☑️ " if draft.ask_ack else "⬜ ") + _("Ask for read confirmation")
    lines = [_("<b>📢 Ready</b>"), _reaches(count) + " " + _("When should it go out?")]
    urgent: list[Any] = []
    if quiet_until is None:
        lines.append(next_line(_("“📨 Send now” sends it at once; “🕒 Schedule” asks for a time.")))
        # The preview above is the confirmation: sending now needs no second question.
        send = button("📨 " + _("Send now"), DraftButton(DraftAction.SEND, draft.id))
    else:
        lines.append(
            _(
                "🌙 Quiet hours last until {time}, so the announcement will wait until then. "
                "Send it now anyway only if it is urgent.",
                time=_when(quiet_until, tz),
            )
        )
        lines.append(
            next_line(
                _(
                    "“🌙 Send at {time}” sends it then; “🕒 Schedule” asks for another time.",
                    time=format_time(quiet_until, tz),
                )
            )
        )
        send = button(
            "🌙 " + _("Send at {time}", time=format_time(quiet_until, tz)),
            DraftButton(DraftAction.SEND, draft.id),
        )
        urgent = [button("⚡ " + _("Send now anyway"), DraftButton(DraftAction.URGENT, draft.id))]
    rows = [
        [send, button("🕒 " + _("Schedule"), DraftButton(DraftAction.SCHEDULE, draft.id))],
        urgent,
        [button(ack, DraftButton(DraftAction.ASK_ACK, draft.id))],
        [
            button("⬅️ " + _("Audience"), DraftButton(DraftAction.AUDIENCE, draft.id)),
            _cancel_button(draft.id),
        ],
    ]
    return Screen("\n".join(lines), keyboard(rows))


def ask_time(draft_id: int, tz: ZoneInfo) -> Screen:
    text = _(
        "When should it be sent? Write a date and time, for example 2023-10-10 08:00, or "
        "08:00 for today, or tomorrow 08:00, in {city} time.",
        city=zone_city(tz),
    )
    text += "\n\n" + next_line(_("Then you confirm the time; nothing is sent before that."))
    return Screen(
        text, keyboard([[button("⬅️ " + _("Back"), DraftButton(DraftAction.PREVIEW, draft_id))]])
    )


def confirm(draft: Draft, count: int, tz: ZoneInfo, goes_at: datetime) -> Screen:
    """Sending at the time the author typed (``draft.send_at``); ``goes_at`` is when it goes
    (later when that time falls in the quiet hours)."""
    assert draft.send_at is not None
    text = ngettext(
        "Send the announcement to {n} person on {time}?",
        "Send the announcement to {n} people on {time}?",
        count,
        time=_when(draft.send_at, tz),
    )
    if goes_at != draft.send_at:
        text += "\n" + _(
            "🌙 That is in the quiet hours: it will wait until {time}.", time=_when(goes_at, tz)
        )
    if draft.ask_ack:
        text += "\n" + _("They will be asked to confirm that they have read it.")
    then = _(
        "“✅ Confirm” schedules it: it goes out by itself at that time; until then you can "
        "cancel it in /broadcasts."
    )
    text += "\n\n" + next_line(then)
    rows = [
        [
            button("✅ " + _("Confirm"), DraftButton(DraftAction.SEND, draft.id)),
            button("⬅️ " + _("Back"), DraftButton(DraftAction.PREVIEW, draft.id)),
        ]
    ]
    return Screen(text, keyboard(rows))


def enqueued(sent: Enqueued, now: datetime, tz: ZoneInfo) -> str:
    """The confirmation of a sending: how many it goes to now, or when, and why later."""
    if sent.held:
        return ngettext(
            "🌙 Quiet hours: the announcement waits until {time}, then goes to {n} person.",
            "🌙 Quiet hours: the announcement waits until {time}, then goes to {n} people.",
            sent.count,
            time=_when(sent.due, tz),
        )
    if sent.due > now:
        return ngettext(
            "🕒 The announcement goes to {n} person on {time}.",
            "🕒 The announcement goes to {n} people on {time}.",
            sent.count,
            time=_when(sent.due, tz),
        )
    return ngettext(
        "📨 The announcement goes to {n} person now.",
        "📨 The announcement goes to {n} people now.",
        sent.count,
    )


def discarded() -> str:
    return _("The draft has been discarded.")


def composing(step: OneScreen, tz: ZoneInfo) -> Screen:
    """The screen of a step of :mod:`bot.broadcasts.composing`."""
    match step:
        case AskText():
            return ask_text(step.draft_id, step.written)
        case Versions():
            return versions(step.draft)
        case AskVersion():
            return ask_version(step.draft_id, step.language)
        case AudienceStep():
            return audience(step.draft_id, step.names, step.count, step.dimensions, step.limited)
        case Choices():
            return choices(step.draft_id, step.dimension, step.options, step.audience)
        case Controls():
            return preview_controls(step.draft, step.count, step.quiet_until, tz)
        case AskTime():
            return ask_time(step.draft_id, tz)
        case Confirm():
            return confirm(step.draft, step.count, tz, step.goes_at)
        case Discarded():
            return Screen(discarded())


# ------------------------------------------------------------------------- following broadcasts


def _state_label(state: State) -> str:
    labels = {
        State.SCHEDULED: _("🕒 scheduled"),
        State.SENDING: _("⏳ sending"),
        State.DONE: _("✅ done"),
        State.CANCELLED: _("✖️ cancelled"),
    }
    return labels[state]


def _title(texts: Mapping[str, str]) -> str:
    """The start of the announcement in the reader's language, as a one-line title."""
    text, _fallback = content.version(texts, get_locale())
    return escape(fit(content.visible_text(text), 40))


def _figures_lines(f: Figures, tz: ZoneInfo) -> str:
    d = f.delivery
    lines = [
        _("📢 <b>Announcement #{id}</b> · {state}", id=f.id, state=_state_label(f.state)),
        quote(_title(f.texts)),
    ]
    if f.send_at is not None:
        lines.append(_("Sending time: {time}", time=_when(f.send_at, tz)))
    lines.append(
        _(
            "Sent {sent} · waiting {pending} · failed {failed} · unreachable {unreachable} "
            "(of {total})",
            sent=d.sent,
            pending=d.pending,
            failed=d.failed,
            unreachable=d.unreachable,
            total=f.recipients,
        )
    )
    if d.cancelled:
        lines.append(_("Cancelled before sending: {n}", n=d.cancelled))
    if f.ask_ack:
        lines.append(_("Confirmed as read: {acked} of {total}", acked=f.acked, total=f.recipients))
    return "\n".join(lines)


def progress(f: Figures, tz: ZoneInfo, note: str | None = None) -> Screen:
    """The author's progress message while sending, and the final report after; ``note`` on
    top (the confirmation says when it goes)."""
    bid = f.id
    rows: list[list[Any]] = []
    if f.state in (State.SCHEDULED, State.SENDING):
        rows.append([button("⏹ " + _("Cancel sending"), ManageButton(ManageAction.STOP, bid))])
    else:
        rows.append([button("📄 " + _("Report (CSV)"), ManageButton(ManageAction.EXPORT, bid))])
        if f.ask_ack and f.acked < f.recipients and f.state is State.DONE:
            rows.append(
                [button("🔔 " + _("Remind the others"), ManageButton(ManageAction.RENOTIFY, bid))]
            )
    rows.append(
        [
            button("🔄 " + _("Refresh"), ManageButton(ManageAction.SHOW, bid)),
            button("📋 " + _("All announcements"), BroadcastList()),
        ]
    )
    text = _figures_lines(f, tz) + "\n\n" + next_line(_progress_next(f.state))
    return Screen(f"{note}\n\n{text}" if note else text, keyboard(rows))


def _progress_next(state: State) -> str:
    if state is State.SCHEDULED:
        return _("It goes out by itself at the set time; “⏹ Cancel sending” stops it before then.")
    if state is State.SENDING:
        return _(
            "This message shows the progress of sending; “⏹ Cancel sending” stops what has "
            "not gone out yet."
        )
    return _("“📄 Report (CSV)” sends a file listing each recipient and whether it reached them.")


def broadcast_list(items: Sequence[Figures], tz: ZoneInfo) -> Screen:
    if not items:
        text = _("No announcements yet. Send /broadcast to write one.")
        return Screen(text, keyboard([[_new_button()]]))
    text = _("<b>📋 Announcements</b>") + "\n\n" + "\n\n".join(_figures_lines(f, tz) for f in items)
    text += "\n\n" + next_line(
        _("Press a number to see how that announcement is being sent, or to cancel it.")
    )
    buttons = [button(f"#{f.id}", ManageButton(ManageAction.SHOW, f.id)) for f in items]
    return Screen(text, keyboard([*chunk(buttons, 5), [_new_button()]]))


def _new_button() -> Any:
    return button(_("✏️ New announcement"), NewBroadcast())


def cancelled(stopped: int) -> str:
    return ngettext(
        "⏹ Cancelled: {n} message will not be sent.",
        "⏹ Cancelled: {n} messages will not be sent.",
        stopped,
    )


def renotified(sent: Enqueued, tz: ZoneInfo) -> str:
    if sent.held and sent.count:
        return ngettext(
            "🌙 Quiet hours: the reminder waits until {time}, then goes to {n} person.",
            "🌙 Quiet hours: the reminder waits until {time}, then goes to {n} people.",
            sent.count,
            time=_when(sent.due, tz),
        )
    return ngettext(
        "🔔 Reminder sent to {n} person.", "🔔 Reminder sent to {n} people.", sent.count
    )


def acked() -> str:
    return _("Thank you! Your confirmation has been noted.")


def not_a_recipient() -> str:
    return _("This button is for the people who got the announcement.")


def report_caption(broadcast_id: int) -> str:
    return _("Report on announcement #{id}", id=broadcast_id)
