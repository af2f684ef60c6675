"""The column-matching step: a list whose headings do not say every field is imported
only once the uploader has said which column holds what, saved for their team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from custody.models import ColumnMapping, CustodyImport, CustodyImportRow, ImportStatus
from safeguarding.audit.models import AuditEvent
from tests.factories.custody import upload

pytestmark = pytest.mark.django_db

UPLOAD = reverse("custody:import_upload")
ODD = (
    b"Ref,Family Name,Given Names,Born,Nicked,Released At\n"
    b"WS/1/25,Testwood,Jaylen,01/02/2010,01/03/2025 02:30,01/03/2025 10:00\n"
    b"WS/2/25,Smith,Ann,05/06/2011,01/03/2025 03:00,\n"
)
MATCHED = {"column_0": "custody_number", "column_3": "date_of_birth", "column_4": "arrest_datetime"}


def matching_post(batch, choices):
    data = {f"column_{i}": "" for i in range(6)}
    data.update({"column_1": "surname", "column_2": "forenames", "column_5": "release_datetime", **choices})
    return reverse("custody:import_columns", args=[batch.pk]), data


def test_a_list_missing_a_field_goes_to_the_matching_step_naming_its_own_headings(personas):
    client = personas.client("officer_a")
    response = client.post(UPLOAD, {"file": upload(ODD)})
    batch = CustodyImport.objects.get()
    assert batch.status == ImportStatus.COLUMNS
    assert response.url == reverse("custody:import_columns", args=[batch.pk])
    assert not CustodyImportRow.objects.exists()
    page = client.get(response.url).content.decode()
    for heading in ("Ref", "Family Name", "Given Names", "Born", "Nicked"):
        assert f">{heading}</label>" in page
    assert "01/03/2025 02:30" in page  # an example from the first rows
    assert "custody number, the date and time of arrest" in page.lower()
    assert ">Date and time of arrest</option>" in page  # fields by their names, not internal ones


def test_the_matching_imports_the_list_and_is_saved_for_the_team(personas):
    client = personas.client("officer_a")
    client.post(UPLOAD, {"file": upload(ODD)})
    batch = CustodyImport.objects.get()
    url, data = matching_post(batch, MATCHED)
    response = client.post(url, data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    rows = CustodyImportRow.objects.order_by("line_number")
    assert [r.custody_number for r in rows] == ["WS/1/25", "WS/2/25"]
    assert rows[0].released_at is not None
    saved = ColumnMapping.objects.get()
    assert saved.team == personas.officer_a.team and saved.mapping["arrest_datetime"] == 4
    assert AuditEvent.objects.filter(object_id=str(batch.pk), summary__contains="Columns of custody list").exists()
    # The team's next list with the same headings is imported without asking.
    response = personas.client("officer_a").post(UPLOAD, {"file": upload(ODD.replace(b"WS/1/25", b"WS/3/25"))})
    latest = CustodyImport.objects.order_by("-pk").first()
    assert response.url == reverse("custody:import_detail", args=[latest.pk])
    assert latest.status == ImportStatus.DONE
    # Another team is asked.
    response = personas.client("officer_b").post(UPLOAD, {"file": upload(ODD)})
    assert "/columns/" in response.url


def test_a_field_chosen_twice_or_left_out_is_an_error_naming_the_headings(personas):
    client = personas.client("officer_a")
    client.post(UPLOAD, {"file": upload(ODD)})
    batch = CustodyImport.objects.get()
    url, data = matching_post(batch, {**MATCHED, "column_5": "arrest_datetime"})
    page = client.post(url, data).content.decode()
    assert "\u201cReleased At\u201d and \u201cNicked\u201d cannot both hold the date and time of arrest" in page
    url, data = matching_post(batch, {"column_0": "custody_number"})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Choose the column that holds the date of birth and the date and time of arrest" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COLUMNS


def test_an_unused_column_that_reads_like_a_field_is_not_silently_ignored(personas):
    content = (
        b"Custody Ref,Surname,Forenames,DOB,Arrest date time,Home Force,Force/LA of residence\n"
        b"WS/1/25,Testwood,Jaylen,01/02/2010,01/03/2025 02:30,Westshire,Leeds\n"
    )
    response = personas.client("officer_a").post(UPLOAD, {"file": upload(content)})
    assert "/columns/" in response.url


@pytest.mark.parametrize(("persona", "status"), [("force_lead", 403), ("partner", 403), ("officer_b", 302)])
def test_who_may_match_the_columns(personas, persona, status):
    personas.client("officer_a").post(UPLOAD, {"file": upload(ODD)})
    batch = CustodyImport.objects.get()
    url, data = matching_post(batch, MATCHED)
    assert personas.client(persona).post(url, data).status_code == status


def test_a_list_whose_file_was_purged_while_waiting_asks_for_it_again(personas):
    client = personas.client("officer_a")
    client.post(UPLOAD, {"file": upload(ODD)})
    batch = CustodyImport.objects.get()
    CustodyImport.objects.filter(pk=batch.pk).update(content=b"")
    response = client.get(reverse("custody:import_columns", args=[batch.pk]))
    assert response.status_code == 302 and response.url == UPLOAD


def test_the_force_lead_sees_a_list_waiting_for_its_columns_without_a_reload_loop(personas):
    personas.client("officer_a").post(UPLOAD, {"file": upload(ODD)})
    batch = CustodyImport.objects.get()
    page = personas.client("force_lead").get(reverse("custody:import_detail", args=[batch.pk])).content.decode()
    assert "custody-review.js" not in page and 'id="refresh-progress"' not in page
