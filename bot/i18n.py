"""Translations, the current locale, plural forms and date/time formatting.

* The bot's own strings are English msgids in gettext catalogs
  (``locales/<lang>/LC_MESSAGES/messages.po``; any further ``.po`` file there is merged in).
  The ``.po`` files are compiled in memory, so no build step stands between an edit and the bot.
* The locale of the update being handled lives in a :class:`~contextvars.ContextVar`; messages the
  bot sends on its own initiative pass ``locale=`` explicitly.
* Programme content is stored per language (``{"uk": ..., "sl": ..., "en": ...}``) and shown with
  :func:`localize`, which falls back in the order of :data:`FALLBACK` and says when it did.
* Dates and times go through Babel only, in the programme's time zone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from babel.units import format_unit

LANGUAGES: tuple[str, ...] = ("uk", "sl", "en")
DEFAULT_LANGUAGE = "en"

#: The order in which a text in several languages falls back when the wanted one is missing.
FALLBACK: dict[str, tuple[str, ...]] = {
    "uk": ("uk", "en", "sl"),
    "sl": ("sl", "en", "uk"),
    "en": ("en", "sl", "uk"),
}

#: Telegram ``language_code`` prefixes mapped to our languages; anything else is English.
_GUESS = {
    "uk": "uk",
    "ru": "uk",
    "sl": "sl",
    "hr": "sl",
    "bs": "sl",
    "sr": "sl",
    "sh": "sl",
    "cnr": "sl",
    "me": "sl",
    "mk": "sl",
    "bg": "sl",
}

KYIV = ZoneInfo("Europe/Kyiv")

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LANGUAGE)


def guess_language(language_code: str | None) -> str:
    """Our language for a Telegram ``language_code`` such as ``"uk"``, ``"ru-RU"`` or ``"hr"``."""
    if not language_code:
        return DEFAULT_LANGUAGE
    prefix = language_code.lower().replace("_", "-").split("-")[0]
    return _GUESS.get(prefix, DEFAULT_LANGUAGE)


def locales_dir() -> Path:
    """The catalogs: inside the installed package, else the checkout's top-level ``locales/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "locales", here.parent / "locales"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("translation catalogs not found (locales/)")


@cache
def translations(lang: str) -> Translations:
    """All catalogs of ``lang`` merged into one, compiled in memory (fuzzy entries skipped)."""
    merged: Translations | None = None
    folder = locales_dir() / lang / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=po.stem)
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        buf.seek(0)
        part = Translations(fp=buf, domain=po.stem)
        if merged is None:
            merged = part  # the first catalog brings the language's plural rule
        else:
            merged.merge(part)
    if merged is None:
        raise FileNotFoundError(f"no catalogs for {lang!r} in {folder}")
    return merged


def get_locale() -> str:
    return _current.get()


def set_locale(lang: str) -> None:
    """Set the locale of the update being handled (the update processor resets it after)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def use_locale(lang: str) -> Iterator[None]:
    """Render in ``lang`` for the duration of the block (proactive messages, tests)."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, *, locale: str | None = None, **fmt: object) -> str:
    """Translate ``message``; keyword arguments fill its ``{placeholders}``."""
    text = translations(locale or get_locale()).ugettext(message)
    return text.format(**fmt) if fmt else text


def ngettext(
    singular: str, plural: str, n: int, *, locale: str | None = None, **fmt: object
) -> str:
    """Translate with the plural form for ``n``; ``{n}`` is always available to the text."""
    text = translations(locale or get_locale()).ungettext(singular, plural, n)
    return text.format(n=n, **fmt)


def pgettext(context: str, message: str, *, locale: str | None = None, **fmt: object) -> str:
    """:func:`gettext` of a message in a context: the same English words that another language
    writes differently by the context (a person's gender, the hour after a preposition)."""
    text = translations(locale or get_locale()).upgettext(context, message)
    return text.format(**fmt) if fmt else text


_ = gettext


