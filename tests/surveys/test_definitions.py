"""Survey definitions in the programme file: the demo's surveys import, round-trip through YAML
and XLSX, and bad definitions are rejected with their location."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import Survey, SurveyQuestion
from bot.programme.demo import DEMO_PATH
from bot.programme.export import export_file
from bot.programme.importer import import_file
from bot.programme.loader import load_bytes


async def stored(db: Database) -> list[tuple[Any, ...]]:
    async with db.session() as s:
        surveys = [
            (
                x.key,
                x.title,
                x.anonymous,
                x.opens,
                x.open_delay_minutes,
                x.closes_at,
                x.visit_id,
                x.reminder_hours,
                x.closed_at,
            )
            for x in (await s.execute(select(Survey).order_by(Survey.key))).scalars()
        ]
        questions = [
            (
                q.survey_id,
                q.key,
                q.position,
                q.kind,
                q.text,
                q.required,
                q.choices,
                q.low_label,
                q.high_label,
            )
            for q in (
                await s.execute(select(SurveyQuestion).order_by(SurveyQuestion.key))
            ).scalars()
        ]
    return surveys + questions


async def test_demo_surveys_import_and_round_trip(db: Database, tmp_path: Path) -> None:
    result = await import_file(db, DEMO_PATH)  # the demo holds the surveys
    assert result.problems == []
    before = await stored(db)
    async with db.session() as s:
        post = (await s.execute(select(Survey).where(Survey.key == "post-visit"))).scalar_one()
        questions = (
            await s.execute(
                select(SurveyQuestion)
                .where(SurveyQuestion.survey_id == post.id)
                .order_by(SurveyQuestion.position)
            )
        ).scalars()
        questions = list(questions)
    assert post.anonymous and post.reminder_hours == [24, 48] and post.visit_id is not None
    assert [q.kind for q in questions] == [
        "rating",
        "nps",
        "single",
        "multiple",
        "yes_no",
        "text",
        "text",
    ]
    assert questions[2].choices[1] == {
        "key": "2",
        "text": {"uk": "Виїзди на місця", "sl": "Ogledi na terenu", "en": "Field visits"},
    }
    for name in ("exported.yaml", "exported.xlsx"):
        path = await export_file(db, tmp_path / name)
        again = await import_file(db, path)
        assert again.problems == [], name
        assert await stored(db) == before, name
        async with db.session() as s:  # the questions did not change: cached copies hold
            assert await s.scalar(
                select(Survey.questions_revision).where(Survey.id == post.id)
            ) == (post.questions_revision), name


async def test_a_reworded_question_reaches_a_survey_in_progress(
    db: Database, tmp_path: Path
) -> None:
    """The questions are cached per process by their revision: an import that rewords one gives
    the survey a new revision, and the next step of someone half-way through shows the new text."""
    from datetime import UTC, datetime

    from bot.db.models import Account, SurveyParticipation
    from bot.surveys import flow

    assert (await import_file(db, DEMO_PATH)).problems == []
    now = datetime(2023, 10, 12, 16, 0, tzinfo=UTC)
    async with db.session() as s:
        survey_id = await s.scalar(select(Survey.id).where(Survey.key == "post-visit"))
        assert survey_id is not None
        s.add(Account(telegram_id=77, first_name="Anna", created_at=now, last_seen_at=now))
        await s.flush()
        s.add(SurveyParticipation(survey_id=survey_id, telegram_id=77, invited_at=now))
    async with db.session() as s:
        _outcome, state = await flow.show(s, survey_id, 77, now)
    assert state is not None and state.questions[0].key == "pv-useful"
    path = await export_file(db, tmp_path / "reworded.yaml")
    data = yaml.safe_load(path.read_text())
    first = next(q for q in data["survey_questions"] if q["key"] == "pv-useful")
    first["text"]["en"] = "How useful was the visit, all in all?"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert (await import_file(db, path)).problems == []
    async with db.session() as s:
        _outcome, state = await flow.show(s, survey_id, 77, now)
    assert state is not None
    assert state.questions[0].text["en"] == "How useful was the visit, all in all?"


def problems_of(surveys: list[dict[str, Any]], questions: list[dict[str, Any]]) -> list[str]:
    data = yaml.safe_load(DEMO_PATH.read_text(encoding="utf-8"))
    data["surveys"], data["survey_questions"] = surveys, questions
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    result = load_bytes(text.encode(), "programme.yaml")
    assert not result.ok
    return [p.render("en") for p in result.problems]


FULL = {"uk": "Так?", "sl": "Da?", "en": "Yes?"}


def test_empty_choices_and_incomplete_languages_are_rejected_with_the_place() -> None:
    problems = problems_of(
        [{"key": "s1", "title": {"uk": "Опитування", "en": "Survey"}}],
        [
            {
                "survey": "s1",
                "key": "q1",
                "type": "single",
                "text": FULL,
                "choices": {"uk": "А | | В", "sl": "A | B | C", "en": "A | B | C"},
            },
            {"survey": "s1", "key": "q2", "type": "rating", "text": FULL},
            {"survey": "nope", "key": "q3", "type": "text", "text": FULL},
        ],
    )
    text = "\n".join(problems)
    assert "surveys[s1].title" in text and "missing: sl" in text
    assert "survey_questions[q1].choices" in text and "uk choices include an empty one" in text
    assert "survey_questions[q2]" in text and "low and high labels" in text
    assert all("programme.yaml, line" in p for p in problems)


def test_unknown_survey_and_survey_without_questions_are_rejected() -> None:
    problems = problems_of(
        [{"key": "lonely", "title": FULL, "visit": "no-such-visit"}],
        [{"survey": "nope", "key": "q3", "type": "text", "text": FULL}],
    )
    text = "\n".join(problems)
    assert "no visit has the key “no-such-visit”" in text
    assert "no survey has the key “nope”" in text
    assert "the survey “lonely” has no questions" in text
