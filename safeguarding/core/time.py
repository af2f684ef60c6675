"""Durations counted in real elapsed time.

Python's arithmetic on an aware datetime in a zone with daylight saving (Europe/London)
is wall-clock arithmetic: 24 h after 20:00 BST on the eve of the October change lands at
20:00 GMT, 25 real hours later, and two datetimes in that zone subtract as wall clocks.
In UTC an hour is an hour, so every deadline, expiry and countdown is computed here, on
UTC datetimes, whatever zone the caller's datetimes are in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone


def as_utc(moment: datetime) -> datetime:
    """The same instant, in UTC."""
    return moment.astimezone(UTC)


def utc_now(now: datetime | None = None) -> datetime:
    """`now` (a caller's clock, for tests and sweeps) or the current time, in UTC."""
    return as_utc(now or timezone.now())


def add_elapsed(moment: datetime, duration: timedelta) -> datetime:
    """`duration` of real time after `moment`."""
    return as_utc(moment) + duration


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from `start` to `end` (negative when `end` is earlier)."""
    return as_utc(end) - as_utc(start)
