"""The curated concept lexicon of the programme's domain in Ukrainian, Russian, Slovenian, English.

Words that differ across languages and registers (готель / гостиница / nastanitev / hotel; добові /
суточные / dnevnica / per diem) map to one concept, so a question in one language finds an entry
written in another. Each concept has a weight: strong topic words (hotel, pharmacy) count more
than broad ones (time, day); ambiguous words ("номер" = room or number) count little.

Words are given in any form; :mod:`bot.search.index` adds their lemmas and skeletons.
Phrases of two words ("per diem", "potni list") match adjacent words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.search.text import SCRIPTS, lemma, script_of, tokens


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    weight: float
    words: dict[str, tuple[str, ...]]


def _c(name: str, weight: float, **words: str) -> Concept:
    return Concept(
        name,
        weight,
        {
            lang: tuple(w.strip() for w in text.split(",") if w.strip())
            for lang, text in words.items()
        },
    )


CONCEPTS: tuple[Concept, ...] = (
    # accommodation
    _c(
        "hotel",
        2.0,
        uk="готель, готелі, готелю, отель, проживання, проживаємо, живемо, жити, житло, поселення, "
        "поселитися, ночувати, ночуємо, спимо, зупинилися",
        ru="гостиница, гостинице, отель, проживание, живём, живем, жить, жильё, жилье, поселение, "
        "ночевать, ночуем, остановились",
        sl="hotel, hotela, hotelu, nastanitev, nastanjeni, nastanjen, bivanje, bivamo, spimo, "
        "prenočišče, prenočevanje, stanujemo",
        en="hotel, accommodation, stay, staying, lodging, sleep, sleeping, live, living",
    ),
    _c(
        "room",
        1.2,
        uk="кімната, кімнаті, номері",
        ru="комната, комнате, номере",
        sl="soba, sobi, sobo",
        en="room",
    ),
    _c(
        "reception",
        1.5,
        uk="рецепція, рецепції, ресепшн",
        ru="ресепшен, ресепшн, администратор",
        sl="recepcija, recepciji",
        en="reception, front desk",
    ),
    _c(
        "broken",
        1.5,
        uk="зламалося, зламався, зламано, поламка, несправно, опалення, кондиціонер, душ",
        ru="сломалось, сломался, сломано, поломка, отопление, кондиционер, душ",
        sl="pokvarjeno, pokvarjen, ne deluje, okvara, ogrevanje, klima, tuš",
        en="broken, not working, fix, repair, heating, air conditioning, shower",
    ),
    _c(
        "address",
        1.2,
        uk="адреса, адресу, розташування, знаходиться",
        ru="адрес, расположение, находится",
        sl="naslov, naslova, lokacija, nahaja",
        en="address, location, located",
    ),
    _c(
        "wifi",
        2.5,
        uk="wi-fi, wifi, вайфай, вай-фай, інтернет, мережа, пароль",
        ru="вайфай, вай-фай, интернет, сеть, пароль",
        sl="wifi, wi-fi, internet, omrežje, geslo, brezžično",
        en="wifi, wi-fi, internet, network, password, wireless",
    ),
    # money
    _c(
        "allowance",
        2.5,
        uk="добові, добових, добовими, виплата, виплачують, кишенькові, командировочні",
        ru="суточные, суточных, выплата, выплачивают, командировочные",
        sl="dnevnica, dnevnice, dnevnico, izplačilo, izplačajo",
        en="allowance, per diem, per-diem, daily allowance, paid, payment, pocket money",
    ),
    _c(
        "money",
        1.2,
        uk="гроші, грошей, кошти, сума",
        ru="деньги, денег, сумма",
        sl="denar, denarja, znesek",
        en="money, amount",
    ),
    _c(
        "exchange",
        2.0,
        uk="обмін, обміняти, валюта, валюти, гривня, гривні, гривень, обмінник",
        ru="обмен, обменять, валюта, гривна, гривны, обменник",
        sl="menjava, zamenjati, zamenjam, valuta, hrivnja, hrivnje, menjalnica",
        en="exchange, change money, currency, hryvnia, hryvnias, exchange office",
    ),
    _c(
        "card",
        1.5,
        uk="картка, карткою, банкомат, банкомати, готівка, готівку, зняти",
        ru="карта, картой, карточка, банкомат, наличные, наличку, снять",
        sl="kartica, kartico, bankomat, gotovina, gotovino, dvigniti",
        en="card, atm, cash machine, cash, withdraw, visa card, mastercard",
    ),
    _c("euro", 1.0, uk="євро", ru="евро", sl="evro, evrov, evri", en="euro, euros"),
    _c(
        "tip",
        2.0,
        uk="чайові, чайових",
        ru="чаевые, чаевых",
        sl="napitnina, napitnino",
        en="tip, tips, tipping, gratuity",
    ),
    _c("bill", 1.0, uk="рахунок", ru="счёт, счет", sl="račun", en="bill, check"),
    # daily life
    _c(
        "laundry",
        2.5,
        uk="прання, пральня, попрати, випрати, прати, виправ",
        ru="стирка, прачечная, постирать, стирать",
        sl="pranje, pralnica, oprati, operem, prati, perilo",
        en="laundry, laundrette, launderette, wash, washing, washing machine",
    ),
    _c(
        "clothes",
        1.2,
        uk="одяг, одягу, речі, вдягнути, одягнути, вдягати, вдягатися, одягатися",
        ru="одежда, одежду, вещи, надеть, одеться",
        sl="oblačila, obleka, oblačenje, obleči, obleči se",
        en="clothes, clothing, wear, outfit",
    ),
    _c(
        "dress",
        2.0,
        uk="дрес-код, дресскод, костюм, краватка, піджак, взуття",
        ru="дресс-код, дресскод, костюм, галстук, пиджак, обувь",
        sl="pravila oblačenja, kravata, suknjič, obutev, čevlji",
        en="dress code, dress, suit, tie, jacket, shoes, formal",
    ),
    _c(
        "smoking",
        2.5,
        uk="курити, куріння, палити, цигарки, цигарка, сигарети, покурити",
        ru="курить, курение, покурить, сигареты, сигарета",
        sl="kaditi, kadim, kajenje, cigarete, cigareta, pokaditi",
        en="smoke, smoking, cigarette, cigarettes, vape",
    ),
    _c(
        "breakfast",
        2.5,
        uk="сніданок, снідати, сніданку, поснідати",
        ru="завтрак, завтракать",
        sl="zajtrk, zajtrka, zajtrkovati",
        en="breakfast",
    ),
    _c(
        "lunch",
        2.2,
        uk="обід, обідати, пообідати, обіді, обідаємо",
        ru="обед, обедать, пообедать",
        sl="kosilo, kosila, kositi",
        en="lunch, lunchtime",
    ),
    _c(
        "food",
        1.2,
        uk="їжа, їсти, поїсти, харчування, вегетаріанський, вегетаріанець, дієта",
        ru="еда, есть, поесть, питание, вегетарианский, диета",
        sl="hrana, jesti, prehrana, vegetarijansko, vegetarijanec, dieta",
        en="food, eat, meal, meals, vegetarian, vegan, diet, dietary",
    ),
    _c(
        "water",
        2.0,
        uk="вода, воду, води, кран, крана, питна",
        ru="вода, воду, кран, питьевая",
        sl="voda, vodo, pipa, pipe, pitna",
        en="water, tap, tap water, drinking water, bottled",
    ),
    _c(
        "shop",
        2.0,
        uk="магазин, магазини, супермаркет, покупки, крамниця",
        ru="магазин, магазины, супермаркет, покупки",
        sl="trgovina, trgovine, nakupi, market",
        en="shop, shops, store, stores, supermarket, shopping",
    ),
    _c(
        "sunday",
        1.2,
        uk="неділя, неділю, неділі",
        ru="воскресенье",
        sl="nedelja, nedeljo, nedeljah",
        en="sunday, sundays",
    ),
    _c(
        "weekend",
        2.0,
        uk="вихідні, вихідних, вільний час, дозвілля",
        ru="выходные, выходных, свободное время, досуг",
        sl="vikend, konec tedna, koncih tedna, prosti čas, prosto",
        en="weekend, weekends, free time, day off, days off",
    ),
    _c(
        "excursion",
        2.0,
        uk="екскурсія, екскурсії, поїздка, блед, туризм, подивитися",
        ru="экскурсия, экскурсии, поездка, блед, достопримечательности",
        sl="izlet, izleti, ogled, bled, znamenitosti",
        en="excursion, trip, tour, sightseeing, bled",
    ),
    _c(
        "weather",
        2.0,
        uk="погода, погоду, дощ, парасолька, температура, холодно, тепло",
        ru="погода, погоду, дождь, зонт, зонтик, холодно, тепло",
        sl="vreme, dež, dežnik, mraz, mrzlo, toplo",
        en="weather, rain, umbrella, cold, warm, temperature, forecast",
    ),
    _c(
        "pack",
        1.5,
        uk="взяти з собою, спакувати, валіза, речі взяти",
        ru="взять с собой, упаковать, чемодан",
        sl="vzeti s seboj, prtljaga, kovček, spakirati",
        en="pack, packing, bring, luggage, suitcase",
    ),
    _c(
        "time_zone",
        2.0,
        uk="різниця в часі, часовий пояс, київ, києвом, київський",
        ru="разница во времени, часовой пояс, киев, киевом",
        sl="časovna razlika, časovni pas, kijev, kijevom",
        en="time difference, time zone, timezone, kyiv, kiev",
    ),
    # health and safety
    _c(
        "doctor",
        2.5,
        uk="лікар, лікаря, лікарня, лікарні, хворий, захворів, захворіла, хворію, температура, "
        "болить, медичний, медична, медпункт",
        ru="врач, врача, доктор, больница, больнице, болею, заболел, заболела, болит, "
        "температура, медицинский",
        sl="zdravnik, zdravnika, bolnišnica, bolan, bolna, zbolel, zbolela, boli, vročina, "
        "zdravstveni dom, ambulanta",
        en="doctor, hospital, sick, ill, illness, fever, medical, clinic, unwell, hurts",
    ),
    _c(
        "pharmacy",
        2.5,
        uk="аптека, аптеку, аптеки, ліки, таблетки, рецепт",
        ru="аптека, аптеку, лекарства, лекарство, таблетки, рецепт",
        sl="lekarna, lekarno, lekarne, zdravila, zdravilo, tablete, recept",
        en="pharmacy, chemist, medicine, medicines, pills, drugstore, prescription",
    ),
    _c(
        "insurance",
        2.5,
        uk="страхування, страховка, поліс, страховий",
        ru="страховка, страхование, полис",
        sl="zavarovanje, zavarovanja, polica",
        en="insurance, insured, policy",
    ),
    _c(
        "emergency",
        2.5,
        uk="екстрений, екстрені, екстрена, швидка, невідкладна, рятувальники, пожежна, пожежа, "
        "112, 113, sos, надзвичайна",
        ru="экстренный, экстренные, скорая, спасатели, пожарная, пожар, 112, 113, чрезвычайная",
        sl="nujni primer, nujne primere, nujna, reševalci, gasilci, požar, 112, 113",
        en="emergency, emergencies, ambulance, rescue, fire brigade, fire, 112, 113, urgent",
    ),
    _c(
        "police",
        2.0,
        uk="поліція, поліцію, поліції",
        ru="полиция, полицию, полиции",
        sl="policija, policijo, policiji",
        en="police",
    ),
    _c(
        "passport",
        2.5,
        uk="паспорт, паспорта, документи, документ",
        ru="паспорт, паспорта, документы",
        sl="potni list, potnega lista, dokumenti",
        en="passport, documents, id",
    ),
    _c(
        "lost",
        2.0,
        uk="загубив, загубила, втратив, втратила, загубили, вкрали, крадіжка",
        ru="потерял, потеряла, украли, кража",
        sl="izgubil, izgubila, izgubljen, ukradli, kraja",
        en="lost, lose, stolen, theft, missing",
    ),
    _c(
        "embassy",
        2.0,
        uk="посольство, консульство",
        ru="посольство, консульство",
        sl="veleposlaništvo, konzulat",
        en="embassy, consulate",
    ),
    _c(
        "visa",
        2.5,
        uk="віза, візу, візи, кордон, шенген",
        ru="виза, визу, граница, шенген",
        sl="vizum, vizuma, meja, schengen",
        en="visa, border, schengen",
    ),
    # transport
    _c(
        "bus",
        1.8,
        uk="автобус, автобуса, мікроавтобус, бус, трансфер, трансферу, шатл",
        ru="автобус, автобуса, микроавтобус, трансфер, шаттл",
        sl="avtobus, avtobusa, kombi, kombija, prevoz, prevoza",
        en="bus, minibus, shuttle, transfer, van, coach",
    ),
    _c(
        "depart",
        1.2,
        uk="відправляється, відправлення, виїжджає, виїзд, від'їзд, їде",
        ru="отправляется, отправление, уезжает, выезд, отъезд",
        sl="odpelje, odhod, odhoda, odpeljal",
        en="leave, leaves, depart, departure, pick-up, pickup",
    ),
    _c(
        "airport",
        2.5,
        uk="аеропорт, аеропорту, приліт, виліт, літак, рейс",
        ru="аэропорт, аэропорту, прилет, прилёт, вылет, самолет, самолёт, рейс",
        sl="letališče, letališča, letališču, brnik, pristanek, let, letalo",
        en="airport, flight, plane, landing, arrival, arrive, fly",
    ),
    _c(
        "late",
        2.5,
        uk="запізнююся, запізнююсь, запізнився, запізнилася, запізнення, спізнився, "
        "пропустив, проспав",
        ru="опаздываю, опоздал, опоздала, опоздание, пропустил, проспал",
        sl="zamujam, zamudil, zamudila, zamuda, zamujati",
        en="late, miss, missed, delay, delayed, overslept",
    ),
    _c("taxi", 1.5, uk="таксі", ru="такси", sl="taksi", en="taxi, cab, uber"),
    _c(
        "train",
        2.0,
        uk="потяг, поїзд, електричка, вокзал, квиток",
        ru="поезд, электричка, вокзал, билет",
        sl="vlak, vlakom, železniška, postaja, vozovnica",
        en="train, railway, station, ticket",
    ),
    _c(
        "ljubljana",
        1.5,
        uk="любляна, любляну, любляні",
        ru="любляна, любляну, любляне",
        sl="ljubljana, ljubljano, ljubljani",
        en="ljubljana",
    ),
    _c(
        "public_transport",
        2.0,
        uk="громадський транспорт, доїхати, дістатися",
        ru="общественный транспорт, доехать, добраться",
        sl="javni prevoz, priti do",
        en="public transport, get to",
    ),
    # phone and people
    _c(
        "sim",
        2.5,
        uk="сім-картка, сімка, sim, сім, роумінг, мобільний зв'язок, оператор",
        ru="симка, сим-карта, симкарта, роуминг, оператор",
        sl="kartica sim, sim, gostovanje, mobilni operater, operater",
        en="sim, sim card, roaming, mobile data, operator, data plan",
    ),
    _c(
        "phone",
        0.8,
        uk="телефон, телефону, номер телефону, подзвонити, зателефонувати",
        ru="телефон, номер телефона, позвонить",
        sl="telefon, telefonska številka, poklicati",
        en="phone, phone number, call, telephone",
    ),
    _c(
        "coordinator",
        2.0,
        uk="координатор, координаторка, координаторку, координатора, "
        "координаторкою, організатор, організаторка",
        ru="координатор, координатора, координаторша, организатор",
        sl="koordinator, koordinatorka, koordinatorko, koordinatorja, organizator",
        en="coordinator, organiser, organizer",
    ),
    _c(
        "contact",
        1.5,
        uk="контакт, контакти, контактна особа, зв'язатися, написати",
        ru="контакт, контакты, контактное лицо, связаться",
        sl="kontakt, kontakti, kontaktna oseba, stik, v stik",
        en="contact, contacts, contact person, reach, get in touch",
    ),
    _c(
        "interpreter",
        2.5,
        uk="перекладач, перекладачка, переклад, перекладати, перекладатиме",
        ru="переводчик, переводчица, перевод, переводить",
        sl="tolmač, tolmačka, tolmačenje, prevajalec, prevod",
        en="interpreter, translator, translation, interpreting, translate",
    ),
    _c(
        "language",
        1.5,
        uk="мова, мовою, англійська, англійською, словенська, словенською",
        ru="язык, языке, английский, словенский",
        sl="jezik, jeziku, angleščina, slovenščina",
        en="language, english, slovenian",
    ),
    # the programme
    _c(
        "presentation",
        2.5,
        uk="презентація, презентацію, доповідь, слайди, флешка, проєктор",
        ru="презентация, презентацию, доклад, слайды, флешка, проектор",
        sl="predstavitev, prosojnice, ključek, projektor",
        en="presentation, slides, talk, usb, projector",
    ),
    _c(
        "certificate",
        2.5,
        uk="сертифікат, сертифіката, диплом, посвідчення, довідка",
        ru="сертификат, диплом, удостоверение, справка",
        sl="certifikat, potrdilo, diploma",
        en="certificate, diploma, attendance certificate",
    ),
    _c(
        "outcome",
        2.0,
        uk="результат, стратегічний, стратегія, стратегічного, фінансування, фонди",
        ru="результат, стратегический, стратегия, финансирование",
        sl="rezultat, strateški, strategija, financiranje, sredstva",
        en="outcome, result, strategic, strategy, funding, funds",
    ),
    _c(
        "photo",
        2.0,
        uk="фото, фотографувати, фотографії, фотограф, знімати",
        ru="фото, фотографировать, фотографии, снимать",
        sl="fotografija, fotografije, fotografirati, fotograf, slikati",
        en="photo, photos, photograph, photographed, pictures, camera",
    ),
    _c(
        "project",
        1.5,
        uk="проєкт, проект, відбудова, cep, мета",
        ru="проект, восстановление, цель",
        sl="projekt, obnova, cep, namen",
        en="project, reconstruction, cep, purpose",
    ),
    _c(
        "agenda",
        1.5,
        uk="програма, програму, розклад, план, графік, порядок денний",
        ru="программа, расписание, план, график",
        sl="program, programa, urnik, načrt, razpored, dnevni red",
        en="agenda, schedule, programme, program, plan, timetable",
    ),
    _c(
        "meeting",
        1.2,
        uk="зустріч, зустрічі, сесія, засідання, захід, подія",
        ru="встреча, встречи, сессия, мероприятие",
        sl="srečanje, srečanja, sestanek, dogodek, delavnica",
        en="meeting, session, event, workshop",
    ),
)

#: Words that are ambiguous or too general to decide an answer alone: weight in the ranking.
WEAK_WORDS: dict[str, float] = {
    "номер": 0.3, "номеру": 0.3, "number": 0.5, "številka": 0.5, "час": 0.4, "time": 0.4,
    "čas": 0.4, "день": 0.4, "day": 0.4, "dan": 0.4, "словенія": 0.3, "словении": 0.3,
    "slovenia": 0.3, "slovenija": 0.3, "sloveniji": 0.3, "словенії": 0.3, "domžale": 0.4,
    "домжале": 0.4, "domžalah": 0.4, "programme": 0.6, "програма": 0.6, "visit": 0.5,
    "візит": 0.5, "obisk": 0.5, "зробити": 0.3, "робити": 0.3, "do": 0.3, "storiti": 0.3,
}  # fmt: skip


def _lookup() -> dict[str, frozenset[str]]:
    """Word or two-word phrase (as given, and single words as lemmas) -> concept names."""
    table: dict[str, set[str]] = defaultdict(set)
    for concept in CONCEPTS:
        for lang, words in concept.words.items():
            for phrase in words:
                parts = tokens(phrase)
                if not parts:
                    continue
                table[" ".join(parts)].add(concept.name)
                if len(parts) == 1 and SCRIPTS[lang] == script_of(parts[0]):
                    table[lemma(parts[0], lang)].add(concept.name)
    return {word: frozenset(names) for word, names in table.items()}


LOOKUP: dict[str, frozenset[str]] = _lookup()
CONCEPT_WEIGHT: dict[str, float] = {c.name: c.weight for c in CONCEPTS}
