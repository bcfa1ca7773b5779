"""The coordinators' lists of questions (a module of its own: button data names them, and must not
load the search stack that :mod:`bot.questions.service` needs)."""

from __future__ import annotations

from enum import StrEnum


class Listing(StrEnum):
    OPEN = "open"  # waiting for a coordinator
    UNHELPFUL = "down"  # automatic answers voted 👎
    UNANSWERED = "none"  # the bot had no answer and nobody was asked
