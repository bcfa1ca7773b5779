"""The machinery of button data: a frozen dataclass per kind of button, packed and parsed.

A kind of button is declared once, with its prefix and typed fields::

    @callback("sch:ev")
    class EventCard(CallbackData):
        event_id: Id

and then used everywhere: a view builds ``EventCard(event.id)`` (its :meth:`~CallbackData.pack`
is what Telegram carries, ``"sch:ev:42"``), a handler registers with ``EventCard.pattern`` and
reads ``EventCard.parse(data)``, a test builds the same data with ``pack()``.

The wire form is the prefix and the fields, joined by ``:``. What a field may hold is said by its
annotation: an ``int`` with :class:`Between` bounds (:data:`Id` for a database id), a
``StrEnum`` (its values), a ``date`` (``YYYYMMDD``), or a ``str`` with a :class:`Matching`
pattern. :meth:`~CallbackData.parse` accepts exactly what :meth:`~CallbackData.pack` produces —
no leading zeros, no value out of its range, nothing after — and returns None for anything else,
so a forged or out-of-date press never reaches an area's handler (the fallback answers it).
:meth:`~CallbackData.pack` never cuts, and never makes what :meth:`~CallbackData.parse` would
refuse: data over Telegram's 64 bytes, or a value out of its range, is a programming error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import (
    Annotated,
    Any,
    ClassVar,
    Self,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
)

#: Telegram's limit on ``callback_data``: 1-64 bytes.
MAX_BYTES = 64
SEPARATOR = ":"


@dataclass(frozen=True, slots=True)
class Between:
    """An integer field's inclusive bounds."""

    low: int
    high: int


@dataclass(frozen=True, slots=True)
class Matching:
    """A text field's pattern (a regular expression without ``:`` or groups, matched whole) and
    one text it matches (for tests that need any valid press of a kind)."""

    regex: str
    example: str


#: A database id: PostgreSQL's ``integer`` holds 1..2**31-1.
Id = Annotated[int, Between(1, 2**31 - 1)]
#: A Telegram user id: "at most 52 significant bits" (Bot API), stored as a 64-bit integer.
TelegramId = Annotated[int, Between(1, 2**52 - 1)]


@dataclass(frozen=True, slots=True)
class WireField:
    """How one field is written, recognised and read back."""

    name: str
    regex: str
    read: Callable[[str], Any]  # raises ValueError for text the regex let through but is invalid
    example: Any
    bounds: Between | None = None  # an integer field's


def _int_field(name: str, bounds: Between) -> WireField:
    assert 0 <= bounds.low <= bounds.high, (name, bounds)
    more = f"[1-9][0-9]{{0,{len(str(bounds.high)) - 1}}}"
    regex = f"0|{more}" if bounds.low == 0 else more

    def read(text: str) -> int:
        value = int(text)
        if not bounds.low <= value <= bounds.high:
            raise ValueError(f"{name} out of range: {value}")
        return value

    return WireField(name, regex, read, max(bounds.low, 1), bounds)


def _enum_field(name: str, kind: type[StrEnum]) -> WireField:
    values = [member.value for member in kind]
    assert values and all(v and SEPARATOR not in v for v in values), kind
    return WireField(name, "|".join(re.escape(v) for v in values), kind, next(iter(kind)))


def _read_date(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def _field(name: str, hint: Any) -> WireField:
    if get_origin(hint) is Annotated:
        base, extra = get_args(hint)
        if base is int and isinstance(extra, Between):
            return _int_field(name, extra)
        if base is str and isinstance(extra, Matching):
            assert SEPARATOR not in extra.regex and re.compile(extra.regex).groups == 0, extra
            assert re.fullmatch(extra.regex, extra.example), extra
            return WireField(name, extra.regex, str, extra.example)
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        return _enum_field(name, hint)
    elif hint is date:
        return WireField(name, "[0-9]{8}", _read_date, date(2000, 1, 1))
    raise TypeError(f"button data field {name}: {hint!r} is not a packable type")


def _write(value: Any) -> str:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)


