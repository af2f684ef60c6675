"""Reading one row of the custody list: its values (dates and times, custody number,
outcome) and the problems found in them.

* Dates are ISO 8601 (2025-03-14, 2025-03-14T02:30, with or without a zone) or
  dd/mm/yyyy (14/03/2025 02:30). A time without a zone is UK local time
  (Europe/London): a time that happened twice (October) or never (March) is not
  guessed but flagged for the officer to check.
* Cells are kept as the text they are: a cell starting with =, +, - or @ is stored
  as text and escaped on any export (see ``export_cell``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

# Dates and times are read as people in the UK write them: the core's rules, shared with
# every form that takes a time.
from safeguarding.core.uktime import UK, ValueProblem, combine, parse_date, parse_datetime  # noqa: F401 - parse_date re-exported

from .birth_dates import read_birth_date

# The outcome the data file gives wordings that say there is none yet ("In custody").
PENDING = "pending"
OUTCOMES_FILE = Path(__file__).resolve().parent.parent / "data" / "custody_outcomes.csv"


def _outcome_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


@cache
def outcome_table() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(whole wording -> outcome, ((words, outcome), ...) in file order) from the shipped data."""
    with OUTCOMES_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if line.strip() and not line.startswith("#")))
    wordings = {_outcome_key(r["words"]): r["outcome"].strip() for r in rows if r["match"].strip() == "wording"}
    contains = tuple((_outcome_key(r["words"]), r["outcome"].strip()) for r in rows if r["match"].strip() == "contains")
    return wordings, contains


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def normalise_custody_number(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def outcome_code(text: str) -> str:
    """The CustodyOutcome code for what the list says ("Bailed to return", "Released - NFA",
    "Charged and remanded"), or "" when it is not recognised."""
    key = _outcome_key(text)
    if not key:
        return ""
    found = _table_outcome(key)
    return "" if found == PENDING else found


def _table_outcome(key: str) -> str:
    wordings, contains = outcome_table()
    if key in wordings:
        return wordings[key]
    padded = f" {key} "
    return next((outcome for words, outcome in contains if f" {words} " in padded), "")


def outcome_pending(text: str) -> bool:
    """Whether the list says the detention has no outcome yet ("In custody"): not a problem."""
    key = _outcome_key(text)
    return bool(key) and _table_outcome(key) == PENDING


def export_cell(value: object) -> str:
    """A cell for a CSV export: text that a spreadsheet could run as a formula gets a
    leading apostrophe (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------

MAX_LENGTHS = {
    "custody_number": 50,
    "surname": 100,
    "forenames": 150,
    "gender": 30,
    "home_postcode": 12,
    "home_area": 120,
    "custody_suite": 120,
    "arresting_officer": 150,
    "outcome_text": 80,
}


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    custody_number: str = ""
    surname: str = ""
    forenames: str = ""
    date_of_birth: date | None = None
    date_of_birth_text: str = ""
    gender: str = ""
    home_address: str = ""
    home_postcode: str = ""
    home_area: str = ""
    arrested_at: datetime | None = None
    arrested_at_text: str = ""
    custody_suite: str = ""
    offences: str = ""
    offence_codes: str = ""
    arrest_location: str = ""
    arresting_officer: str = ""
    released_at: datetime | None = None
    released_at_text: str = ""
    outcome_text: str = ""
    outcome: str = ""
    # [{"column", "value", "message"}]: the row cannot be imported as it stands.
    errors: list[dict] = field(default_factory=list)
    # [{"column", "value", "message"}]: a value was left out, the row still imports.
    warnings: list[dict] = field(default_factory=list)
    # Messages: an officer must look at the row by hand.
    checks: list[str] = field(default_factory=list)

    @property
    def dedupe_key(self) -> str:
        number = normalise_custody_number(self.custody_number)
        if number and self.arrested_at:
            return f"cn:{number}|at:{self.arrested_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S}"
        if number and self.arrested_at_text:
            return f"cn:{number}|text:{' '.join(self.arrested_at_text.split())}"[:200]
        digest = hashlib.sha256(json.dumps(self.raw, sort_keys=True).encode()).hexdigest()
        return f"fp:{digest}"

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def _problem(column: str, value: str, message: str) -> dict:
    return {"column": column, "value": value, "message": message}


def parse_row(line: int, cells: dict[str, str], raw: dict[str, str]) -> ParsedRow:
    row = ParsedRow(line=line, raw=raw)
    row.custody_number = normalise_custody_number(cells.get("custody_number", ""))
    row.surname = cells.get("surname", "")
    row.forenames = cells.get("forenames", "")
    row.gender = cells.get("gender", "")
    row.home_address = cells.get("home_address", "")
    row.home_postcode = cells.get("home_postcode", "").upper()
    row.home_area = cells.get("home_force_or_local_authority", "")
    row.custody_suite = cells.get("custody_suite", "")
    row.offences = cells.get("offences", "")
    row.offence_codes = cells.get("offence_code", "")[:500]
    row.arrest_location = cells.get("arrest_location", "")[:500]
    row.arresting_officer = cells.get("arresting_officer", "")
    row.outcome_text = cells.get("outcome", "")

    for attribute, limit in MAX_LENGTHS.items():
        value = getattr(row, attribute)
        if len(value) > limit:
            row.warnings.append(_problem(attribute, value[:60], f"is longer than {limit} characters and was cut short"))
            setattr(row, attribute, value[:limit])

    if not row.custody_number:
        row.errors.append(_problem("custody_number", "", "is empty: every row needs its custody number"))
    if not (row.surname or row.forenames):
        row.errors.append(_problem("surname", "", "and forenames are both empty"))

    _read_arrest(row, cells)
    _read_birth_date(row, cells)
    _read_release(row, cells)
    _read_outcome(row)
    return row


def _read_birth_date(row: ParsedRow, cells: dict[str, str]) -> None:
    """Date of birth: unreadable is never a reason to drop the row; it goes to review.
    A reading with a note (a two-digit year, a time that is not midnight) is kept, with a warning."""
    row.date_of_birth_text = cells.get("date_of_birth", "")[:50]
    if not row.date_of_birth_text:
        row.checks.append("No date of birth on the custody record: check the age manually.")
        return
    arrested_on = row.arrested_at.astimezone(UK).date() if row.arrested_at else date.today()  # noqa: DTZ011
    try:
        reading = read_birth_date(row.date_of_birth_text, arrested_on)
    except ValueProblem as problem:
        row.checks.append(f"Date of birth \u201c{row.date_of_birth_text}\u201d {problem}: check the age manually.")
        return
    if row.arrested_at and reading.born > arrested_on:
        row.checks.append(
            f"Date of birth \u201c{row.date_of_birth_text}\u201d is after the arrest: check the age manually."
        )
        return
    row.date_of_birth = reading.born
    for note in reading.notes:
        row.warnings.append(_problem("date_of_birth", row.date_of_birth_text, f"{note}: check it"))


def _read_arrest(row: ParsedRow, cells: dict[str, str]) -> None:
    """Arrest time: needed to tell one detention from another."""
    arrest_text = cells.get("arrest_datetime", "")
    if not arrest_text and cells.get("arrest_date"):
        arrest_text = combine(cells.get("arrest_date", ""), cells.get("arrest_time_only", ""))
    row.arrested_at_text = arrest_text[:50]
    if not arrest_text:
        row.errors.append(_problem("arrest_datetime", "", "is empty: every row needs the date and time of arrest"))
        return
    try:
        parsed = parse_datetime(arrest_text)
    except ValueProblem as problem:
        row.errors.append(_problem("arrest_datetime", arrest_text, str(problem)))
        return
    row.arrested_at = parsed.at
    if parsed.check:
        row.checks.append(f"Arrest time: {parsed.check}")


def _read_release(row: ParsedRow, cells: dict[str, str]) -> None:
    release_text = cells.get("release_datetime", "")
    if not release_text and cells.get("release_date"):
        release_text = combine(cells.get("release_date", ""), cells.get("release_time_only", ""))
    row.released_at_text = release_text[:50]
    if not release_text:
        return
    try:
        parsed = parse_datetime(release_text)
    except ValueProblem as problem:
        row.warnings.append(_problem("release_datetime", release_text, f"{problem} and was left out"))
        return
    if parsed.check:
        row.checks.append(f"Release time: {parsed.check}")
    elif row.arrested_at and parsed.at and parsed.at < row.arrested_at:
        row.warnings.append(_problem("release_datetime", release_text, "is before the arrest and was left out"))
    else:
        row.released_at = parsed.at


def _read_outcome(row: ParsedRow) -> None:
    if not row.outcome_text:
        return
    row.outcome = outcome_code(row.outcome_text)
    if not row.outcome and not outcome_pending(row.outcome_text):
        row.warnings.append(
            _problem(
                "outcome",
                row.outcome_text,
                "is not an outcome the review knows (charged, bailed, released under investigation, "
                "no further action, remanded, an out-of-court disposal); it is kept as text",
            )
        )
