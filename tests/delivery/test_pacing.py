"""The pacer against a fake clock: overall rate, one chat, one group, Telegram's 429s."""

from __future__ import annotations

import itertools

import pytest

from bot.config import load_settings
from bot.delivery.pacing import Limits, Pacer
from bot.delivery.worker import DeliveryConfig


def send_all(pacer: Pacer, chats: list[int], start: float = 0.0) -> list[float]:
    """Send to ``chats`` in order as soon as allowed; return when each went out."""
    now, times = start, []
    for chat in chats:
        now += max(pacer.global_wait(now), pacer.chat_wait(chat, now))
        assert pacer.global_wait(now) == 0 and pacer.chat_wait(chat, now) == 0
        pacer.record(chat, now)
        times.append(now)
    return times


def test_overall_rate_spreads_sends_evenly() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    times = send_all(pacer, list(range(1, 91)))
    assert times[0] == 0.0
    assert times[-1] == pytest.approx(89 / 30)
    assert all(b - a == pytest.approx(1 / 30) for a, b in itertools.pairwise(times))


def test_burst_allows_a_few_at_once_but_not_more_than_the_rate() -> None:
    pacer = Pacer(Limits(rate=1000, burst=20), now=0.0)
    times = send_all(pacer, list(range(1, 1021)), start=1.0)
    assert times[:20] == [1.0] * 20
    assert sum(t < 2.0 for t in times) <= 1000
    assert max(b - a for a, b in itertools.pairwise(times[20:])) == pytest.approx(1 / 981)


def test_one_private_chat_gets_one_message_a_second() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    pacer.record(5, 0.0)
    assert pacer.chat_wait(5, 0.25) == pytest.approx(0.75)
    assert pacer.chat_wait(6, 0.25) == 0
    times = send_all(pacer, [5, 5, 5], start=0.0)
    assert times == pytest.approx([1.0, 2.0, 3.0])


def test_a_group_gets_at_most_twenty_a_minute() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    times = send_all(pacer, [-100] * 22)
    assert times[:20] == pytest.approx([float(n) for n in range(20)])  # one a second
    assert times[20] == pytest.approx(60.0)  # then the minute's twenty are used up
    assert times[21] == pytest.approx(61.0)


def test_hold_chat_keeps_one_chat_quiet() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    pacer.hold_chat(7, 5.0)
    assert pacer.chat_wait(7, 1.0) == pytest.approx(4.0)
    assert pacer.chat_wait(8, 1.0) == 0
    assert pacer.global_wait(1.0) == 0


def test_scattered_429s_hold_chats_but_a_flood_pauses_everything() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    for _ in range(98):
        assert pacer.note_result(False) is False
    assert pacer.note_result(True, retry_at=3.0) is False  # one 429 in a hundred answers
    assert pacer.note_result(True, retry_at=3.0) is False
    assert pacer.global_wait(1.0) == 0
    assert pacer.note_result(True, retry_at=4.0) is False  # 3 of 100: below a tenth
    for _ in range(7):
        pacer.note_result(True, retry_at=4.0)
    assert pacer.global_wait(1.0) == pytest.approx(3.0)  # 10 of the last 100 answers


def test_flood_rule_at_the_start_needs_several_429s() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    assert pacer.note_result(True, retry_at=2.0) is False
    assert pacer.note_result(True, retry_at=2.0) is False
    assert pacer.note_result(True, retry_at=2.0) is True
    assert pacer.paused_until == 2.0


def test_old_chats_are_forgotten() -> None:
    pacer = Pacer(Limits(rate=30), now=0.0)
    send_all(pacer, [1, -2])
    pacer.record(3, 120.0)
    assert set(pacer._chat_ready_at) == {3}
    assert pacer._group_sends == {}


@pytest.mark.parametrize("limits", [Limits(rate=0), Limits(rate=30, burst=20)])
def test_refuses_nonsense_limits(limits: Limits) -> None:
    with pytest.raises(ValueError):
        Pacer(limits, now=0.0)


def test_config_from_settings() -> None:
    config = DeliveryConfig.from_settings(
        load_settings(paid_broadcasts=True, delivery_max_attempts=3, delivery_group_per_minute=10)
    )
    assert config.limits.rate == 1000 and config.limits.burst == 20
    assert config.limits.group_per_minute == 10 and config.max_attempts == 3
    assert config.paid_broadcasts and config.claim_size == 200
    plain = DeliveryConfig.from_settings(load_settings())
    assert (plain.limits.rate, plain.limits.burst, plain.claim_size) == (30, 1, 15)
    assert [plain.backoff(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
