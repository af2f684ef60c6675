"""Reading the morning custody list (DESIGN §6): a CSV file, one row per detained person.

* Encoding: UTF-8, with or without a byte-order mark. A file that is not valid UTF-8
  is read as Windows-1252 (what Excel on Windows writes for "CSV"), and the batch
  records that it was; a file that is neither (binary, a spreadsheet) is refused.
  A UTF-16 file with its byte-order mark ("Unicode text" from Excel) is read too.
* Header row required; column names are matched case- and punctuation-insensitively,
  through the synonyms below; extra columns are ignored; order does not matter.
* Dates are ISO 8601 (2025-03-14, 2025-03-14T02:30, with or without a zone) or
  dd/mm/yyyy (14/03/2025 02:30). A time without a zone is UK local time
  (Europe/London): a time that happened twice (October) or never (March) is not
  guessed but flagged for the officer to check.
* Cells are kept as the text they are: a cell starting with =, +, - or @ is stored
  as text and escaped on any export (see ``export_cell``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")

# canonical column -> other names it may carry (compared as lower-case letters and digits only).
COLUMNS: dict[str, tuple[str, ...]] = {
    "custody_number": (
        "custody no",
        "custody num",
        "custody ref",
        "custody reference",
        "custody record",
        "custody record number",
        "custody record no",
        "custody id",
        "custody",
    ),
    "surname": ("last name", "family name", "lname"),
    "forenames": ("forename", "first name", "first names", "given name", "given names", "fname"),
    "date_of_birth": ("dob", "birth date", "date of birth dd mm yyyy", "d o b"),
    "gender": ("sex",),
    "home_address": ("address", "home address line"),
    "home_postcode": ("postcode", "post code", "postal code"),
    "home_force_or_local_authority": (
        "home force",
        "home local authority",
        "local authority",
        "home area",
        "home force la",
        "home force or la",
        "force or local authority",
        "home la",
    ),
    "arrest_datetime": (
        "arrest date time",
        "arrest time",
        "arrest date and time",
        "arrested",
        "arrested at",
        "time of arrest",
        "date and time of arrest",
        "date time of arrest",
    ),
    "arrest_date": ("date of arrest",),
    "custody_suite": ("suite", "custody station", "station", "custody location", "custody centre"),
    "offences": (
        "offence",
        "offences description",
        "offence details",
        "charges",
        "reason for arrest",
        "arrest reason",
        "offence s",
    ),
    "arresting_officer": ("officer", "oic", "officer in charge", "arresting officer name"),
    "release_datetime": (
        "release date time",
        "release time",
        "released at",
        "release date and time",
        "time of release",
        "released",
        "date time of release",
    ),
    "release_date": ("date of release",),
    "outcome": ("disposal", "result", "custody outcome", "outcome of custody"),
}
REQUIRED = ("custody_number", "surname", "forenames", "date_of_birth", "arrest_datetime")

OUTCOMES: dict[str, str] = {
    "charged": "charged",
    "charge": "charged",
    "charged and bailed": "charged",
    "charged bailed": "charged",
    "charged remanded": "remanded",
    "charged and remanded": "remanded",
    "bail": "bailed",
    "bailed": "bailed",
    "police bail": "bailed",
    "pre charge bail": "bailed",
    "precharge bail": "bailed",
    "rui": "rui",
    "released under investigation": "rui",
    "release under investigation": "rui",
    "nfa": "nfa",
    "no further action": "nfa",
    "remand": "remanded",
    "remanded": "remanded",
    "remanded in custody": "remanded",
    "remanded to court": "remanded",
}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""


def key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_SYNONYMS: dict[str, str] = {}
for _canonical, _others in COLUMNS.items():
    _SYNONYMS[key(_canonical)] = _canonical
    for _other in _others:
        _SYNONYMS.setdefault(key(_other), _canonical)
# "arrest_time" on its own beside a date column is the time part; see map_header.


# ---------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------

_BINARY_SIGNATURES = {
    b"PK\x03\x04": "This looks like an Excel workbook (.xlsx) or a zip file, not a CSV file. "
    "In Excel choose File, Save as, \u201cCSV UTF-8 (comma delimited)\u201d and upload that file.",
    b"\xd0\xcf\x11\xe0": "This looks like an old Excel workbook (.xls), not a CSV file. "
    "In Excel choose File, Save as, \u201cCSV UTF-8 (comma delimited)\u201d and upload that file.",
    b"%PDF": "This is a PDF document, not a CSV file. Ask for the custody list as a CSV export.",
}


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding used). Raises FileProblem for an empty or non-text file."""
    if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise FileProblem("The file is empty. Choose the custody list exported this morning.")
    for signature, message in _BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise FileProblem(message)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileProblem("The file says it is UTF-16 text but cannot be read as such.") from None
    if b"\x00" in content:
        raise FileProblem("The file is not a text (CSV) file. Upload the custody list as a CSV file.")
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise FileProblem(
                "The file starts with a UTF-8 marker but is not valid UTF-8 text. Export it again as \u201cCSV UTF-8\u201d."
            ) from None
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # The documented fallback: Windows-1252, what Excel on Windows writes for plain "CSV".
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise FileProblem(
            "The file is not UTF-8 or Windows-1252 text, so its names cannot be read reliably. "
            "Export it again as \u201cCSV UTF-8 (comma delimited)\u201d."
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class Header:
    names: list[str]  # as in the file
    columns: dict[str, int]  # canonical -> index
    delimiter: str

    def missing(self) -> list[str]:
        present = set(self.columns)
        missing = []
        for name in REQUIRED:
            if name == "arrest_datetime" and ("arrest_datetime" in present or "arrest_date" in present):
                continue
            if name not in present:
                missing.append(name)
        return missing


_TIME_ONLY_KEYS = {"arrest": {"arresttime", "timeofarrest"}, "release": {"releasetime", "timeofrelease"}}


def map_header(names: list[str], delimiter: str = ",") -> Header:
    columns: dict[str, int] = {}
    keys = [key(n) for n in names]
    for index, k in enumerate(keys):
        canonical = _SYNONYMS.get(k)
        if canonical and canonical not in columns:
            columns[canonical] = index
    # Separate date and time columns ("Arrest date" + "Arrest time"): the time column,
    # which alone would be taken for the date and time, becomes the time part.
    for prefix, combined in (("arrest", "arrest_datetime"), ("release", "release_datetime")):
        date_column = f"{prefix}_date"
        for index, k in enumerate(keys):
            if k in (f"{prefix}date", f"dateof{prefix}") and date_column not in columns:
                columns[date_column] = index
        if date_column in columns and combined in columns and keys[columns[combined]] in _TIME_ONLY_KEYS[prefix]:
            columns[f"{prefix}_time_only"] = columns.pop(combined)
    return Header(names=names, columns=columns, delimiter=delimiter)


@dataclass
class CsvFile:
    text: str
    encoding: str
    header: Header

    def data_lines(self) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
        """(line number, canonical cells, raw cells by the file's column names) for each
        non-blank row. Line numbers are the file's own (the header is line 1)."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.header.delimiter)
        next(reader, None)
        start = reader.line_num + 1
        names = self.header.names
        for cells in reader:
            line = start
            start = reader.line_num + 1
            cells = [c.replace("\x00", "").strip() for c in cells]
            if not any(cells):
                continue
            raw = {}
            for index, value in enumerate(cells):
                name = names[index] if index < len(names) and names[index] else f"column {index + 1}"
                if value:
                    raw[name] = value
            canonical = {
                column: (cells[index] if index < len(cells) else "") for column, index in self.header.columns.items()
            }
            yield line, canonical, raw

    def count_rows(self) -> int:
        return sum(1 for _ in self.data_lines())


def read_file(content: bytes) -> CsvFile:
    """Decode and check the header. Raises FileProblem naming what is wrong."""
    text, encoding = decode(content)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        names = next(reader)
    except (StopIteration, csv.Error):
        raise FileProblem("The file is empty. Choose the custody list exported this morning.") from None
    names = [n.replace("\x00", "").strip() for n in names]
    header = map_header(names, delimiter)
    missing = header.missing()
    if len(header.columns) == 0:
        raise FileProblem(
            "The first row of the file must be a header row naming the columns, such as "
            f"{', '.join(REQUIRED)}. The first row found was: {', '.join(n for n in names if n)[:200]}"
        )
    if missing:
        raise FileProblem(
            f"The file is missing required {'column' if len(missing) == 1 else 'columns'}: "
            f"{', '.join(missing)}. The columns found were: {', '.join(n for n in names if n)[:300]}"
        )
    csv_file = CsvFile(text=text.lstrip("\ufeff"), encoding=encoding, header=header)
    try:
        if not any(True for _ in csv_file.data_lines()):
            raise FileProblem("The file has a header row but no rows of detained people.")
    except csv.Error as error:
        raise FileProblem(f"The file is not a well-formed CSV file: {error}.") from None
    return csv_file


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
_ZONE = r"(Z|[+-]\d{2}:?\d{2})?"
_ISO_DATETIME = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})[T ]{_TIME}\s*{_ZONE}$", re.IGNORECASE)
_UK_DATETIME = re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})[ T,]+{_TIME}\s*{_ZONE}$", re.IGNORECASE)
_TIME_ONLY = re.compile(rf"^{_TIME}$")


class ValueProblem(ValueError):
    """A value that cannot be read; the message is for the user."""


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


@dataclass(frozen=True)
class LocalTime:
    """A parsed time: `at` when it is certain, else why it must be checked."""

    at: datetime | None
    check: str = ""


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() == "Z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def uk_local(naive: datetime) -> LocalTime:
    """A wall-clock time in the UK as an aware datetime, unless the clocks changed around it."""
    first = naive.replace(tzinfo=UK, fold=0)
    second = naive.replace(tzinfo=UK, fold=1)
    if first.utcoffset() == second.utcoffset():
        return LocalTime(first)
    round_trip = first.astimezone(UTC).astimezone(UK).replace(tzinfo=None)
    shown = naive.strftime("%d/%m/%Y %H:%M")
    if round_trip != naive:
        return LocalTime(
            None,
            f"{shown} did not happen in the UK: the clocks went forward that night. "
            "Check the custody record for the right time.",
        )
    return LocalTime(
        None,
        f"{shown} happened twice in the UK: the clocks went back that night. "
        "Check the custody record for whether it was BST or GMT.",
    )


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
    zone = _zone(match.group(7))
    if zone is not None:
        return LocalTime(naive.replace(tzinfo=zone))
    return uk_local(naive)


def combine(date_text: str, time_text: str) -> str:
    if not time_text:
        return date_text
    if not _TIME_ONLY.match(time_text.strip()):
        return f"{date_text} {time_text}"
    separator = "T" if _ISO_DATE.match(date_text.strip()) else " "
    return f"{date_text.strip()}{separator}{time_text.strip()}"


def normalise_custody_number(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def outcome_code(text: str) -> str:
    """The CustodyOutcome code for what the list says, or "" when it is not recognised."""
    return OUTCOMES.get(" ".join(re.sub(r"[^a-z]+", " ", text.lower()).split()), "")


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

    # Date of birth: unreadable is never a reason to drop the row; it goes to review.
    row.date_of_birth_text = cells.get("date_of_birth", "")[:50]
    if not row.date_of_birth_text:
        row.checks.append("No date of birth on the custody record: check the age manually.")
    else:
        try:
            born = parse_date(row.date_of_birth_text)
            if born.year < 1900:
                raise ValueProblem("is too long ago to be a date of birth")
            row.date_of_birth = born
        except ValueProblem as problem:
            row.checks.append(f"Date of birth \u201c{row.date_of_birth_text}\u201d {problem}: check the age manually.")

    # Arrest time: needed to tell one detention from another.
    arrest_text = cells.get("arrest_datetime", "")
    if not arrest_text and cells.get("arrest_date"):
        arrest_text = combine(cells.get("arrest_date", ""), cells.get("arrest_time_only", ""))
    row.arrested_at_text = arrest_text[:50]
    if not arrest_text:
        row.errors.append(_problem("arrest_datetime", "", "is empty: every row needs the date and time of arrest"))
    else:
        try:
            parsed = parse_datetime(arrest_text)
            row.arrested_at = parsed.at
            if parsed.check:
                row.checks.append(f"Arrest time: {parsed.check}")
        except ValueProblem as problem:
            row.errors.append(_problem("arrest_datetime", arrest_text, str(problem)))

    if row.date_of_birth and row.arrested_at and row.date_of_birth > row.arrested_at.astimezone(UK).date():
        row.checks.append(
            f"Date of birth \u201c{row.date_of_birth_text}\u201d is after the arrest: check the age manually."
        )
        row.date_of_birth = None

    release_text = cells.get("release_datetime", "")
    if not release_text and cells.get("release_date"):
        release_text = combine(cells.get("release_date", ""), cells.get("release_time_only", ""))
    row.released_at_text = release_text[:50]
    if release_text:
        try:
            parsed = parse_datetime(release_text)
            if parsed.check:
                row.checks.append(f"Release time: {parsed.check}")
            elif row.arrested_at and parsed.at and parsed.at < row.arrested_at:
                row.warnings.append(_problem("release_datetime", release_text, "is before the arrest and was left out"))
            else:
                row.released_at = parsed.at
        except ValueProblem as problem:
            row.warnings.append(_problem("release_datetime", release_text, f"{problem} and was left out"))

    if row.outcome_text:
        row.outcome = outcome_code(row.outcome_text)
        if not row.outcome:
            row.warnings.append(
                _problem(
                    "outcome",
                    row.outcome_text,
                    "is not one of charged, bailed, released under investigation, no further action or remanded; "
                    "it is kept as text",
                )
            )
    return row


def parse(csv_file: CsvFile) -> Iterator[ParsedRow]:
    for line, cells, raw in csv_file.data_lines():
        yield parse_row(line, cells, raw)
