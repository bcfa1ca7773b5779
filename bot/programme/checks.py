"""Checks across records of a typed programme file: keys, references, time order, files.

Each check yields :class:`~bot.programme.problems.Problem` objects located by their path in the
document; the loader turns paths into lines or sheet rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bot.programme.problems import Problem
from bot.programme.schema import RECORD_SECTIONS, Audience, ProgrammeFile, ProgrammeInfo
from bot.surveys.definition import check_surveys

#: Largest file a resource may ship (Telegram bots may send up to 50 MB; keep the database lean).
RESOURCE_LIMIT_MB = 10


@dataclass(frozen=True)
class ResourceFile:
    name: str
    content: bytes


def local(value: datetime, tz: ZoneInfo) -> datetime:
    """A file time as an aware datetime: naive ones are in the programme's time zone."""
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def _each(doc: ProgrammeFile, section: str) -> Iterator[tuple[int, Any]]:
    """(position, record) of a section; records that failed typed validation are None, skipped."""
    for i, record in enumerate(getattr(doc, section)):
        if record is not None:
            yield i, record


def _duplicates(doc: ProgrammeFile) -> Iterator[Problem]:
    for section in RECORD_SECTIONS:
        seen: set[str] = set()
        for i, record in _each(doc, section):
            if record.key in seen:
                yield Problem(
                    "duplicate_key", {"key": record.key, "section": section}, (section, i, "key")
                )
            seen.add(record.key)


class _Refs:
    """The records that references point to; ``invalid`` holds keys of records that failed typed
    validation (already reported), so references to them are not reported again."""

    def __init__(self, doc: ProgrammeFile, invalid: set[str]) -> None:
        self.municipalities = {m.key: m for _, m in _each(doc, "municipalities")}
        self.delegations = {d.key: d for _, d in _each(doc, "delegations")}
        self.visits = {v.key: v for _, v in _each(doc, "visits")}
        self.invalid = invalid

    def municipality(self, key: str, loc: tuple, country: str | None = None) -> Iterator[Problem]:
        found = self.municipalities.get(key)
        if key in self.invalid:
            return
        if found is None:
            yield Problem("unknown_municipality", {"key": key}, loc)
        elif country and found.country != country:
            code = "not_slovenian" if country == "SI" else "not_ukrainian"
            yield Problem(code, {"key": key}, loc)

    def delegation(self, key: str, loc: tuple) -> Iterator[Problem]:
        if key not in self.delegations and key not in self.invalid:
            yield Problem("unknown_delegation", {"key": key}, loc)

    def audience(self, audience: Audience, loc: tuple) -> Iterator[Problem]:
        visit_key = audience.visit
        if visit_key is not None and visit_key not in self.visits and visit_key not in self.invalid:
            yield Problem("unknown_visit", {"key": visit_key}, (*loc, "visit"))
        if audience.delegation is not None:
            yield from self.delegation(audience.delegation, (*loc, "delegation"))
        visit = self.visits.get(audience.visit or "")
        if visit and audience.delegation and audience.delegation != visit.delegation:
            yield Problem(
                "audience_conflict", {"delegation": audience.delegation, "visit": visit.key}, loc
            )


def _structure(doc: ProgrammeFile, refs: _Refs) -> Iterator[Problem]:
    for i, d in _each(doc, "delegations"):
        yield from refs.municipality(d.municipality, ("delegations", i, "municipality"), "UA")
    for i, v in _each(doc, "visits"):
        yield from refs.delegation(v.delegation, ("visits", i, "delegation"))
        yield from refs.municipality(v.host, ("visits", i, "host"), "SI")
        if v.end < v.start:
            yield Problem("end_before_start", loc=("visits", i, "end"))
    for i, p in _each(doc, "participants"):
        loc = ("participants", i)
        if p.delegation is not None:
            yield from refs.delegation(p.delegation, (*loc, "delegation"))
        if p.municipality is not None:
            yield from refs.municipality(p.municipality, (*loc, "municipality"))
        if p.role == "mentee" and p.delegation is None:
            yield Problem("mentee_needs_delegation", loc=loc)
        if p.role == "host" and p.municipality is None:
            yield Problem("host_needs_municipality", loc=loc)


