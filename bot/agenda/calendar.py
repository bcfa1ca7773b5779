"""A person's agenda as an iCalendar (.ics) file that calendar apps update rather than duplicate.

Each event keeps its UID (``<event key>@mentoring-bot``) across imports and exports; SEQUENCE is the
event's revision, so a moved session replaces the old entry; cancelled sessions are exported with
STATUS:CANCELLED so that a calendar removes them. The file does not depend on when it is made:
DTSTAMP is the event's last change, so two exports of unchanged content are byte-identical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.agenda.content import Event
from bot.agenda.service import ProgrammeContent, Scope, agenda
from bot.i18n import tr

if TYPE_CHECKING:
    from icalendar import Event as IcsEvent

UID_DOMAIN = "mentoring-bot"
PRODID = "-//Mentoring programme bot//EN"


def event_uid(event: Event) -> str:
    return f"{event.key}@{UID_DOMAIN}"


def agenda_ics(content: ProgrammeContent, scope: Scope, lang: str) -> bytes:
    """The .ics file of the agenda of ``scope``, texts in ``lang`` (cached per content version).

    Each event is serialised once per content version (its times, UID, place on the map, status)
    plus once per language (its texts), and a person's file is the concatenation of their events,
    so a first request per delegation costs no full rebuild.
    """
    return content.memo(("ics", scope.key, lang), lambda: _build(content, scope, lang))


def _build(content: ProgrammeContent, scope: Scope, lang: str) -> bytes:
    from icalendar import Calendar  # only where a calendar is written

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if content.programme is not None:
        calendar.add("x-wr-calname", tr(content.programme.name, lang))
    calendar.add("x-wr-timezone", content.tz.key)
    head, end = calendar.to_ical().split(b"END:VCALENDAR")
    events = b"".join(_vevent(content, e, lang) for e in agenda(content, scope).events)
    return head + events + b"END:VCALENDAR" + end


_BEGIN = b"BEGIN:VEVENT\r\n"
_END = b"END:VEVENT\r\n"


def _vevent(content: ProgrammeContent, event: Event, lang: str) -> bytes:
    texts = content.memo(("vevent-texts", event.id, lang), lambda: _text_lines(event, lang))
    fixed = content.memo(("vevent", event.id), lambda: _fixed_lines(event))
    return _BEGIN + texts + fixed + _END


def _lines(item: IcsEvent) -> bytes:
    """The property lines of ``item``, without its BEGIN and END lines."""
    data = item.to_ical()
    if not (data.startswith(_BEGIN) and data.endswith(_END)):
        raise ValueError("unexpected VEVENT serialisation")
    return data[len(_BEGIN) : -len(_END)]


def _fixed_lines(event: Event) -> bytes:
    """What does not depend on the language: identity, revision, times, the map pin, status."""
    from icalendar import Event as IcsEvent

    item = IcsEvent()
    item.add("uid", event_uid(event))
    item.add("sequence", event.revision)
    item.add("dtstamp", event.updated_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (event.latitude, event.longitude))
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return _lines(item)


def _text_lines(event: Event, lang: str) -> bytes:
    """The event's texts in ``lang``: title, place, host and description."""
    from icalendar import Event as IcsEvent

    item = IcsEvent()
    item.add("summary", tr(event.title, lang))
    location = ", ".join(p for p in (tr(event.place_name, lang), event.address or "") if p)
    if location:
        item.add("location", location)
    description = tr(event.description, lang)
    host = tr(event.host_organisation, lang)
    text = "\n\n".join(p for p in (host, description) if p)
    if text:
        item.add("description", text)
    return _lines(item)
