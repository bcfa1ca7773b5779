"""The text layer of question answering: lemmas of the domain's key words, language detection,
skeletons for typos and Latin-typed Ukrainian, the lexicon, the intents, the ranking."""

from __future__ import annotations

from datetime import date

import pytest

from bot.db.models import LogisticsItem
from bot.questions.service import offered_keys, resolve
from bot.search.content import logistics_document
from bot.search.frequency import information
from bot.search.index import Document, SearchIndex
from bot.search.intents import detect_intent
from bot.search.lexicon import LOOKUP, WEAK_WORDS
from bot.search.links import term_links
from bot.search.parts import question_parts
from bot.search.russian import ukrainian_words
from bot.search.safety import danger_in
from bot.search.text import (
    detect_language,
    lemma,
    skeleton,
    to_cyrillic,
    tokens,
    without_address,
)

MONDAY = date(2023, 10, 9)


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("готелі", "uk", "готель"),
        ("гостиницы", "ru", "гостиница"),
        ("добових", "uk", "добовий"),
        ("суточные", "ru", "суточный"),
        ("dnevnice", "sl", "dnevnica"),
        ("лікаря", "uk", "лікар"),
        ("врача", "ru", "врач"),
        ("zdravnika", "sl", "zdravnik"),
        ("lekarne", "sl", "lekarna"),
        ("автобуса", "ru", "автобус"),
        ("п'ятницю", "uk", "п'ятниця"),
        ("staying", "en", "stay"),
    ],
)
def test_lemmas_of_the_domains_key_words(word: str, lang: str, expected: str) -> None:
    assert lemma(word, lang) == expected


def test_known_lemmatiser_traps_are_caught_by_the_lexicon() -> None:
    # simplemma reads "hotel" as a Slovenian verb (hoteti): the surface form maps to the concept.
    assert lemma("hotel", "sl") != "hotel"
    assert "hotel" in LOOKUP["hotel"]
    assert LOOKUP["гостиница"] == LOOKUP["nastanitev"] == frozenset({"hotel"})
    assert "allowance" in LOOKUP["добові"] and "allowance" in LOOKUP["per diem"]


@pytest.mark.parametrize(
    ("text", "code", "latin"),
    [
        ("Де наш готель?", "uk", False),
        ("где наша гостиница", "ru", False),
        ("Kje je hotel?", "sl", False),
        ("Where is the nearest cinema in Domžale?", "en", False),
        ("koly avtobus", "uk", True),
    ],
)
def test_language_detection(text: str, code: str, latin: bool) -> None:
    language = detect_language(tokens(text))
    assert language is not None and (language.code, language.latin) == (code, latin)


def test_no_language_without_letters() -> None:
    assert detect_language(tokens("112 🙂")) is None


def test_skeletons_join_scripts_and_spellings() -> None:
    assert skeleton("готель") == skeleton("hotel")
    assert skeleton("автобус") == skeleton("avtobus")
    assert to_cyrillic("dobovi") == "добові"


@pytest.mark.parametrize(
    ("text", "name", "day"),
    [
        ("Kaj imamo jutri na programu?", "tomorrow", date(2023, 10, 10)),
        ("що в п'ятницю?", "weekday", date(2023, 10, 13)),
        ("в пятницу что", "weekday", date(2023, 10, 13)),
        ("что будет в пятницу", "weekday", date(2023, 10, 13)),  # "будет" is no food word
        ("kaj je na sporedu v četrtek", "weekday", date(2023, 10, 12)),
        ("що в нас у середу?", "weekday", date(2023, 10, 11)),
        ("куди завтра їдемо?", "tomorrow", date(2023, 10, 10)),
        ("what is on today", "today", MONDAY),
        ("коли наступна зустріч", "next_meeting", None),
        ("where is the hotel", "hotel", None),
        ("koly avtobus", "bus", None),
        ("who is my contact", "contact", None),
    ],
)
def test_intents(text: str, name: str, day: date | None) -> None:
    intent = detect_intent(text, MONDAY)
    assert intent is not None and (intent.name, intent.day) == (name, day)


@pytest.mark.parametrize(
    "text", ["is the pharmacy open tomorrow", "what should I wear tomorrow", "where can I smoke"]
)
def test_questions_with_another_topic_are_not_intents(text: str) -> None:
    assert detect_intent(text, MONDAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "де наш пансіон?",
        "як називається гуртожиток",
        "где находится хостел",
        "kako je ime penziona",
        "where is the guesthouse",
        "what is the name of the dorm",
    ],
)
def test_where_or_what_the_lodging_is_called_is_the_lodging_of_any_kind(text: str) -> None:
    # A programme lodges its guests in a guesthouse, a hostel or a dormitory as well as a hotel.
    intent = detect_intent(text, MONDAY)
    assert intent is not None and intent.name == "hotel"


@pytest.mark.parametrize("text", ["где ключи от апартаментов", "is there a kitchen in the hostel"])
def test_a_question_about_something_at_the_lodging_is_not_where_the_lodging_is(text: str) -> None:
    assert detect_intent(text, MONDAY) is None


def _index() -> SearchIndex:
    return SearchIndex(
        [
            Document(
                "faq:hotel", [("uk", "Де ми живемо? Готель", 4.0), ("en", "Hotel address", 4.0)]
            ),
            Document("faq:pharmacy", [("sl", "Kje je lekarna?", 4.0), ("en", "Pharmacy", 4.0)]),
            Document("faq:allowance", [("en", "How much is the daily allowance?", 4.0)]),
        ]
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("где гостиница", "faq:hotel"),  # Russian, across languages through the lexicon
        ("де аптеак", "faq:pharmacy"),  # a typo
        ("скільки добових", "faq:allowance"),
        ("de hotel", "faq:hotel"),  # Latin-typed Ukrainian
    ],
)
def test_ranking_across_languages_and_typos(text: str, key: str) -> None:
    result = _index().search(text)
    assert result.confident and result.best is not None and result.best.document.key == key


