"""What every message the bot shows must look like, checked on everything sent in every test.

The ``bot`` fixture runs :func:`problems` over all the Bot API calls of a test when it ends, so a
screen anywhere in the suite fails its test if it shows a time with seconds or AM/PM, an American
date in English, or a button label longer than a phone shows whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.transport.local_api import ApiCall
from bot.views.common import PHONE_LABEL

#: 08:00:00, 8:00:00 AM, 8 PM, 8:00 p.m.
SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
AM_PM = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)(?!\w)")
_MONTHS = (
    "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|"
    "July|August|September|October|November|December"
)
#: "Oct 10, 2023", "October 10, 2023", "10/28/2023": Babel's US English.
US_DATE = re.compile(rf"\b(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b")

_SHOWN = {"sendMessage", "editMessageText", "sendPhoto", "sendDocument", "editMessageCaption"}


def problems(calls: Iterable[ApiCall]) -> list[str]:
    """Every rule a shown message breaks, with the text that breaks it."""
    found = []
    for call in calls:
        if call.method not in _SHOWN and not call.buttons:
            continue
        text = call.text
        for rule, pattern in (("seconds", SECONDS), ("AM/PM", AM_PM), ("US date", US_DATE)):
            for match in pattern.finditer(text):
                found.append(f"{call.method}: {rule} {match[0]!r} in {text[:200]!r}")
        for button in call.buttons:
            label = str(button.get("text", ""))
            if len(label) > PHONE_LABEL:
                found.append(f"{call.method}: button over {PHONE_LABEL} characters: {label!r}")
    return found
