"""Text people type, made safe to store and to show to others: PostgreSQL cannot hold NUL
characters at all, other control characters (except line breaks and tabs) have no business in a
name or a question, and bidirectional controls (U+202A-U+202E embeddings and overrides,
U+2066-U+2069 isolates) in a name or a question would flip the rest of the line they are shown
in - the staff chat's question header, a member list - so they are removed. Right-to-left text
itself (Arabic, Hebrew) is kept: the apps lay it out without help."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    return _CONTROL.sub("", text or "")
