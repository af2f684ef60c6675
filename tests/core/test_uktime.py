"""UK times as people write them: BST and GMT may be named, and the clock changes are never guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from safeguarding.core import uktime


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/10/2026 01:25 BST", utc(2026, 10, 25, 0, 25)),  # the first 01:25
        ("25/10/2026 01:25 GMT", utc(2026, 10, 25, 1, 25)),  # the second, an hour later
        ("2026-10-25T01:25 bst", utc(2026, 10, 25, 0, 25)),
        ("2026-10-25T01:25+01:00", utc(2026, 10, 25, 0, 25)),
        ("2026-10-25 01:25Z", utc(2026, 10, 25, 1, 25)),
        ("14/07/2026 09:00 BST", utc(2026, 7, 14, 8, 0)),
        ("02/12/2026 14:00 GMT", utc(2026, 12, 2, 14, 0)),
        ("02/12/2026 14:00", utc(2026, 12, 2, 14, 0)),
    ],
)
def test_a_named_zone_or_offset_settles_the_time(text, expected):
    assert uktime.parse_datetime(text).at == expected


def test_a_time_that_happened_twice_is_not_guessed():
    parsed = uktime.parse_datetime("25/10/2026 01:25")
    assert parsed.at is None and parsed.ambiguous
    assert "happened twice" in parsed.check


def test_a_time_that_never_happened_is_refused_with_the_reason():
    parsed = uktime.parse_datetime("29/03/2026 01:30")
    assert parsed.at is None and not parsed.ambiguous
    assert "did not happen" in parsed.check


@pytest.mark.parametrize(("text", "other"), [("02/12/2026 14:00 BST", "GMT"), ("14/07/2026 09:00 GMT", "BST")])
def test_a_zone_the_uk_was_not_on_is_refused(text, other):
    with pytest.raises(uktime.ValueProblem, match=f"the UK was on {other}"):
        uktime.parse_datetime(text)
