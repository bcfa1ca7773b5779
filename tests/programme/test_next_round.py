"""The next round: importing a new visit after the first has ended archives the old one.

The demo's October 2023 visit has ratings and a survey response; in March 2024 the programme
office imports the spring round's file, which no longer lists the old visit, its delegation or its
people. The old visit is archived, not deleted: its delegation, towns, events, ratings and survey
results stay readable, nobody's agenda shows it any more, the new round is in place, and both
re-importing the new file and an export followed by an import change nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.agenda.service import EVERYTHING, agenda, dossiers, load_content, scope_for, visible_event
from bot.db.engine import Database
from bot.db.models import (
    Account,
    Delegation,
    Event,
    Municipality,
    SessionRating,
    Survey,
    SurveyResponse,
    Visit,
)
from bot.infra.clock import ManualClock
from bot.people.access import Role, Viewer
from bot.programme.demo import DEMO_PATH
from bot.programme.export import export_file
from bot.programme.importer import import_file
from bot.surveys.results import event_ratings, survey_results

OLD_VISIT = "zavodske-domzale-2023"
LJUBLJANA = ZoneInfo("Europe/Ljubljana")

SPRING = """\
programme:
  name: {uk: Відбудова України — менторська програма, sl: Obnova Ukrajine — mentorski program,
         en: Reconstruction of Ukraine — mentoring programme}
  timezone: Europe/Ljubljana
  default_language: uk
municipalities:
  - {key: domzale, name: {uk: Домжале, sl: Domžale, en: Domžale}, country: SI}
  - {key: bucha, name: {uk: Буча, sl: Buča, en: Bucha}, country: UA}
delegations:
  - key: bucha
    name: {uk: Делегація Бучі, sl: Delegacija Buče, en: Bucha delegation}
    municipality: bucha
visits:
  - key: bucha-domzale-2024
    title: {uk: Візит до Домжале, sl: Obisk v Domžalah, en: Visit to Domžale}
    delegation: bucha
    host: domzale
    start: 2024-04-08
    end: 2024-04-26
events:
  - key: spring-opening
    start: 2024-04-08T09:00
    end: 2024-04-08T10:00
    title: {uk: Відкриття, sl: Odprtje, en: Opening}
    audience: {visit: bucha-domzale-2024}
participants:
  - {key: mentee-iryna, name: Ірина Бондар, role: mentee, delegation: bucha, language: uk}
"""


async def _history(db: Database, clock: ManualClock) -> tuple[int, int]:
    """A rating of one of the old visit's sessions and a response to its survey."""
    async with db.session() as s:
        visit_id = await s.scalar(select(Visit.id).where(Visit.key == OLD_VISIT))
        event_id = await s.scalar(select(Event.id).where(Event.visit_id == visit_id).limit(1))
        survey = (await s.execute(select(Survey).where(Survey.visit_id == visit_id))).scalar_one()
        s.add(Account(telegram_id=777, first_name="Olena", language="uk"))
        await s.flush()
        s.add(SessionRating(event_id=event_id, telegram_id=777, stars=4, created_at=clock.now(),
                            updated_at=clock.now()))  # fmt: skip
        s.add(SurveyResponse(id="a" * 32, survey_id=survey.id, answers={}))
        return visit_id, survey.id


async def test_the_next_round_archives_the_old_visit(db: Database, tmp_path: Path) -> None:
    clock = ManualClock(datetime(2023, 10, 9, 7, 0, tzinfo=UTC))
    assert (await import_file(db, DEMO_PATH, clock=clock)).summary is not None
    old_visit, old_survey = await _history(db, clock)
    async with db.session() as s:
        old_events = await s.scalar(select(func.count()).where(Event.visit_id == old_visit))

    clock.set(datetime(2024, 3, 1, 9, 0, tzinfo=UTC))
    spring = tmp_path / "spring.yaml"
    spring.write_text(SPRING, encoding="utf-8")
    summary = (await import_file(db, spring, clock=clock)).summary
    assert summary is not None
    visits = summary.records["visits"]
    assert visits.archived == [OLD_VISIT] and visits.added == ["bucha-domzale-2024"]
    assert OLD_VISIT not in visits.removed + visits.changed
    assert f"1 archived ({OLD_VISIT})" in summary.render(LJUBLJANA, "en")

    async with db.session() as s:
        visit = await s.get(Visit, old_visit)
        assert visit is not None and visit.archived_at == clock.now()
        assert await s.get(Delegation, visit.delegation_id) is not None
        events = (await s.scalars(select(Event).where(Event.visit_id == old_visit))).all()
        assert len(events) == old_events and not any(e.cancelled for e in events)
        assert await s.scalar(select(func.count()).select_from(SessionRating)) == 1
        results = await survey_results(s, old_survey, min_responses=1)
        assert results is not None and len(results.responses) == 1
        survey = await s.get(Survey, old_survey)
        assert survey is not None and survey.closed_at is not None

    # The agenda is the new round's: coordinators and the host town no longer see the old visit.
    async with db.session() as s:
        content = await load_content(s, 0, LJUBLJANA)
        domzale = await s.scalar(select(Municipality.id).where(Municipality.key == "domzale"))
        ratings = await event_ratings(s, Viewer(1, "Maja", "en", "en", Role.COORDINATOR))
    assert [r.count for r in ratings] == [1]  # the old visit's rating is still readable
    host = scope_for(content, Role.HOST, None, domzale)
    for scope in (EVERYTHING, host):
        shown = agenda(content, scope).events
        assert [e.key for e in shown] == ["spring-opening"], [e.key for e in shown]
        assert [d.visit.key for d in dossiers(content, scope)] == ["bucha-domzale-2024"]
    assert all(visible_event(content, EVERYTHING, e.id) is None for e in events)

    again = (await import_file(db, spring, clock=clock)).summary
    assert again is not None and again.empty
    exported = await export_file(db, tmp_path / "export.yaml")
    round_trip = (await import_file(db, exported, clock=clock)).summary
    assert round_trip is not None and round_trip.empty, round_trip.render(LJUBLJANA, "en")
