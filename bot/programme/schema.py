"""Typed models of the programme file (YAML or XLSX), from which its JSON Schema is generated.

Every text shown to people is a :data:`Text`: one plain string (the same in every language) or a
mapping with any of the keys ``uk``, ``sl``, ``en``. A reader whose language is missing gets the
first available one in the order of :data:`bot.i18n.FALLBACK` (uk -> en -> sl, sl -> en -> uk,
en -> sl -> uk), with a discreet mark.

Times are ISO 8601 date-times (``2023-10-09T09:00`` or ``2023-10-09 09:00+02:00``); a naive one is
in the programme's time zone; a time without a date (or a date without a time) is an error.

Audiences: ``everyone`` (the default), ``{visit: KEY}``, ``{delegation: KEY}`` or both (then the
delegation must be the visit's delegation).

These models check each record on its own; references between records are checked in
:mod:`bot.programme.checks`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from bot.i18n import LANGUAGES

Lang = Literal["uk", "sl", "en"]

#: Identifiers of records: letters, digits, ``-``, ``_`` and ``.``, at most 64 characters.
Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]

_TEXT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {lang: {"type": "string"} for lang in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
    "description": "One string, or a mapping of uk / sl / en to the text in that language.",
}


def _text(value: Any) -> str | dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("empty_text", "text is empty")
        return value
    if isinstance(value, dict):
        for lang, item in value.items():
            if lang not in LANGUAGES:
                raise PydanticCustomError("text_language", "unknown language", {"lang": str(lang)})
            if not isinstance(item, str):
                raise PydanticCustomError("text_language_type", "not text", {"lang": lang})
        texts = {lang: item for lang, item in value.items() if item.strip()}
        if not texts:
            raise PydanticCustomError("empty_text", "text is empty")
        return texts
    raise PydanticCustomError("text_type", "expected text or a uk/sl/en mapping")


#: A text shown to people: a string, or ``{uk: ..., sl: ..., en: ...}`` (any non-empty subset).
Text = Annotated[str | dict[str, str], PlainValidator(_text), WithJsonSchema(_TEXT_SCHEMA)]

_TIME_ONLY = re.compile(r"^\s*\d{1,2}[:.]\d{2}")


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, time):
        raise PydanticCustomError("time_without_date", "time without a date")
    if isinstance(value, date):
        raise PydanticCustomError("date_without_time", "date without a time")
    if isinstance(value, str):
        if _TIME_ONLY.match(value):
            raise PydanticCustomError("time_without_date", "time without a date")
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "datetime_invalid", "not an ISO date and time", {"value": value}
            ) from None
        if "T" not in value and " " not in value.strip():
            raise PydanticCustomError("date_without_time", "date without a time")
        return parsed
    raise PydanticCustomError("datetime_invalid", "not an ISO date and time", {"value": str(value)})


#: A date and time; naive values are in the programme's time zone.
DateTimeField = Annotated[
    datetime,
    PlainValidator(_datetime),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}",
            "description": "ISO date and time, e.g. 2023-10-09T09:00 (programme time zone) "
            "or 2023-10-09T09:00+02:00.",
        }
    ),
]


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise PydanticCustomError("date_invalid", "not a date", {"value": value.isoformat()})
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date_invalid", "not a date", {"value": str(value)})


DateField = Annotated[
    date,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "ISO date, 2023-10-09."}),
]


def _rating(value: Any) -> int | Literal["off"]:
    if isinstance(value, str) and value.strip().lower() == "off":
        return "off"
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1440:
        return value
    raise PydanticCustomError("rating_invalid", "minutes or off", {"value": str(value)})


#: Minutes after the end of an event when its quick rating is asked, or ``off``.
Rating = Annotated[
    int | Literal["off"],
    PlainValidator(_rating),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer", "minimum": 0, "maximum": 1440}, {"const": "off"}],
            "description": "Minutes after the end when the rating is asked, or off.",
        }
    ),
]

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()/.-]{3,40}$")]
ShortStr = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class Model(BaseModel):
    """Strict about unknown keys, so that a typo is reported instead of ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Audience(Model):
    """Who a record is for; nothing set means everyone."""

    visit: Key | None = None
    delegation: Key | None = None


def _audience(value: Any) -> Any:
    if value is None or (isinstance(value, str) and value.strip().lower() == "everyone"):
        return {}
    return value


