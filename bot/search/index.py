"""BM25-style ranking of programme entries over lemmas, surface forms and lexicon concepts.

Every entry is indexed in all its languages at once (and the Russian keywords some entries carry),
so a question typed in any language finds it; the answer is then shown in the reader's language.
Words of one language that keep appearing with words of another in the entries' titles are linked
(:mod:`bot.search.links`), so a word also finds entries written only in the other language.

A question's words are looked up as typed, as lemmas in the detected language, as lexicon concepts
and, when none of those is known, by their skeleton (exact - which also joins Russian spellings to
the content's Ukrainian words -, then by character trigrams for typos and Latin-typed Ukrainian,
then by a long common beginning: a word of the same family). The decision to answer is taken on
*coverage*: the share of the question's information that the best entry explains, each word
weighing by what it says in general language (:mod:`bot.search.frequency`: "name", "please",
"наш" little; "laundry", "cinema" fully, matched or not). Off-topic questions ("where is the
cinema in Domžale") fail on coverage even when a place name matches many entries. A sure answer
also needs a lead over the first rival entry that is about something else; below the line,
plausible entries are offered as choices (:meth:`SearchResult.choices`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.search.frequency import information
from bot.search.lexicon import (
    ATTRIBUTE_WORDS,
    CONCEPT_WEIGHT,
    LOOKUP,
    MODAL_WORDS,
    NAME_WORDS,
    WEAK_WORDS,
    WEEKDAYS,
    WHEN_WORDS,
    WHO_WORDS,
)
from bot.search.links import term_links
from bot.search.russian import ukrainian_words
from bot.search.stopwords import STOPWORDS
from bot.search.text import (
    SCRIPTS,
    Language,
    detect_language,
    known,
    lemma,
    script_of,
    skeleton,
    to_cyrillic,
    tokens,
    ukrainian_spelling,
    without_address,
)

K1 = 1.2
B = 0.5
#: Coverage and score needed to answer; calibrated on the demo, the tuning programme and the
#: spent first held-out round (tests/benchmarks/bench_answers.py), never on ``heldout2/``.
#: The score is measured in units of the weight of a word only one entry has (it grows
#: with the number of entries).
MIN_COVERAGE = 0.6
MIN_SCORE = 0.6
#: ... and the best must lead the second by this factor: two entries neck and neck are offered.
MIN_MARGIN = 1.2
#: ... or explain this many times as much of the question as the second.
COVER_LEAD = 1.5
#: Entries sharing this share of their topic words are twins; rivals are looked for this deep.
_TWINS = 0.4
_RIVALS = 6
#: Below those, entries this plausible are offered as choices ("did you mean ...").
CHOICE_COVERAGE = 0.3
CHOICE_SCORE = 0.15
#: A question whose words together carry less than this says nothing to go on.
MIN_INFORMATION = 0.25
#: A second entry scoring at least this share of the best is offered as a button.
CLOSE_RATIO = 0.8
#: Fields weighing this much say what an entry is about (titles, questions, keywords): their
#: words are the parallel text that cross-language links are derived from.
_TOPIC_FIELD = 2.0
#: What a match through a cross-language link counts, against a match of the word itself.
_LINKED = 0.7
#: A question's key words weigh at least this share of its most informative one.
_KEY_WORD = 0.8
#: An entry's score grows by this share of the part of its title the question asks for;
#: the best this many entries are looked at.
TOPIC_BONUS = 2.0
_RESCORED = 30
#: A capitalised word inside a title is a name ("Hotel Breza", "Luka Weber"): it says which
#: one, not what the entry is about, and weighs this much of its share.
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_WEIGHT = 0.3
#: A title word matched only through a lexicon concept ("гостиница" / "hotel") or a derived
#: cross-language link counts this much: a concept also joins neighbours ("breakfast" and
#: "lunch" are both meals), and a link can be a word that merely keeps company with it.
_BY_CONCEPT = 0.5
#: An entry whose title or question the question hardly asks for (less than this share of it:
#: the words matched are in its answer) is sure only when those words explain this much of the
#: question: "яка погода в четвер" is not answered by the excursion whose text mentions the
#: weather, nor "is a visa needed" by the FAQ on paying by Visa card.
_ASIDE_TOPIC = 0.2
ASIDE_COVERAGE = 0.85
#: A question whether one may or can (:data:`~bot.search.lexicon.MODAL_WORDS`) puts an entry
#: that is a question first when it is among the best this many and scores this share of the best.
_MODAL_DEPTH = 3
_MODAL_RATIO = 0.5
#: Offered choices: at most this many, each scoring at least this share of the first.
MAX_CHOICES = 3
CHOICE_RATIO = 0.5
#: A long message (this many informative words) is judged on what this much of its words
#: explain (the story around a question - "we came by car from Ukraine and would like to
#: know" - is not held against the entry that answers it) ...
LONG_TOTAL = 3.0
LONG_WORDS = 8
#: ... in which the sentences around the question weigh this much.
CONTEXT_WEIGHT = 0.5
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")
_ASKS = re.compile(r"\?\s*$")
#: Words of a question looked at (a 4,000-character message is mostly noise for ranking).
MAX_QUERY_WORDS = 40
#: Trigrams shared by more words than this are skipped; candidates checked by edit distance.
_COMMON_GRAM = 400
#: Words sharing a beginning this long (and most of the shorter word) are one family:
#: "спортом" / "спортзал", "parking" / "parkirišče"; such a match counts :data:`_STEM_MATCH`.
_STEM = 5
_STEM_SHARE = 0.6
_STEM_MATCH = 0.6
#: ... and a match only once verb prefixes are cut ("повечеряти" / "вечеря") this much: a
#: prefix also makes another word ("населення" is no "заселення").
_CORE_MATCH = 0.4
_FUZZY_CANDIDATES = 15
#: Case endings of names as skeletons spell them (uk, ru, sl): "Тіни", "Тіною", "Tino", "Марком"
#: are "Тіна", "Tina", "Марко" inflected. A name's stem is its skeleton without a last vowel.
_NAME_ENDINGS = ("oiu", "eiu", "ovi", "evi", "om", "em", "oi", "ei", "iu", "ia")
_NAME_ENDINGS += ("a", "o", "e", "i", "u", "")
_NAME_STEM = 3
#: Word-frequency lists consulted for a word in each script.
_FREQUENCY_LANGS = {"cyr": ("uk", "ru"), "lat": ("en", "sl")}
_SCRIPT_STOPWORDS = {
    "cyr": STOPWORDS["uk"] | STOPWORDS["ru"],
    "lat": STOPWORDS["en"] | STOPWORDS["sl"],
}


@dataclass(frozen=True, slots=True)
class Document:
    """One answerable entry: its texts per language with field weights, and what to show."""

    key: str
    texts: Sequence[tuple[str, str, float]]  # (language, text, weight)
    payload: Any = None
    #: Whether the entry is a person one can turn to (a contact): it answers "who".
    person: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    document: Document
    score: float
    coverage: float
    #: Whether it matches the question's most informative word (offered choices must).
    key_word: bool = True
    #: The share of the entry's title or question that the question asks for.
    topic: float = 0.0


@dataclass(frozen=True, slots=True)
class SearchResult:
    language: Language | None
    matches: list[Match]
    confident: bool

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def close(self) -> list[Match]:
        """Other entries nearly as good as the best (offered as buttons)."""
        if not self.confident or len(self.matches) < 2:
            return []
        top = self.matches[0].score
        return [m for m in self.matches[1:3] if m.score >= CLOSE_RATIO * top]

    def choices(self) -> list[Match]:
        """Plausible entries below the confidence line, offered as "did you mean" buttons."""
        if self.confident or not self.matches:
            return []
        top = self.matches[0]
        if top.coverage < CHOICE_COVERAGE or top.score < CHOICE_SCORE:
            return []
        return [
            m
            for m in self.matches[:MAX_CHOICES]
            if m.score >= CHOICE_RATIO * top.score and m.coverage >= CHOICE_COVERAGE and m.key_word
        ]


@dataclass(slots=True)
class _Token:
    words: list[str]
    concepts: list[str]
    weight: float  # its share of the question's informative weight
    weak: float = 1.0  # below 1 for ambiguous or general words
    fuzzy: float = 1.0  # below 1 when found by similarity only
    rank: float = 1.0  # how much a match counts in the ranking (less for general words)
    linked: list[str] = field(default_factory=list)  # its translations in the content


def _trigrams(value: str) -> set[str]:
    padded = f" {value} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class SearchIndex:
    """An immutable index over documents; build once per content version and share."""

    def __init__(
        self, documents: Iterable[Document], weak: Mapping[str, float] | None = None
    ) -> None:
        """``weak``: words of this programme too general to decide an answer (its place names),
        with their weight, beside the lexicon's :data:`~bot.search.lexicon.WEAK_WORDS`."""
        self.documents: list[Document] = list(documents)
        self._position = {d.key: i for i, d in enumerate(self.documents)}
        self._weak: Mapping[str, float] = weak or {}
        #: The weak words' skeletons: "Марибору", "Mariboru" are "Maribor" inflected.
        self._weak_skeletons = {skeleton(w): v for w, v in self._weak.items() if len(w) >= 4}
        #: ... without a last vowel, as an adjective's stem spells it ("Celje" / "celjski").
        self._weak_stems = {_name_stem(s): v for s, v in self._weak_skeletons.items()}
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        lengths: list[float] = []
        parallel: list[dict[str, set[str]]] = []  # each entry's topic words per language
        self._topics: list[frozenset[str]] = []  # each entry's topic words
        #: Each entry's topic fields per language: (the terms of one word, what it says).
        self._units: list[list[list[tuple[frozenset[str], float]]]] = []
        self._title_terms: dict[str, frozenset[str]] = {}  # each entry's title/question terms
        #: Entries whose title is a question (FAQ entries): they answer "may I", "can we".
        self._asking: set[int] = set()
        #: ... and those whose title asks who ("Who interprets at the meetings?").
        self._asking_who: set[int] = set()
        #: The stems of the names in titles ("Координаторка — Тіна Зупан"): stem -> terms.
        self._names: dict[str, set[str]] = defaultdict(set)
        for i, doc in enumerate(self.documents):
            terms: dict[str, float] = defaultdict(float)
            topic: dict[str, set[str]] = defaultdict(set)
            units: list[list[tuple[frozenset[str], float]]] = []
            for lang, text, weight in doc.texts:
                for term in _document_terms(lang, text):
                    terms[term] += weight
                    if weight >= _TOPIC_FIELD and lang in SCRIPTS and term.startswith("w:"):
                        topic[lang].add(term)
                if weight >= _TOPIC_FIELD and lang in SCRIPTS:
                    units.append(self._topic_units(lang, text))
                    if _ASKS.search(text):
                        self._asking.add(i)
                        if WHO_WORDS & set(tokens(text)):
                            self._asking_who.add(i)
                    for name in _names(text):
                        for stem in _name_stems(skeleton(name)):
                            if len(stem) >= _NAME_STEM:
                                self._names[stem].add("w:" + name)
            self._units.append([u for u in units if u])
            self._title_terms[doc.key] = frozenset(
                t for u in units for terms, _v in u for t in terms
            )
            if len(topic) > 1:
                parallel.append(topic)
            self._topics.append(frozenset().union(*topic.values()))
            for term, tf in terms.items():
                postings[term][i] = tf
            lengths.append(sum(terms.values()) or 1.0)
        n = len(self.documents)
        avg = sum(lengths) / n if n else 1.0
        norm = [K1 * (1 - B + B * length / avg) for length in lengths]
        self._idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()
        }
        #: Each term's BM25 contribution per document, computed once here, not per question.
        self._postings: dict[str, dict[int, float]] = {
            t: {i: self._idf[t] * tf * (K1 + 1) / (tf + norm[i]) for i, tf in p.items()}
            for t, p in postings.items()
        }
        #: Cross-language links derived from the entries' parallel texts (bot/search/links.py).
        self._links = term_links(parallel)
        #: The weight of a word only one entry has: the unit of scores.
        self._unit = math.log(1 + (n + 0.5) / 1.5)
        self._skeletons: dict[str, set[str]] = defaultdict(set)
        for term in self._postings:
            if term.startswith("w:") and len(term) > 5:
                self._skeletons[skeleton(term[2:])].add(term[2:])
        for word in LOOKUP:
            if " " not in word and len(word) > 3:
                self._skeletons[skeleton(word)].add(word)
        self._grams: dict[str, list[str]] = defaultdict(list)
        self._stems: dict[str, list[str]] = defaultdict(list)
        for skel in self._skeletons:
            for gram in _trigrams(skel):
                self._grams[gram].append(skel)
            for stem in {skel[:_STEM], _core(skel)[:_STEM]}:
                if len(stem) == _STEM:
                    self._stems[stem].append(skel)

    def _topic_units(self, lang: str, text: str) -> list[tuple[frozenset[str], float]]:
        """The words of a title or a question: each word's terms and what it says (general
        words and the programme's place names little)."""
        script = SCRIPTS[lang]
        stop = STOPWORDS.get(lang, frozenset())
        out = []
        names = _names(text)
        for word in tokens(text):
            if word in stop or script_of(word) != script:
                continue
            forms = {word, lemma(word, lang)}
            weak = min(WEAK_WORDS.get(f, 1.0) for f in forms)
            if any(f in self._weak for f in forms):
                continue  # the programme's place names say where, not what
            if word in names:
                weak = min(weak, _NAME_WEIGHT)
            concepts = {"c:" + c for f in forms for c in LOOKUP.get(f, ())}
            if word in WEEKDAYS:
                concepts.add(day_term(WEEKDAYS[word]))
            value = information(word, _FREQUENCY_LANGS[script]) * weak
            out.append((frozenset({"w:" + f for f in forms} | concepts), value))
        return out

    def titled(self, document: Document, term: str) -> bool:
        """Whether ``term`` (a day: :func:`day_term`) is in the entry's title or question."""
        return term in self._title_terms.get(document.key, frozenset())

    def _topic_share(self, i: int, asked: set[str], concepts: set[str]) -> float:
        """How much of what entry ``i`` is about (its best title or question) the question
        asks: "the hotel's name" asks all of "Hotel Breza", a third of "a gym at the hotel?"."""
        best = 0.0
        for units in self._units[i]:
            total = sum(v for _t, v in units)
            if total > 0:
                got = sum(
                    v if t & asked else _BY_CONCEPT * v * bool(t & concepts) for t, v in units
                )
                best = max(best, got / total)
        return best

    # ------------------------------------------------------------------ query side

    def search(
        self, text: str, allowed: Callable[[Document], bool] | None = None, limit: int = 3
    ) -> SearchResult:
        text = without_address(text)
        words = tokens(text)
        language = detect_language(words)
        query = self._message_tokens(text, words, language)
        # A long message is judged on its most informative words, not on its length.
        query = sorted(query, key=lambda t: -t.weight)[:MAX_QUERY_WORDS]
        total = sum(t.weight for t in query)
        if not query or total < MIN_INFORMATION:
            return SearchResult(language, [], False)
        scores: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        key_word: set[int] = set()
        for tok in query:
            per_doc: dict[int, float] = defaultdict(float)
            best_word: dict[int, float] = {}
            for term in tok.words:
                for i, value in self._postings[term].items():
                    if value > best_word.get(i, 0.0):
                        best_word[i] = value
            for term in tok.linked:
                for i, value in self._postings[term].items():
                    if value * _LINKED > best_word.get(i, 0.0):
                        best_word[i] = value * _LINKED
            for i, value in best_word.items():
                per_doc[i] += value * tok.weak * tok.rank
            for name in tok.concepts:
                weight = CONCEPT_WEIGHT[name]
                for i, value in self._postings.get("c:" + name, {}).items():
                    per_doc[i] += weight * value * tok.rank
            for i, value in per_doc.items():
                scores[i] += value * tok.fuzzy
                covered[i] += tok.weight * tok.fuzzy
                if tok.weight >= _KEY_WORD * query[0].weight:  # sorted by weight
                    key_word.add(i)
        # What the entry is about, asked for in full, counts more than a side word of it.
        asked = {t for tok in query for t in tok.words}
        concepts = {"c:" + c for tok in query for c in _narrowest(tok.concepts)}
        concepts |= {t for tok in query for t in tok.linked}
        raw = dict(scores)  # the score an answer needs is judged without the bonus
        topic: dict[int, float] = {}
        for i in sorted(scores, key=lambda i: scores[i], reverse=True)[:_RESCORED]:
            topic[i] = self._topic_share(i, asked, concepts)
            scores[i] *= 1 + TOPIC_BONUS * topic[i]
        ranked = sorted(scores, key=lambda i: scores[i], reverse=True)
        judged = min(total, LONG_TOTAL) if len(query) >= LONG_WORDS else total
        seen: list[int] = []  # what the reader may see, best first, as deep as rivals are sought
        for i in ranked:
            if allowed is None or allowed(self.documents[i]):
                seen.append(i)
                if len(seen) >= max(limit, _RIVALS):
                    break
        asks = set(words)
        if seen and seen[0] not in self._asking and asks & (MODAL_WORDS | WHEN_WORDS):
            # "may I ...", "when ...": the best entry that is a question comes first, if it is
            # close. "When" needs one that asks it in its title and explains as much of the
            # question as the best, which explains enough to answer: "od kdaj je prijava v
            # hotel" is the FAQ on checking in, not the one on coming back late, nor one on
            # lunch whose answer mentions the per diem.
            when_only = not asks & MODAL_WORDS
            question = next(
                (
                    i
                    for i in seen[1:_MODAL_DEPTH]
                    if i in self._asking
                    and (
                        not when_only
                        or (
                            covered[i] >= covered[seen[0]] >= MIN_COVERAGE * judged
                            and topic.get(i, 0.0) >= _ASIDE_TOPIC
                        )
                    )
                ),
                None,
            )
            self._promote(seen, question, raw, key_word)
        if len(seen) > 1 and asks & WHO_WORDS and not self._answers_who(seen[0]):
            # "who is in charge of ...": the person whose entry explains as much of the question
            # as the best comes first ("хто відповідає за зміст зустрічей": the host, not the
            # FAQ on interpreting at the meetings)
            person = next(
                (i for i in seen[1:] if self.documents[i].person and covered[i] > covered[seen[0]]),
                None,
            )
            self._promote(seen, person, raw, key_word)
        if len(seen) > 1 and asks & NAME_WORDS:
            # "what is X called": the entry that is X (its title asked for most) comes first
            named = max(seen[:_MODAL_DEPTH], key=lambda i: topic.get(i, 0.0))
            if topic.get(named, 0.0) > topic.get(seen[0], 0.0):
                self._promote(seen, named, raw, key_word)
        matches = [
            Match(
                self.documents[i],
                raw[i] / self._unit,
                min(1.0, covered[i] / judged),
                i in key_word,
                topic.get(i, 0.0),
            )
            for i in seen[:limit]
        ]
        confident = bool(matches) and (
            matches[0].coverage >= MIN_COVERAGE
            and matches[0].score >= MIN_SCORE
            and matches[0].key_word
            and (matches[0].topic >= _ASIDE_TOPIC or matches[0].coverage >= ASIDE_COVERAGE)
            and self._leads(seen, scores, covered)
        )
        return SearchResult(language, matches, confident)

    @staticmethod
    def _promote(
        seen: list[int], entry: int | None, raw: dict[int, float], key_word: set[int]
    ) -> None:
        """Put ``entry`` first when it matches the key word and scores close to the best."""
        if entry is not None and entry in key_word and raw[entry] >= _MODAL_RATIO * raw[seen[0]]:
            seen.remove(entry)
            seen.insert(0, entry)

    def _leads(
        self, ranked: list[int], scores: dict[int, float], covered: dict[int, float]
    ) -> bool:
        """Whether the best entry leads the first rival that is about something else (an FAQ
        and the logistics item on the same topic are twins, not rivals; two documents are
        always rivals; a twin that explains more of the question than the best is a rival: the
        departure beside the arrival for "when does the minibus to the airport leave") by
        :data:`MIN_MARGIN` in score, or explains clearly more of the question
        (:data:`COVER_LEAD`)."""
        best = ranked[0]
        for i in ranked[1:]:
            if not self._twins(best, i) or covered[i] > covered[best]:
                return scores[best] >= MIN_MARGIN * scores[i] or (
                    covered[best] >= COVER_LEAD * covered[i] and scores[best] >= scores[i]
                )
        return True

    def _answers_who(self, i: int) -> bool:
        """Whether entry ``i`` answers "who": a person, or an FAQ that asks who."""
        return self.documents[i].person or i in self._asking_who

    def _twins(self, a: int, b: int) -> bool:
        """Whether entries ``a`` and ``b`` are one topic told twice (an FAQ and the logistics
        item on it): they share :data:`_TWINS` of their topic words. Two documents on one topic
        (two spatial plans) are still two answers."""
        mine, theirs = self._topics[a], self._topics[b]
        shared = len(mine & theirs) / (min(len(mine), len(theirs)) or 1)
        kinds = {_kind(self.documents[a]), _kind(self.documents[b])}
        return shared >= _TWINS and kinds != {"resource"}

    def twins(self, a: Document, b: Document) -> bool:
        """Whether two entries are one topic told twice (:meth:`_twins`)."""
        return self._twins(self._position[a.key], self._position[b.key])

    def _message_tokens(
        self, text: str, words: list[str], language: Language | None
    ) -> list[_Token]:
        """A question's tokens; in a long message of several sentences, the words of the
        sentences that ask (a question mark, else the last sentence) weigh more than the
        story around them."""
        sentences = [tokens(s) for s in _SENTENCE.split(text)]
        sentences = [s for s in sentences if s]
        if len(words) < LONG_WORDS or len(sentences) < 2:
            return self._query_tokens(words, language)
        asking = [bool(_ASKS.search(s)) for s in _SENTENCE.split(text) if tokens(s)]
        if not any(asking):
            asking[-1] = True
        out: list[_Token] = []
        for sentence, asks in zip(sentences, asking, strict=True):
            for tok in self._query_tokens(sentence, language):
                if not asks:
                    tok.weight *= CONTEXT_WEIGHT
                    tok.rank *= CONTEXT_WEIGHT
                out.append(tok)
        return out

    def _query_tokens(self, words: list[str], language: Language | None) -> list[_Token]:
        lang = language.code if language else "en"
        out: list[_Token] = []
        skip_next = False
        for n, word in enumerate(words):
            if skip_next:
                skip_next = False
                continue
            # Phrases first: "не працює", "ne deluje", "doesn't work" begin with a stopword.
            if n + 1 < len(words) and f"{word} {words[n + 1]}" in LOOKUP:
                phrase = f"{word} {words[n + 1]}"
                concepts = sorted(LOOKUP[phrase])
                out.append(_Token([], concepts, max(CONCEPT_WEIGHT[c] for c in concepts) / 2))
                skip_next = True
                continue
            script = script_of(word)
            if script is not None and word in _SCRIPT_STOPWORDS[script]:
                continue
            latin_uk = language is not None and language.latin and script == "lat"
            if latin_uk and to_cyrillic(word) in STOPWORDS["uk"]:
                continue
            tok = self._token(word, script, lang, language)
            if tok is not None:
                out.append(tok)
        return out

    def _forms(
        self, word: str, script: str | None, lang: str, language: Language | None
    ) -> set[str]:
        forms = {word}
        if script is None:
            return forms
        if SCRIPTS.get(lang) == script:
            forms.add(lemma(word, lang))
            if lang == "ru":
                # its Ukrainian cognate ("парковаться" / "паркуватися") or, for a word without
                # a look-alike, its Ukrainian word ("полотенце" / "рушник")
                forms |= {
                    uk
                    for f in tuple(forms)
                    for word in (ukrainian_spelling(f), *ukrainian_words(f))
                    for uk in (word, lemma(word, "uk"))
                }
        elif script == "cyr":
            forms.add(lemma(word, "uk"))
        if script == "lat" and language is not None and language.latin:
            cyr = to_cyrillic(word)
            forms |= {cyr, lemma(cyr, "uk")}
        return forms

    @staticmethod
    def _information(word: str, script: str | None, language: Language | None) -> float:
        """What the word says in general language (a word common in any language of its
        script says little: "називается", "name", "ime")."""
        if script is None:
            return 1.0
        if script == "lat" and language is not None and language.latin:
            return min(
                information(word, _FREQUENCY_LANGS["lat"]), information(to_cyrillic(word), ("uk",))
            )
        return information(word, _FREQUENCY_LANGS[script])

    def _token(
        self, word: str, script: str | None, lang: str, language: Language | None
    ) -> _Token | None:
        forms = self._forms(word, script, lang, language)
        weak = min(
            (min(WEAK_WORDS.get(f, 1.0), self._weak.get(f, 1.0)) for f in forms), default=1.0
        )
        weak = min(weak, self._weak_inflected(word))
        info = self._information(word, script, language)
        if forms & ATTRIBUTE_WORDS:  # "how old", "яка глибина": what is asked, weighs fully
            weak = info = 1.0
        found = [("w:" + f) for f in forms if ("w:" + f) in self._postings]
        # A day is one term in every language and spelling: "субботу", "суботу", "soboto".
        found += sorted(
            {d for f in forms if f in WEEKDAYS for d in [day_term(WEEKDAYS[f])]}
            & self._postings.keys()
        )
        concepts = sorted({c for f in forms for c in LOOKUP.get(f, ())})
        fuzzy = 1.0
        if not concepts and weak == 1.0 and script is not None:
            # "Урші" is "Урша" of a title, whatever else says "Урші" aside
            found += [t for t in self._inflected_name(word) if t not in found]
        # A typo is matched by similarity, and so is a Russian word spelt like the content's
        # Ukrainian one ("ключи" / "ключі"); a word of the question's language is not matched
        # to a merely similar one ("хороший" is no "гроші", "завтра" no "завтрак").
        if not found and not concepts and weak == 1.0 and script is not None and len(word) >= 4:
            # a word of a language of its script is no typo of another word ("населення" is
            # no "заселення" in a question read as Russian)
            own_word = SCRIPTS.get(lang) == script and any(
                known(word, other) for other in _FREQUENCY_LANGS[script]
            )
            similar, fuzzy = self._fuzzy(word, exact_only=own_word and lang != "ru")
            if own_word and fuzzy < 0.95:
                similar, fuzzy = set(), 1.0
            # a word of the same family, as typed or as its lemma ("поїдемо": "поїхати" /
            # "їхати" of "їдемо")
            typo = bool(similar)
            for form in sorted(forms, key=lambda f: (f != word, f)):
                if not similar:
                    similar, fuzzy = self._family(form)
            for candidate in similar:
                found += [t for t in ("w:" + candidate,) if t in self._postings]
                if typo:  # a word of the same family is not of the same concept: "organised"
                    concepts += sorted(LOOKUP.get(candidate, ()))  # is no "organiser"
        if not found and not concepts:
            if word.isdigit() and len(word) != 3:
                return None  # a count or a date, not a topic
            return _Token([], [], info * weak, weak)
        linked = sorted({t for w in found for t in self._links.get(w, ())} - set(found))
        if concepts:
            # A word of the domain's lexicon is a topic word, however common it is.
            info = max(info, max(CONCEPT_WEIGHT[c] for c in concepts) / 2.5)
        return _Token(found, concepts, info * weak, weak, fuzzy, 0.3 + 0.7 * info, linked)

    def _inflected_name(self, word: str) -> list[str]:
        """The terms of a name in the entries' titles of which ``word`` is a case form."""
        skel = skeleton(word)
        for ending in _NAME_ENDINGS:
            if skel.endswith(ending) and len(skel) - len(ending) >= _NAME_STEM:
                stem = skel[: len(skel) - len(ending)]
                if stem in self._names:
                    return sorted(t for t in self._names[stem] if t in self._postings)
        return []

    def _weak_inflected(self, word: str) -> float:
        """The weight of a weak word (a place name) of which ``word`` is an inflected form or
        an adjective ("Марибору", "Птуйського", "celjski", "люблянський")."""
        skel = skeleton(word)
        adjective = skel.rfind("sk")
        for base in (skel, skel[:adjective] if adjective >= 4 else ""):
            for cut in range(0, 4):
                stem = base[: len(base) - cut] if cut else base
                if len(stem) >= 4 and stem in self._weak_skeletons:
                    return self._weak_skeletons[stem]
                if base is not skel and len(stem) >= 4 and stem in self._weak_stems:
                    return self._weak_stems[stem]
        return 1.0

    def _family(self, word: str) -> tuple[set[str], float]:
        """Known words of the same family: a long common beginning, with a verb prefix cut
        from one of them ("повечеряти" / "вечеря"), not two different prefixes ("населення" is
        no "заселення")."""
        plain = skeleton(word)
        for skel, strength in ((plain, _STEM_MATCH), (_core(plain), _CORE_MATCH)):
            out: set[str] = set()
            if len(skel) < _STEM + 1:
                continue
            for candidate in self._stems.get(skel[:_STEM], ()):
                for form in {candidate, _core(candidate) if skel == plain else candidate}:
                    common = next(
                        (i for i, (a, b) in enumerate(zip(skel, form, strict=False)) if a != b),
                        min(len(skel), len(form)),
                    )
                    if common >= max(_STEM, _STEM_SHARE * min(len(skel), len(form))):
                        out |= self._skeletons[candidate]
            if out:
                return out, strength
        return set(), 1.0

    def _fuzzy(self, word: str, exact_only: bool = False) -> tuple[set[str], float]:
        """Known words spelt like ``word``: same skeleton, else one or two edits away."""
        skel = skeleton(word)
        if skel in self._skeletons:
            return self._skeletons[skel], 0.95
        if exact_only:
            return set(), 1.0
        counts: dict[str, int] = defaultdict(int)
        for gram in _trigrams(skel):
            candidates = self._grams.get(gram, ())
            if len(candidates) > _COMMON_GRAM:
                continue  # a gram most words share says nothing
            for candidate in candidates:
                if abs(len(candidate) - len(skel)) <= 2:
                    counts[candidate] += 1
        allowed = 1 if len(skel) <= 6 else 2
        best, best_distance = "", allowed + 1
        # Ties broken by spelling, not by set order: the same question gets the same answer.
        ranked = sorted(counts, key=lambda c: (-counts[c], c))[:_FUZZY_CANDIDATES]
        for candidate in ranked:
            distance = _edit_distance(skel, candidate, best_distance)
            if distance < best_distance:
                best, best_distance = candidate, distance
        if not best:
            return set(), 1.0
        return self._skeletons[best], 0.85 - 0.1 * best_distance


