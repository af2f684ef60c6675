"""Reading a date of birth as custody systems and spreadsheets write it, by meaning.

* ISO (2009-09-30, 2009/09/30, 20090930), with a time as Excel writes a date cell
  ("2009-09-30 00:00:00", "2009-09-30T00:00:00.000Z").
* Day first (30/09/2009, 30-09-2009, 30.09.2009), with or without a time ("30/09/2009 00:00").
* Month names (30-Sep-2009, 30 September 2009, Sep 30, 2009, 30-SEP-09).
* Excel serial day numbers (40086, 40086.0): days since 1899-12-30.
* Two-digit years (03/02/13) are read by the century that gives a plausible detainee's age
  (10 to 99 at the reference date, never in the future) and flagged for a check.

A time that is not midnight is read (the date is kept) and reported as a note: a date of
birth has no time, so such a cell may be a different column. The regexes are compiled once:
this runs on every row of an import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from safeguarding.core.uktime import ValueProblem

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2}|utc|gmt|bst)?)?"
_ISO = re.compile(rf"(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}", re.IGNORECASE)
_COMPACT = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})")
_DAY_FIRST = re.compile(rf"(?P<d>\d{{1,2}})[-/. ](?P<m>\d{{1,2}})[-/. ](?P<y>\d{{4}}|\d{{2}}){_TIME}", re.IGNORECASE)
_NAMED = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[-/. ]+(?P<mon>[a-z]{{3,9}})\.?,?[-/. ]+(?P<y>\d{{4}}|\d{{2}}){_TIME}",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    rf"(?:[a-z]{{3,9}},?\s+)?(?P<mon>[a-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_SERIAL = re.compile(r"(?P<n>\d{4,5})(?:\.0+)?")
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers in this range are 1 Jan 1905 to 31 Dec 2064: a plausible date of birth.
_SERIAL_RANGE = (1828, 60000)


@dataclass(frozen=True, slots=True)
class BirthDate:
    born: date
    # Notes for the officer: the reading is kept, but something about it is worth a look.
    notes: tuple[str, ...] = ()


def _century(two_digits: int, reference: date) -> tuple[int, str]:
    """The four-digit year for a two-digit one: the century giving an age of 10 to 99."""
    for year in (2000 + two_digits, 1900 + two_digits):
        age = reference.year - year
        if 10 <= age <= 99:
            return year, f"has a two-digit year, read as {year}"
    year = 2000 + two_digits if 2000 + two_digits <= reference.year else 1900 + two_digits
    return year, f"has a two-digit year, read as {year}"


def _year(text: str, reference: date, notes: list[str]) -> int:
    if len(text) == 4:
        return int(text)
    year, note = _century(int(text), reference)
    notes.append(note)
    return year


def _time_note(match: re.Match[str], notes: list[str]) -> None:
    if match.group("h") is None:
        return
    if int(match.group("h")) or int(match.group("mi")) or int(match.group("s") or 0):
        notes.append("has a time that is not midnight (the date was kept)")


def _month(name: str) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise ValueProblem("has a month name that is not a month")
    return month


def _fields(text: str, reference: date, notes: list[str]) -> tuple[int, int, int]:
    if match := _SERIAL.fullmatch(text):
        serial = int(match.group("n"))
        if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            raise ValueProblem("is a number but not a spreadsheet date")
        born = _EXCEL_EPOCH + timedelta(days=serial)
        notes.append(f"is a spreadsheet day number, read as {born:%d/%m/%Y}")
        return born.year, born.month, born.day
    if match := _ISO.fullmatch(text) or _COMPACT.fullmatch(text):
        if "h" in match.re.groupindex:
            _time_note(match, notes)
        return int(match.group("y")), int(match.group("m")), int(match.group("d"))
    for pattern in (_DAY_FIRST, _NAMED, _MONTH_FIRST):
        if match := pattern.fullmatch(text):
            month = int(match.group("m")) if "m" in pattern.groupindex else _month(match.group("mon"))
            year = _year(match.group("y"), reference, notes)
            _time_note(match, notes)
            return year, month, int(match.group("d"))
    raise ValueProblem("is not a date of birth in a form this reads (e.g. dd/mm/yyyy or yyyy-mm-dd)")


def read_birth_date(text: str, reference: date) -> BirthDate:
    """The date of birth in ``text``; ``reference`` (the arrest's day) decides two-digit years.

    Raises ValueProblem when the cell is not a date of birth."""
    notes: list[str] = []
    year, month, day = _fields(" ".join(text.strip().split()), reference, notes)
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValueProblem("is not a real date") from None
    if born.year < 1900:
        raise ValueProblem("is too long ago to be a date of birth")
    return BirthDate(born, tuple(notes))
