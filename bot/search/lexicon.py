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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.search.stopwords import STOPWORDS
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
        uk="готель, готелі, готелю, отель, житло, поселення",
        ru="гостиница, гостинице, отель, жильё, жилье, поселение",
        sl="hotel, hotela, hotelu, nastanitev, prenočišče",
        en="hotel, accommodation, lodging",
    ),
    # The kinds of lodging a programme puts its guests in, each the hotel's question ("what's the
    # hostel called", "адреса пансіону"): what an accommodation item's title calls it.
    _c(
        "lodging",
        2.0,
        uk="хостел, хостелі, хостелу, хостелом, пансіон, пансіоні, пансіону, пансіонат, "
        "апартаменти, апартаментах, квартира, квартири, квартиру, квартирі, гуртожиток, "
        "гуртожитку, гостьовий будинок",
        ru="хостел, хостеле, хостела, пансион, пансионе, пансиона, пансионат, апартаменты, "
        "апартаментах, квартира, квартиры, квартиру, квартире, общежитие, общежитии, общежития",
        sl="hostel, hostla, hostlu, hostlom, penzion, penziona, penzionu, gostišče, gostišča, "
        "gostišču, apartma, apartmaja, apartmaju, apartmaji, stanovanje, stanovanja, "
        "stanovanju, dijaški dom, študentski dom",
        en="hostel, guesthouse, guest house, apartment, apartments, flat, dorm, dormitory, "
        "residence hall",
    ),
    # Living and sleeping somewhere: a hotel question, but the verbs are general
    # ("how many people live in Ljubljana"), so they weigh less than the hotel itself.
    _c(
        "stay",
        1.2,
        uk="проживання, проживаємо, проживаєте, живемо, жити, поселитися, ночувати, ночуємо, "
        "спимо, зупинилися",
        ru="проживание, живём, живем, жить, поселиться, ночевать, ночуем, остановились",
        sl="nastanjeni, nastanjen, bivanje, bivamo, spimo, prenočevanje, stanujemo",
        en="stay, staying, sleep, sleeping, live, living",
    ),
    # Moving in and out of the lodging: its own FAQ in most programmes ("when can we check in").
    _c(
        "check_in",
        1.8,
        uk="заселення, заселитися, заселяємося, заселятися, поселитися, поселяємося, заїзд, "
        "виселення, виселитися, виселяємося, виїзд",
        ru="заселение, заселиться, заселяемся, поселиться, заезд, выселение, выселиться, "
        "выселяемся, выезд",
        sl="prijava, prijavo, odjava, odjavo, vselitev, izselitev",
        en="check-in, check in, checkin, check-out, check out, checkout",
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
        uk="зламалося, зламався, зламано, поламка, несправно, опалення, кондиціонер, душ, "
        "не працює, не працюють, батарея, радіатор, не гріє, обігрівач, лампочка",
        ru="сломалось, сломался, сломано, поломка, отопление, кондиционер, душ, не работает, "
        "не работают, батарея, радиатор, не греет, обогреватель",
        sl="pokvarjeno, pokvarjen, ne deluje, ne delajo, ne dela, okvara, ogrevanje, klima, tuš, "
        "radiator, grelec, ne greje",
        en="broken, not working, fix, repair, heating, air conditioning, shower, doesn't work, "
        "isn't working, don't work, heater, radiator, aircon",
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
        uk="wi-fi, wifi, вайфай, вай-фай, інтернет, мережа, пароль, підключитися, підключення, "
        "онлайн",
        ru="вайфай, вай-фай, интернет, сеть, пароль, подключиться, подключение, онлайн",
        sl="wifi, wi-fi, internet, omrežje, geslo, brezžično, povezava, povezati, povežem",
        en="wifi, wi-fi, internet, network, password, wireless, online, connect, connection",
    ),
    # money
    _c(
        "allowance",
        2.5,
        uk="добові, добових, добовими, виплата, виплачують, виплатять, кишенькові, командировочні",
        ru="суточные, суточных, выплата, выплачивают, выплатят, командировочные",
        sl="dnevnica, dnevnice, dnevnico, dnevnici, izplačilo, izplačajo",
        en="allowance, per diem, per-diem, daily allowance, pocket money, per day",
    ),
    _c(
        "pay",
        1.2,
        uk="платити, заплатити, оплатити, оплата, оплачено, розрахуватися, розраховуватися, "
        "платять, заплатять",
        ru="платить, заплатить, оплатить, оплата, оплачено, расплатиться, рассчитаться, платят",
        sl="plačati, plačam, plačamo, plačilo, plačano, plačujejo, plačajo",
        en="pay, paying, paid, payment, payments",
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
        uk="обмін, обміняти, поміняти, валюта, валюти, гривня, гривні, гривень, гривнями, обмінник",
        ru="обмен, обменять, поменять, валюта, гривна, гривны, гривнами, обменник",
        sl="menjava, zamenjati, zamenjam, valuta, hrivnja, hrivnje, hrivnjah, menjalnica",
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
    # A visit's everyday practicalities, each the topic of an FAQ in most programmes.
    _c(
        "rubbish",
        1.8,
        uk="сміття, смітник, смітники, сміттєвий, сортування, викинути сміття, викидати сміття",
        ru="мусор, мусорка, мусорный, помойка, выбросить мусор, выбрасывать мусор",
        sl="smeti, smetnjak, koš za smeti, ločevanje, ločeno zbiranje",
        en="rubbish, garbage, trash, bin, bins, recycling",
    ),
    _c(
        "linen",
        1.8,
        uk="постільна білизна, білизна, простирадло, простирадла, наволочка, рушник, рушники, "
        "ковдра, подушка",
        ru="постельное бельё, постельное белье, бельё, белье, простыня, простыни, полотенце, "
        "полотенца, одеяло, подушка",
        sl="posteljnina, rjuha, rjuhe, brisača, brisače, odeja, blazina",
        en="bed linen, linen, sheets, bedding, towel, towels, blanket, pillow",
    ),
    _c(
        "parking",
        2.0,
        uk="парковка, паркування, паркуватися, припаркуватися, стоянка, паркінг, гараж",
        ru="парковка, стоянка, парковаться, припарковаться, паркинг, гараж",
        sl="parkirišče, parkiranje, parkirati, parkiram, garaža, parkirnina",
        en="parking, car park, garage",
    ),
    _c(
        "sport",
        1.8,
        uk="спортзал, тренажерний зал, тренажерка, тренажери, фітнес, спорт, бігати, пробіжка",
        ru="спортзал, тренажёрный зал, тренажерный зал, тренажерка, качалка, фитнес, спорт, "
        "бегать, пробежка",
        sl="telovadnica, fitnes, šport, tek, teči, rekreacija",
        en="gym, fitness, workout, sport, sports, jogging",
    ),
    _c(
        "kitchen",
        1.5,
        uk="кухня, кухні, готувати, приготувати, плита, мікрохвильовка, холодильник",
        ru="кухня, готовить, приготовить, плита, микроволновка, холодильник",
        sl="kuhinja, kuhati, skuhati, štedilnik, mikrovalovna, hladilnik",
        en="kitchen, cook, cooking, stove, microwave, fridge",
    ),
    _c(
        "noise",
        1.5,
        uk="шум, шуміти, шумно, тиша, гучно, галас",
        ru="шум, шуметь, шумно, тишина, громко",
        sl="hrup, glasno, tišina, nočni mir",
        en="noise, noisy, loud, quiet hours",
    ),
    _c(
        "expenses",
        1.8,
        uk="компенсація, компенсують, компенсувати, відшкодування, відшкодують, чек, чеки, "
        "квитанція, квитанції, витрати",
        ru="компенсация, компенсируют, возмещение, возместят, чек, чеки, квитанция, квитанции, "
        "расходы",
        sl="povračilo, povrnejo, povrnjeni, povrnitev, račun, računi, stroški",
        en="reimburse, reimbursed, reimbursement, refund, claim back, receipt, receipts, "
        "expenses, costs",
    ),
    _c(
        "sockets",
        1.5,
        uk="розетка, розетки, зарядка, зарядний, заряджати, адаптер, перехідник",
        ru="розетка, розетки, зарядка, зарядное, заряжать, адаптер, переходник",
        sl="vtičnica, vtičnice, polnilec, polniti, adapter",
        en="socket, sockets, plug, charger, charging, adapter",
    ),
    _c(
        "footwear",
        1.5,
        uk="взуття, черевики, чоботи, гумові чоботи, кросівки, взутися",
        ru="обувь, ботинки, сапоги, резиновые сапоги, кроссовки, обуться",
        sl="obutev, čevlji, škornji, gumijasti škornji, superge, obuti, obujem",
        en="shoes, boots, wellies, wellingtons, footwear, trainers, sneakers",
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
        "meal",
        1.0,
        uk="сніданок, снідати, обід, обідати, вечеря, вечеряти, подають, подаватимуть, годують, "
        "харчування, їдальня, шведський стіл",
        ru="завтрак, обед, ужин, подают, кормят, питание, столовая, шведский стол",
        sl="zajtrk, kosilo, večerja, strežejo, postrežejo, obrok, obroki, jedilnica, švedska miza",
        en="breakfast, lunch, dinner, meal, meals, serve, served, serving, buffet",
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
        uk="їжа, їсти, поїсти, харчування, вегетаріанський, вегетаріанець, веган, дієта",
        ru="еда, поесть, питание, вегетарианский, вегетарианец, веган, диета",
        sl="hrana, jesti, prehrana, vegetarijansko, vegetarijanec, vegan, veganski, dieta",
        en="food, eat, meal, meals, vegetarian, vegan, diet, dietary",
    ),
    _c(
        "water",
        2.0,
        uk="вода, воду, води, кран, крана, питна, пляшка, пляшках, бутильована",
        ru="вода, воду, кран, питьевая, бутылка, бутылках, бутилированная",
        sl="voda, vodo, pipa, pipe, pitna, plastenka, plastenke, plastenkah, ustekleničena",
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
        uk="погода, погоду, дощ, дощі, дощить, парасолька, температура, холодно, тепло, "
        "градусів, прогноз, туман",
        ru="погода, погоду, дождь, дожди, зонт, зонтик, холодно, тепло, градусов, прогноз, туман",
        sl="vreme, dež, dežuje, deževalo, deževno, dežnik, mraz, mrzlo, toplo, stopinj, "
        "stopinje, napoved, megla",
        en="weather, rain, raining, rainy, umbrella, cold, warm, temperature, forecast, "
        "degrees, fog, foggy",
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
        "болить, медичний, медична, медпункт, кашель, застуда, застудився, застудилася, "
        "горло, нудить, біль, болю",
        ru="врач, врача, доктор, больница, больнице, болею, заболел, заболела, болит, "
        "температура, медицинский, кашель, простуда, простыл, простыла, горло, боль",
        sl="zdravnik, zdravnika, bolnišnica, bolan, bolna, zbolel, zbolela, boli, vročina, "
        "zdravstveni dom, ambulanta, kašelj, prehlad, prehlajen, grlo, bolečine",
        en="doctor, hospital, sick, ill, illness, fever, medical, clinic, unwell, hurts, "
        "cough, flu, sore throat, pain, headache, toothache",
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
        uk="паспорт, паспорта, документи, документ, папери, закордонний паспорт",
        ru="паспорт, паспорта, документы, бумаги, загранпаспорт",
        sl="potni list, potnega lista, dokumenti, dokumente, papirji, osebna izkaznica",
        en="passport, documents, id, papers, id card",
    ),
    _c(
        "lost",
        2.0,
        uk="загубив, загубила, втратив, втратила, загубили, вкрали, крадіжка, гаманець, "
        "пограбували",
        ru="потерял, потеряла, украли, кража, кошелёк, кошелек, ограбили",
        sl="izgubil, izgubila, izgubljen, ukradli, ukraden, kraja, denarnica, okradli",
        en="lost, lose, stolen, theft, wallet, robbed",
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
        uk="віза, візу, візи, кордон, кордоні, прикордонники, шенген",
        ru="виза, визу, визы, граница, границе, пограничники, шенген",
        sl="vizum, vizuma, viza, vizo, vize, meja, meji, schengen",
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
    _c(
        "near",
        0.6,
        uk="поруч, поблизу, найближчий, найближча, найближче, близько, неподалік",
        ru="рядом, поблизости, ближайший, ближайшая, ближайшее, близко, недалеко",
        sl="blizu, bližina, bližini, najbližji, najbližja, najbližje, v bližini",
        en="near, nearby, nearest, close, closest, around here",
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
        uk="громадський транспорт, доїхати, дістатися, добиратися, добратися, проїзд, дорога",
        ru="общественный транспорт, доехать, добраться, добираться, проезд, дорога",
        sl="javni prevoz, priti do, vožnja, pot do",
        en="public transport, get to, ride, journey, commute, how far",
    ),
    # phone and people
    _c(
        "sim",
        2.5,
        uk="сім-картка, сімка, сімку, sim, сім, роумінг, мобільний зв'язок, оператор, "
        "мобільний інтернет",
        ru="симка, сим-карта, симкарта, роуминг, оператор",
        sl="kartica sim, sim, gostovanje, mobilni operater, operater",
        en="sim, sim card, roaming, mobile data, operator, data plan, esim, prepaid",
    ),
    _c(
        "phone",
        0.8,
        uk="телефон, телефону, номер телефону, подзвонити, дзвонити, зателефонувати, телефонувати",
        ru="телефон, номер телефона, позвонить, звонить, дозвониться",
        sl="telefon, telefonska številka, poklicati, klicati, pokličem",
        en="phone, phone number, call, calling, telephone, ring",
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
        uk="перекладач, перекладачка, перекладача, переклад, перекладати, перекладатиме, "
        "перекладатимуть, перекладуть",
        ru="переводчик, переводчица, переводчика, перевод, переводить, переведёт, переведет",
        sl="tolmač, tolmačka, tolmača, tolmačko, tolmačenje, prevajalec, prevod, prevajal, "
        "prevajala, prevedel",
        en="interpreter, translator, translation, interpreting, translate, translates, "
        "translating, interpret",
    ),
    _c(
        "language",
        1.5,
        uk="мова, мовою, англійська, англійською, словенська, словенською, українською",
        ru="язык, языке, английский, английском, словенский, словенском, украинском",
        sl="jezik, jeziku, angleščina, angleško, slovenščina, slovensko, ukrajinsko, ukrajinščina",
        en="language, english, slovenian, speak, spoken",
    ),
    # the programme
    _c(
        "presentation",
        2.5,
        uk="презентація, презентацію, доповідь, слайди, флешка, проєктор, виступ, виступати, "
        "powerpoint",
        ru="презентация, презентацию, доклад, слайды, флешка, проектор, выступление, выступать",
        sl="predstavitev, predstavitve, prosojnice, ključek, projektor, nastop, predstaviti",
        en="presentation, slides, usb, projector, powerpoint, present",
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
        "field",
        1.5,
        uk="виїзд, виїзди, виїздах, виїздів, на місці",
        ru="выезд, выезды, выездах, на месте",
        sl="teren, terenu, terenski, terenskih, ogled na terenu",
        en="field visit, field visits, site visit, on site, field trip",
    ),
    _c(
        "photo",
        2.0,
        uk="фото, фотографувати, фотографії, фотограф, фотографи, знімати, зніматимуть, "
        "сфотографувати, відео, новини",
        ru="фото, фотографировать, фотографии, фотограф, фотографы, снимать, видео, новости",
        sl="fotografija, fotografije, fotografirati, fotograf, fotografi, slikati, video, novice",
        en="photo, photos, photograph, photographed, photographer, photographers, pictures, "
        "camera, filmed, video, news",
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
        uk="зустріч, зустрічі, сесія, засідання, захід, подія, лекція, лекції, семінар, "
        "тренінг, навчання, виступи, воркшоп",
        ru="встреча, встречи, сессия, мероприятие, лекция, лекции, семинар, тренинг, "
        "обучение, доклады",
        sl="srečanje, srečanja, sestanek, dogodek, delavnica, predavanje, predavanja, "
        "seminar, usposabljanje, sprejem, predavatelj",
        en="meeting, session, event, workshop, lecture, lectures, talk, talks, seminar, "
        "speaker, speakers",
    ),
)

#: Words for today, tomorrow and the day after (uk, ru, sl, en), read by the live-data intents.
TODAY_WORDS = frozenset(["today", "tonight", "сьогодні", "сьогодня", "сегодня", "danes", "nocoj"])
TOMORROW_WORDS = frozenset(["tomorrow", "завтра", "jutri"])
AFTER_TOMORROW_WORDS = frozenset(["післязавтра", "послезавтра", "pojutrišnjem", "pojutrišnjim"])
#: Words that ask whether one may, can or must do something (uk, ru, sl, en): such a question
#: is answered by an entry that is itself a question (a FAQ) rather than by an item that names
#: the thing ("can I drive the rental car": the FAQ on driving, not the rental cars' entry).
# fmt: off
MODAL_WORDS = frozenset([
    "can", "could", "may", "might", "must", "should", "allowed",
    "можна", "можу", "можемо", "можуть", "треба", "потрібно", "дозволено",
    "можно", "могу", "можем", "могут", "нужно", "надо", "разрешено",
    "lahko", "smem", "smemo", "sme", "moram", "moramo", "mora", "treba", "dovoljeno",
])
# fmt: on
#: Words that ask when ("коли", "od kdaj", "what time"): such a question about a thing that has
#: a FAQ twin ("when can we check in" / the hotel's item) is answered by the FAQ, as "may I" is.
# fmt: off
WHEN_WORDS = frozenset([
    "when", "коли", "котрій", "котрої", "когда", "скольки", "kdaj", "kateri",
])
# fmt: on
#: Words that ask who (uk, ru, sl, en, in their cases): a person's entry answers such a question
#: before an entry on the thing the person does ("хто відповідає за виїзди": the host).
# fmt: off
WHO_WORDS = frozenset([
    "who", "who's", "whom", "хто", "кого", "кому", "ким", "кто", "кем", "kdo", "koga", "komu",
    "kom",
])
# fmt: on
#: Words that ask what a thing is called: the entry that *is* the thing answers ("як називається
#: наш пансіон": the guesthouse's item, not the FAQ on the guesthouse's Wi-Fi).
# fmt: off
NAME_WORDS = frozenset([
    "name", "called", "named", "назва", "називається", "звати", "називатися", "название",
    "называется", "называться", "ime", "imenuje", "naziv", "imenovati",
])
# fmt: on
#: Words that ask a measured or historical fact about a place or a thing - its age, depth,
#: height, size, population, when it was built. A programme's entries seldom state such facts, so
#: such a word weighs fully whatever its frequency ("років" is common): when no entry has it, the
#: entry that names the place ("how old is the castle" / the castle trip) does not explain the
#: question and is not answered with.
# fmt: off
ATTRIBUTE_WORDS = frozenset([
    "рік", "років", "року", "роки", "вік", "віку", "старий", "старе", "стара", "давній",
    "глибина", "глибини", "глибокий", "глибоке", "глибока", "висота", "висоти", "високий",
    "високе", "висока", "довжина", "довжини", "населення", "жителів",
    "мешканців", "побудований", "побудували", "збудований", "збудували", "заснований",
    "заснували", "засновано",
    "год", "года", "лет", "возраст", "старый", "древний", "глубина", "глубины", "глубокий",
    "глубокое", "глубокая", "высота", "высоты", "высокий", "длина", "население",
    "жителей", "построен", "построили", "основан", "основали",
    "leto", "let", "leta", "star", "stara", "staro", "starost", "globina", "globok", "globoko",
    "globoka", "višina", "visok", "visoka", "visoko", "dolžina", "prebivalcev",
    "prebivalci", "zgrajen", "zgradili", "ustanovljen", "ustanovili",
    "years", "year", "old", "age", "ancient", "deep", "depth", "high", "height", "tall",
    "length", "population", "inhabitants", "built", "founded",
])
# fmt: on
#: Weekday names in every case people type them (uk, ru, sl, en) -> Monday=0 ... Sunday=6.
#: The live-data intents read days from these; in the ranked search they are only weak words.
WEEKDAYS: dict[str, int] = {
    word: day
    for day, forms in enumerate(
        (
            "monday mondays понеділок понеділка понеділку понеділком понедельник понедельника "
            "понедельнику ponedeljek ponedeljka ponedeljku ponedeljkih",
            "tuesday tuesdays вівторок вівторка вівторку вторник вторника вторнику torek torka "
            "torku torkih",
            "wednesday wednesdays середа середи середу середі среда среды среду среде sreda "
            "srede sredo sredi sredah",
            "thursday thursdays четвер четверга четвергу четверг четверга четвергу četrtek "
            "četrtka četrtku četrtkih",
            "friday fridays п'ятниця п'ятниці п'ятницю п'ятницею пятниця пятницю пятница "
            "пятницы пятницу пятнице petek petka petku petkih",
            "saturday saturdays субота суботи суботу суботі суббота субботы субботу субботе "
            "sobota sobote soboto soboti sobotah",
            "sunday sundays неділя неділі неділю неділею воскресенье воскресенья воскресенью "
            "nedelja nedelje nedeljo nedelji nedeljah",
        )
    )
    for word in forms.split()
}

#: Words that are ambiguous or too general to decide an answer alone: weight in the ranking.
#: Place names, the programme's own words, durations and days are in every question and in
#: many entries; a question about something else that happens to name them must still be declined.
WEAK_WORDS: dict[str, float] = {
    "номер": 0.3, "номеру": 0.3, "number": 0.5, "številka": 0.5, "час": 0.4, "time": 0.4,
    "čas": 0.4, "časa": 0.4, "время": 0.4, "день": 0.4, "day": 0.4, "dan": 0.4, "днем": 0.4,
    "словенія": 0.3, "словении": 0.3, "slovenia": 0.3, "slovenija": 0.3, "sloveniji": 0.3,
    "словенії": 0.3, "словению": 0.3, "словенію": 0.3, "domžale": 0.4, "домжале": 0.4,
    "domžalah": 0.4, "ljubljana": 0.5, "ljubljani": 0.5, "ljubljano": 0.5, "любляна": 0.5,
    "любляні": 0.5, "любляну": 0.5, "любляне": 0.5, "programme": 0.6, "програма": 0.6,
    "visit": 0.5, "візит": 0.5, "obisk": 0.5, "зробити": 0.3, "робити": 0.3, "do": 0.3,
    "storiti": 0.3, "ukrajina": 0.3, "ukrajinci": 0.3, "ukrajinec": 0.3, "ukrajinski": 0.3,
    "ukraine": 0.3, "ukrainian": 0.3, "ukrainians": 0.3, "україна": 0.3, "українці": 0.3,
    "український": 0.3, "українська": 0.3, "украина": 0.3, "украинцы": 0.3, "украинский": 0.3,
    "participant": 0.4, "participants": 0.4, "udeleženec": 0.4, "udeleženci": 0.4,
    "учасник": 0.4, "учасники": 0.4, "участник": 0.4, "участники": 0.4, "delegation": 0.4,
    "delegacija": 0.4, "делегація": 0.4, "делегация": 0.4, "group": 0.4, "skupina": 0.4,
    "група": 0.4, "группа": 0.4, "city": 0.5, "town": 0.5, "hall": 0.5, "mesto": 0.5,
    "місто": 0.5, "город": 0.5, "občina": 0.5, "municipality": 0.5, "муніципалітет": 0.5,
    "мерія": 0.5, "mayor": 0.5, "župan": 0.5, "мер": 0.5, "week": 0.4, "teden": 0.4,
    "тиждень": 0.4, "тижні": 0.4, "неделя": 0.4, "неделе": 0.4, "minutes": 0.4, "minut": 0.4,
    "хвилин": 0.4, "минут": 0.4, "hours": 0.4, "ur": 0.4, "годин": 0.4, "часов": 0.4,
    "last": 0.4, "zadnji": 0.4, "останній": 0.4, "последний": 0.4, "first": 0.4, "prvi": 0.4,
    "перший": 0.4, "первый": 0.4, "long": 0.4, "ura": 0.4, "uri": 0.4, "ask": 0.4,
    "звернутися": 0.4, "обратиться": 0.4, "obrniti": 0.4, "morning": 0.5, "zjutraj": 0.5,
    "зранку": 0.5, "утром": 0.5, "evening": 0.5, "zvečer": 0.5, "ввечері": 0.5,
    "вечером": 0.5, "afternoon": 0.5, "popoldne": 0.5,
}  # fmt: skip
# What is asked about a thing, not the thing: its name, what it is called.
WEAK_WORDS.update(dict.fromkeys(NAME_WORDS, 0.3))
WEAK_WORDS.update(
    dict.fromkeys([*WEEKDAYS, *TODAY_WORDS, *TOMORROW_WORDS, *AFTER_TOMORROW_WORDS], 0.4)
)


def _lookup() -> dict[str, frozenset[str]]:
    """Word or two-word phrase (as given, and single words as lemmas) -> concept names.

    A lemma is added only when it is neither a function word of the language (Russian "есть",
    to eat, is read as "быть", to be) nor a word listed under another concept ("missing" is
    read as "miss", which is about being late): the lemmatiser's guess must not move a word.
    """
    table: dict[str, set[str]] = defaultdict(set)
    lemmas: list[tuple[str, str]] = []
    for concept in CONCEPTS:
        for lang, words in concept.words.items():
            for phrase in words:
                parts = tokens(phrase)
                if not parts:
                    continue
                table[" ".join(parts)].add(concept.name)
                if len(parts) == 1 and SCRIPTS[lang] == script_of(parts[0]):
                    word_lemma = lemma(parts[0], lang)
                    if word_lemma not in STOPWORDS[lang]:
                        lemmas.append((word_lemma, concept.name))
    listed = {word: frozenset(names) for word, names in table.items()}
    for word_lemma, name in lemmas:
        if word_lemma not in listed or name in listed[word_lemma]:
            table[word_lemma].add(name)
    return {word: frozenset(names) for word, names in table.items()}


class _Lookup(Mapping[str, frozenset[str]]):
    """:func:`_lookup`'s table, built on first use: it lemmatises every word of the lexicon,
    which reads the lemmatiser's dictionaries - work for the first question, not for import."""

    def __init__(self) -> None:
        self._table: dict[str, frozenset[str]] | None = None

    @property
    def table(self) -> dict[str, frozenset[str]]:
        if self._table is None:
            self._table = _lookup()
        return self._table

    def __getitem__(self, word: str) -> frozenset[str]:
        return self.table[word]

    def get(self, word: str, default: Any = None) -> Any:  # hot path: no KeyError round trip
        return self.table.get(word, default)

    def __contains__(self, word: object) -> bool:
        return word in self.table

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


LOOKUP: Mapping[str, frozenset[str]] = _Lookup()
CONCEPT_WEIGHT: dict[str, float] = {c.name: c.weight for c in CONCEPTS}
