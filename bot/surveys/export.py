"""A survey's responses as a table: one row per response, one column per question; CSV and XLSX.

Named surveys start with the participant's name and the time of submission; anonymous ones with
a running number only. Cells go through :mod:`bot.spreadsheets` (formula-like text stays text).
Values are written as given: numbers as numbers, choices as their text in
the reader's language (several joined with "; "), yes/no as words, skipped answers as empty cells.
"""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

from bot import spreadsheets
from bot.i18n import gettext, tr
from bot.surveys.flow import Question
from bot.surveys.results import SurveyResults

Cell = str | int | float | None


def _value(question: Question, value: Any, lang: str) -> Cell:
    if value is None or value == []:
        return None
    if question.kind in ("rating", "nps"):
        return int(value)
    if question.kind == "yes_no":
        return gettext("Yes", locale=lang) if value else gettext("No", locale=lang)
    if question.kind in ("single", "multiple"):
        texts = {c["key"]: tr(c["text"], lang) for c in question.choices}
        keys = value if isinstance(value, list) else [value]
        return "; ".join(texts.get(k, str(k)) for k in keys)
    return str(value)


def table(results: SurveyResults, lang: str, tz: ZoneInfo) -> tuple[list[str], list[list[Cell]]]:
    """The header and the rows."""
    questions = [q.question for q in results.questions]
    head = [gettext("Participant", locale=lang), gettext("Submitted", locale=lang)]
    if results.anonymous:
        head = ["#"]
    header = head + [f"{n}. {tr(q.text, lang)}" for n, q in enumerate(questions, start=1)]
    rows: list[list[Cell]] = []
    for n, response in enumerate(results.responses, start=1):
        first: list[Cell] = [n]
        if not results.anonymous:
            when = response.submitted_at
            first = [
                response.participant_name,
                when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else None,
            ]
        rows.append(first + [_value(q, response.answers.get(q.key), lang) for q in questions])
    return header, rows


def to_csv(results: SurveyResults, lang: str, tz: ZoneInfo) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads Cyrillic and č š ž correctly."""
    return spreadsheets.to_csv(*table(results, lang, tz))


def to_xlsx(results: SurveyResults, lang: str, tz: ZoneInfo) -> bytes:
    from openpyxl import Workbook  # heavy: only where a workbook is written

    header, rows = table(results, lang, tz)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = results.key[:31]
    spreadsheets.append_row(sheet, header)
    for row in rows:
        spreadsheets.append_row(sheet, row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
