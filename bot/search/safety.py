"""Safety first: messages about feeling unwell, an injury, an accident, a fire or a missing person.

Such a message is answered at once with the programme's emergency entry and its medical contact,
whatever else it says and however sure the ranking is: a person who writes "мені погано" or "my
colleague is missing" must not get "I don't have a good answer". The patterns cover uk, ru, sl and
en in the registers people write in (first person, third person, a bare "ДТП", Latin-typed
Ukrainian), and leave out what only looks alike: the fire brigade the group visits, a lost
passport or Wi-Fi that "disappeared", a pharmacy question about a headache.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.search.text import normalise, to_cyrillic


class Danger(StrEnum):
    UNWELL = "unwell"
    INJURY = "injury"
    ACCIDENT = "accident"
    FIRE = "fire"
    MISSING = "missing"


#: Things that can "disappear" without anyone being in danger.
_THINGS = (
    r"інтернет|зв'язок|вайфай|wi-fi|wifi|паспорт|документ\w*|гаманець|телефон|багаж|валіз\w*|"
    r"світло|вода|сигнал|гроші|ключ\w*|картк\w*|сумк\w*|интернет|связь|кошел[её]к|чемодан\w*|"
    r"свет|деньги|сумк\w*|internet|signal|elektrika|voda|denarnic\w*|prtljag\w*|kovček\w*|"
    r"luggage|bag|bags|suitcase|passport|wallet|phone|documents?|keys?|card|money|signal"
)
#: Who can be missing.
_PERSON = (
    r"колег\w*|друг\w*|подруг\w*|учасни\w*|член\w*|людин\w*|дитин\w*|чоловік\w*|жінк\w*|його|її|"
    r"коллег\w*|участни\w*|человек\w*|ребен\w*|мужа|жену|его|е[её]|kolega|kolegic\w*|kolego|"
    r"udeleženk\w*|udeleženc\w*|udeleženec|prijatelj\w*|ga|jo|njega|nje|colleague|friend|"
    r"roommate|him|her|one of (us|our|the group)|member|participant|a person|someone"
)

#: Someone not answering their phone.
_SILENT = (
    r"не відповіда\w*|не бере трубку|не отвеча\w*|не бер[её]т трубку|se ne oglaša\w*"
    r"|ne odgovarja\w*|(isn'?t|is not|hasn'?t|has not|not) (been )?(answering|picking up|picked up"
    r"|responding|answered)"
    # a phone out of reach: "телефон поза зоною", "вне зоны доступа", "ni dosegljiv"
    r"|поза зоною|вне зоны|ni dosegljiv\w*|out of (reach|range)"
)

#: "our colleague", "нашого колегу", "naše kolegice".
_OWN = r"(our|my|his|her|нашу|нашого|нашу|свою|свого|нашего|нашу|мою|моего|našega|našo|mojega)"

_PATTERNS: dict[Danger, tuple[str, ...]] = {
    Danger.UNWELL: (
        # uk
        r"\b(мені|мне) (дуже |очень |зовсім |совсем |так )?(погано|зле|недобре|плохо|нехорошо)",
        r"\b(погано|зле|плохо) (себе )?(почуваю|почуває|чувствую|чувствует)",
        r"\bнудить\b|\bтошнит\b|\bблю(ю|є|в)\w*|\bвирвал\w*|\bрвота|\bвырвал\w*",
        r"запаморочен\w*|паморочит\w*|крутит\w* голов\w*|кружит\w* голов\w*|головокружен\w*",
        r"\bболит\w* (серце|сердце|живіт|живот|в грудях|в груди|груди)",
        r"біль у грудях|боль в груди|серцев\w* напад|інфаркт|инфаркт|інсульт|инсульт",
        r"висок\w* температур\w*|высок\w* температур\w*|температур\w* (під|под) (сорок|40)",
        r"задиха\w*|важко дихати|трудно дышать|не можу дихати|не могу дышать",
        r"знепритомн\w*|втрати\w* свідомість|без свідомості|потерял\w* сознание|без сознания",
        r"не (реагує|дихає|реагирует|дышит)\b|\bшвидк\w* допомог\w*|\bскор(ую|ая|ой)\b",
        # sl
        r"\bslabo mi je|počutim se (zelo |res |tako )?slabo|\bbruha\w*|vrti se mi",
        r"boli me v prsih|bolečin\w* v prsih|visok\w* vročin\w*|težko diham|ne morem dihati",
        r"onesvesti\w*|nezavest\w*|se ne odziva|\breševalc\w*|rešilc\w*|rešilni avto",
        # someone else: "kolegici je slabo", "ne more dihati", "не може дихати", "can't breathe"
        r"\b(mu|ji|jim|nekomu|kolegu|kolegici|kolegi|prijatelju|prijateljici|sodelavcu|sodelavki"
        r"|možu|ženi|otroku) je (\w+ )?slabo\b",
        r"\bzgrudil\w*|\bne diha\b|\bboli (ga|jo|ju|jih) v prsih|\bз?непритомні\w*",
        r"ne more(ta|jo)? dihati|težko diha\w*|не може(те|мо)? дихати|не может дышать",
        r"(he|she|they) (can'?t|cannot) breathe|(is|are) not breathing|struggling to breathe",
        # en
        r"\bfeel(ing)? (really |very |so |quite )?(sick|ill|unwell|dizzy|faint|terrible|awful)",
        r"not feeling (well|good)|\bi'?m (very |really )?(sick|ill|unwell|dizzy)\b",
        r"throwing up|\bvomit\w*|chest pains?|heart attack|\bstroke\b|can'?t breathe",
        r"difficulty breathing|short of breath|\bfainted\b|passed out|\bunconscious\b",
        r"\bcollapsed\b|not responding|unresponsive|\bambulance\b|high (fever|temperature)",
        # someone else, or "стало": "йому погано", "мені стало зле", "человеку плохо с сердцем"
        r"\b(стало|стає|становится) (дуже |очень |зовсім |совсем )?(погано|зле|плохо|недобре)",
        r"\b(йому|їй|ему|ей|людині|человеку|колезі|коллеге|дитині|ребенку|ребёнку)"
        r" (дуже |очень |зовсім |совсем |стало )?(погано|зле|плохо)",
        r"(погано|плохо|зле) (з|с|із) серцем|\bz srcem\b|heart (problem|trouble)s?\b",
        # convulsions, an allergic reaction, numbness (a stroke's sign)
        r"\bсудом\w*|\bсудорог\w*|\bконвульс\w*|\bkrč\w*|\bseizures?\b|\bconvulsions?\b",
        r"алергічн\w* реакці\w*|аллергическ\w* реакци\w*|\bанафілак\w*|\bанафилак\w*",
        r"набря\w* (облич\w*|горл\w*|губ\w*)|\bнабрякл\w*|\bот[её]к\w* (лиц\w*|горл\w*|губ\w*)",
        r"alergijsk\w* reakcij\w*|\botekl\w*|allergic reaction|anaphyla\w*|(face|throat|lips?)"
        r" (is |are )?swell\w*|\bоніміл\w*|\bнімі(є|ють)\b|\bнемеет\b|\bонемел\w*|\bnumb\b",
    ),
    Danger.INJURY: (
        r"\bтравм\w*|\bпоранил\w*|\bпоранен\w*|\bпоранив\w*|\bранен(ий|а|о|і|ого|ый|ая|ые)\b",
        r"\bзламав\w*|\bзламала\b|\bперелом\w*|\bсломал\w*",
        r"кров\w* (тече|не зупиняє\w*|йде|идет|не останавлива\w*)|кровотеч\w*|кровотечен\w*",
        r"\bкровить\b|\bпорізал\w*|\bпорізав\w*|\bпорезал\w*|вдари\w* голов\w*|удари\w* голов\w*",
        r"\b(впав|впала|упав|упал|упала)\b|\bпослизну\w*|\bподскользну\w*|\bопік\w*|\bобпік\w*|\bожог\w*|\bобж[её]г\w*|\bвивих\w*",
        r"\bpoškodova\w*|\bpoškodb\w*|\branjen\w*|\bzlomil\w*|\bkrvavi\w*|\burezal\w*",
        r"\b(padel|padla)\b|\bopekl\w*|\bopeklin\w*|udaril\w* (v|z) glav\w*",
        r"\binjur\w*|\bhurt\b|\bwounded\b|\bbroken (leg|arm|bone|wrist|ankle)|\bbroke (his|her|my)",
        r"\bfracture\w*|\bbleeding\b|\bblood\b|\bcut (my|his|her|their)\w* (hand|finger|leg|arm)",
        r"\bcut (myself|himself|herself)|\bfell (down|off|over)\b|\bslipped\b|\bsprained\b",
        r"twisted (my |his |her )?ankle|\bburn(ed|t) (my|his|her)|\bbitten\b",
        # bites and stings: "вкусила змія", "укусила змея", "pičila ga je kača", "a dog bit him"
        r"\b(вкусил\w*|укусил\w*|вкусив|укусив|покусал\w*|покусав\w*|ugriznil\w*|pičil\w*)\b",
        r"\b(bit|stung) (me|him|her|them|us)\b|\b(snake|dog|tick) ?bites?\b",
        # a fall from a height, cannot get up, a limb at a wrong angle
        r"\b(зірвав(ся)?|зірвала(ся)?|сорвал(ся|ась)|сорвался|падла|padel z|padla z)\b",
        r"\bне (може|можу|может|могу) (встати|підвестися|встать|подняться)\b"
        r"|\bne (more|morem) vstati\b|\b(can'?t|cannot) (get|stand) up\b",
        r"\bвиверну\w*|\bвыверну\w*|\bizpahnil\w*|\bdislocat\w*",
        # blood on a body: "кров на голові", "в крові", "kri iz nosu"
        r"\bкров\w* (на|з|із|из|по) \w+|\b(в|у) крові\b|\bв крови\b|\bkri (na|iz|teče)\b",
    ),
    Danger.ACCIDENT: (
        # in the water: "fell into the river", "упав у море", "тоне", "utaplja se"
        r"\b(fell|fallen|jumped) (in|into) (the )?(river|water|sea|lake|canal)|\bdrown\w*",
        r"\b(впав|впала|упав|упал|упала|упали) (у|в) (море|річку|реку|воду|озеро|канал)",
        r"\b(тоне|тонуть|тонет|потонув|потонула|утонул\w*|утопи\w*)\b|\butaplja\w*|\butonil\w*",
        r"padel\w* v (reko|vodo|morje|jezero)|\bne (може|может|more) (вилізти|вылезти|ven)\b",
        r"\bдтп\b|\bаварі[яюїйі]\w*|\bавари[яюий]\w*|нещасн\w* випад\w*|несчастн\w* случа\w*",
        r"\b(збила|збив|збило|сбила|сбил|сбило) (машина|авто|автомобіль|автомобиль|автобус)",
        r"\b(нас|його|її|мене|колегу|людину|его|ее|её|меня|коллегу|человека) (збила|збив|збило"
        r"|сбила|сбил|сбило)\b|\b(збила|збив|збило|сбила|сбил|сбило) (\w+ )?(мотоцикл|велосипед"
        r"|скутер|самокат|трамва|вантажівк|грузовик|потяг|поезд)\w*",
        r"hit by an? (\w+ )?(car|bus|truck|van|motorbike|motorcycle|bike|scooter|train|tram)",
        r"(zadel|zbil|povozil) (ga|jo|nas) je|(ga|jo|nas) je (zadel|zbil|povozil)",
        r"(збила|сбила) машина|перевернул\w*|зіткнен\w*|столкновен\w*",
        r"prometn\w* nesreč\w*|\bnesrečo\b|imeli smo nesrečo|\btrčenj\w*|\btrčil\w*",
        r"\bpovozil\w*|avto (ga|jo|nas) je zadel",
        r"\baccident\b|\bcrash(ed)?\b|hit by a (car|bus|truck)|\bcollision\b|\brun over\b",
    ),
    Danger.FIRE: (
        r"\bпожеж(а|у|і|ею)\b|\bпожар(а|у|е|ом)?\b|(?<!не )\b(горить|горимо|горит)\b",
        r"\bзагорі\w*|\bзагорел\w*|\bзадимлен\w*|\bзадымлен\w*",
        r"\bд[иы]м (з|із|у|в|йде|іде|из|ид[её]т|валить|валит)\b",
        # smoke after its verb ("пошёл дым", "валить дим"), a short circuit, sparks
        r"\b(пішов|пішла|йде|іде|валить|пош[её]л|ид[её]т|валит) д[иы]м\b",
        r"коротк\w* замикан\w*|коротк\w* замыкан\w*|\bkratek stik\b"
        r"|\bзамкнул[оа] (розетк\w*|проводк\w*|провод\w*|щит\w*|у розетці|в розетке)"
        r"|short[- ]circuit\w*|\bіскр(ить|ять)\b|\bискр(ит|ят)\b|\biskri\b|\bsparks? (coming|from)",
        r"пахне газом|запах газу|витік газу|пахнет газом|запах газа|утечк\w* газа",
        r"пахне газом|газом пахне|пожежн\w* тривог\w*|пожарн\w* тревог\w*",
        r"\bpožar(a|u|om)?\b|\bgori\b|\bzagorel\w*|\bdim (v|iz|se)\b|vonj po plinu|uhaja plin",
        r"požarni alarm|alarm za požar|vonj po (zažganem|dimu)|smrdi po (zažganem|dimu)",
        r"пожежн\w* сигналіз\w*|пожарн\w* сигнализ\w*|пахне (горілим|димом)|пахнет (гарью|дымом)",
        r"\bгорілим\b|\bгарью\b|smells? (of |like )?(burning|smoke)",
        r"\bfire\b(?! (brigades?|stations?|fighters?|departments?|services?|safety|drills?|exits?"
        r"|extinguishers?|protection|numbers?))",
        r"\bon fire\b|\bburning\b|there'?s smoke|\bsmoky\b",
        # "smoke in the corridor", not "can I smoke in my room"
        r"(?<!\bcan i )(?<!\bmay i )(?<!\bto )(?<!\bwe )\bsmoke (in|from|coming|everywhere)",
        r"smell of gas|gas leak|smells? (of|like) gas",
    ),
    Danger.MISSING: (
        rf"\b(зник|зникла|зникли|пропав|пропала|пропали|пропал|исчез|исчезла|исчезли|izginil\w*)\b"
        rf"(?! ({_THINGS})\b)",
        rf"\b(не можемо|не можу|не можем|не могу|ne moremo|ne morem|ne najdemo|can'?t|cannot)"
        rf" (знайти|найти|najti|find) ({_OWN}? ?({_PERSON}))\b|\bne najdemo ({_PERSON})\b",
        r"не поверну(лася|лась|вся|лися|лись)|не вернул(ся|ась|ись)|se ni vrnil\w*",
        # "його ніде немає", "её нигде нет", "ga ni nikjer", "(my colleague) is nowhere to be found"
        r"\b(його|її|їх|его|е[её]|их) (ніде|нигде) (немає|нема|нет|не видно)\b"
        r"|\b(ніде|нигде) (немає|нема|нет|не видно) (його|її|їх|его|е[её]|их)\b"
        r"|\b(ga|je|jih) ni nikjer\b|\bnikjer (ga|je|jih) ni\b"
        r"|\bnowhere to be (found|seen)\b",
        r"(hasn'?t|has not|didn'?t|did not) come back|\bpogreša\w*",
        r"(nobody|no one|noone) (has |have |had )?(seen|heard from)|ніхто не бачив|никто не видел"
        r"|nihče (ga |je )?ni videl|(can'?t|cannot) see (him|her|them) (anymore|any more)"
        r"|не бачимо (його|її)|не видим (его|ее|её)|ga ne vidimo več|je ne vidimo več",
        r"\bmissing\b(?! (luggage|bag|bags|suitcase|passport|wallet|phone|documents?|keys?|card))",
        r"gone missing|\bdisappeared\b|\bzagubil\w* (se|smo)",
        # someone went somewhere and is not answering, or has not answered for hours
        rf"\b(пішов|пішла|пішли|поїхав|поїхала|ушел|ушла|ушли|уехал\w*|odšel|odšla|odšli|went"
        rf"|left)\b.{{0,80}}\b({_SILENT})",
        rf"\b({_SILENT}).{{0,30}}\b(годин\w*|часа|часов|ur[eo]?|hours?|since|вже темно|уже темно"
        rf"|all day|cel dan)",
        r"\b(з|с|із) (обіду|обеда|ранку|утра|вечора|вечера)\b.{0,20}\bне (відповіда|отвеча)\w*",
        rf"\bwe(?:'ve| have)? lost (?!(our |my |the |a |his |her )?({_THINGS})\b)[a-z]{{3,}}",
        # a person (reflexive verb) lost: "потерялся ребенок", "колега загубився"
        r"\b(потерял(ся|ась|ись)|загубив(ся)|загубила(ся)|загубилися|заблука\w*|заблудил\w*)\b",
    ),
}

_COMPILED = {d: re.compile("|".join(f"(?:{p})" for p in pats)) for d, pats in _PATTERNS.items()}
#: "інтернет зник", "the wallet is missing": a thing just before the verb.
_THING_BEFORE = re.compile(rf"\b({_THINGS})( is| has)? $")
#: "звіт про пожежу на Красі", "poročilo o požaru": a past fire someone wants to read about.
_WRITTEN_ABOUT = re.compile(
    r"\b(звіт\w*|отч[её]т\w*|документ\w*|брошур\w*|poročil\w*|dokument\w*|brošur\w*"
    r"|(a|the) report|documents?|brochure)\b (про|о|об|o|about|on|of)\b[^.?!]{0,40}$"
)


def _found(danger: Danger, text: str) -> bool:
    for match in _COMPILED[danger].finditer(text):
        if danger is Danger.MISSING and _THING_BEFORE.search(text[: match.start()]):
            continue
        if danger is Danger.FIRE and _WRITTEN_ABOUT.search(text[: match.start()]):
            continue
        return True
    return False


def danger_in(text: str) -> Danger | None:
    """The kind of danger a message speaks of, or None.

    Latin-typed Ukrainian ("meni duzhe pohano") is read in Cyrillic as well.
    """
    plain = normalise(text)
    cyrillic = " ".join(to_cyrillic(w) for w in plain.split())
    for danger in _COMPILED:
        if _found(danger, plain) or _found(danger, cyrillic):
            return danger
    return None
