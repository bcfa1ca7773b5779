"""The audience step's summary names every limit, also one whose picks were removed since."""

from __future__ import annotations

import pytest

from bot.i18n import use_locale
from bot.views.broadcasts import audience


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "no longer in the programme"),
        ("uk", "вилучено з програми"),
        ("sl", "odstranjeno iz programa"),
    ],
)
def test_a_limit_whose_picks_were_all_removed_says_so(lang: str, line: str) -> None:
    # the draft was limited to one delegation, and that delegation left the programme since:
    # the summary must not read "Who gets it:" with nothing under it (it reaches nobody)
    with use_locale(lang):
        text = audience(7, {"delegations": []}, 0, ("delegations",), False).text
    summary = text.split("\n\n")[0].splitlines()
    assert len(summary) == 3, summary  # title, "Who gets it:", the limit's line
    assert summary[2].endswith(": " + line)


def test_a_limit_with_names_lists_them() -> None:
    with use_locale("en"):
        text = audience(7, {"delegations": ["Zavodske"]}, 4, ("delegations",), False).text
    assert "Zavodske" in text and "no longer in the programme" not in text
