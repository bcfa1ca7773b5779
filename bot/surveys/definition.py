"""Survey definitions as they stand in the programme file, their checks, and how they are stored.

Two flat sections, so that YAML and XLSX (one sheet each) read them with the same machinery as
every other section of the programme file::

    surveys:
      - key: post-visit
        title: {uk: ..., sl: ..., en: ...}
        anonymous: true
        opens: visit_end          # or manual: a coordinator launches it
        delay: 60                 # minutes after the end of the participant's own visit
        closes: 2023-11-15T18:00  # optional
        visit: zavodske-domzale-2023   # optional: only this visit's participants
        reminders: 2              # 0-2 reminders to those who have not finished ...
        reminder_after: 24        # ... each this many hours after the previous message
    survey_questions:
      - survey: post-visit
        key: useful
        type: rating              # rating | nps | single | multiple | text | yes_no
        text: {uk: ..., sl: ..., en: ...}
        low: {...}                # rating and nps: the labels of the two ends
        high: {...}
        required: true
        choices: {uk: "А | Б", sl: "A | B", en: "A | B"}   # single / multiple, "|" between

Every text of a survey given as a mapping must have uk, sl and en: a survey is the one place
where a participant answering in a fallback language would make the answers incomparable (a plain
string stands for the same text in every language). Choices are
identified by their position (1, 2, ...): reordering them after answers came in changes what the
stored answers mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Survey, SurveyQuestion, Visit
from bot.db.models.surveys import OPENS_AT_VISIT_END, OPENS_MANUALLY, new_revision
from bot.i18n import LANGUAGES
from bot.programme.fields import DateTimeField, Key, Model, Text

QuestionKind = Literal["rating", "nps", "single", "multiple", "text", "yes_no"]
CHOICE_KINDS = ("single", "multiple")
SCALE_KINDS = ("rating", "nps")
CHOICE_SEPARATOR = "|"
#: Telegram shows a button's text on one line; longer choices are cut on narrow phones.
MAX_CHOICE_LENGTH = 60
MAX_CHOICES = 12


def _full(value: Any) -> dict[str, str] | None:
    """A text in all three languages, or a located error naming the missing ones (a plain
    string is, as everywhere in the programme file, the same text in every language)."""
    if value is None:
        return None
    if isinstance(value, str):
        return dict.fromkeys(LANGUAGES, value)
    present = set(value) if isinstance(value, dict) else set()
    missing = [lang for lang in LANGUAGES if lang not in present]
    if missing:
        raise PydanticCustomError(
            "survey_languages",
            "give this text in uk, sl and en (missing: {missing})",
            {"missing": ", ".join(missing)},
        )
    return value


def split_choices(text: dict[str, str]) -> list[dict[str, str]]:
    """``{"uk": "А | Б", ...}`` -> ``[{"uk": "А", ...}, {"uk": "Б", ...}]`` (already checked)."""
    parts = {lang: [p.strip() for p in text[lang].split(CHOICE_SEPARATOR)] for lang in LANGUAGES}
    return [{lang: parts[lang][i] for lang in LANGUAGES} for i in range(len(parts["en"]))]


class SurveyRecord(Model):
    key: Key
    title: Text
    intro: Text | None = None
    anonymous: bool = Field(False, description="Keep no link between a person and their answers.")
    opens: Literal["visit_end", "manual"] = Field(
        "visit_end",
        description="visit_end: when each participant's own visit ends; "
        "manual: a coordinator launches it.",
    )
    delay: int = Field(60, ge=0, le=10080, description="Minutes after the end of the visit.")
    closes: DateTimeField | None = None
    visit: Key | None = Field(None, description="Only this visit's participants.")
    reminders: int = Field(2, ge=0, le=2, description="Reminders to those who have not finished.")
    reminder_after: int = Field(24, ge=1, le=168, description="Hours between the messages.")

    @field_validator("title", "intro")
    @classmethod
    def _complete(cls, value: Any) -> Any:
        return _full(value)


class SurveyQuestionRecord(Model):
    survey: Key
    key: Key
    type: QuestionKind
    text: Text
    required: bool = True
    choices: Text | None = Field(
        None, description="single / multiple: the choices in each language, separated by |."
    )
    low: Text | None = Field(None, description="rating / nps: the label of the lowest value.")
    high: Text | None = Field(None, description="rating / nps: the label of the highest value.")

    @field_validator("text", "low", "high")
    @classmethod
    def _complete(cls, value: Any) -> Any:
        return _full(value)

    @field_validator("choices")
    @classmethod
    def _choices(cls, value: Any) -> Any:
        value = _full(value)
        if value is None:
            return None
        counts = set()
        for lang in LANGUAGES:
            parts = [p.strip() for p in value[lang].split(CHOICE_SEPARATOR)]
            if any(not p for p in parts) or len(parts) < 2:
                raise PydanticCustomError(
                    "survey_empty_choice",
                    "the {lang} choices include an empty one or fewer than two "
                    "(separate choices with |)",
                    {"lang": lang},
                )
            if any(len(p) > MAX_CHOICE_LENGTH for p in parts) or len(parts) > MAX_CHOICES:
                raise PydanticCustomError(
                    "survey_long_choice",
                    "at most {count} choices of at most {length} characters each",
                    {"count": MAX_CHOICES, "length": MAX_CHOICE_LENGTH},
                )
            counts.add(len(parts))
        if len(counts) > 1:
            raise PydanticCustomError(
                "survey_choice_count", "uk, sl and en must list the same number of choices"
            )
        return value

    @model_validator(mode="after")
    def _fits_type(self) -> SurveyQuestionRecord:
        if self.type in CHOICE_KINDS and not self.choices:
            raise PydanticCustomError("survey_choices_missing", "this type needs choices")
        if self.type not in CHOICE_KINDS and self.choices:
            raise PydanticCustomError(
                "survey_choices_unused", "only single and multiple have choices"
            )
        if self.type in SCALE_KINDS and not (self.low and self.high):
            raise PydanticCustomError(
                "survey_scale_labels", "a scale needs both low and high labels"
            )
        return self


# ------------------------------------------------------------------------ checks across records


@dataclass(frozen=True)
class DefinitionProblem:
    """A problem across records: where (a document location) and the programme's reason code."""

    loc: tuple[str | int, ...]
    code: str
    params: dict[str, str]


