"""Questions answered from the live programme rather than from static text.

"What is on tomorrow", "v petek", "коли наступна зустріч", "where is the hotel", "when does the bus
leave", "who is my contact": no FAQ entry holds these answers, the agenda and the logistics do.
:func:`detect_intent` recognises them in uk, ru, sl and en (dates relative to the ``today`` it is
given, which callers take from ``services.clock``); anything else goes to the ranked search.

An intent is recognised only when the question has no other topic: "is the pharmacy open
tomorrow" is about the pharmacy, not about tomorrow's agenda.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.search.frequency import information
from bot.search.lexicon import (
    AFTER_TOMORROW_WORDS,
    LOOKUP,
    NAME_WORDS,
    TODAY_WORDS,
    TOMORROW_WORDS,
    WEEKDAYS,
)
from bot.search.stopwords import ANY_STOPWORD
from bot.search.text import Language, detect_language, lemma, script_of, to_cyrillic, tokens

#: Intent names (also the labels of the benchmark set).
TODAY, TOMORROW, WEEKDAY, NEXT_MEETING, HOTEL, BUS, CONTACT = (
    "today", "tomorrow", "weekday", "next_meeting", "hotel", "bus", "contact",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    day: date | None = None


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEXT = _set(
    "next наступна наступний наступне наступну следующая следующий следующее следующую "
    "naslednji naslednja naslednje naslednjo"
)
_WHERE = _set("where де где kje address адреса адрес naslov located")
_WHEN = _set(
    "when коли когда kdaj time час время ura uri o котрій котрой во сколько at leave "
    "leaves depart departs відправляється відїжджає відходить отправляется odpelje "
    "odhod departure"
)
_WHO = _set(
    "who хто кто kdo contact contacts контакт контакти контакты kontakt kontakti "
    "call phone телефон telefon звертатися обращаться obrnem"
)
#: Concepts an intent is about; any other concept in the question sends it to the search.
_AGENDA = frozenset({"agenda", "meeting"})
#: A day's agenda also answers where the group goes that day ("куди завтра їдемо").
_DAY_TOPICS = _AGENDA | {"depart", "field"}
_OWN = {
    HOTEL: frozenset({"hotel", "lodging", "stay", "address"}),
    BUS: frozenset({"bus", "depart"}),
    CONTACT: frozenset({"coordinator", "contact", "phone"}),
}
#: Words without a concept that a day or "next" question may still carry ("what do we have"),
#: and what they may say together (bot.search.frequency: "have" little, "dollar" fully).
_MAX_OTHER_WORDS = 2
_MAX_OTHER_INFO = 1.2
#: A question where the lodging is may carry one other word, if it says little ("where is our
#: hostel, please"): "где ключи от апартаментов" asks for the keys.
_MAX_LODGING_INFO = 0.8


def _information(word: str) -> float:
    return information(word, ("uk", "ru") if script_of(word) == "cyr" else ("en", "sl"))


def _forms(words: list[str], language: Language | None) -> list[set[str]]:
    lang = language.code if language else "en"
    out: list[set[str]] = []
    for word in words:
        forms = {word}
        script = script_of(word)
        if script == "cyr":
            forms |= {lemma(word, "ru" if lang == "ru" else "uk")}
        elif script == "lat":
            forms |= {lemma(word, lang if lang in ("sl", "en") else "en")}
            if language is not None and language.latin:
                cyr = to_cyrillic(word)
                forms |= {cyr, lemma(cyr, "uk")}
        out.append(forms)
    return out


def _day(forms: list[set[str]], today: date) -> tuple[date | None, str | None]:
    for f in forms:
        if f & AFTER_TOMORROW_WORDS:
            return today + timedelta(days=2), WEEKDAY
        if f & TOMORROW_WORDS:
            return today + timedelta(days=1), TOMORROW
        if f & TODAY_WORDS:
            return today, TODAY
        for w in f:
            if w in WEEKDAYS:
                ahead = (WEEKDAYS[w] - today.weekday()) % 7
                return today + timedelta(days=ahead), WEEKDAY
    return None, None


def detect_intent(text: str, today: date) -> Intent | None:
    """The live-data intent of a question, or None when it is for the ranked search."""
    words = tokens(text)[:40]
    if not words:
        return None
    forms = _forms(words, detect_language(words))
    concepts: set[str] = set()
    other = 0
    other_info = 0.0  # what those other words say: "курс доллара" is a topic, "плануємо" little
    day, day_name = _day(forms, today)
    for n, f in enumerate(forms):
        found = {c for w in f for c in LOOKUP.get(w, ())}
        if n + 1 < len(words):
            found |= LOOKUP.get(f"{words[n]} {words[n + 1]}", frozenset())
        concepts |= found
        special = f & (
            TODAY_WORDS
            | TOMORROW_WORDS
            | AFTER_TOMORROW_WORDS
            | _NEXT
            | _WHERE
            | _WHEN
            | _WHO
            | NAME_WORDS
        )
        special = special or any(w in WEEKDAYS for w in f)
        if not found and not special and not f & ANY_STOPWORD and not words[n].isdigit():
            other += 1
            other_info += _information(words[n])
    has = lambda group: any(f & group for f in forms)  # noqa: E731
    if day is not None and day_name is not None:
        if concepts <= _DAY_TOPICS and other <= _MAX_OTHER_WORDS and other_info <= _MAX_OTHER_INFO:
            return Intent(day_name, day)
        if "bus" in concepts and concepts <= _OWN[BUS] | _AGENDA and other <= 1:
            return Intent(BUS, day)
        return None
    if has(_NEXT) and concepts <= _AGENDA and other <= _MAX_OTHER_WORDS:
        return Intent(NEXT_MEETING)
    if not concepts or other > 1:
        return None
    if (
        concepts <= _OWN[HOTEL]
        and concepts & {"hotel", "lodging", "stay"}
        and other_info <= _MAX_LODGING_INFO
        and (has(_WHERE) or has(NAME_WORDS) or "address" in concepts)
    ):
        return Intent(HOTEL)
    if concepts <= _OWN[BUS] | {"agenda"} and "bus" in concepts and has(_WHEN):
        return Intent(BUS)
    if concepts <= _OWN[CONTACT] and has(_WHO) and concepts & {"coordinator", "contact"}:
        return Intent(CONTACT)
    return None