AudienceField = Annotated[
    Audience,
    BeforeValidator(_audience),
    WithJsonSchema(
        {
            "anyOf": [
                {"const": "everyone"},
                {
                    "type": "object",
                    "properties": {"visit": {"type": "string"}, "delegation": {"type": "string"}},
                    "additionalProperties": False,
                },
            ],
            "description": "everyone, {visit: KEY}, {delegation: KEY} or both.",
        }
    ),
]


class ProgrammeInfo(Model):
    name: Text
    timezone: str = Field(description="IANA time zone, e.g. Europe/Ljubljana.")
    default_language: Lang = "en"
    description: Text | None = None
    how_to_join: Text | None = Field(None, description="Public text for people without invite.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError(
                "unknown_timezone", "unknown time zone", {"value": value}
            ) from None
        return value


class MunicipalityRecord(Model):
    key: Key
    name: Text
    country: Literal["SI", "UA"]
    description: Text | None = None


class DelegationRecord(Model):
    key: Key
    name: Text
    municipality: Key


class VisitRecord(Model):
    key: Key
    title: Text
    delegation: Key
    host: Key = Field(description="Key of the host municipality.")
    start: DateField
    end: DateField
    topics: Text | None = None


class Place(Model):
    name: Text | None = None
    address: ShortStr | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None


class EventRecord(Model):
    key: Key
    start: DateTimeField
    end: DateTimeField
    title: Text
    description: Text | None = None
    place: Place | None = None
    host: Text | None = Field(None, description="Host organisation.")
    audience: AudienceField = Field(default_factory=Audience)
    rating: Rating = 15


LogisticsCategory = Literal["accommodation", "transport", "contact", "emergency", "money", "tip"]


class LogisticsRecord(Model):
    key: Key
    category: LogisticsCategory
    title: Text
    body: Text | None = None
    address: ShortStr | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    phone: Phone | None = None
    email: Email | None = None
    url: Url | None = None
    departs: DateTimeField | None = None
    arrives: DateTimeField | None = None
    meeting_point: Text | None = None
    audience: AudienceField = Field(default_factory=Audience)
    public: bool = Field(False, description="Shown to people without invite (hotels: keep false).")


class ResourceRecord(Model):
    key: Key
    category: Key = "general"
    title: Text
    description: Text | None = None
    url: Url | None = None
    file: ShortStr | None = Field(None, description="Path relative to the programme file.")
    audience: AudienceField = Field(default_factory=Audience)
    public: bool = False


#: Extra words people use for an FAQ entry, per language (``ru`` too: mentees often type Russian).
Word = Annotated[str, StringConstraints(min_length=1)]
Keywords = dict[Literal["uk", "sl", "en", "ru"], list[Word]]


class FaqRecord(Model):
    key: Key
    question: Text
    answer: Text
    keywords: Keywords | None = None
    audience: AudienceField = Field(default_factory=Audience)
    public: bool = False


class ParticipantRecord(Model):
    key: Key
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Literal["mentee", "host", "coordinator"]
    delegation: Key | None = None
    municipality: Key | None = None
    language: Lang | None = None
    position: Text | None = None
    #: The grammatical gender of the person's role label ("koordinatorka" / "koordinator");
    #: left out, the label uses the general form.
    gender: Literal["f", "m"] | None = None


# Sections of other areas, built on the field types above (import order: bot/surveys/__init__.py).
from bot.surveys.definition import SurveyQuestionRecord, SurveyRecord  # noqa: E402


class ProgrammeFile(Model):
    """The whole file. A new section is a new field here plus a section in ``sections.py``."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        title="Programme file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    note: str | None = Field(None, description="Free note for the people who edit the file.")
    programme: ProgrammeInfo
    municipalities: list[MunicipalityRecord] = []
    delegations: list[DelegationRecord] = []
    visits: list[VisitRecord] = []
    events: list[EventRecord] = []
    logistics: list[LogisticsRecord] = []
    resources: list[ResourceRecord] = []
    faq: list[FaqRecord] = []
    participants: list[ParticipantRecord] = []
    surveys: list[SurveyRecord] = []
    survey_questions: list[SurveyQuestionRecord] = []


#: The sections that are lists of keyed records, in the order they are applied.
RECORD_SECTIONS: tuple[str, ...] = tuple(
    name for name in ProgrammeFile.model_fields if name not in {"note", "programme"}
)


def json_schema() -> dict[str, Any]:
    return ProgrammeFile.model_json_schema()


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
