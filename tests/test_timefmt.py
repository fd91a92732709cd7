"""Times as printed (`m:ss.fff`, `ss.fff`, `ss.ff`) and integer milliseconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.timefmt import MAX_COUNT_DIGITS, format_time, parse_count, parse_time


@pytest.mark.parametrize(
    "text, millis, decimals",
    [
        ("1:27.048", 87_048, 3),
        ("1:26.739", 86_739, 3),
        ("1:47.965", 107_965, 3),
        ("41.802", 41_802, 3),
        ("42.53", 42_530, 2),
        ("2:05.10", 125_100, 2),
        ("0.001", 1, 3),
    ],
)
def test_parse_known_times(text: str, millis: int, decimals: int) -> None:
    assert parse_time(text) == (millis, decimals)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "DQ",
        "1:27",
        "1:7.048",
        "1:60.000",
        "1:27.0481",
        "1:27.0",
        "127.048",
        "1:27,048",
        " 1:27.048",
        "1::27.048",
        "-1:27.048",
        "1:27.04a",
        "１:27.048",
    ],
)
def test_parse_refuses_malformed(text: str) -> None:
    assert parse_time(text) is None


@given(st.integers(min_value=0, max_value=99 * 60_000 + 59_999))
def test_thousandths_round_trip(millis: int) -> None:
    assert parse_time(format_time(millis, 3)) == (millis, 3)


@given(st.integers(min_value=0, max_value=99 * 6000 + 5999).map(lambda hundredths: hundredths * 10))
def test_hundredths_round_trip(millis: int) -> None:
    assert parse_time(format_time(millis, 2)) == (millis, 2)


@given(st.text(alphabet="0123456789:.,-DQ１ ", max_size=10))
def test_parse_gives_a_time_that_formats_back_or_none(text: str) -> None:
    parsed = parse_time(text)
    if parsed is not None:
        millis, decimals = parsed
        assert parse_time(format_time(millis, decimals)) == parsed
        assert text.isascii()


def test_format_under_a_minute_has_no_minutes() -> None:
    assert format_time(41_802) == "41.802"
    assert format_time(87_000) == "1:27.000"


@pytest.mark.parametrize("millis, decimals", [(-1, 3), (1000, 1)])
def test_format_refuses_impossible_input(millis: int, decimals: int) -> None:
    with pytest.raises(ValueError):
        format_time(millis, decimals)


def test_a_count_of_thousands_of_digits_is_too_large_not_a_crash() -> None:
    # Python's int() refuses more than 4,300 digits; a hypothesis fuzz found a 20,000-digit rank.
    assert parse_count("1" * 20_000) == 10**MAX_COUNT_DIGITS
    assert parse_count("0" * 5_000 + "3") == 3
    assert parse_count("0") == 0
    assert parse_count("9" * MAX_COUNT_DIGITS) == 10**MAX_COUNT_DIGITS - 1
