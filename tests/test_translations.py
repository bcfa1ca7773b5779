"""Every message the code can show exists, translated, in uk, sl and en, with the same placeholders.

The msgids are extracted from the source with Babel, as ``pybabel extract`` does, so a string
added to the code without a translation fails here.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, gettext, locales_dir

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
_TAG = re.compile(r"</?([a-z-]+)[^>]*>")
_CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")


#: A message of the code: its context (None for most) and its msgid (and plural msgid).
Key = tuple[str | None, tuple[str, ...]]


@cache
def source_messages() -> dict[Key, str]:
    """Every message of the code, mapped to where it is ("bot/x.py:12")."""
    found: dict[Key, str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        found.setdefault((context, ids), f"bot/{filename}:{lineno}")
    return found


@cache
def catalogs(lang: str) -> list[Catalog]:
    folder = locales_dir() / lang / "LC_MESSAGES"
    return [read_po(p.open("rb"), locale=lang) for p in sorted(folder.glob("*.po"))]


def _entry(lang: str, msgid: str, context: str | None = None) -> object | None:
    for catalog in catalogs(lang):
        message = catalog.get(msgid, context=context)
        if message is not None and message.string and not message.fuzzy:
            return message
    return None


def _forms(entry: object) -> tuple[str, ...]:
    string = entry.string  # type: ignore[attr-defined]
    return string if isinstance(string, tuple) else (string,)


def wire_fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_the_source_has_messages() -> None:
    assert len(source_messages()) > 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    missing = []
    for (context, ids), where in source_messages().items():
        entry = _entry(lang, ids[0], context)
        label = f"{where}: {ids[0]!r}" + (f" (context {context!r})" if context else "")
        if entry is None:
            missing.append(label)
            continue
        if any(not form for form in _forms(entry)):
            missing.append(f"{label} (a plural form is empty)")
    assert not missing, f"{len(missing)} messages lack a {lang} translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_and_markup_match_the_source(lang: str) -> None:
    wrong = []
    for (context, ids), where in source_messages().items():
        entry = _entry(lang, ids[0], context)
        if entry is None:
            continue
        expected = set().union(*(wire_fields(i) for i in ids))
        tags = Counter(_TAG.findall(ids[0]))
        for form in _forms(entry):
            got = wire_fields(form)
            # A plural form may leave out {n} ("one day"), never another placeholder.
            if not (got <= expected and expected - {"n"} <= got):
                wrong.append(
                    f"{where}: {ids[0]!r} -> {form!r}: {sorted(got)} != {sorted(expected)}"
                )
            if Counter(_TAG.findall(form)) != tags:
                wrong.append(f"{where}: {ids[0]!r} -> {form!r}: HTML tags differ")
    assert not wrong, "\n".join(wrong)


def test_no_english_left_in_ukrainian_or_slovenian() -> None:
    leaks = []
    for (context, ids), where in source_messages().items():
        msgid = ids[0]
        words = re.findall(r"[A-Za-z]{3,}", _TAG.sub("", msgid.replace("{", " {")))
        words = [w for w in words if not re.search(r"\{" + w, msgid)]
        if len(words) < 2:
            continue
        for lang in ("uk", "sl"):
            entry = _entry(lang, msgid, context)
            if entry is None:
                continue
            for form in _forms(entry):
                if form == msgid or (lang == "uk" and not _CYRILLIC.search(form)):
                    leaks.append(f"{where}: {lang} {form!r}")
    assert not leaks, "untranslated English:\n" + "\n".join(leaks)


def test_catalogs_agree_where_they_share_a_message() -> None:
    for lang in LANGUAGES:
        seen: dict[tuple[str | None, str], object] = {}
        for catalog in catalogs(lang):
            for message in catalog:
                if not message.id or isinstance(message.id, tuple):
                    continue
                key = (message.context, message.id)
                if key in seen:
                    assert seen[key] == message.string, f"{lang}: {message.id!r} differs"
                seen[key] = message.string


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("uk", {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 25: 2}),
        ("sl", {1: 0, 2: 1, 3: 2, 4: 2, 5: 3, 101: 0, 102: 1, 103: 2}),
        ("en", {1: 0, 2: 1, 5: 1}),
    ],
)
def test_plural_rules_are_right(lang: str, counts: dict[int, int]) -> None:
    from bot.i18n import translations

    plural = translations(lang).plural
    assert {n: plural(n) for n in counts} == counts


def test_gettext_uses_the_current_locale() -> None:
    from bot.i18n import use_locale

    with use_locale("sl"):
        assert gettext("Main menu") == "Glavni meni"
    assert gettext("Main menu", locale="uk") == "Головне меню"


def test_no_translation_calls_inside_f_strings() -> None:
    """``pybabel extract`` cannot see a call inside an f-string: its text would stay English."""
    pattern = re.compile(r"""f(["'])[^"'\n]*\{[^}]*\b(_|gettext|ngettext)\(""")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "translate outside the f-string: " + ", ".join(found)
