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
import hashlib
import io
import re
from collections.abc import Callable, Iterator
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
    "offence_code": ("offence code", "offence codes", "cjs code", "cjs offence code", "ho code", "home office code"),
    "arrest_location": ("location of arrest", "place of arrest", "arrest location", "arrest place", "arrested where"),
}
# What each column is called on pages and in messages (never the internal names).
LABELS: dict[str, str] = {
    "custody_number": "Custody number",
    "surname": "Surname",
    "forenames": "Forenames",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "home_address": "Home address",
    "home_postcode": "Home postcode",
    "home_force_or_local_authority": "Home force or local authority",
    "arrest_datetime": "Date and time of arrest",
    "arrest_date": "Date of arrest (with the time in another column)",
    "arrest_time_only": "Time of arrest (with the date in another column)",
    "custody_suite": "Custody suite",
    "offences": "Offences",
    "offence_code": "Offence codes",
    "arrest_location": "Place of arrest",
    "arresting_officer": "Arresting officer",
    "release_datetime": "Date and time of release",
    "release_date": "Date of release (with the time in another column)",
    "release_time_only": "Time of release (with the date in another column)",
    "outcome": "Outcome",
}
# Limits on the shape of a file: beyond them it is refused with a message, never stored.
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_ROW_CHARS = 50_000
REQUIRED = ("custody_number", "surname", "forenames", "date_of_birth", "arrest_datetime")


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""


class MissingColumns(FileProblem):
    """No column of the file holds a field the import needs: the uploader can match them."""


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
    marked = _decode_marked(content)
    if marked is not None:
        return marked
    return _decode_plain(content)


def _decode_marked(content: bytes) -> tuple[str, str] | None:
    """A file that starts with a byte-order mark, read as it says (None: no mark)."""
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
    return None


def _decode_plain(content: bytes) -> tuple[str, str]:
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

    @property
    def signature(self) -> str:
        """A fingerprint of the headings in order: the key of a saved column matching."""
        return hashlib.sha256("\x1f".join(key(n) for n in self.names).encode()).hexdigest()

    def lookalikes(self) -> list[int]:
        """Columns left unused whose heading reads like a field: the uploader should say what they hold."""
        used = set(self.columns.values())
        return [i for i, name in enumerate(self.names) if i not in used and name and meaning(name)]

    def with_mapping(self, mapping: dict[str, int]) -> Header:
        columns = {c: int(i) for c, i in mapping.items() if c in LABELS and 0 <= int(i) < len(self.names)}
        return Header(names=self.names, columns=columns, delimiter=self.delimiter)

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

# Words of a heading read for what they mean ("Date/Time Arrested", "Force/LA of residence").
_WORD_MEANINGS = {
    **dict.fromkeys(("no", "num", "number", "ref", "reference", "id", "record", "nr"), "ref"),
    **dict.fromkeys(("given", "first", "forename", "forenames", "christian", "fname"), "first"),
    **dict.fromkeys(("family", "last", "surname", "lname"), "last"),
    **dict.fromkeys(("dob", "birth", "born", "bdate"), "birth"),
    **dict.fromkeys(("arrest", "arrested", "detained", "detention", "arrival", "booked"), "arrest"),
    **dict.fromkeys(("release", "released", "discharged", "discharge", "left"), "release"),
    **dict.fromkeys(("disposal", "outcome", "result", "decision"), "outcome"),
    **dict.fromkeys(("residence", "resident", "home", "lives", "living"), "home"),
    **dict.fromkeys(("force", "la", "authority", "council", "borough", "area"), "area"),
    **dict.fromkeys(("offence", "offences", "offense", "offenses", "charge", "charges", "crime", "crimes"), "offence"),
    **dict.fromkeys(("date", "day"), "date"),
    **dict.fromkeys(("time", "hour"), "time"),
    **dict.fromkeys(("datetime", "dt", "timestamp", "when", "at"), "datetime"),
    **dict.fromkeys(("postcode", "postal", "post"), "postcode"),
    **dict.fromkeys(("officer", "oic", "arresting"), "officer"),
    **dict.fromkeys(("suite", "station", "centre", "center", "block"), "suite"),
    **dict.fromkeys(("sex", "gender"), "gender"),
    **dict.fromkeys(("location", "place", "where"), "place"),
    **dict.fromkeys(("code", "codes", "cjs", "ho"), "code"),
}


