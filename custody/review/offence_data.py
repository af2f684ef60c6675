"""The shipped offence data (custody/data/controlled_drugs.csv, offence_codes.csv) as the
rows the migration loads, and the rows screening restores if it ever finds the tables
empty (a flushed test database)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DRUGS_SOURCE = "Misuse of Drugs Act 1971, Schedule 2 (as amended)"


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if line.strip() and not line.startswith("#")))


def drug_rows() -> list[dict[str, str]]:
    """[{name, drug_class, other_names (one a line), source}]"""
    return [
        {
            "name": row["name"].strip(),
            "drug_class": row["class"].strip().upper(),
            "other_names": "\n".join(n.strip() for n in row["other_names"].split("|") if n.strip()),
            "source": DRUGS_SOURCE,
        }
        for row in _rows("controlled_drugs.csv")
    ]


def code_rows() -> list[dict[str, str]]:
    """[{code, marker, description}]"""
    return [
        {
            "code": row["code"].strip().upper(),
            "marker": row["marker"].strip(),
            "description": row["description"].strip(),
        }
        for row in _rows("offence_codes.csv")
    ]


def load(ControlledDrug, OffenceCode) -> None:
    for row in drug_rows():
        ControlledDrug.objects.get_or_create(name=row["name"], defaults=row)
    for row in code_rows():
        OffenceCode.objects.get_or_create(code=row["code"], defaults=row)
