"""Typography that code must not decide: quotation marks come from the catalogs, the Ukrainian
and the English apostrophe is ’, button labels fit a phone. (What every rendered screen must look
like is checked on all screens of the suite by ``tests/rendering.py``.)"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, locales_dir, quote
from bot.views.common import PHONE_LABEL, fit
from tests.rendering import problems

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "bot" / "programme" / "demo"
QUOTES = re.compile("[«»„“”‚]")
#: An ASCII apostrophe or a modifier letter between two Cyrillic letters ("п'ять", "пʼять").
ASCII_APOSTROPHE = re.compile(r"(?<=[а-яіїєґА-ЯІЇЄҐ])['ʼ`](?=[а-яіїєґА-ЯІЇЄҐ])")
#: An ASCII apostrophe in an English word ("don't", "the asker's", "operators' shops"): English
#: texts take ’ as they take “ ” (the English review).
ENGLISH_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z]|\s)")
#: Calls whose string arguments are catalog msgids (and so may hold the English quotes).
TRANSLATING = {"_", "N_", "gettext", "ngettext", "pgettext", "npgettext", "core_text"}


def _strings_outside_msgids(tree: ast.AST) -> Iterator[ast.Constant]:
    """Every string constant of a module except docstrings and msgids."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring (or a bare string statement)
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in TRANSLATING:
                skip.update(id(arg) for arg in node.args)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node


def test_no_quotation_marks_are_hard_coded_in_python() -> None:
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _strings_outside_msgids(tree):
            if QUOTES.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "quotation marks belong in the catalogs (bot.i18n.quote):\n" + "\n".join(
        found
    )


def test_the_hard_coded_quote_check_can_fail() -> None:
    tree = ast.parse('"""Doc “x”."""\nx = f"« {a} »"\ny = _("“{a}”")\n')
    assert [n.value for n in _strings_outside_msgids(tree)] == ["« ", " »"]


@pytest.mark.parametrize(("lang", "expected"), [("uk", "«Tak»"), ("sl", "»Tak«"), ("en", "“Tak”")])
def test_quotes_are_the_readers(lang: str, expected: str) -> None:
    assert quote("Tak", lang) == expected


def _texts(lang: str) -> Iterator[tuple[str, str]]:
    """Every text of ``lang``: its catalogs, the demo's texts (and, in Ukrainian, the people's
    names, which are written in one language), the demo's resource files."""
    for domain in ("messages", "operations"):
        catalog = read_po((locales_dir() / lang / "LC_MESSAGES" / f"{domain}.po").open("rb"))
        for message in catalog:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                yield f"{lang} catalog {message.id!r}", form or ""

    def walk(node: object, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == lang and isinstance(value, str):
                    yield where, value
                else:
                    yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}[{i}]")
        elif isinstance(node, str) and where.endswith(".name") and lang == "uk":
            yield where, node  # people's names are in one language

    yield from walk(yaml.safe_load((DEMO / "demo.yaml").read_text(encoding="utf-8")), "demo")
    for path in sorted((DEMO / "resources").glob("*.txt")):
        yield str(path.name), path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "apostrophe"), [("uk", ASCII_APOSTROPHE), ("en", ENGLISH_APOSTROPHE)]
)
def test_the_apostrophe_is_typographic(lang: str, apostrophe: re.Pattern[str]) -> None:
    wrong = [
        f"{where}: {text[max(0, m.start() - 15) : m.end() + 15]!r}"
        for where, text in _texts(lang)
        for m in apostrophe.finditer(text)
    ]
    assert not wrong, f"write ’ (U+2019) in {lang}:\n" + "\n".join(wrong)


def test_the_english_apostrophe_check_can_fail() -> None:
    for wrong in ("don't", "the asker's request", "operators' shops"):
        assert ENGLISH_APOSTROPHE.search(wrong), wrong
    for right in ("don’t", "'quoted'", "Zavodske"):
        assert not ENGLISH_APOSTROPHE.search(right), right


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("⬇️ Short", "⬇️ Short"),
        (
            "09:00 Управління цивільного захисту та ліквідації наслідків",
            "09:00 Управління цивільного…",
        ),
        ("x" * 40, "x" * (PHONE_LABEL - 1) + "…"),
    ],
)
def test_labels_are_cut_at_a_word_boundary(label: str, expected: str) -> None:
    assert fit(label) == expected
    assert len(fit(label)) <= PHONE_LABEL


def test_the_rendering_rules_catch_what_they_should() -> None:
    from bot.transport.local_api import ApiCall

    def call(text: str, *labels: str) -> ApiCall:
        markup = {"inline_keyboard": [[{"text": t, "callback_data": "x"} for t in labels]]}
        return ApiCall("sendMessage", {"chat_id": 1, "text": text, "reply_markup": markup})

    assert problems([call("Tuesday 10 October 2023, 08:00 · 8–28 October", "OK")]) == []
    bad = [
        call("Oct 11, 2023, 8:00:00 AM"),
        call("at 8 PM"),
        call("10/28/2023"),
        call("ok", "a label that is far too long for a phone"),
    ]
    assert len(problems(bad)) == 6  # US date + seconds + AM; PM; US date; the label


def test_every_language_has_quotes() -> None:
    assert len({quote("x", lang) for lang in LANGUAGES}) == 3
