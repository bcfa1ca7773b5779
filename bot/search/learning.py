"""Learning from use: wordings that led to an entry, or away from it, feed the next ranking.

A 👍 on an automatic answer, a tap on an offered choice (+1), a 👎, or a coordinator answering a
question the bot had answered itself (-1) each store one :class:`~bot.db.models.Phrasing`: the
entry's key and the question's *content words as lemmas, sorted* - never the text as typed and
never who asked, so nothing a person wrote is ever shown to anyone else. Wordings whose signals add
up to more than zero are indexed with their entry (:func:`learnt`), so the next person who asks
that way finds it. The table is the audit trail (source and time of every signal) and exports
as CSV (:func:`to_csv`, ``python -m bot phrasings``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import spreadsheets
from bot.db.models import Phrasing, Question
from bot.infra.freshness import reread_after_commit
from bot.search.stopwords import ANY_STOPWORD
from bot.search.text import SCRIPTS, detect_language, lemma, script_of, to_cyrillic, tokens

#: Content words kept of one question (a long message is a story, its first words suffice).
MAX_TERMS = 20
#: Sources of signals.
VOTE, TAP, STAFF = "vote", "tap", "staff"


def phrasing_terms(text: str) -> str:
    """The question's content words as lemmas of its language, sorted, without repeats."""
    words = tokens(text)
    language = detect_language(words)
    lang = language.code if language else "en"
    out: set[str] = set()
    for word in words:
        script = script_of(word)
        if script is None or word in ANY_STOPWORD or len(word) < 3:
            continue
        if language is not None and language.latin:
            word, script = to_cyrillic(word), "cyr"
        own = lang if SCRIPTS.get(lang) == script else ("uk" if script == "cyr" else "en")
        out.add(lemma(word, own))
        if len(out) >= MAX_TERMS:
            break
    return " ".join(sorted(out))


async def learn(
    session: AsyncSession, question: Question, signal: int, source: str, now: datetime
) -> None:
    """Store one signal for the entry the question was answered with (not for live intents)."""
    key = question.answer_key
    if not key or key.startswith("intent:"):
        return
    terms = phrasing_terms(question.text)
    if terms:
        session.add(
            Phrasing(entry_key=key, terms=terms, signal=signal, source=source, created_at=now)
        )
        reread_after_commit(session)  # this process's next question finds it at once


async def learnt(session: AsyncSession) -> dict[str, list[str]]:
    """Entry key -> the wordings whose signals add up to more than zero."""
    rows = await session.execute(
        select(Phrasing.entry_key, Phrasing.terms, func.sum(Phrasing.signal))
        .group_by(Phrasing.entry_key, Phrasing.terms)
        .having(func.sum(Phrasing.signal) > 0)
        .order_by(Phrasing.entry_key, Phrasing.terms)
    )
    out: dict[str, list[str]] = defaultdict(list)
    for key, terms, _total in rows:
        out[key].append(terms)
    return dict(out)


HEADER = ("entry", "words", "signal", "source", "at")


async def export_rows(session: AsyncSession) -> list[tuple[str, str, int, str, str]]:
    """Every signal, oldest first: entry, words, signal, source, time (no person)."""
    rows = await session.execute(select(Phrasing).order_by(Phrasing.id))
    return [
        (p.entry_key, p.terms, p.signal, p.source, p.created_at.isoformat()) for p in rows.scalars()
    ]


def to_csv(rows: list[tuple[str, str, int, str, str]]) -> bytes:
    """The rows as a CSV file (through the one spreadsheet-safe writer)."""
    return spreadsheets.to_csv(HEADER, rows)
