"""The questions of one message: "коли сніданок? і о котрій їде фургон?" holds two.

A message is cut at question marks, sentence ends, line breaks, the connectors that start a
second question ("і ще", "а також", "also", "in še", "и еще") and an "and" before a question
word ("when is dinner and can we use the gym"). When the message as a whole
finds no sure answer, it is also cut at plain "and" ("коли сніданок і о котрій їде фургон"):
each part is then asked on its own. Fewer than two parts: the message is one question.
"""

from __future__ import annotations

import re

from bot.search.text import without_address

_STRONG = re.compile(
    r"[?!.;\n]+\s*|,?\s+(?:і ще|й ще|а ще|а також|також|и ещё|и еще|а ещё|а еще|также|"
    r"and also|also|plus|as well as|in še|pa še|ter še|še)\s+",
    re.IGNORECASE,
)
_AND = r"(?:,\s*|\s+)(?:і|й|та|и|а|and|in|ter|pa)\s+"
_WEAK = re.compile(rf",\s*|{_AND}", re.IGNORECASE)
#: "and" before a question word starts a second question even when the whole reads as one.
_QUESTION_WORDS = (
    "чи|де|коли|як|скільки|хто|що|куди|можна|где|когда|как|сколько|кто|что|куда|можно|"
    "о котрій|о котрой|до котрої|во сколько|до скольки|який|яка|яке|які|какой|какая|какое|какие|"
    "чому|почему|навіщо|зачем|звідки|откуда|нужно|треба|потрібно|есть|є|"
    "where|when|how|what|who|which|why|can|could|is|are|do|does|will|should|may|"
    "kje|kdaj|kako|koliko|kdo|kaj|ali|lahko|kam|kateri|katera|katero|kakšen|kakšna|kakšno|zakaj|"
    "ob kateri|od kdaj|do kdaj"
)
_AND_QUESTION = re.compile(rf"{_AND}(?=(?:{_QUESTION_WORDS})\b)", re.IGNORECASE)
_LEADING = re.compile(r"^(?:(?:і|й|та|и|а|and|in|pa|ter|also|ще|še|ещё|еще)\s+)+", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
#: More parts than this is a story, not a list of questions: the message is read whole.
MAX_PARTS = 6


def _split(pattern: re.Pattern[str], texts: list[str]) -> list[str]:
    parts = (_LEADING.sub("", p.strip()) for t in texts for p in pattern.split(t))
    return [p for p in parts if _LETTERS.search(p)]


def question_groups(text: str, whole_sure: bool) -> list[list[str]]:
    """The parts of ``text`` to ask one by one, grouped by question: a part cut only at a comma
    or a plain "and" is a clause of the question beside it ("kako pridem noter, ko je recepcija
    zaprta"); [] when the message is one question."""
    questions = _split(_AND_QUESTION, _split(_STRONG, [without_address(text)]))
    groups = [[q] for q in questions]
    if not whole_sure:
        groups = [clauses for q in questions if (clauses := _split(_WEAK, [q]))]
    count = sum(len(g) for g in groups)
    return groups if 2 <= count <= MAX_PARTS else []


def question_parts(text: str, whole_sure: bool) -> list[str]:
    """The parts of ``text`` to ask one by one, or [] when it is one question."""
    return [part for group in question_groups(text, whole_sure) for part in group]
