"""Long screens are split between lines, never refused by Telegram or cut silently."""

from __future__ import annotations

from bot.handlers.send import split_text


def test_short_text_is_one_piece() -> None:
    assert split_text("a\nb", limit=10) == ["a\nb"]


def test_split_between_lines_keeps_every_line_whole() -> None:
    lines = [f"<b>line {n}</b> " + "x" * 30 for n in range(200)]
    pieces = split_text("\n".join(lines), limit=4096)
    assert len(pieces) > 1
    assert all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces).split("\n") == lines


def test_a_single_huge_line_is_cut_to_the_limit() -> None:
    pieces = split_text("y" * 9000, limit=4096)
    assert [len(p) for p in pieces] == [4096, 4096, 808]
