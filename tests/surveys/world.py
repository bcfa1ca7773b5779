"""A small programme for the feedback tests: one visit, three mentees, two hosts, two events and
two surveys (a named post-visit survey with every question type, an anonymous manual one)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.engine import Database
from bot.db.models import Delegation, Event, Municipality, Participant, Survey, Visit
from bot.surveys.definition import SurveyQuestionRecord, SurveyRecord, apply_surveys

TZ = ZoneInfo("Europe/Ljubljana")
VISIT_END = datetime(2023, 10, 12, 14, 0, tzinfo=UTC)  # 16:00 in Ljubljana


def t(en: str, uk: str, sl: str) -> dict[str, str]:
    return {"en": en, "uk": uk, "sl": sl}


SURVEYS: list[dict[str, Any]] = [
    {
        "key": "post-visit",
        "title": t("After the visit", "Після візиту", "Po obisku"),
        "opens": "visit_end",
        "delay": 60,
        "visit": "v1",
        "reminders": 2,
        "reminder_after": 24,
    },
    {
        "key": "anon",
        "title": t("Honest feedback", "Чесний відгук", "Iskreno mnenje"),
        "anonymous": True,
        "opens": "manual",
    },
]

QUESTIONS: list[dict[str, Any]] = [
    {
        "survey": "post-visit",
        "key": "useful",
        "type": "rating",
        "text": t(
            "How useful was the visit?",
            "Наскільки корисним був візит?",
            "Kako koristen je bil obisk?",
        ),
        "low": t("not at all", "зовсім ні", "sploh ne"),
        "high": t("very", "дуже", "zelo"),
    },
    {
        "survey": "post-visit",
        "key": "recommend",
        "type": "nps",
        "text": t("Would you recommend it?", "Чи порадили б ви його?", "Bi ga priporočili?"),
        "low": t("never", "ніколи", "nikoli"),
        "high": t("surely", "напевно", "zagotovo"),
    },
    {
        "survey": "post-visit",
        "key": "best",
        "type": "single",
        "text": t("Best part?", "Найкраща частина?", "Najboljši del?"),
        "choices": t(
            "Sessions | Field visits | People",
            "Зустрічі | Виїзди | Люди",
            "Srečanja | Ogledi | Ljudje",
        ),
    },
    {
        "survey": "post-visit",
        "key": "topics",
        "type": "multiple",
        "text": t("Topics to go deeper?", "Теми для поглиблення?", "Teme za poglobitev?"),
        "choices": t(
            "Floods | Funds | Planning",
            "Повені | Фонди | Планування",
            "Poplave | Skladi | Načrtovanje",
        ),
    },
    {
        "survey": "post-visit",
        "key": "again",
        "type": "yes_no",
        "text": t("Would you come again?", "Чи приїхали б ви знову?", "Bi prišli znova?"),
    },
    {
        "survey": "post-visit",
        "key": "idea",
        "type": "text",
        "required": False,
        "text": t(
            "One idea you take home?",
            "Одна ідея, яку ви візьмете додому?",
            "Ena zamisel, ki jo nesete domov?",
        ),
    },
    {
        "survey": "post-visit",
        "key": "other",
        "type": "text",
        "required": False,
        "text": t("Anything else?", "Щось іще?", "Še kaj?"),
    },
    {
        "survey": "anon",
        "key": "mood",
        "type": "rating",
        "text": t("How do you feel?", "Як ви почуваєтеся?", "Kako se počutite?"),
        "low": t("bad", "погано", "slabo"),
        "high": t("great", "чудово", "odlično"),
    },
    {
        "survey": "anon",
        "key": "worry",
        "type": "text",
        "text": t("What worries you?", "Що вас турбує?", "Kaj vas skrbi?"),
    },
]


async def build(db: Database, now: datetime) -> dict[str, int]:
    """Create the programme; returns ids by name."""
    async with db.session() as s:
        host_town = Municipality(
            key="domzale", name=t("Domžale", "Домжале", "Domžale"), country="SI"
        )
        other_town = Municipality(
            key="kocevje", name=t("Kočevje", "Кочев’є", "Kočevje"), country="SI"
        )
        home = Municipality(
            key="zavodske", name=t("Zavodske", "Заводське", "Zavodske"), country="UA"
        )
        s.add_all([host_town, other_town, home])
        await s.flush()
        delegation = Delegation(key="zavodske", name=home.name, municipality_id=home.id)
        s.add(delegation)
        await s.flush()
        visit = Visit(
            key="v1",
            title=t("Visit to Domžale", "Візит до Домжале", "Obisk v Domžalah"),
            delegation_id=delegation.id,
            host_municipality_id=host_town.id,
            starts_on=date(2023, 10, 9),
            ends_on=date(2023, 10, 12),
        )
        s.add(visit)
        await s.flush()
        for n in range(1, 4):
            s.add(
                Participant(
                    key=f"mentee-{n}",
                    name=f"Mentee {n}",
                    role="mentee",
                    delegation_id=delegation.id,
                )
            )
        s.add(Participant(key="host-1", name="Host One", role="host", municipality_id=host_town.id))
        s.add(
            Participant(key="host-2", name="Host Two", role="host", municipality_id=other_town.id)
        )
        talk = Event(
            key="talk",
            starts_at=datetime(2023, 10, 9, 7, 0, tzinfo=UTC),
            ends_at=datetime(2023, 10, 9, 8, 0, tzinfo=UTC),
            title=t("Civil protection", "Цивільний захист", "Civilna zaščita"),
            visit_id=visit.id,
            rating_delay_minutes=15,
        )
        dinner = Event(
            key="dinner",
            starts_at=datetime(2023, 10, 9, 17, 0, tzinfo=UTC),
            ends_at=datetime(2023, 10, 9, 19, 0, tzinfo=UTC),
            title=t("Dinner", "Вечеря", "Večerja"),
            visit_id=visit.id,
        )
        closing = Event(
            key="closing",
            starts_at=datetime(2023, 10, 12, 12, 0, tzinfo=UTC),
            ends_at=VISIT_END,
            title=t("Closing", "Закриття", "Zaključek"),
            visit_id=visit.id,
            rating_delay_minutes=0,
        )
        s.add_all([talk, dinner, closing])
        await s.flush()
        dinner.rating_delay_minutes = None  # on insert, None would give way to the default
        await s.flush()
        await apply_surveys(
            s,
            [SurveyRecord.model_validate(x) for x in SURVEYS],
            [SurveyQuestionRecord.model_validate(x) for x in QUESTIONS],
            TZ,
            now,
        )
        ids = {
            "visit": visit.id,
            "talk": talk.id,
            "dinner": dinner.id,
            "closing": closing.id,
            "delegation": delegation.id,
        }
        for survey in (await s.execute(Survey.__table__.select())).all():
            ids[survey.key] = survey.id
        return ids
