"""The review corpora (tests/custody/review/corpus/*.csv): dates of birth and drug-supply
wordings as other custody systems export them, each with the reading expected."""

import csv
from datetime import date
from pathlib import Path

import pytest

from custody.review import offence_data, offences
from custody.review.birth_dates import read_birth_date
from safeguarding.core.uktime import ValueProblem

CORPUS = Path(__file__).parent / "corpus"
NOTES = {"serial": "spreadsheet day number", "two_digit": "two-digit year", "time": "not midnight"}


def _rows(name):
    with (CORPUS / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


DATES = _rows("dates_of_birth.csv")
OFFENCES = _rows("offences.csv")


def test_the_corpora_are_big_enough():
    assert len(DATES) >= 100
    assert len(OFFENCES) >= 100
    assert len({r["input"] for r in DATES}) == len(DATES)
    assert len({r["input"] for r in OFFENCES}) == len(OFFENCES)


@pytest.mark.parametrize("row", DATES, ids=[r["input"] for r in DATES])
def test_each_date_of_birth_reads_as_expected(row):
    reference = date.fromisoformat(row["reference"])
    if row["expected"] == "error":
        with pytest.raises(ValueProblem):
            read_birth_date(row["input"], reference)
        return
    reading = read_birth_date(row["input"], reference)
    assert reading.born == date.fromisoformat(row["expected"])
    if row["note"]:
        assert any(NOTES[row["note"]] in note for note in reading.notes)
    else:
        assert reading.notes == ()


@pytest.fixture(scope="module")
def knowledge():
    drugs = {}
    for row in offence_data.drug_rows():
        for name in [row["name"], *row["other_names"].splitlines()]:
            drugs.setdefault(offences.normalise(name), row["drug_class"])
    return offences.Knowledge(drugs=drugs, codes={r["code"]: r["marker"] for r in offence_data.code_rows()})


@pytest.mark.parametrize("row", OFFENCES, ids=[r["input"][:50] for r in OFFENCES])
def test_each_offence_wording_gives_its_markers(knowledge, row):
    expected = {m for m in row["markers"].split("|") if m}
    assert set(offences.recognise(row["input"], knowledge)) == expected
