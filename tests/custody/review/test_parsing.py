"""Reading the custody list: encodings, header synonyms, dates, UK clock changes, exports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from custody.review import parsing, row_values
from tests.factories.custody import HEADER, custody_csv, person_row


def test_a_utf8_byte_order_mark_is_accepted():
    csv_file = parsing.read_file(custody_csv([person_row()], bom=True))
    assert csv_file.encoding == "utf-8-sig"
    assert csv_file.header.names[0] == "custody_number"
    assert [r.custody_number for r in parsing.parse(csv_file)] == ["WS/00101/25"]


def test_header_synonyms_in_any_order_are_mapped_and_extra_columns_ignored():
    content = (
        b"Notes,DOB,Surname,First Name,Custody No.,Date of Arrest,Arrest Time,Offence,Home Force,Disposal\n"
        b"ignored,01/02/2010,Testwood,Jaylen,ws 123,2025-03-01,02:30,PWITS,Leeds,RUI\n"
    )
    csv_file = parsing.read_file(content)
    (row,) = parsing.parse(csv_file)
    assert row.custody_number == "WS123"
    assert (row.surname, row.forenames, row.date_of_birth) == ("Testwood", "Jaylen", date(2010, 2, 1))
    assert row.arrested_at == datetime(2025, 3, 1, 2, 30, tzinfo=row_values.UK)
    assert row.home_area == "Leeds"
    assert row.outcome == "rui"
    assert "Notes" in row.raw


def test_missing_required_columns_are_named():
    content = b"custody_number,surname,offences\nA1,Testwood,theft\n"
    with pytest.raises(parsing.FileProblem) as error:
        parsing.read_file(content)
    message = str(error.value)
    assert "forenames" in message and "date of birth" in message and "date and time of arrest" in message
    assert "custody_number, surname, offences" in message  # what was found


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(content):
    with pytest.raises(parsing.FileProblem, match="empty"):
        parsing.read_file(content)


def test_a_header_without_rows_is_refused():
    with pytest.raises(parsing.FileProblem, match="no rows"):
        parsing.read_file(",".join(HEADER).encode() + b"\r\n")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel workbook"),
        (b"%PDF-1.7\n", "PDF"),
        (b"GIF89a\x00\x00\x01", "not a text"),
    ],
)
def test_files_that_are_not_csv_are_refused_with_the_reason(content, expected):
    with pytest.raises(parsing.FileProblem, match=expected):
        parsing.read_file(content)


def test_windows_1252_is_the_documented_fallback():
    content = custody_csv([person_row(forenames="Zoë", surname="Łaski".replace("Ł", "L"))], encoding="cp1252")
    csv_file = parsing.read_file(content)
    assert csv_file.encoding == "windows-1252"
    assert next(parsing.parse(csv_file)).forenames == "Zoë"


def test_utf16_with_its_byte_order_mark_is_read():
    content = custody_csv([person_row(forenames="Zoë")]).decode().encode("utf-16")
    csv_file = parsing.read_file(content)
    assert csv_file.encoding == "utf-16"
    assert next(parsing.parse(csv_file)).forenames == "Zoë"


def test_semicolon_separated_files_are_read():
    content = custody_csv([person_row()]).decode().replace(",", ";").encode()
    assert next(parsing.parse(parsing.read_file(content))).surname == "Testwood"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-14", date(2025, 3, 14)),
        ("14/03/2025", date(2025, 3, 14)),
        ("4/3/2025", date(2025, 3, 4)),
    ],
)
def test_dates_are_iso_or_day_month_year(text, expected):
    assert row_values.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "2025/03/14", "14-03-25", "March 2025", "=1+1"])
def test_unreadable_dates_are_refused(text):
    with pytest.raises(row_values.ValueProblem):
        row_values.parse_date(text)


def test_times_without_a_zone_are_uk_local_time():
    summer = row_values.parse_datetime("14/06/2025 02:30")
    winter = row_values.parse_datetime("2025-01-14T02:30")
    assert summer.at.astimezone(UTC) == datetime(2025, 6, 14, 1, 30, tzinfo=UTC)
    assert winter.at.astimezone(UTC) == datetime(2025, 1, 14, 2, 30, tzinfo=UTC)


def test_a_time_with_a_zone_is_taken_as_given():
    assert row_values.parse_datetime("2024-10-27T01:30+01:00").at.astimezone(UTC) == datetime(
        2024, 10, 27, 0, 30, tzinfo=UTC
    )
    assert row_values.parse_datetime("2024-10-27T01:30Z").at == datetime(2024, 10, 27, 1, 30, tzinfo=UTC)


def test_a_time_that_happened_twice_in_october_is_flagged_not_guessed():
    parsed = row_values.parse_datetime("27/10/2024 01:30")
    assert parsed.at is None
    assert "happened twice" in parsed.check


def test_a_time_that_never_happened_in_march_is_flagged_not_guessed():
    parsed = row_values.parse_datetime("2024-03-31T01:30")
    assert parsed.at is None
    assert "did not happen" in parsed.check


def test_times_either_side_of_the_clock_change_are_certain():
    assert row_values.parse_datetime("27/10/2024 00:59").at is not None
    assert row_values.parse_datetime("27/10/2024 02:00").at is not None
    assert row_values.parse_datetime("31/03/2024 00:59").at is not None
    assert row_values.parse_datetime("31/03/2024 02:00").at is not None


def test_a_row_arrested_at_the_clock_change_goes_to_check_manually_with_a_stable_key():
    row = row_values.parse_row(1, {"custody_number": "A1", "surname": "T", "arrest_datetime": "27/10/2024 01:30"}, {})
    assert row.arrested_at is None and not row.errors
    assert any("happened twice" in c for c in row.checks)
    assert row.dedupe_key == "cn:A1|text:27/10/2024 01:30"


def test_a_date_without_a_time_for_the_arrest_is_an_error_naming_the_value():
    row = row_values.parse_row(5, {"custody_number": "A1", "surname": "T", "arrest_datetime": "14/03/2025"}, {})
    assert row.errors == [{"column": "arrest_datetime", "value": "14/03/2025", "message": "has a date but no time"}]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Charged", "charged"),
        ("BAILED", "bailed"),
        ("Released under investigation", "rui"),
        ("RUI", "rui"),
        ("NFA", "nfa"),
        ("No further action", "nfa"),
        ("Remanded in custody", "remanded"),
        ("Cautioned", "out_of_court"),
        ("Bailed to return", "bailed"),
        ("Released - NFA", "nfa"),
        ("Community resolution", "out_of_court"),
        ("Charged and remanded", "remanded"),
        ("Charged & bailed to court", "charged"),
        ("Refused charge", "nfa"),
        ("CPS - charge refused", "nfa"),
        ("Released under investigation (RUI)", "rui"),
        ("Transferred to hospital", ""),
    ],
)
def test_outcomes_are_recognised(text, code):
    assert row_values.outcome_code(text) == code


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+44 7700", "-1+2", "@SUM(A1)", "\tcmd"])
def test_export_escapes_cells_a_spreadsheet_would_run(value):
    assert row_values.export_cell(value) == "'" + value


def test_export_leaves_plain_text_alone():
    assert row_values.export_cell("Testwood") == "Testwood"
    assert row_values.export_cell(None) == ""
