"""How much a word of general language says: frequencies from ``wordfreq``'s word lists.

A question's words weigh by what they carry. "name", "our", "please", "називається", "скажіть"
are frequent in any text and say little about which entry answers; "laundry", "пральня",
"parkirišče" are rare and decide. The frequencies come from the ``wordfreq`` package's small word
lists for uk, ru, sl and en (Zipf scale: 7 for "the", 3 for a word seen once in a million).

Only the data files are read (gzip + msgpack), not the ``wordfreq`` module, whose import pulls in
regular-expression and Unicode-repair libraries (0.6 s, 17 MB) that answering does not need. A
language's list is read on first use, and only its common words (Zipf 4.5 and above, where the
weight is below 1) are kept: rarer words all weigh 1.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path

import msgpack

#: Zipf frequency from which a word starts to weigh less than a rare one: a topic word
#: ("cinema", "футбол", "hotel") is often quite frequent and must still count in full.
COMMON = 4.5
#: The Zipf frequency at which a word weighs (almost) nothing: "і", "the", "je", "people".
FUNCTION = 6.3
#: What the most frequent words still weigh.
FLOOR = 0.05


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def _zipf_table(lang: str) -> dict[str, float]:
    """Common words of ``lang`` -> Zipf frequency (words below :data:`COMMON` left out)."""
    folder = _data_dir()
    path = folder / f"small_{lang}.msgpack.gz" if folder else None
    if path is None or not path.exists():
        return {}
    with gzip.open(path) as file:
        header, *buckets = msgpack.load(file, raw=False)
    if header.get("format") != "cB":
        return {}
    table: dict[str, float] = {}
    for centibels, words in enumerate(buckets):
        zipf = 9 - centibels / 100  # bucket n holds words of frequency 10 ** (-n / 100)
        if zipf < COMMON:
            break
        for word in words:
            table[word] = zipf
    return table


def zipf(word: str, langs: tuple[str, ...]) -> float:
    """The highest Zipf frequency of ``word`` in ``langs`` (0 for a rare or unknown word)."""
    return max((_zipf_table(lang).get(word, 0.0) for lang in langs), default=0.0)


def information(word: str, langs: tuple[str, ...]) -> float:
    """How much ``word`` says, from :data:`FLOOR` (a function word) to 1 (a rare word)."""
    value = zipf(word, langs)
    if value < COMMON:
        return 1.0
    return max(FLOOR, min(1.0, (FUNCTION - value) / (FUNCTION - COMMON)))