def _meanings(name: str) -> set[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)  # "DateOfBirth" -> "Date Of Birth"
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return {_WORD_MEANINGS.get(w, w) for w in words}


def _when(m: set[str], event: str) -> str:
    has_date, has_time = "date" in m, "time" in m
    if has_date and not has_time and "datetime" not in m:
        return f"{event}_date"
    if has_time and not has_date and "datetime" not in m:
        return f"{event}_time"
    return f"{event}_datetime"


def meaning(name: str) -> str | None:
    """The field a heading means, read word by word, or None: "Custody Ref" and "Custody
    No." are the custody number, "Given Names" the forenames, "Date/Time Arrested" the
    date and time of arrest, "Force/LA of residence" the home area, "Disposal" the outcome.
    A separate time column comes back as "<event>_time" (see map_header)."""
    m = _meanings(name)
    if _is_offence_code(m, name):
        return "offence_code"
    for test, field in _MEANING_RULES:
        if test(m):
            return field(m) if callable(field) else field
    return None


def _is_offence_code(m: set[str], name: str) -> bool:
    return "code" in m and ("offence" in m or "cjs" in name.lower() or m == {"code"} or "ho" in name.lower().split())


# (test of a heading's meanings, the field it means or how to tell which): in order, the first wins.
_MEANING_RULES: tuple[tuple[Callable[[set[str]], bool], str | Callable[[set[str]], str]], ...] = (
    (lambda m: "birth" in m, "date_of_birth"),
    (lambda m: "place" in m and "arrest" in m, "arrest_location"),
    (lambda m: "officer" in m and "offence" not in m, "arresting_officer"),
    (lambda m: "offence" in m or ("reason" in m and "arrest" in m), "offences"),
    (lambda m: "arrest" in m, lambda m: _when(m, "arrest")),
    (lambda m: "release" in m, lambda m: _when(m, "release")),
    (lambda m: "outcome" in m, "outcome"),
    (lambda m: "custody" in m and ("ref" in m or m <= {"custody"}), "custody_number"),
    (lambda m: "last" in m, "surname"),
    (lambda m: "first" in m, "forenames"),
    (lambda m: "gender" in m, "gender"),
    (lambda m: "postcode" in m, "home_postcode"),
    (lambda m: "address" in m, "home_address"),
    (lambda m: "area" in m or ("home" in m and not m & {"address", "postcode"}), "home_force_or_local_authority"),
    (lambda m: "suite" in m or ("custody" in m and bool(m & {"place", "centre"})), "custody_suite"),
)


def map_header(names: list[str], delimiter: str = ",") -> Header:
    keys = [key(n) for n in names]
    columns = _synonym_columns(keys)
    _meaning_columns(names, keys, columns)
    for prefix in ("arrest", "release"):
        _split_date_and_time(prefix, names, keys, columns)
    return Header(names=names, columns=columns, delimiter=delimiter)


