"""Russian words of a visit's everyday life that have no Ukrainian look-alike, in Ukrainian.

Programmes are written in uk, sl and en; mentees also ask in Russian. A Russian word spelt like its
Ukrainian cognate ("ключи" / "ключі", "парковаться" / "паркуватися") is matched by its skeleton or
its regular spelling (:func:`bot.search.text.ukrainian_spelling`); these are the words that are
not: "полотенце" is "рушник", "мусор" is "сміття", "общежитие" is "гуртожиток". Each maps to the
Ukrainian word(s) a programme's text would use, which are then matched against the content's own
vocabulary like any Ukrainian word of the question (their lemmas, word families, cross-language
links and lexicon concepts).

The list is the domain's everyday vocabulary - lodging, meals, money, transport, health, papers,
clothes, safety, work visits - written from the domain, not from any set of test questions. Keys
are Russian lemmas as simplemma gives them (with "е" for "ё"). No maintained ru -> uk dictionary
package was found; simplemma and wordfreq have no translations.
"""

from __future__ import annotations

_PAIRS = """
полотенце: рушник | мусор: сміття | мусорный: сміттєвий | уборка: прибирання | убирать: прибирати
убрать: прибрати | стирка: прання | стирать: прати | прачечная: пральня | постельный: постільний
белье: білизна | одеяло: ковдра | утюг: праска | гладить: прасувати | общежитие: гуртожиток
жилье: житло | хозяин: господар | хозяйка: господиня | этаж: поверх | лестница: сходи
дверь: двері | ванная: ванна | ванный: ванна | мыло: мило | щетка: щітка | посуда: посуд
отопление: опалення | кондиционер: кондиціонер | завтрак: сніданок | завтракать: снідати
обед: обід | обедать: обідати | ужин: вечеря | ужинать: вечеряти | еда: їжа | пища: їжа
кушать: їсти | напиток: напій | столовая: їдальня | столовый: їдальня | блюдо: страва
вегетарианский: вегетаріанський | аллергия: алергія | деньги: гроші | наличные: готівка
наличный: готівка | сдача: решта | кошелек: гаманець | стоимость: вартість | цена: ціна
платить: платити | заплатить: заплатити | бесплатный: безкоштовний | бесплатно: безкоштовно
чаевые: чайові | обмен: обмін | обменять: обміняти | счет: рахунок | билет: квиток | поезд: потяг
самолет: літак | остановка: зупинка | отъезд: від'їзд | уезжать: від'їжджати | уехать: поїхати
приезд: приїзд | приезжать: приїжджати | приехать: приїхати | прилет: приліт | вылет: виліт
опоздать: запізнитися | опаздывать: запізнюватися | вернуться: повернутися
возвращаться: повертатися | водитель: водій | расписание: розклад | пропуск: перепустка
больница: лікарня | лекарство: ліки | врач: лікар | болеть: хворіти | больной: хворий
заболеть: захворіти | простуда: застуда | справка: довідка | удостоверение: посвідчення
переводчик: перекладач | перевод: переклад | опрос: опитування | доклад: доповідь
распечатать: роздрукувати | печатать: друкувати | встреча: зустріч | собрание: збори
прогулка: прогулянка | одежда: одяг | обувь: взуття | сапог: чоботи | перчатка: рукавиці
зонт: парасолька | зонтик: парасолька | дождь: дощ | курить: курити | курение: куріння
сигарета: цигарка | пепельница: попільничка | пожар: пожежа | кража: крадіжка | украсть: вкрасти
потерять: загубити | пропасть: зникнути | полиция: поліція | безопасность: безпека | связь: зв'язок
сеть: мережа | позвонить: зателефонувати | звонить: дзвонити | почта: пошта | подарок: подарунок
разрешить: дозволити | запретить: заборонити | вход: вхід | выход: вихід | река: річка
улица: вулиця | поблизости: поблизу | рядом: поруч | плавать: плавати | купаться: купатися
бассейн: басейн | отдых: відпочинок | выходной: вихідний | вечер: вечір | утро: ранок | ночь: ніч
неделя: тиждень | сувенир: сувенір | рынок: ринок | чемодан: валіза | хранить: зберігати
оставить: залишити
"""


def _table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for pair in _PAIRS.replace("\n", "|").split("|"):
        if pair.strip():
            ru, uk = (part.strip() for part in pair.split(":"))
            table[ru] = (*table.get(ru, ()), uk)
    return table


#: Russian lemma -> its Ukrainian words.
RU_TO_UK: dict[str, tuple[str, ...]] = _table()


#: Russian verb prefixes: "поужинать" is "ужинать" done once, and reads as its Ukrainian word
#: ("вечеряти"), whose family the content's "повечеряти" or "вечеря" is.
_PREFIXES = ("пере", "при", "про", "раз", "рас", "по", "за", "вы", "на", "от", "до", "у", "с")


def ukrainian_words(form: str) -> tuple[str, ...]:
    """The Ukrainian words of a Russian word or lemma without a look-alike (or nothing)."""
    form = form.replace("ё", "е")
    if form in RU_TO_UK:
        return RU_TO_UK[form]
    for prefix in _PREFIXES:
        if form.startswith(prefix) and len(form) - len(prefix) >= 4:
            words = RU_TO_UK.get(form[len(prefix) :])
            if words:
                return words
    return ()
