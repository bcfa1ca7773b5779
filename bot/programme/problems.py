"""Problems found in a programme file: where (file, line or sheet/row, field) and why.

A :class:`Problem` holds a reason code and its parameters, not a sentence, so that it can be
rendered in the language of whoever reads it (``render(lang)`` goes through gettext).
Pydantic's errors are translated into the same codes by :func:`from_pydantic`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import ErrorDetails

from bot.i18n import N_, gettext

#: Reason codes -> English msgids (python-brace-format, filled from ``Problem.params``).
REASONS: dict[str, str] = {
    "missing": N_("this field is required"),
    "unknown_field": N_("unknown field"),
    "unknown_column": N_("unknown column"),
    "unknown_sheet": N_("unknown sheet (expected one of: {expected})"),
    "missing_sheet": N_("the workbook has no sheet “{sheet}”"),
    "duplicate_field": N_("this field is given twice"),
    "expected_text": N_("expected text"),
    "expected_integer": N_("expected a whole number"),
    "expected_number": N_("expected a number"),
    "expected_boolean": N_("expected true or false"),
    "expected_list": N_("expected a list"),
    "expected_mapping": N_("expected a mapping of fields"),
    "expected_one_of": N_("expected one of: {expected}"),
    "out_of_range": N_("value out of range"),
    "invalid_format": N_("invalid format"),
    "invalid_key": N_(
        "a key may contain only letters, digits, “-”, “_” and “.” (at most 64 characters)"
    ),
    "too_long": N_("too long (at most {max_length} characters)"),
    "empty_text": N_("the text is empty"),
    "text_type": N_("expected text, or a mapping with uk, sl and en"),
    "text_language": N_("unknown language “{lang}” (use uk, sl or en)"),
    "text_language_type": N_("the “{lang}” text must be a string"),
    "time_without_date": N_("a time without a date; write e.g. 2023-10-09T09:00"),
    "date_without_time": N_("a date without a time; write e.g. 2023-10-09T09:00"),
    "datetime_invalid": N_("“{value}” is not a date and time; write e.g. 2023-10-09T09:00"),
    "date_invalid": N_("“{value}” is not a date; write e.g. 2023-10-09"),
    "rating_invalid": N_("“{value}” is neither a number of minutes (0–1440) nor “off”"),
    "unknown_timezone": N_("unknown time zone “{value}” (use e.g. Europe/Ljubljana)"),
    "duplicate_key": N_("the key “{key}” is used twice in {section}"),
    "unknown_municipality": N_("no municipality has the key “{key}”"),
    "unknown_delegation": N_("no delegation has the key “{key}”"),
    "unknown_visit": N_("no visit has the key “{key}”"),
    "unknown_survey": N_("no survey has the key “{key}”"),
    "survey_without_questions": N_("the survey “{key}” has no questions"),
    "not_slovenian": N_("“{key}” must be a Slovenian municipality (country SI)"),
    "not_ukrainian": N_("“{key}” must be a Ukrainian hromada (country UA)"),
    "end_before_start": N_("the end is not after the start"),
    "audience_conflict": N_(
        "the delegation “{delegation}” does not take part in the visit “{visit}”"
    ),
    "outside_visit": N_("the date is outside the visit “{visit}” (from {start} to {end})"),
    "mentee_needs_delegation": N_("a mentee needs a delegation"),
    "host_needs_municipality": N_("a host needs a municipality"),
    "coordinates_pair": N_("give both lat and lon, or neither"),
    "url_or_file": N_("give either url or file, exactly one"),
    "file_missing": N_("the file “{path}” does not exist"),
    "file_not_stored": N_(
        "a programme file sent in the chat cannot attach “{path}”: it can only name a file this "
        "resource already has in the bot; give a url instead, or import from the command line"
    ),
    "file_outside": N_("the file “{path}” must be inside the folder of the programme file"),
    "resource_too_large": N_("the file “{path}” is larger than {limit} MB"),
    "transport_only": N_("departure and arrival times are for transport items only"),
    "file_too_large": N_("the file is larger than {limit} MB"),
    "file_empty": N_("the file is empty"),
    "unsupported_format": N_("not a programme file: use .yaml, .yml or .xlsx"),
    "not_utf8": N_("the file is not UTF-8 text"),
    "yaml_syntax": N_(
        "the YAML cannot be read here: check the indentation and the colons on this line and "
        "the line above"
    ),
    "yaml_tab": N_("a tab character: YAML indents with spaces only"),
    "yaml_unclosed": N_("a quotation mark or bracket opened here is never closed"),
    "yaml_character": N_(
        "a control character, which YAML does not allow: delete it, or save the file again as "
        "plain text"
    ),
    "yaml_too_large": N_("the YAML holds more than {limit} values once its aliases are expanded"),
    "xlsx_invalid": N_("not a readable XLSX workbook"),
    "xlsx_unpacked_too_large": N_("the workbook unpacks to more than {limit} MB"),
    "xlsx_too_slow": N_("reading the workbook took more than {seconds} seconds; it was stopped"),
    "xlsx_too_much_memory": N_(
        "reading the workbook needed more than {limit} MB of memory; it was stopped"
    ),
    "xlsx_entities": N_(
        "the workbook’s part “{part}” declares a document type or XML entities, which are "
        "not accepted; save the file again from Excel or LibreOffice"
    ),
    "xlsx_sheet_too_big": N_(
        "the sheet reaches {rows} rows and {columns} columns; a programme sheet may have at "
        "most {max_rows} rows and {max_columns} columns (delete the cells beyond)"
    ),
    "invalid": N_("invalid value: {detail}"),
}

_PYDANTIC: dict[str, str] = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "string_type": "expected_text",
    "int_type": "expected_integer",
    "int_parsing": "expected_integer",
    "int_from_float": "expected_integer",
    "float_type": "expected_number",
    "float_parsing": "expected_number",
    "bool_type": "expected_boolean",
    "bool_parsing": "expected_boolean",
    "list_type": "expected_list",
    "dict_type": "expected_mapping",
    "model_type": "expected_mapping",
    "model_attributes_type": "expected_mapping",
    "literal_error": "expected_one_of",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_pattern_mismatch": "invalid_format",
    "string_too_long": "too_long",
    "string_too_short": "empty_text",
}

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem of a file. ``loc`` is the path inside the document, e.g. ("events", 3, "end")."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    loc: Loc = ()
    file: str = ""
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    #: The field path as people read it, e.g. "events[opening].end" (set by the loader).
    field: str = ""

    def reason(self, lang: str | None = None) -> str:
        return gettext(REASONS[self.code], locale=lang, **self.params)

    def where(self, lang: str | None = None) -> str:
        if self.line is not None:
            return gettext("{file}, line {line}", locale=lang, file=self.file, line=self.line)
        if self.sheet is not None and self.row is not None:
            return gettext(
                "{file}, sheet “{sheet}”, row {row}",
                locale=lang,
                file=self.file,
                sheet=self.sheet,
                row=self.row,
            )
        if self.sheet is not None:
            return gettext("{file}, sheet “{sheet}”", locale=lang, file=self.file, sheet=self.sheet)
        return self.file

    def render(self, lang: str | None = None) -> str:
        """One line: where, which field, why."""
        label = self.field or (f"{self.column}" if self.column else "")
        where = self.where(lang)
        if label:
            return f"{where}: {label}: {self.reason(lang)}"
        return f"{where}: {self.reason(lang)}"


def from_pydantic(error: ErrorDetails) -> Problem:
    """Our problem for one pydantic error (its location is mapped to lines by the loader)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind in REASONS:  # raised by our own validators with PydanticCustomError
        return Problem(kind, {k: str(v) for k, v in ctx.items()}, loc)
    code = _PYDANTIC.get(kind)
    if (
        code == "invalid_format"
        and loc
        and loc[-1] in {"key", "delegation", "municipality", "visit", "host", "category"}
    ):
        code = "invalid_key"
    if code == "expected_one_of":
        return Problem(code, {"expected": str(ctx.get("expected", ""))}, loc)
    if code == "too_long":
        return Problem(code, {"max_length": str(ctx.get("max_length", ""))}, loc)
    if code is None:
        return Problem("invalid", {"detail": error["msg"]}, loc)
    return Problem(code, {}, loc)


def field_label(loc: Loc, key_of: Callable[[Loc], str | None]) -> str:
    """``("events", 3, "place", "lat")`` -> ``events[opening].place.lat`` (the key when known,
    else the 1-based position)."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            key = key_of(loc[: i + 1])
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key or part + 1}]"]
        else:
            parts.append(str(part))
    return ".".join(parts)