@functools.lru_cache(maxsize=8192)
def _packed(button: CallbackData) -> str:
    """The wire form of ``button``, checked once per value (the same buttons are on every
    person's screens: a survey's answers, the menu)."""
    data = SEPARATOR.join(
        [button.prefix, *(_write(getattr(button, f.name)) for f in button.wire_fields)]
    )
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data over {MAX_BYTES} bytes: {data!r}")
    if button.parse(data) != button:  # a value out of its range: the press would be refused
        raise ValueError(f"button data that its own kind refuses: {data!r}")
    return data


class CallbackData:
    """Base of every kind of button data; declare kinds with :func:`callback`."""

    __slots__ = ()

    prefix: ClassVar[str]
    #: The wire form of this kind, field by field (ranges are checked by :meth:`parse`).
    regex: ClassVar[re.Pattern[str]]
    #: For ``CallbackQueryHandler(pattern=...)``: true for exactly the data :meth:`parse` accepts.
    pattern: ClassVar[Pattern]
    wire_fields: ClassVar[tuple[WireField, ...]]

    def pack(self) -> str:
        return _packed(self)

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """The button data as this kind, or None when it is not exactly one of this kind."""
        if not isinstance(data, str):
            return None
        match = cls.regex.fullmatch(data)
        if match is None:
            return None
        try:
            values = [f.read(text) for f, text in zip(cls.wire_fields, match.groups(), strict=True)]
        except ValueError:
            return None
        return cls(*values)

    @classmethod
    def matching(cls, **fixed: Any) -> Pattern:
        """A pattern for the data of this kind whose named fields have the given values."""
        unknown = set(fixed) - {f.name for f in cls.wire_fields}
        assert not unknown, unknown
        return Pattern(cls, tuple(fixed.items()))


@dataclass(frozen=True, slots=True)
class Pattern:
    """A ``CallbackQueryHandler`` pattern (python-telegram-bot calls it with the data): the data
    of one kind, optionally with some fields fixed."""

    kind: type[CallbackData]
    fixed: tuple[tuple[str, Any], ...] = ()

    def __call__(self, data: object) -> bool:
        if not isinstance(data, str) or not data.startswith(self.kind.prefix):
            return False  # the common case, cheaply: another kind's press
        parsed = self.kind.parse(data)
        return parsed is not None and all(getattr(parsed, k) == v for k, v in self.fixed)

    def example(self) -> str:
        """One press this pattern takes (the smallest values; for tests that try every handler)."""
        values = dict(self.fixed)
        return self.kind(
            *(values.get(f.name, f.example) for f in self.kind.wire_fields)  # type: ignore[call-arg]
        ).pack()


D = TypeVar("D", bound=CallbackData)

#: Every kind declared. Two kinds may share a prefix when their fields tell them apart (a test
#: checks that no press parses as two kinds).
KINDS: list[type[CallbackData]] = []


def callback(prefix: str) -> Callable[[type[D]], type[D]]:
    """Declare a kind of button data: make the class a frozen dataclass and give it its codec."""
    return declare(prefix, KINDS)


def declare(prefix: str, kinds: list[Any]) -> Callable[[type[D]], type[D]]:
    """Make the class a frozen dataclass with ``prefix`` and its codec, listed in ``kinds``
    (button data, or another short typed value stored as text: :mod:`bot.people.awaiting`)."""
    assert re.fullmatch(r"[a-z]+(:[a-z]+)*", prefix), prefix

    def declared(cls: type[D]) -> type[D]:
        kind = dataclass(frozen=True, slots=True)(cls)
        hints = get_type_hints(kind, include_extras=True)
        codecs = tuple(_field(f.name, hints[f.name]) for f in fields(kind))
        wire = re.escape(prefix) + "".join(f"{SEPARATOR}({f.regex})" for f in codecs)
        kind.prefix, kind.wire_fields, kind.regex = prefix, codecs, re.compile(wire)
        kind.pattern = Pattern(kind)
        kinds.append(kind)
        return kind

    return declared
