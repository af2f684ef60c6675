"""Builders for the custody review tests: CSV files, imports, rows and custody events.

Every name is invented. Dates of birth are computed from the arrest time, so a
"16-year-old" stays 16 whatever day the tests run.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from custody.models import CustodyEvent, CustodyImport, CustodyImportRow, RowState
from custody.review import parsing, services
from custody.review.forms import UploadForm
from safeguarding.accounts.models import User

HEADER = [
    "custody_number",
    "surname",
    "forenames",
    "date_of_birth",
    "gender",
    "home_address",
    "home_postcode",
    "home_force_or_local_authority",
    "arrest_datetime",
    "custody_suite",
    "offences",
    "arresting_officer",
    "release_datetime",
    "outcome",
]


def arrest_time(days_ago: int = 1, hour: int = 23, minute: int = 15) -> datetime:
    """A UK local arrest time (aware), some days ago."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def born_aged(age: int, on: date | None = None) -> date:
    """A date of birth making someone `age` on `on` (default: today), not near a birthday."""
    on = on or timezone.localdate()
    born = on - timedelta(days=int(age * 365.25) + 100)
    return born


def uk(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


def person_row(**overrides) -> dict[str, str]:
    """One detained person as the custody list writes them (a 16-year-old from North Yorkshire)."""
    arrested = arrest_time()
    row = {
        "custody_number": "WS/00101/25",
        "surname": "Testwood",
        "forenames": "Jaylen",
        "date_of_birth": born_aged(16).strftime("%d/%m/%Y"),
        "gender": "Male",
        "home_address": "12 Invented Road, Scarborough",
        "home_postcode": "YO11 1AA",
        "home_force_or_local_authority": "North Yorkshire Police",
        "arrest_datetime": uk(arrested),
        "custody_suite": "Westshire Central",
        "offences": "Possession with intent to supply a controlled drug of Class A - crack cocaine",
        "arresting_officer": "PC 1234 Example",
        "release_datetime": "",
        "outcome": "",
    }
    row.update(overrides)
    return row


def adult_row(number: str = "WS/00900/25", **overrides) -> dict[str, str]:
    """A 40-year-old local adult with no markers: not flagged."""
    values = {
        "custody_number": number,
        "surname": "Grownup",
        "forenames": "Alan",
        "date_of_birth": born_aged(40).strftime("%d/%m/%Y"),
        "home_force_or_local_authority": "Westshire",
        "offences": "Drink driving",
        "home_address": "1 Local Street",
        **overrides,
    }
    return person_row(**values)


def custody_csv(
    rows: list[dict], *, header: list[str] | None = None, bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    header = header or HEADER
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(content: bytes, name: str = "custody-list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def checked_upload(content: bytes, name: str = "custody-list.csv") -> tuple[bytes, parsing.CsvFile]:
    """The file's bytes and its reading, checked by the upload form as the upload page does."""
    form = UploadForm(data={}, files={"file": upload(content, name)})
    assert form.is_valid(), form.errors
    return form.content, form.csv_file


def import_csv(actor: User, content: bytes, name: str = "custody-list.csv") -> CustodyImport:
    """Upload and import a list synchronously, as the upload page does for a small file."""
    data, csv_file = checked_upload(content, name)
    batch = services.custody_import_create(actor=actor, filename=name, content=data, csv_file=csv_file)
    services.custody_import_process(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


class CustodyImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyImport

    uploaded_by = None
    filename = factory.Sequence(lambda n: f"custody-list-{n}.csv")
    content = factory.LazyFunction(lambda: custody_csv([person_row()]))
    size_bytes = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    encoding = "utf-8"
    status = CustodyImport.Status.DONE
    total_rows = 1
    processed_rows = 1
    new_count = 1
    flagged_count = 1
    problems = factory.LazyFunction(
        lambda: [{"line": 3, "kind": "error", "column": "arrest_datetime", "value": "=cmd()", "message": "bad"}]
    )


class CustodyImportRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyImportRow

    batch = factory.SubFactory(CustodyImportFactory)
    last_batch = factory.LazyAttribute(lambda o: o.batch)
    line_number = factory.Sequence(lambda n: n + 2)
    dedupe_key = factory.Sequence(lambda n: f"cn:TEST{n}|at:x")
    custody_number = factory.Sequence(lambda n: f"WS/{n:05d}/25")
    surname = "Testwood"
    forenames = "Jaylen"
    date_of_birth = factory.LazyFunction(lambda: born_aged(16))
    date_of_birth_text = factory.LazyAttribute(
        lambda o: o.date_of_birth.strftime("%d/%m/%Y") if o.date_of_birth else ""
    )
    arrested_at = factory.LazyFunction(arrest_time)
    arrested_at_text = factory.LazyAttribute(lambda o: uk(o.arrested_at) if o.arrested_at else "")
    custody_suite = "Westshire Central"
    offences = "PWITS Class A"
    score = 140
    reasons = factory.LazyFunction(lambda: ["16 (juvenile under PACE)", "PWITS Class A"])
    state = RowState.TO_REVIEW


class CustodyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyEvent

    case = None
    person = factory.LazyAttribute(lambda o: o.case.person)
    custody_number = factory.Sequence(lambda n: f"WS/{n + 5000:05d}/25")
    custody_suite = "Westshire Central"
    arrested_at = factory.LazyFunction(arrest_time)
    offences = "PWITS Class A"
    created_by = factory.LazyAttribute(lambda o: o.case.owner)
