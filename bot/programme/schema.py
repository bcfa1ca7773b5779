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
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from bot.programme.fields import (
    DateField,
    DateTimeField,
    Email,
    Key,
    Lang,
    Latitude,
    Longitude,
    Model,
    Phone,
    Rating,
    ShortStr,
    Text,
    Url,
)
from bot.surveys.definition import SurveyQuestionRecord, SurveyRecord


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


class ProgrammeFile(BaseModel):
    """The whole programme file: the programme's details, then one list of keyed records per
    section."""

    # A new section is a field here, read and written like the others by importer.py, export.py,
    # xlsx_io.py and checked by checks.py.

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
