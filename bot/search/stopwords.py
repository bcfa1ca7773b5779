"""Function words per language: they never decide which entry answers a question.

Question words ("where", "коли", "kdaj") are here too; the live-data intents read them from the
raw words before stopwords are dropped.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("""
        a an the and or but if then so than that this these those there here it its it's i me my
        mine we us our you your yours he she him her his they them their what which who whom whose
        when where why how is are was were be been being am do does did doing done have has had
        having can could will would shall should may might must of in on at to for from by with
        about as into onto over under up down out off again any some all each every no not yes
        please hi hello thanks thank just also too very much many more most get got go going
        there's what's where's when's who's how's i'm we're you're it'll i'd let tell know
        need want like one ok okay buy anyone someone something anything whether because still
        isn't aren't doesn't don't didn't won't can't cannot there're we'll i'll i've
        get gets getting give given happen happens happened tell say said take show
        ours ourselves yourself here's that's where're someone's us anybody somebody
        """),
    "uk": _words("""
        а але або й і та чи що як де коли куди звідки чому хто кого кому чим який яка яке які
        якого якій якої яким в у на з із зі до від для по при про під над за між через без біля
        я мене мені мій моя моє мої ми нас нам наш наша наше наші ви вас вам ваш ваша ваше ваші
        він вона воно вони його її їх їм йому це цей ця ці той та те ті там тут так ні не же ж б
        бо є був була було були буде будуть бути можна можу може можемо треба потрібно чи
        скажіть підкажіть будь ласка будьласка привіт дякую добрий день доброго будь-ласка
        мабуть ще вже теж також тільки лише дуже якщо щоб ось хтось щось десь коли-небудь
        котрій котра котрої скільки потрібен потрібна потрібні купити
        нами вами ним нею ними нього неї них собі себе собою тобі тебе ти твій
        мати маю має маємо мають мав мала мали дати дадуть дають дасть дадуть дали
        хочу хочемо хочете хотів хотіла сказати скажуть скажіть показати отримати
        отримаємо отримуємо буду будемо будете будеш був-би цього цьому цим цієї цю
        того тому тим тієї оцей отой зараз тепер потім взагалі просто кого
        """),
    "ru": _words("""
        а но или и да ли что как где когда куда откуда почему кто кого кому чем какой какая
        какое какие каком в во на с со к ко от для по при про под над за между через без около
        я меня мне мой моя моё мое мои мы нас нам наш наша наше наши вы вас вам ваш ваша ваше
        ваши он она оно они его ее её их им ему это этот эта эти тот та то те там тут так нет не
        же ж бы есть был была было были будет будут быть можно могу может можем надо нужно
        скажите подскажите пожалуйста привет спасибо здравствуйте добрый день уже ещё еще тоже
        также только очень если чтобы кто-то что-то котором который которая сколько нужен
        нужна нужны купить
        нами вами ним ней ними него нее неё них себе собой тебе тебя ты твой этой
        этом эту этого этому этим тем той ту иметь имеем дать дадут дают даст дали
        хочу хотим хотел хотела сказать скажут показать получить получим получаем
        буду будем будете сейчас теперь потом вообще просто ли
        """),
    "sl": _words("""
        a ali in pa ter ter da če ko kaj kje kdaj kam od kod zakaj kdo koga komu čim kateri
        katera katero kateri katere katerem kakšen kakšna kakšno kakšni v na z s k h od do za
        pri po pred pod nad med brez iz o ob jaz mene mi meni moj moja moje moji mi nas nam naš
        naša naše naši vi vas vam vaš vaša vaše vaši on ona ono oni njega nje njih jih jim mu ji
        to ta te ti tisti tam tu tukaj tako ne ni da je sem si smo ste so bil bila bilo bili bo
        bodo biti lahko moram mora moramo morate treba potrebno prosim živjo hvala dober dan
        že še tudi samo zelo naj bi se sta ste lahk koliko kupiti kupim
        nami vami njimi mano tabo sabo seboj njim njej nas vas njo jo ga me te
        imeti imam imamo imajo dobiti dobim dobimo dobijo dobite dati dajo dajte
        hočem hočemo želim želimo povedati pokazati iti gre gremo grem bom boš bomo
        boste potrebujem potrebujemo potrebujejo potrebujete potrebovati zdaj sedaj
        potem sploh ki kar tega temu tem tej
        """),
}

#: Every language's stopwords together, for words whose language is unclear.
ANY_STOPWORD: frozenset[str] = frozenset().union(*STOPWORDS.values())
