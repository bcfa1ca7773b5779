"""Words of a question or an entry: tokens, the language they are in, lemmas and skeletons.

* :func:`tokens` splits text into lower-case words (digits kept: "112" is a word), with the
  Ukrainian apostrophe normalised so that "п’ятниця", "пʼятниця" and "п'ятниця" are one word.
* :func:`detect_language` tells uk, ru, sl and en apart from the letters and function words of a
  short question; Latin text that reads as Ukrainian once transliterated ("koly avtobus") is
  reported as ``uk`` with ``latin=True``.
* :func:`lemma` is simplemma's lemma in one language, cached. No dictionary is read at import;
  each language's is read on first use, through simplemma's low-memory backend: the compressed
  dictionary is kept as one byte string with an index of its blocks, and a word is looked up by
  decoding one block. Measured for the demo's 3,428 distinct words: uk +9 MB instead of +63 MB
  loaded whole, sl +3 instead of +17, en +3 instead of +28, Russian (never a content language
  here, the largest dictionary) about +20 MB instead of +170; reading a dictionary is faster
  too (uk 0.22 s instead of 0.35 s), a lookup slower (the 3,428 words in 0.08 s instead of
  0.02 s in Ukrainian), which the caches below absorb after the first question.
* :func:`skeleton` folds Cyrillic and Latin spellings to one plain-ASCII form ("готель", "hotel",
  "gotel" -> "hotel"), the key of the fuzzy fallback for typos and Latin-typed Ukrainian.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from bot.search.stopwords import STOPWORDS

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'"})
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яёіїєґ]")
_LATIN = re.compile(r"[a-zčšžćđ]")

#: Cyrillic to Latin for skeletons: one letter one way, Ukrainian and Russian alike.
_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ы": "y", "э": "e",
    "ё": "e", "ъ": "", "'": "", "-": "",
})  # fmt: skip
#: Latin spellings folded the same way: č -> ch, w -> v, g -> h (Ukrainian г is h, Russian g).
_LATIN_FOLD = (
    ("č", "ch"), ("ć", "ch"), ("š", "sh"), ("ž", "zh"), ("đ", "d"), ("w", "v"), ("x", "ks"),
    ("q", "k"), ("g", "h"), ("j", "i"), ("c", "ts"), ("tsh", "ch"), ("kh", "h"), ("yi", "i"),
    ("ii", "i"), ("iy", "i"), ("y", "i"),
)  # fmt: skip
#: Latin-typed Ukrainian back to Cyrillic, longest spellings first.
_TO_CYRILLIC = (
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("ya", "я"),
    ("yu", "ю"), ("ye", "є"), ("yi", "ї"), ("ia", "я"), ("iu", "ю"), ("ie", "є"), ("a", "а"),
    ("b", "б"), ("v", "в"), ("w", "в"), ("h", "г"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("y", "и"), ("i", "і"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("c", "ц"), ("x", "кс"),
    ("q", "к"), ("'", "ь"),
)  # fmt: skip
_UK_ONLY = set("іїєґ")
_RU_ONLY = set("ыэъё")
_SL_ONLY = set("čšž")

#: Languages a question can be in (Russian is understood but never answered in).
QUERY_LANGUAGES = ("uk", "ru", "sl", "en")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)


def tokens(text: str) -> list[str]:
    """Lower-case words of ``text``, apostrophes unified, hyphenated words kept whole."""
    return _WORD.findall(normalise(text))


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def is_latin(word: str) -> bool:
    return bool(_LATIN.search(word))


#: A greeting that opens a message, with the name of whom it addresses: "Hello Eva,", "Добрий
#: день, Нежо!", "Pozdravljeni!". The name says to whom the message goes, not what it asks (the
#: coordinator addressed is no topic: "Hello Eva, ... weekends?" is not about Eva's contact).
_GREETING = re.compile(
    r"^\s*(?:hello|hi|hey|dear|good (?:morning|afternoon|evening|day)|"
    r"добр(?:ий|ого|ый|ое|ый) (?:день|дня|вечір|вечора|вечер|ранок|ранку|утро)|вітаю|привіт|"
    r"здрастуйте|здравствуйте|шановн\w*|уважаем\w*|"
    r"pozdravljen\w*|živjo|dober (?:dan|večer)|dobro jutro|spoštovan\w*|draga|dragi)"
    r"[\s,]*(?:[^\W\d_]+\s*){0,2}(?:[!,.:\n]|$)",
    re.IGNORECASE,
)


def without_address(text: str) -> str:
    """``text`` without the greeting that opens it and the name it addresses."""
    return _GREETING.sub(" ", text, count=1)


#: The script each language is written in.
SCRIPTS = {"uk": "cyr", "ru": "cyr", "sl": "lat", "en": "lat"}


def script_of(word: str) -> str | None:
    """ "cyr", "lat", or None for digits and symbols."""
    if is_cyrillic(word):
        return "cyr"
    if is_latin(word):
        return "lat"
    return None


@lru_cache(maxsize=65536)
def to_cyrillic(word: str) -> str:
    """A Latin-typed Ukrainian word in Cyrillic ("koly" -> "коли", "dobovi" -> "добові")."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for latin, cyr in _TO_CYRILLIC:
            if word.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """One plain-ASCII spelling for Cyrillic and Latin forms of a word (for fuzzy matching)."""
    value = word.translate(_TRANSLIT)
    for src, dst in _LATIN_FOLD:
        value = value.replace(src, dst)
    value = unicodedata.normalize("NFKD", value)
    return "".join(c for c in value if c.isascii() and c.isalnum())


