"""What an import changed (or would change): events added, changed, cancelled; other records.

:class:`EventChange` carries the old and the new state of an event, so that the change notices
(another part of the bot) can tell people what moved, in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import format_datetime, gettext, ngettext, tr


@dataclass(frozen=True)
class EventSnapshot:
    """An event as it was before, or is after, the import (times aware, UTC)."""

    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    place_name: dict[str, str]
    address: str | None
    latitude: float | None
    longitude: float | None
    visit_id: int | None
    delegation_id: int | None
    cancelled: bool

    @classmethod
    def of(cls, row: Any) -> EventSnapshot:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class EventChange:
    """One event added, changed or cancelled. ``old`` is None for added events, ``new`` for
    cancelled ones; ``event_id`` is None for an event a dry run would add."""

    key: str
    event_id: int | None
    old: EventSnapshot | None
    new: EventSnapshot | None
    #: Changed columns of the event (``starts_at``, ``place_name``, ``title``, ``cancelled``...).
    fields: tuple[str, ...] = ()
    time_changed: bool = False
    place_changed: bool = False
    #: The event's revision after the import (bumped when time or place changed).
    revision: int = 1


@dataclass
class RecordChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Visits left out of the file after they ended: kept with their history, no longer current.
    archived: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.archived)


@dataclass
class ChangeSummary:
    dry_run: bool = False
    events_added: list[EventChange] = field(default_factory=list)
    events_changed: list[EventChange] = field(default_factory=list)
    events_cancelled: list[EventChange] = field(default_factory=list)
    #: Other sections by name ("programme", "municipalities", ..., "faq") -> keys.
    records: dict[str, RecordChanges] = field(default_factory=dict)
    #: The programme's content version after the import (unchanged when nothing changed).
    content_version: int | None = None

    @property
    def empty(self) -> bool:
        events = self.events_added or self.events_changed or self.events_cancelled
        return not events and not any(self.records.values())

    def render(self, tz: ZoneInfo, lang: str | None = None, *, preview: bool = False) -> str:
        """The summary as lines of text in ``lang``; ``preview`` for the bot's Apply screen
        (the command line's "dry run" is not a word a coordinator in the chat uses)."""
        if self.empty:
            return gettext("No changes.", locale=lang)
        lines: list[str] = []
        if self.dry_run and preview:
            lines.append(gettext("Preview: nothing has changed yet.", locale=lang))
        elif self.dry_run:
            lines.append(gettext("Dry run: nothing was written.", locale=lang))
        for change in self.events_added:
            assert change.new is not None
            lines.append(
                gettext(
                    "➕ Session {key}: {title}, {start}",
                    locale=lang,
                    key=change.key,
                    title=tr(change.new.title, lang),
                    start=format_datetime(change.new.starts_at, tz, lang),
                )
            )
        for change in self.events_changed:
            lines.append(_changed_line(change, tz, lang))
        for change in self.events_cancelled:
            assert change.old is not None
            lines.append(
                gettext(
                    "❌ Session {key} cancelled: {title}, {start}",
                    locale=lang,
                    key=change.key,
                    title=tr(change.old.title, lang),
                    start=format_datetime(change.old.starts_at, tz, lang),
                )
            )
        for section, changes in self.records.items():
            if changes:
                lines.append(_record_line(section, changes, lang))
        if self.content_version is not None and not self.dry_run:
            lines.append(
                gettext("Content version: {version}", locale=lang, version=self.content_version)
            )
        return "\n".join(lines)


def _changed_line(change: EventChange, tz: ZoneInfo, lang: str | None) -> str:
    old, new = change.old, change.new
    assert old is not None and new is not None
    parts: list[str] = []
    if change.time_changed:
        parts.append(
            gettext(
                "time {old} → {new}",
                locale=lang,
                old=format_datetime(old.starts_at, tz, lang),
                new=format_datetime(new.starts_at, tz, lang),
            )
        )
    if change.place_changed:
        parts.append(
            gettext(
                "place {old} → {new}",
                locale=lang,
                old=tr(old.place_name, lang) or old.address or "—",
                new=tr(new.place_name, lang) or new.address or "—",
            )
        )
    if "cancelled" in change.fields:
        parts.append(gettext("restored", locale=lang))
    others = [f for f in change.fields if f not in _TIME_PLACE and f != "cancelled"]
    if others:
        parts.append(gettext("also changed: {fields}", locale=lang, fields=", ".join(others)))
    return gettext(
        "✏️ Session {key}: {changes}", locale=lang, key=change.key, changes="; ".join(parts)
    )


_TIME_PLACE = {"starts_at", "ends_at", "place_name", "address", "latitude", "longitude"}


def _record_line(section: str, changes: RecordChanges, lang: str | None) -> str:
    title = section  # the section's name in the file
    parts = []
    if changes.added:
        parts.append(
            ngettext("{n} added", "{n} added", len(changes.added), locale=lang)
            + f" ({', '.join(changes.added)})"
        )
    if changes.changed:
        parts.append(
            ngettext("{n} changed", "{n} changed", len(changes.changed), locale=lang)
            + f" ({', '.join(changes.changed)})"
        )
    if changes.removed:
        parts.append(
            ngettext("{n} removed", "{n} removed", len(changes.removed), locale=lang)
            + f" ({', '.join(changes.removed)})"
        )
    if changes.archived:
        parts.append(
            ngettext("{n} archived", "{n} archived", len(changes.archived), locale=lang)
            + f" ({', '.join(changes.archived)})"
        )
    return f"{title}: " + "; ".join(parts)