@pytest.mark.parametrize("text", ["what is the capital of Peru", "asdf qwerty", "кінотеатр"])
def test_off_topic_questions_are_declined(text: str) -> None:
    assert not _index().search(text).confident


def test_allowed_filters_what_a_reader_may_see() -> None:
    result = _index().search("hotel", allowed=lambda doc: doc.key != "faq:hotel")
    assert all(m.document.key != "faq:hotel" for m in result.matches)


def test_lexicon_lemmas_never_move_a_word_to_a_function_word_or_another_concept() -> None:
    # simplemma reads Russian "есть" (to eat) as "быть" (to be), "missing" as "miss" (late).
    assert "быть" not in LOOKUP and "будет" not in LOOKUP
    assert LOOKUP["miss"] == frozenset({"late"})


@pytest.mark.parametrize(
    ("word", "concept"),
    [
        ("predavanja", "meeting"),  # lectures
        ("лекції", "meeting"),
        ("talks", "meeting"),
        ("bližini", "near"),
        ("поруч", "near"),
        ("served", "meal"),
        ("strežejo", "meal"),
        ("breakfast", "meal"),
        ("translate", "interpreter"),
        ("перекладатиме", "interpreter"),
        ("ne deluje", "broken"),
        ("не працює", "broken"),
        ("live", "stay"),
    ],
)
def test_lexicon_paraphrases(word: str, concept: str) -> None:
    assert concept in LOOKUP[word]


def test_day_words_are_weak_in_the_search_not_typos() -> None:
    assert {"завтра", "п'ятницею", "sobotah", "среде"} <= WEAK_WORDS.keys()
    index = SearchIndex([Document("faq:breakfast", [("ru", "Когда завтрак?", 4.0)])])
    assert not index.search("завтра").confident  # not a typo of "завтрак"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("v sobi ne deluje", "faq:room"),  # a phrase that begins with a stopword
        ("what time is breakfast served", "faq:breakfast"),
        ("v katerem jeziku bodo predavanja", "faq:language"),
    ],
)
def test_paraphrases_reach_their_entry(text: str, key: str) -> None:
    index = SearchIndex(
        [
            Document("faq:room", [("en", "Something in my room is not working", 4.0)]),
            Document("faq:breakfast", [("en", "When and where is breakfast?", 4.0)]),
            Document("faq:language", [("en", "In what language are the sessions held?", 4.0)]),
            Document("faq:lunch", [("en", "Where do we have lunch?", 4.0)]),
        ]
    )
    result = index.search(text)
    assert result.confident and result.best is not None and result.best.document.key == key


@pytest.mark.parametrize(
    "text", ["how many people live in Ljubljana", "посоветуйте хороший ресторан в Любляне"]
)
def test_place_names_and_general_words_do_not_answer(text: str) -> None:
    index = SearchIndex(
        [
            Document(
                "logistics:arrival", [("en", "Transfer from Ljubljana airport to the hotel", 4.0)]
            ),
            Document("faq:allowance", [("uk", "Скільки грошей добових?", 4.0)]),
        ]
    )
    assert not index.search(text).confident


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("мені дуже погано", "unwell"),
        ("meni duzhe pohano", "unwell"),  # Latin-typed Ukrainian
        ("мне плохо, кружится голова", "unwell"),
        ("slabo mi je", "unwell"),
        ("I feel dizzy", "unwell"),
        ("колега впав і зламав руку", "injury"),
        ("she is bleeding", "injury"),
        ("ДТП на трасі", "accident"),
        ("prometna nesreča", "accident"),
        ("в готелі пожежа", "fire"),
        ("there's smoke in the corridor", "fire"),
        ("v sobi gori", "fire"),
        ("пропал наш коллега", "missing"),
        ("we can't find our colleague", "missing"),
        # added after the second held-out round was scored (its misses, as classes)
        ("мені стало зле", "unwell"),
        ("человеку плохо с сердцем", "unwell"),
        ("у колеги судоми", "unwell"),
        ("алергічна реакція, набрякло обличчя", "unwell"),
        ("my friend has an allergic reaction", "unwell"),
        ("потерялся ребенок", "missing"),
        ("колега загубився в місті", "missing"),
        # added after the third held-out round was scored (its misses, as classes; other wordings)
        ("prijatelju je zelo slabo", "unwell"),
        ("колега не може дихати", "unwell"),
        ("he can't breathe", "unwell"),
        ("колега послизнулася на сходах", "injury"),
        ("в нього кров з носа і не зупиняється", "injury"),
        ("мою колегу збив велосипедист", "accident"),
        ("she was hit by a scooter", "accident"),
        ("a colleague fell into the lake", "accident"),
        ("людина тоне біля берега", "accident"),
        ("в коридорі пахне горілим", "fire"),
        ("спрацювала пожежна сигналізація", "fire"),
        ("nobody has seen Marko since lunch", "missing"),
        ("ніхто не бачив Андрія з ранку", "missing"),
        # added after the fourth held-out round was scored (its misses, as classes; other wordings)
        ("prijateljica se je zgrudila na ulici", "unwell"),
        ("sodelavki je zelo slabo", "unwell"),
        ("boli jo v prsih", "unwell"),
        ("колегу вкусив собака", "injury"),
        ("my friend was stung by a bee and got bitten by a dog", "injury"),
        ("колега зірвався зі сходів і не може встати", "injury"),
        ("she fell and can't get up", "injury"),
        ("у колеги вивернута рука", "injury"),
        ("Оля поїхала на велосипеді до озера і не відповідає вже дві години", "missing"),
        ("Ana went for a run and hasn't answered her phone since noon", "missing"),
        ("Марко з обіду не відповідає", "missing"),
        ("we lost Oksana at the market", "missing"),
        # added after the fifth held-out round was scored (its misses, as classes; other wordings)
        ("Петро пішов на озеро зранку і досі не повернувся, телефон поза зоною", "missing"),
        ("подруга уехала в горы, телефон вне зоны уже весь день", "missing"),
        ("колега не повернулась з прогулянки", "missing"),
        ("Марко пішов у магазин, а тепер його ніде немає", "missing"),
        ("Олег пошёл на пляж, и его нигде нет", "missing"),
        ("Ana je šla na sprehod in je ni nikjer", "missing"),
        ("Tom went hiking and he is nowhere to be found", "missing"),
        ("my colleague went swimming and is nowhere to be found", "missing"),
        ("в коридоре пошёл дым из щитка", "fire"),
        ("в кімнаті валить дим", "fire"),
        ("замкнуло проводку в номері", "fire"),
        ("розетка іскрить", "fire"),
        ("v sobi je bil kratek stik", "fire"),
        ("there was a short circuit and the socket is sparking", "fire"),
    ],
)
def test_danger_in_every_language_and_register(text: str, danger: str) -> None:
    assert danger_in(text) == danger


