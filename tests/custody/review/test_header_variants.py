"""Column headings as custody systems really write them, each read for its meaning."""

from __future__ import annotations

import pytest

from custody.review import parsing
from tests.factories.custody import custody_csv, person_row

VARIANTS: list[tuple[str, str]] = [
    # Custody number
    ("Custody Ref", "custody_number"),
    ("Custody No.", "custody_number"),
    ("Custody Number", "custody_number"),
    ("CUSTODY_RECORD_NO", "custody_number"),
    ("Custody Record Number", "custody_number"),
    ("Custody ID", "custody_number"),
    ("CustodyRef", "custody_number"),
    ("Custody Ref No", "custody_number"),
    # Names
    ("Family Name", "surname"),
    ("Surname", "surname"),
    ("LAST NAME", "surname"),
    ("Last_Name", "surname"),
    ("Detainee Surname", "surname"),
    ("Given Names", "forenames"),
    ("Given Name(s)", "forenames"),
    ("Forename(s)", "forenames"),
    ("First Name", "forenames"),
    ("FIRST_NAMES", "forenames"),
    ("Christian Name", "forenames"),
    ("Detainee Forenames", "forenames"),
    # Date of birth
    ("DOB", "date_of_birth"),
    ("D.O.B.", "date_of_birth"),
    ("Date of Birth", "date_of_birth"),
    ("Birth Date", "date_of_birth"),
    ("DateOfBirth", "date_of_birth"),
    ("Date of birth (dd/mm/yyyy)", "date_of_birth"),
    ("Detainee DOB", "date_of_birth"),
    # Arrest
    ("Date/Time Arrested", "arrest_datetime"),
    ("Arrest Date/Time", "arrest_datetime"),
    ("Arrested At", "arrest_datetime"),
    ("Arrest DT", "arrest_datetime"),
    ("Date & Time of Arrest", "arrest_datetime"),
    ("Time of Arrest", "arrest_datetime"),
    ("ARREST_DATETIME", "arrest_datetime"),
    ("Arrest Timestamp", "arrest_datetime"),
    ("Detained At", "arrest_datetime"),
    ("Arrival Date/Time", "arrest_datetime"),
    # Release
    ("Date/Time Released", "release_datetime"),
    ("Release Date/Time", "release_datetime"),
    ("Released At", "release_datetime"),
    ("Time Released", "release_datetime"),
    ("Date & Time of Release", "release_datetime"),
    ("Discharged At", "release_datetime"),
    # Home area
    ("Force/LA of residence", "home_force_or_local_authority"),
    ("Home Force", "home_force_or_local_authority"),
    ("Home Area", "home_force_or_local_authority"),
    ("Residence", "home_force_or_local_authority"),
    ("Home Force / Local Authority", "home_force_or_local_authority"),
    ("Local Authority of Residence", "home_force_or_local_authority"),
    ("Force Area of Residence", "home_force_or_local_authority"),
    ("Home LA", "home_force_or_local_authority"),
    # Outcome
    ("Disposal", "outcome"),
    ("Outcome", "outcome"),
    ("Custody Outcome", "outcome"),
    ("Disposal Result", "outcome"),
    ("Final Disposal", "outcome"),
    # Offences and codes
    ("Offence(s)", "offences"),
    ("Offences", "offences"),
    ("Offence Description", "offences"),
    ("Charges", "offences"),
    ("Reason for Arrest", "offences"),
    ("Offence Code", "offence_code"),
    ("CJS Offence Code", "offence_code"),
    ("HO Code", "offence_code"),
    # Others
    ("Custody Suite", "custody_suite"),
    ("Suite", "custody_suite"),
    ("Post Code", "home_postcode"),
    ("Home Postcode", "home_postcode"),
    ("Home Address", "home_address"),
    ("Sex", "gender"),
    ("Gender", "gender"),
    ("OIC", "arresting_officer"),
    ("Arresting Officer", "arresting_officer"),
    ("Location of Arrest", "arrest_location"),
    ("Place of arrest", "arrest_location"),
]


def test_the_variant_list_is_big_enough():
    assert len(VARIANTS) >= 60


@pytest.mark.parametrize(("heading", "field"), VARIANTS, ids=[h for h, _ in VARIANTS])
def test_each_heading_is_read_for_its_meaning(heading, field):
    header = parsing.map_header([heading])
    assert field in header.columns, header.columns


def test_the_other_custody_systems_list_of_the_issue_imports_with_nothing_ignored():
    content = (
        b"Custody Ref,Family Name,Given Names,DOB,Date/Time Arrested,Date/Time Released,Force/LA of residence,Disposal\n"
        b"WS/1/25,Testwood,Jaylen,01/02/2010,01/03/2025 02:30,01/03/2025 14:00,Leeds,Bailed to return\n"
    )
    (row,) = parsing.parse(parsing.read_file(content))
    assert row.released_at is not None
    assert row.home_area == "Leeds"
    assert row.outcome == "bailed" and not row.warnings


def test_separate_date_and_time_columns_read_by_meaning_are_combined():
    content = (
        b"Custody Ref,Family Name,Given Names,DOB,Arrest Date,Arrest Hour\n"
        b"WS/1/25,Testwood,Jaylen,01/02/2010,01/03/2025,02:30\n"
    )
    (row,) = parsing.parse(parsing.read_file(content))
    assert row.arrested_at is not None and row.arrested_at.hour == 2


def test_a_missing_column_is_named_in_words_with_the_files_own_headings():
    content = b"Custody Ref,Family Name,Notes\nA1,Testwood,x\n"
    with pytest.raises(parsing.FileProblem) as error:
        parsing.read_file(content)
    message = str(error.value)
    assert "forenames" in message.lower() and "date of birth" in message.lower()
    assert "arrest_datetime" not in message and "date_of_birth" not in message
    assert "Custody Ref, Family Name, Notes" in message


def test_a_cell_of_200000_characters_is_refused_naming_the_line():
    rows = [person_row(), person_row(custody_number="WS/2/25", offences="x" * 200_000)]
    with pytest.raises(parsing.FileProblem, match="Line 3 "):
        parsing.read_file(custody_csv(rows))


def test_a_row_with_too_many_cells_is_refused_naming_the_line():
    content = custody_csv([person_row()]) + b"," * (parsing.MAX_COLUMNS + 5) + b"\n"
    with pytest.raises(parsing.FileProblem, match="Line 3 "):
        parsing.read_file(content)


def test_a_million_columns_are_refused_at_once():
    content = b",".join([b"c"] * 1_000_000) + b"\nx\n"
    with pytest.raises(parsing.FileProblem, match="columns"):
        parsing.read_file(content)