def _names(text: str) -> set[str]:
    """The capitalised words of a title but its first: names ("Тіна Зупан", "Hotel Breza")."""
    return {w.lower() for w in _WORD.findall(text)[1:] if w[0].isupper()}


def _kind(document: Document) -> str:
    """An entry's kind: "faq", "logistics" or "resource" (the part of its key before ":")."""
    return document.key.partition(":")[0]


def _name_stem(skel: str) -> str:
    return skel[:-1] if skel[-1:] in ("a", "o", "e", "i", "u") else skel


def _name_stems(skel: str) -> set[str]:
    """A name's stems: without its last vowel, and a soft one also without the "i" skeletons
    spell its softness with ("Катя", "Katja": "kati" of "Каті", "Katji", and "kat" of "Катею",
    "Катю")."""
    stem = _name_stem(skel)
    soft = skel[:-2] if skel[-2:] in ("ia", "io", "iu") else stem
    return {stem, soft}


def day_term(weekday: int) -> str:
    """The term of a day of the week (0 = Monday) in every language."""
    return f"d:{weekday}"


def _narrowest(concepts: list[str]) -> list[str]:
    """A word's most specific concepts ("сніданок": breakfast, not meal)."""
    if not concepts:
        return []
    top = max(CONCEPT_WEIGHT[c] for c in concepts)
    return [c for c in concepts if CONCEPT_WEIGHT[c] == top]


