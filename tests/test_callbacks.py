"""Button data (``bot/callbacks/``): every kind packs and parses back, its pattern takes exactly
what it packs, a forged or out-of-range press reaches the fallback's out-of-date answer, and views
and handlers build button data only through these kinds (the harness also checks that every button
the bot sends parses as exactly one kind: ``tests/harness.py``)."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.callbacks
from bot.callbacks.base import KINDS, MAX_BYTES, CallbackData, Matching, WireField, callback
from bot.transport.updates import SimUser
from tests.conftest import COORDINATOR_ID
from tests.harness import BotHarness, texts

for _module in pkgutil.iter_modules(bot.callbacks.__path__):
    importlib.import_module(f"bot.callbacks.{_module.name}")

ALL = sorted(KINDS, key=lambda kind: (kind.prefix, kind.__name__))


def _values(kind: type[CallbackData], field: WireField) -> st.SearchStrategy[Any]:
    if field.bounds is not None:
        low, high = field.bounds.low, field.bounds.high
        return st.one_of(st.sampled_from([low, high]), st.integers(low, high))
    if isinstance(field.read, type) and issubclass(field.read, StrEnum):
        return st.sampled_from(list(field.read))
    if isinstance(field.example, date):
        return st.dates(date(2000, 1, 1), date(9999, 12, 31))
    return st.from_regex(re.compile(field.regex), fullmatch=True)


def _instances(kind: type[CallbackData]) -> st.SearchStrategy[CallbackData]:
    return st.builds(kind, *(_values(kind, f) for f in kind.wire_fields))


def test_every_kind_is_declared_here() -> None:
    assert len(ALL) >= 15
    names = [kind.__name__ for kind in ALL]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("kind", ALL, ids=lambda kind: kind.__name__)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pack_parse_round_trip(kind: type[CallbackData], data: st.DataObject) -> None:
    value = data.draw(_instances(kind))
    packed = value.pack()
    assert len(packed.encode()) <= MAX_BYTES
    assert kind.parse(packed) == value
    assert kind.pattern(packed)
    # No other kind takes it: one press, one meaning.
    assert [k for k in ALL if k.parse(packed) is not None] == [kind]


@pytest.mark.parametrize("kind", ALL, ids=lambda kind: kind.__name__)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pattern_takes_nothing_but_what_pack_makes(
    kind: type[CallbackData], data: st.DataObject
) -> None:
    packed = data.draw(_instances(kind)).pack()
    # Whatever parses packs back to exactly the same text (no second spelling of one press).
    noise = data.draw(st.text(alphabet="0123456789:ab-_ ", min_size=1, max_size=3))
    at = data.draw(st.integers(0, len(packed)))
    mutated = packed[:at] + noise + packed[at:]
    parsed = kind.parse(mutated)
    assert parsed is None or parsed.pack() == mutated
    assert bool(kind.pattern(mutated)) == (parsed is not None)
    for cut in (packed[:-1], packed + ":", packed + "0", " " + packed, packed.upper()):
        again = kind.parse(cut)
        assert again is None or again.pack() == cut


def _forged(kind: type[CallbackData]) -> list[str]:
    """Presses of ``kind`` with each integer field just out of its range, or absurdly long."""
    out = []
    example = kind.pattern.example().split(":")
    offset = len(kind.prefix.split(":"))
    for n, field in enumerate(kind.wire_fields):
        if field.bounds is None:
            continue
        for wrong in (str(field.bounds.high + 1), "9" * 21, f"0{field.example}", "-1"):
            parts = list(example)
            parts[offset + n] = wrong
            out.append(":".join(parts))
    return out


FORGED = [(kind.__name__, data) for kind in ALL for data in _forged(kind)]


def test_forged_presses_are_refused_by_parse() -> None:
    assert FORGED
    for name, data in FORGED:
        assert all(kind.parse(data) is None for kind in ALL), (name, data)


def test_ids_are_checked_against_the_databases_integers() -> None:
    from bot.callbacks.agenda import EventCard

    assert EventCard.parse(f"sch:ev:{2**31 - 1}") == EventCard(2**31 - 1)
    assert EventCard.parse(f"sch:ev:{2**31}") is None
    assert EventCard.parse("sch:ev:0") is None
    assert EventCard.parse("sch:ev:007") is None
    with pytest.raises(ValueError, match="refuses"):  # never a button that no handler takes
        EventCard(2**31).pack()


def test_pack_refuses_data_over_64_bytes_instead_of_cutting_it() -> None:
    @callback("test:long")
    class Long(CallbackData):
        text: Annotated[str, Matching("x+", "x")]

    try:
        assert Long("x" * 54).pack() == "test:long:" + "x" * 54
        with pytest.raises(ValueError, match="over 64 bytes"):
            Long("x" * 55).pack()
    finally:
        KINDS.remove(Long)


async def test_forged_presses_get_the_out_of_date_answer(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    coordinator = SimUser(id=COORDINATOR_ID, first_name="Maja", language_code="en")
    await bot.onboard(coordinator, "en")
    wrong = []
    with caplog.at_level(logging.ERROR):
        for name, data in FORGED:  # the harness: each answered once, no refused call
            calls = await bot.press_data(coordinator, data)
            (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
            if "out of date" not in str(answer.params.get("text")):
                wrong.append(f"{name} {data}: {texts(calls)}")
    assert not wrong, "\n".join(wrong)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


ROOT = Path(__file__).resolve().parent.parent
#: Button data written by hand: a keyword argument, or a text (an f-string too) given to button().
_BY_HAND = re.compile(r"callback_data\s*=|\bbutton\((?:[^()]|\([^()]*\))*,\s*f?[\"']")


def test_no_view_or_handler_builds_button_data_by_hand() -> None:
    assert _BY_HAND.search('button(_("Menu"), "menu:main")')  # the check itself finds one
    assert _BY_HAND.search('button(fit(x), f"sch:ev:{e.id}")')
    offenders = []
    for folder in ("bot/views", "bot/handlers", "bot/jobs"):
        for path in sorted((ROOT / folder).glob("*.py")):
            if path.name == "common.py":  # button() itself
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if _BY_HAND.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "button data built as text:\n" + "\n".join(offenders)


def test_a_button_takes_only_a_kind_of_button_data() -> None:
    from bot.callbacks.menu import MainMenu
    from bot.views.common import button

    assert button("Menu", MainMenu()).callback_data == "menu:main"
    with pytest.raises(TypeError):
        button("Menu", "menu:main")  # type: ignore[arg-type]