@pytest.mark.parametrize(
    "text",
    [
        "when do we visit the fire brigade",  # the programme's own topic
        "where can I smoke",
        "пропав інтернет",
        "інтернет зник",
        "my luggage is missing",
        "в номері не горить світло",
        "де купити ліки від головного болю",
        "не повернули гроші за квитки",
        "can I smoke in my room",
        "я загубив паспорт",
        "мені стало краще",
        "is the hotel good for people with allergies",
        "здати кров для донорства",
        "how deep is the lake",
        "can we swim in the river",
        "is there a bike I can rent",
        "is there a report about the big fire in Karst",
        "звіт про пожежу в лісі минулого року",
        "the coordinator is not answering my email",  # not a person gone somewhere
        "we lost our passport",
        "can we stand up during the lecture",
        "ключів ніде немає",
        "паспорта нигде нет",
        "my passport is nowhere to be found",
        "where is the nearest smoking area",
        "двері замкнуло, як відкрити",
        "what's the Wi-Fi range in the rooms",
    ],
)
def test_no_danger_in_what_only_looks_alike(text: str) -> None:
    assert danger_in(text) is None


@pytest.mark.parametrize(
    ("text", "sure", "parts"),
    [
        ("коли сніданок? і о котрій їде фургон?", True, ["коли сніданок", "о котрій їде фургон"]),
        ("where is lunch, and also is there wifi", True, ["where is lunch", "is there wifi"]),
        ("коли сніданок і о котрій їде фургон", False, ["коли сніданок", "о котрій їде фургон"]),
        # "о котрій" asks a second question even when the whole finds a sure answer
        ("коли сніданок і о котрій їде фургон", True, ["коли сніданок", "о котрій їде фургон"]),
        (
            "kdaj je zajtrk in ob kateri uri gre kombi",
            True,
            ["kdaj je zajtrk", "ob kateri uri gre kombi"],
        ),
        ("коли сніданок і обід", True, []),  # sure as a whole, no second question word: one
        ("where is the hotel", False, []),
        ("when is dinner and can we use the gym", True, ["when is dinner", "can we use the gym"]),
    ],
)
def test_question_parts(text: str, sure: bool, parts: list[str]) -> None:
    assert question_parts(text, sure) == parts


def test_general_words_weigh_little_rare_ones_fully() -> None:
    assert information("the", ("en", "sl")) < 0.1
    assert information("name", ("en", "sl")) < information("laundry", ("en", "sl")) == 1.0
    assert information("як", ("uk", "ru")) < information("пральня", ("uk", "ru"))