def check_surveys(
    surveys: list[SurveyRecord | None],
    questions: list[SurveyQuestionRecord | None],
    visit_keys: Iterable[str],
    invalid: Iterable[str] = (),
) -> Iterator[DefinitionProblem]:
    """References to unknown surveys and visits, and surveys without questions.

    Records that failed typed validation are None and skipped; ``invalid`` holds their keys, so
    references to them are not reported twice. Duplicate keys are checked per section by the
    programme's own checks. Codes are those of :data:`bot.programme.problems.REASONS`.
    """
    visits, skipped = set(visit_keys), set(invalid)
    known = {s.key for s in surveys if s is not None}
    for i, survey in enumerate(surveys):
        if survey is not None and survey.visit is not None and survey.visit not in visits | skipped:
            yield DefinitionProblem(("surveys", i, "visit"), "unknown_visit", {"key": survey.visit})
    for i, question in enumerate(questions):
        if question is not None and question.survey not in known | skipped:
            yield DefinitionProblem(
                ("survey_questions", i, "survey"),
                "unknown_survey",
                {"key": question.survey},
            )
    asked = {q.survey for q in questions if q is not None}
    for i, survey in enumerate(surveys):
        if survey is not None and survey.key not in asked:
            yield DefinitionProblem(
                ("surveys", i, "key"),
                "survey_without_questions",
                {"key": survey.key},
            )


# ---------------------------------------------------------------------------------- storing


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


