"""Reading the morning custody list as a file: a CSV file, one row per detained person.
A row's values are read in ``row_values``.

* Encoding: UTF-8, with or without a byte-order mark. A file that is not valid UTF-8
  is read as Windows-1252 (what Excel on Windows writes for "CSV"), and the batch
  records that it was; a file that is neither (binary, a spreadsheet) is refused.
  A UTF-16 file with its byte-order mark ("Unicode text" from Excel) is read too.
* Header row required; column names are matched case- and punctuation-insensitively,
  through the synonyms below; extra columns are ignored; order does not matter.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .row_values import ParsedRow, parse_row

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


def parse(csv_file: CsvFile) -> Iterator[ParsedRow]:
    for line, cells, raw in csv_file.data_lines():
        yield parse_row(line, cells, raw)
