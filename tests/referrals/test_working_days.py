"""Working-day arithmetic on England and Wales bank holidays (shipped data, no network)."""

from datetime import date

import pytest

from safeguarding.core.working_days import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # A weekend: Friday + 1 working day is Monday.
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        # Christmas 2026: Christmas Friday, Boxing Day Saturday observed on Monday 28th.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # A bank-holiday Monday (late summer 2026, 31 August).
        (date(2026, 8, 28), 1, date(2026, 9, 1)),
        # The NRM Reasonable Grounds target across the late-May bank holiday.
        (date(2026, 5, 22), 5, date(2026, 6, 1)),
        (date(2026, 6, 1), 0, date(2026, 6, 1)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_day_predicates():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day observed
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert is_working_day(date(2026, 12, 29))
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 24)) == -4