def quote(text: str, lang: str | None = None) -> str:
    """``text`` in the reader's quotation marks (the catalog's): «…» in Ukrainian, »…« in
    Slovenian, “…” in English."""
    return gettext("“{text}”", locale=lang, text=text)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translate it later with ``_``)."""
    return message


def localize(text: Mapping[str, str] | str | None, lang: str | None = None) -> tuple[str, bool]:
    """Pick ``lang`` from a multilingual text, else fall back; returns (text, is_fallback)."""
    if text is None:
        return "", False
    if isinstance(text, str):
        return text, False
    lang = lang or get_locale()
    for i, candidate in enumerate(FALLBACK.get(lang, FALLBACK[DEFAULT_LANGUAGE])):
        value = text.get(candidate)
        if value:
            return value, i > 0
    return "", False


#: Shown after a text taken from another language than the reader's.
FALLBACK_MARK = "ᶠ"


def tr(text: Mapping[str, str] | str | None, lang: str | None = None) -> str:
    """:func:`localize` with a discreet mark when the text is a fallback."""
    value, fallback = localize(text, lang)
    return f"{value} {FALLBACK_MARK}" if fallback else value


# ---------------------------------------------------------------- dates and times (Babel only)

#: The Babel locale of each language: our English is British ("programme", "9 October").
BABEL_LOCALES = {"uk": "uk", "sl": "sl", "en": "en_GB"}

#: A no-break space, kept between a number and its unit ("30 хв", "2023 р.").
NBSP = "\u00a0"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, lang))


# The formatted strings are pure functions of their arguments and repeat endlessly (the same
# session times, the same countdowns within a minute), so each is kept in a bounded cache.


def format_date(
    value: date | datetime, tz: ZoneInfo, fmt: str = "full", lang: str | None = None
) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(tz).date()
    return _format_date(value, fmt, lang or get_locale())


#: Date formats where the house style differs from CLDR's: British style writes a full date
#: without a comma after the weekday ("Tuesday 10 October 2023"), where en_GB has "Tuesday, 10
#: October 2023".
_DATE_PATTERNS = {("en", "full"): "EEEE d MMMM y"}


@lru_cache(maxsize=4096)
def _format_date(value: date, fmt: str, lang: str) -> str:
    return babel_dates.format_date(
        value, format=_DATE_PATTERNS.get((lang, fmt), fmt), locale=_locale(lang)
    )


def format_day(value: date, lang: str | None = None) -> str:
    """A short weekday and day, e.g. "Mon 9 Oct" / "пн, 9 жовт." / "pon., 9. okt."."""
    return _format_day(value, lang or get_locale())


@lru_cache(maxsize=4096)
def _format_day(value: date, lang: str) -> str:
    return babel_dates.format_skeleton("MMMEd", value, locale=_locale(lang))


#: Times of day where a language's own rule differs from CLDR's: Slovenian orthography writes
#: "7.30", "19.00" (a dot, no leading zero; the colon is for devices and measured durations),
#: where CLDR has "07:30". Ukrainian and British English keep CLDR's "07:30".
_TIME_PATTERNS = {"sl": "H.mm"}


def format_time(value: datetime, tz: ZoneInfo, lang: str | None = None) -> str:
    """A 24-hour time without seconds: "08:00", Slovenian "8.00"."""
    return _format_time(value, tz, lang or get_locale())


@lru_cache(maxsize=16384)
def _format_time(value: datetime, tz: ZoneInfo, lang: str) -> str:
    pattern = _TIME_PATTERNS.get(lang)
    if pattern is not None:
        return babel_dates.format_time(value, pattern, tzinfo=tz, locale=_locale(lang))
    return babel_dates.format_skeleton("Hm", value, tzinfo=tz, locale=_locale(lang))


def format_clock(value: time, lang: str | None = None) -> str:
    """A time of day on no particular date (the quiet hours, the digest's hour), as
    :func:`format_time` writes it: "22:00", Slovenian "22.00"."""
    utc = ZoneInfo("UTC")
    return _format_time(datetime.combine(date(2000, 1, 1), value, utc), utc, lang or get_locale())


def format_datetime(value: datetime, tz: ZoneInfo, lang: str | None = None) -> str:
    """A date and a 24-hour time without seconds, e.g. "10 Oct 2023, 08:00"."""
    return _format_datetime(value, tz, lang or get_locale())


@lru_cache(maxsize=4096)
def _format_datetime(value: datetime, tz: ZoneInfo, lang: str) -> str:
    locale = _locale(lang)
    day = babel_dates.format_date(value.astimezone(tz).date(), format="medium", locale=locale)
    glue = str(locale.datetime_formats["medium"])
    return glue.replace("{1}", day).replace("{0}", _format_time(value, tz, lang))


def format_date_range(start: date, end: date, lang: str | None = None) -> str:
    """Two days as one interval: "8–28 жовтня 2023 р.", "8.–28. oktober 2023", "8–28 October
    2023", "8 October – 2 November 2023"; the month and year are written once where the two
    share them."""
    return _format_date_range(start, end, lang or get_locale())


_ABBREVIATED_MONTH = re.compile(r"(?<![ML])(MMM|LLL)(?![ML])")
#: CLDR's en_GB sets the interval's en dash between thin spaces ("8 – 28 October"). British
#: style (New Hart's Rules) closes it up between numbers ("8–28 October", "09:00–10:30") and
#: spaces it between dates that contain spaces ("8 October – 2 November"), the space before it
#: a no-break one so that no line starts with the dash. The days only: (closed, spaced).
_RANGE_DASHES = {"en": ("–", NBSP + "– ")}
_CLDR_DASH = "\u2009–\u2009"


@lru_cache(maxsize=1024)
def _format_date_range(start: date, end: date, lang: str) -> str:
    locale = _locale(lang)
    if start == end:
        return babel_dates.format_skeleton("yMMMMd", start, locale=locale)
    # CLDR has interval patterns for "yMMMd" only; its matching rules allow widening a field, so
    # the abbreviated month becomes the full one (in the form the pattern's context asks for).
    parts = locale.interval_formats["yMMMd"]
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    first, second = (_ABBREVIATED_MONTH.sub(lambda m: m[1] + m[1][0], p) for p in parts[field])
    if lang in _RANGE_DASHES:
        closed, spaced = _RANGE_DASHES[lang]
        first = first.replace(_CLDR_DASH, closed if field == "d" else spaced)
    return babel_dates.format_date(start, first, locale=locale) + babel_dates.format_date(
        end, second, locale=locale
    )


def _amount(n: int, unit: str, lang: str) -> str:
    """ "30 хв", "1 h", "2 hrs": a short duration unit (CLDR's; in English the house style
    "1 hr 30 mins"), its number bound to it by a no-break space."""
    text = format_unit(n, f"duration-{unit}", length="short", locale=_locale(lang))
    return text.replace(" ", NBSP)


def format_duration(delta: timedelta, lang: str | None = None) -> str:
    """Hours and minutes, never rounded up: "1 год 30 хв" for 1 h 30 min 59 s."""
    lang = lang or get_locale()
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [_amount(hours, "hour", lang)] if hours else []
    if minutes or not hours:
        parts.append(_amount(minutes, "minute", lang))
    return " ".join(parts)


def format_countdown(moment: datetime, now: datetime, tz: ZoneInfo, lang: str | None = None) -> str:
    """How far ``moment`` is from ``now``, never earlier than it is: "in 1 h 30 min" the same
    day, "tomorrow at 09:00" the next day, "on Thu 12 Oct at 09:00" later on."""
    return _format_countdown(moment, now, tz, lang or get_locale())


@lru_cache(maxsize=16384)
def _format_countdown(moment: datetime, now: datetime, tz: ZoneInfo, lang: str) -> str:
    if moment < now:
        return gettext("{duration} ago", locale=lang, duration=format_duration(now - moment, lang))
    days = (moment.astimezone(tz).date() - now.astimezone(tz).date()).days
    if days == 0 and moment - now < timedelta(minutes=1):
        return gettext("in under a minute", locale=lang)
    if days == 0:
        return gettext("in {duration}", locale=lang, duration=format_duration(moment - now, lang))
    time = _format_time(moment, tz, lang)
    # Ukrainian says "об 11:00" but "о 09:00": the catalogs hold a form for the eleventh hour.
    eleven = moment.astimezone(tz).hour == 11
    if days == 1:
        if eleven:
            return pgettext("at eleven", "tomorrow at {time}", locale=lang, time=time)
        return gettext("tomorrow at {time}", locale=lang, time=time)
    day = _format_day(moment.astimezone(tz).date(), lang)
    if eleven:
        return pgettext("at eleven", "on {day} at {time}", locale=lang, day=day, time=time)
    return gettext("on {day} at {time}", locale=lang, day=day, time=time)


def kyiv_differs(value: datetime, tz: ZoneInfo) -> bool:
    return value.astimezone(tz).utcoffset() != value.astimezone(KYIV).utcoffset()


def format_time_with_kyiv(value: datetime, tz: ZoneInfo, lang: str | None = None) -> str:
    """Local time, and Kyiv time beside it where the two differ: "09:00 (10:00 Kyiv)"."""
    local = format_time(value, tz, lang)
    if not kyiv_differs(value, tz):
        return local
    return gettext(
        "{local} ({kyiv} Kyiv time)", locale=lang, local=local, kyiv=format_time(value, KYIV, lang)
    )


def language_name(lang: str, in_language: str | None = None) -> str:
    """A language's name as a label, in the reader's language ("Ukrajinščina" read in
    Slovenian) or in ``in_language`` (in itself for a language picker), capitalised."""
    return capitalised(Locale.parse(lang).get_display_name(in_language or get_locale()) or lang)


def capitalised(label: str) -> str:
    """``label`` with a capital first letter, as a button starts (a role, a language's name)."""
    return label[:1].upper() + label[1:]


#: "in Ukrainian" as each language says it where a sentence names a text's language: the
#: adverb or the phrase fits every case ("текст українською", "besedilo v ukrajinščini").
_IN_LANGUAGE = {"uk": N_("in Ukrainian"), "sl": N_("in Slovenian"), "en": N_("in English")}


def in_language(lang: str, reader: str | None = None) -> str:
    """ "in Slovenian" / "словенською" / "v slovenščini", for a sentence about a text."""
    return gettext(_IN_LANGUAGE[lang], locale=reader)


def zone_city(tz: ZoneInfo, lang: str | None = None) -> str:
    """The city a time zone is named after, in the reader's language ("Любляна")."""
    return _zone_city(tz, lang or get_locale())


@lru_cache(maxsize=64)
def _zone_city(tz: ZoneInfo, lang: str) -> str:
    return str(babel_dates.get_timezone_location(tz, locale=_locale(lang), return_city=True))
