"""Text people type, made safe to store: PostgreSQL cannot hold NUL characters at all, and other
control characters (except line breaks and tabs) have no business in a name or a question."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None) -> str:
    return _CONTROL.sub("", text or "")
