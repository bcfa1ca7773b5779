"""Writing the database's programme back to a file (YAML or XLSX) that imports without changes.

Times are written naive, in the programme's time zone; a text that is the same in every language
is written as one string; resource files are written into a folder beside the file
(``<name>_files/``) and referred to by relative path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from bot.db.engine import Database
from bot.db.models import (
    Delegation,
    Event,
    FaqEntry,
    LogisticsItem,
    Municipality,
    Participant,
    Programme,
    Resource,
    Visit,
)
from bot.i18n import LANGUAGES
from bot.programme.importer import PROGRAMME_ID
from bot.programme.schema import ProgrammeFile
from bot.programme.xlsx_io import write_xlsx
from bot.programme.yaml_io import dump_yaml
from bot.surveys.definition import export_survey_questions, export_surveys


class NothingToExport(Exception):
    """The database holds no programme."""


def text(value: dict[str, str] | None) -> str | dict[str, str] | None:
    """A stored text as written in the file: one string when every language has the same."""
    if not value:
        return None
    values = [value.get(lang) for lang in LANGUAGES]
    if len(set(values)) == 1 and values[0] and set(value) <= set(LANGUAGES):
        return values[0]
    return dict(value)


class _Reader:
    def __init__(self, session: AsyncSession, tz: ZoneInfo, files_dir: Path) -> None:
        self.session = session
        self.tz = tz
        self.files_dir = files_dir
        self.keys: dict[str, dict[int, str]] = {}
        self.files: dict[str, bytes] = {}
        #: Archived visits (past rounds): left out of the file with their events and surveys.
        self.archived: set[int] = set()
        self.archived_surveys: set[int] = set()

    async def rows(self, model: type[Any], section: str, *options: Any) -> list[Any]:
        rows = list((await self.session.scalars(select(model).options(*options))).all())
        self.keys[section] = {r.id: r.key for r in rows}
        if "position" in model.__table__.c and isinstance(model.__table__.c.position.type, Integer):
            return sorted(rows, key=lambda r: (r.position, r.id))
        return sorted(rows, key=lambda r: r.id)

    def time(self, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(self.tz).replace(tzinfo=None)

    def audience(self, row: Any) -> dict[str, str]:
        audience = {}
        if getattr(row, "visit_id", None):
            audience["visit"] = self.keys["visits"][row.visit_id]
        if row.delegation_id:
            audience["delegation"] = self.keys["delegations"][row.delegation_id]
        return audience

    def file(self, row: Resource) -> str:
        name = row.file_name or row.key
        relative = f"{self.files_dir.name}/{name}"
        if relative in self.files:
            relative = f"{self.files_dir.name}/{row.key}-{name}"
        self.files[relative] = row.file_content or b""
        return relative


async def _municipalities(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "name": text(m.name),
            "country": m.country,
            "description": text(m.description),
        }
        for m in await r.rows(Municipality, "municipalities")
    ]


async def _delegations(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": d.key,
            "name": text(d.name),
            "municipality": r.keys["municipalities"][d.municipality_id],
        }
        for d in await r.rows(Delegation, "delegations")
    ]


async def _visits(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": v.key,
            "title": text(v.title),
            "delegation": r.keys["delegations"][v.delegation_id],
            "host": r.keys["municipalities"][v.host_municipality_id],
            "start": v.starts_on,
            "end": v.ends_on,
            "topics": text(v.topics),
        }
        for v in await r.rows(Visit, "visits")
        if not _archive(r, v)
    ]


def _archive(r: _Reader, visit: Visit) -> bool:
    if visit.archived_at is not None:
        r.archived.add(visit.id)
    return visit.archived_at is not None


async def _events(r: _Reader) -> list[dict[str, Any]]:
    events = []
    for e in await r.rows(Event, "events"):
        if e.cancelled or e.visit_id in r.archived:
            continue
        place = {
            "name": text(e.place_name),
            "address": e.address,
            "lat": e.latitude,
            "lon": e.longitude,
        }
        events.append(
            {
                "key": e.key,
                "start": r.time(e.starts_at),
                "end": r.time(e.ends_at),
                "title": text(e.title),
                "description": text(e.description),
                "place": place,
                "host": text(e.host_organisation),
                "audience": r.audience(e),
                "rating": "off" if e.rating_delay_minutes is None else e.rating_delay_minutes,
            }
        )
    return sorted(events, key=lambda e: (e["start"], e["key"]))


async def _logistics(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": i.key,
            "category": i.category,
            "title": text(i.title),
            "body": text(i.body),
            "address": i.address,
            "lat": i.latitude,
            "lon": i.longitude,
            "phone": i.phone,
            "email": i.email,
            "url": i.url,
            "departs": r.time(i.departs_at),
            "arrives": r.time(i.arrives_at),
            "meeting_point": text(i.meeting_point),
            "audience": r.audience(i),
            "public": i.public,
        }
        for i in await r.rows(LogisticsItem, "logistics")
    ]


async def _resources(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": x.key,
            "category": x.category,
            "title": text(x.title),
            "description": text(x.description),
            "url": x.url,
            "file": r.file(x) if x.file_content is not None else None,
            "audience": r.audience(x),
            "public": x.public,
        }
        for x in await r.rows(Resource, "resources", undefer(Resource.file_content))
    ]


async def _faq(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": f.key,
            "question": text(f.question),
            "answer": text(f.answer),
            "keywords": f.keywords or None,
            "audience": r.audience(f),
            "public": f.public,
        }
        for f in await r.rows(FaqEntry, "faq")
    ]


async def _participants(r: _Reader) -> list[dict[str, Any]]:
    return [
        {
            "key": p.key,
            "name": p.name,
            "role": p.role,
            "delegation": r.keys["delegations"].get(p.delegation_id or 0),
            "municipality": r.keys["municipalities"].get(p.municipality_id or 0),
            "language": p.language,
            "position": text(p.position),
            "gender": p.gender,
        }
        for p in await r.rows(Participant, "participants")
    ]


#: Section readers in an order where every section comes after those it refers to.
SECTION_EXPORTERS: dict[str, Callable[[_Reader], Awaitable[list[dict[str, Any]]]]] = {
    "municipalities": _municipalities,
    "delegations": _delegations,
    "visits": _visits,
    "participants": _participants,
    "events": _events,
    "logistics": _logistics,
    "resources": _resources,
    "faq": _faq,
    "surveys": export_surveys,
    "survey_questions": export_survey_questions,
}


def _clean(value: Any) -> Any:
    """Drop empty values (None, {}, []) so that the file holds only what was given."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


