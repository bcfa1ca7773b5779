"""The programme's answerable entries as search documents, indexed once per content version.

FAQ entries, logistics items and resources become :class:`~bot.search.index.Document` objects
carrying their row; one :class:`~bot.search.index.SearchIndex` over all of them is built when the
content version changes and shared by every question. What a person may see is decided per
question with the agenda's :class:`~bot.agenda.service.Scope` (guests: public rows for everyone
only).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from bot.agenda.content import FaqEntry, LogisticsItem, Resource
from bot.agenda.service import ProgrammeContent, Scope, faq_entries
from bot.db.engine import Database
from bot.infra.freshness import VersionWatch
from bot.search import learning
from bot.search.index import Document, SearchIndex
from bot.search.text import lemma, tokens

#: Field weights: what an entry is about counts more than the words of its answer.
TITLE, KEYWORDS, BODY = 4.0, 4.0, 1.0


def _texts(value: Mapping[str, Any] | str | None, weight: float) -> list[tuple[str, str, float]]:
    if not value:
        return []
    if isinstance(value, str):
        return [("en", value, weight)]
    out = []
    for lang, text in value.items():
        if isinstance(text, list | tuple):
            text = " , ".join(str(t) for t in text)
        if text:
            out.append((lang, str(text), weight))
    return out


def faq_document(entry: FaqEntry) -> Document:
    return Document(
        f"faq:{entry.key}",
        _texts(entry.question, TITLE)
        + _texts(entry.keywords, KEYWORDS)
        + _texts(entry.answer, BODY),
        entry,
    )


#: What an item's filled-in fields and its category answer: "телефон водія" finds the driver's
#: entry, whose text never says "phone" (the number is a field); "де ми живемо" finds the
#: accommodation, whatever it is called. Words of the lexicon, so every language meets them.
_FIELD_WORDS = {"phone": "phone", "email": "email", "address": "address"}
_CATEGORY_WORDS = {
    "accommodation": "accommodation stay",
    "transport": "transfer",
    "contact": "contact",
    "emergency": "emergency",
    "money": "money",
}


#: The category says what an item is, as its title does (the weight of a topic field): "where
#: are we staying" asks for the accommodation item whatever its title calls it.
CATEGORY = 2.0


def logistics_document(item: LogisticsItem) -> Document:
    fields = " ".join(word for name, word in _FIELD_WORDS.items() if getattr(item, name, None))
    category = _CATEGORY_WORDS.get(item.category, "")
    return Document(
        f"logistics:{item.key}",
        _texts(item.title, TITLE)
        + _texts(item.body, BODY)
        + _texts(item.meeting_point, BODY)
        + ([("en", fields, BODY)] if fields else [])
        + ([("en", category, CATEGORY)] if category else []),
        item,
        person=item.category == "contact",
    )


def resource_document(resource: Resource) -> Document:
    return Document(
        f"resource:{resource.key}",
        _texts(resource.title, TITLE) + _texts(resource.description, BODY),
        resource,
    )


def documents(
    faq: Iterable[FaqEntry], logistics: Iterable[LogisticsItem], resources: Iterable[Resource]
) -> list[Document]:
    return (
        [faq_document(e) for e in faq]
        + [logistics_document(i) for i in logistics]
        + [resource_document(r) for r in resources]
    )


def visible_to(scope: Scope) -> Callable[[Document], bool]:
    """Whether a document's row concerns ``scope`` (guests: public rows for everyone only)."""

    def allowed(doc: Document) -> bool:
        row = doc.payload
        return scope.concerns(
            getattr(row, "visit_id", None), row.delegation_id, bool(getattr(row, "public", False))
        )

    return allowed


#: The weight of a wording learnt from use: like the entry's own keywords.
LEARNT = KEYWORDS


def with_learnt(docs: list[Document], learnt: Mapping[str, list[str]]) -> list[Document]:
    """Documents with the wordings learnt for them (:mod:`bot.search.learning`) added."""
    if not learnt:
        return docs
    return [
        Document(
            d.key, [*d.texts, *(("xx", t, LEARNT) for t in learnt[d.key])], d.payload, d.person
        )
        if d.key in learnt
        else d
        for d in docs
    ]


#: What a place name of the programme weighs in a question: every entry is in those places.
PLACE_WEIGHT = 0.4


def place_words(content: ProgrammeContent) -> dict[str, float]:
    """The programme's municipality names in every language, as typed and as lemmas."""
    out: dict[str, float] = {}
    for municipality in content.municipalities.values():
        for lang, name in (municipality.name or {}).items():
            for word in tokens(name):
                out[word] = out[lemma(word, lang)] = PLACE_WEIGHT
    return out


class IndexCache:
    """One process's search index, rebuilt when the content version or what was learnt
    from use changes (both as the version watch last read them: no query per question)."""

    def __init__(self, watch: VersionWatch) -> None:
        self.watch = watch
        self._version: tuple[int, int] | None = None
        self._index: SearchIndex | None = None
        self._lock = asyncio.Lock()

    async def get(self, db: Database, content: ProgrammeContent) -> SearchIndex:
        version = (content.version, (await self.watch.current()).learnt)
        if self._index is not None and self._version == version:
            return self._index
        async with self._lock:
            if self._index is None or self._version != version:
                async with db.session() as session:
                    faq = await faq_entries(session)
                    docs = documents(faq, content.logistics, content.resources)
                    learnt = await learning.learnt(session)
                index = SearchIndex(with_learnt(docs, learnt), weak=place_words(content))
                self._index, self._version = index, version
                # The index lives until the next import: keep the garbage collector from
                # walking its hundred thousand objects on every collection.
                gc.freeze()
            return self._index


#: What the programme's medical contact is found by, in every language of the content.
MEDICAL_QUERY = (
    "лікар лікарка лікарня медичний поліклініка doctor medical health clinic hospital "
    "zdravnik zdravnica zdravstveni bolnišnica"
)
#: Emergency entries shown at once on a safety message (112 first).
MAX_EMERGENCY = 2


#: Per index: its emergency entries (112 first) and the entries best matching the medical
#: query, computed once per index rather than on every safety message.
_SAFETY: WeakKeyDictionary[SearchIndex, tuple[list[Document], list[Document]]] = WeakKeyDictionary()


def _safety_candidates(index: SearchIndex) -> tuple[list[Document], list[Document]]:
    if index not in _SAFETY:
        emergency = [
            d
            for d in index.documents
            if isinstance(d.payload, LogisticsItem) and d.payload.category == "emergency"
        ]
        emergency.sort(key=lambda d: (d.payload.phone != "112", not d.payload.phone))
        medical = [m.document for m in index.search(MEDICAL_QUERY, limit=10).matches]
        _SAFETY[index] = (emergency, medical)
    return _SAFETY[index]


def safety_documents(index: SearchIndex, allowed: Callable[[Document], bool]) -> list[Document]:
    """The emergency entries (112 first) and the programme's medical contact, as one may see."""
    emergency, medical = _safety_candidates(index)
    out = [d for d in emergency if allowed(d)][:MAX_EMERGENCY]
    keys = {d.key for d in out}
    contact = next((d for d in medical if d.key not in keys and allowed(d)), None)
    return [*out, contact] if contact is not None else out
