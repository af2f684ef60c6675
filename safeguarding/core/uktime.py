"""Reading a date and time as people in the UK write it.

A time without a zone is UK wall-clock time (Europe/London). At the clock changes one
wall-clock hour happens twice (the last Sunday of October) and one never happens (the last
Sunday of March): such a time is never guessed. The writer may say which it was by
adding "BST" or "GMT" ("25/10/2026 01:25 BST"), or an offset ("2026-10-25T01:25+01:00");
a zone that was not in use in the UK at that moment is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
BST = timezone(timedelta(hours=1), "BST")
GMT = timezone(timedelta(0), "GMT")
NAMED_ZONES = {"BST": BST, "GMT": GMT}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
_ZONE = r"(Z|UTC|BST|GMT|[+-]\d{2}:?\d{2})?"
_ISO_DATETIME = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})[T ]{_TIME}\s*{_ZONE}$", re.IGNORECASE)
_UK_DATETIME = re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})[ T,]+{_TIME}\s*{_ZONE}$", re.IGNORECASE)
_TIME_ONLY = re.compile(rf"^{_TIME}$")

AMBIGUOUS = "ambiguous"
SKIPPED = "skipped"


class ValueProblem(ValueError):
    """A value that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class LocalTime:
    """A parsed time: `at` when it is certain, else why it must be checked (`check`) and
    whether the wall-clock time happened twice (`AMBIGUOUS`) or never (`SKIPPED`)."""

    at: datetime | None
    check: str = ""
    kind: str = ""
    naive: datetime | None = None

    @property
    def ambiguous(self) -> bool:
        return self.kind == AMBIGUOUS


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    upper = text.upper()
    if upper in ("Z", "UTC"):
        return UTC
    if upper in NAMED_ZONES:
        return NAMED_ZONES[upper]
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def uk_local(naive: datetime) -> LocalTime:
    """A wall-clock time in the UK as an aware datetime, unless the clocks changed around it."""
    first = naive.replace(tzinfo=UK, fold=0)
    second = naive.replace(tzinfo=UK, fold=1)
    if first.utcoffset() == second.utcoffset():
        return LocalTime(first, naive=naive)
    round_trip = first.astimezone(UTC).astimezone(UK).replace(tzinfo=None)
    shown = naive.strftime("%d/%m/%Y %H:%M")
    if round_trip != naive:
        return LocalTime(
            None,
            f"{shown} did not happen in the UK: the clocks went forward that night. "
            "Check the custody record for the right time.",
            SKIPPED,
            naive,
        )
    return LocalTime(
        None,
        f"{shown} happened twice in the UK: the clocks went back that night. "
        "Check the custody record for whether it was BST or GMT.",
        AMBIGUOUS,
        naive,
    )


def _named_zone_in_use(naive: datetime, name: str) -> None:
    """Refuse "BST" or "GMT" for a moment when the UK was on the other one."""
    zone = NAMED_ZONES[name]
    in_uk = naive.replace(tzinfo=zone).astimezone(UK)
    if in_uk.utcoffset() != zone.utcoffset(None):
        other = "GMT" if name == "BST" else "BST"
        raise ValueProblem(f"says {name}, but the UK was on {other} on {naive:%d/%m/%Y} at that time")


def parse_datetime(text: str) -> LocalTime:
    text = text.strip()
    match = _ISO_DATETIME.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
    else:
        match = _UK_DATETIME.match(text)
        if not match:
            if _ISO_DATE.match(text) or _UK_DATE.match(text):
                raise ValueProblem("has a date but no time")
            raise ValueProblem("is not a date and time in the form dd/mm/yyyy hh:mm or yyyy-mm-ddThh:mm")
        day, month, year = (int(g) for g in match.groups()[:3])
    hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
    try:
        naive = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - localised below
    except ValueError:
        raise ValueProblem("is not a real date and time") from None
    zone_text = (match.group(7) or "").upper()
    if zone_text in NAMED_ZONES:
        _named_zone_in_use(naive, zone_text)
    zone = _zone(zone_text)
    if zone is not None:
        return LocalTime(naive.replace(tzinfo=zone), naive=naive)
    return uk_local(naive)


def parse_date(text: str) -> date:
    text = text.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueProblem("is not a date in the form dd/mm/yyyy or yyyy-mm-dd")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem("is not a real date") from None


def combine(date_text: str, time_text: str) -> str:
    """One date-and-time text from a date column and a time column."""
    if not time_text:
        return date_text
    if not _TIME_ONLY.match(time_text.strip()):
        return f"{date_text} {time_text}"
    separator = "T" if _ISO_DATE.match(date_text.strip()) else " "
    return f"{date_text.strip()}{separator}{time_text.strip()}"


def zone_choices(shown: str) -> list[tuple[str, str]]:
    """The BST / GMT choice for a wall-clock time `shown` ("01:25") that happened twice."""
    return [
        ("BST", f"BST (British Summer Time): the first {shown}, before the clocks went back"),
        ("GMT", f"GMT (Greenwich Mean Time): the second {shown}, after the clocks went back"),
    ]


def ambiguous_time(text: str) -> LocalTime | None:
    """The parse of `text` when it is a UK time that happened twice (and names no zone)."""
    try:
        parsed = parse_datetime(text)
    except ValueProblem:
        return None
    return parsed if parsed.ambiguous else None