def test_a_question_about_a_name_is_answered_not_declined() -> None:
    # "називається" appears in no entry; as a general word it no longer counts against it.
    index = SearchIndex(
        [
            Document("logistics:hotel", [("uk", "Готель «Бреза»", 4.0), ("en", "Hotel", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від Wi-Fi", 4.0), ("en", "Wi-Fi password", 4.0)]),
            Document("faq:lunch", [("uk", "Де обід?", 4.0), ("en", "Where is lunch?", 4.0)]),
        ]
    )
    result = index.search("як називається наш готель?")
    assert result.confident and result.best is not None
    assert result.best.document.key == "logistics:hotel"


def test_unsure_questions_get_choices_not_a_wrong_answer() -> None:
    index = SearchIndex(
        [
            Document("faq:sports", [("uk", "Чи можна користуватися спортзалом?", 4.0)]),
            Document("faq:lunch", [("uk", "Де обід?", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ]
    )
    result = index.search("де можна позайматися спортом")  # a word of the same family only
    assert not result.confident
    assert [m.document.key for m in result.choices()] == ["faq:sports"]
    assert index.search("who painted the Mona Lisa").choices() == []


def test_cross_language_links_come_from_the_entries_parallel_texts() -> None:
    entries = [
        {"uk": {"w:гуртожиток", "w:кімната"}, "en": {"w:residence", "w:room"}},
        {"uk": {"w:гуртожиток", "w:вахта"}, "en": {"w:residence", "w:porter"}},
        {"uk": {"w:обід"}, "en": {"w:lunch"}},  # one shared entry proves nothing
    ]
    links = term_links(entries)
    assert links["w:гуртожиток"] == frozenset({"w:residence"})
    assert "w:обід" not in links


def test_a_linked_word_finds_an_entry_written_in_another_language_only() -> None:
    index = SearchIndex(
        [
            Document("faq:a", [("uk", "Гуртожиток: вахта", 4.0), ("en", "Residence: porter", 4.0)]),
            Document(
                "faq:b", [("uk", "Гуртожиток і кухня", 4.0), ("en", "Residence kitchen", 4.0)]
            ),
            Document("faq:c", [("en", "Residence parking permit", 4.0)]),  # English only
            Document("faq:d", [("uk", "Обід", 4.0), ("en", "Lunch", 4.0)]),
        ]
    )
    found = [m.document.key for m in index.search("гуртожиток").matches]
    assert "faq:c" in found


def test_the_programmes_place_names_weigh_little() -> None:
    docs = [
        Document("logistics:dorm", [("uk", "Гуртожиток у Веленє", 4.0)]),
        Document("faq:lunch", [("uk", "Де обід?", 4.0)]),
    ]
    question = "кінотеатр у Веленє"
    assert SearchIndex(docs).search(question).choices()  # the place name looks like a topic
    assert not SearchIndex(docs, weak={"веленє": 0.4}).search(question).choices()


def test_an_faq_and_its_logistics_twin_are_not_rivals_but_two_topics_are() -> None:
    twins = SearchIndex(
        [
            Document("faq:pharmacy", [("en", "Where is the nearest pharmacy?", 4.0)]),
            Document("logistics:pharmacy", [("en", "Pharmacy: the nearest is on the square", 4.0)]),
            Document("faq:lunch", [("en", "Where is lunch?", 4.0)]),
        ]
    )
    assert twins.search("pharmacy").confident
    rivals = SearchIndex(
        [
            Document(
                "faq:exchange",
                [("en", "Exchange hryvnias for euros at a bank or the post office", 4.0)],
            ),
            Document("faq:allowance", [("en", "The daily allowance is paid in euros", 4.0)]),
        ]
    )
    assert not rivals.search("euros").confident


def test_an_items_fields_and_category_answer_questions_its_text_does_not() -> None:
    dorm = LogisticsItem(
        key="dorm", category="accommodation", title={"uk": "Гуртожиток «Липа»"}, body={}
    )
    driver = LogisticsItem(
        key="driver", category="contact", title={"uk": "Водій — Марко"}, body={}, phone="+386 1"
    )
    lunch = LogisticsItem(key="lunch", category="tip", title={"uk": "Обід о 13:00"}, body={})
    index = SearchIndex([logistics_document(i) for i in (dorm, driver, lunch)])
    for question, key in (
        ("де ми живемо", "logistics:dorm"),
        ("телефон водія", "logistics:driver"),
    ):
        result = index.search(question)
        assert result.confident and result.best is not None
        assert result.best.document.key == key


def test_the_entry_a_question_is_about_outranks_one_that_mentions_it_aside() -> None:
    # Every FAQ mentions the hotel; the hotel's own entry is about nothing else.
    index = SearchIndex(
        [
            Document(
                "logistics:hotel",
                [
                    ("uk", "Готель «Бреза», Ново Место", 4.0),
                    ("en", "Hotel Breza, Novo mesto", 4.0),
                    ("en", "Double rooms with breakfast, check-in from 14:00, parking.", 1.0),
                ],
            ),
            Document(
                "faq:gym",
                [
                    ("uk", "Чи є в готелі спортзал?", 4.0),
                    ("en", "Is there a gym at the hotel?", 4.0),
                ],
            ),
            Document(
                "faq:smoking",
                [
                    ("uk", "Чи можна курити в готелі?", 4.0),
                    ("en", "Can I smoke at the hotel?", 4.0),
                ],
            ),
            Document(
                "faq:laundry",
                [
                    ("uk", "Чи можна випрати речі в готелі?", 4.0),
                    ("en", "Can I do laundry at the hotel?", 4.0),
                ],
            ),
        ],
        weak={"ново": 0.4, "место": 0.4, "novo": 0.4, "mesto": 0.4},
    )
    for text in ("як називається наш готель?", "как называется гостиница"):
        best = index.search(text).best
        assert best is not None and best.document.key == "logistics:hotel", text


def test_a_word_with_another_verb_prefix_is_of_the_same_family() -> None:
    index = SearchIndex(
        [
            Document("faq:dinner", [("uk", "Де вечеряти?", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ]
    )
    result = index.search("де повечеряти")
    assert [m.document.key for m in result.matches] == ["faq:dinner"]
    # ... but weaker than the word itself: a prefix also makes another word
    assert result.matches[0].coverage < index.search("де вечеряти").matches[0].coverage


def test_an_inflected_place_name_weighs_like_the_name() -> None:
    index = SearchIndex(
        [
            Document(
                "faq:free-time",
                [("uk", "Що подивитися в Мариборі?", 4.0), ("sl", "Kaj videti v Mariboru?", 4.0)],
            )
        ],
        weak={"марибор": 0.4, "maribor": 0.4},
    )
    assert not index.search("скільки років Марибору").confident


def test_a_sure_answer_matches_the_questions_key_word() -> None:
    # The story around the question matches the trip entry well; what it asks, it does not.
    index = SearchIndex(
        [
            Document(
                "logistics:train",
                [("uk", "Приїзд потягом з Любляни, квитки купує організатор, аеропорт", 4.0)],
            ),
            Document(
                "faq:expenses", [("uk", "Як звітувати про витрати й отримати відшкодування?", 4.0)]
            ),
        ]
    )
    text = (
        "Вітаю! Я купувала квитки на потяг з Любляни сама і платила за багаж в аеропорту. "
        "Як мені оформити ці витрати, щоб їх відшкодували?"
    )
    result = index.search(text)
    assert result.best is not None and not result.best.key_word
    assert not result.confident  # offered, not answered


def test_two_unsure_questions_offer_one_entry_each() -> None:
    index = SearchIndex(
        [
            Document("faq:kitchen", [("uk", "Чи є на кухні плита й холодильник?", 4.0)]),
            Document("logistics:market", [("uk", "Супермаркет і ринок поруч", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ]
    )
    # each part matches one word of two: neither is sure
    text = "чи можна смажити млинці на кухні? і де найближчий супермаркет з фермерськими сирами?"
    resolution = resolve(text, index, None, MONDAY, live=False)
    assert not resolution.answered
    assert sorted(d.key for d in resolution.choices) == ["faq:kitchen", "logistics:market"]
    assert offered_keys(resolution) == [d.key for d in resolution.choices]  # what a tap reads


def test_a_day_with_its_own_entry_gets_the_entry_not_the_agenda() -> None:
    index = SearchIndex(
        [
            Document(
                "faq:saturday",
                [("en", "What happens on Saturday?", 4.0), ("uk", "Що буде в суботу?", 4.0)],
            ),
            Document("faq:wifi", [("en", "Wi-Fi password", 4.0)]),
        ]
    )
    resolution = resolve("what's on saturday", index, None, MONDAY, live=True)
    assert resolution.intent is None and resolution.answer_key == "faq:saturday"
    # without such an entry the day's agenda answers
    plain = SearchIndex([Document("faq:wifi", [("en", "Wi-Fi password", 4.0)])])
    assert (
        resolve("what's on saturday", plain, None, MONDAY, live=True).answer_key == "intent:weekday"
    )


def test_a_day_is_one_term_in_every_language_and_spelling() -> None:
    # Russian "субботу" and the content's Ukrainian "суботу", Slovenian "soboto"
    index = SearchIndex(
        [
            Document(
                "faq:saturday",
                [("uk", "Що ми робимо в суботу?", 4.0), ("sl", "Kaj delamo v soboto?", 4.0)],
            ),
            Document("faq:thursday", [("uk", "Куди ми їдемо в четвер?", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ]
    )
    for text in ("что в субботу", "яка програма на суботу", "what are we doing on saturday"):
        assert resolve(text, index, None, MONDAY, live=True).answer_key == "faq:saturday", text
    assert (
        resolve("куди поїдемо в четвер", index, None, MONDAY, live=True).answer_key
        == "faq:thursday"
    )


def test_a_day_word_beside_another_topic_is_no_agenda_question() -> None:
    assert detect_intent("какой курс доллара сегодня", MONDAY) is None
    assert detect_intent("що в нас сьогодні", MONDAY) is not None


def test_a_title_that_names_the_day_among_other_things_leaves_the_day_to_the_agenda() -> None:
    index = SearchIndex(
        [
            Document("faq:bikes", [("en", "Bikes, keys, Thursday, reception, parking, maps", 4.0)]),
            Document("faq:wifi", [("en", "Wi-Fi password", 4.0)]),
        ]
    )
    assert (
        resolve("what do we have on thursday", index, None, MONDAY, live=True).answer_key
        == "intent:weekday"
    )


def test_an_entry_matched_only_in_its_answer_must_explain_the_whole_question() -> None:
    trip = Document(
        "logistics:bled",
        [
            ("uk", "Екскурсія на Блед", 4.0),
            ("uk", "Виїзд о 9:00; у разі поганої погоди беріть куртку.", 1.0),
        ],
    )
    wifi = Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)])
    # the weather is in the trip's text, not what the trip is about: offered, not answered
    result = SearchIndex([trip, wifi]).search("яка погода буде в четвер?")
    assert result.best is not None and result.best.document.key == "logistics:bled"
    assert not result.confident
    # an entry about the weather answers it
    weather = Document("faq:weather", [("uk", "Яка погода в жовтні?", 4.0)])
    result = SearchIndex([trip, wifi, weather]).search("яка погода буде в четвер?")
    assert result.confident and result.best is not None
    assert result.best.document.key == "faq:weather"


def test_a_name_in_another_case_finds_the_entry_titled_with_it() -> None:
    coordinator = LogisticsItem(
        key="coordinator",
        category="contact",
        title={"uk": "Координаторка — Урша Ковач", "sl": "Koordinatorka — Urška Kovač"},
        body={},
        phone="+386 1",
    )
    host = LogisticsItem(
        key="host",
        category="contact",
        title={"uk": "Приймаюча сторона — Марко Новак"},
        body={},
        phone="+386 2",
    )
    diary = Document(
        "faq:diary",
        [("uk", "Чи треба писати щоденник?", 4.0), ("uk", "Так, надсилайте його Урші.", 1.0)],
    )
    index = SearchIndex([logistics_document(coordinator), logistics_document(host), diary])
    for text, key in (
        ("як написати Урші", "logistics:coordinator"),  # dative; the diary says "Урші" aside
        ("телефон Уршею", "logistics:coordinator"),
        ("kje je Urške", "logistics:coordinator"),
        ("як зв'язатися з Марком", "logistics:host"),
        ("телефон Новака", "logistics:host"),
    ):
        result = index.search(text)
        assert result.confident and result.best is not None, text
        assert result.best.document.key == key, text


def test_a_soft_name_in_another_case_finds_the_entry_titled_with_it() -> None:
    # "Таня" / "Tanja" end in a soft vowel: "Танею", "Таню", "Tanjo" keep only "Тан-".
    coordinator = LogisticsItem(
        key="coordinator",
        category="contact",
        title={"uk": "Координаторка — Таня Коваль", "sl": "Koordinatorka — Tanja Koval"},
        body={},
        phone="+386 1",
    )
    interpreter = LogisticsItem(
        key="interpreter",
        category="contact",
        title={"uk": "Перекладачка — Олена Бойко"},
        body={"uk": "Про зустріч із перекладачкою домовляйтеся через Таню."},
        phone="+386 2",
    )
    index = SearchIndex([logistics_document(coordinator), logistics_document(interpreter)])
    for text in ("як зв'язатися з Танею", "телефон Тані", "kako dobim Tanjo"):
        result = index.search(text)
        assert result.confident and result.best is not None, text
        assert result.best.document.key == "logistics:coordinator", text


def test_who_is_answered_by_the_person_whose_entry_explains_the_question() -> None:
    # Another programme's host: her entry's text says what she is in charge of; the FAQ on
    # what to wear at site visits shares the question's topic words in its title.
    items = [
        LogisticsItem(
            key="host",
            category="contact",
            title={"uk": "Приймаюча сторона — Ана Новак, керівниця туристичної організації"},
            body={"uk": "Відповідає за зміст програми: зустрічі, доповідачів і виїзди на об'єкти."},
            phone="+386 1",
        ),
        LogisticsItem(
            key="coordinator",
            category="contact",
            title={"uk": "Координаторка — Єва Кос"},
            body={"uk": "Квитки, готель, добові."},
            phone="+386 2",
        ),
    ]
    index = SearchIndex(
        [logistics_document(i) for i in items]
        + [
            Document(
                "faq:site-gear",
                [
                    ("uk", "Що вдягати на виїзди на об'єкти?", 4.0),
                    ("uk", "Міцне взуття на зустрічі на об'єктах.", 1.0),
                ],
            ),
            Document("faq:meetings-language", [("uk", "Якою мовою зустрічі?", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від вайфаю", 4.0)]),
        ]
    )
    for text in (
        "хто відповідає за зміст зустрічей і виїздів?",
        "хто з місцевих відповідає за зміст зустрічей",
    ):
        choices = index.search(text).choices()
        assert choices and choices[0].document.key == "logistics:host", text


def test_a_contact_question_naming_whom_gets_that_contact_not_every_contact() -> None:
    items = [
        LogisticsItem(key=key, category="contact", title={"sl": title}, body={}, phone=f"+386 {n}")
        for n, (key, title) in enumerate(
            (("coordinator", "Koordinatorka — Tina Zupan"), ("host", "Gostitelj — Marko Novak"))
        )
    ]
    index = SearchIndex([logistics_document(i) for i in items])
    resolution = resolve("kontakt gostitelja", index, None, MONDAY, live=True)
    assert resolution.answer_key == "logistics:host"
    assert resolve("kontakt", index, None, MONDAY, live=True).answer_key == "intent:contact"


def test_a_one_word_part_of_a_message_is_a_list_item_not_a_question() -> None:
    index = SearchIndex(
        [
            Document("faq:costs", [("uk", "Як відшкодовують витрати на дорогу?", 4.0)]),
            Document("logistics:shuttle", [("uk", "Трансфер з аеропорту, літак о 10:00", 4.0)]),
        ]
    )
    resolution = resolve("як компенсують витрати на таксі і літак", index, None, MONDAY, live=False)
    assert resolution.answer_key != "logistics:shuttle"


def test_a_clause_is_no_question_of_its_own_when_the_clause_beside_it_points_elsewhere() -> None:
    # A hostel's programme, not the demo's: the departure item's text says the reception will
    # still be closed; the question asks how to get in at night.
    index = SearchIndex(
        [
            Document(
                "faq:late",
                [
                    ("sl", "Kako pridem v hostel po 22. uri?", 4.0),
                    ("sl", "Vhodna vrata odpre vaša sobna kartica; od 22.00 je nočni mir.", 1.0),
                ],
            ),
            Document(
                "logistics:departure",
                [
                    ("sl", "Odhod na letališče", 4.0),
                    (
                        "sl",
                        "Kombi odpelje ob 5.00. Ključe pustite ob recepciji, ta bo še zaprta.",
                        1.0,
                    ),
                ],
            ),
            Document("faq:wifi", [("sl", "Geslo za wifi", 4.0)]),
            Document("faq:laundry", [("sl", "Kje lahko operem perilo?", 4.0)]),
        ]
    )
    text = "kako pridem noter, ko je recepcija že zaprta"
    assert index.search("ko je recepcija že zaprta").confident  # the clause alone is sure
    resolution = resolve(text, index, None, MONDAY, live=False)
    assert not resolution.answered and resolution.answer_key is None
    # two questions joined by "in" are still two: each clause is sure, both are answered
    two = resolve("kje operem perilo in kakšno je geslo za wifi", index, None, MONDAY, live=False)
    assert two.answer_key == "faq:laundry" and [d.key for d in two.also] == ["faq:wifi"]


def test_a_sentence_of_a_story_is_no_question_of_its_own_on_another_topic() -> None:
    # Another programme's allowance entries; "Нам їх потім хтось віддасть?" read alone is sure
    # of the laundry ("речі віддадуть"), which the message as a whole does not point to.
    index = SearchIndex(
        [
            Document(
                "faq:allowance-missed",
                [
                    ("uk", "Що, як я пропущу видачу добових?", 4.0),
                    ("uk", "Скажіть координаторці: вона збереже ваші гроші.", 1.0),
                ],
            ),
            Document(
                "logistics:allowance",
                [("uk", "Добові готівкою", 4.0), ("uk", "Видача у вівторок о 18:00.", 1.0)],
            ),
            Document(
                "faq:allowance-amount",
                [("uk", "Скільки добових на день?", 4.0), ("uk", "30 євро на день.", 1.0)],
            ),
            Document(
                "faq:laundry",
                [
                    ("uk", "Чи є пральня?", 4.0),
                    ("uk", "Залиште торбу на рецепції, речі віддадуть наступного дня.", 1.0),
                ],
            ),
            Document("faq:wifi", [("uk", "Пароль від вайфаю", 4.0)]),
        ]
    )
    text = (
        "Добрий день! У вівторок на видачу добових о шостій ми не встигнемо, бо в нас нарада. "
        "Нам їх потім хтось віддасть?"
    )
    assert index.search("Нам їх потім хтось віддасть?").confident  # alone, sure of the laundry
    assert resolve(text, index, None, MONDAY, live=False).answer_key != "faq:laundry"


def test_a_russian_verb_finds_its_ukrainian_cognate() -> None:
    index = SearchIndex(
        [
            Document("faq:parking", [("uk", "Де можна паркуватися?", 4.0)]),
            Document("faq:rooms", [("uk", "Як забронювати кімнату?", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ]
    )
    for text, key in (("где парковаться", "faq:parking"), ("как забронировать", "faq:rooms")):
        result = index.search(text)
        assert result.confident and result.best is not None, text
        assert result.best.document.key == key, text


def test_may_i_is_answered_by_a_question_entry_before_an_item_naming_the_thing() -> None:
    cars = Document(
        "logistics:cars",
        [
            ("en", "Rental cars", 4.0),
            ("en", "Two rental cars; the delegation drives them, fuel is paid.", 1.0),
        ],
    )
    licence = Document("faq:licence", [("en", "Which licence do I need for a rental car?", 4.0)])
    index = SearchIndex([cars, licence, Document("faq:wifi", [("en", "Wi-Fi password", 4.0)])])
    best = index.search("where are the rental cars").best
    assert best is not None and best.document.key == "logistics:cars"
    best = index.search("can I drive the rental car").best
    assert best is not None and best.document.key == "faq:licence"


def _castle_and_lake() -> SearchIndex:
    return SearchIndex(
        [
            Document(
                "logistics:castle-trip",
                [
                    ("uk", "Екскурсія до замку", 4.0),
                    ("en", "Trip to the castle", 4.0),
                    ("uk", "Автобус до замку о 10:00, вхід оплачено.", 1.0),
                ],
            ),
            Document(
                "logistics:boat",
                [
                    ("uk", "Прогулянка човном Птуйським озером", 4.0),
                    ("sl", "Vožnja s čolnom po Ptujskem jezeru", 4.0),
                    ("en", "Boat trip", 4.0),
                ],
            ),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ],
        weak={"птуй": 0.4, "ptuj": 0.4},
    )


def test_a_fact_the_entries_do_not_state_is_not_answered_with_the_entry_naming_the_place() -> None:
    index = _castle_and_lake()
    for text in ("скільки років замку?", "how old is the castle", "яка глибина озера?"):
        assert not index.search(text).confident, text
    # ... while a question the entry does answer is answered
    best = index.search("коли екскурсія до замку").best
    assert best is not None and best.document.key == "logistics:castle-trip"


def test_an_adjective_of_a_place_name_weighs_like_the_name() -> None:
    index = _castle_and_lake()
    # "птуйського" is Ptuj's: it says where, as the name does, not what (the boat trip)
    for text in ("меню птуйського ресторану", "v ptujskem muzeju"):
        assert not index.search(text).choices(), text
    assert index.search("прогулянка птуйським озером").confident


def test_a_word_of_either_language_of_its_script_is_no_typo() -> None:
    index = SearchIndex(
        [
            Document("faq:check-in", [("uk", "Коли заселення в готель?", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ],
        weak={"ново": 0.4, "места": 0.4},
    )
    # "населення" (population) is Ukrainian, not a typo of "заселення", in a question read as
    # Russian ("Места"); "заселенне" is one.
    assert not index.search("яка населення Ново Места?").choices()
    best = index.search("коли заселенне").best
    assert best is not None and best.document.key == "faq:check-in"


def test_the_greeting_and_the_name_it_addresses_are_not_the_topic() -> None:
    index = SearchIndex(
        [
            Document("logistics:coordinator", [("en", "Coordinator - Eva Novak", 4.0)]),
            Document("faq:weekends", [("en", "What do we do at weekends?", 4.0)]),
            Document("faq:wifi", [("en", "Wi-Fi password", 4.0)]),
        ]
    )
    text = "Hello Eva, I have no idea what happens at the weekends here. Is anything organised?"
    best = index.search(text).best
    assert best is not None and best.document.key == "faq:weekends"
    assert without_address("Добрий день, Нежо! Коли обід?").split() == ["Коли", "обід?"]
    assert without_address("Hello, can we check in early?").split()[0] == "can"
    assert without_address("Eva's phone") == "Eva's phone"


def test_when_is_answered_by_the_faq_on_its_topic_before_the_item() -> None:
    hotel = Document(
        "logistics:hotel",
        [
            ("sl", "Hotel Storžič", 4.0),
            ("en", "Hotel Storžič", 4.0),
            ("sl", "Prijava od 15.00, odjava do 10.00.", 1.0),
        ],
    )
    check_in = Document(
        "faq:check-in",
        [("sl", "Kdaj se lahko nastanimo v hotelu?", 4.0), ("sl", "Prijava je od 15.00.", 1.0)],
    )
    late = Document("faq:late", [("sl", "Kaj če se vrnemo v hotel pozno?", 4.0)])
    index = SearchIndex(
        [hotel, check_in, late, Document("faq:wifi", [("sl", "Geslo za Wi-Fi", 4.0)])]
    )
    for text, key in (
        ("od kdaj je prijava v hotel", "faq:check-in"),
        ("kje je hotel", "logistics:hotel"),
    ):
        best = index.search(text).best
        assert best is not None and best.document.key == key, text


def test_what_a_thing_is_called_is_answered_by_the_entry_that_is_the_thing() -> None:
    index = SearchIndex(
        [
            Document(
                "logistics:guesthouse",
                [
                    ("uk", "Пансіон «При Драві», Птуй", 4.0),
                    (
                        "uk",
                        "Номери з балконом; ключі видають у барі пансіону, бар до 23:00; "
                        "сніданок у пансіоні о 7:00.",
                        1.0,
                    ),
                ],
            ),
            Document(
                "faq:wifi",
                [
                    ("uk", "Як підключитися до Wi-Fi у пансіоні?", 4.0),
                    ("uk", "Пароль у пансіоні.", 1.0),
                ],
            ),
            Document("faq:lunch", [("uk", "Де обід?", 4.0)]),
        ]
    )
    best = index.search("як називається наш пансіон?").best
    assert best is not None and best.document.key == "logistics:guesthouse"


def test_a_russian_word_without_a_ukrainian_look_alike_finds_the_ukrainian_entry() -> None:
    index = SearchIndex(
        [
            Document("faq:towels", [("uk", "Чи дають рушники?", 4.0)]),
            Document("faq:rubbish", [("uk", "Куди викидати сміття?", 4.0)]),
            Document("logistics:dorm", [("uk", "Гуртожиток «Липа»", 4.0)]),
            Document("faq:wifi", [("uk", "Пароль від інтернету", 4.0)]),
        ]
    )
    for text, key in (
        ("дают ли полотенца", "faq:towels"),
        ("куда выбрасывать мусор", "faq:rubbish"),
        ("адрес общежития", "logistics:dorm"),
    ):
        assert index.search(text).best is not None, text
        assert index.search(text).best.document.key == key, text
    assert ukrainian_words("полотенце") == ("рушник",) and ukrainian_words("ключ") == ()
    # ... with a verb prefix too: "поужинать" is "ужинать" once
    assert ukrainian_words("поужинать") == ("вечеряти",)
    dinner = SearchIndex([Document("faq:dinner", [("uk", "Де вечеря?", 4.0)])])
    assert dinner.search("где поужинать").best is not None


def test_a_greeting_is_no_part_of_a_message_with_several_questions() -> None:
    assert question_parts("Hello Eva, when is lunch and where is the bus?", False) == [
        "when is lunch",
        "where is the bus",
    ]
    index = SearchIndex(
        [
            Document("logistics:coordinator", [("en", "Coordinator - Eva Novak", 4.0)]),
            Document("faq:weekends", [("en", "What do we do at weekends?", 4.0)]),
            Document("faq:wifi", [("en", "Wi-Fi password", 4.0)]),
        ]
    )
    text = "Hello Eva, what do we do at the weekends and is anything organised on Sundays?"
    resolution = resolve(text, index, None, MONDAY, live=False)
    assert resolution.answer_key != "logistics:coordinator"
    assert "logistics:coordinator" not in offered_keys(resolution)


def test_a_twin_that_explains_more_of_the_question_is_a_rival() -> None:
    # Another programme's two transfers share their topic (minibus, airport): the departure
    # explains more of a question about leaving than the arrival does, so the arrival, ahead
    # by its title, is not sure.
    items = [
        LogisticsItem(
            key="arrival",
            category="transport",
            title={"en": "Minibus from Zagreb airport", "sl": "Kombi z letališča Zagreb"},
            body={"en": "On Sunday the minibus waits at the airport exit from 14:00."},
        ),
        LogisticsItem(
            key="departure",
            category="transport",
            title={"en": "Departure to Zagreb airport", "sl": "Odhod na letališče Zagreb"},
            body={"en": "On the last Friday the minibus leaves the hostel at 5:00."},
        ),
        LogisticsItem(
            key="hostel",
            category="accommodation",
            title={"en": "Hostel Lipa"},
            body={"en": "Twin rooms, reception 7-22."},
        ),
    ]
    index = SearchIndex(
        [logistics_document(i) for i in items] + [Document("faq:wifi", [("en", "Wi-Fi", 4.0)])]
    )
    result = index.search("what time does the minibus to the airport leave on the last day")
    assert not result.confident
    assert {m.document.key for m in result.choices()} >= {
        "logistics:arrival",
        "logistics:departure",
    }


def test_two_documents_on_one_topic_are_rivals_not_twins() -> None:
    index = SearchIndex(
        [
            Document("resource:spatial-plan", [("en", "Koper municipal spatial plan", 4.0)]),
            Document("resource:port-plan", [("en", "Spatial plan for the port", 4.0)]),
            Document("faq:wifi", [("en", "Wi-Fi password", 4.0)]),
        ],
        weak={"koper": 0.4},
    )
    result = index.search("send the spatial plan")
    assert not result.confident
    assert {m.document.key for m in result.choices()} == {
        "resource:spatial-plan",
        "resource:port-plan",
    }


def test_an_items_category_says_what_it_is_as_its_title_does() -> None:
    guesthouse = LogisticsItem(
        key="guesthouse",
        category="accommodation",
        title={"en": "Pri Dravi, Ptuj"},
        body={"en": "Rooms with a balcony; keys at the bar."},
    )
    dinner = Document(
        "faq:dinner",
        [("en", "Is dinner included in the stay?", 4.0), ("en", "Yes, at 19:00.", 1.0)],
    )
    index = SearchIndex([logistics_document(guesthouse), dinner], weak={"ptuj": 0.4})
    best = index.search("what's the name of the place we're staying at").best
    assert best is not None and best.document.key == "logistics:guesthouse"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("where does the garbage go", "faq:rubbish"),
        ("куда девать мусор", "faq:rubbish"),
        ("do I need to bring bed linen", "faq:towels"),
        ("є в готелі тренажерка?", "faq:gym"),
        ("will my charger work here", "faq:sockets"),
        ("how do I claim back my taxi fare", "faq:expenses"),
        ("do I need wellies", "faq:boots"),
    ],
)
def test_a_visits_everyday_topics_are_one_concept_in_every_language(text: str, key: str) -> None:
    index = SearchIndex(
        [
            Document("faq:rubbish", [("uk", "Куди викидати сміття?", 4.0)]),
            Document("faq:towels", [("sl", "Ali dobimo brisače in posteljnino?", 4.0)]),
            Document("faq:gym", [("en", "Is there a gym?", 4.0)]),
            Document("faq:sockets", [("uk", "Які розетки в Словенії?", 4.0)]),
            Document("faq:expenses", [("sl", "Kako dobim povračilo stroškov?", 4.0)]),
            Document("faq:boots", [("uk", "Чи потрібні гумові чоботи?", 4.0)]),
            Document("faq:wifi", [("en", "Wi-Fi password", 4.0)]),
        ]
    )
    best = index.search(text).best
    assert best is not None and best.document.key == key


def test_civil_protection_exercises_are_no_gym() -> None:
    drills = Document(
        "faq:drills", [("en", "What happens at the civil protection exercises?", 4.0)]
    )
    index = SearchIndex([drills, Document("faq:wifi", [("en", "Wi-Fi password", 4.0)])])
    assert not index.search("is there a gym").matches
