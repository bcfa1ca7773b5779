"""The field types of the programme file's records: texts in three languages, keys, times.

Shared by :mod:`bot.programme.schema` (the file's sections) and :mod:`bot.surveys.definition`
(its survey sections), which builds on them: both import this module, neither the other's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
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