async def export_data(db: Database, files_dir: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The programme as file data (validated by the schema) and the resource files to write
    (relative path -> bytes)."""
    async with db.session() as session:
        programme = await session.get(Programme, PROGRAMME_ID)
        if programme is None:
            raise NothingToExport
        tz = ZoneInfo(programme.timezone)
        reader = _Reader(session, tz, files_dir)
        data: dict[str, Any] = {
            "programme": {
                "name": text(programme.name),
                "timezone": programme.timezone,
                "default_language": programme.default_language,
                "description": text(programme.description),
                "how_to_join": text(programme.how_to_join),
            }
        }
        sections = {name: await read(reader) for name, read in SECTION_EXPORTERS.items()}
    # the file order of the schema
    data |= {name: sections[name] for name in ProgrammeFile.model_fields if name in sections}
    data = _clean(data)
    ProgrammeFile.model_validate(data)  # what we write must read back
    return data, reader.files


def _as_yaml_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_yaml_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_yaml_values(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


YAML_HEADER = "# Programme file exported by the mentoring bot; schema: `python -m bot schema`.\n"


def write_export(path: Path, fmt: str, data: dict[str, Any], files: dict[str, bytes]) -> None:
    for relative, content in files.items():
        target = path.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if fmt == "xlsx":
        path.write_bytes(write_xlsx(data))
    else:
        path.write_text(dump_yaml(_as_yaml_values(data), YAML_HEADER), encoding="utf-8")


async def export_file(db: Database, path: Path, fmt: str | None = None) -> Path:
    """Write the programme to ``path`` (format from ``fmt`` or the suffix) and its resource
    files beside it; returns the path written."""
    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "yaml")
    data, files = await export_data(db, path.parent / f"{path.stem}_files")
    await asyncio.to_thread(write_export, path, fmt, data, files)
    return path
