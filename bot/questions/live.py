"""Answers from the live programme to a question's intent ("what is on tomorrow", "when does the
bus leave", "where do we sleep"): the data of the answer, which the handler renders once.

:func:`live_answer` decides everything: which day and its neighbours, the next sessions, or the
logistics items of the intent's category (for the bus: the recurring legs and the next dated
ones); None when the programme has nothing for the intent, so that the ranked entries answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.agenda import service as agenda
from bot.agenda.content import Event, LogisticsItem
from bot.agenda.service import ProgrammeContent, Scope
from bot.search import intents
from bot.search.intents import Intent

#: The logistics category each intent about a kind of item answers from.
CATEGORIES = {intents.HOTEL: "accommodation", intents.BUS: "transport", intents.CONTACT: "contact"}
#: Transport legs shown for "when does the bus leave".
BUS_LEGS = 3


@dataclass(frozen=True, slots=True)
class DayAnswer:
    """The sessions of one day, with the days before and after that have sessions."""

    day: date
    today: date
    events: list[Event]
    previous_day: date | None
    next_day: date | None


@dataclass(frozen=True, slots=True)
class NextAnswer:
    events: list[Event]


@dataclass(frozen=True, slots=True)
class ItemsAnswer:
    category: str
    items: list[LogisticsItem]


LiveAnswer = DayAnswer | NextAnswer | ItemsAnswer


def live_answer(
    intent: Intent, content: ProgrammeContent, scope: Scope, now: datetime, next_limit: int
) -> LiveAnswer | None:
    """The live answer to ``intent`` for someone who sees ``scope``, or None."""
    if intent.day is not None and intent.name != intents.BUS:
        days = agenda.agenda_days(content, scope)
        if not days:
            return None
        earlier = [d for d in days if d < intent.day]
        later = [d for d in days if d > intent.day]
        return DayAnswer(
            intent.day,
            content.local_date(now),
            agenda.day_events(content, scope, intent.day),
            earlier[-1] if earlier else None,
            later[0] if later else None,
        )
    if intent.name == intents.NEXT_MEETING:
        events = agenda.next_events(content, scope, now, next_limit)
        return NextAnswer(events) if events else None
    category = CATEGORIES[intent.name]
    items = agenda.logistics_items(content, scope, category)
    if intent.name == intents.BUS:
        # Recurring legs (no fixed time: the daily shuttle) and the next dated ones.
        def wanted(departs: datetime | None) -> bool:
            if departs is None:
                return True
            if intent.day is not None:
                return content.local_date(departs) == intent.day
            return departs >= now

        items = [i for i in items if wanted(i.departs_at)][:BUS_LEGS]
    return ItemsAnswer(category, items) if items else None
