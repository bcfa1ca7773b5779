"""Programme files: import, change summary, idempotence, round trips, the demo, the schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.base import Base
from bot.db.engine import Database
from bot.db.models import Event, FaqEntry, LogisticsItem, Programme, Resource
from bot.i18n import LANGUAGES
from bot.programme.demo import DEMO_PATH, ensure_demo
from bot.programme.export import export_file
from bot.programme.importer import import_file
from bot.programme.schema import json_schema

SMALL = """\
programme:
  name: {uk: Програма, sl: Program, en: Programme}
  timezone: Europe/Ljubljana
municipalities:
  - {key: dom, name: Domžale, country: SI}
  - {key: zav, name: Zavodske, country: UA}
delegations:
  - {key: zav, name: Zavodske, municipality: zav}
visits:
  - {key: v1, title: Visit, delegation: zav, host: dom, start: 2023-10-08, end: 2023-10-28}
events:
  - key: e1
    start: 2023-10-09T09:00
    end: 2023-10-09T10:00
    title: Opening
    place: {name: Town hall, address: Ljubljanska cesta 69, lat: 46.13, lon: 14.59}
    audience: {visit: v1}
  - key: e2
    start: 2023-10-10T09:00
    end: 2023-10-10T10:00
    title: {uk: Пожежна частина, sl: Gasilski dom, en: Fire station}
