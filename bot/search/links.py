"""Cross-language term links derived from the content itself.

Every entry is written in uk, sl and en: a parallel text. A title word of one language that keeps
appearing in the same entries as a title word of another ("готель" and "hotel" and "nastanitev",
"добові" and "dnevnica") is taken for its translation. A question's word then also finds an entry
written only in the other language (an entry a coordinator wrote in one language, a FAQ made from
a staff answer), without a hand-written lexicon entry. Links need two shared entries and a Dice
coefficient of at least :data:`MIN_DICE`; one shared entry proves nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

#: Entries two words must share, and how exclusively (Dice: 2 * shared / (n_a + n_b)).
MIN_SHARED = 2
MIN_DICE = 0.6


def term_links(entries: Iterable[dict[str, set[str]]]) -> dict[str, frozenset[str]]:
    """Term -> its linked terms in the other languages, from each entry's terms per language."""
    counts: dict[str, int] = defaultdict(int)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for by_lang in entries:
        for terms in by_lang.values():
            for term in terms:
                counts[term] += 1
        langs: Sequence[str] = sorted(by_lang)
        for a_lang, b_lang in combinations(langs, 2):
            a_terms = [t for t in by_lang[a_lang] if t not in by_lang[b_lang]]
            b_terms = [t for t in by_lang[b_lang] if t not in by_lang[a_lang]]
            for a in a_terms:
                for b in b_terms:
                    shared[(a, b) if a < b else (b, a)] += 1
    links: dict[str, set[str]] = defaultdict(set)
    for (a, b), n in shared.items():
        if n >= MIN_SHARED and 2 * n / (counts[a] + counts[b]) >= MIN_DICE:
            links[a].add(b)
            links[b].add(a)
    return {term: frozenset(linked) for term, linked in links.items()}