def _in_visit(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def _events(doc: ProgrammeFile, refs: _Refs, tz: ZoneInfo) -> Iterator[Problem]:
    for i, e in _each(doc, "events"):
        loc = ("events", i)
        start, end = local(e.start, tz), local(e.end, tz)
        if end <= start:
            yield Problem("end_before_start", loc=(*loc, "end"))
        yield from refs.audience(e.audience, (*loc, "audience"))
        visit = refs.visits.get(e.audience.visit or "")
        if visit and not (
            _in_visit(start.astimezone(tz).date(), visit.start, visit.end)
            and _in_visit(end.astimezone(tz).date(), visit.start, visit.end)
        ):
            params = {
                "visit": visit.key,
                "start": visit.start.isoformat(),
                "end": visit.end.isoformat(),
            }
            yield Problem("outside_visit", params, (*loc, "start"))
        if e.place and (e.place.lat is None) != (e.place.lon is None):
            yield Problem("coordinates_pair", loc=(*loc, "place"))


def _logistics(doc: ProgrammeFile, refs: _Refs, tz: ZoneInfo) -> Iterator[Problem]:
    for i, item in _each(doc, "logistics"):
        loc = ("logistics", i)
        yield from refs.audience(item.audience, (*loc, "audience"))
        if (item.lat is None) != (item.lon is None):
            yield Problem("coordinates_pair", loc=loc)
        times = item.departs is not None or item.arrives is not None
        if times and item.category != "transport":
            yield Problem("transport_only", loc=(*loc, "departs" if item.departs else "arrives"))
        if item.departs and item.arrives and local(item.arrives, tz) <= local(item.departs, tz):
            yield Problem("end_before_start", loc=(*loc, "arrives"))
    for i, faq in _each(doc, "faq"):
        yield from refs.audience(faq.audience, ("faq", i, "audience"))


def _resources(
    doc: ProgrammeFile,
    refs: _Refs,
    base_dir: Path | None,
    files: dict[str, ResourceFile],
    stored: Mapping[str, ResourceFile],
) -> Iterator[Problem]:
    for i, r in _each(doc, "resources"):
        loc = ("resources", i)
        yield from refs.audience(r.audience, (*loc, "audience"))
        if (r.url is None) == (r.file is None):
            yield Problem("url_or_file", loc=loc)
            continue
        if r.file is None:
            continue
        if base_dir is None:
            problem, found = stored_resource(r.key, r.file, stored)
        else:
            problem, found = read_resource(r.file, base_dir)
        if problem:
            yield Problem(
                problem, {"path": r.file, "limit": str(RESOURCE_LIMIT_MB)}, (*loc, "file")
            )
        elif found:
            files[r.key] = found


def stored_resource(
    key: str, relative: str, stored: Mapping[str, ResourceFile]
) -> tuple[str | None, ResourceFile | None]:
    """A file reference of a programme file that has no folder (sent to the bot): only the file
    the resource ``key`` already has in the database, by the same name (as ``export`` writes it:
    ``<name>`` or ``<key>-<name>``), can be meant."""
    found = stored.get(key)
    name = PurePath(relative).name
    if found is None or name not in (found.name, f"{key}-{found.name}"):
        return "file_not_stored", None
    return None, found


def read_resource(relative: str, base_dir: Path) -> tuple[str | None, ResourceFile | None]:
    """(problem code, None) or (None, the file); the path must stay inside ``base_dir``."""
    root = base_dir.resolve()
    path = (root / relative).resolve()
    if Path(relative).is_absolute() or not path.is_relative_to(root):
        return "file_outside", None
    if not path.is_file():
        return "file_missing", None
    if path.stat().st_size > RESOURCE_LIMIT_MB * 1024 * 1024:
        return "resource_too_large", None
    return None, ResourceFile(path.name, path.read_bytes())


def check(
    doc: ProgrammeFile,
    base_dir: Path | None,
    invalid: set[str] | frozenset[str] = frozenset(),
    stored: Mapping[str, ResourceFile] | None = None,
) -> tuple[list[Problem], dict[str, ResourceFile]]:
    """Every problem across records, and the resource files read (by resource key).

    ``doc`` may be partial (see :func:`partial_document`); ``invalid`` are the keys of the records
    left out of it. Without ``base_dir`` (a file sent to the bot), ``file:`` references resolve
    only to the files in ``stored`` (resource key -> the file the database holds)."""
    tz = ZoneInfo(doc.programme.timezone) if doc.programme else ZoneInfo("UTC")
    refs = _Refs(doc, set(invalid))
    files: dict[str, ResourceFile] = {}
    problems = [
        *_duplicates(doc),
        *_structure(doc, refs),
        *_events(doc, refs, tz),
        *_logistics(doc, refs, tz),
        *_resources(doc, refs, base_dir, files, stored or {}),
        *(
            Problem(p.code, p.params, p.loc)
            for p in check_surveys(doc.surveys, doc.survey_questions, refs.visits, refs.invalid)
        ),
    ]
    return problems, files


def partial_document(data: dict[str, Any]) -> tuple[ProgrammeFile, set[str]]:
    """The records of ``data`` that pass typed validation on their own (the others are None),
    and the keys of those that do not: enough to check references across the valid ones."""
    invalid: set[str] = set()
    fields: dict[str, Any] = {}
    for section in RECORD_SECTIONS:
        items = data.get(section)
        model = ProgrammeFile.model_fields[section].annotation.__args__[0]  # list[Model]
        records: list[Any] = []
        for item in items if isinstance(items, list) else []:
            try:
                records.append(model.model_validate(item))
            except ValidationError:
                records.append(None)
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    invalid.add(item["key"])
        fields[section] = records
    try:
        fields["programme"] = ProgrammeInfo.model_validate(data.get("programme"))
    except ValidationError:
        fields["programme"] = None
    return ProgrammeFile.model_construct(**fields), invalid
