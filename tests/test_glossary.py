"""One term for one thing: every catalog and the demo programme against ``locales/glossary.yaml``.

Where an English text uses a glossary term, its Ukrainian and Slovenian texts use the same term;
no text uses a variant the glossary tells to avoid. Buttons follow one rule per language:
Ukrainian buttons are infinitives ("Надіслати"), Slovenian ones the short imperative that
Slovenian software uses ("Pošlji"); sentences address people with the polite plural.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.i18n import locales_dir

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "bot" / "programme" / "demo" / "demo.yaml"


@cache
def glossary() -> list[dict[str, Any]]:
    terms: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / "locales" / "glossary.yaml").read_text(encoding="utf-8")
    )["terms"]
    return terms


def _search(pattern: str, text: str) -> bool:
    """Does ``pattern`` occur in ``text``'s words (its ``{placeholders}`` left out)?"""
    return re.search(pattern, re.sub(r"\{\w*\}", "", text), re.IGNORECASE) is not None


@cache
def catalog_triples() -> list[tuple[str, dict[str, str]]]:
    """(where, {"en": msgid, "uk": ..., "sl": ...}) for every message (plural forms joined)."""
    catalogs = {
        lang: read_po((locales_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb"))
        for lang in ("uk", "sl")
    }
    triples = []
    for message in catalogs["uk"]:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = {"en": " ".join(ids)}
        for lang, catalog in catalogs.items():
            entry = catalog.get(ids[0], context=message.context)
            if entry is not None and entry.string:
                forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                texts[lang] = " ".join(forms)
        triples.append((f"catalog {ids[0]!r}", texts))
    return triples


def _demo_texts(node: object, where: str) -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(node, dict):
        if {"uk", "sl", "en"} <= node.keys() and all(isinstance(node[k], str) for k in node):
            yield where, {k: node[k] for k in ("uk", "sl", "en")}
            return
        for key, value in node.items():
            yield from _demo_texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _demo_texts(value, f"{where}[{i}]")


@cache
def demo_triples() -> list[tuple[str, dict[str, str]]]:
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return [t for t in _demo_texts(data, "demo") if ".keywords" not in t[0]]


def _all_texts() -> Iterator[tuple[str, dict[str, str]]]:
    yield from catalog_triples()
    yield from demo_triples()
    for path in sorted((DEMO.parent / "resources").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        yield path.name, {"uk": text, "sl": text}  # English there names Slovenian terms


def test_the_glossary_and_its_texts_are_there() -> None:
    assert len(glossary()) >= 10
    assert len(catalog_triples()) > 300 and len(demo_triples()) > 200


@pytest.mark.parametrize("term", [t for t in glossary() if "en" in t], ids=lambda t: t["name"])
def test_a_term_in_english_is_the_same_term_in_every_language(term: dict[str, Any]) -> None:
    wrong = [
        f"{where}: {lang} {texts[lang][:90]!r} lacks /{term[lang]}/"
        for where, texts in [
            *catalog_triples(),
            *(demo_triples() if term.get("scope") != "catalogs" else []),
        ]
        if _search(term["en"], texts["en"])
        for lang in ("uk", "sl")
        if lang in texts and not _search(term[lang], texts[lang])
    ]
    assert not wrong, f"{term['name']}: another word than the glossary's:\n" + "\n".join(wrong)


@pytest.mark.parametrize("term", [t for t in glossary() if "avoid" in t], ids=lambda t: t["name"])
def test_no_text_uses_a_variant_to_avoid(term: dict[str, Any]) -> None:
    found = [
        f"{where}: {lang} {m[0]!r}"
        for where, texts in _all_texts()
        for lang, patterns in term["avoid"].items()
        for pattern in patterns
        if lang in texts
        for m in re.finditer(pattern, texts[lang], re.IGNORECASE)
    ]
    assert not found, f"{term['name']}: write the glossary's term instead of:\n" + "\n".join(found)


def _button_msgids() -> set[str]:
    """The msgids shown on buttons: translated inside ``button(...)`` or in a ``*_MENU`` table."""
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "button":
                for call in ast.walk(node.args[0]) if node.args else ():
                    if (
                        isinstance(call, ast.Call)
                        and getattr(call.func, "id", None) == "_"
                        and call.args
                        and isinstance(call.args[0], ast.Constant)
                    ):
                        found.add(call.args[0].value)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                names = [getattr(t, "id", "") for t in node.targets]
                if any(n.endswith("MENU") for n in names):
                    for call in node.value.values:
                        if isinstance(call, ast.Call) and call.args:
                            arg = call.args[0]
                            if isinstance(arg, ast.Constant):
                                found.add(arg.value)
    return found


#: Polite-plural imperatives: "Надішліть", "Оберіть"; "Pošljite", "Izberite", "Vprašajte".
PLURAL_IMPERATIVE = {"uk": r"\w+(іть|йте)\b", "sl": r"\w+(ite|ajte|ejte)\b"}


@pytest.mark.parametrize("lang", ["uk", "sl"])
def test_buttons_follow_one_rule(lang: str) -> None:
    catalog = read_po((locales_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb"))
    msgids = _button_msgids()
    assert len(msgids) > 30
    wrong = []
    for msgid in sorted(msgids):
        entry = catalog.get(msgid)
        if entry is not None and re.search(PLURAL_IMPERATIVE[lang], entry.string):
            wrong.append(f"{msgid!r} -> {entry.string!r}")
    assert not wrong, f"{lang} buttons in the polite plural:\n" + "\n".join(wrong)
