"""Working days in England and Wales: every working-day clock in the product counts with
these helpers (referral response targets, the NRM Reasonable Grounds target).

A working day is Monday to Friday and not an England and Wales bank holiday. The
holidays come from the ``holidays`` package, whose data ships with it: nothing is
fetched at run time, so a clock never depends on the network.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # "ENG" is the England calendar, which England and Wales share (Wales has no extra day).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself never counts):
    a referral sent on Friday with a one-working-day target is due on Monday, or on
    Tuesday when Monday is a bank holiday."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def working_day_clock(*, started: date, target_days: int, today: date | None = None) -> dict[str, object]:
    """What a working-day clock shows: due date, working days left (negative once overdue)."""
    today = today or timezone.localdate()
    due = add_working_days(started, target_days)
    left = working_days_between(today, due)
    return {"due_on": due, "days_left": left, "overdue": today > due, "target_days": target_days}