#: Languages whose lemma dictionary is read as a compressed stream rather than loaded whole.
LOW_MEMORY = frozenset(QUERY_LANGUAGES)


@lru_cache(maxsize=131072)
def lemma(word: str, lang: str) -> str:
    """simplemma's lemma of ``word`` in ``lang`` (lower case)."""
    if word.isdigit():
        return word
    return simplemma.lemmatize(word, lang=lang, low_memory=lang in LOW_MEMORY).lower()


@lru_cache(maxsize=131072)
def known(word: str, lang: str) -> bool:
    return simplemma.is_known(word, lang=lang, low_memory=lang in LOW_MEMORY)


#: Regular Russian -> Ukrainian spelling correspondences of verb endings and letters:
#: "парковаться" / "паркуватися", "бронировать" / "бронювати", "ехать" / "ехати".
_RU_TO_UK = (
    (re.compile(r"оваться$"), "уватися"),
    (re.compile(r"еваться$"), "юватися"),
    (re.compile(r"ироваться$"), "юватися"),
    (re.compile(r"ировать$"), "ювати"),
    (re.compile(r"овать$"), "увати"),
    (re.compile(r"евать$"), "ювати"),
    (re.compile(r"ться$"), "тися"),
    (re.compile(r"ть$"), "ти"),
    (re.compile(r"ы"), "и"),
    (re.compile(r"[ъ]"), ""),
    (re.compile(r"э"), "е"),
    (re.compile(r"ё"), "е"),
)


@lru_cache(maxsize=65536)
def ukrainian_spelling(word: str) -> str:
    """A Russian word spelt as its Ukrainian cognate would be, by regular correspondences."""
    for pattern, replacement in _RU_TO_UK:
        word = pattern.sub(replacement, word)
    return word


@dataclass(frozen=True, slots=True)
class Language:
    """The language a question was typed in; ``latin`` marks Ukrainian typed in Latin letters."""

    code: str
    latin: bool = False


def detect_language(words: list[str]) -> Language | None:
    """The language of a short question, or None when it has no letters to judge by."""
    cyrillic = [w for w in words if is_cyrillic(w)]
    latin = [w for w in words if is_latin(w) and not is_cyrillic(w)]
    if not cyrillic and not latin:
        return None
    if len(cyrillic) >= len(latin):
        return Language(_cyrillic_language(cyrillic))
    return _latin_language(latin)


def _cyrillic_language(words: list[str]) -> str:
    letters = set("".join(words))
    if letters & _UK_ONLY and not letters & _RU_ONLY:
        return "uk"
    if letters & _RU_ONLY and not letters & _UK_ONLY:
        return "ru"
    uk = sum(w in STOPWORDS["uk"] or known(w, "uk") for w in words)
    ru = sum(w in STOPWORDS["ru"] or known(w, "ru") for w in words)
    return "ru" if ru > uk else "uk"


def _latin_language(words: list[str]) -> Language:
    scores = {
        "en": sum(2 * (w in STOPWORDS["en"]) + known(w, "en") for w in words),
        "sl": sum(
            2 * (w in STOPWORDS["sl"]) + known(w, "sl") + 2 * bool(set(w) & _SL_ONLY) for w in words
        ),
        "uk": sum(
            2 * (to_cyrillic(w) in STOPWORDS["uk"]) + known(to_cyrillic(w), "uk") for w in words
        ),
    }
    best = max(scores, key=lambda lang: (scores[lang], lang == "en", lang == "sl"))
    return Language(best, latin=best == "uk")