def _synonym_columns(keys: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, k in enumerate(keys):
        canonical = _SYNONYMS.get(k)
        if canonical and canonical not in columns:
            columns[canonical] = index
    return columns


def _meaning_columns(names: list[str], keys: list[str], columns: dict[str, int]) -> None:
    """Headings no synonym names are read for their meaning."""
    taken = set(columns.values())
    for index, name in enumerate(names):
        if index in taken or not name:
            continue
        canonical = meaning(name)
        if canonical and canonical.endswith("_time"):
            event = canonical[: -len("_time")]
            canonical = f"{event}_datetime"
            keys[index] = f"{event}time"  # a time-only column: merged with a date column below
        if canonical and canonical not in columns:
            columns[canonical] = index


def _split_date_and_time(prefix: str, names: list[str], keys: list[str], columns: dict[str, int]) -> None:
    """Separate date and time columns ("Arrest date" + "Arrest time"): the time column,
    which alone would be taken for the date and time, becomes the time part."""
    combined, date_column = f"{prefix}_datetime", f"{prefix}_date"
    for index, k in enumerate(keys):
        if (k in (f"{prefix}date", f"dateof{prefix}") or meaning(names[index]) == date_column) and (
            date_column not in columns
        ):
            columns[date_column] = index
    if date_column in columns and combined in columns and keys[columns[combined]] in _TIME_ONLY_KEYS[prefix]:
        columns[f"{prefix}_time_only"] = columns.pop(combined)


def _too_long(line: int) -> str:
    return (
        f"Line {line} is too long to be a custody record: a cell may hold at most {MAX_CELL_CHARS:,} characters "
        f"and a line {MAX_ROW_CHARS:,}. Check that line in the file (an unclosed quotation mark runs lines together)."
    )


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
        while True:
            line = start
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if "field larger than field limit" in str(error):
                    raise FileProblem(_too_long(line)) from None
                raise FileProblem(f"The file is not a well-formed CSV file at line {line}: {error}.") from None
            start = reader.line_num + 1
            if len(cells) > MAX_COLUMNS:
                raise FileProblem(
                    f"Line {line} has {len(cells)} cells: a custody list has at most {MAX_COLUMNS} columns. "
                    "Check the file was exported with one detained person a line."
                )
            if any(len(c) > MAX_CELL_CHARS for c in cells) or sum(len(c) for c in cells) > MAX_ROW_CHARS:
                raise FileProblem(_too_long(line))
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


def read_file(content: bytes, *, mapping: dict[str, int] | None = None, allow_missing: bool = False) -> CsvFile:
    """Decode and check the header, every line of the file within the limits. Raises
    FileProblem naming what is wrong; MissingColumns when a needed field has no column,
    unless `allow_missing` (the uploader will match the columns). `mapping` (field ->
    column number) replaces the reading of the headings."""
    text, encoding = decode(content)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    if first_line.count(delimiter) >= MAX_COLUMNS:
        raise FileProblem(
            f"The header row names {first_line.count(delimiter) + 1:,} columns: a custody list has at most "
            f"{MAX_COLUMNS}. Check this is the custody list, exported as CSV."
        )
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        names = next(reader)
    except (StopIteration, csv.Error):
        raise FileProblem("The file is empty. Choose the custody list exported this morning.") from None
    names = [n.replace("\x00", "").strip() for n in names]
    header = map_header(names, delimiter)
    if mapping:
        header = header.with_mapping(mapping)
    missing = [] if allow_missing else header.missing()
    found = ", ".join(n for n in names if n)
    if len(header.columns) == 0:
        raise FileProblem(
            "The first row of the file must be a header row naming the columns, such as "
            f"{', '.join(LABELS[n] for n in REQUIRED)}. The first row found was: {found[:200]}"
        )
    if missing:
        raise MissingColumns(
            f"No column of the file holds the {' or the '.join(LABELS[m].lower() for m in missing)}. "
            f"The columns found were: {found[:300]}"
        )
    csv_file = CsvFile(text=text.lstrip("\ufeff"), encoding=encoding, header=header)
    # Every line is read once here, so that a file too big in any way is refused before it is stored.
    if not sum(1 for _ in csv_file.data_lines()):
        raise FileProblem("The file has a header row but no rows of detained people.")
    return csv_file


def examples(csv_file: CsvFile, rows: int = 3) -> list[list[str]]:
    """For each column of the file, its values in the first rows (for matching the columns)."""
    found: list[list[str]] = [[] for _ in csv_file.header.names]
    for n, (_line, _cells, raw) in enumerate(csv_file.data_lines()):
        if n >= rows:
            break
        for index, name in enumerate(csv_file.header.names):
            value = raw.get(name or f"column {index + 1}", "")
            if value:
                found[index].append(value[:60])
    return found


def parse(csv_file: CsvFile) -> Iterator[ParsedRow]:
    """The rows, their problems naming the file's own column headings."""
    header = csv_file.header
    heading = {c: header.names[i] for c, i in header.columns.items() if i < len(header.names) and header.names[i]}
    for line, cells, raw in csv_file.data_lines():
        row = parse_row(line, cells, raw)
        for problem in (*row.errors, *row.warnings):
            column = problem.get("column", "")
            problem["column"] = heading.get(column) or LABELS.get(column, column)
        yield row
