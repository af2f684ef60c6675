"""Date arithmetic for tests that holds on every day of the year, 29 February included."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def born_years_ago(years: int, *, days_since_birthday: int = 40) -> date:
    """A date of birth making someone `years` old today, their birthday `days_since_birthday` ago."""
    return years_before(timezone.localdate() - timedelta(days=days_since_birthday), years)