#: Verb prefixes of uk, ru and sl as skeletons spell them, longest first: "повечеряти" and
#: "вечеря", "припаркуватися" and "паркування", "poiskati" and "iskati" are one family.
_PREFIXES = ("pere", "pid", "pod", "pri", "pro", "roz", "raz", "nad", "vid", "pre")
_PREFIXES += ("ot", "po", "za", "vi", "iz", "na", "do", "od", "ob", "vz")


@lru_cache(maxsize=65536)
def _core(skel: str) -> str:
    """A skeleton without its verb prefix, when enough of it is left to be a word."""
    for prefix in _PREFIXES:
        if skel.startswith(prefix) and len(skel) - len(prefix) >= _STEM + 1:
            return skel[len(prefix) :]
    return skel


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one edit), capped at ``limit``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) >= limit:
            return limit
        prev2, prev = prev, row
    return min(prev[-1], limit)


def _document_terms(lang: str, text: str) -> Iterable[str]:
    words = tokens(text)
    stop = STOPWORDS.get(lang, frozenset())
    for n, word in enumerate(words):
        if n + 1 < len(words):
            for name in LOOKUP.get(f"{word} {words[n + 1]}", ()):
                yield "c:" + name
        if word in stop:
            continue
        forms = {word}
        if SCRIPTS.get(lang) == script_of(word):
            forms.add(lemma(word, lang))
        concepts: set[str] = set()
        for form in forms:
            yield "w:" + form
            concepts.update(LOOKUP.get(form, ()))
        for name in concepts:
            yield "c:" + name
        if word in WEEKDAYS:
            yield day_term(WEEKDAYS[word])