async def apply_surveys(
    session: AsyncSession,
    surveys: list[SurveyRecord],
    questions: list[SurveyQuestionRecord],
    tz: ZoneInfo,
    now: datetime,
) -> None:
    """Create or update the surveys and questions of a checked file (matched by key).

    A survey left out of the file is closed, not deleted: its responses stay readable. Questions
    left out of a survey are deleted; answers already given to them stay in the responses.
    """
    rows = await session.execute(select(Visit.key, Visit.id))
    visit_ids = {key: vid for key, vid in rows.all()}
    existing = {s.key: s for s in (await session.execute(select(Survey))).scalars()}
    for record in surveys:
        survey = existing.pop(record.key, None)
        if survey is None:
            survey = Survey(key=record.key)
            session.add(survey)
        values = {
            "title": dict(record.title),  # type: ignore[arg-type]
            "intro": dict(record.intro or {}),
            "anonymous": record.anonymous,
            "opens": OPENS_AT_VISIT_END if record.opens == "visit_end" else OPENS_MANUALLY,
            "open_delay_minutes": record.delay,
            "closes_at": _local(record.closes, tz),
            "visit_id": visit_ids.get(record.visit) if record.visit else None,
            "reminder_hours": [record.reminder_after * (n + 1) for n in range(record.reminders)],
        }
        if survey.id is None or any(getattr(survey, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(survey, name, value)
            survey.updated_at = now  # only on a change: re-importing the same file changes nothing
        await session.flush()
        await _apply_questions(session, survey, [q for q in questions if q.survey == record.key])
    for left_out in existing.values():
        if left_out.closed_at is None:
            left_out.closed_at = now


async def apply_survey_sections(ctx: Any) -> None:
    """The programme importer's applier (``bot.programme.importer.APPLIERS``) for both sections."""
    await apply_surveys(
        ctx.session, list(ctx.doc.surveys), list(ctx.doc.survey_questions), ctx.tz, ctx.now
    )


async def _apply_questions(
    session: AsyncSession, survey: Survey, records: list[SurveyQuestionRecord]
) -> None:
    """The survey's questions as in ``records``; a change gives the survey a new
    ``questions_revision``, so that every process re-reads them."""
    query = select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
    stored = {q.key: q for q in (await session.execute(query)).scalars()}
    changed = bool(set(stored) - {record.key for record in records})
    for position, record in enumerate(records):
        question = stored.pop(record.key, None)
        if question is None:
            question = SurveyQuestion(survey_id=survey.id, key=record.key, position=position)
            session.add(question)
            changed = True
        values = {
            "position": position,
            "kind": record.type,
            "text": dict(record.text),  # type: ignore[arg-type]
            "required": record.required,
            "choices": [
                {"key": str(n + 1), "text": text}
                for n, text in enumerate(split_choices(record.choices) if record.choices else [])  # type: ignore[arg-type]
            ],
            "low_label": dict(record.low or {}),
            "high_label": dict(record.high or {}),
        }
        for name, value in values.items():
            if getattr(question, name) != value:
                setattr(question, name, value)
                changed = True
    for gone in stored.values():
        await session.delete(gone)
    if changed:
        survey.questions_revision = new_revision()
    await session.flush()


# ------------------------------------------------------------------- the programme file export


async def export_surveys(reader: Any) -> list[dict[str, Any]]:
    """``surveys`` as written in the file (``bot.programme.export.SECTION_EXPORTERS``)."""
    visits = reader.keys.get("visits", {})
    return [
        {
            "key": s.key,
            "title": dict(s.title),
            "intro": dict(s.intro) or None,
            "anonymous": s.anonymous,
            "opens": s.opens,
            "delay": s.open_delay_minutes,
            "closes": reader.time(s.closes_at),
            "visit": visits.get(s.visit_id) if s.visit_id else None,
            "reminders": len(s.reminder_hours),
            "reminder_after": s.reminder_hours[0] if s.reminder_hours else 24,
        }
        for s in await reader.rows(Survey, "surveys")
        if not _past_round(reader, s)
    ]


def _past_round(reader: Any, survey: Survey) -> bool:
    """A survey of an archived visit stays in the database only (its results stay readable)."""
    if survey.visit_id is not None and survey.visit_id in reader.archived:
        reader.archived_surveys.add(survey.id)
        return True
    return False


async def export_survey_questions(reader: Any) -> list[dict[str, Any]]:
    surveys = reader.keys.get("surveys", {})
    rows = sorted(
        (
            q
            for q in await reader.rows(SurveyQuestion, "survey_questions")
            if q.survey_id not in reader.archived_surveys
        ),
        key=lambda q: (q.survey_id, q.position),
    )
    return [
        {
            "survey": surveys[q.survey_id],
            "key": q.key,
            "type": q.kind,
            "text": dict(q.text),
            "required": q.required,
            "choices": {lang: " | ".join(c["text"][lang] for c in q.choices) for lang in LANGUAGES}
            if q.choices
            else None,
            "low": dict(q.low_label) or None,
            "high": dict(q.high_label) or None,
        }
        for q in rows
        if q.survey_id in surveys
    ]