"""


async def snapshot(db: Database) -> dict[str, list[Any]]:
    """Every row of every table, to show that a rejected import changed nothing (the delivery
    workers' heartbeats and shared rate change on their own, every few seconds: left out)."""
    result: dict[str, list[Any]] = {}
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in ("delivery_worker", "delivery_budget"):
                continue
            rows = (await session.execute(select(table))).all()
            result[table.name] = sorted(repr(tuple(row)) for row in rows)
    return result


def write(tmp_path: Path, text: str, name: str = "programme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_import_then_reimport_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    first = await import_file(db, path)
    assert first.ok and len(first.summary.events_added) == 2
    assert first.summary.records["municipalities"].added == ["dom", "zav"]
    before = await snapshot(db)
    again = await import_file(db, path)
    assert again.summary is not None and again.summary.empty
    assert await snapshot(db) == before
    async with db.session() as session:
        programme = await session.get(Programme, 1)
        assert programme is not None and programme.content_version == 1
        e1 = await session.scalar(select(Event).where(Event.key == "e1"))
        assert e1 is not None
        assert e1.starts_at == datetime(2023, 10, 9, 7, 0, tzinfo=UTC)  # 09:00 CEST
        assert e1.title == dict.fromkeys(LANGUAGES, "Opening")


async def test_moved_and_removed_event_are_summarised(db: Database, tmp_path: Path) -> None:
    await import_file(db, write(tmp_path, SMALL))
    moved = SMALL.replace("2023-10-09T09:00", "2023-10-11T14:00").replace(
        "2023-10-09T10:00", "2023-10-11T15:00"
    )
    moved = moved[: moved.index("  - key: e2")]  # e2 removed from the file
    dry = await import_file(db, write(tmp_path, moved), dry_run=True)
    assert dry.summary is not None and dry.summary.dry_run
    assert [c.key for c in dry.summary.events_changed] == ["e1"]
    async with db.session() as session:  # the dry run wrote nothing
        e1 = await session.scalar(select(Event).where(Event.key == "e1"))
        assert e1 is not None and e1.revision == 1

    result = await import_file(db, write(tmp_path, moved))
    summary = result.summary
    assert summary is not None
    (change,) = summary.events_changed
    assert change.time_changed and not change.place_changed
    assert change.old is not None and change.new is not None
    assert change.old.starts_at == datetime(2023, 10, 9, 7, 0, tzinfo=UTC)
    assert change.new.starts_at == datetime(2023, 10, 11, 12, 0, tzinfo=UTC)
    assert change.revision == 2
    (cancelled,) = summary.events_cancelled
    assert cancelled.key == "e2" and cancelled.new is None and cancelled.old is not None
    assert summary.content_version == 2
    text = summary.render(tz=__import__("zoneinfo").ZoneInfo("Europe/Ljubljana"), lang="en")
    assert "e1" in text and "→" in text and "e2" in text
    async with db.session() as session:
        rows = {e.key: e for e in (await session.scalars(select(Event))).all()}
    assert rows["e2"].cancelled and not rows["e1"].cancelled
    assert rows["e1"].revision == 2


async def test_demo_loads_once_and_is_complete_in_three_languages(db: Database) -> None:
    summary = await ensure_demo(db)
    assert summary is not None and len(summary.events_added) >= 30
    assert await ensure_demo(db) is None  # a programme is there: nothing loaded again
    async with db.session() as session:
        faq = (await session.scalars(select(FaqEntry))).all()
        logistics = (await session.scalars(select(LogisticsItem))).all()
        files = (await session.execute(select(Resource.key, Resource.file_content))).all()
    assert 25 <= len(faq) <= 35
    assert {"transport", "accommodation", "emergency", "money", "tip", "contact"} <= {
        item.category for item in logistics
    }
    assert sum(1 for _, content in files if content) >= 2
    incomplete = []
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:
            if table.name not in {
                "programme",
                "municipality",
                "delegation",
                "visit",
                "participant",
                "event",
                "logistics_item",
                "resource",
                "faq_entry",
            }:
                continue
            for row in (await session.execute(select(table))).mappings():
                for column, value in row.items():
                    if column == "keywords" or not isinstance(value, dict) or not value:
                        continue
                    if set(value) != set(LANGUAGES) or not all(value.values()):
                        incomplete.append((table.name, row.get("key"), column))
    assert incomplete == []


async def test_yaml_and_xlsx_round_trip_without_changes(db: Database, tmp_path: Path) -> None:
    await ensure_demo(db)
    for name in ("exported.yaml", "exported.xlsx"):
        path = await export_file(db, tmp_path / name)
        before = await snapshot(db)
        result = await import_file(db, path)
        assert result.problems == []
        assert result.summary is not None and result.summary.empty, name
        assert await snapshot(db) == before
    assert (tmp_path / "exported_files" / "welcome-pack.txt").is_file()


async def test_changed_resource_file_is_stored(db: Database, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_bytes(b"first")
    text = SMALL + "resources:\n  - {key: r1, title: Doc, file: docs/a.txt}\n"
    path = write(tmp_path, text)
    await import_file(db, path)
    (tmp_path / "docs" / "a.txt").write_bytes(b"second")
    result = await import_file(db, path)
    assert result.summary is not None and result.summary.records["resources"].changed == ["r1"]
    async with db.session() as session:
        content = await session.scalar(select(Resource.file_content))
    assert content == b"second"


def test_committed_json_schema_is_current() -> None:
    committed = Path(DEMO_PATH).parent.parent / "programme.schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate: python -m bot schema > bot/programme/programme.schema.json"
    )


async def test_rating_off_is_stored_as_no_rating(db: Database, tmp_path: Path) -> None:
    """``rating: off`` on a new event must not give way to a default of 15 minutes."""
    text = SMALL.replace("    title: Opening\n", "    title: Opening\n    rating: off\n")
    text = text.replace("title: {uk: Пожежна", "rating: 5\n    title: {uk: Пожежна")
    assert (await import_file(db, write(tmp_path, text))).ok
    async with db.session() as session:
        rows = dict((await session.execute(select(Event.key, Event.rating_delay_minutes))).all())
    assert rows == {"e1": None, "e2": 5}
    exported = await export_file(db, tmp_path / "exported.yaml")
    assert "rating: 'off'" in exported.read_text(encoding="utf-8")  # quoted: not a YAML 1.1 bool
    again = await import_file(db, exported)
    assert again.summary is not None and again.summary.empty
