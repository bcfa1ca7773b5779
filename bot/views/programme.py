"""Screens of a programme file sent to the bot: its problems, the change summary with Apply and
Cancel, the result. A list too long for one message (4,096 characters) is cut with "and N more"
and comes whole as a text file (:attr:`Report.attachment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import PurePath
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.callbacks.programme import ImportAction, ImportDecision
from bot.i18n import _, format_datetime, ngettext
from bot.programme.problems import Problem
from bot.programme.uploads import Outcome
from bot.views.common import Screen, button, keyboard, next_line

#: Room for the visible text of one message, below Telegram's 4,096 (counted in UTF-16 units,
#: as Telegram counts), leaving space for the header, the footer and the "and N more" line.
BUDGET = 3500


@dataclass(frozen=True)
class Report:
    screen: Screen
    #: (file name, UTF-8 text) of the whole list when the screen shows only its beginning.
    attachment: tuple[str, bytes] | None = None


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2 + 1  # + the line break


def _report(
    header: str,
    lines: Sequence[str],
    footer: str,
    attachment_name: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Report:
    """``header`` and ``footer`` are HTML; ``lines`` plain text, escaped here."""
    kept: list[str] = []
    used = 0
    for line in lines:
        used += _length(line)
        if used > BUDGET:
            break
        kept.append(line)
    body = [header, *(escape(line) for line in kept)]
    attachment = None
    if len(kept) < len(lines):
        more = len(lines) - len(kept)
        body.append(
            ngettext(
                "… and {n} more: the whole list is in the attached file.",
                "… and {n} more: the whole list is in the attached file.",
                more,
            )
        )
        attachment = (attachment_name, "\n".join(lines).encode("utf-8"))
    if footer:
        body.append(footer)
    return Report(Screen("\n".join(body), markup), attachment)


def _stem(file_name: str) -> str:
    return PurePath(file_name).stem or "programme"


def problems(file_name: str, found: Sequence[Problem]) -> Report:
    header = ngettext(
        "❌ <b>{file}</b> was not imported: {n} problem was found. Nothing was changed.",
        "❌ <b>{file}</b> was not imported: {n} problems were found. Nothing was changed.",
        len(found),
        file=escape(file_name),
    )
    lines = [p.render() for p in found]
    footer = next_line(_("Correct the file and send it again."))
    return _report(header, lines, footer, f"{_stem(file_name)}-problems.txt")


def _summary_lines(outcome: Outcome) -> list[str]:
    assert outcome.summary is not None and outcome.tz is not None
    return outcome.summary.render(outcome.tz, preview=True).split("\n")


def _decision_buttons(import_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(_("✅ Apply"), ImportDecision(ImportAction.APPLY, import_id)),
                button(_("✖️ Cancel"), ImportDecision(ImportAction.CANCEL, import_id)),
            ]
        ]
    )


def preview(outcome: Outcome) -> Report:
    """What Apply would change, with Apply and Cancel (also after the programme changed)."""
    assert outcome.import_id is not None
    name = escape(outcome.file_name)
    if outcome.state == "changed":
        header = _(
            "⚠️ The programme has changed since you sent <b>{file}</b>. This is what importing "
            "it would change now:",
            file=name,
        )
    else:
        header = _("📋 <b>{file}</b> is valid. Importing it would change:", file=name)
    return _report(
        header,
        _summary_lines(outcome),
        next_line(
            _(
                "“✅ Apply” changes the programme at once, and the people whose agenda "
                "changes get a notice; “✖️ Cancel” changes nothing."
            )
        ),
        f"{_stem(outcome.file_name)}-changes.txt",
        _decision_buttons(outcome.import_id),
    )


def _notices(count: int, quiet_until: datetime | None, tz: ZoneInfo) -> str:
    """How many change notices go to the people concerned, and when (the quiet hours hold them
    until ``quiet_until``)."""
    if not count:
        return ""
    if quiet_until is None:
        return ngettext(
            "🔔 {n} change notice is going out now to the people concerned.",
            "🔔 {n} change notices are going out now to the people concerned.",
            count,
        )
    return ngettext(
        "🌙 Quiet hours: {n} change notice waits until {time}.",
        "🌙 Quiet hours: {n} change notices wait until {time}.",
        count,
        time=format_datetime(quiet_until, tz),
    )


def applied(outcome: Outcome, quiet_until: datetime | None, tz: ZoneInfo) -> Report:
    header = _("✅ <b>{file}</b> has been imported.", file=escape(outcome.file_name))
    then = next_line(_("Everyone sees the new programme from now on."))
    footer = "\n".join(filter(None, [then, _notices(outcome.notices, quiet_until, tz)]))
    return _report(
        header, _summary_lines(outcome), footer, f"{_stem(outcome.file_name)}-changes.txt"
    )


def no_changes(file_name: str) -> Screen:
    return Screen(
        _(
            "✅ <b>{file}</b> is valid and matches the programme in the bot: there is nothing "
            "to change.",
            file=escape(file_name),
        )
        + "\n"
        + next_line(_("To change the programme, edit the file and send it again."))
    )


def cancelled(file_name: str) -> Screen:
    return Screen(
        _("Import of <b>{file}</b> cancelled. Nothing was changed.", file=escape(file_name))
        + "\n"
        + next_line(_("To import it, send the file again."))
    )


def not_pending(status: str) -> str:
    """The answer to an old Apply or Cancel button (a callback alert: plain, ≤ 200 characters)."""
    if status == "applied":
        return _("This file has already been imported.")
    if status == "cancelled":
        return _("This import was cancelled. Send the file again to import it.")
    if status == "superseded":
        return _("You have sent a newer file since: use the buttons under it.")
    if status == "rejected":
        return _("This file no longer passes the checks. Send a corrected file.")
    return _("This import no longer exists. Send the file again.")


def too_big_to_download(file_name: str, size_mb: int, limit_mb: int) -> Screen:
    return Screen(
        _(
            "❌ <b>{file}</b> is {size} MB. Telegram does not let bots download files over 20 MB, "
            "and a programme file may be at most {limit} MB. Nothing was changed.",
            file=escape(file_name),
            size=size_mb,
            limit=limit_mb,
        )
    )


def download_failed(file_name: str) -> Screen:
    return Screen(
        _(
            "❌ I could not download <b>{file}</b> from Telegram. Please send it again.",
            file=escape(file_name),
        )
    )
